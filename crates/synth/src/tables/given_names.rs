//! Given-name frequency tables by origin and sex.
//!
//! Weights are relative frequencies shaped like US census and SSA name counts (the general
//! tables follow the 1990 census first-name shares, scaled by 1000, with some recent names
//! added). They are approximations for synthetic data, not statistics. Multi-token entries
//! ("MARIA GUADALUPE", "JI HOON") are compound given names. No entry here is a key of
//! [`super::nicknames::NICKNAMES`]: a nickname only ever appears through the `nickname`
//! corruption.

/// Common male given names of the general US population.
#[rustfmt::skip]
pub(crate) const GENERAL_MALE: &[(&str, u32)] = &[
    ("JAMES", 3318), ("JOHN", 3271), ("ROBERT", 3143), ("MICHAEL", 2629), ("WILLIAM", 2451),
    ("DAVID", 2363), ("RICHARD", 1703), ("CHARLES", 1523), ("JOSEPH", 1404), ("THOMAS", 1380),
    ("CHRISTOPHER", 1035), ("DANIEL", 974), ("PAUL", 948), ("MARK", 938), ("DONALD", 931),
    ("GEORGE", 927), ("KENNETH", 826), ("STEVEN", 780), ("EDWARD", 779), ("BRIAN", 736),
    ("RONALD", 725), ("ANTHONY", 721), ("KEVIN", 671), ("JASON", 660), ("MATTHEW", 657),
    ("GARY", 650), ("TIMOTHY", 640), ("LARRY", 598), ("JEFFREY", 591), ("FRANK", 581),
    ("SCOTT", 546), ("ERIC", 544), ("STEPHEN", 540), ("ANDREW", 537), ("RAYMOND", 488),
    ("GREGORY", 441), ("JOSHUA", 435), ("JERRY", 432), ("DENNIS", 415), ("WALTER", 399),
    ("PATRICK", 389), ("PETER", 381), ("HAROLD", 371), ("DOUGLAS", 367), ("HENRY", 365),
    ("CARL", 346), ("ARTHUR", 335), ("RYAN", 328), ("ROGER", 322), ("JACK", 315),
    ("ALBERT", 314), ("JONATHAN", 313), ("JUSTIN", 311), ("TERRY", 311), ("GERALD", 309),
    ("KEITH", 308), ("SAMUEL", 306), ("WILLIE", 302), ("RALPH", 282), ("LAWRENCE", 282),
    ("NICHOLAS", 275), ("ROY", 273), ("BENJAMIN", 270), ("BRUCE", 263), ("BRANDON", 260),
    ("ADAM", 259), ("HARRY", 251), ("FRED", 251), ("WAYNE", 249), ("LOUIS", 243),
    ("JEREMY", 242), ("AARON", 240), ("RANDY", 232), ("HOWARD", 230), ("EUGENE", 230),
    ("RUSSELL", 224), ("VICTOR", 222), ("MARTIN", 216), ("ERNEST", 215), ("PHILLIP", 213),
    ("TODD", 213), ("JESSE", 209), ("CRAIG", 206), ("ALAN", 204), ("SHAWN", 200),
    ("CLARENCE", 197), ("SEAN", 197), ("PHILIP", 197), ("EARL", 193), ("BRYAN", 190),
    ("STANLEY", 186), ("LEONARD", 184), ("NATHAN", 182), ("DALE", 182), ("RODNEY", 180),
    ("CURTIS", 180), ("NORMAN", 177), ("ALLEN", 174), ("MARVIN", 171), ("VINCENT", 168),
    ("GLENN", 166), ("JEFFERY", 165), ("TRAVIS", 165), ("CHAD", 161), ("JACOB", 160),
    ("LEE", 159), ("MELVIN", 159), ("ALFRED", 158), ("KYLE", 158), ("FRANCIS", 157),
    ("BRADLEY", 156), ("HERBERT", 155), ("FREDERICK", 154), ("RAY", 154), ("JOEL", 152),
    ("EDWIN", 152), ("EDDIE", 149), ("TROY", 148), ("RANDALL", 147), ("BARRY", 146),
    ("ALEXANDER", 145), ("BERNARD", 145), ("LEROY", 144), ("MARCUS", 141), ("MICHEAL", 140),
    ("THEODORE", 139), ("CLIFFORD", 139), ("JAY", 136), ("CALVIN", 134), ("LLOYD", 129),
    ("LEON", 128), ("DEREK", 128), ("WARREN", 126), ("DARRELL", 126), ("JEROME", 125),
    ("FLOYD", 125), ("LEO", 124), ("ALVIN", 124), ("WESLEY", 122), ("GORDON", 121),
    ("DEAN", 121), ("DUSTIN", 119), ("DERRICK", 118), ("LEWIS", 117), ("ZACHARY", 117),
    ("COREY", 117), ("HERMAN", 116), ("MAURICE", 116), ("VERNON", 115), ("CLYDE", 113),
    ("GLEN", 113), ("SHANE", 112), ("LESTER", 110), ("BRENT", 110), ("TYLER", 108),
    ("GILBERT", 108), ("GENE", 107), ("MARC", 107), ("REGINALD", 106), ("BRETT", 106),
    ("NATHANIEL", 105), ("EDGAR", 104), ("MILTON", 103), ("CHESTER", 102), ("CECIL", 102),
    ("DUANE", 101), ("FRANKLIN", 101), ("ANDRE", 100), ("ELMER", 99), ("GABRIEL", 98),
    ("MITCHELL", 97), ("ROLAND", 97), ("ARNOLD", 96), ("HARVEY", 96), ("JARED", 95),
    ("ADRIAN", 94), ("KARL", 94), ("CORY", 94), ("CLAUDE", 93), ("ERIK", 93),
    ("DARRYL", 92), ("NEIL", 91), ("CHRISTIAN", 91), ("CLINTON", 90), ("TYRONE", 89),
    ("DARREN", 89), ("LONNIE", 88), ("LANCE", 88), ("CODY", 88), ("KURT", 86),
    ("NELSON", 85), ("CLAYTON", 83), ("HUGH", 83), ("MAX", 82), ("DWIGHT", 82),
    ("EVERETT", 80), ("JORDAN", 80), ("IAN", 80), ("WALLACE", 79), ("CASEY", 78),
    ("IVAN", 77), ("SIDNEY", 76), ("BYRON", 76), ("JULIAN", 75), ("ISAAC", 75),
    ("MORRIS", 74), ("CLIFTON", 74), ("WILLARD", 74), ("ROSS", 73), ("VIRGIL", 72),
    ("MARSHALL", 71), ("PERRY", 71), ("KIRK", 70), ("SETH", 69), ("KENT", 68),
    ("TERRANCE", 68), ("WADE", 67), ("ETHAN", 140), ("NOAH", 130), ("LIAM", 110),
    ("MASON", 100), ("LOGAN", 95), ("AIDEN", 90), ("ELIJAH", 95), ("CALEB", 90),
    ("LUKE", 85), ("HUNTER", 80), ("CONNOR", 75), ("AUSTIN", 90), ("EVAN", 80),
    ("GAVIN", 65), ("CAMERON", 75), ("DYLAN", 80), ("OWEN", 70), ("JACKSON", 75),
    ("CARTER", 60), ("WYATT", 55), ("LANDON", 55), ("ISAIAH", 60), ("JAYDEN", 60),
    ("COLE", 50), ("TREVOR", 55), ("BLAKE", 55), ("CHASE", 50), ("GARRETT", 50),
    ("SPENCER", 50), ("DEANDRE", 40), ("DARNELL", 45), ("JAMAL", 45), ("TERRELL", 40),
];

