//! The ingest pipeline: taxpayer CSV in, encoded fingerprint set out, in bounded memory.
//!
//! | step | module | holds in memory |
//! |---|---|---|
//! | read + key + evaluate, chunk by chunk | [`input`], [`read`], [`evaluate`] | one chunk's records, keys and outputs |
//! | collect entries, spill sorted runs | [`spill`] | at most `memory_budget` of 24-byte entries |
//! | pass 1: merge, uniqueness, count | [`merge`], [`uniqueness`] | one read buffer per run, one bit per row |
//! | pass 2: merge, encode kept values | [`encode`] | the encoded set (its final size) |
//!
//! Every key is evaluated as soon as its chunk is read, and only a [`KeyEntry`] (first
//! 128 bits of the OPRF output, row, rule) is kept: local uniqueness is decided on the
//! sorted entries, and `L = fingerprint_bits(max_request_elements, kept keys)` once pass
//! 1 has counted them. The set is byte-identical to the old in-memory pipeline's
//! (plaintext uniqueness, evaluate the kept keys, sort, encode): see `docs/SCALE.md`.
//! The price of streaming is that keys later dropped as shared were evaluated too
//! ([`UniquenessStats::dropped_total`]).
//!
//! [`run_records`] runs the same pipeline over records in memory (the scale harness),
//! with the same set bytes as a CSV file of those records.
//!
//! Sharding: [`run_shard`] keys and evaluates the rows `row % n == i` and writes their
//! sorted entries to a shard file ([`shard_file`]); [`merge_shards`] checks a complete
//! set of shards ([`ShardSet`]) and runs passes 1 and 2 over their merge, which gives the
//! same bytes as [`run`] on the whole input.

mod encode;
mod entry;
mod evaluate;
mod input;
mod merge;
mod outcome;
mod pipeline;
mod precheck;
mod read;
mod rounds;
mod shard_error;
mod shard_file;
mod shard_set;
mod spill;
mod summary;
mod uniqueness;

pub use encode::{EncodedSetBytes, encode_kept};
pub use entry::{ENTRY_LEN, KeyEntry, MAX_ROW};
pub use evaluate::{ChunkTimes, KeyingStats, evaluate_chunk};
pub use input::{IngestInput, InputError};
pub use merge::{EntryStream, MergedEntries};
pub use outcome::{IngestOutcome, MergeOutcome, SetOrigin, ShardOutcome};
pub use pipeline::{
    Encoding, encode_file, merge_shards, merge_shards_opening, run, run_records, run_shard,
};
pub use precheck::{check_bad_rows, check_file};
pub use read::{CHUNK_ROWS, ReadStats, RecordChunk, Slice, read_records};
pub use rounds::MAX_OPEN_SHARDS;
pub use shard_error::ShardError;
pub use shard_file::{
    SHARD_HEADER_LEN, SHARD_MAGIC, SHARD_VERSION, ShardFile, ShardHeader, ShardMeta, write_shard,
};
pub use shard_set::ShardSet;
pub use spill::{EntrySorter, SortedEntries, remove_stale_spill_dirs};
pub use summary::{
    IngestFacts, IngestSummary, KeyCounts, PhaseSeconds, PipelineFacts, RecordCounts,
    SUMMARY_FORMAT, SetFacts,
};
pub use uniqueness::{Group, Groups, RowBitmap, UniquenessStats, count_unique};

use std::path::{Path, PathBuf};

use blindlink_core::fingerprint::SetEncodeError;
use blindlink_core::match_key::RuleSet;
use blindlink_core::oprf::OprfError;
use blindlink_store::StoreError;
use thiserror::Error;

/// Default `--max-request-elements`.
pub const DEFAULT_MAX_REQUEST_ELEMENTS: u64 = 1 << 20;

/// Default `--memory-budget`: bytes of entries held before a sorted run is spilled
/// (512 MiB, about 22 million keys).
pub const DEFAULT_MEMORY_BUDGET: u64 = 512 << 20;

