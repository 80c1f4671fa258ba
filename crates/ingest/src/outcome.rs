//! What the pipeline produced ([`IngestOutcome`], [`ShardOutcome`], [`MergeOutcome`]),
//! and where a set came from ([`SetOrigin`]), for its summary.

use std::path::Path;

use blindlink_core::match_key::RuleSet;
use blindlink_protocol::manifest::KeyEpoch;

use super::IngestOptions;
use super::encode::EncodedSetBytes;
use super::evaluate::KeyingStats;
use super::read::ReadStats;
use super::shard_file::ShardHeader;
use super::summary::{PhaseSeconds, PipelineFacts};
use super::uniqueness::UniquenessStats;

/// What [`run`](crate::run) and [`merge_shards`](crate::merge_shards) produce.
#[derive(Debug)]
pub struct IngestOutcome {
    /// Counts over the whole input.
    pub read: ReadStats,
    /// Keying counts (all slices).
    pub keying: KeyingStats,
    /// Uniqueness counts.
    pub uniqueness: UniquenessStats,
    /// Fingerprint length `L`.
    pub bits: u32,
    /// The encoded set.
    pub set: EncodedSetBytes,
    /// Sorted runs spilled to disk (0 for a merge of shards).
    pub spill_runs: usize,
    /// Seconds per step (`write` and `total` are 0: the caller sets them).
    pub seconds: PhaseSeconds,
}

/// What [`run_shard`](crate::run_shard) produced.
#[derive(Debug)]
pub struct ShardOutcome {
    /// The shard file's header.
    pub header: ShardHeader,
    /// Counts over the whole input.
    pub read: ReadStats,
    /// Keying counts of the slice.
    pub keying: KeyingStats,
    /// Sorted runs spilled to disk.
    pub spill_runs: usize,
    /// Seconds per step (`encode` is the shard file write).
    pub seconds: PhaseSeconds,
}

/// What [`merge_shards`](crate::merge_shards) produced, with the settings read from the
/// shards.
#[derive(Debug)]
pub struct MergeOutcome {
    /// The set and its counts.
    pub outcome: IngestOutcome,
    /// Epoch of the shards.
    pub epoch: KeyEpoch,
    /// Rules of the shards.
    pub rules: RuleSet,
    /// `max_request_elements` of the shards.
    pub max_request_elements: u64,
    /// Input path recorded by shard 0.
    pub input: String,
    /// Number of shards.
    pub shards: usize,
}

impl MergeOutcome {
    /// Where the merged set came from: the shards' settings and input.
    pub fn origin(&self) -> SetOrigin {
        SetOrigin {
            epoch: self.epoch,
            input: self.input.clone(),
            rules: self.rules,
            max_request_elements: self.max_request_elements,
            pipeline: PipelineFacts {
                memory_budget: 0,
                spill_runs: 0,
                shards: self.shards as u64,
            },
        }
    }
}

/// Where an encoded set came from, for its summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetOrigin {
    /// The epoch.
    pub epoch: KeyEpoch,
    /// The input path as given.
    pub input: String,
    /// Rules of the set.
    pub rules: RuleSet,
    /// Request size `L` is sized for.
    pub max_request_elements: u64,
    /// How the run was carried out.
    pub pipeline: PipelineFacts,
}

impl SetOrigin {
    /// The origin of `outcome`, a run over the input `input` under `epoch` with
    /// `options`.
    pub fn of_run(
        epoch: KeyEpoch,
        input: &Path,
        options: &IngestOptions,
        outcome: &IngestOutcome,
    ) -> SetOrigin {
        SetOrigin {
            epoch,
            input: input.display().to_string(),
            rules: options.rules,
            max_request_elements: options.max_request_elements,
            pipeline: PipelineFacts {
                memory_budget: options.memory_budget,
                spill_runs: outcome.spill_runs as u64,
                shards: 0,
            },
        }
    }
}
