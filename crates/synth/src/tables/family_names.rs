//! Surname frequency tables by origin.
//!
//! Weights are shaped like the 2010 US census surname counts (per 100,000 within the
//! origin's share of the population); approximations for synthetic data only. Some
//! entries carry spaces, apostrophes or particles ("DE LA CRUZ", "O'BRIEN", "VAN DYKE")
//! because real files do.

/// Surnames of the general (non-Hispanic) US population.
#[rustfmt::skip]
pub(crate) const GENERAL: &[(&str, u32)] = &[
    ("SMITH", 828), ("JOHNSON", 655), ("WILLIAMS", 550), ("BROWN", 487), ("JONES", 483),
    ("MILLER", 384), ("DAVIS", 380), ("WILSON", 264), ("ANDERSON", 262), ("TAYLOR", 242),
    ("THOMAS", 239), ("MOORE", 230), ("JACKSON", 224), ("MARTIN", 222), ("LEE", 160),
    ("THOMPSON", 212), ("WHITE", 211), ("HARRIS", 201), ("CLARK", 191), ("LEWIS", 183),
    ("ROBINSON", 181), ("WALKER", 181), ("YOUNG", 168), ("ALLEN", 167), ("KING", 164),
    ("WRIGHT", 163), ("SCOTT", 155), ("HILL", 153), ("GREEN", 152), ("ADAMS", 151),
    ("BAKER", 147), ("NELSON", 145), ("HALL", 142), ("CAMPBELL", 138), ("MITCHELL", 136),
    ("CARTER", 132), ("ROBERTS", 131), ("PHILLIPS", 126), ("EVANS", 125), ("TURNER", 122),
    ("PARKER", 119), ("COLLINS", 115), ("EDWARDS", 114), ("STEWART", 112), ("MORRIS", 109),
    ("MURPHY", 107), ("COOK", 107), ("ROGERS", 106), ("MORGAN", 103), ("COOPER", 101),
    ("PETERSON", 101), ("BAILEY", 100), ("REED", 99), ("KELLY", 98), ("HOWARD", 97),
    ("COX", 95), ("WARD", 94), ("RICHARDSON", 94), ("WOOD", 93), ("WATSON", 93),
    ("BROOKS", 92), ("BENNETT", 91), ("GRAY", 90), ("JAMES", 89), ("HUGHES", 87),
    ("PRICE", 86), ("MYERS", 86), ("LONG", 85), ("FOSTER", 85), ("SANDERS", 84),
    ("ROSS", 83), ("POWELL", 81), ("SULLIVAN", 81), ("RUSSELL", 80), ("PERRY", 79),
    ("BUTLER", 78), ("BARNES", 78), ("FISHER", 77), ("HENDERSON", 77), ("COLEMAN", 76),
    ("SIMMONS", 75), ("PATTERSON", 75), ("JORDAN", 74), ("REYNOLDS", 74), ("HAMILTON", 73),
    ("GRAHAM", 72), ("WALLACE", 71), ("WEST", 70), ("COLE", 70), ("HAYES", 69),
    ("BRYANT", 69), ("GIBSON", 68), ("ELLIS", 68), ("STEVENS", 67), ("MURRAY", 67),
    ("FORD", 66), ("MARSHALL", 66), ("OWENS", 65), ("HARRISON", 65), ("MCDONALD", 65),
    ("WOODS", 64), ("WASHINGTON", 64), ("KENNEDY", 63), ("WELLS", 63), ("HENRY", 62),
    ("FREEMAN", 62), ("WEBB", 61), ("TUCKER", 61), ("BURNS", 60), ("CRAWFORD", 60),
    ("OLSON", 59), ("SIMPSON", 59), ("PORTER", 59), ("HUNTER", 58), ("GORDON", 58),
    ("SHAW", 57), ("SNYDER", 57), ("MASON", 56), ("DIXON", 56), ("HUNT", 55),
    ("HICKS", 55), ("HOLMES", 54), ("PALMER", 54), ("WAGNER", 54), ("BLACK", 53),
    ("ROBERTSON", 53), ("BOYD", 53), ("ROSE", 52), ("STONE", 52), ("FOX", 51),
    ("WARREN", 51), ("MILLS", 51), ("MEYER", 50), ("RICE", 50), ("SCHMIDT", 50),
    ("DANIELS", 49), ("FERGUSON", 49), ("NICHOLS", 49), ("STEPHENS", 48), ("WEAVER", 48),
    ("RYAN", 48), ("GARDNER", 47), ("PAYNE", 47), ("GRANT", 47), ("DUNN", 46),
    ("KELLEY", 46), ("SPENCER", 46), ("HAWKINS", 45), ("ARNOLD", 45), ("PIERCE", 45),
    ("HANSEN", 44), ("PETERS", 44), ("HART", 44), ("BRADLEY", 43), ("KNIGHT", 43),
    ("ELLIOTT", 43), ("CUNNINGHAM", 42), ("DUNCAN", 42), ("ARMSTRONG", 42), ("HUDSON", 41),
    ("CARROLL", 41), ("LANE", 41), ("RILEY", 40), ("ANDREWS", 40), ("RAY", 40),
    ("BERRY", 39), ("PERKINS", 39), ("HOFFMAN", 39), ("JOHNSTON", 38), ("MATTHEWS", 38),
    ("RICHARDS", 38), ("WILLIS", 37), ("CARPENTER", 37), ("LAWRENCE", 37), ("GEORGE", 36),
    ("CHAPMAN", 36), ("WATKINS", 36), ("GREENE", 35), ("WHEELER", 35), ("HARPER", 35),
    ("BURKE", 34), ("LARSON", 34), ("MORRISON", 34), ("FRANKLIN", 33), ("CARLSON", 33),
    ("AUSTIN", 33), ("CARR", 32), ("LAWSON", 32), ("JACOBS", 32), ("O'BRIEN", 31),
    ("LYNCH", 31), ("BISHOP", 31), ("MONTGOMERY", 30), ("OLIVER", 30), ("JENSEN", 30),
    ("HARVEY", 30), ("WILLIAMSON", 29), ("GILBERT", 29), ("DEAN", 29), ("SIMS", 28),
    ("HOWELL", 28), ("REID", 28), ("HANSON", 28), ("MCCOY", 27), ("GARRETT", 27),
    ("BURTON", 27), ("FULLER", 27), ("WEBER", 26), ("WELCH", 26), ("LUCAS", 26),
    ("FIELDS", 25), ("LITTLE", 25), ("BANKS", 25), ("DAY", 25), ("WALSH", 24),
    ("BOWMAN", 24), ("SCHULTZ", 24), ("FOWLER", 24), ("DAVIDSON", 23), ("BREWER", 23),
    ("MAY", 23), ("HOLLAND", 23), ("NEWMAN", 22), ("PEARSON", 22), ("CURTIS", 22),
    ("DOUGLAS", 22), ("SCHNEIDER", 21), ("JOSEPH", 21), ("BARRETT", 21), ("KELLER", 21),
    ("WADE", 20), ("STANLEY", 20), ("HOPKINS", 20), ("BARNETT", 20), ("BATES", 20),
    ("CHAMBERS", 19), ("CALDWELL", 19), ("BECK", 19), ("LAMBERT", 19), ("BYRD", 19),
    ("CRAIG", 18), ("LOWE", 18), ("FRAZIER", 18), ("POWERS", 18), ("NEAL", 18),
    ("LEONARD", 17), ("GREGORY", 17), ("SUTTON", 17), ("FLEMING", 17), ("RHODES", 17),
    ("SHELTON", 16), ("SCHWARTZ", 16), ("NORRIS", 16), ("JENNINGS", 16), ("WATTS", 16),
    ("WALTERS", 15), ("COHEN", 15), ("MCDANIEL", 15), ("MORAN", 15), ("PARKS", 15),
    ("STEELE", 14), ("VAUGHN", 14), ("BECKER", 14), ("HOLT", 14), ("BARKER", 14),
    ("O'CONNOR", 13), ("O'NEILL", 12), ("MCCARTHY", 13), ("D'ANGELO", 6), ("VAN DYKE", 5),
    ("VAN DER BERG", 3), ("MACDONALD", 8), ("MCLAUGHLIN", 9), ("SCHROEDER", 10),
];

