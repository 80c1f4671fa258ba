//! Taxpayer CSV rows: `irs::ingest::read_keyed_records` (CSV reading, header mapping,
//! row checks, normalization and holder-side match keys).
//!
//! Input layout: byte 0 is a mode, the rest the CSV. Bit 0 set prepends the standard
//! header line so the fuzzer spends its time on rows; bits 1..=4 pick the rules (none
//! set means all four). Checked on success: every data row is counted once (records +
//! skipped), every record has keys or is counted without keys, per-rule key counts add
//! up and name only requested rules, and the input length and SHA-256 are right.
#![no_main]

use std::path::Path;

use blindlink_core::match_key::RuleSet;
use irs::ingest::read_keyed_records;
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

const HEADER: &[u8] = b"record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob\n";

fuzz_target!(|data: &[u8]| {
    let [mode, rest @ ..] = data else {
        return;
    };
    let mut csv = Vec::with_capacity(HEADER.len() + rest.len());
    if mode & 1 == 1 {
        csv.extend_from_slice(HEADER);
    }
    csv.extend_from_slice(rest);
    let rules = RuleSet::from_bits((mode >> 1) & 0x0f)
        .ok()
        .filter(|rules| !rules.is_empty())
        .unwrap_or_else(RuleSet::all);
    let Ok(keyed) = read_keyed_records(&csv[..], Path::new("fuzz.csv"), rules, &|_| {}) else {
        return;
    };
    let stats = &keyed.stats;
    assert_eq!(stats.rows, stats.records + stats.skipped());
    assert_eq!(stats.records, keyed.keys.len() as u64 + stats.without_keys);
    let total: usize = keyed.keys.iter().map(Vec::len).sum();
    assert_eq!(stats.keys_per_rule.iter().sum::<u64>(), total as u64);
    for keys in &keyed.keys {
        assert!(!keys.is_empty());
        assert!(keys.iter().all(|key| rules.contains(key.rule)));
    }
    assert_eq!(stats.input_bytes, csv.len() as u64);
    assert_eq!(stats.input_sha256, <[u8; 32]>::from(Sha256::digest(&csv)));
});
