//! USPS Publication 28, Appendix C1 "Street Suffix Abbreviations": every primary street
//! suffix name with its commonly used spellings, mapped to the Postal Service standard
//! abbreviation. Written from the publication's table (one row per primary name).
//!
//! Lookups go through [`standard_suffix`], a hash map built once. A standard abbreviation
//! always maps to itself, even where C1 also lists it as a spelling of another suffix
//! (C1 lists `MDW` under MEADOWS and `HT` under HEIGHTS; here `MDW` stays MEADOW's `MDW`).

use std::collections::HashMap;
use std::sync::LazyLock;

/// `(primary name, standard abbreviation, common spellings)`, in C1 order.
pub(crate) static USPS_C1: &[(&str, &str, &[&str])] = &[
    ("ALLEY", "ALY", &["ALLEE", "ALLEY", "ALLY", "ALY"]),
    ("ANEX", "ANX", &["ANEX", "ANNEX", "ANNX", "ANX"]),
    ("ARCADE", "ARC", &["ARC", "ARCADE"]),
    (
        "AVENUE",
        "AVE",
        &["AV", "AVE", "AVEN", "AVENU", "AVENUE", "AVN", "AVNUE"],
    ),
    ("BAYOU", "BYU", &["BAYOO", "BAYOU", "BYU"]),
    ("BEACH", "BCH", &["BCH", "BEACH"]),
    ("BEND", "BND", &["BEND", "BND"]),
    ("BLUFF", "BLF", &["BLF", "BLUF", "BLUFF"]),
    ("BLUFFS", "BLFS", &["BLFS", "BLUFFS"]),
    ("BOTTOM", "BTM", &["BOT", "BTM", "BOTTM", "BOTTOM"]),
    ("BOULEVARD", "BLVD", &["BLVD", "BOUL", "BOULEVARD", "BOULV"]),
    ("BRANCH", "BR", &["BR", "BRNCH", "BRANCH"]),
    ("BRIDGE", "BRG", &["BRDGE", "BRG", "BRIDGE"]),
    ("BROOK", "BRK", &["BRK", "BROOK"]),
    ("BROOKS", "BRKS", &["BRKS", "BROOKS"]),
    ("BURG", "BG", &["BG", "BURG"]),
    ("BURGS", "BGS", &["BGS", "BURGS"]),
    ("BYPASS", "BYP", &["BYP", "BYPA", "BYPAS", "BYPASS", "BYPS"]),
    ("CAMP", "CP", &["CAMP", "CP", "CMP"]),
    ("CANYON", "CYN", &["CANYN", "CANYON", "CNYN", "CYN"]),
    ("CAPE", "CPE", &["CAPE", "CPE"]),
    ("CAUSEWAY", "CSWY", &["CAUSEWAY", "CAUSWA", "CSWY"]),
    (
        "CENTER",
        "CTR",
        &[
            "CEN", "CENT", "CENTER", "CENTR", "CENTRE", "CNTER", "CNTR", "CTR",
        ],
    ),
    ("CENTERS", "CTRS", &["CENTERS", "CTRS"]),
    (
        "CIRCLE",
        "CIR",
        &["CIR", "CIRC", "CIRCL", "CIRCLE", "CRCL", "CRCLE"],
    ),
    ("CIRCLES", "CIRS", &["CIRCLES", "CIRS"]),
    ("CLIFF", "CLF", &["CLF", "CLIFF"]),
    ("CLIFFS", "CLFS", &["CLFS", "CLIFFS"]),
    ("CLUB", "CLB", &["CLB", "CLUB"]),
    ("COMMON", "CMN", &["CMN", "COMMON"]),
    ("COMMONS", "CMNS", &["CMNS", "COMMONS"]),
    ("CORNER", "COR", &["COR", "CORNER"]),
    ("CORNERS", "CORS", &["CORNERS", "CORS"]),
    ("COURSE", "CRSE", &["COURSE", "CRSE"]),
    ("COURT", "CT", &["COURT", "CT"]),
    ("COURTS", "CTS", &["COURTS", "CTS"]),
    ("COVE", "CV", &["COVE", "CV"]),
    ("COVES", "CVS", &["COVES", "CVS"]),
    ("CREEK", "CRK", &["CREEK", "CRK"]),
    ("CRESCENT", "CRES", &["CRESCENT", "CRES", "CRSENT", "CRSNT"]),
    ("CREST", "CRST", &["CREST", "CRST"]),
    ("CROSSING", "XING", &["CROSSING", "CRSSNG", "XING"]),
    ("CROSSROAD", "XRD", &["CROSSROAD", "XRD"]),
    ("CROSSROADS", "XRDS", &["CROSSROADS", "XRDS"]),
    ("CURVE", "CURV", &["CURVE", "CURV"]),
    ("DALE", "DL", &["DALE", "DL"]),
    ("DAM", "DM", &["DAM", "DM"]),
    ("DIVIDE", "DV", &["DIV", "DIVIDE", "DV", "DVD"]),
    ("DRIVE", "DR", &["DR", "DRIV", "DRIVE", "DRV"]),
    ("DRIVES", "DRS", &["DRIVES", "DRS"]),
    ("ESTATE", "EST", &["EST", "ESTATE"]),
    ("ESTATES", "ESTS", &["ESTATES", "ESTS"]),
    (
        "EXPRESSWAY",
        "EXPY",
        &["EXP", "EXPR", "EXPRESS", "EXPRESSWAY", "EXPW", "EXPY"],
    ),
    ("EXTENSION", "EXT", &["EXT", "EXTENSION", "EXTN", "EXTNSN"]),
    ("EXTENSIONS", "EXTS", &["EXTENSIONS", "EXTS"]),
    ("FALL", "FALL", &["FALL"]),
    ("FALLS", "FLS", &["FALLS", "FLS"]),
    ("FERRY", "FRY", &["FERRY", "FRRY", "FRY"]),
    ("FIELD", "FLD", &["FIELD", "FLD"]),
    ("FIELDS", "FLDS", &["FIELDS", "FLDS"]),
    ("FLAT", "FLT", &["FLAT", "FLT"]),
    ("FLATS", "FLTS", &["FLATS", "FLTS"]),
    ("FORD", "FRD", &["FORD", "FRD"]),
    ("FORDS", "FRDS", &["FORDS", "FRDS"]),
    ("FOREST", "FRST", &["FOREST", "FORESTS", "FRST"]),
    ("FORGE", "FRG", &["FORG", "FORGE", "FRG"]),
    ("FORGES", "FRGS", &["FORGES", "FRGS"]),
    ("FORK", "FRK", &["FORK", "FRK"]),
    ("FORKS", "FRKS", &["FORKS", "FRKS"]),
    ("FORT", "FT", &["FORT", "FRT", "FT"]),
    (
        "FREEWAY",
        "FWY",
        &["FREEWAY", "FREEWY", "FRWAY", "FRWY", "FWY"],
    ),
    (
        "GARDEN",
        "GDN",
        &["GARDEN", "GARDN", "GDN", "GRDEN", "GRDN"],
    ),
    ("GARDENS", "GDNS", &["GARDENS", "GDNS", "GRDNS"]),
    (
        "GATEWAY",
        "GTWY",
        &["GATEWAY", "GATEWY", "GATWAY", "GTWAY", "GTWY"],
    ),
    ("GLEN", "GLN", &["GLEN", "GLN"]),
    ("GLENS", "GLNS", &["GLENS", "GLNS"]),
    ("GREEN", "GRN", &["GREEN", "GRN"]),
    ("GREENS", "GRNS", &["GREENS", "GRNS"]),
    ("GROVE", "GRV", &["GROV", "GROVE", "GRV"]),
    ("GROVES", "GRVS", &["GROVES", "GRVS"]),
    (
        "HARBOR",
        "HBR",
        &["HARB", "HARBOR", "HARBR", "HBR", "HRBOR"],
    ),
    ("HARBORS", "HBRS", &["HARBORS", "HBRS"]),
    ("HAVEN", "HVN", &["HAVEN", "HVN"]),
    ("HEIGHTS", "HTS", &["HEIGHTS", "HT", "HTS"]),
    (
        "HIGHWAY",
        "HWY",
        &["HIGHWAY", "HIGHWY", "HIWAY", "HIWY", "HWAY", "HWY"],
    ),
    ("HILL", "HL", &["HILL", "HL"]),
    ("HILLS", "HLS", &["HILLS", "HLS"]),
    (
        "HOLLOW",
        "HOLW",
        &["HLLW", "HOLLOW", "HOLLOWS", "HOLW", "HOLWS"],
    ),
    ("INLET", "INLT", &["INLET", "INLT"]),
    ("ISLAND", "IS", &["IS", "ISLAND", "ISLND"]),
    ("ISLANDS", "ISS", &["ISLANDS", "ISLNDS", "ISS"]),
    ("ISLE", "ISLE", &["ISLE", "ISLES"]),
    (
        "JUNCTION",
        "JCT",
        &["JCT", "JCTION", "JCTN", "JUNCTION", "JUNCTN", "JUNCTON"],
    ),
    ("JUNCTIONS", "JCTS", &["JCTNS", "JCTS", "JUNCTIONS"]),
    ("KEY", "KY", &["KEY", "KY"]),
    ("KEYS", "KYS", &["KEYS", "KYS"]),
    ("KNOLL", "KNL", &["KNL", "KNOL", "KNOLL"]),
    ("KNOLLS", "KNLS", &["KNLS", "KNOLLS"]),
    ("LAKE", "LK", &["LK", "LAKE"]),
    ("LAKES", "LKS", &["LKS", "LAKES"]),
    ("LAND", "LAND", &["LAND"]),
    ("LANDING", "LNDG", &["LANDING", "LNDG", "LNDNG"]),
    ("LANE", "LN", &["LANE", "LN"]),
    ("LIGHT", "LGT", &["LGT", "LIGHT"]),
    ("LIGHTS", "LGTS", &["LGTS", "LIGHTS"]),
    ("LOAF", "LF", &["LF", "LOAF"]),
    ("LOCK", "LCK", &["LCK", "LOCK"]),
    ("LOCKS", "LCKS", &["LCKS", "LOCKS"]),
    ("LODGE", "LDG", &["LDG", "LDGE", "LODG", "LODGE"]),
    ("LOOP", "LOOP", &["LOOP", "LOOPS"]),
    ("MALL", "MALL", &["MALL"]),
    ("MANOR", "MNR", &["MNR", "MANOR"]),
    ("MANORS", "MNRS", &["MANORS", "MNRS"]),
    ("MEADOW", "MDW", &["MEADOW"]),
    ("MEADOWS", "MDWS", &["MDW", "MDWS", "MEADOWS", "MEDOWS"]),
    ("MEWS", "MEWS", &["MEWS"]),
    ("MILL", "ML", &["MILL", "ML"]),
    ("MILLS", "MLS", &["MILLS", "MLS"]),
    ("MISSION", "MSN", &["MISSION", "MISSN", "MSN", "MSSN"]),
    ("MOTORWAY", "MTWY", &["MOTORWAY", "MTWY"]),
    ("MOUNT", "MT", &["MNT", "MT", "MOUNT"]),
    (
        "MOUNTAIN",
        "MTN",
        &["MNTAIN", "MNTN", "MOUNTAIN", "MOUNTIN", "MTIN", "MTN"],
    ),
    ("MOUNTAINS", "MTNS", &["MNTNS", "MOUNTAINS", "MTNS"]),
    ("NECK", "NCK", &["NCK", "NECK"]),
    ("ORCHARD", "ORCH", &["ORCH", "ORCHARD", "ORCHRD"]),
    ("OVAL", "OVAL", &["OVAL", "OVL"]),
    ("OVERPASS", "OPAS", &["OPAS", "OVERPASS"]),
    ("PARK", "PARK", &["PARK", "PRK"]),
    ("PARKS", "PARK", &["PARKS"]),
    (
        "PARKWAY",
        "PKWY",
        &["PARKWAY", "PARKWY", "PKWAY", "PKWY", "PKY"],
    ),
    ("PARKWAYS", "PKWY", &["PARKWAYS", "PKWYS"]),
    ("PASS", "PASS", &["PASS"]),
    ("PASSAGE", "PSGE", &["PASSAGE", "PSGE"]),
    ("PATH", "PATH", &["PATH", "PATHS"]),
    ("PIKE", "PIKE", &["PIKE", "PIKES"]),
    ("PINE", "PNE", &["PINE", "PNE"]),
    ("PINES", "PNES", &["PINES", "PNES"]),
    ("PLACE", "PL", &["PL", "PLACE"]),
    ("PLAIN", "PLN", &["PLAIN", "PLN"]),
    ("PLAINS", "PLNS", &["PLAINS", "PLNS"]),
    ("PLAZA", "PLZ", &["PLAZA", "PLZ", "PLZA"]),
    ("POINT", "PT", &["POINT", "PT"]),
    ("POINTS", "PTS", &["POINTS", "PTS"]),
    ("PORT", "PRT", &["PORT", "PRT"]),
    ("PORTS", "PRTS", &["PORTS", "PRTS"]),
    ("PRAIRIE", "PR", &["PR", "PRAIRIE", "PRR"]),
    ("RADIAL", "RADL", &["RAD", "RADIAL", "RADIEL", "RADL"]),
    ("RAMP", "RAMP", &["RAMP"]),
    ("RANCH", "RNCH", &["RANCH", "RANCHES", "RNCH", "RNCHS"]),
    ("RAPID", "RPD", &["RAPID", "RPD"]),
    ("RAPIDS", "RPDS", &["RAPIDS", "RPDS"]),
    ("REST", "RST", &["REST", "RST"]),
    ("RIDGE", "RDG", &["RDG", "RDGE", "RIDGE"]),
    ("RIDGES", "RDGS", &["RDGS", "RIDGES"]),
    ("RIVER", "RIV", &["RIV", "RIVER", "RVR", "RIVR"]),
    ("ROAD", "RD", &["RD", "ROAD"]),
    ("ROADS", "RDS", &["RDS", "ROADS"]),
    ("ROUTE", "RTE", &["ROUTE", "RTE"]),
    ("ROW", "ROW", &["ROW"]),
    ("RUE", "RUE", &["RUE"]),
    ("RUN", "RUN", &["RUN"]),
    ("SHOAL", "SHL", &["SHL", "SHOAL"]),
    ("SHOALS", "SHLS", &["SHLS", "SHOALS"]),
    ("SHORE", "SHR", &["SHOAR", "SHORE", "SHR"]),
    ("SHORES", "SHRS", &["SHOARS", "SHORES", "SHRS"]),
    ("SKYWAY", "SKWY", &["SKWY", "SKYWAY"]),
    ("SPRING", "SPG", &["SPG", "SPNG", "SPRING", "SPRNG"]),
    ("SPRINGS", "SPGS", &["SPGS", "SPNGS", "SPRINGS", "SPRNGS"]),
    ("SPUR", "SPUR", &["SPUR"]),
    ("SPURS", "SPUR", &["SPURS"]),
    ("SQUARE", "SQ", &["SQ", "SQR", "SQRE", "SQU", "SQUARE"]),
    ("SQUARES", "SQS", &["SQRS", "SQS", "SQUARES"]),
    ("STATION", "STA", &["STA", "STATION", "STATN", "STN"]),
    (
        "STRAVENUE",
        "STRA",
        &[
            "STRA",
            "STRAV",
            "STRAVEN",
            "STRAVENUE",
            "STRAVN",
            "STRVN",
            "STRVNUE",
        ],
    ),
    ("STREAM", "STRM", &["STREAM", "STREME", "STRM"]),
    ("STREET", "ST", &["STREET", "STRT", "ST", "STR"]),
    ("STREETS", "STS", &["STREETS", "STS"]),
    ("SUMMIT", "SMT", &["SMT", "SUMIT", "SUMITT", "SUMMIT"]),
    ("TERRACE", "TER", &["TER", "TERR", "TERRACE"]),
    ("THROUGHWAY", "TRWY", &["THROUGHWAY", "TRWY"]),
    ("TRACE", "TRCE", &["TRACE", "TRACES", "TRCE"]),
    ("TRACK", "TRAK", &["TRACK", "TRACKS", "TRAK", "TRK", "TRKS"]),
    ("TRAFFICWAY", "TRFY", &["TRAFFICWAY", "TRFY"]),
    ("TRAIL", "TRL", &["TRAIL", "TRAILS", "TRL", "TRLS"]),
    ("TRAILER", "TRLR", &["TRAILER", "TRLR", "TRLRS"]),
    (
        "TUNNEL",
        "TUNL",
        &["TUNEL", "TUNL", "TUNLS", "TUNNEL", "TUNNELS", "TUNNL"],
    ),
    ("TURNPIKE", "TPKE", &["TRNPK", "TPKE", "TURNPIKE", "TURNPK"]),
    ("UNDERPASS", "UPAS", &["UNDERPASS", "UPAS"]),
    ("UNION", "UN", &["UN", "UNION"]),
    ("UNIONS", "UNS", &["UNIONS", "UNS"]),
    ("VALLEY", "VLY", &["VALLEY", "VALLY", "VLLY", "VLY"]),
    ("VALLEYS", "VLYS", &["VALLEYS", "VLYS"]),
    ("VIADUCT", "VIA", &["VDCT", "VIA", "VIADCT", "VIADUCT"]),
    ("VIEW", "VW", &["VIEW", "VW"]),
    ("VIEWS", "VWS", &["VIEWS", "VWS"]),
    (
        "VILLAGE",
        "VLG",
        &["VILL", "VILLAG", "VILLAGE", "VILLG", "VILLIAGE", "VLG"],
    ),
    ("VILLAGES", "VLGS", &["VILLAGES", "VLGS"]),
    ("VILLE", "VL", &["VILLE", "VL"]),
    ("VISTA", "VIS", &["VIS", "VIST", "VISTA", "VST", "VSTA"]),
    ("WALK", "WALK", &["WALK"]),
    ("WALKS", "WALK", &["WALKS"]),
    ("WALL", "WALL", &["WALL"]),
    ("WAY", "WAY", &["WAY", "WY"]),
    ("WAYS", "WAYS", &["WAYS"]),
    ("WELL", "WL", &["WELL", "WL"]),
    ("WELLS", "WLS", &["WELLS", "WLS"]),
];