/// Common female given names of the general US population.
#[rustfmt::skip]
pub(crate) const GENERAL_FEMALE: &[(&str, u32)] = &[
    ("MARY", 2629), ("PATRICIA", 1073), ("LINDA", 1035), ("BARBARA", 980), ("ELIZABETH", 937),
    ("JENNIFER", 932), ("SUSAN", 794), ("MARGARET", 768), ("DOROTHY", 727), ("LISA", 704),
    ("NANCY", 669), ("KAREN", 667), ("BETTY", 666), ("HELEN", 663), ("SANDRA", 629),
    ("DONNA", 583), ("CAROL", 565), ("RUTH", 562), ("SHARON", 522), ("MICHELLE", 519),
    ("LAURA", 510), ("SARAH", 508), ("KIMBERLY", 504), ("DEBORAH", 494), ("JESSICA", 490),
    ("SHIRLEY", 482), ("CYNTHIA", 469), ("ANGELA", 468), ("MELISSA", 462), ("BRENDA", 455),
    ("AMY", 451), ("ANNA", 440), ("REBECCA", 430), ("VIRGINIA", 430), ("KATHLEEN", 424),
    ("PAMELA", 416), ("MARTHA", 412), ("DEBRA", 408), ("AMANDA", 404), ("STEPHANIE", 400),
    ("CAROLYN", 385), ("CHRISTINE", 382), ("MARIE", 379), ("JANET", 379), ("CATHERINE", 373),
    ("FRANCES", 370), ("ANN", 364), ("JOYCE", 364), ("DIANE", 359), ("ALICE", 357),
    ("JULIE", 348), ("HEATHER", 337), ("TERESA", 336), ("DORIS", 335), ("GLORIA", 335),
    ("EVELYN", 322), ("JEAN", 315), ("CHERYL", 315), ("MILDRED", 313), ("KATHERINE", 313),
    ("JOAN", 306), ("ASHLEY", 303), ("JUDITH", 297), ("ROSE", 296), ("JANICE", 285),
    ("KELLY", 283), ("NICOLE", 281), ("JUDY", 272), ("CHRISTINA", 272), ("KATHY", 272),
    ("THERESA", 271), ("BEVERLY", 267), ("DENISE", 264), ("TAMMY", 259), ("IRENE", 252),
    ("JANE", 250), ("LORI", 248), ("RACHEL", 242), ("MARILYN", 241), ("ANDREA", 236),
    ("KATHRYN", 234), ("LOUISE", 229), ("SARA", 229), ("ANNE", 228), ("JACQUELINE", 228),
    ("WANDA", 226), ("BONNIE", 223), ("JULIA", 223), ("RUBY", 221), ("LOIS", 220),
    ("TINA", 220), ("PHYLLIS", 219), ("NORMA", 218), ("PAULA", 217), ("DIANA", 216),
    ("ANNIE", 216), ("LILLIAN", 211), ("EMILY", 208), ("ROBIN", 208), ("CRYSTAL", 203),
    ("GLADYS", 201), ("RITA", 201), ("DAWN", 200), ("CONNIE", 200), ("FLORENCE", 200),
    ("TRACY", 197), ("EDNA", 197), ("TIFFANY", 195), ("CINDY", 191), ("GRACE", 189),
    ("WENDY", 185), ("VICTORIA", 180), ("EDITH", 179), ("KIM", 178), ("SHERRY", 178),
    ("SYLVIA", 177), ("JOSEPHINE", 177), ("THELMA", 175), ("SHANNON", 175), ("SHEILA", 175),
    ("ETHEL", 174), ("ELLEN", 173), ("ELAINE", 173), ("MARJORIE", 173), ("CARRIE", 171),
    ("CHARLOTTE", 169), ("MONICA", 168), ("ESTHER", 167), ("PAULINE", 165), ("EMMA", 165),
    ("ANITA", 161), ("RHONDA", 161), ("HAZEL", 161), ("AMBER", 160), ("EVA", 159),
    ("APRIL", 154), ("LESLIE", 154), ("CLARA", 153), ("LUCILLE", 153), ("JAMIE", 153),
    ("JOANNE", 150), ("ELEANOR", 150), ("VALERIE", 149), ("DANIELLE", 149), ("MEGAN", 147),
    ("ALICIA", 146), ("SUZANNE", 145), ("MICHELE", 145), ("GAIL", 145), ("BERTHA", 143),
    ("DARLENE", 142), ("VERONICA", 142), ("JILL", 142), ("ERIN", 141), ("GERALDINE", 141),
    ("LAUREN", 137), ("CATHY", 137), ("JOANN", 136), ("LORRAINE", 135), ("LYNN", 135),
    ("SALLY", 135), ("REGINA", 134), ("ERICA", 130), ("BEATRICE", 130), ("DOLORES", 129),
    ("BERNICE", 128), ("AUDREY", 127), ("YVONNE", 126), ("ANNETTE", 125), ("JUNE", 125),
    ("SAMANTHA", 124), ("MARION", 122), ("DANA", 122), ("STACY", 121), ("RENEE", 121),
    ("IDA", 118), ("VIVIAN", 118), ("ROBERTA", 117), ("HOLLY", 117), ("BRITTANY", 117),
    ("MELANIE", 116), ("LORETTA", 115), ("JEANETTE", 115), ("LAURIE", 114), ("KATIE", 113),
    ("KRISTEN", 112), ("VANESSA", 111), ("ALMA", 111), ("SUE", 111), ("ELSIE", 110),
    ("BETH", 110), ("JEANNE", 109), ("OLIVIA", 140), ("SOPHIA", 130), ("ISABELLA", 120),
    ("AVA", 100), ("MIA", 100), ("ABIGAIL", 100), ("MADISON", 110), ("CHLOE", 90),
    ("ELLA", 85), ("AVERY", 70), ("HANNAH", 110), ("ADDISON", 65), ("NATALIE", 90),
    ("BROOKLYN", 55), ("ZOE", 60), ("LEAH", 65), ("LILY", 75), ("AUBREY", 50),
    ("SAVANNAH", 60), ("HAILEY", 65), ("KAYLA", 90), ("ALEXIS", 85), ("TAYLOR", 80),
    ("MORGAN", 80), ("SYDNEY", 60), ("DESTINY", 50), ("JASMINE", 80), ("BRIANNA", 70),
    ("KAITLYN", 60), ("LATOYA", 45), ("EBONY", 40), ("KEISHA", 35), ("SHANIQUA", 20),
];