/// Hispanic surnames.
#[rustfmt::skip]
pub(crate) const HISPANIC: &[(&str, u32)] = &[
    ("GARCIA", 858), ("RODRIGUEZ", 804), ("MARTINEZ", 775), ("HERNANDEZ", 706), ("LOPEZ", 621),
    ("GONZALEZ", 597), ("PEREZ", 488), ("SANCHEZ", 441), ("RAMIREZ", 388), ("TORRES", 325),
    ("FLORES", 312), ("RIVERA", 311), ("GOMEZ", 270), ("DIAZ", 265), ("CRUZ", 203),
    ("MORALES", 196), ("REYES", 190), ("GUTIERREZ", 180), ("ORTIZ", 179), ("RAMOS", 170),
    ("CHAVEZ", 167), ("MENDOZA", 165), ("RUIZ", 163), ("ALVAREZ", 161), ("CASTILLO", 155),
    ("JIMENEZ", 154), ("MORENO", 152), ("ROMERO", 150), ("HERRERA", 148), ("MEDINA", 130),
    ("AGUILAR", 128), ("VARGAS", 120), ("CASTRO", 118), ("GUZMAN", 115), ("FERNANDEZ", 114),
    ("MENDEZ", 110), ("MUNOZ", 108), ("SALAZAR", 105), ("SOTO", 102), ("GARZA", 101),
    ("VAZQUEZ", 98), ("ALVARADO", 95), ("DELGADO", 94), ("PENA", 93), ("CONTRERAS", 92),
    ("SANDOVAL", 90), ("GUERRERO", 89), ("RIOS", 88), ("ESTRADA", 86), ("NUNEZ", 84),
    ("VALDEZ", 82), ("SANTIAGO", 81), ("MALDONADO", 80), ("DOMINGUEZ", 78), ("VEGA", 76),
    ("ESPINOZA", 74), ("ROJAS", 72), ("MARQUEZ", 70), ("PADILLA", 69), ("LUNA", 67),
    ("MEJIA", 66), ("ACOSTA", 65), ("JUAREZ", 64), ("CORTEZ", 62), ("NAVARRO", 61),
    ("FIGUEROA", 60), ("AVILA", 59), ("MOLINA", 58), ("CAMPOS", 57), ("MIRANDA", 56),
    ("AYALA", 55), ("CARRILLO", 54), ("DURAN", 53), ("DE LA CRUZ", 50), ("CERVANTES", 48),
    ("SALINAS", 47), ("SERRANO", 46), ("VELASQUEZ", 45), ("OCHOA", 44), ("FUENTES", 43),
    ("ZAMORA", 42), ("TRUJILLO", 42), ("VILLANUEVA", 41), ("LARA", 41), ("GALLEGOS", 40),
    ("BARRERA", 39), ("ESPINOSA", 38), ("CABRERA", 38), ("ROSALES", 37), ("ROBLES", 37),
    ("PACHECO", 36), ("IBARRA", 36), ("MONTOYA", 35), ("ORTEGA", 35), ("SUAREZ", 34),
    ("SOSA", 34), ("QUINTERO", 33), ("BELTRAN", 33), ("DE LEON", 32), ("SOLIS", 32),
    ("CARDENAS", 31), ("VILLARREAL", 31), ("ZUNIGA", 30), ("ARELLANO", 29), ("ESCOBAR", 29),
    ("VALENCIA", 28), ("BAUTISTA", 28), ("OROZCO", 27), ("LUGO", 26), ("PONCE", 26),
    ("MACIAS", 25), ("MONTES", 25), ("HUERTA", 24), ("TAPIA", 24), ("VILLA", 23),
    ("BONILLA", 23), ("MEZA", 22), ("CASTANEDA", 22), ("SALAS", 21), ("GALVAN", 21),
    ("IBANEZ", 12), ("ORDONEZ", 14), ("MUNIZ", 12), ("PENALOZA", 6),
];

