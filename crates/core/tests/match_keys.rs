//! Match keys: the same person written two ways shares a key at the expected rule,
//! different people share none, suffix asymmetry, the pinned byte encoding, and the
//! local-uniqueness filter.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{HashMap, HashSet};

use blindlink_core::match_key::{
    KeySide, MatchKey, MatchRule, RuleSet, match_keys, nysiis, retain_locally_unique,
};
use blindlink_core::normalize::normalize;
use blindlink_core::record::Record;
use proptest::prelude::*;

/// given, family, suffix, street, unit, zip, dob
fn rec(
    given: &str,
    family: &str,
    suffix: &str,
    street: &str,
    unit: &str,
    zip: &str,
    dob: &str,
) -> Record {
    Record::from_fields([
        "id", given, family, suffix, street, unit, "BOSTON", "MA", zip, dob,
    ])
}

fn keys(r: &Record, side: KeySide) -> Vec<MatchKey> {
    match_keys(&normalize(r), RuleSet::all(), side)
}

/// The strongest rule on which the holder's record and the requester's record share a key.
fn strongest_common(holder: &Record, requester: &Record) -> Option<MatchRule> {
    let held: HashSet<Vec<u8>> = keys(holder, KeySide::Holder)
        .into_iter()
        .map(|k| k.bytes)
        .collect();
    keys(requester, KeySide::Requester)
        .into_iter()
        .filter(|k| held.contains(&k.bytes))
        .map(|k| k.rule)
        .min()
}

fn base() -> Record {
    rec(
        "José",
        "Muñoz",
        "",
        "12 Park Avenue",
        "",
        "02134",
        "1980-02-29",
    )
}

#[test]
fn same_person_written_two_ways_matches_at_the_expected_rule() {
    let r1 = Some(MatchRule::R1Exact);
    let cases: Vec<(&str, Record, Record, Option<MatchRule>)> = vec![
        (
            "case, accents, punctuation, USPS suffix, ZIP+4",
            base(),
            rec("jose", "MUNOZ.", "", "12 park ave.", "", "02134-1234", ""),
            r1,
        ),
        (
            "ZIP lost its leading zero",
            base(),
            rec("JOSE", "MUNOZ", "", "12 PARK AVE", "", "2134", ""),
            r1,
        ),
        (
            "nickname",
            rec("Pepe", "Muñoz", "", "12 Park Ave", "", "02134", ""),
            base(),
            r1,
        ),
        (
            "nickname both ways",
            base(),
            rec("Pepe", "Munoz", "", "12 Park Ave", "", "02134", ""),
            r1,
        ),
        (
            "name order swap",
            base(),
            rec("Munoz", "Jose", "", "12 Park Ave", "", "02134", ""),
            r1,
        ),
        (
            "unit from the street line vs the unit column",
            rec("Ana", "Ruiz", "", "100 N Main St Apt 4B", "", "02134", ""),
            rec(
                "ANA",
                "RUIZ",
                "",
                "100 North Main Street",
                "# 4-b",
                "02134",
                "",
            ),
            r1,
        ),
        (
            "spelled ordinal and directional",
            rec(
                "Ana",
                "Ruiz",
                "",
                "100 West Forty-Second Street",
                "",
                "10036",
                "",
            ),
            rec("Ana", "Ruiz", "", "100 W 42nd St", "", "10036", ""),
            r1,
        ),
        (
            "PO box forms",
            rec("Ana", "Ruiz", "", "P.O. Box 17", "", "02134", ""),
            rec("Ana", "Ruiz", "", "PO BX 0017", "", "02134", ""),
            r1,
        ),
        (
            "second surname missing on the requester",
            rec("Maria", "Garcia Lopez", "", "12 Park Ave", "", "02134", ""),
            rec("Maria", "Garcia", "", "12 Park Ave", "", "02134", ""),
            r1,
        ),
        (
            "double surname hyphenated vs with Y",
            rec("Maria", "Garcia-Lopez", "", "12 Park Ave", "", "02134", ""),
            rec(
                "Maria",
                "Garcia y Lopez",
                "",
                "12 Park Ave",
                "",
                "02134",
                "",
            ),
            r1,
        ),
        (
            "requester knows only the second surname",
            rec("Maria", "Garcia Lopez", "", "12 Park Ave", "", "02134", ""),
            rec("Maria", "Lopez", "", "12 Park Ave", "", "02134", ""),
            r1,
        ),
        (
            "particles spaced differently",
            rec("Pieter", "Van der Berg", "", "12 Park Ave", "", "02134", ""),
            rec("Pieter", "VANDER BERG", "", "12 Park Ave", "", "02134", ""),
            r1,
        ),
        (
            "middle name missing",
            rec(
                "Maria Guadalupe",
                "Garcia",
                "",
                "12 Park Ave",
                "",
                "02134",
                "",
            ),
            rec("Maria", "Garcia", "", "12 Park Ave", "", "02134", ""),
            r1,
        ),
        (
            "middle name only on the requester's side",
            rec("Maria", "Garcia", "", "12 Park Ave", "", "02134", ""),
            rec(
                "Maria Guadalupe",
                "Garcia",
                "",
                "12 Park Ave",
                "",
                "02134",
                "",
            ),
            Some(MatchRule::R2NameHouseZip),
        ),
        (
            "street spelled differently and unit missing",
            rec("Ana", "Ruiz", "", "12 Park Ave Apt 3", "", "02134", ""),
            rec("Ana", "Ruiz", "", "12 Parke Avenue", "", "02134", ""),
            Some(MatchRule::R2NameHouseZip),
        ),
        (
            "small spelling error in the surname",
            rec("Luis", "Gonzalez", "", "12 Park Ave", "", "02134", ""),
            rec("Luis", "Gonzales", "", "12 Park Ave", "", "02134", ""),
            Some(MatchRule::R3Phonetic),
        ),
        (
            "moved, same date of birth",
            base(),
            rec("Jose", "Munoz", "", "9 Elm St", "", "90210", "1980-02-29"),
            Some(MatchRule::R4NameDob),
        ),
    ];
    for (what, holder, requester, expected) in cases {
        assert_eq!(strongest_common(&holder, &requester), expected, "{what}");
    }
}

