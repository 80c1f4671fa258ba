//! `ingest.json`: what an ingest run read, derived, dropped and wrote, and how long each
//! phase took. Counts per rule are objects keyed by rule id (`{"R1": 998, "R2": 1000}`),
//! listing the rules of the run.

use std::collections::BTreeMap;

use blindlink_core::match_key::RuleSet;
use blindlink_protocol::manifest::KeyEpoch;
use serde::{Deserialize, Serialize};

use super::encode::EncodedSetBytes;
use super::evaluate::KeyingStats;
use super::outcome::{IngestOutcome, SetOrigin};
use super::read::ReadStats;
use super::uniqueness::UniquenessStats;

/// Value of [`IngestSummary::format`].
pub const SUMMARY_FORMAT: &str = "blindlink-ingest-summary-v1";

/// The `ingest.json` of one epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestSummary {
    /// Always [`SUMMARY_FORMAT`].
    pub format: String,
    /// The key epoch the set was encoded under.
    pub epoch: KeyEpoch,
    /// The input path as given.
    pub input: String,
    /// Input size in bytes.
    pub input_bytes: u64,
    /// SHA-256 of the input, hex.
    pub input_sha256: String,
    /// Rule ids of the set, strongest first.
    pub rules: Vec<String>,
    /// Request size the fingerprint length is sized for.
    pub max_request_elements: u64,
    /// Rows and records.
    pub records: RecordCounts,
    /// Keys per rule through the phases.
    pub keys: KeyCounts,
    /// The encoded set.
    pub set: SetFacts,
    /// Wall-clock seconds per phase.
    pub seconds: PhaseSeconds,
    /// How the run was done (memory budget, spilled runs, shards).
    #[serde(default)]
    pub pipeline: PipelineFacts,
    /// Worker threads used.
    pub threads: usize,
    /// When the run finished, unix seconds.
    pub created_at: u64,
}

/// Rows and records of an ingest run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordCounts {
    /// Data rows, good or bad.
    pub rows: u64,
    /// Rows turned into records.
    pub read: u64,
    /// Rows skipped as malformed.
    pub skipped: u64,
    /// Skipped rows by reason (`wrong-field-count`, `invalid-utf8`, `field-too-long`).
    pub skipped_by_reason: BTreeMap<String, u64>,
    /// Line numbers of the first skipped rows.
    pub first_skipped_lines: Vec<u64>,
    /// Records without any key (no usable name, address or ZIP).
    pub without_keys: u64,
    /// Records whose keys were all dropped as not locally unique.
    pub emptied_by_uniqueness: u64,
    /// Header columns ignored.
    pub ignored_columns: Vec<String>,
}

/// Keys per rule through the phases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyCounts {
    /// Derived from the records.
    pub derived: BTreeMap<String, u64>,
    /// Distinct values dropped as shared by two or more records.
    pub dropped_values: BTreeMap<String, u64>,
    /// Key entries dropped with them.
    pub dropped_keys: BTreeMap<String, u64>,
    /// Kept and evaluated.
    pub kept: BTreeMap<String, u64>,
    /// Kept keys over all rules.
    pub unique_total: u64,
    /// Keys evaluated (all derived keys: the pipeline evaluates before uniqueness).
    #[serde(default)]
    pub evaluated: u64,
    /// Keys evaluated and then dropped as not locally unique (wasted OPRF work).
    #[serde(default)]
    pub evaluated_then_dropped: u64,
}

/// How an ingest run was carried out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineFacts {
    /// `--memory-budget` in bytes (0 for a merge of shards, which holds no entries).
    pub memory_budget: u64,
    /// Sorted runs spilled to disk.
    pub spill_runs: u64,
    /// Shards merged (0 for an unsharded run).
    pub shards: u64,
}

/// The encoded set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetFacts {
    /// Distinct fingerprints.
    pub size: u64,
    /// Fingerprint length `L`.
    pub fingerprint_bits: u32,
    /// Rice parameter `k`.
    pub rice_parameter: u32,
    /// Size of `set.bin`.
    pub bytes: u64,
    /// `8 * bytes / size`.
    pub bits_per_element: f64,
    /// Content hash, hex.
    pub hash: String,
}

