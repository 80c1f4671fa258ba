//! The ingest pipeline: taxpayer CSV in, encoded fingerprint set out.
//!
//! | phase | function | holds in memory |
//! |---|---|---|
//! | 1 read + keys | [`read_keyed_records`] | every record's key list (~100 B per key) |
//! | 2 uniqueness | [`retain_unique`] | plus a hash map over all keys (~40 B per key) |
//! | 3 evaluate | [`evaluate_fingerprints`] | key lists (released as consumed), 16 B per fingerprint |
//! | 4 encode | [`encode_set`] | fingerprints, the encoded bytes |
//! | 5 write | the binary (`AtomicFile`) | the encoded bytes |
//!
//! `L = fingerprint_bits(max_request_elements, unique keys)` is fixed between phases 2
//! and 3. Each phase is a separate function so that a bounded-memory variant (external
//! sort, sharding) can replace one without touching the others; [`run`] chains phases
//! 1 to 4 and times them.

mod encode;
mod evaluate;
mod read;
mod summary;
mod uniqueness;

pub use encode::{EncodedSetBytes, encode_set};
pub use evaluate::{DEFAULT_BATCH, evaluate_fingerprints};
pub use read::{KeyedRecords, ReadStats, read_keyed_records};
pub use summary::{
    IngestFacts, IngestSummary, KeyCounts, PhaseSeconds, RecordCounts, SUMMARY_FORMAT, SetFacts,
};
pub use uniqueness::{UniquenessStats, retain_unique};

use std::io::Read;
use std::path::Path;
use std::time::Instant;

use blindlink_core::fingerprint::{SetEncodeError, SetParams, fingerprint_bits};
use blindlink_core::match_key::RuleSet;
use blindlink_core::oprf::{OprfError, SecretKey};
use blindlink_protocol::manifest::KeyEpoch;
use thiserror::Error;

use crate::error::InputError;

/// Default `--max-request-elements`.
pub const DEFAULT_MAX_REQUEST_ELEMENTS: u64 = 1 << 20;

/// Settings of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IngestOptions {
    /// Rules whose keys go into the set.
    pub rules: RuleSet,
    /// Largest request (in elements) the fingerprint length must keep false matches
    /// below 2^-40 for.
    pub max_request_elements: u64,
    /// Keys per OPRF batch.
    pub batch_size: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            rules: RuleSet::default_policy(),
            max_request_elements: DEFAULT_MAX_REQUEST_ELEMENTS,
            batch_size: DEFAULT_BATCH,
        }
    }
}

/// A pipeline phase, for progress reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading and keying; progress in input bytes.
    ReadAndKeys,
    /// Local uniqueness; no progress steps.
    Uniqueness,
    /// OPRF evaluation; progress in keys.
    Evaluate,
    /// Sorting and coding; no progress steps.
    Encode,
}

impl Phase {
    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            Phase::ReadAndKeys => "reading records",
            Phase::Uniqueness => "local uniqueness",
            Phase::Evaluate => "evaluating OPRF",
            Phase::Encode => "encoding set",
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
}

/// What [`run`] produced.
#[derive(Debug)]
pub struct IngestOutcome {
    /// Phase 1 counts.
    pub read: ReadStats,
    /// Phase 2 counts.
    pub uniqueness: UniquenessStats,
    /// Fingerprint length `L`.
    pub bits: u32,
    /// The encoded set.
    pub set: EncodedSetBytes,
    /// Seconds of phases 1 to 4 (`write` and `total` are 0: the caller sets them).
    pub seconds: PhaseSeconds,
}

/// The taxpayer CSV to ingest.
#[derive(Debug)]
pub struct IngestInput<'p, R> {
    /// The bytes.
    pub reader: R,
    /// Its path, for messages.
    pub path: &'p Path,
    /// Its length in bytes, if known (for progress).
    pub len: Option<u64>,
}

/// Runs phases 1 to 4 on `input` with the epoch's key.
pub fn run<R: Read>(
    input: IngestInput<'_, R>,
    sk: &SecretKey,
    epoch: KeyEpoch,
    options: &IngestOptions,
    progress: &dyn IngestProgress,
) -> Result<IngestOutcome, IngestError> {
    let mut seconds = PhaseSeconds::default();

    let started = Instant::now();
    progress.begin(Phase::ReadAndKeys, input.len);
    let keyed = read_keyed_records(input.reader, input.path, options.rules, &|n| {
        progress.advance(n)
    });
    progress.end();
    let KeyedRecords { mut keys, stats } = keyed?;
    seconds.read_and_keys = started.elapsed().as_secs_f64();
    tracing::info!(
        rows = stats.rows,
        skipped = stats.skipped(),
        without_keys = stats.without_keys,
        "records read"
    );

    let started = Instant::now();
    progress.begin(Phase::Uniqueness, None);
    let uniqueness = retain_unique(&mut keys);
    progress.end();
    seconds.uniqueness = started.elapsed().as_secs_f64();
    let unique = uniqueness.unique_keys();
    let bits = fingerprint_bits(options.max_request_elements, unique);
    tracing::info!(
        unique_keys = unique,
        fingerprint_bits = bits,
        "keys locally unique"
    );

    let started = Instant::now();
    progress.begin(Phase::Evaluate, Some(unique));
    let fingerprints =
        evaluate_fingerprints(sk, keys, bits, options.batch_size, &|n| progress.advance(n));
    progress.end();
    let fingerprints = fingerprints?;
    seconds.evaluate = started.elapsed().as_secs_f64();

    let started = Instant::now();
    progress.begin(Phase::Encode, None);
    let params = SetParams {
        bits,
        rule_set: options.rules.bits(),
        key_epoch: *epoch.as_bytes(),
    };
    let set = encode_set(fingerprints, params);
    progress.end();
    let set = set?;
    seconds.encode = started.elapsed().as_secs_f64();

    Ok(IngestOutcome {
        read: stats,
        uniqueness,
        bits,
        set,
        seconds,
    })
}