#[test]
fn different_people_share_no_key() {
    let addr = |given: &str, family: &str, suffix: &str, dob: &str| {
        rec(given, family, suffix, "100 Main St Apt 2", "", "02134", dob)
    };
    let pairs = [
        (
            "spouses",
            addr("John", "Smith", "", "1950-01-01"),
            addr("Mary", "Smith", "", "1952-03-04"),
        ),
        (
            "siblings",
            addr("Jose", "Garcia", "", "1990-01-01"),
            addr("Juan", "Garcia", "", "1992-05-06"),
        ),
        (
            "father and son, SR vs JR",
            addr("John", "Smith", "Sr", "1950-01-01"),
            addr("John", "Smith", "Jr", "1975-01-01"),
        ),
        (
            "JR vs II",
            addr("John", "Smith Jr", "", ""),
            addr("John", "Smith II", "", ""),
        ),
        (
            "III vs IV",
            addr("John", "Smith", "III", ""),
            addr("John", "Smith", "IV", ""),
        ),
        (
            "same first name, other family",
            addr("Ana", "Ruiz", "", ""),
            addr("Ana", "Diaz", "", ""),
        ),
    ];
    for (what, a, b) in pairs {
        assert_eq!(strongest_common(&a, &b), None, "{what}");
        assert_eq!(strongest_common(&b, &a), None, "{what} (reversed)");
    }
}

#[test]
fn never_a_key_on_initials() {
    for (given, family) in [
        ("J", "Smith"),
        ("J R", "Smith"),
        ("John", "S"),
        ("", "Smith"),
        ("John", ""),
    ] {
        let r = rec(given, family, "", "100 Main St", "", "02134", "1950-01-01");
        assert!(keys(&r, KeySide::Holder).is_empty(), "{given:?} {family:?}");
    }
    // An initial before a full given name is skipped, not keyed on: the holder's
    // first-given-name-only R1 copy is on ROBERT.
    let r = rec("J Robert", "Smith", "", "100 Main St", "", "02134", "");
    let other = rec("Robert", "Smith", "", "100 Main St", "", "02134", "");
    assert_eq!(strongest_common(&r, &other), Some(MatchRule::R1Exact));
    assert_eq!(
        strongest_common(&other, &r),
        Some(MatchRule::R2NameHouseZip)
    );
}

