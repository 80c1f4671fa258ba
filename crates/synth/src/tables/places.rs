//! Cities with their state and a ZIP range, and USPS state codes with full names.
//!
//! A city's ZIP codes are drawn from `zip_low .. zip_low + zip_span`; the ranges follow
//! the real ZIP prefixes of these cities closely enough that city, state and ZIP look
//! consistent, without claiming every drawn ZIP exists. Weights are rough populations in
//! thousands.

/// One city row: name, state code, first ZIP, number of ZIPs, weight.
#[derive(Clone, Copy, Debug)]
pub(crate) struct City {
    pub(crate) name: &'static str,
    pub(crate) state: &'static str,
    pub(crate) zip_low: u32,
    pub(crate) zip_span: u32,
    pub(crate) weight: u32,
}

const fn c(
    name: &'static str,
    state: &'static str,
    zip_low: u32,
    zip_span: u32,
    weight: u32,
) -> City {
    City {
        name,
        state,
        zip_low,
        zip_span,
        weight,
    }
}

/// Cities, roughly by state.
#[rustfmt::skip]
pub(crate) const CITIES: &[City] = &[
    c("BIRMINGHAM", "AL", 35203, 40, 200), c("MONTGOMERY", "AL", 36104, 20, 200), c("MOBILE", "AL", 36602, 20, 190),
    c("HUNTSVILLE", "AL", 35801, 16, 210), c("ANCHORAGE", "AK", 99501, 17, 290), c("FAIRBANKS", "AK", 99701, 9, 30),
    c("PHOENIX", "AZ", 85003, 52, 1600), c("TUCSON", "AZ", 85701, 45, 540), c("MESA", "AZ", 85201, 13, 500),
    c("CHANDLER", "AZ", 85224, 26, 270), c("GLENDALE", "AZ", 85301, 10, 250), c("SCOTTSDALE", "AZ", 85250, 10, 240),
    c("YUMA", "AZ", 85364, 4, 100), c("LITTLE ROCK", "AR", 72201, 23, 200), c("FORT SMITH", "AR", 72901, 8, 90),
    c("LOS ANGELES", "CA", 90001, 70, 3900), c("SAN DIEGO", "CA", 92101, 40, 1400), c("SAN JOSE", "CA", 95110, 30, 1000),
    c("SAN FRANCISCO", "CA", 94102, 33, 870), c("FRESNO", "CA", 93701, 30, 540), c("SACRAMENTO", "CA", 95811, 30, 520),
    c("LONG BEACH", "CA", 90802, 14, 460), c("OAKLAND", "CA", 94601, 20, 430), c("BAKERSFIELD", "CA", 93301, 13, 400),
    c("ANAHEIM", "CA", 92801, 8, 350), c("SANTA ANA", "CA", 92701, 7, 330), c("RIVERSIDE", "CA", 92501, 8, 330),
    c("STOCKTON", "CA", 95202, 14, 310), c("CHULA VISTA", "CA", 91910, 5, 270), c("FREMONT", "CA", 94536, 3, 230),
    c("SAN BERNARDINO", "CA", 92401, 10, 220), c("MODESTO", "CA", 95350, 8, 220), c("OXNARD", "CA", 93030, 6, 200),
    c("FONTANA", "CA", 92335, 3, 210), c("SALINAS", "CA", 93901, 7, 160), c("POMONA", "CA", 91766, 3, 150),
    c("EL MONTE", "CA", 91731, 3, 110), c("SANTA ROSA", "CA", 95401, 9, 180), c("DENVER", "CO", 80202, 38, 720),
    c("COLORADO SPRINGS", "CO", 80903, 30, 480), c("AURORA", "CO", 80010, 8, 390), c("FORT COLLINS", "CO", 80521, 8, 170),
    c("PUEBLO", "CO", 81001, 8, 110), c("BRIDGEPORT", "CT", 6604, 7, 150), c("NEW HAVEN", "CT", 6510, 10, 135),
    c("HARTFORD", "CT", 6103, 12, 120), c("STAMFORD", "CT", 6901, 6, 135), c("WATERBURY", "CT", 6702, 7, 115),
    c("WILMINGTON", "DE", 19801, 10, 70), c("DOVER", "DE", 19901, 4, 40), c("WASHINGTON", "DC", 20001, 37, 690),
    c("JACKSONVILLE", "FL", 32202, 56, 950), c("MIAMI", "FL", 33125, 60, 450), c("TAMPA", "FL", 33602, 35, 390),
    c("ORLANDO", "FL", 32801, 40, 310), c("ST PETERSBURG", "FL", 33701, 16, 260), c("HIALEAH", "FL", 33010, 6, 220),
    c("TALLAHASSEE", "FL", 32301, 12, 200), c("FORT LAUDERDALE", "FL", 33301, 15, 180), c("PORT ST LUCIE", "FL", 34952, 5, 200),
    c("CAPE CORAL", "FL", 33904, 6, 200), c("KISSIMMEE", "FL", 34741, 6, 80), c("HOMESTEAD", "FL", 33030, 5, 80),
    c("ATLANTA", "GA", 30303, 40, 500), c("AUGUSTA", "GA", 30901, 10, 200), c("COLUMBUS", "GA", 31901, 10, 200),
    c("SAVANNAH", "GA", 31401, 10, 150), c("ATHENS", "GA", 30601, 6, 130), c("MACON", "GA", 31201, 10, 150),
    c("DALTON", "GA", 30720, 2, 35), c("HONOLULU", "HI", 96813, 13, 350), c("HILO", "HI", 96720, 1, 45),
    c("BOISE", "ID", 83702, 15, 235), c("NAMPA", "ID", 83651, 6, 100), c("IDAHO FALLS", "ID", 83401, 6, 65),
    c("CHICAGO", "IL", 60601, 60, 2700), c("AURORA", "IL", 60502, 5, 180), c("JOLIET", "IL", 60431, 5, 150),
    c("ROCKFORD", "IL", 61101, 14, 150), c("SPRINGFIELD", "IL", 62701, 10, 115), c("PEORIA", "IL", 61602, 14, 110),
    c("CICERO", "IL", 60804, 1, 85), c("INDIANAPOLIS", "IN", 46201, 40, 880), c("FORT WAYNE", "IN", 46802, 24, 270),
    c("EVANSVILLE", "IN", 47708, 10, 115), c("SOUTH BEND", "IN", 46601, 17, 100), c("DES MOINES", "IA", 50309, 15, 215),
    c("CEDAR RAPIDS", "IA", 52401, 5, 135), c("SIOUX CITY", "IA", 51101, 6, 85), c("WICHITA", "KS", 67202, 28, 395),
    c("KANSAS CITY", "KS", 66101, 12, 155), c("DODGE CITY", "KS", 67801, 1, 28), c("LOUISVILLE", "KY", 40202, 30, 630),
    c("LEXINGTON", "KY", 40502, 16, 320), c("NEW ORLEANS", "LA", 70112, 20, 380), c("BATON ROUGE", "LA", 70801, 20, 220),
    c("SHREVEPORT", "LA", 71101, 20, 180), c("LAFAYETTE", "LA", 70501, 8, 120), c("PORTLAND", "ME", 4101, 3, 68),
    c("LEWISTON", "ME", 4240, 1, 37), c("BALTIMORE", "MD", 21201, 40, 580), c("SILVER SPRING", "MD", 20901, 6, 80),
    c("FREDERICK", "MD", 21701, 3, 80), c("GAITHERSBURG", "MD", 20877, 3, 70), c("BOSTON", "MA", 2108, 30, 650),
    c("WORCESTER", "MA", 1602, 9, 205), c("SPRINGFIELD", "MA", 1103, 17, 155), c("LOWELL", "MA", 1850, 5, 115),
    c("CAMBRIDGE", "MA", 2138, 4, 118), c("LAWRENCE", "MA", 1840, 4, 90), c("LYNN", "MA", 1901, 5, 100),
    c("BROCKTON", "MA", 2301, 2, 105), c("DETROIT", "MI", 48201, 35, 640), c("GRAND RAPIDS", "MI", 49503, 10, 200),
    c("WARREN", "MI", 48088, 4, 140), c("LANSING", "MI", 48906, 6, 115), c("DEARBORN", "MI", 48120, 9, 110),
    c("FLINT", "MI", 48502, 6, 80), c("HAMTRAMCK", "MI", 48212, 1, 28), c("MINNEAPOLIS", "MN", 55401, 30, 430),
    c("ST PAUL", "MN", 55101, 20, 310), c("ROCHESTER", "MN", 55901, 6, 120), c("JACKSON", "MS", 39201, 20, 150),
    c("GULFPORT", "MS", 39501, 7, 72), c("KANSAS CITY", "MO", 64101, 50, 510), c("ST LOUIS", "MO", 63101, 40, 300),
    c("SPRINGFIELD", "MO", 65802, 8, 170), c("BILLINGS", "MT", 59101, 6, 117), c("MISSOULA", "MT", 59801, 8, 75),
    c("OMAHA", "NE", 68102, 35, 480), c("LINCOLN", "NE", 68502, 25, 290), c("GRAND ISLAND", "NE", 68801, 3, 50),
    c("LAS VEGAS", "NV", 89101, 50, 640), c("HENDERSON", "NV", 89002, 1, 320), c("RENO", "NV", 89501, 23, 260),
    c("NORTH LAS VEGAS", "NV", 89030, 3, 260), c("MANCHESTER", "NH", 3101, 3, 115), c("NASHUA", "NH", 3060, 4, 91),
    c("NEWARK", "NJ", 7102, 13, 310), c("JERSEY CITY", "NJ", 7302, 5, 290), c("PATERSON", "NJ", 7501, 14, 160),
    c("ELIZABETH", "NJ", 7201, 8, 135), c("TRENTON", "NJ", 8608, 11, 90), c("CAMDEN", "NJ", 8102, 4, 71),
    c("UNION CITY", "NJ", 7087, 1, 68), c("PASSAIC", "NJ", 7055, 1, 70), c("PERTH AMBOY", "NJ", 8861, 1, 55),
    c("ALBUQUERQUE", "NM", 87102, 20, 560), c("LAS CRUCES", "NM", 88001, 12, 110), c("SANTA FE", "NM", 87501, 8, 88),
    c("NEW YORK", "NY", 10001, 40, 1600), c("BROOKLYN", "NY", 11201, 40, 2600), c("BRONX", "NY", 10451, 25, 1400),
    c("STATEN ISLAND", "NY", 10301, 14, 490), c("JAMAICA", "NY", 11432, 4, 220), c("FLUSHING", "NY", 11354, 5, 250),
    c("ASTORIA", "NY", 11101, 6, 160), c("BUFFALO", "NY", 14201, 25, 270), c("ROCHESTER", "NY", 14604, 25, 210),
    c("YONKERS", "NY", 10701, 10, 200), c("SYRACUSE", "NY", 13202, 20, 145), c("ALBANY", "NY", 12202, 10, 100),
    c("HEMPSTEAD", "NY", 11550, 3, 55), c("CHARLOTTE", "NC", 28202, 76, 870), c("RALEIGH", "NC", 27601, 17, 470),
    c("GREENSBORO", "NC", 27401, 20, 300), c("DURHAM", "NC", 27701, 13, 280), c("WINSTON SALEM", "NC", 27101, 28, 250),
    c("FAYETTEVILLE", "NC", 28301, 15, 210), c("FARGO", "ND", 58102, 5, 125), c("BISMARCK", "ND", 58501, 4, 73),
    c("COLUMBUS", "OH", 43201, 36, 900), c("CLEVELAND", "OH", 44102, 40, 380), c("CINCINNATI", "OH", 45202, 50, 300),
    c("TOLEDO", "OH", 43604, 20, 270), c("AKRON", "OH", 44301, 20, 190), c("DAYTON", "OH", 45402, 30, 140),
    c("OKLAHOMA CITY", "OK", 73102, 40, 680), c("TULSA", "OK", 74103, 34, 410), c("PORTLAND", "OR", 97201, 30, 650),
    c("SALEM", "OR", 97301, 7, 175), c("EUGENE", "OR", 97401, 5, 175), c("PHILADELPHIA", "PA", 19102, 53, 1580),
    c("PITTSBURGH", "PA", 15201, 36, 300), c("ALLENTOWN", "PA", 18101, 9, 125), c("READING", "PA", 19601, 6, 95),
    c("ERIE", "PA", 16501, 10, 95), c("SCRANTON", "PA", 18503, 8, 76), c("LANCASTER", "PA", 17601, 3, 58),
    c("PROVIDENCE", "RI", 2903, 7, 190), c("PAWTUCKET", "RI", 2860, 2, 75), c("CRANSTON", "RI", 2905, 6, 82),
    c("CHARLESTON", "SC", 29401, 14, 150), c("COLUMBIA", "SC", 29201, 12, 137), c("GREENVILLE", "SC", 29601, 15, 70),
    c("SIOUX FALLS", "SD", 57103, 6, 190), c("RAPID CITY", "SD", 57701, 3, 75), c("NASHVILLE", "TN", 37201, 20, 690),
    c("MEMPHIS", "TN", 38103, 35, 630), c("KNOXVILLE", "TN", 37902, 20, 190), c("CHATTANOOGA", "TN", 37402, 20, 180),
    c("HOUSTON", "TX", 77002, 98, 2300), c("SAN ANTONIO", "TX", 78201, 60, 1450), c("DALLAS", "TX", 75201, 54, 1300),
    c("AUSTIN", "TX", 78701, 50, 960), c("FORT WORTH", "TX", 76102, 80, 920), c("EL PASO", "TX", 79901, 38, 680),
    c("ARLINGTON", "TX", 76001, 18, 390), c("CORPUS CHRISTI", "TX", 78401, 18, 320), c("PLANO", "TX", 75023, 4, 285),
    c("LAREDO", "TX", 78040, 6, 260), c("LUBBOCK", "TX", 79401, 24, 260), c("IRVING", "TX", 75038, 5, 250),
    c("GARLAND", "TX", 75040, 5, 240), c("BROWNSVILLE", "TX", 78520, 7, 185), c("MCALLEN", "TX", 78501, 4, 145),
    c("PASADENA", "TX", 77502, 5, 150), c("AMARILLO", "TX", 79101, 20, 200), c("EDINBURG", "TX", 78539, 3, 100),
    c("HARLINGEN", "TX", 78550, 3, 72), c("PHARR", "TX", 78577, 1, 80), c("SALT LAKE CITY", "UT", 84101, 20, 200),
    c("WEST VALLEY CITY", "UT", 84119, 2, 140), c("PROVO", "UT", 84601, 6, 115), c("BURLINGTON", "VT", 5401, 8, 45),
    c("VIRGINIA BEACH", "VA", 23451, 14, 450), c("NORFOLK", "VA", 23502, 19, 240), c("CHESAPEAKE", "VA", 23320, 4, 250),
    c("RICHMOND", "VA", 23219, 20, 230), c("ARLINGTON", "VA", 22201, 13, 235), c("ALEXANDRIA", "VA", 22301, 14, 155),
    c("ANNANDALE", "VA", 22003, 1, 43), c("SEATTLE", "WA", 98101, 99, 750), c("SPOKANE", "WA", 99201, 24, 230),
    c("TACOMA", "WA", 98402, 21, 220), c("VANCOUVER", "WA", 98660, 26, 190), c("YAKIMA", "WA", 98901, 8, 97),
    c("KENT", "WA", 98030, 3, 135), c("CHARLESTON", "WV", 25301, 13, 47), c("HUNTINGTON", "WV", 25701, 5, 45),
    c("MILWAUKEE", "WI", 53202, 33, 570), c("MADISON", "WI", 53703, 16, 270), c("GREEN BAY", "WI", 54301, 11, 107),
    c("CHEYENNE", "WY", 82001, 9, 65), c("CASPER", "WY", 82601, 9, 59), c("SAN JUAN", "PR", 901, 30, 340),
    c("BAYAMON", "PR", 956, 6, 180), c("PONCE", "PR", 716, 18, 130), c("CAGUAS", "PR", 725, 3, 125),
];

