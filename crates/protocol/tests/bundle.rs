#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Request bundles: prepare, encode, decode, the approver's check, results (their CSV
//! form is tested in blindlink-store).

mod bundle_support;

use blindlink_core::match_key::{MatchRule, RuleSet};
use blindlink_protocol::bundle::{BundleError, RequestBundle};
use blindlink_protocol::manifest::{BlindedDigest, Purpose};
use bundle_support::*;
use rand::SeedableRng;
use rand::rngs::StdRng;

/// Replaces the single occurrence of `from` in `bytes` by `to` (same length).
fn replace_once(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let hits: Vec<usize> = bytes
        .windows(from.len())
        .enumerate()
        .filter(|(_, w)| *w == from)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(hits.len(), 1, "{:?} occurs {} times", from, hits.len());
    let mut out = bytes.to_vec();
    out[hits[0]..hits[0] + to.len()].copy_from_slice(to);
    out
}

fn check_bytes(bytes: &[u8]) -> Result<(), BundleError> {
    RequestBundle::from_bytes(bytes)?.check().map(|_| ())
}

#[test]
fn prepare_encode_decode_check() {
    let bundle = prepared(1);
    let summary = bundle.check().unwrap();
    assert_eq!(summary.record_count, 3);
    assert_eq!(summary.records_without_keys, 1);
    assert_eq!(bundle.records_without_keys(), vec![2]);
    assert_eq!(summary.purpose, Purpose::CriminalInvestigation);
    assert_eq!(summary.element_count as usize, bundle.element_count());
    let per_rule: u64 = summary.rules.iter().map(|r| r.elements).sum();
    assert_eq!(per_rule, summary.element_count);
    let rules: Vec<MatchRule> = summary.rules.iter().map(|r| r.rule).collect();
    assert_eq!(
        rules,
        [
            MatchRule::R1Exact,
            MatchRule::R2NameHouseZip,
            MatchRule::R3Phonetic,
            MatchRule::R4NameDob
        ]
    );
    // R4 needs a date of birth: only record 0 has one.
    assert_eq!(summary.rules[3].records, 1);
    assert_eq!(summary.records[1].case_ref, "CASE-0002");
    assert_eq!(summary.records[2].elements, 0);

    let manifest = bundle.manifest().fields();
    assert_eq!(manifest.record_count, 3);
    assert_eq!(
        manifest.element_count as usize,
        bundle.blinded_elements().len()
    );
    assert_eq!(
        manifest.blinded_digest,
        BlindedDigest::digest_all(bundle.blinded_elements())
    );
    assert_eq!(manifest.issued_at, ISSUED_AT);
    assert_eq!(manifest.key_epoch.as_bytes(), &[7; 16]);
    assert_eq!(bundle.holder_public_key(), holder_public_key(1));

    let bytes = bundle.to_bytes();
    let again = RequestBundle::from_bytes(&bytes).unwrap();
    assert_eq!(again.check().unwrap(), summary);
    assert_eq!(again.to_bytes().as_slice(), bytes.as_slice());
    assert_eq!(again.element_inputs(), bundle.element_inputs());
    assert_eq!(again.records()[0].record(), bundle.records()[0].record());
    // Owners are grouped by record in order.
    let owners: Vec<u32> = (0..again.element_count())
        .map(|i| again.element_owner(i).unwrap().record)
        .collect();
    assert!(owners.windows(2).all(|w| w[0] <= w[1]));
    assert!(again.element_owner(again.element_count()).is_none());
}

#[test]
fn manifest_lists_only_rules_that_produced_keys() {
    // Record 1 has no date of birth; alone it yields no R4 key.
    let rows = vec![rows().remove(1)];
    let bundle =
        RequestBundle::prepare(rows, params(RuleSet::all()), &mut StdRng::seed_from_u64(2))
            .unwrap();
    let rules: Vec<&str> = bundle
        .manifest()
        .fields()
        .rules_used
        .iter()
        .map(|r| r.as_str())
        .collect();
    assert_eq!(rules, ["R1", "R2", "R3"]);
    assert_eq!(bundle.requested_rules(), RuleSet::all());
    bundle.check().unwrap();
}

#[test]
fn fresh_randomness_per_bundle() {
    let (a, b) = (prepared(3), prepared(4));
    assert_eq!(a.element_inputs(), b.element_inputs());
    assert_ne!(a.blinded_elements(), b.blinded_elements());
    assert_ne!(a.manifest().request_id(), b.manifest().request_id());
    assert_ne!(
        a.manifest().fields().references_root,
        b.manifest().fields().references_root
    );
}