/// Wall-clock seconds per phase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct PhaseSeconds {
    /// Reading the CSV, normalizing, deriving keys.
    pub read_and_keys: f64,
    /// OPRF evaluation.
    pub evaluate: f64,
    /// Sorting entries and spilling runs.
    #[serde(default)]
    pub sort: f64,
    /// Local uniqueness (pass 1 over the merged runs or shards).
    pub uniqueness: f64,
    /// Rice coding (pass 2), or writing the shard file.
    pub encode: f64,
    /// Writing `set.bin` durably.
    pub write: f64,
    /// The whole run.
    pub total: f64,
}

/// What the pipeline knows at the end of phase 4.
#[derive(Debug, Clone)]
pub struct IngestFacts<'a> {
    /// The epoch.
    pub epoch: KeyEpoch,
    /// The input path as given.
    pub input: String,
    /// Rules used.
    pub rules: RuleSet,
    /// Request size `L` is sized for.
    pub max_request_elements: u64,
    /// Counts over the whole input.
    pub read: &'a ReadStats,
    /// Keying counts.
    pub keying: &'a KeyingStats,
    /// Uniqueness counts.
    pub uniqueness: &'a UniquenessStats,
    /// Fingerprint length.
    pub bits: u32,
    /// The set.
    pub set: &'a EncodedSetBytes,
    /// How the run was carried out.
    pub pipeline: PipelineFacts,
}

impl IngestSummary {
    /// Assembles the summary.
    pub fn new(
        facts: &IngestFacts<'_>,
        seconds: PhaseSeconds,
        threads: usize,
        created_at: u64,
    ) -> IngestSummary {
        let per_rule = |counts: &[u64; 4]| -> BTreeMap<String, u64> {
            facts
                .rules
                .iter()
                .map(|r| {
                    (
                        r.id().to_owned(),
                        counts.get(r.index()).copied().unwrap_or(0),
                    )
                })
                .collect()
        };
        let read = facts.read;
        let keying = facts.keying;
        let u = facts.uniqueness;
        IngestSummary {
            format: SUMMARY_FORMAT.to_owned(),
            epoch: facts.epoch,
            input: facts.input.clone(),
            input_bytes: read.input_bytes,
            input_sha256: hex::encode(read.input_sha256),
            rules: facts.rules.iter().map(|r| r.id().to_owned()).collect(),
            max_request_elements: facts.max_request_elements,
            records: RecordCounts {
                rows: read.rows,
                read: read.records,
                skipped: read.skipped(),
                skipped_by_reason: BTreeMap::from([
                    ("wrong-field-count".to_owned(), read.wrong_field_count),
                    ("invalid-utf8".to_owned(), read.invalid_utf8),
                    ("field-too-long".to_owned(), read.field_too_long),
                ]),
                first_skipped_lines: read.first_bad_lines.clone(),
                without_keys: keying.without_keys,
                emptied_by_uniqueness: u.records_emptied,
                ignored_columns: read.ignored_columns.clone(),
            },
            keys: KeyCounts {
                derived: per_rule(&keying.keys_per_rule),
                dropped_values: per_rule(&u.dropped_values),
                dropped_keys: per_rule(&u.dropped_keys),
                kept: per_rule(&u.kept),
                unique_total: u.unique_keys(),
                evaluated: keying.keys(),
                evaluated_then_dropped: u.dropped_total(),
            },
            set: SetFacts {
                size: facts.set.count,
                fingerprint_bits: facts.bits,
                rice_parameter: facts.set.rice_parameter,
                bytes: facts.set.bytes.len() as u64,
                bits_per_element: (facts.set.bits_per_element() * 1000.0).round() / 1000.0,
                hash: hex::encode(facts.set.hash),
            },
            seconds,
            pipeline: facts.pipeline,
            threads,
            created_at,
        }
    }

    /// The summary of `outcome`, a run or merge from `origin`; `seconds` are the
    /// outcome's with the caller's `write` and `total` filled in.
    pub fn of_outcome(
        origin: &SetOrigin,
        outcome: &IngestOutcome,
        seconds: PhaseSeconds,
        threads: usize,
        created_at: u64,
    ) -> IngestSummary {
        let facts = IngestFacts {
            epoch: origin.epoch,
            input: origin.input.clone(),
            rules: origin.rules,
            max_request_elements: origin.max_request_elements,
            read: &outcome.read,
            keying: &outcome.keying,
            uniqueness: &outcome.uniqueness,
            bits: outcome.bits,
            set: &outcome.set,
            pipeline: origin.pipeline,
        };
        IngestSummary::new(&facts, seconds, threads, created_at)
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }
}