/// USPS state codes with their full names.
#[rustfmt::skip]
pub const STATES: &[(&str, &str)] = &[
    ("AL", "ALABAMA"), ("AK", "ALASKA"), ("AZ", "ARIZONA"), ("AR", "ARKANSAS"), ("CA", "CALIFORNIA"),
    ("CO", "COLORADO"), ("CT", "CONNECTICUT"), ("DE", "DELAWARE"), ("DC", "DISTRICT OF COLUMBIA"),
    ("FL", "FLORIDA"), ("GA", "GEORGIA"), ("HI", "HAWAII"), ("ID", "IDAHO"), ("IL", "ILLINOIS"),
    ("IN", "INDIANA"), ("IA", "IOWA"), ("KS", "KANSAS"), ("KY", "KENTUCKY"), ("LA", "LOUISIANA"),
    ("ME", "MAINE"), ("MD", "MARYLAND"), ("MA", "MASSACHUSETTS"), ("MI", "MICHIGAN"),
    ("MN", "MINNESOTA"), ("MS", "MISSISSIPPI"), ("MO", "MISSOURI"), ("MT", "MONTANA"),
    ("NE", "NEBRASKA"), ("NV", "NEVADA"), ("NH", "NEW HAMPSHIRE"), ("NJ", "NEW JERSEY"),
    ("NM", "NEW MEXICO"), ("NY", "NEW YORK"), ("NC", "NORTH CAROLINA"), ("ND", "NORTH DAKOTA"),
    ("OH", "OHIO"), ("OK", "OKLAHOMA"), ("OR", "OREGON"), ("PA", "PENNSYLVANIA"),
    ("RI", "RHODE ISLAND"), ("SC", "SOUTH CAROLINA"), ("SD", "SOUTH DAKOTA"), ("TN", "TENNESSEE"),
    ("TX", "TEXAS"), ("UT", "UTAH"), ("VT", "VERMONT"), ("VA", "VIRGINIA"), ("WA", "WASHINGTON"),
    ("WV", "WEST VIRGINIA"), ("WI", "WISCONSIN"), ("WY", "WYOMING"), ("PR", "PUERTO RICO"),
];