#[test]
fn tampering_is_found_and_named() {
    let bundle = prepared(5);
    let bytes = bundle.to_bytes().to_vec();
    let n = bundle.element_count();

    // A blinded element: the file ends with n blinded elements, then n blinds.
    let mut flipped = bytes.clone();
    flipped[bytes.len() - 64 * n + 32 * 3 + 5] ^= 0x01;
    assert_eq!(
        check_bytes(&flipped),
        Err(BundleError::BlindedMismatch { element: 3 })
    );

    // A stored key (element 4 belongs to record 0 or 1; find its record).
    let key = bundle.element_inputs()[4].clone();
    let mut changed = key.clone();
    let last = changed.len() - 3;
    changed[last] ^= 0x01;
    let record = bundle.element_owner(4).unwrap().record as usize;
    assert_eq!(
        check_bytes(&replace_once(&bytes, &key, &changed)),
        Err(BundleError::KeyMismatch {
            element: 4,
            record,
            record_id: format!("A-000{}", record + 1),
        })
    );

    // A record field: the raw street of record 0 (keys hold the normalized form).
    assert_eq!(
        check_bytes(&replace_once(&bytes, b"N Main St", b"N Mane St")),
        Err(BundleError::KeyMismatch {
            element: 0,
            record: 0,
            record_id: "A-0001".into(),
        })
    );
    // Removing a name makes the record yield no key at all.
    assert!(matches!(
        check_bytes(&replace_once(&bytes, b"John", b"J.  ")),
        Err(BundleError::KeyCountMismatch {
            record: 1,
            derived: 0,
            ..
        })
    ));

    // A reference: changed, or blanked.
    assert_eq!(
        check_bytes(&replace_once(&bytes, b"CASE-0002", b"CASE-0009")),
        Err(BundleError::ReferencesRootMismatch)
    );
    assert!(matches!(
        check_bytes(&replace_once(&bytes, b"FO-000003", b"         ")),
        Err(BundleError::BadReference { record: 2, .. })
    ));

    // The manifest's digest and Merkle root.
    let fields = bundle.manifest().fields();
    let digest = fields.blinded_digest.to_hex();
    let mut other = digest.clone().into_bytes();
    other[10] = if other[10] == b'0' { b'1' } else { b'0' };
    assert_eq!(
        check_bytes(&replace_once(&bytes, digest.as_bytes(), &other)),
        Err(BundleError::DigestMismatch)
    );
    let root = fields.references_root.to_hex();
    let mut other = root.clone().into_bytes();
    other[0] = if other[0] == b'0' { b'1' } else { b'0' };
    assert_eq!(
        check_bytes(&replace_once(&bytes, root.as_bytes(), &other)),
        Err(BundleError::ReferencesRootMismatch)
    );

    // The manifest's counts and epoch.
    assert!(matches!(
        check_bytes(&replace_once(
            &bytes,
            b"\"record_count\": 3",
            b"\"record_count\": 4"
        )),
        Err(BundleError::CountMismatch {
            field: "record_count",
            manifest: 4,
            bundle: 3
        })
    ));
    let epoch = hex::encode([7u8; 16]);
    let other_epoch = hex::encode([8u8; 16]);
    assert!(matches!(
        check_bytes(&replace_once(
            &bytes,
            epoch.as_bytes(),
            other_epoch.as_bytes()
        )),
        Err(BundleError::EpochMismatch { .. })
    ));

    // The requested rules (byte 18): with R1 only, record 0 yields fewer keys.
    let mut fewer_rules = bytes.clone();
    fewer_rules[18] = RuleSet::from_bits(1).unwrap().bits();
    assert!(matches!(
        check_bytes(&fewer_rules),
        Err(BundleError::KeyCountMismatch { record: 0, .. })
    ));

    // A blind (the last 32 bytes) no longer reproduces the blinded element.
    let mut blind = bytes.clone();
    let at = bytes.len() - 32 + 10;
    blind[at] ^= 0x01;
    assert_eq!(
        check_bytes(&blind),
        Err(BundleError::BlindedMismatch { element: n - 1 })
    );
}

#[test]
fn prepare_refuses_rows_without_references() {
    let mut rows = rows();
    rows[1].case_ref = String::new();
    assert_eq!(
        RequestBundle::prepare(rows, params(RuleSet::all()), &mut StdRng::seed_from_u64(6))
            .unwrap_err(),
        BundleError::MissingReference {
            row: 2,
            record_id: "A-0002".into(),
            field: "case_ref",
        }
    );
    let mut rows = bundle_support::rows();
    rows[2].final_order_ref = "  ".into();
    let err = RequestBundle::prepare(rows, params(RuleSet::all()), &mut StdRng::seed_from_u64(6))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "request row 3 (record_id \"A-0003\"): final_order_ref is missing"
    );
    let mut rows = bundle_support::rows();
    rows[0].case_ref = "CASE\u{1b}[2J".into();
    assert!(matches!(
        RequestBundle::prepare(rows, params(RuleSet::all()), &mut StdRng::seed_from_u64(6)),
        Err(BundleError::InvalidReference { row: 1, .. })
    ));
}

