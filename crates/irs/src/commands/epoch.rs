//! `irs epoch rotate`: a new OPRF key and epoch, encoded and made current; the old epoch
//! directory stays.

use blindlink_cli::Failure;
use irs::audit_events;
use serde_json::json;

use super::encode::{configure_threads, encode_and_activate, print_human};
use super::{Context, blame, now};
use crate::cli::EncodeArgs;

/// Runs `irs epoch rotate`.
pub fn rotate(ctx: &Context, args: &EncodeArgs) -> Result<(), Failure> {
    configure_threads(args.threads);
    let state = &ctx.state;
    state.load_noise_key().map_err(blame::state)?;
    let log = ctx.open_audit_log()?;
    ctx.reconcile(&log)?;
    let (epoch, public) = state.new_epoch(&mut rand::rng()).map_err(blame::state)?;
    log.append(&audit_events::oprf_key_generated(
        now(),
        epoch,
        &public.to_bytes(),
    ))
    .map_err(Failure::other)?;
    tracing::info!(%epoch, "new OPRF key generated");
    let encoded = encode_and_activate(ctx, args, epoch, &log).map_err(|e| {
        e.context(format!(
            "rotation to epoch {epoch} failed (its key is kept; `irs ingest --epoch {epoch}` retries)"
        ))
    })?;
    let previous = encoded
        .previous_epoch
        .filter(|p| *p != epoch)
        .map(|p| state.epoch_dir(p));
    if ctx.json {
        return ctx.print_json(&json!({
            "encoded": encoded,
            "previous_epoch_dir": previous,
        }));
    }
    print_human(&encoded);
    if let Some(dir) = previous {
        blindlink_cli::outln!(
            "previous epoch kept in {} (requesters with its set are refused as wrong-epoch)",
            dir.display()
        );
    }
    Ok(())
}
