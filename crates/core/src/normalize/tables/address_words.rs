//! Address vocabulary besides street suffixes: directionals, secondary unit designators
//! (USPS Publication 28, Appendix C2, plus `#` and common spellings), spelled ordinals
//! and PO box / rural route markers. All folded (uppercase ASCII) tokens.

use crate::normalize::Directional;

/// A directional token, abbreviated or spelled (`N`, `NORTH`, `NE`, `NORTHEAST`).
pub(crate) fn directional(token: &str) -> Option<Directional> {
    use Directional::*;
    Some(match token {
        "N" | "NORTH" => North,
        "S" | "SOUTH" => South,
        "E" | "EAST" => East,
        "W" | "WEST" => West,
        "NE" | "NORTHEAST" => NorthEast,
        "NW" | "NORTHWEST" => NorthWest,
        "SE" | "SOUTHEAST" => SouthEast,
        "SW" | "SOUTHWEST" => SouthWest,
        _ => return None,
    })
}

/// Two spelled tokens forming one directional (`NORTH EAST` -> NE).
pub(crate) fn directional_pair(first: &str, second: &str) -> Option<Directional> {
    use Directional::*;
    Some(match (first, second) {
        ("NORTH", "EAST") => NorthEast,
        ("NORTH", "WEST") => NorthWest,
        ("SOUTH", "EAST") => SouthEast,
        ("SOUTH", "WEST") => SouthWest,
        _ => return None,
    })
}

/// How a secondary unit designator behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Designator {
    /// Always a unit marker, whatever follows (`APT`, `UNIT`, `STE`, `#`, `PMB`).
    Strong,
    /// A unit marker only when a unit-like value follows (`LOT 5`, `FL 2`): these words
    /// also occur in street names (`KEY WEST`, `FLOOR ST`).
    NeedsNumber,
    /// A unit with no number (`BSMT`, `REAR`); its standard abbreviation is the value.
    Bare(&'static str),
}

/// The designator kind of a token, if it is a unit designator.
pub(crate) fn unit_designator(token: &str) -> Option<Designator> {
    use Designator::*;
    Some(match token {
        "#" | "APT" | "APARTMENT" | "APTS" | "UNIT" | "STE" | "SUITE" | "PMB" => Strong,
        "NO" | "NUM" | "NUMBER" | "BLDG" | "BUILDING" | "DEPT" | "DEPARTMENT" | "FL" | "FLR"
        | "FLOOR" | "HNGR" | "HANGAR" | "KEY" | "LOT" | "PIER" | "RM" | "ROOM" | "SLIP" | "SPC"
        | "SPACE" | "STOP" | "TRLR" | "TRAILER" => NeedsNumber,
        "BSMT" | "BASEMENT" => Bare("BSMT"),
        "FRNT" | "FRONT" => Bare("FRNT"),
        "LBBY" | "LOBBY" => Bare("LBBY"),
        "LOWR" | "LOWER" => Bare("LOWR"),
        "OFC" | "OFFICE" => Bare("OFC"),
        "PH" | "PENTHOUSE" => Bare("PH"),
        "REAR" => Bare("REAR"),
        "SIDE" => Bare("SIDE"),
        "UPPR" | "UPPER" => Bare("UPPR"),
        _ => return None,
    })
}

/// Spelled ordinals that stand alone: FIRST..NINETEENTH, the tens, HUNDREDTH.
pub(crate) fn ordinal_word(token: &str) -> Option<u32> {
    if let Some(n) = unit_ordinal(token) {
        return Some(n);
    }
    Some(match token {
        "TENTH" => 10,
        "ELEVENTH" => 11,
        "TWELFTH" => 12,
        "THIRTEENTH" => 13,
        "FOURTEENTH" => 14,
        "FIFTEENTH" => 15,
        "SIXTEENTH" => 16,
        "SEVENTEENTH" => 17,
        "EIGHTEENTH" => 18,
        "NINETEENTH" => 19,
        "TWENTIETH" => 20,
        "THIRTIETH" => 30,
        "FORTIETH" => 40,
        "FIFTIETH" => 50,
        "SIXTIETH" => 60,
        "SEVENTIETH" => 70,
        "EIGHTIETH" => 80,
        "NINETIETH" => 90,
        "HUNDREDTH" => 100,
        _ => return None,
    })
}

