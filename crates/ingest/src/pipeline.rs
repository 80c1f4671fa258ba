//! The ways through the pipeline: [`run`] (the whole input, one process; from a file:
//! [`encode_file`]; from records in memory: [`run_records`]),
//! [`run_shard`] (one slice, to a shard file) and [`merge_shards`] (shard files to the
//! set). They share the streaming front ([`evaluate_input`]) and the two passes over a
//! sorted stream ([`encode_sorted`]).

use std::io::Read;
use std::path::Path;
use std::time::Instant;

use blindlink_core::fingerprint::{SetParams, fingerprint_bits};
use blindlink_core::match_key::RuleSet;
use blindlink_core::oprf::SecretKey;
use blindlink_core::record::Record;
use blindlink_protocol::manifest::KeyEpoch;

use super::encode::{EncodedSetBytes, encode_kept};
use super::evaluate::{ChunkTimes, KeyingStats, evaluate_chunk};
use super::input::{IngestInput, read_in_memory};
use super::merge::MergedEntries;
use super::outcome::{IngestOutcome, MergeOutcome, ShardOutcome};
use super::precheck::check_file;
use super::read::{ReadStats, RecordChunk, Slice, read_records};
use super::rounds::{MAX_OPEN_SHARDS, merge_in_rounds};
use super::shard_file::{ShardHeader, ShardMeta, write_shard};
use super::shard_set::ShardSet;
use super::spill::{EntrySorter, SortedEntries};
use super::summary::PhaseSeconds;
use super::uniqueness::{UniquenessStats, count_unique};
use super::{IngestError, IngestOptions, IngestProgress, Phase};

/// What every encoding run needs besides its input: the epoch's key and id, the options,
/// where to spill sorted runs, and where progress goes.
#[derive(Clone, Copy)]
pub struct Encoding<'a> {
    /// The epoch's OPRF key.
    pub key: &'a SecretKey,
    /// The epoch the set is encoded under.
    pub epoch: KeyEpoch,
    /// Rules, fingerprint sizing and memory budget.
    pub options: &'a IngestOptions,
    /// Directory under which a private spill directory is made when the budget is exceeded.
    pub scratch: &'a Path,
    /// Progress reports.
    pub progress: &'a dyn IngestProgress,
}

impl std::fmt::Debug for Encoding<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoding")
            .field("epoch", &self.epoch)
            .field("options", self.options)
            .field("scratch", &self.scratch)
            .finish_non_exhaustive()
    }
}

