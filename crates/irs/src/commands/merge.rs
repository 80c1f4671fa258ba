//! `irs merge`: the shard files of one input to the epoch's set, made current exactly as
//! `irs ingest` would (same `set.bin`, `holder.json`, audit entries).

use std::time::Instant;

use blindlink_cli::Failure;
use blindlink_ingest as ingest;

use super::encode::{configure_threads, print_human, remove_leftovers, write_and_activate};
use super::{Context, blame};
use crate::cli::MergeArgs;
use crate::progress::PhaseBars;

/// Runs `irs merge`.
pub fn run(ctx: &Context, args: &MergeArgs) -> Result<(), Failure> {
    configure_threads(args.threads);
    let started = Instant::now();
    ctx.state.load_noise_key().map_err(blame::state)?;
    let log = ctx.open_audit_log()?;
    ctx.reconcile(&log)?;
    let merged = ingest::merge_shards(&args.shards, &PhaseBars::new()).map_err(blame::ingest)?;
    // The epoch's key must be here: activation publishes its public key.
    drop(
        ctx.state
            .load_oprf_key(merged.epoch)
            .map_err(blame::state)?,
    );
    remove_leftovers(ctx, merged.epoch)?;
    let encoded = write_and_activate(
        ctx,
        &log,
        &merged.origin(),
        &merged.outcome,
        started,
        &args.shrink,
    )?;
    if ctx.json {
        return ctx.print_json(&encoded);
    }
    print_human(&encoded);
    Ok(())
}