#[test]
fn prepare_refuses_bad_input() {
    let mut rng = StdRng::seed_from_u64(7);
    let mut dup = rows();
    dup[2].record.id = "A-0001".into();
    assert!(matches!(
        RequestBundle::prepare(dup, params(RuleSet::all()), &mut rng),
        Err(BundleError::DuplicateRecordId { row: 3, .. })
    ));
    let mut no_id = rows();
    no_id[0].record.id = " ".into();
    assert_eq!(
        RequestBundle::prepare(no_id, params(RuleSet::all()), &mut rng).unwrap_err(),
        BundleError::MissingRecordId { row: 1 }
    );
    assert_eq!(
        RequestBundle::prepare(vec![], params(RuleSet::all()), &mut rng).unwrap_err(),
        BundleError::NoRecords
    );
    assert_eq!(
        RequestBundle::prepare(rows(), params(RuleSet::empty()), &mut rng).unwrap_err(),
        BundleError::NoRules
    );
    let keyless = vec![rows().remove(2)];
    assert!(matches!(
        RequestBundle::prepare(keyless, params(RuleSet::all()), &mut rng),
        Err(BundleError::NoElements { .. })
    ));
    let mut bad_key = params(RuleSet::all());
    bad_key.holder_oprf_public_key = [0; 32];
    assert!(matches!(
        RequestBundle::prepare(rows(), bad_key, &mut rng),
        Err(BundleError::InvalidHolderKey(_))
    ));
    let mut inverted = params(RuleSet::all());
    inverted.expires_at = inverted.issued_at;
    assert!(matches!(
        RequestBundle::prepare(rows(), inverted, &mut rng),
        Err(BundleError::Manifest(_))
    ));
}

#[test]
fn results_name_the_strongest_matching_rule() {
    let bundle = prepared(8);
    let n = bundle.element_count();
    let of = |record: u32, rule: MatchRule| -> Vec<usize> {
        (0..n)
            .filter(|&i| {
                let o = bundle.element_owner(i).unwrap();
                o.record == record && o.rule == rule
            })
            .collect()
    };
    let mut matched = vec![false; n];
    for i in of(0, MatchRule::R4NameDob)
        .into_iter()
        .chain(of(0, MatchRule::R2NameHouseZip))
        .chain(of(1, MatchRule::R3Phonetic))
    {
        matched[i] = true;
    }
    let results = bundle.results(&matched).unwrap();
    let rules: Vec<Option<MatchRule>> = results.iter().map(|r| r.matched_rule).collect();
    assert_eq!(
        rules,
        [
            Some(MatchRule::R2NameHouseZip),
            Some(MatchRule::R3Phonetic),
            None
        ]
    );
    for i in of(0, MatchRule::R1Exact) {
        matched[i] = true;
    }
    assert_eq!(
        bundle.results(&matched).unwrap()[0].matched_rule,
        Some(MatchRule::R1Exact)
    );
    assert_eq!(
        bundle.results(&matched[1..]),
        Err(BundleError::ResultLength {
            expected: n,
            got: n - 1
        })
    );
}

// The results CSV test moved with the code to blindlink-store (csv/results.rs).

#[test]
fn validity_window() {
    let bundle = prepared(9);
    assert!(bundle.validity_at(ISSUED_AT).is_ok());
    assert!(bundle.validity_at(EXPIRES_AT - 1).is_ok());
    assert!(bundle.validity_at(ISSUED_AT - 60).is_ok());
    assert_eq!(
        bundle.validity_at(EXPIRES_AT),
        Err(BundleError::Expired {
            expires_at: EXPIRES_AT,
            now: EXPIRES_AT
        })
    );
    assert!(matches!(
        bundle.validity_at(ISSUED_AT - 3600),
        Err(BundleError::NotYetValid { .. })
    ));
}

#[test]
fn debug_shows_no_personal_data_or_secrets() {
    let bundle = prepared(10);
    let shown = format!("{bundle:?} {:?}", bundle.records());
    for secret in ["Garcia", "Main", "CASE-0001", "1980"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("A-0001"));
    let (contents, blinds) = bundle.into_parts();
    assert_eq!(blinds.len(), contents.element_count());
}

#[test]
fn every_truncation_and_extension_is_refused() {
    let bytes = prepared(11).to_bytes().to_vec();
    for len in 0..bytes.len() {
        assert!(RequestBundle::from_bytes(&bytes[..len]).is_err(), "{len}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        RequestBundle::from_bytes(&longer).unwrap_err(),
        BundleError::TrailingBytes { len: 1 }
    );
    let mut magic = bytes.clone();
    magic[0] = b'B';
    assert_eq!(
        RequestBundle::from_bytes(&magic).unwrap_err(),
        BundleError::BadMagic
    );
    let mut version = bytes;
    version[17] = 3;
    assert_eq!(
        RequestBundle::from_bytes(&version).unwrap_err(),
        BundleError::UnsupportedVersion(3)
    );
}

/// Bundles are written as version 2 (additive blinds). A version byte changed to 1 reads
/// the same scalars as multiplicative blinds, which recompute other blinded elements: the
/// check refuses the bundle instead of letting it be unblinded the wrong way.
#[test]
fn the_version_says_how_the_blinds_were_applied() {
    let bytes = prepared(12).to_bytes().to_vec();
    assert_eq!(&bytes[16..18], &[0, 2]);
    assert!(check_bytes(&bytes).is_ok());
    let mut old = bytes;
    old[17] = 1;
    assert_eq!(
        check_bytes(&old),
        Err(BundleError::BlindedMismatch { element: 0 })
    );
}
