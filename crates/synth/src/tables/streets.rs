//! Street names, USPS street suffixes, directionals and unit designators.
//!
//! Street names avoid words that are themselves suffixes or directionals (no "COURT ST",
//! no "NORTH SHORE DR") so that the abbreviation corruption only touches the tokens it
//! means to. Suffixes follow USPS Publication 28: the standard abbreviation, the full word
//! and a few other spellings Publication 28 also accepts.

/// Common street names with relative weights (numbered streets are drawn separately).
#[rustfmt::skip]
pub(crate) const STREET_NAMES: &[(&str, u32)] = &[
    ("MAIN", 100), ("PARK", 60), ("OAK", 70), ("PINE", 60), ("MAPLE", 65), ("CEDAR", 55),
    ("ELM", 55), ("WASHINGTON", 55), ("LAKE", 45), ("HILL", 45), ("WALNUT", 40), ("SPRING", 35),
    ("RIDGE", 30), ("CHURCH", 40), ("WILLOW", 35), ("MILL", 30), ("SUNSET", 35), ("JACKSON", 30),
    ("CHERRY", 30), ("HIGHLAND", 35), ("FRANKLIN", 35), ("JEFFERSON", 35), ("LINCOLN", 40),
    ("MADISON", 30), ("ADAMS", 25), ("MEADOW", 25), ("FOREST", 30), ("RIVER", 30), ("JOHNSON", 20),
    ("DOGWOOD", 20), ("HICKORY", 25), ("BIRCH", 20), ("CHESTNUT", 25), ("POPLAR", 20),
    ("SYCAMORE", 20), ("MAGNOLIA", 20), ("LAUREL", 20), ("ASH", 15), ("SPRUCE", 20),
    ("VALLEY", 25), ("COLLEGE", 25), ("CENTER", 30), ("MARKET", 30), ("UNION", 25),
    ("WATER", 25), ("BRIDGE", 15), ("SCHOOL", 20), ("HIGH", 30), ("ACADEMY", 10),
    ("PROSPECT", 20), ("PLEASANT", 20), ("FAIRVIEW", 20), ("GREEN", 20), ("LOCUST", 20),
    ("WOODLAND", 20), ("LAKEVIEW", 20), ("HILLSIDE", 15), ("RIVERSIDE", 20), ("ORCHARD", 15),
    ("VALLEY VIEW", 10), ("COUNTRY CLUB", 10), ("MARTIN LUTHER KING JR", 15), ("EL CAMINO REAL", 5),
    ("CAMINO DEL RIO", 4), ("LAS PALMAS", 5), ("SANTA FE", 6), ("VISTA DEL MAR", 3), ("ROSEWOOD", 10),
    ("GARFIELD", 15), ("GRANT", 15), ("KING", 10), ("STATE", 25), ("CENTRAL", 25),
    ("MONROE", 20), ("HAMILTON", 20), ("WILSON", 20), ("TAYLOR", 15), ("CLEVELAND", 15),
    ("KENNEDY", 15), ("ROOSEVELT", 20), ("HARRISON", 15), ("POLK", 10), ("TYLER", 10),
    ("ELMWOOD", 15), ("OAKWOOD", 15), ("BRIARWOOD", 10), ("GLENWOOD", 10), ("LINDEN", 15),
    ("HAWTHORNE", 10), ("BEECH", 10), ("CYPRESS", 15), ("PALM", 15), ("PEACHTREE", 8),
    ("SAN PEDRO", 6), ("ALAMEDA", 8), ("BAY", 10), ("OCEAN", 12), ("HARBOR", 10),
    ("BEACH", 10), ("MOUNTAIN", 10), ("CANYON", 10), ("MESA", 10), ("DESERT", 6),
    ("SUMMIT", 12), ("CREEK", 10), ("BROOK", 8), ("SPRINGFIELD", 6), ("AIRPORT", 10),
    ("RAILROAD", 8), ("DEPOT", 5), ("FERRY", 6), ("CHAPEL", 6), ("ATLANTIC", 10),
    ("PACIFIC", 10), ("COLUMBIA", 10), ("INDIAN", 8), ("PERSHING", 6), ("BELMONT", 10),
    ("CLINTON", 10), ("DELAWARE", 8), ("EUCLID", 8), ("FULTON", 8), ("HUDSON", 8),
    ("IRVING", 8), ("LAFAYETTE", 10), ("LEXINGTON", 8), ("MORNINGSIDE", 6), ("OLIVE", 10),
    ("ORANGE", 10), ("PEARL", 10), ("PENNSYLVANIA", 8), ("QUINCY", 6), ("ROSE", 8),
    ("SHERIDAN", 8), ("STEWART", 6), ("UNIVERSITY", 12), ("VERMONT", 8), ("VINE", 10),
    ("WARREN", 8), ("WEBSTER", 8), ("WOODWARD", 6), ("YORK", 8),
];