/// Hispanic male given names, including compound names.
#[rustfmt::skip]
pub(crate) const HISPANIC_MALE: &[(&str, u32)] = &[
    ("JOSE", 2200), ("JUAN", 1500), ("LUIS", 1100), ("CARLOS", 1000), ("JESUS", 900),
    ("ANTONIO", 800), ("MIGUEL", 750), ("FRANCISCO", 700), ("JORGE", 600), ("MANUEL", 550),
    ("PEDRO", 450), ("ALEJANDRO", 450), ("RICARDO", 400), ("FERNANDO", 380), ("JAVIER", 380),
    ("ROBERTO", 360), ("RAFAEL", 350), ("RAUL", 330), ("MARIO", 320), ("ARMANDO", 280),
    ("EDUARDO", 300), ("HECTOR", 280), ("RUBEN", 260), ("SERGIO", 260), ("ALBERTO", 250),
    ("ENRIQUE", 240), ("JULIO", 230), ("ANGEL", 260), ("ARTURO", 210), ("OSCAR", 240),
    ("ALFREDO", 180), ("GUILLERMO", 170), ("RAMON", 170), ("GERARDO", 160), ("SALVADOR", 150),
    ("ADRIAN", 150), ("ERNESTO", 140), ("CESAR", 150), ("ALFONSO", 110), ("ANDRES", 120),
    ("DIEGO", 140), ("GABRIEL", 150), ("HUGO", 100), ("IGNACIO", 90), ("ISMAEL", 90),
    ("JAIME", 120), ("LEONARDO", 110), ("MARCO", 90), ("MARTIN", 150), ("OMAR", 120),
    ("PABLO", 100), ("RODOLFO", 90), ("SANTIAGO", 110), ("VICTOR", 180), ("AGUSTIN", 60),
    ("ABEL", 60), ("ELIAS", 60), ("EFRAIN", 55), ("GUSTAVO", 80), ("HUMBERTO", 70),
    ("ISRAEL", 70), ("JOAQUIN", 60), ("MAURICIO", 60), ("NICOLAS", 70), ("OCTAVIO", 40),
    ("RIGOBERTO", 40), ("ROGELIO", 50), ("TOMAS", 70), ("ULISES", 30), ("MATEO", 80),
    ("EMILIANO", 50), ("JULIAN", 70), ("SEBASTIAN", 80), ("IVAN", 60),
    ("JOSE LUIS", 400), ("JUAN CARLOS", 350), ("JOSE ANTONIO", 250), ("JUAN JOSE", 150),
    ("JOSE MANUEL", 150), ("LUIS ALBERTO", 100), ("MIGUEL ANGEL", 250), ("JOSE ANGEL", 120),
    ("JUAN PABLO", 90), ("JOSE MARIA", 50), ("JESUS MANUEL", 50), ("LUIS FERNANDO", 60),
];