/// FIRST..NINTH, the ordinals that can follow a tens word (`FORTY SECOND`).
pub(crate) fn unit_ordinal(token: &str) -> Option<u32> {
    Some(match token {
        "FIRST" => 1,
        "SECOND" => 2,
        "THIRD" => 3,
        "FOURTH" => 4,
        "FIFTH" => 5,
        "SIXTH" => 6,
        "SEVENTH" => 7,
        "EIGHTH" => 8,
        "NINTH" => 9,
        _ => return None,
    })
}

/// TWENTY..NINETY, the cardinal tens that start a compound ordinal.
pub(crate) fn tens_word(token: &str) -> Option<u32> {
    Some(match token {
        "TWENTY" => 20,
        "THIRTY" => 30,
        "FORTY" | "FOURTY" => 40,
        "FIFTY" => 50,
        "SIXTY" => 60,
        "SEVENTY" => 70,
        "EIGHTY" => 80,
        "NINETY" => 90,
        _ => return None,
    })
}

/// The English ordinal suffix of `n` (1ST, 2ND, 3RD, 4TH, 11TH, 12TH, 13TH, 21ST ...).
pub(crate) fn ordinal_suffix(n: u64) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "TH",
        (1, _) => "ST",
        (2, _) => "ND",
        (3, _) => "RD",
        _ => "TH",
    }
}

/// The PO box phrase starting at `tokens[0]`, as the number of tokens it spans
/// (`PO BOX`, `P O BOX`, `POST OFFICE BOX`, `PO BX`, `POB`, `BOX` ...).
pub(crate) fn po_box_phrase(tokens: &[&str]) -> Option<usize> {
    match tokens {
        ["POST", "OFFICE", "BOX" | "BX" | "DRAWER", ..] | ["P", "O", "BOX" | "BX" | "B", ..] => {
            Some(3)
        }
        ["PO" | "POST", "BOX" | "BX" | "DRAWER", ..] => Some(2),
        ["POB" | "POBOX" | "BOX" | "BX" | "DRAWER", ..] => Some(1),
        _ => None,
    }
}

/// The rural route / highway contract phrase at `tokens[0]` (`RR`, `RURAL ROUTE`, `HC`),
/// as `(tokens spanned, standard abbreviation)`.
pub(crate) fn rural_route_phrase(tokens: &[&str]) -> Option<(usize, &'static str)> {
    match tokens {
        ["RURAL", "ROUTE" | "RT" | "RTE", ..] => Some((2, "RR")),
        ["HIGHWAY", "CONTRACT", ..] => Some((2, "HC")),
        ["RR" | "RFD", ..] => Some((1, "RR")),
        ["HC" | "HCR", ..] => Some((1, "HC")),
        _ => None,
    }
}

/// Street suffixes after which a bare trailing number is part of the road's name
/// (`COUNTY RD 12`, `STATE HWY 9`), not a unit.
pub(crate) fn is_numbered_road(standard_suffix: &str) -> bool {
    matches!(
        standard_suffix,
        "RD" | "HWY" | "RTE" | "FWY" | "EXPY" | "PKWY" | "TPKE" | "BYP" | "SPUR" | "LOOP"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        assert_eq!(ordinal_word("FIRST"), Some(1));
        assert_eq!(ordinal_word("TWELFTH"), Some(12));
        assert_eq!(ordinal_word("TWENTIETH"), Some(20));
        assert_eq!(ordinal_word("FORTY"), None);
        let got: Vec<&str> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112]
            .into_iter()
            .map(ordinal_suffix)
            .collect();
        assert_eq!(
            got,
            [
                "ST", "ND", "RD", "TH", "TH", "TH", "TH", "ST", "ND", "RD", "ST", "TH", "TH"
            ]
        );
    }

    #[test]
    fn phrases() {
        assert_eq!(po_box_phrase(&["P", "O", "BOX", "17"]), Some(3));
        assert_eq!(po_box_phrase(&["POST", "OFFICE", "BOX", "17"]), Some(3));
        assert_eq!(po_box_phrase(&["PO", "BX", "17"]), Some(2));
        assert_eq!(po_box_phrase(&["BOX", "17"]), Some(1));
        assert_eq!(po_box_phrase(&["MAIN"]), None);
        assert_eq!(
            rural_route_phrase(&["RURAL", "ROUTE", "2"]),
            Some((2, "RR"))
        );
        assert_eq!(
            directional_pair("SOUTH", "WEST"),
            Some(Directional::SouthWest)
        );
    }
}