/// A street suffix: the Publication 28 abbreviation, the full word, other accepted
/// spellings, and a weight.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StreetSuffix {
    pub(crate) abbreviation: &'static str,
    pub(crate) full: &'static str,
    pub(crate) variants: &'static [&'static str],
    pub(crate) weight: u32,
}

const fn s(
    abbreviation: &'static str,
    full: &'static str,
    variants: &'static [&'static str],
    weight: u32,
) -> StreetSuffix {
    StreetSuffix {
        abbreviation,
        full,
        variants,
        weight,
    }
}

/// Street suffixes with relative weights.
#[rustfmt::skip]
pub(crate) const SUFFIXES: &[StreetSuffix] = &[
    s("ST", "STREET", &["STR", "STRT"], 300), s("AVE", "AVENUE", &["AV", "AVEN", "AVN"], 200),
    s("DR", "DRIVE", &["DRV", "DRIV"], 150), s("RD", "ROAD", &[], 120), s("LN", "LANE", &[], 60),
    s("CT", "COURT", &["CRT"], 50), s("BLVD", "BOULEVARD", &["BOUL", "BOULV"], 30),
    s("PL", "PLACE", &[], 30), s("WAY", "WAY", &["WY"], 30), s("CIR", "CIRCLE", &["CIRC", "CRCL"], 20),
    s("TER", "TERRACE", &["TERR"], 10), s("PKWY", "PARKWAY", &["PKY", "PARKWY"], 10),
    s("HWY", "HIGHWAY", &["HIWAY"], 8), s("TRL", "TRAIL", &[], 8), s("LOOP", "LOOP", &[], 5),
];

/// Directionals: abbreviation and full word.
#[rustfmt::skip]
pub(crate) const DIRECTIONALS: &[(&str, &str)] = &[
    ("N", "NORTH"), ("S", "SOUTH"), ("E", "EAST"), ("W", "WEST"),
    ("NE", "NORTHEAST"), ("NW", "NORTHWEST"), ("SE", "SOUTHEAST"), ("SW", "SOUTHWEST"),
];

/// Unit designators: abbreviation and full word (`#` has no word form).
#[rustfmt::skip]
pub(crate) const UNIT_DESIGNATORS: &[(&str, &str)] = &[
    ("APT", "APARTMENT"), ("STE", "SUITE"), ("UNIT", "UNIT"), ("#", "#"), ("FL", "FLOOR"),
    ("RM", "ROOM"),
];

/// Ordinal words for numbered streets 1 to 10 (FIRST .. TENTH).
#[rustfmt::skip]
pub(crate) const ORDINAL_WORDS: &[&str] = &[
    "FIRST", "SECOND", "THIRD", "FOURTH", "FIFTH", "SIXTH", "SEVENTH", "EIGHTH", "NINTH", "TENTH",
];

/// Renders `n` as a numeric ordinal: 1ST, 2ND, 3RD, 11TH, 42ND, 113TH.
pub(crate) fn numeric_ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "TH",
        (1, _) => "ST",
        (2, _) => "ND",
        (3, _) => "RD",
        _ => "TH",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_follow_english_rules() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 42, 101, 111, 113]
            .into_iter()
            .map(numeric_ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1ST", "2ND", "3RD", "4TH", "11TH", "12TH", "13TH", "21ST", "22ND", "42ND",
                "101ST", "111TH", "113TH"
            ]
        );
    }

    #[test]
    fn street_names_avoid_suffix_and_directional_words() {
        for (name, _) in STREET_NAMES {
            for token in name.split(' ') {
                assert!(
                    !SUFFIXES
                        .iter()
                        .any(|s| s.full == token || s.abbreviation == token),
                    "{name}"
                );
                assert!(
                    !DIRECTIONALS.iter().any(|d| d.0 == token || d.1 == token),
                    "{name}"
                );
            }
        }
    }
}
