//! ZIP codes: ZIP5 from ZIP, ZIP+4, or a ZIP that lost its leading zeros in a spreadsheet.

/// The 5-digit ZIP of a ZIP column value, or `None` when it is not a plausible ZIP.
///
/// - `02134`, `02134-1234`, `02134 1234`, `021341234` -> `02134`;
/// - leading zeros restored: `2134` -> `02134`, `501` -> `00501`, and a ZIP+4 stored as a
///   number, `21341234` (8 digits) -> `02134`;
/// - fewer than 3 digits, 10 or more digits, any other character, or `00000` -> `None`.
pub(crate) fn zip5(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let (head, plus4) = match raw.split_once(|c: char| c == '-' || c.is_whitespace()) {
        Some((head, tail)) => (head, Some(tail.trim())),
        None => (raw, None),
    };
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(tail) = plus4
        && (tail.len() > 4 || !tail.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let zip = match (head.len(), plus4) {
        (3..=5, _) => format!("{head:0>5}"),
        (6..=9, None) => format!("{head:0>9}").get(..5)?.to_owned(),
        _ => return None,
    };
    (zip != "00000").then_some(zip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_forms() {
        assert_eq!(zip5("02134").as_deref(), Some("02134"));
        assert_eq!(zip5(" 2134 ").as_deref(), Some("02134"));
        assert_eq!(zip5("02134-1234").as_deref(), Some("02134"));
        assert_eq!(zip5("2134-1234").as_deref(), Some("02134"));
        assert_eq!(zip5("21341234").as_deref(), Some("02134"));
        assert_eq!(zip5("021341234").as_deref(), Some("02134"));
        assert_eq!(zip5("501").as_deref(), Some("00501"));
        assert_eq!(zip5("12"), None);
        assert_eq!(zip5("0213412345"), None);
        assert_eq!(zip5("ABCDE"), None);
        assert_eq!(zip5("00000"), None);
        assert_eq!(zip5("02134-12a"), None);
        assert_eq!(zip5(""), None);
    }
}
