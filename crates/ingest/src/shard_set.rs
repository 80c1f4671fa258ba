//! A complete, consistent set of shard files: every index `0..n` exactly once, the same
//! key epoch, rule set, `max_request_elements` and input (size, SHA-256 and whole-file
//! counts), each file's header and length checked. Checksums are checked while the
//! entries are merged ([`ShardSet::merged`]); the pipeline reads them twice and writes
//! nothing before the first full pass succeeded.
//!
//! The counts of the shards are checked before anything is sized by them
//! ([`check_counts`]): the row count, which sizes the merge's row bitmap, must fit in
//! the input the shards describe (a data row takes at least one byte) and in what an
//! entry can number; the record and key counts must add up, within each shard and
//! across them. A damaged or forged count is a [`ShardError::Corrupt`], never a huge
//! allocation or an arithmetic overflow.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::IngestError;
use super::entry::MAX_ROW;
use super::evaluate::KeyingStats;
use super::merge::{EntryStream, MergedEntries};
use super::read::ReadStats;
use super::shard_error::ShardError;
use super::shard_file::{ShardFile, ShardHeader};

/// Checked shard files, in index order.
#[derive(Debug)]
pub struct ShardSet {
    shards: Vec<ShardFile>,
}

impl ShardSet {
    /// Opens and cross-checks the shard files at `paths` (any order).
    pub fn open(paths: &[PathBuf]) -> Result<ShardSet, ShardError> {
        let mut shards = paths
            .iter()
            .map(|p| ShardFile::open(p))
            .collect::<Result<Vec<_>, _>>()?;
        let first = shards.first().ok_or(ShardError::NoShards)?;
        let count = first.header.slice.count;
        let mut by_index: BTreeMap<u32, usize> = BTreeMap::new();
        for (i, shard) in shards.iter().enumerate() {
            check_counts(shard)?;
            check_same(first, shard)?;
            let index = shard.header.slice.index;
            if let Some(other) = by_index.insert(index, i) {
                return Err(ShardError::Duplicate {
                    index,
                    first: shards
                        .get(other)
                        .map(|s| s.path.clone())
                        .unwrap_or_default(),
                    second: shard.path.clone(),
                });
            }
        }
        let missing = u64::from(count) - by_index.len() as u64;
        if missing > 0 {
            let first_missing = (0..count)
                .filter(|i| !by_index.contains_key(i))
                .take(20)
                .collect();
            return Err(ShardError::Missing {
                first_missing,
                missing,
                count,
            });
        }
        let records = shards
            .iter()
            .try_fold(0u64, |sum, s| sum.checked_add(s.meta.keying.records));
        if records != Some(first.meta.read.records) {
            return Err(ShardError::corrupt(
                &first.path,
                "the shards' record counts do not add up to the input's",
            ));
        }
        shards.sort_by_key(|s| s.header.slice.index);
        Ok(ShardSet { shards })
    }

    /// The first shard's header (the set's settings).
    pub fn header(&self) -> Option<&ShardHeader> {
        self.shards.first().map(|s| &s.header)
    }

    /// The input path recorded by shard 0.
    pub fn input(&self) -> String {
        self.shards
            .first()
            .map(|s| s.meta.input.clone())
            .unwrap_or_default()
    }

    /// Counts over the whole input (equal in every shard).
    pub fn read_stats(&self) -> ReadStats {
        self.shards
            .first()
            .map(|s| s.meta.read.clone())
            .unwrap_or_default()
    }

    /// The shards' keying counts added up.
    pub fn keying_stats(&self) -> KeyingStats {
        let mut total = KeyingStats::default();
        for shard in &self.shards {
            total.add(&shard.meta.keying);
        }
        total
    }

    /// Entries in all shards.
    pub fn entries(&self) -> u64 {
        self.shards
            .iter()
            .fold(0, |sum, s| sum.saturating_add(s.header.entries))
    }

    /// Number of shards.
    pub fn len(&self) -> usize {
        self.shards.len()
    }

    /// Never true for an opened set (kept for the `len` convention).
    pub fn is_empty(&self) -> bool {
        self.shards.is_empty()
    }

    /// All shards' entries in ascending order, checked as they are read.
    /// The shard files, in index order.
    pub(crate) fn files(&self) -> &[ShardFile] {
        &self.shards
    }

    pub fn merged(&self) -> Result<MergedEntries<'_>, IngestError> {
        let streams = self
            .shards
            .iter()
            .map(ShardFile::entries)
            .collect::<Result<Vec<EntryStream<'_>>, _>>()?;
        MergedEntries::new(streams)
    }
}

/// One shard's counts: its rows fit in its input and in an entry's row number, its
/// records and keys add up, and its key count is its entry count (the file length
/// already matches the entry count, so every later sum is bounded by the file sizes).
fn check_counts(shard: &ShardFile) -> Result<(), ShardError> {
    let (header, read, keying) = (&shard.header, &shard.meta.read, &shard.meta.keying);
    let corrupt = |reason| Err(ShardError::corrupt(&shard.path, reason));
    if header.rows > MAX_ROW + 1 || header.rows > read.input_bytes {
        return corrupt("more data rows than the input can hold");
    }
    if read
        .records
        .checked_add(read.wrong_field_count)
        .and_then(|n| n.checked_add(read.invalid_utf8))
        != Some(read.rows)
    {
        return corrupt("the input's record and skipped-row counts do not add up to its rows");
    }
    if keying.without_keys > keying.records || keying.records > read.records {
        return corrupt("the shard's record counts exceed the input's");
    }
    let keys = keying
        .keys_per_rule
        .iter()
        .try_fold(0u64, |sum, &n| sum.checked_add(n));
    if keys != Some(header.entries) {
        return corrupt("the shard's key counts differ from its entry count");
    }
    Ok(())
}

fn check_same(first: &ShardFile, shard: &ShardFile) -> Result<(), ShardError> {
    let (a, b) = (&first.header, &shard.header);
    let mismatch = |field| ShardError::Mismatch {
        path: shard.path.clone(),
        first: first.path.clone(),
        field,
    };
    if b.slice.count != a.slice.count {
        return Err(ShardError::CountDisagrees {
            path: shard.path.clone(),
            found: b.slice.count,
            first: first.path.clone(),
            expected: a.slice.count,
        });
    }
    if b.epoch != a.epoch {
        return Err(mismatch("key epoch"));
    }
    if b.rule_set != a.rule_set {
        return Err(mismatch("rule set"));
    }
    if b.max_request_elements != a.max_request_elements {
        return Err(mismatch("max request elements"));
    }
    if b.rows != a.rows || shard.meta.read != first.meta.read {
        return Err(mismatch("input file"));
    }
    Ok(())
}