/// The source of the streaming front: hands the records of the input (its slice) to the
/// sink in chunks, reports progress steps to `on_steps`, and returns the counts of the
/// whole input ([`read_records`] for a CSV, [`read_in_memory`] for records).
trait RecordFeed:
    FnOnce(&(dyn Fn(u64) + Sync), ChunkSink<'_>) -> Result<ReadStats, IngestError>
{
}

impl<F> RecordFeed for F where
    F: FnOnce(&(dyn Fn(u64) + Sync), ChunkSink<'_>) -> Result<ReadStats, IngestError>
{
}

/// Where the feed hands its chunks.
type ChunkSink<'a> = &'a mut dyn FnMut(RecordChunk) -> Result<(), IngestError>;

/// The CSV `input`'s rows of `slice`, as a feed with its progress total (bytes).
fn csv_feed<R: Read>(input: IngestInput<'_, R>, slice: Slice) -> (Option<u64>, impl RecordFeed) {
    let IngestInput { reader, path, len } = input;
    let feed = move |on_steps: &(dyn Fn(u64) + Sync), sink: ChunkSink<'_>| {
        read_records(reader, path, slice, on_steps, sink)
    };
    (len, feed)
}

/// The streaming front: takes the feed's records chunk by chunk, keys and evaluates
/// them, and sorts the entries under the memory budget (spilling to `scratch`).
/// `total` is the feed's progress total, if known.
fn evaluate_input(
    total: Option<u64>,
    feed: impl RecordFeed,
    job: &Encoding<'_>,
    seconds: &mut PhaseSeconds,
) -> Result<(ReadStats, KeyingStats, SortedEntries), IngestError> {
    let Encoding {
        key: sk,
        options,
        scratch,
        progress,
        ..
    } = *job;
    let started = Instant::now();
    let mut sorter = EntrySorter::new(options.memory_budget, scratch);
    let mut keying = KeyingStats::default();
    let mut times = ChunkTimes::default();
    let mut sort_seconds = 0.0;
    progress.begin(Phase::ReadAndKeys, total);
    let read = feed(&|n| progress.advance(n), &mut |chunk| {
        let mut entries = Vec::new();
        evaluate_chunk(
            sk,
            options.rules,
            chunk,
            &mut keying,
            &mut times,
            &mut entries,
        )?;
        let sorting = Instant::now();
        sorter.extend(entries)?;
        sort_seconds += sorting.elapsed().as_secs_f64();
        Ok(())
    });
    progress.end();
    let read = read?;
    let sorting = Instant::now();
    let sorted = sorter.finish();
    seconds.sort = sort_seconds + sorting.elapsed().as_secs_f64();
    seconds.evaluate = times.evaluate.as_secs_f64();
    seconds.read_and_keys = started.elapsed().as_secs_f64() - seconds.evaluate - seconds.sort;
    tracing::info!(
        rows = read.rows,
        skipped = read.skipped(),
        keys = keying.keys(),
        runs = sorted.runs(),
        "records read and evaluated"
    );
    Ok((read, keying, sorted))
}

/// Passes 1 and 2 over a sorted stream (opened twice by `open`): uniqueness counts,
/// `L`, then the set.
fn encode_sorted<'a>(
    open: &dyn Fn() -> Result<MergedEntries<'a>, IngestError>,
    read: &ReadStats,
    keying: &KeyingStats,
    options: &IngestOptions,
    epoch: KeyEpoch,
    progress: &dyn IngestProgress,
    seconds: &mut PhaseSeconds,
) -> Result<(UniquenessStats, u32, EncodedSetBytes), IngestError> {
    let started = Instant::now();
    progress.begin(Phase::Uniqueness, None);
    let uniqueness = count_unique(open()?, read.rows, keying.records_with_keys());
    progress.end();
    let uniqueness = uniqueness?;
    seconds.uniqueness = started.elapsed().as_secs_f64();
    let unique = uniqueness.unique_keys();
    let bits = fingerprint_bits(options.max_request_elements, unique);
    tracing::info!(
        unique_keys = unique,
        fingerprint_bits = bits,
        "keys locally unique"
    );

    let started = Instant::now();
    progress.begin(Phase::Encode, None);
    let params = SetParams {
        bits,
        rule_set: options.rules.bits(),
        key_epoch: *epoch.as_bytes(),
    };
    let set = encode_kept(open()?, params, unique);
    progress.end();
    seconds.encode = started.elapsed().as_secs_f64();
    Ok((uniqueness, bits, set?))
}

/// Encodes the whole `input` under `sk` (epoch `epoch`), spilling sorted runs into a
/// private directory under `scratch` when the memory budget is exceeded.
pub fn run<R: Read>(
    input: IngestInput<'_, R>,
    job: &Encoding<'_>,
) -> Result<IngestOutcome, IngestError> {
    let (total, feed) = csv_feed(input, Slice::WHOLE);
    run_feed(total, feed, job)
}

/// The same pipeline as [`run`] over records in memory instead of a CSV file (for the
/// scale harness): record `i` is data row `i`, chunked, keyed, evaluated, sorted (and
/// spilled under the same memory budget), made locally unique and encoded exactly as a
/// file's rows are, so the set bytes are those [`run`] writes for a CSV file of the same
/// records in the same order, and [`IngestOutcome::seconds`] has the same phases.
///
/// Differences from a file: [`Phase::ReadAndKeys`] progress counts records (its total
/// is known when the iterator's length is exact); every row is a good record; nothing is
/// read, so [`ReadStats::input_bytes`] is 0 and [`ReadStats::input_sha256`] all zero; an
/// empty list gives the empty set (a CSV file without data rows is refused instead).
pub fn run_records<I: IntoIterator<Item = Record>>(
    records: I,
    job: &Encoding<'_>,
) -> Result<IngestOutcome, IngestError> {
    let records = records.into_iter();
    let total = match records.size_hint() {
        (low, Some(high)) if low == high => Some(low as u64),
        _ => None,
    };
    let feed = move |on_steps: &(dyn Fn(u64) + Sync), sink: ChunkSink<'_>| {
        read_in_memory(records, on_steps, sink)
    };
    run_feed(total, feed, job)
}

/// [`run`] and [`run_records`] after the choice of input: the front, then both passes.
fn run_feed(
    total: Option<u64>,
    feed: impl RecordFeed,
    job: &Encoding<'_>,
) -> Result<IngestOutcome, IngestError> {
    let mut seconds = PhaseSeconds::default();
    let (read, keying, sorted) = evaluate_input(total, feed, job, &mut seconds)?;
    let (uniqueness, bits, set) = encode_sorted(
        &|| sorted.merged(),
        &read,
        &keying,
        job.options,
        job.epoch,
        job.progress,
        &mut seconds,
    )?;
    Ok(IngestOutcome {
        read,
        keying,
        uniqueness,
        bits,
        set,
        spill_runs: sorted.runs(),
        seconds,
    })
}

