//! `irs ingest`: encode the taxpayer CSV under an existing epoch and make it current.

use anyhow::Result;

use super::Context;
use super::encode::{configure_threads, encode_and_activate, print_human};
use crate::cli::IngestArgs;

/// Runs `irs ingest`.
pub fn run(ctx: &Context, args: &IngestArgs) -> Result<()> {
    configure_threads(args.encode.threads);
    let epoch = ctx.state.choose_ingest_epoch(args.epoch)?;
    let log = ctx.open_audit_log()?;
    ctx.reconcile(&log)?;
    let encoded = encode_and_activate(ctx, &args.encode, epoch, &log)?;
    if ctx.json {
        return ctx.print_json(&encoded);
    }
    print_human(&encoded);
    Ok(())
}
