//! `irs keygen`: the Noise static key pair, the identity key pair (kept if it exists:
//! requesters pin it), and an OPRF key for a new epoch.

use blindlink_cli::Failure;
use blindlink_protocol::identity::IdentityKey;
use blindlink_protocol::wire::NoiseStaticKey;
use irs::audit_events;
use irs::error::StateError;
use serde_json::json;

use super::{Context, blame, now};
use crate::cli::KeygenArgs;

/// Runs `irs keygen`.
pub fn run(ctx: &Context, args: &KeygenArgs) -> Result<(), Failure> {
    let state = &ctx.state;
    if state.has_noise_key() && !args.force {
        return Err(blame::state(StateError::KeysExist {
            path: state.noise_key_path(),
        }));
    }
    state.create().map_err(blame::state)?;
    let log = ctx.open_audit_log()?;

    let noise = NoiseStaticKey::generate()
        .map_err(StateError::from)
        .map_err(blame::state)?;
    state.save_noise_key(&noise).map_err(blame::state)?;
    let noise_public = noise.public_key();
    drop(noise);
    log.append(&audit_events::noise_key_generated(now(), &noise_public))
        .map_err(Failure::other)?;

    // The identity is long-term: requesters pin it, so --force keeps an existing one.
    let identity = if state.has_identity_key() {
        state
            .load_identity_key()
            .map_err(blame::state)?
            .public_key()
    } else {
        let key = IdentityKey::generate(&mut rand::rng());
        state.save_identity_key(&key).map_err(blame::state)?;
        log.append(&audit_events::identity_key_generated(
            now(),
            &key.public_key(),
        ))
        .map_err(Failure::other)?;
        key.public_key()
    };

    let (epoch, oprf_public) = state.new_epoch(&mut rand::rng()).map_err(blame::state)?;
    let oprf_public = oprf_public.to_bytes();
    log.append(&audit_events::oprf_key_generated(
        now(),
        epoch,
        &oprf_public,
    ))
    .map_err(Failure::other)?;
    tracing::info!(%epoch, "keys generated");

    // A replaced Noise key changes what holder.json announces for the current epoch.
    ctx.reconcile(&log)?;
    let current = state.current_epoch().ok().flatten();

    if ctx.json {
        return ctx.print_json(&json!({
            "dir": state.root(),
            "noise_public_key": hex::encode(noise_public),
            "noise_public_key_file": state.noise_public_path(),
            "identity_public_key": identity.to_hex(),
            "identity_public_key_file": state.identity_public_path(),
            "key_epoch": epoch.to_hex(),
            "oprf_public_key": hex::encode(oprf_public),
            "current_epoch": current.map(|e| e.to_hex()),
        }));
    }
    blindlink_cli::outln!("noise public key  {}", hex::encode(noise_public));
    blindlink_cli::outln!(
        "                  ({})",
        state.noise_public_path().display()
    );
    blindlink_cli::outln!("identity key      {identity}");
    blindlink_cli::outln!(
        "                  ({}: requesters pin it with `ice pin-holder`)",
        state.identity_public_path().display()
    );
    blindlink_cli::outln!("new key epoch     {epoch}");
    blindlink_cli::outln!("OPRF public key   {}", hex::encode(oprf_public));
    match current {
        Some(current) => blindlink_cli::outln!(
            "current epoch     {current} (unchanged until `irs ingest` encodes the new epoch)"
        ),
        None => {
            blindlink_cli::outln!("the new epoch becomes current after `irs ingest --input <csv>`")
        }
    }
    Ok(())
}