#[test]
fn suffix_missing_on_the_requester_matches_only_that_way() {
    let jr = rec(
        "John",
        "Smith",
        "Jr",
        "100 Main St",
        "",
        "02134",
        "1975-01-01",
    );
    let plain = rec(
        "John",
        "Smith",
        "",
        "100 Main St",
        "",
        "02134",
        "1975-01-01",
    );
    assert_eq!(strongest_common(&jr, &plain), Some(MatchRule::R1Exact));
    assert_eq!(strongest_common(&jr, &jr), Some(MatchRule::R1Exact));
    assert_eq!(
        strongest_common(&plain, &jr),
        None,
        "holder without suffix, requester JR"
    );

    // Holder emits both copies, requester only its own; records without suffix agree.
    let holder = keys(&jr, KeySide::Holder);
    let requester = keys(&jr, KeySide::Requester);
    assert_eq!(holder.len(), 2 * requester.len());
    assert_eq!(
        keys(&plain, KeySide::Holder),
        keys(&plain, KeySide::Requester)
    );
    assert!(requester.iter().all(|k| k.bytes.ends_with(b"\x00\x02JR")));
}

/// The encoding, spelled out from the module documentation for one record:
/// `"blindlink/v1/" || rule id || (u16 big-endian length || field)*`.
#[test]
fn key_bytes_are_exactly_the_documented_encoding() {
    let r = rec(
        "Peggy",
        "O'Neil",
        "Jr.",
        "12 Park Avenue Apt 3",
        "",
        "2134",
        "1970-01-02",
    );
    let got = keys(&r, KeySide::Requester);

    // R1: name_lo, name_hi, house, predir, street_name, suffix, postdir, unit, po_box, zip5, gen.
    let r1_raw: &[u8] = b"blindlink/v1/R1\
        \x00\x05ONEIL\x00\x05PEGGY\x00\x0212\x00\x00\x00\x04PARK\x00\x03AVE\x00\x00\
        \x00\x013\x00\x00\x00\x0502134\x00\x02JR";
    // R1 with the nickname-canonical first name (MARGARET < ONEIL, so it comes first).
    let r1_canonical: &[u8] = b"blindlink/v1/R1\
        \x00\x08MARGARET\x00\x05ONEIL\x00\x0212\x00\x00\x00\x04PARK\x00\x03AVE\x00\x00\
        \x00\x013\x00\x00\x00\x0502134\x00\x02JR";
    // R2: name_lo, name_hi, house, po_box, zip5, gen.
    let r2_raw: &[u8] =
        b"blindlink/v1/R2\x00\x05ONEIL\x00\x05PEGGY\x00\x0212\x00\x00\x00\x0502134\x00\x02JR";
    // R3: NYSIIS(ONEIL) = ONAL, NYSIIS(PEGGY) = PAGY.
    let r3_raw: &[u8] =
        b"blindlink/v1/R3\x00\x04ONAL\x00\x04PAGY\x00\x0212\x00\x00\x00\x0502134\x00\x02JR";
    // R4: name_lo, name_hi, dob, gen.
    let r4_raw: &[u8] = b"blindlink/v1/R4\x00\x05ONEIL\x00\x05PEGGY\x00\x0a1970-01-02\x00\x02JR";

    let find = |bytes: &[u8]| got.iter().find(|k| k.bytes == bytes).map(|k| k.rule);
    assert_eq!(find(r1_raw), Some(MatchRule::R1Exact));
    assert_eq!(find(r1_canonical), Some(MatchRule::R1Exact));
    assert_eq!(find(r2_raw), Some(MatchRule::R2NameHouseZip));
    assert_eq!(find(r3_raw), Some(MatchRule::R3Phonetic));
    assert_eq!(find(r4_raw), Some(MatchRule::R4NameDob));
    assert_eq!(
        (nysiis("ONEIL"), nysiis("PEGGY")),
        ("ONAL".to_owned(), "PAGY".to_owned())
    );
    // Two first-name variants (PEGGY, MARGARET) x one surname x four rules.
    assert_eq!(got.len(), 8);
    assert!(
        got.windows(2).all(|w| w[0] < w[1]),
        "sorted by rule then bytes, no duplicates"
    );
}