static BY_SPELLING: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    let mut map = HashMap::with_capacity(USPS_C1.len() * 4);
    for &(_, standard, spellings) in USPS_C1 {
        for &spelling in spellings {
            map.entry(spelling).or_insert(standard);
        }
    }
    for &(_, standard, _) in USPS_C1 {
        map.insert(standard, standard);
    }
    map
});

/// The USPS standard suffix abbreviation for a folded token (`AVENUE` -> `AVE`), if the
/// token is a C1 street suffix spelling.
pub(crate) fn standard_suffix(token: &str) -> Option<&'static str> {
    BY_SPELLING.get(token).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn table_is_the_full_c1_list() {
        assert!(USPS_C1.len() >= 200, "{} primary names", USPS_C1.len());
        let primaries: HashSet<_> = USPS_C1.iter().map(|r| r.0).collect();
        assert_eq!(primaries.len(), USPS_C1.len(), "duplicate primary name");
        for &(primary, standard, spellings) in USPS_C1 {
            assert!(spellings.contains(&primary), "{primary} lists itself");
            assert_eq!(standard_suffix(primary), Some(standard), "{primary}");
            assert_eq!(standard_suffix(standard), Some(standard), "{standard}");
        }
    }

    #[test]
    fn spellings_map_to_one_standard_except_documented_overlaps() {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for &(_, standard, spellings) in USPS_C1 {
            for &s in spellings {
                if let Some(prev) = seen.insert(s, standard) {
                    assert_eq!(prev, standard, "{s} maps to two standards");
                }
            }
        }
        assert_eq!(standard_suffix("MDW"), Some("MDW"));
        assert_eq!(standard_suffix("AVNUE"), Some("AVE"));
        assert_eq!(standard_suffix("HIWAY"), Some("HWY"));
        assert_eq!(standard_suffix("MAIN"), None);
    }
}