/// Vietnamese surnames.
#[rustfmt::skip]
pub(crate) const VIETNAMESE: &[(&str, u32)] = &[
    ("NGUYEN", 400), ("TRAN", 100), ("LE", 60), ("PHAM", 50), ("HUYNH", 30), ("HOANG", 20),
    ("PHAN", 18), ("VU", 18), ("VO", 17), ("DANG", 15), ("BUI", 14), ("DO", 13),
    ("HO", 12), ("NGO", 12), ("DUONG", 10), ("LY", 10), ("TRUONG", 10), ("LAM", 8),
    ("DINH", 7), ("LUONG", 6),
];

/// Chinese surnames (Mandarin and Cantonese romanizations).
#[rustfmt::skip]
pub(crate) const CHINESE: &[(&str, u32)] = &[
    ("WANG", 120), ("LI", 110), ("ZHANG", 100), ("LIU", 80), ("CHEN", 110), ("YANG", 60),
    ("HUANG", 60), ("ZHAO", 40), ("WU", 60), ("ZHOU", 40), ("XU", 35), ("SUN", 30),
    ("MA", 30), ("ZHU", 30), ("HU", 30), ("GUO", 25), ("HE", 25), ("LIN", 60),
    ("LUO", 20), ("GAO", 20), ("WONG", 90), ("CHAN", 70), ("LEUNG", 30), ("CHEUNG", 30),
    ("LAU", 25), ("TANG", 30), ("FENG", 20), ("DENG", 20), ("CAO", 15),
];