#[test]
fn po_box_replaces_the_street_parts_in_r1() {
    let r = rec("Ana", "Ruiz", "", "PO Box 17", "", "02134", "");
    let got = match_keys(
        &normalize(&r),
        RuleSet::default_policy(),
        KeySide::Requester,
    );
    let r1: &[u8] = b"blindlink/v1/R1\x00\x03ANA\x00\x04RUIZ\
        \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x0217\x00\x0502134\x00\x00";
    let r2: &[u8] =
        b"blindlink/v1/R2\x00\x03ANA\x00\x04RUIZ\x00\x00\x00\x0217\x00\x0502134\x00\x00";
    let bytes: Vec<&[u8]> = got.iter().map(|k| k.bytes.as_slice()).collect();
    assert_eq!(bytes, [r1, r2]);
}

#[test]
fn rule_set_limits_the_rules() {
    let r = base();
    let only_r4 = match_keys(&normalize(&r), "R4".parse().unwrap(), KeySide::Holder);
    assert!(!only_r4.is_empty() && only_r4.iter().all(|k| k.rule == MatchRule::R4NameDob));
    let none = match_keys(&normalize(&r), RuleSet::empty(), KeySide::Holder);
    assert!(none.is_empty());
    // No date of birth: no R4 key; no ZIP: no address keys.
    let no_dob = rec("Ana", "Ruiz", "", "1 Elm St", "", "", "");
    assert!(keys(&no_dob, KeySide::Holder).is_empty());
}

#[test]
fn uniqueness_drops_exactly_the_values_shared_between_records() {
    let father = rec(
        "John",
        "Smith",
        "Sr",
        "100 Main St",
        "",
        "02134",
        "1950-01-01",
    );
    let son = rec(
        "John",
        "Smith",
        "Jr",
        "100 Main St",
        "",
        "02134",
        "1975-01-01",
    );
    let neighbour = rec("Ana", "Ruiz", "", "102 Main St", "", "02134", "1980-01-01");
    let mut lists: Vec<Vec<MatchKey>> = [&father, &son, &neighbour]
        .iter()
        .map(|r| keys(r, KeySide::Holder))
        .collect();
    let before = lists.clone();
    let report = retain_locally_unique(&mut lists);

    // The suffix-less copies of father and son collide on R1, R2, R3 (not R4: the dates differ).
    for rule in [
        MatchRule::R1Exact,
        MatchRule::R2NameHouseZip,
        MatchRule::R3Phonetic,
    ] {
        assert_eq!(report.dropped_values(rule), 1, "{rule}");
        assert_eq!(report.dropped_keys(rule), 2, "{rule}");
    }
    assert_eq!(report.dropped_values(MatchRule::R4NameDob), 0);
    assert_eq!(report.total_dropped_keys(), 6);
    // What remains of R1..R3 carries the record's own suffix; R4 keeps both copies.
    for (list, own) in [(&lists[0], b"\x00\x02SR"), (&lists[1], b"\x00\x02JR")] {
        let address_keys = list.iter().filter(|k| k.rule != MatchRule::R4NameDob);
        assert!(
            address_keys.clone().count() == 3
                && address_keys.into_iter().all(|k| k.bytes.ends_with(own))
        );
        assert_eq!(
            list.iter()
                .filter(|k| k.rule == MatchRule::R4NameDob)
                .count(),
            2
        );
    }
    assert_eq!(lists[2], before[2]);
    assert_eq!(lists[0].len() + 3, before[0].len());

    // A requester without suffix now matches neither; with JR it still finds the son.
    let ask = |r: &Record| {
        let held: HashSet<&[u8]> = lists.iter().flatten().map(|k| k.bytes.as_slice()).collect();
        keys(r, KeySide::Requester)
            .iter()
            .any(|k| held.contains(k.bytes.as_slice()))
    };
    assert!(!ask(&rec(
        "John",
        "Smith",
        "",
        "100 Main St",
        "",
        "02134",
        ""
    )));
    assert!(ask(&rec(
        "John",
        "Smith",
        "Jr",
        "100 Main St",
        "",
        "02134",
        ""
    )));
}

