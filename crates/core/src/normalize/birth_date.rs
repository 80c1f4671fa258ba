//! Dates of birth: strict `YYYY-MM-DD`, checked against the calendar.

/// Earliest accepted birth year; earlier values are placeholders (`0001-01-01`).
const MIN_YEAR: u32 = 1850;
/// Latest accepted birth year (the library has no clock; callers may check further).
const MAX_YEAR: u32 = 2199;

/// The date of birth if it is a real calendar date written `YYYY-MM-DD` (surrounding
/// whitespace allowed) with a year in 1850..=2199, else `None`.
pub(crate) fn birth_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let year = number(s.get(0..4)?)?;
    let month = number(s.get(5..7)?)?;
    let day = number(s.get(8..10)?)?;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((MIN_YEAR..=MAX_YEAR).contains(&year) && (1..=days_in_month).contains(&day))
        .then(|| s.to_owned())
}

fn number(digits: &str) -> Option<u32> {
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_checks() {
        assert_eq!(birth_date(" 1980-02-29 ").as_deref(), Some("1980-02-29"));
        assert_eq!(birth_date("2000-02-29").as_deref(), Some("2000-02-29"));
        assert_eq!(birth_date("1900-02-29"), None);
        assert_eq!(birth_date("1981-02-29"), None);
        assert_eq!(birth_date("1980-04-31"), None);
        assert_eq!(birth_date("1980-13-01"), None);
        assert_eq!(birth_date("1980-00-10"), None);
        assert_eq!(birth_date("0001-01-01"), None);
        assert_eq!(birth_date("1980/01/01"), None);
        assert_eq!(birth_date("1980-1-01"), None);
        assert_eq!(birth_date("+980-01-01"), None);
        assert_eq!(birth_date("１９８０-01-01"), None);
    }
}