/// Hispanic female given names, including compound names.
#[rustfmt::skip]
pub(crate) const HISPANIC_FEMALE: &[(&str, u32)] = &[
    ("MARIA", 2500), ("GUADALUPE", 500), ("ROSA", 450), ("ANA", 500), ("CARMEN", 450),
    ("MARTHA", 300), ("YOLANDA", 260), ("LETICIA", 220), ("VERONICA", 250), ("ELIZABETH", 250),
    ("JUANA", 220), ("LAURA", 240), ("CLAUDIA", 230), ("PATRICIA", 230), ("SILVIA", 200),
    ("ALEJANDRA", 200), ("GABRIELA", 200), ("ADRIANA", 190), ("MONICA", 170), ("SANDRA", 170),
    ("BLANCA", 160), ("GLORIA", 150), ("TERESA", 150), ("ISABEL", 150), ("LUCIA", 130),
    ("ELENA", 130), ("SOFIA", 150), ("VALENTINA", 90), ("XIMENA", 70), ("CAMILA", 110),
    ("DANIELA", 140), ("FERNANDA", 80), ("PAOLA", 90), ("LORENA", 100), ("ESPERANZA", 80),
    ("JOSEFINA", 90), ("DOLORES", 90), ("CONSUELO", 60), ("LUZ", 110), ("ROCIO", 80),
    ("BEATRIZ", 90), ("ARACELI", 70), ("NORMA", 120), ("IRMA", 100), ("ALICIA", 120),
    ("CRISTINA", 110), ("MARISOL", 80), ("MIRIAM", 80), ("ANGELICA", 110), ("YESENIA", 70),
    ("XOCHITL", 30), ("ESTELA", 60), ("REYNA", 50), ("SOCORRO", 50), ("PILAR", 30),
    ("MERCEDES", 50), ("INES", 40), ("RAQUEL", 60), ("NATALIA", 70), ("JUANITA", 90),
    ("MARIA GUADALUPE", 350), ("MARIA ELENA", 200), ("MARIA DE LOURDES", 90),
    ("MARIA DEL CARMEN", 120), ("ANA MARIA", 150), ("MARIA ISABEL", 100), ("MARIA TERESA", 90),
    ("MARIA JOSE", 60), ("ROSA MARIA", 110), ("MARIA LUISA", 80), ("MARIA DE JESUS", 70),
];