/// Korean surnames.
#[rustfmt::skip]
pub(crate) const KOREAN: &[(&str, u32)] = &[
    ("KIM", 220), ("LEE", 150), ("PARK", 85), ("CHOI", 47), ("JUNG", 40), ("KANG", 20),
    ("CHO", 20), ("YOON", 18), ("JANG", 17), ("LIM", 15), ("HAN", 10), ("OH", 10),
    ("SEO", 9), ("SHIN", 9), ("KWON", 8), ("HWANG", 7), ("AHN", 7), ("SONG", 7),
    ("YOO", 6), ("HONG", 6),
];

/// Arabic surnames, including spaced and hyphenated article forms.
#[rustfmt::skip]
pub(crate) const ARABIC: &[(&str, u32)] = &[
    ("AHMED", 120), ("ALI", 110), ("HASSAN", 90), ("HUSSEIN", 70), ("MOHAMED", 80),
    ("IBRAHIM", 60), ("ABDULLAH", 50), ("MAHMOUD", 50), ("SALEH", 40), ("YOUSSEF", 40),
    ("HAMMOUD", 30), ("NASSER", 30), ("HADDAD", 40), ("KHALIL", 40), ("MANSOUR", 35),
    ("AL-SAYED", 20), ("AL SAYED", 10), ("EL-AMIN", 15), ("ABDEL RAHMAN", 15), ("AWAD", 25),
    ("SALEM", 30), ("OMAR", 25), ("MUSTAFA", 25), ("FARAH", 25), ("JABER", 20),
    ("AZIZ", 25), ("HAMDAN", 20), ("AL-HASSAN", 10),
];

/// Eastern European surnames.
#[rustfmt::skip]
pub(crate) const EASTERN_EUROPEAN: &[(&str, u32)] = &[
    ("KOWALSKI", 60), ("NOWAK", 60), ("WISNIEWSKI", 40), ("WOJCIK", 35), ("KOWALCZYK", 30),
    ("KAMINSKI", 35), ("LEWANDOWSKI", 35), ("ZIELINSKI", 30), ("SZYMANSKI", 30), ("WOZNIAK", 30),
    ("DABROWSKI", 25), ("KOZLOWSKI", 25), ("JANKOWSKI", 25), ("MAZUR", 20), ("KWIATKOWSKI", 20),
    ("IVANOV", 50), ("PETROV", 40), ("SMIRNOV", 35), ("KUZNETSOV", 30), ("POPOV", 30),
    ("VOLKOV", 25), ("SOKOLOV", 25), ("MOROZOV", 20), ("PAVLOV", 20), ("NOVAK", 40),
    ("HORVATH", 35), ("KOVACS", 30), ("NAGY", 30), ("SZABO", 25), ("TOTH", 25),
    ("POPESCU", 25), ("IONESCU", 20), ("SHEVCHENKO", 30), ("BONDARENKO", 25), ("KOVALENKO", 25),
    ("TKACHENKO", 20), ("MELNYK", 25), ("KRAVCHENKO", 20), ("PETRENKO", 15), ("DVORAK", 20),
    ("NOVOTNY", 15), ("SVOBODA", 15),
];

/// South Asian surnames.
#[rustfmt::skip]
pub(crate) const SOUTH_ASIAN: &[(&str, u32)] = &[
    ("PATEL", 200), ("SINGH", 80), ("SHAH", 60), ("KUMAR", 50), ("SHARMA", 40), ("KHAN", 50),
    ("GUPTA", 30), ("DESAI", 20), ("MEHTA", 18), ("REDDY", 25), ("RAO", 18), ("JOSHI", 15),
    ("IYER", 8), ("CHOPRA", 7), ("KAPOOR", 7), ("BHATT", 10), ("CHAUDHARY", 9), ("NAIR", 9),
    ("MALHOTRA", 6), ("AGARWAL", 8), ("QURESHI", 6), ("CHOWDHURY", 7),
];
