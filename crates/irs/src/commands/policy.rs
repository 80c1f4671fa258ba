//! `irs policy apply`: the only way a policy changes. Validates the file, writes it to
//! DIR/policy.toml, audits its digest (with the previous one) and re-signs holder.json,
//! which publishes the policy's digest and limits.

use anyhow::anyhow;
use blindlink_cli::Failure;
use irs::audit_events;
use irs::state::AppliedPolicy;
use serde_json::json;

use super::{Context, blame, now};
use crate::cli::PolicyApplyArgs;

/// Largest policy file read.
const MAX_POLICY_FILE_BYTES: u64 = 1 << 20;

/// Runs `irs policy apply`.
pub fn apply(ctx: &Context, args: &PolicyApplyArgs) -> Result<(), Failure> {
    let path = &args.policy;
    let shown = path.display().to_string();
    let meta =
        std::fs::metadata(path).map_err(|e| Failure::input(anyhow!("cannot read {shown}: {e}")))?;
    if meta.len() > MAX_POLICY_FILE_BYTES {
        return Err(Failure::input(anyhow!("{shown} is over 1 MiB")));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::input(anyhow!("cannot read {shown}: {e}")))?;
    let applied = AppliedPolicy::parse(path, text).map_err(blame::state)?;
    let state = &ctx.state;
    state.create().map_err(blame::state)?;
    let log = ctx.open_audit_log()?;
    // A hand-edited or unreadable policy.toml is replaced here; its digest is still named.
    let previous = state.applied_policy().ok().flatten().map(|p| p.digest);
    state.write_policy(&applied).map_err(blame::state)?;
    log.append(&audit_events::policy_applied(
        now(),
        &applied.digest,
        previous,
        &shown,
    ))
    .map_err(Failure::other)?;
    ctx.reconcile(&log)?;
    let digest = hex::encode(applied.digest);
    tracing::info!(policy_sha256 = %digest, "policy applied");
    if ctx.json {
        return ctx.print_json(&json!({
            "policy": state.policy_path(),
            "policy_sha256": digest,
            "previous_policy_sha256": previous.map(hex::encode),
            "holder_info": state.holder_info_path(),
        }));
    }
    blindlink_cli::outln!("applied policy    {digest}");
    blindlink_cli::outln!("                  ({})", state.policy_path().display());
    if state.current_epoch().ok().flatten().is_some() {
        blindlink_cli::outln!(
            "holder.json       re-signed with the new policy ({})",
            state.holder_info_path().display()
        );
    }
    Ok(())
}
