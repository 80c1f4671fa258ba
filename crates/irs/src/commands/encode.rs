//! What `ingest` and `epoch rotate` share: encode the CSV under an epoch, write the set
//! and its summary, make the epoch current, log each step, print the result.

use std::path::PathBuf;
use std::time::Instant;

use blindlink_cli::Failure;
use blindlink_ingest::{self as ingest, IngestOptions, IngestOutcome, IngestSummary, SetOrigin};
use blindlink_protocol::manifest::KeyEpoch;
use blindlink_store::audit::AuditLog;
use blindlink_store::write_atomic;
use irs::audit_events;
use irs::holder_info::{HolderInfo, rule_ids};
use irs::state::SetFileInfo;
use serde::Serialize;

use super::{Context, blame, now};
use crate::cli::{EncodeArgs, ShrinkArgs};
use crate::progress::PhaseBars;

/// The result of encoding an epoch and making it current.
#[derive(Debug, Serialize)]
pub struct Encoded {
    /// `ingest.json`'s contents.
    pub summary: IngestSummary,
    /// `holder.json`'s contents.
    pub holder_info: HolderInfo,
    /// The epoch current before.
    pub previous_epoch: Option<KeyEpoch>,
    /// Where the set was written.
    pub set_path: PathBuf,
    /// Where the summary was written.
    pub summary_path: PathBuf,
    /// Where the holder info was written.
    pub holder_info_path: PathBuf,
}

/// Sets the size of rayon's global pool (once per process).
pub fn configure_threads(threads: Option<u16>) {
    if let Some(n) = threads
        && let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global()
    {
        tracing::warn!("cannot set {n} threads: {e}");
    }
}

/// Removes temporary files and spill directories left in the state and epoch
/// directories by interrupted runs.
pub fn remove_leftovers(ctx: &Context, epoch: KeyEpoch) -> Result<(), Failure> {
    let state = &ctx.state;
    for dir in [state.root().to_path_buf(), state.epoch_dir(epoch)] {
        for path in state.remove_stale_temp_files(&dir).map_err(blame::state)? {
            tracing::warn!("removed {} (left by an interrupted write)", path.display());
        }
        for path in ingest::remove_stale_spill_dirs(&dir) {
            tracing::warn!("removed {} (left by an interrupted ingest)", path.display());
        }
    }
    Ok(())
}

/// The pipeline options of `args`.
pub fn options(args: &EncodeArgs) -> IngestOptions {
    IngestOptions::new(args.rules, args.max_request_elements, args.memory_budget)
}

/// Encodes `args.input` under `epoch`, writes `set.bin` and `ingest.json`, and makes the
/// epoch current. The Noise key must exist (holder.json announces it).
pub fn encode_and_activate(
    ctx: &Context,
    args: &EncodeArgs,
    epoch: KeyEpoch,
    log: &AuditLog,
) -> Result<Encoded, Failure> {
    let state = &ctx.state;
    let started = Instant::now();
    state.load_noise_key().map_err(blame::state)?;
    let sk = state.load_oprf_key(epoch).map_err(blame::state)?;
    remove_leftovers(ctx, epoch)?;
    let options = options(args);
    tracing::info!(%epoch, input = %args.input.display(), rules = ?rule_ids(args.rules), "ingest starts");
    let scratch = state.epoch_dir(epoch);
    let job = ingest::Encoding {
        key: &sk,
        epoch,
        options: &options,
        scratch: &scratch,
        progress: &PhaseBars::new(),
    };
    let outcome = ingest::encode_file(&args.input, &job).map_err(blame::ingest)?;
    drop(sk);
    let origin = SetOrigin::of_run(epoch, &args.input, &options, &outcome);
    write_and_activate(ctx, log, &origin, &outcome, started, &args.shrink)
}

/// Fingerprints of the set served now (None if no epoch is current yet, or if its set
/// cannot be read: re-encoding is then how it is repaired, and only an empty set is held).
fn served_set_size(ctx: &Context) -> Result<Option<u64>, Failure> {
    let Some(current) = ctx.state.current_epoch().map_err(blame::state)? else {
        return Ok(None);
    };
    match SetFileInfo::read(&ctx.state.set_path(current)) {
        Ok(info) => Ok(Some(info.header.count())),
        Err(e) => {
            tracing::warn!(error = %e, "the served set cannot be read; not comparing sizes");
            Ok(None)
        }
    }
}