/// The encode step of `irs ingest`: checks the taxpayer CSV at `path` for bad rows
/// ([`check_file`], before any OPRF work), then opens it again and runs the whole
/// pipeline over it ([`run`]).
pub fn encode_file(path: &Path, job: &Encoding<'_>) -> Result<IngestOutcome, IngestError> {
    check_file(path)?;
    let input = IngestInput::open(path)?;
    run(input, job)
}

/// Keys and evaluates the rows of `slice` and writes their sorted entries to the shard
/// file `out` (atomically, fsynced). Activates nothing.
pub fn run_shard<R: Read>(
    input: IngestInput<'_, R>,
    slice: Slice,
    out: &Path,
    job: &Encoding<'_>,
) -> Result<ShardOutcome, IngestError> {
    let Encoding {
        epoch,
        options,
        progress,
        ..
    } = *job;
    let mut seconds = PhaseSeconds::default();
    let input_name = input.path.display().to_string();
    let (total, feed) = csv_feed(input, slice);
    let (read, keying, sorted) = evaluate_input(total, feed, job, &mut seconds)?;
    let header = ShardHeader {
        rule_set: options.rules.bits(),
        slice,
        epoch: *epoch.as_bytes(),
        max_request_elements: options.max_request_elements,
        rows: read.rows,
        entries: keying.keys(),
    };
    let meta = ShardMeta {
        input: input_name,
        read: read.clone(),
        keying,
    };
    let started = Instant::now();
    progress.begin(Phase::Encode, None);
    let written = write_shard(out, &header, &meta, Box::new(sorted.merged()?));
    progress.end();
    written?;
    seconds.encode = started.elapsed().as_secs_f64();
    Ok(ShardOutcome {
        header,
        read,
        keying,
        spill_runs: sorted.runs(),
        seconds,
    })
}

/// Checks the shard files at `paths` form one complete set and encodes their merge:
/// the same set as [`run`] on the whole input, with at most [`MAX_OPEN_SHARDS`] files
/// open at once ([`merge_shards_opening`]).
pub fn merge_shards(
    paths: &[std::path::PathBuf],
    progress: &dyn IngestProgress,
) -> Result<MergeOutcome, IngestError> {
    merge_shards_opening(paths, MAX_OPEN_SHARDS, progress)
}

/// [`merge_shards`] with at most `max_open` (at least 2) shard or run files open at
/// once: above that many shards they are first merged in rounds into sorted runs in a
/// spill directory beside the first shard file.
pub fn merge_shards_opening(
    paths: &[std::path::PathBuf],
    max_open: usize,
    progress: &dyn IngestProgress,
) -> Result<MergeOutcome, IngestError> {
    let mut seconds = PhaseSeconds::default();
    let shards = ShardSet::open(paths)?;
    let header = *shards
        .header()
        .ok_or(IngestError::Shard(super::ShardError::NoShards))?;
    let rules = RuleSet::from_bits(header.rule_set)
        .map_err(|_| IngestError::UnknownRules(header.rule_set))?;
    let options = IngestOptions {
        rules,
        max_request_elements: header.max_request_elements,
        ..IngestOptions::default()
    };
    let epoch = KeyEpoch::from_bytes(header.epoch);
    let read = shards.read_stats();
    let keying = shards.keying_stats();
    if keying.keys() != shards.entries() {
        return Err(IngestError::Shard(super::ShardError::Corrupt {
            path: paths.first().cloned().unwrap_or_default(),
            reason: "entry counts disagree with the shards' key counts",
        }));
    }
    let rounds = if shards.len() > max_open {
        let scratch = paths
            .first()
            .and_then(|p| p.parent())
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Some(merge_in_rounds(shards.files(), max_open, scratch)?)
    } else {
        None
    };
    let (uniqueness, bits, set) = encode_sorted(
        &|| match &rounds {
            Some(runs) => runs.merged(),
            None => shards.merged(),
        },
        &read,
        &keying,
        &options,
        epoch,
        progress,
        &mut seconds,
    )?;
    Ok(MergeOutcome {
        outcome: IngestOutcome {
            read,
            keying,
            uniqueness,
            bits,
            set,
            spill_runs: rounds.as_ref().map_or(0, SortedEntries::runs),
            seconds,
        },
        epoch,
        rules,
        max_request_elements: header.max_request_elements,
        input: shards.input(),
        shards: shards.len(),
    })
}
