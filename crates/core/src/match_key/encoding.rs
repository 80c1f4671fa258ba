//! The byte encoding of one match key (specified in the [`crate::match_key`] module docs).

use super::MatchRule;

/// Domain separation prefix of every v1 key.
pub const KEY_DOMAIN: &[u8] = b"blindlink/v1/";

/// Field count of each rule, in [`MatchRule::ALL`] order.
pub(crate) const FIELD_COUNT: [usize; 4] = [11, 6, 6, 4];

/// `KEY_DOMAIN || rule id || (u16 big-endian length || bytes)` for each field; `None`
/// when a field is longer than 65535 bytes (no key rather than a truncated one).
pub(crate) fn encode_key(rule: MatchRule, fields: &[&str]) -> Option<Vec<u8>> {
    debug_assert_eq!(FIELD_COUNT.get(rule.index()), Some(&fields.len()));
    let len = KEY_DOMAIN.len() + 2 + fields.iter().map(|f| 2 + f.len()).sum::<usize>();
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(KEY_DOMAIN);
    out.extend_from_slice(rule.id().as_bytes());
    for field in fields {
        let n = u16::try_from(field.len()).ok()?;
        out.extend_from_slice(&n.to_be_bytes());
        out.extend_from_slice(field.as_bytes());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_and_oversize_field() {
        let key = encode_key(MatchRule::R4NameDob, &["A", "", "1980-01-01", "JR"]).unwrap();
        assert_eq!(
            key,
            b"blindlink/v1/R4\x00\x01A\x00\x00\x00\x0a1980-01-01\x00\x02JR".to_vec()
        );
        let long = "X".repeat(70_000);
        assert_eq!(encode_key(MatchRule::R4NameDob, &[&long, "", "", ""]), None);
    }
}
