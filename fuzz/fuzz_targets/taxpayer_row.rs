//! Taxpayer CSV rows: `blindlink_ingest::read_records` (CSV reading, header mapping, row
//! checks), then normalization and holder-side match keys of every record, as
//! `blindlink_ingest::evaluate_chunk` derives them.
//!
//! Input layout: byte 0 is a mode, the rest the CSV. Bit 0 set prepends the standard
//! header line so the fuzzer spends its time on rows; bits 1..=4 pick the rules (none
//! set means all four). Checked on success: every data row is counted once (records +
//! skipped), row numbers increase, keys name only requested rules, and the input length
//! and SHA-256 are right.
#![no_main]

use std::path::Path;

use blindlink_core::match_key::{KeySide, RuleSet, match_keys};
use blindlink_core::normalize::normalize;
use blindlink_ingest::{Slice, read_records};
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
    let mut rows = Vec::new();
    let read = read_records(
        &csv[..],
        Path::new("fuzz.csv"),
        Slice::WHOLE,
        &|_| {},
        &mut |chunk| {
            for (row, record) in chunk {
                let keys = match_keys(&normalize(&record), rules, KeySide::Holder);
                assert!(keys.iter().all(|key| rules.contains(key.rule)));
                assert!(keys.windows(2).all(|w| w[0] < w[1]));
                rows.push(row);
            }
            Ok(())
        },
    );
    let Ok(stats) = read else {
        return;
    };
    assert_eq!(stats.rows, stats.records + stats.skipped());
    assert_eq!(stats.records, rows.len() as u64);
    assert!(rows.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(stats.input_bytes, csv.len() as u64);
    assert_eq!(stats.input_sha256, <[u8; 32]>::from(Sha256::digest(&csv)));
});