/// Vietnamese male given names.
#[rustfmt::skip]
pub(crate) const VIETNAMESE_MALE: &[(&str, u32)] = &[
    ("MINH", 300), ("TUAN", 250), ("HUNG", 220), ("DUNG", 150), ("THANH", 250), ("HAI", 150),
    ("LONG", 160), ("NAM", 150), ("QUANG", 120), ("DUC", 140), ("HOANG", 110), ("KHANH", 100),
    ("TRUNG", 110), ("VIET", 90), ("BAO", 100), ("HIEU", 90), ("HUY", 110), ("TAN", 80),
    ("THANG", 80), ("VINH", 90), ("SON", 90), ("TAI", 70), ("PHUC", 70), ("CUONG", 80),
];

/// Vietnamese female given names.
#[rustfmt::skip]
pub(crate) const VIETNAMESE_FEMALE: &[(&str, u32)] = &[
    ("LINH", 250), ("HOA", 200), ("LAN", 200), ("MAI", 220), ("HUONG", 180), ("THUY", 170),
    ("NGOC", 160), ("TRANG", 150), ("HANH", 130), ("THAO", 130), ("HIEN", 110), ("PHUONG", 150),
    ("YEN", 100), ("DIEP", 60), ("NHUNG", 70), ("TUYET", 60), ("LIEN", 80), ("LOAN", 80),
    ("NGA", 80), ("OANH", 60), ("QUYEN", 50), ("TAM", 70), ("THU", 100), ("UYEN", 60),
];