/// Settings of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IngestOptions {
    /// Rules whose keys go into the set.
    pub rules: RuleSet,
    /// Largest request (in elements) the fingerprint length must keep false matches
    /// below 2^-40 for.
    pub max_request_elements: u64,
    /// Bytes of entries kept in memory before a sorted run is spilled to disk.
    pub memory_budget: u64,
}

impl IngestOptions {
    /// The options of a run: `rules`, the request size `L` is sized for, and the bytes
    /// of entries held in memory before a sorted run is spilled.
    pub fn new(rules: RuleSet, max_request_elements: u64, memory_budget: u64) -> IngestOptions {
        IngestOptions {
            rules,
            max_request_elements,
            memory_budget,
        }
    }
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            rules: RuleSet::default_policy(),
            max_request_elements: DEFAULT_MAX_REQUEST_ELEMENTS,
            memory_budget: DEFAULT_MEMORY_BUDGET,
        }
    }
}

/// A pipeline phase, for progress reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading, keying and evaluating; progress in input bytes (in records for
    /// [`run_records`]).
    ReadAndKeys,
    /// Merging the sorted runs and counting unique keys; no progress steps.
    Uniqueness,
    /// Merging again and coding the set (or writing the shard file); no progress steps.
    Encode,
}

impl Phase {
    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            Phase::ReadAndKeys => "reading+evaluating",
            Phase::Uniqueness => "local uniqueness",
            Phase::Encode => "encoding",
        }
    }
}

/// Receives progress (the binary draws bars; tests pass [`NoProgress`]).
pub trait IngestProgress: Sync {
    /// A phase starts; `total` is its step count when known.
    fn begin(&self, phase: Phase, total: Option<u64>);
    /// `steps` more steps of the current phase are done.
    fn advance(&self, steps: u64);
    /// The current phase is done.
    fn end(&self);
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl IngestProgress for NoProgress {
    fn begin(&self, _: Phase, _: Option<u64>) {}
    fn advance(&self, _: u64) {}
    fn end(&self) {}
}

/// Why a run failed.
#[derive(Debug, Error)]
pub enum IngestError {
    /// The input cannot be used.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The OPRF refused a key (a key over 65,535 bytes, or hashing to the identity).
    #[error("OPRF evaluation failed: {0}")]
    Oprf(#[from] OprfError),
    /// The set could not be encoded.
    #[error("set encoding failed: {0}")]
    Encode(#[from] SetEncodeError),
    /// A temporary sorted run could not be written or read back.
    #[error("{op} sorted run {}: {source}", path.display())]
    Spill {
        /// What was being done.
        op: &'static str,
        /// The run file or spill directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A shard file, or the set of them, cannot be used.
    #[error(transparent)]
    Shard(#[from] ShardError),
    /// Writing a file failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A sorted stream went backwards (a damaged run).
    #[error("sorted stream {stream} is out of order (a damaged temporary run)")]
    Unsorted {
        /// Which stream.
        stream: usize,
    },
    /// An entry names a row beyond the input's row count.
    #[error("an entry names row {row} of an input with {rows} rows")]
    RowOutOfRange {
        /// The row.
        row: u64,
        /// Rows of the input.
        rows: u64,
    },
    /// More rows than an entry can number, or a row bitmap this large cannot be
    /// allocated.
    #[error("cannot track {rows} rows in memory (a damaged shard header?)")]
    RowsUntrackable {
        /// Rows claimed.
        rows: u64,
    },
    /// More than 2^62 rows.
    #[error("the input has more rows than an entry can number (2^62)")]
    TooManyRows,
    /// The shard file records a rule set this build does not know.
    #[error("shard rule set bits {0:#04x} are not a known rule set")]
    UnknownRules(u8),
}

impl IngestError {
    /// An [`IngestError::Spill`] maker for `op` on `path`.
    pub fn spill(op: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> IngestError {
        let path = path.to_path_buf();
        move |source| IngestError::Spill { op, path, source }
    }
}
