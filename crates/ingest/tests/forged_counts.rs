//! Counts read from a shard file are bounded before anything is sized by them: a forged
//! row, entry, metadata or record count is a clear error in debug and release builds,
//! never an allocation that happens to fail (or not), an overflow or an abort.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use blindlink_core::match_key::{MatchRule, RuleSet};
use blindlink_ingest::{
    EntryStream, IngestError, KeyEntry, KeyingStats, MAX_ROW, NoProgress, ReadStats,
    SHARD_HEADER_LEN, ShardError, ShardFile, ShardHeader, ShardMeta, Slice, merge_shards,
    write_shard,
};

/// A one-shard set (slice 0 of 1) of `rows` rows, 3 records of which 1 has no key, and
/// two entries, with `edit` applied to the header and metadata before writing.
fn shard(dir: &Path, name: &str, edit: impl FnOnce(&mut ShardHeader, &mut ShardMeta)) -> PathBuf {
    let entries = [
        KeyEntry::new(5 << 100, 0, MatchRule::R1Exact).unwrap(),
        KeyEntry::new(9 << 100, 2, MatchRule::R1Exact).unwrap(),
    ];
    let mut header = ShardHeader {
        rule_set: RuleSet::default_policy().bits(),
        slice: Slice::WHOLE,
        epoch: [4; 16],
        max_request_elements: 1 << 10,
        rows: 3,
        entries: entries.len() as u64,
    };
    let mut meta = ShardMeta {
        input: "pop.csv".to_owned(),
        read: ReadStats {
            rows: 3,
            records: 3,
            input_bytes: 200,
            ..ReadStats::default()
        },
        keying: KeyingStats {
            records: 3,
            without_keys: 1,
            keys_per_rule: [2, 0, 0, 0],
        },
    };
    edit(&mut header, &mut meta);
    let path = dir.join(name);
    let stream: EntryStream<'_> = Box::new(entries.into_iter().map(Ok));
    write_shard(&path, &header, &meta, stream).unwrap();
    path
}

fn corrupt_reason(path: PathBuf) -> &'static str {
    match merge_shards(&[path], &NoProgress) {
        Err(IngestError::Shard(ShardError::Corrupt { reason, .. })) => reason,
        other => panic!("expected a corrupt shard, got {other:?}"),
    }
}

#[test]
fn the_unforged_shard_merges() {
    let dir = tempfile::tempdir().unwrap();
    let merged = merge_shards(&[shard(dir.path(), "ok.bin", |_, _| {})], &NoProgress).unwrap();
    assert_eq!(merged.outcome.uniqueness.unique_keys(), 2);
    assert_eq!(merged.outcome.uniqueness.records_emptied, 0);
}

#[test]
fn a_row_count_the_input_cannot_hold_is_refused_before_the_row_bitmap() {
    let dir = tempfile::tempdir().unwrap();
    // More rows than the input has bytes (every data row takes at least one).
    let rows = |rows: u64, input_bytes: u64| {
        move |h: &mut ShardHeader, m: &mut ShardMeta| {
            h.rows = rows;
            m.read.rows = rows;
            m.read.records = rows;
            m.read.input_bytes = input_bytes;
            m.keying.records = rows;
            m.keying.without_keys = rows - 2;
        }
    };
    for (name, edit) in [
        ("max.bin", rows(u64::MAX, 200)),
        ("max-claimed.bin", rows(u64::MAX, u64::MAX)),
        ("beyond-entries.bin", rows(MAX_ROW + 2, u64::MAX)),
        ("beyond-input.bin", rows(201, 200)),
    ] {
        let reason = corrupt_reason(shard(dir.path(), name, edit));
        assert_eq!(reason, "more data rows than the input can hold", "{name}");
    }
}

#[test]
fn record_and_key_counts_that_do_not_add_up_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Records without keys above the records (this underflowed in debug builds).
    let path = shard(dir.path(), "without.bin", |_, m| m.keying.without_keys = 4);
    assert_eq!(
        corrupt_reason(path),
        "the shard's record counts exceed the input's"
    );
    let path = shard(dir.path(), "records.bin", |_, m| {
        m.read.records = 2;
        m.read.wrong_field_count = 1;
        m.keying.records = 3;
    });
    assert_eq!(
        corrupt_reason(path),
        "the shard's record counts exceed the input's"
    );
    // Skipped and good rows that do not make the row count, or overflow adding up.
    let path = shard(dir.path(), "rows.bin", |_, m| m.read.invalid_utf8 = 1);
    assert_eq!(
        corrupt_reason(path),
        "the input's record and skipped-row counts do not add up to its rows"
    );
    let path = shard(dir.path(), "overflow.bin", |_, m| {
        m.read.wrong_field_count = u64::MAX;
        m.read.invalid_utf8 = u64::MAX;
    });
    assert_eq!(
        corrupt_reason(path),
        "the input's record and skipped-row counts do not add up to its rows"
    );
    // Key counts that overflow, or differ from the entries.
    let path = shard(dir.path(), "keys.bin", |_, m| {
        m.keying.keys_per_rule = [u64::MAX, 3, 0, 0];
    });
    assert_eq!(
        corrupt_reason(path),
        "the shard's key counts differ from its entry count"
    );
    // The shards' records together must be the input's.
    let path = shard(dir.path(), "sum.bin", |_, m| m.keying.records = 2);
    assert_eq!(
        corrupt_reason(path),
        "the shards' record counts do not add up to the input's"
    );
}

#[test]
fn entry_and_metadata_counts_are_checked_against_the_file_length_first() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(shard(dir.path(), "good.bin", |_, _| {})).unwrap();
    let patched = |name: &str, at: usize, bytes: &[u8]| {
        let mut b = good.clone();
        b[at..at + bytes.len()].copy_from_slice(bytes);
        let path = dir.path().join(name);
        std::fs::write(&path, b).unwrap();
        ShardFile::open(&path)
    };
    // Entry count (offset 52): overflowing, and merely far beyond the file.
    assert!(matches!(
        patched("e-max.bin", 52, &u64::MAX.to_be_bytes()),
        Err(ShardError::Corrupt {
            reason: "entry count too large",
            ..
        })
    ));
    match patched("e-big.bin", 52, &(1u64 << 40).to_be_bytes()) {
        Err(ShardError::Truncated {
            expected, actual, ..
        }) => {
            assert!(expected > 1 << 44);
            assert_eq!(actual, good.len() as u64);
        }
        other => panic!("{other:?}"),
    }
    // Metadata length (offset 60): above the 1 MiB limit, and beyond the file.
    assert!(matches!(
        patched("m-max.bin", 60, &u32::MAX.to_be_bytes()),
        Err(ShardError::Corrupt {
            reason: "metadata length too large",
            ..
        })
    ));
    assert!(matches!(
        patched("m-big.bin", 60, &(1u32 << 20).to_be_bytes()),
        Err(ShardError::Truncated { .. })
    ));
    assert_eq!(SHARD_HEADER_LEN, 64);
}
