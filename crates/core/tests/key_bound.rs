//! The per-record key bound (`max_keys_per_record`) is the real maximum: adversarial
//! records reach it exactly, and no record, normalized or built by hand, exceeds it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use blindlink_core::match_key::{
    KeySide, MatchRule, RuleSet, match_keys, max_keys_for_rule, max_keys_per_record,
};
use blindlink_core::normalize::{NormalizedRecord, Suffix, normalize};
use blindlink_core::record::Record;
use proptest::prelude::*;

fn rec(given: &str, family: &str, suffix: &str, street: &str, zip: &str, dob: &str) -> Record {
    Record::from_fields([
        "id", given, family, suffix, street, "", "BOSTON", "MA", zip, dob,
    ])
}

fn per_rule(rec: &NormalizedRecord, side: KeySide) -> [u64; 4] {
    let mut counts = [0u64; 4];
    for key in match_keys(rec, RuleSet::all(), side) {
        counts[key.rule.index()] += 1;
    }
    counts
}

/// Records built to yield as many keys as possible: a nickname first name (two first-name
/// variants), a double or triple surname (three surname variants), middle names (the
/// holder's first-name-only R1 copies), a suffix (the holder's suffix-less copies), a full
/// street address, ZIP and date of birth.
fn adversarial() -> Vec<Record> {
    vec![
        rec(
            "Bill Scott",
            "Garcia Lopez",
            "Jr",
            "12 N Park Ave",
            "02134",
            "1980-02-29",
        ),
        rec(
            "Peggy Ann Marie",
            "de la Cruz y Montoya Fuentes",
            "III",
            "100 Main St",
            "10001",
            "1975-01-31",
        ),
        rec(
            "Bob",
            "Smith-Jones",
            "Sr",
            "PO Box 17",
            "02134",
            "1990-12-01",
        ),
        rec(
            "Dr. Liz K. Beth",
            "Van Der Berg Okafor",
            "IV",
            "7 W Oak Street SE",
            "60601",
            "2000-06-15",
        ),
    ]
}

/// Fails before the bound existed (nothing said how many elements a record may add);
/// the maximum over the adversarial records is exactly the bound, per rule and side.
#[test]
fn adversarial_records_reach_the_bound_exactly() {
    for side in [KeySide::Requester, KeySide::Holder] {
        let mut max = [0u64; 4];
        for r in adversarial() {
            let counts = per_rule(&normalize(&r), side);
            for (m, c) in max.iter_mut().zip(counts) {
                *m = (*m).max(c);
            }
        }
        for rule in MatchRule::ALL {
            assert_eq!(
                max[rule.index()],
                max_keys_for_rule(rule, side),
                "{rule} on {side:?}"
            );
        }
    }
    let worst = normalize(&adversarial()[0]);
    let n = |rules: RuleSet| match_keys(&worst, rules, KeySide::Requester).len() as u64;
    assert_eq!(n(RuleSet::default_policy()), 12);
    assert_eq!(n(RuleSet::all()), 24);
    assert_eq!(
        n(RuleSet::default_policy()),
        max_keys_per_record(RuleSet::default_policy(), KeySide::Requester)
    );
}

/// A record built by hand with many surname variants and given names still yields no
/// more than the bound (the surname variants are capped where keys are made).
#[test]
fn a_hand_built_record_with_many_variants_stays_within_the_bound() {
    let rec = NormalizedRecord {
        given_names: vec!["BILL".into(), "SCOTT".into(), "LEE".into()],
        first_given: Some("BILL".into()),
        first_given_canonical: Some("WILLIAM".into()),
        family_names: vec!["AA".into(), "BB".into()],
        surname_variants: [
            "GARCIA", "LOPEZ", "SMITH", "JONES", "BROWN", "OKAFOR", "NGUYEN", "KOWALSKI",
        ]
        .map(String::from)
        .to_vec(),
        suffix: Some(Suffix::Junior),
        address: normalize(&rec("", "", "", "12 N Park Ave", "", "")).address,
        zip5: Some("02134".into()),
        dob: Some("1980-02-29".into()),
    };
    for side in [KeySide::Requester, KeySide::Holder] {
        let counts = per_rule(&rec, side);
        for rule in MatchRule::ALL {
            assert_eq!(counts[rule.index()], max_keys_for_rule(rule, side));
        }
    }
}

fn name_part() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "BILL",
        "WILLIAM",
        "PEGGY",
        "BOB",
        "LIZ",
        "A",
        "J.",
        "DE",
        "LA",
        "VAN",
        "Y",
        "GARCIA",
        "LOPEZ",
        "O'NEIL",
        "MC",
        "JR",
        "III",
        "MR",
        "DR",
        "NMN",
        "FNU",
        "ÉLODIE",
        "ØRSTED",
        "SMITH-JONES",
        "JOSÉ",
        "MARÍA",
        "X",
        "",
        " ",
    ])
    .prop_map(str::to_owned)
}

fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(name_part(), 0..7).prop_map(|parts| parts.join(" "))
}

fn record() -> impl Strategy<Value = Record> {
    (
        name(),
        name(),
        prop::sample::select(vec!["", "JR", "SR", "II", "III", "IV", "V", "ESQ"]),
        prop::sample::select(vec![
            "",
            "12 N PARK AVE",
            "PO BOX 17",
            "100 MAIN ST APT 4B",
            "7",
            "W OAK",
        ]),
        prop::sample::select(vec!["", "02134", "2134", "10001-1234", "ABCDE"]),
        prop::sample::select(vec!["", "1980-02-29", "1981-02-29", "2000-01-01"]),
    )
        .prop_map(|(given, family, suffix, street, zip, dob)| {
            rec(&given, &family, suffix, street, zip, dob)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// No record yields more keys than the bound, per rule, on either side, under any
    /// rule set.
    #[test]
    fn no_record_yields_more_than_the_bound(r in record(), bits in 0u8..16) {
        let normalized = normalize(&r);
        let rules = RuleSet::from_bits(bits).unwrap();
        for side in [KeySide::Requester, KeySide::Holder] {
            let counts = per_rule(&normalized, side);
            for rule in MatchRule::ALL {
                prop_assert!(counts[rule.index()] <= max_keys_for_rule(rule, side));
            }
            let total = match_keys(&normalized, rules, side).len() as u64;
            prop_assert!(total <= max_keys_per_record(rules, side));
        }
    }

    /// Nor does a record built by hand with arbitrary name fields.
    #[test]
    fn no_hand_built_record_yields_more(
        given in prop::collection::vec("[A-Z]{0,4}", 0..6),
        first in prop::option::of("[A-Z]{0,4}"),
        canonical in prop::option::of("[A-Z]{0,4}"),
        surnames in prop::collection::vec("[A-Z]{0,4}", 0..8),
        suffix in prop::option::of(prop::sample::select(vec![Suffix::Junior, Suffix::Senior, Suffix::Third])),
    ) {
        let mut normalized = normalize(&rec("", "", "", "12 N PARK AVE", "02134", "1980-02-29"));
        normalized.given_names = given;
        normalized.first_given = first;
        normalized.first_given_canonical = canonical;
        normalized.surname_variants = surnames;
        normalized.suffix = suffix;
        for side in [KeySide::Requester, KeySide::Holder] {
            let counts = per_rule(&normalized, side);
            for rule in MatchRule::ALL {
                prop_assert!(counts[rule.index()] <= max_keys_for_rule(rule, side));
            }
        }
    }
}