#[test]
fn a_value_repeated_inside_one_record_is_not_a_conflict() {
    let k = |b: &[u8]| MatchKey {
        rule: MatchRule::R2NameHouseZip,
        bytes: b.to_vec(),
    };
    let mut lists = vec![
        vec![k(b"a"), k(b"a"), k(b"b")],
        vec![k(b"b"), k(b"c")],
        vec![],
    ];
    let report = retain_locally_unique(&mut lists);
    assert_eq!(lists, vec![vec![k(b"a"), k(b"a")], vec![k(b"c")], vec![]]);
    assert_eq!(report.dropped_values(MatchRule::R2NameHouseZip), 1);
    assert_eq!(report.dropped_keys(MatchRule::R2NameHouseZip), 2);
}

proptest! {
    /// The hash-based filter agrees with a direct quadratic definition.
    #[test]
    fn uniqueness_matches_the_naive_definition(
        raw in prop::collection::vec(prop::collection::vec((0u8..4, 0u8..6), 0..6), 0..8)
    ) {
        let mut lists: Vec<Vec<MatchKey>> = raw.iter().map(|keys| keys.iter().map(|&(r, v)| MatchKey {
            rule: MatchRule::ALL[usize::from(r)],
            bytes: vec![r, v],
        }).collect()).collect();
        let original = lists.clone();
        let report = retain_locally_unique(&mut lists);

        let mut owners: HashMap<&[u8], HashSet<usize>> = HashMap::new();
        for (i, keys) in original.iter().enumerate() {
            for key in keys {
                owners.entry(key.bytes.as_slice()).or_default().insert(i);
            }
        }
        let shared = |k: &MatchKey| owners[k.bytes.as_slice()].len() > 1;
        for (kept, orig) in lists.iter().zip(&original) {
            let expected: Vec<MatchKey> = orig.iter().filter(|k| !shared(k)).cloned().collect();
            prop_assert_eq!(kept, &expected);
        }
        for rule in MatchRule::ALL {
            let values = owners.iter().filter(|(b, o)| b[0] == rule as u8 && o.len() > 1).count();
            let dropped = original.iter().flatten().filter(|k| k.rule == rule && shared(k)).count();
            prop_assert_eq!(report.dropped_values(rule), values as u64);
            prop_assert_eq!(report.dropped_keys(rule), dropped as u64);
        }
    }
}

/// A requester row without the middle name matches the holder's record at R1, unless the
/// holder file also has a namesake without middle name at the same address: then the
/// row could be either person, and uniqueness removes the R1 keys of both.
#[test]
fn middle_name_copies_match_and_namesakes_in_one_house_cancel_out() {
    let brian_scott = rec("Brian Scott", "Jones", "", "7 Oak St", "", "02134", "");
    let brian = rec("Brian", "Jones", "", "7 Oak St", "", "02134", "");
    let requested = rec("Brian", "Jones", "", "7 Oak St", "", "02134", "");
    assert_eq!(
        strongest_common(&brian_scott, &requested),
        Some(MatchRule::R1Exact)
    );
    // The copy exists on the holder side only.
    let holder = keys(&brian_scott, KeySide::Holder);
    let requester = keys(&brian_scott, KeySide::Requester);
    let r1 = |ks: &[MatchKey]| ks.iter().filter(|k| k.rule == MatchRule::R1Exact).count();
    assert_eq!((r1(&holder), r1(&requester)), (2, 1));

    let mut lists = vec![
        keys(&brian_scott, KeySide::Holder),
        keys(&brian, KeySide::Holder),
    ];
    let report = retain_locally_unique(&mut lists);
    assert_eq!(report.dropped_values(MatchRule::R1Exact), 1);
    let kept: HashSet<Vec<u8>> = lists.into_iter().flatten().map(|k| k.bytes).collect();
    let asked = keys(&requested, KeySide::Requester);
    assert!(
        asked.iter().all(|k| !kept.contains(&k.bytes)),
        "the ambiguous row must match neither record"
    );
}