/// Chinese male given names (romanized).
#[rustfmt::skip]
pub(crate) const CHINESE_MALE: &[(&str, u32)] = &[
    ("WEI", 300), ("JIAN", 200), ("JUN", 200), ("MING", 200), ("HAO", 150), ("LEI", 150),
    ("YONG", 130), ("JIE", 150), ("TAO", 120), ("CHAO", 100), ("BIN", 100), ("GANG", 90),
    ("PENG", 90), ("HUI", 80), ("FENG", 90), ("XIN", 80), ("ZHIWEI", 70), ("JIANGUO", 60),
    ("XIAOMING", 60), ("YU", 90), ("KWOK WAI", 40), ("CHI KEUNG", 30),
];

/// Chinese female given names (romanized).
#[rustfmt::skip]
pub(crate) const CHINESE_FEMALE: &[(&str, u32)] = &[
    ("LI", 200), ("MEI", 200), ("YING", 180), ("XIAO", 120), ("JING", 180), ("LING", 150),
    ("HUA", 100), ("YAN", 150), ("FANG", 120), ("XIU", 80), ("HONG", 100), ("LAN", 80),
    ("QIAN", 70), ("YUN", 80), ("XIAOYAN", 60), ("LIHUA", 60), ("MEILING", 60), ("NA", 60),
    ("JIAYI", 50), ("WAI MAN", 30), ("SIU LING", 30),
];

/// Korean male given names (two syllables; rendered joined, spaced or hyphenated).
#[rustfmt::skip]
pub(crate) const KOREAN_MALE: &[(&str, u32)] = &[
    ("MIN JUN", 150), ("SEO JUN", 120), ("JI HOON", 150), ("HYUN WOO", 130), ("JUN HO", 120),
    ("SUNG MIN", 110), ("DONG HYUN", 120), ("JAE HYUN", 110), ("YOUNG HO", 120), ("SANG WOO", 100),
    ("JIN WOO", 100), ("TAE YANG", 60), ("SEUNG HO", 90), ("KYUNG SOO", 80), ("JOON YOUNG", 80),
];

/// Korean female given names.
#[rustfmt::skip]
pub(crate) const KOREAN_FEMALE: &[(&str, u32)] = &[
    ("JI YEON", 130), ("SEO YEON", 110), ("MIN JI", 130), ("SU JIN", 120), ("EUN JI", 110),
    ("HYE JIN", 110), ("JI WOO", 80), ("YOUNG HEE", 110), ("MI KYUNG", 100), ("SO YOUNG", 100),
    ("HA EUN", 70), ("JI HYE", 90), ("EUN YOUNG", 100), ("SUN HEE", 90), ("JUNG HEE", 90),
];

/// Arabic male given names, with the common spelling variants of Muhammad.
#[rustfmt::skip]
pub(crate) const ARABIC_MALE: &[(&str, u32)] = &[
    ("MOHAMMED", 300), ("MOHAMED", 250), ("MUHAMMAD", 250), ("MOHAMMAD", 200), ("AHMED", 250),
    ("AHMAD", 150), ("ALI", 220), ("OMAR", 180), ("HASSAN", 160), ("HUSSEIN", 120),
    ("KHALED", 120), ("YOUSSEF", 110), ("IBRAHIM", 120), ("MAHMOUD", 110), ("MUSTAFA", 100),
    ("ABDULLAH", 110), ("KARIM", 80), ("SAMIR", 80), ("TARIQ", 70), ("WALID", 60),
    ("RAMI", 60), ("ZIAD", 50), ("BILAL", 60), ("HAMZA", 60), ("AMIR", 80),
];

/// Arabic female given names.
#[rustfmt::skip]
pub(crate) const ARABIC_FEMALE: &[(&str, u32)] = &[
    ("FATIMA", 250), ("AISHA", 150), ("MARYAM", 150), ("LAYLA", 120), ("NOOR", 130),
    ("ZAINAB", 100), ("HANAN", 80), ("RANIA", 80), ("AMAL", 80), ("DINA", 80),
    ("LINA", 80), ("HIBA", 60), ("YASMIN", 100), ("SALMA", 80), ("HALA", 60),
    ("MONA", 70), ("RANA", 70), ("NADIA", 90), ("SAMIRA", 70), ("LEILA", 70),
    ("HUDA", 60), ("ASMA", 60), ("REEM", 60),
];

