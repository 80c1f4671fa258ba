//! The normalizer: `normalize_text`, `normalize` (names, suffixes, addresses, ZIP, date
//! of birth) and the match keys built from its output.
//!
//! Input: text (invalid UTF-8 replaced) split on `|` into the ten record fields. Checked,
//! as documented: `normalize_text` is idempotent and yields `[A-Z0-9]` tokens separated by
//! single spaces; name parts are non-empty `[A-Z0-9]` tokens; a ZIP5 is five digits and a
//! date of birth a valid `YYYY-MM-DD`, both stable when normalized again; `normalize` is
//! deterministic; match keys are sorted and deduplicated, and the requester's keys of a
//! record are a subset of the holder's keys of the same record.
#![no_main]

use blindlink_core::match_key::{KeySide, RuleSet, match_keys};
use blindlink_core::normalize::{normalize, normalize_text};
use blindlink_core::record::Record;
use libfuzzer_sys::fuzz_target;

fn is_folded(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ')
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('|');
    let fields: [&str; 10] = std::array::from_fn(|_| parts.next().unwrap_or(""));

    for field in fields {
        let once = normalize_text(field);
        assert!(is_folded(&once), "normalize_text output {once:?}");
        assert_eq!(
            normalize_text(&once),
            once,
            "normalize_text is not idempotent"
        );
    }

    let record = Record::from_fields(fields);
    let n = normalize(&record);
    assert_eq!(normalize(&record), n, "normalize is not deterministic");

    for name in n
        .given_names
        .iter()
        .chain(&n.family_names)
        .chain(&n.surname_variants)
    {
        assert!(is_token(name), "name part {name:?}");
    }
    for name in [&n.first_given, &n.first_given_canonical]
        .into_iter()
        .flatten()
    {
        assert!(is_token(name), "first given {name:?}");
    }
    assert_eq!(n.first_given.is_some(), n.first_given_canonical.is_some());
    if n.family_names.is_empty() {
        assert!(n.surname_variants.is_empty());
    }

    if let Some(zip) = &n.zip5 {
        assert!(
            zip.len() == 5 && zip.bytes().all(|b| b.is_ascii_digit()),
            "zip5 {zip:?}"
        );
        let again = normalize(&Record {
            zip: zip.clone(),
            ..Record::default()
        });
        assert_eq!(again.zip5.as_ref(), Some(zip), "zip5 is not stable");
    }
    if let Some(dob) = &n.dob {
        let b = dob.as_bytes();
        assert!(b.len() == 10 && b[4] == b'-' && b[7] == b'-', "dob {dob:?}");
        let again = normalize(&Record {
            dob: Some(dob.clone()),
            ..Record::default()
        });
        assert_eq!(again.dob.as_ref(), Some(dob), "dob is not stable");
    }

    let holder = match_keys(&n, RuleSet::all(), KeySide::Holder);
    let requester = match_keys(&n, RuleSet::all(), KeySide::Requester);
    for keys in [&holder, &requester] {
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "keys not sorted and unique"
        );
    }
    for key in &requester {
        assert!(
            holder.binary_search(key).is_ok(),
            "requester key missing on the holder side"
        );
    }
});
