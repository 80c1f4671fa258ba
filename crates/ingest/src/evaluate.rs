//! Keying and evaluation of one chunk of records: normalize, derive the holder-side match
//! keys, evaluate `F(k, x)` in VOPRF mode for every key, and keep one [`KeyEntry`] per
//! key. The plaintext keys and the 64-byte outputs live only for the chunk.
//!
//! The VOPRF context string matters: the requester finalizes in VOPRF mode, and the
//! holder's own evaluation must use the same suite (`Mode::Voprf`), or no fingerprint
//! would ever match. Normalization, keying and evaluation run in parallel (rayon) inside
//! the chunk.

use std::time::{Duration, Instant};

use blindlink_core::match_key::{KeySide, MatchKey, RuleSet, match_keys};
use blindlink_core::normalize::normalize;
use blindlink_core::oprf::{Mode, SecretKey, evaluate_batch};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::IngestError;
use super::entry::KeyEntry;
use super::read::RecordChunk;

/// Counts of the keyed rows (one slice of the file, or all of it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyingStats {
    /// Records keyed.
    pub records: u64,
    /// Records from which no key could be derived (e.g. no usable name or ZIP).
    pub without_keys: u64,
    /// Keys derived (and evaluated) per rule, indexed by
    /// [`MatchRule::index`](blindlink_core::match_key::MatchRule::index).
    pub keys_per_rule: [u64; 4],
}

impl KeyingStats {
    /// Records with at least one key. Counts read from a shard file are checked by
    /// [`ShardSet::open`](crate::ShardSet::open); the arithmetic here saturates so that
    /// unchecked ones cannot overflow either.
    pub fn records_with_keys(&self) -> u64 {
        self.records.saturating_sub(self.without_keys)
    }

    /// Keys over all rules.
    pub fn keys(&self) -> u64 {
        self.keys_per_rule
            .iter()
            .fold(0, |sum, &n| sum.saturating_add(n))
    }

    /// Adds another slice's counts.
    pub fn add(&mut self, other: &KeyingStats) {
        self.records = self.records.saturating_add(other.records);
        self.without_keys = self.without_keys.saturating_add(other.without_keys);
        for (mine, theirs) in self.keys_per_rule.iter_mut().zip(other.keys_per_rule) {
            *mine = mine.saturating_add(theirs);
        }
    }
}

/// Where time went in [`evaluate_chunk`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ChunkTimes {
    /// Normalizing and keying.
    pub keying: Duration,
    /// OPRF evaluation.
    pub evaluate: Duration,
}

/// Keys and evaluates `chunk` under `sk`, appending one entry per key to `out` and
/// counting into `stats` and `times`.
pub fn evaluate_chunk(
    sk: &SecretKey,
    rules: RuleSet,
    chunk: RecordChunk,
    stats: &mut KeyingStats,
    times: &mut ChunkTimes,
    out: &mut Vec<KeyEntry>,
) -> Result<(), IngestError> {
    let started = Instant::now();
    let keyed: Vec<(u64, Vec<MatchKey>)> = chunk
        .into_par_iter()
        .map(|(row, record)| (row, match_keys(&normalize(&record), rules, KeySide::Holder)))
        .collect();
    stats.records += keyed.len() as u64;
    let mut inputs: Vec<&[u8]> = Vec::new();
    let mut tags = Vec::new();
    for (row, keys) in &keyed {
        if keys.is_empty() {
            stats.without_keys += 1;
        }
        for key in keys {
            if let Some(n) = stats.keys_per_rule.get_mut(key.rule.index()) {
                *n += 1;
            }
            inputs.push(&key.bytes);
            tags.push((*row, key.rule));
        }
    }
    let evaluating = Instant::now();
    times.keying += evaluating - started;
    let outputs = evaluate_batch(Mode::Voprf, sk, &inputs)?;
    times.evaluate += evaluating.elapsed();
    out.reserve(outputs.len());
    for (output, (row, rule)) in outputs.iter().zip(tags) {
        let entry = KeyEntry::of_output(output, row, rule).ok_or(IngestError::TooManyRows)?;
        out.push(entry);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use blindlink_core::fingerprint::fingerprint;
    use blindlink_core::record::Record;

    fn record(id: usize, given: &str) -> Record {
        let id = id.to_string();
        Record::from_fields([
            &id,
            given,
            "Quist",
            "",
            "12 Elm St",
            "",
            "Springfield",
            "IL",
            "62701",
            "",
        ])
    }

    #[test]
    fn one_entry_per_key_from_the_voprf_outputs() {
        let sk = SecretKey::from_bytes(&[3; 32]).unwrap();
        let rules = RuleSet::default_policy();
        let chunk = vec![
            (4, record(4, "Alma")),
            (9, record(9, "")),
            (11, record(11, "Bea")),
        ];
        let mut stats = KeyingStats::default();
        let mut out = Vec::new();
        evaluate_chunk(
            &sk,
            rules,
            chunk,
            &mut stats,
            &mut ChunkTimes::default(),
            &mut out,
        )
        .unwrap();
        assert_eq!(stats.records, 3);
        assert_eq!(stats.without_keys, 1);
        assert_eq!(stats.records_with_keys(), 2);
        assert_eq!(out.len() as u64, stats.keys());
        let keys = match_keys(&normalize(&record(11, "Bea")), rules, KeySide::Holder);
        let inputs: Vec<&[u8]> = keys.iter().map(|k| k.bytes.as_slice()).collect();
        let voprf = evaluate_batch(Mode::Voprf, &sk, &inputs).unwrap();
        let oprf = evaluate_batch(Mode::Oprf, &sk, &inputs).unwrap();
        let mine: Vec<&KeyEntry> = out.iter().filter(|e| e.row() == 11).collect();
        assert_eq!(mine.len(), keys.len());
        for ((entry, key), (v, o)) in mine.iter().zip(&keys).zip(voprf.iter().zip(&oprf)) {
            assert_eq!(entry.rule(), key.rule);
            assert_eq!(entry.fingerprint(80), fingerprint(v, 80));
            assert_ne!(entry.fingerprint(80), fingerprint(o, 80));
        }
    }
}