/// Eastern European male given names.
#[rustfmt::skip]
pub(crate) const EASTERN_EUROPEAN_MALE: &[(&str, u32)] = &[
    ("ALEKSANDR", 150), ("DMITRI", 140), ("SERGEI", 140), ("ANDREI", 130), ("IVAN", 120),
    ("MIKHAIL", 110), ("NIKOLAI", 90), ("VLADIMIR", 100), ("PIOTR", 80), ("TOMASZ", 90),
    ("KRZYSZTOF", 80), ("PAWEL", 80), ("MAREK", 80), ("JAN", 90), ("STANISLAW", 50),
    ("BOGDAN", 50), ("OLEKSANDR", 80), ("YURIY", 60), ("VIKTOR", 70), ("MAKSIM", 60),
    ("ANDRZEJ", 60), ("GRZEGORZ", 50), ("LASZLO", 40), ("ISTVAN", 40), ("MILAN", 50),
    ("VASYL", 40), ("ROMAN", 60),
];

/// Eastern European female given names.
#[rustfmt::skip]
pub(crate) const EASTERN_EUROPEAN_FEMALE: &[(&str, u32)] = &[
    ("OLGA", 150), ("TATIANA", 130), ("NATALIA", 130), ("ELENA", 120), ("SVETLANA", 110),
    ("IRINA", 120), ("ANNA", 120), ("EKATERINA", 90), ("MARINA", 90), ("YULIA", 80),
    ("AGNIESZKA", 80), ("KATARZYNA", 90), ("MALGORZATA", 70), ("JOANNA", 80), ("MAGDALENA", 70),
    ("EWA", 60), ("ZOFIA", 50), ("OKSANA", 70), ("LUDMILA", 50), ("VALENTINA", 50),
    ("ALINA", 60), ("DARIA", 50), ("KSENIA", 40), ("ILONA", 40),
];

/// South Asian male given names.
#[rustfmt::skip]
pub(crate) const SOUTH_ASIAN_MALE: &[(&str, u32)] = &[
    ("RAJ", 120), ("RAHUL", 120), ("AMIT", 120), ("VIJAY", 100), ("SANJAY", 100),
    ("RAVI", 100), ("ANIL", 90), ("SURESH", 90), ("RAJESH", 100), ("ARJUN", 90),
    ("VIKRAM", 70), ("DEEPAK", 80), ("MANOJ", 70), ("SUNIL", 70), ("NIKHIL", 70),
    ("ROHAN", 70), ("PRAKASH", 60), ("KIRAN", 60), ("ANAND", 60), ("GURPREET", 50),
];

/// South Asian female given names.
#[rustfmt::skip]
pub(crate) const SOUTH_ASIAN_FEMALE: &[(&str, u32)] = &[
    ("PRIYA", 130), ("ANJALI", 100), ("DEEPA", 80), ("SUNITA", 80), ("NEHA", 100),
    ("POOJA", 100), ("KAVITA", 80), ("MEENA", 70), ("LAKSHMI", 70), ("SHREYA", 70),
    ("DIVYA", 80), ("REKHA", 60), ("SAVITA", 50), ("NISHA", 70), ("ASHA", 60),
    ("GEETA", 50), ("MANPREET", 50), ("SIMRAN", 50), ("ANANYA", 50),
];

/// Vietnamese middle names by sex (the traditional VAN / THI).
pub(crate) const VIETNAMESE_MIDDLE_MALE: &str = "VAN";
/// See [`VIETNAMESE_MIDDLE_MALE`].
pub(crate) const VIETNAMESE_MIDDLE_FEMALE: &str = "THI";

/// Every given-name table, for checks over all of them.
#[cfg(test)]
pub(crate) const ALL: &[&[(&str, u32)]] = &[
    GENERAL_MALE,
    GENERAL_FEMALE,
    HISPANIC_MALE,
    HISPANIC_FEMALE,
    VIETNAMESE_MALE,
    VIETNAMESE_FEMALE,
    CHINESE_MALE,
    CHINESE_FEMALE,
    KOREAN_MALE,
    KOREAN_FEMALE,
    ARABIC_MALE,
    ARABIC_FEMALE,
    EASTERN_EUROPEAN_MALE,
    EASTERN_EUROPEAN_FEMALE,
    SOUTH_ASIAN_MALE,
    SOUTH_ASIAN_FEMALE,
];
