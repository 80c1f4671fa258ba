//! `irs ingest`: encode the taxpayer CSV under an existing epoch and make it current, or,
//! with `--shard i/n`, encode one slice into a shard file for `irs merge`.

use std::path::PathBuf;
use std::time::Instant;

use blindlink_cli::Failure;
use blindlink_ingest::{self as ingest, IngestInput, PhaseSeconds, Slice};
use blindlink_protocol::manifest::KeyEpoch;
use serde::Serialize;

use super::encode::{
    configure_threads, encode_and_activate, options, print_human, remove_leftovers,
};
use super::{Context, blame};
use crate::cli::IngestArgs;
use crate::progress::PhaseBars;

/// Runs `irs ingest`.
pub fn run(ctx: &Context, args: &IngestArgs) -> Result<(), Failure> {
    configure_threads(args.encode.threads);
    let epoch = ctx
        .state
        .choose_ingest_epoch(args.epoch)
        .map_err(blame::state)?;
    if let Some(slice) = args.shard {
        return run_shard(ctx, args, epoch, slice);
    }
    let log = ctx.open_audit_log()?;
    ctx.reconcile(&log)?;
    let encoded = encode_and_activate(ctx, &args.encode, epoch, &log)?;
    if ctx.json {
        return ctx.print_json(&encoded);
    }
    print_human(&encoded);
    Ok(())
}

/// What a shard run reports.
#[derive(Debug, Serialize)]
struct ShardReport {
    epoch: KeyEpoch,
    shard: u32,
    shards: u32,
    path: PathBuf,
    rows: u64,
    records_keyed: u64,
    entries: u64,
    bytes: u64,
    spill_runs: usize,
    seconds: PhaseSeconds,
}

/// `irs ingest --shard i/n`: writes the shard file; nothing is activated or logged (the
/// merge logs the set it makes).
fn run_shard(
    ctx: &Context,
    args: &IngestArgs,
    epoch: KeyEpoch,
    slice: Slice,
) -> Result<(), Failure> {
    let started = Instant::now();
    let state = &ctx.state;
    // The 1% bad-row refusal before the key is loaded and any key evaluated.
    ingest::check_file(&args.encode.input).map_err(blame::ingest)?;
    let sk = state.load_oprf_key(epoch).map_err(blame::state)?;
    remove_leftovers(ctx, epoch)?;
    let out = args.shard_out.clone().unwrap_or_else(|| {
        state
            .epoch_dir(epoch)
            .join(format!("shard-{}-of-{}.bin", slice.index, slice.count))
    });
    let input = IngestInput::open(&args.encode.input).map_err(blame::input)?;
    let scratch = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    tracing::info!(%epoch, shard = slice.index, shards = slice.count, "shard ingest starts");
    let job = ingest::Encoding {
        key: &sk,
        epoch,
        options: &options(&args.encode),
        scratch: &scratch,
        progress: &PhaseBars::new(),
    };
    let outcome = ingest::run_shard(input, slice, &out, &job).map_err(blame::ingest)?;
    drop(sk);
    let mut seconds = outcome.seconds;
    seconds.total = started.elapsed().as_secs_f64();
    let report = ShardReport {
        epoch,
        shard: slice.index,
        shards: slice.count,
        bytes: std::fs::metadata(&out).map_or(0, |m| m.len()),
        path: out,
        rows: outcome.read.rows,
        records_keyed: outcome.keying.records,
        entries: outcome.header.entries,
        spill_runs: outcome.spill_runs,
        seconds,
    };
    if ctx.json {
        return ctx.print_json(&report);
    }
    blindlink_cli::outln!(
        "shard {}/{} of epoch {} written (not active; run `irs merge` with all {} shards)",
        report.shard,
        report.shards,
        report.epoch,
        report.shards
    );
    blindlink_cli::outln!(
        "  rows            {} in the input, {} keyed by this shard",
        report.rows,
        report.records_keyed
    );
    blindlink_cli::outln!(
        "  entries         {} evaluated keys, {} bytes, {} sorted runs spilled",
        report.entries,
        report.bytes,
        report.spill_runs
    );
    let t = &report.seconds;
    blindlink_cli::outln!(
        "  seconds         read+keys {:.2}, evaluate {:.2}, sort {:.2}, write {:.2}, total {:.2}",
        t.read_and_keys,
        t.evaluate,
        t.sort,
        t.encode,
        t.total
    );
    blindlink_cli::outln!("  file            {}", report.path.display());
    Ok(())
}