/// Writes `set.bin` and `ingest.json` of `outcome`, logs the encoding, and makes the
/// epoch current (logged too).
pub fn write_and_activate(
    ctx: &Context,
    log: &AuditLog,
    origin: &SetOrigin,
    outcome: &IngestOutcome,
    started: Instant,
    shrink: &ShrinkArgs,
) -> Result<Encoded, Failure> {
    let state = &ctx.state;
    let epoch = origin.epoch;
    super::shrink::guard(outcome.set.count, served_set_size(ctx)?, shrink)?;
    let set_path = state.set_path(epoch);
    let write_started = Instant::now();
    write_atomic(&set_path, &outcome.set.bytes, 0o644).map_err(Failure::other)?;
    let mut seconds = outcome.seconds;
    seconds.write = write_started.elapsed().as_secs_f64();
    seconds.total = started.elapsed().as_secs_f64();
    let summary = IngestSummary::of_outcome(
        origin,
        outcome,
        seconds,
        rayon::current_num_threads(),
        now(),
    );
    let summary_path = state.ingest_summary_path(epoch);
    write_atomic(&summary_path, &summary.to_json(), 0o644).map_err(Failure::other)?;
    log.append(&audit_events::set_encoded(now(), &summary))
        .map_err(Failure::other)?;

    let previous_epoch = state.current_epoch().map_err(blame::state)?;
    let statement = state.activate(epoch, now()).map_err(blame::state)?;
    log.append(&audit_events::epoch_activated(
        now(),
        &statement,
        previous_epoch,
    ))
    .map_err(Failure::other)?;
    let holder_info = statement.body().epoch.clone();
    Ok(Encoded {
        summary,
        holder_info,
        previous_epoch,
        set_path,
        summary_path,
        holder_info_path: state.holder_info_path(),
    })
}

/// Prints the human summary of an encoding run.
pub fn print_human(encoded: &Encoded) {
    let s = &encoded.summary;
    let r = &s.records;
    blindlink_cli::outln!("epoch {} is current", s.epoch);
    match encoded.previous_epoch {
        Some(prev) if prev == s.epoch => {
            blindlink_cli::outln!("  (it was already; its set was replaced)")
        }
        Some(prev) => blindlink_cli::outln!("  previous epoch  {prev}"),
        None => {}
    }
    blindlink_cli::outln!(
        "  input           {} ({} rows: {} read, {} skipped, {} without keys)",
        s.input,
        r.rows,
        r.read,
        r.skipped,
        r.without_keys
    );
    for rule in &s.rules {
        let get = |m: &std::collections::BTreeMap<String, u64>| m.get(rule).copied().unwrap_or(0);
        blindlink_cli::outln!(
            "  keys {rule:<10} {} derived, {} dropped as not locally unique ({} shared values), {} kept",
            get(&s.keys.derived),
            get(&s.keys.dropped_keys),
            get(&s.keys.dropped_values),
            get(&s.keys.kept),
        );
    }
    let set = &s.set;
    blindlink_cli::outln!(
        "  evaluated       {} keys, {} of them then dropped as not locally unique",
        s.keys.evaluated,
        s.keys.evaluated_then_dropped
    );
    blindlink_cli::outln!(
        "  set             {} fingerprints, L = {} bits, Rice k = {}, {} bytes ({:.2} bits/element)",
        set.size,
        set.fingerprint_bits,
        set.rice_parameter,
        set.bytes,
        set.bits_per_element
    );
    blindlink_cli::outln!("  set hash        {}", set.hash);
    let t = &s.seconds;
    blindlink_cli::outln!(
        "  seconds         read+keys {:.2}, evaluate {:.2}, sort {:.2}, uniqueness {:.2}, encode {:.2}, write {:.2}, total {:.2} ({} threads)",
        t.read_and_keys,
        t.evaluate,
        t.sort,
        t.uniqueness,
        t.encode,
        t.write,
        t.total,
        s.threads
    );
    let p = &s.pipeline;
    if p.shards > 0 {
        blindlink_cli::outln!("  pipeline        merged {} shards", p.shards);
    } else {
        blindlink_cli::outln!(
            "  pipeline        memory budget {} MiB, {} sorted runs spilled",
            p.memory_budget >> 20,
            p.spill_runs
        );
    }
    blindlink_cli::outln!("  files           {}", encoded.set_path.display());
    blindlink_cli::outln!("                  {}", encoded.summary_path.display());
    blindlink_cli::outln!("                  {}", encoded.holder_info_path.display());
}
