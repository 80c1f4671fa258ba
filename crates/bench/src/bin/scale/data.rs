//! Synthetic data (blindlink-synth) and the holder's encoding of it with the shipped
//! ingest pipeline (`blindlink_ingest::run_records`: the streaming read, keys and
//! evaluation, external sort, uniqueness and encoding `irs ingest` runs, fed records in
//! memory instead of a CSV file).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use blindlink_core::match_key::{KeySide, RuleSet, match_keys};
use blindlink_core::normalize::normalize;
use blindlink_core::oprf::SecretKey;
use blindlink_core::record::Record;
use blindlink_ingest::{CHUNK_ROWS, Encoding, IngestOptions, IngestOutcome, IngestProgress, Phase};
use blindlink_protocol::bundle::RequestRow;
use blindlink_protocol::manifest::KeyEpoch;
use blindlink_synth::{CorruptionProfile, RequestParams};

use crate::bound::{BatchShape, Samples};

/// The synthetic holder file and the request drawn from it.
#[derive(Debug)]
pub struct Dataset {
    /// The holder's records.
    pub holder: Vec<Record>,
    /// The request rows (with references).
    pub request: Vec<RequestRow>,
    /// Request rows that are people on file (ground truth).
    pub present: usize,
}

/// Draws `holder` taxpayers and a `request` of which `present_fraction` are on file
/// (the `realistic` corruption profile).
pub fn dataset(
    seed: u64,
    holder: usize,
    request: usize,
    present_fraction: f64,
) -> anyhow::Result<Dataset> {
    let population = blindlink_synth::population(seed, holder);
    let params = RequestParams {
        seed: seed.wrapping_add(1),
        count: request,
        present_fraction,
        profile: CorruptionProfile::REALISTIC,
    };
    let (rows, truth) = blindlink_synth::request(&population, &params)?;
    let present = truth.iter().filter(|t| t.present).count();
    let request = rows
        .into_iter()
        .map(|r| RequestRow {
            record: r.record,
            case_ref: r.case_ref,
            final_order_ref: r.final_order_ref,
        })
        .collect();
    Ok(Dataset {
        holder: population,
        request,
        present,
    })
}

/// The holder's encoded set for one epoch.
#[derive(Debug)]
pub struct HolderSet {
    /// The epoch's OPRF key.
    pub key: SecretKey,
    /// The epoch id.
    pub epoch: [u8; 16],
    /// The serialized set.
    pub bytes: Vec<u8>,
    /// Its content hash.
    pub hash: [u8; 32],
    /// Distinct fingerprints in it.
    pub count: u64,
    /// Keys evaluated (all keys of keyed records; those later dropped as shared too).
    pub keys: u64,
    /// Fingerprint length `L`.
    pub bits: u32,
    /// Rice parameter.
    pub rice_parameter: u32,
}

/// The holder's OPRF batch: one ingest chunk's keys (`evaluate_batch` runs once per chunk
/// of [`CHUNK_ROWS`] records), counted on the first chunk with the rules ingest uses.
pub fn holder_shape(records: &[Record]) -> BatchShape {
    let first = &records[..records.len().min(CHUNK_ROWS)];
    let keys: usize = first
        .par_iter()
        .map(|r| match_keys(&normalize(r), RuleSet::default_policy(), KeySide::Holder).len())
        .sum();
    BatchShape::of(keys)
}

/// Chunks of the streaming front between two bound samples (~131,000 records): a long
/// phase on a shared machine needs the bound followed through it, not only at its ends.
const CHUNKS_PER_SAMPLE: u64 = 8;

/// When each pipeline phase began and ended, and the bound samples taken inside.
#[derive(Debug, Default)]
pub struct PipelineClock {
    /// `(phase, began, ended)` in order.
    pub windows: Vec<(Phase, Instant, Option<Instant>)>,
    /// Time spent on bound samples inside the streaming front.
    pub sampled: Duration,
}

/// The harness's [`IngestProgress`]: records phase windows, and takes a bound sample every
/// [`CHUNKS_PER_SAMPLE`] chunks of the streaming front (between chunks, when nothing else
/// runs: the pipeline reads, evaluates and sorts one chunk at a time).
struct Timed<'a> {
    samples: &'a Samples,
    shape: BatchShape,
    clock: Mutex<PipelineClock>,
    chunks: AtomicU64,
}

impl IngestProgress for Timed<'_> {
    fn begin(&self, phase: Phase, _total: Option<u64>) {
        if let Ok(mut c) = self.clock.lock() {
            c.windows.push((phase, Instant::now(), None));
        }
    }

    fn advance(&self, _steps: u64) {
        let n = self.chunks.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_multiple_of(CHUNKS_PER_SAMPLE) {
            let spent = self.samples.take(self.shape);
            if let Ok(mut c) = self.clock.lock() {
                c.sampled += spent;
            }
        }
    }

    fn end(&self) {
        if let Ok(mut c) = self.clock.lock()
            && let Some(last) = c.windows.last_mut()
        {
            last.2 = Some(Instant::now());
        }
    }
}

/// Runs the shipped ingest pipeline (`blindlink-ingest`, what `irs ingest` runs, here on
/// records in memory instead of a CSV file) under a fresh key, with the default rules and
/// memory budget, spilling into a temporary directory.
pub fn encode_holder(
    records: Vec<Record>,
    epoch: [u8; 16],
    max_request_elements: u64,
    samples: &Samples,
) -> anyhow::Result<(HolderSet, IngestOutcome, PipelineClock)> {
    let key = SecretKey::generate(&mut rand::rng());
    let scratch = tempfile::tempdir()?;
    let options = IngestOptions {
        max_request_elements,
        ..IngestOptions::default()
    };
    let progress = Timed {
        samples,
        shape: holder_shape(&records),
        clock: Mutex::new(PipelineClock::default()),
        chunks: AtomicU64::new(0),
    };
    let job = Encoding {
        key: &key,
        epoch: KeyEpoch::from_bytes(epoch),
        options: &options,
        scratch: scratch.path(),
        progress: &progress,
    };
    let mut outcome = blindlink_ingest::run_records(records, &job)?;
    let clock = progress
        .clock
        .into_inner()
        .map_err(|_| anyhow::anyhow!("progress lock poisoned"))?;
    let set = HolderSet {
        key,
        epoch,
        bytes: std::mem::take(&mut outcome.set.bytes),
        hash: outcome.set.hash,
        count: outcome.set.count,
        keys: outcome.keying.keys(),
        bits: outcome.bits,
        rice_parameter: outcome.set.rice_parameter,
    };
    Ok((set, outcome, clock))
}
