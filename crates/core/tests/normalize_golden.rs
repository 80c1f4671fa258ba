//! Table-driven golden cases for normalization, read from `data/normalize_golden.tsv`
//! (the file's header describes the columns), plus property tests: `normalize_text` is
//! idempotent and total, `normalize` and `match_keys` never panic on any field strings.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use blindlink_core::match_key::{KeySide, RuleSet, match_keys};
use blindlink_core::normalize::{NormalizedRecord, normalize, normalize_text};
use blindlink_core::record::Record;
use proptest::prelude::*;

const GOLDEN: &str = include_str!("data/normalize_golden.tsv");

fn opt(value: Option<&str>) -> String {
    match value {
        Some(v) if !v.is_empty() => v.to_owned(),
        _ => "~".to_owned(),
    }
}

fn list(values: &[String], sep: &str) -> String {
    if values.is_empty() {
        "~".to_owned()
    } else {
        values.join(sep)
    }
}

fn name_columns(n: &NormalizedRecord) -> Vec<String> {
    vec![
        list(&n.given_names, " "),
        opt(n.first_given.as_deref()),
        opt(n.first_given_canonical.as_deref()),
        list(&n.family_names, " "),
        list(&n.surname_variants, ","),
        opt(n.suffix.map(|s| s.as_str())),
    ]
}

fn address_columns(n: &NormalizedRecord) -> Vec<String> {
    let a = &n.address;
    vec![
        opt(a.house_number.as_deref()),
        opt(a.predir.map(|d| d.as_str())),
        opt(a.street_name.as_deref()),
        opt(a.street_suffix),
        opt(a.postdir.map(|d| d.as_str())),
        opt(a.unit.as_deref()),
        opt(a.po_box.as_deref()),
        opt(n.zip5.as_deref()),
    ]
}

/// Runs one golden row; returns `(expected, actual)` columns.
fn run_row(cols: &[&str]) -> (Vec<String>, Vec<String>) {
    let owned = |c: &[&str]| c.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    match cols {
        ["text", input, expected] => (owned(&[expected]), vec![opt(Some(&normalize_text(input)))]),
        ["name", given, family, suffix, expected @ ..] => {
            let rec = Record {
                given_names: (*given).to_owned(),
                family_names: (*family).to_owned(),
                suffix: (*suffix).to_owned(),
                ..Record::default()
            };
            (owned(expected), name_columns(&normalize(&rec)))
        }
        ["addr", street, unit, zip, expected @ ..] => {
            let rec = Record {
                street: (*street).to_owned(),
                unit: (*unit).to_owned(),
                zip: (*zip).to_owned(),
                ..Record::default()
            };
            (owned(expected), address_columns(&normalize(&rec)))
        }
        ["zip", input, expected] => {
            let rec = Record {
                zip: (*input).to_owned(),
                ..Record::default()
            };
            (
                owned(&[expected]),
                vec![opt(normalize(&rec).zip5.as_deref())],
            )
        }
        ["dob", input, expected] => {
            let rec = Record {
                dob: Some((*input).to_owned()),
                ..Record::default()
            };
            (
                owned(&[expected]),
                vec![opt(normalize(&rec).dob.as_deref())],
            )
        }
        other => panic!("malformed golden row: {other:?}"),
    }
}

#[test]
fn golden_cases() {
    let mut failures = Vec::new();
    let mut count = 0;
    let mut kinds = std::collections::BTreeMap::new();
    for (line_no, line) in GOLDEN.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let (expected, actual) = run_row(&cols);
        assert_eq!(
            expected.len(),
            actual.len(),
            "line {}: column count",
            line_no + 1
        );
        count += 1;
        *kinds.entry(cols[0]).or_insert(0) += 1;
        if expected != actual {
            failures.push(format!(
                "line {}: {:?}\n   expected {:?}\n   actual   {:?}",
                line_no + 1,
                &cols[..cols.len() - expected.len()],
                expected,
                actual
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(count >= 200, "only {count} golden cases");
    assert!(kinds["name"] >= 50 && kinds["addr"] >= 90, "{kinds:?}");
}

/// Vocabulary that reaches the deeper parsing paths, `|`-separated.
const VOCAB: &str = "PO|BOX|P|O|RR|APT|#|-|/|1/2|12|0|N|NORTH|EAST|ST|AVE|FORTY|SECOND|FIRST|2D|\
    JR|SR|V|DE|LA|Y|MC|MR|NMN|N/A|BSMT|LOT|KEY|Ø|É|ß|\u{301}| |99999999999999999999ST|JOHN|BILL|\
    SMITH|GARCIA|LOPEZ|J|100|MAIN|PARK";

fn arbitrary_record() -> impl Strategy<Value = Record> {
    // Any Unicode, or strings built from the vocabulary; ZIPs and dates often valid so
    // that match keys are produced too.
    let words = prop::sample::select(VOCAB.split('|').collect::<Vec<_>>());
    let vocab = prop::collection::vec(words, 0..8).prop_map(|w| w.join(" "));
    let field = prop_oneof![any::<String>(), vocab].boxed();
    let zip = prop_oneof![field.clone(), "[0-9]{3,9}(-[0-9]{4})?".boxed()].boxed();
    let dob = prop_oneof![any::<String>(), "(18|19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]"];
    let names = [field.clone(), field.clone(), field.clone()];
    let address = [field.clone(), field, zip];
    (names, address, prop::option::of(dob)).prop_map(
        |([given_names, family_names, suffix], [street, unit, zip], dob)| Record {
            given_names,
            family_names,
            suffix,
            street,
            unit,
            zip,
            dob,
            ..Record::default()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalize_text_is_idempotent_and_ascii(s in any::<String>()) {
        let once = normalize_text(&s);
        prop_assert_eq!(normalize_text(&once), once.clone());
        prop_assert!(once.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' '));
        prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
    }

    #[test]
    fn normalize_and_match_keys_never_panic(rec in arbitrary_record()) {
        let n = normalize(&rec);
        for side in [KeySide::Holder, KeySide::Requester] {
            let keys = match_keys(&n, RuleSet::all(), side);
            prop_assert!(keys.windows(2).all(|w| w[0] < w[1]), "sorted and deduplicated");
        }
    }
}
