//! `ice pin-holder` and the check every command that uses `holder.json` makes: the
//! statement must be signed by the holder identity key pinned in the state directory
//! (DIR/holder-identity.pub), and be within its validity period.

use std::path::{Path, PathBuf};

use anyhow::anyhow;
use blindlink_protocol::identity::IdentityPublicKey;
use blindlink_protocol::statement::{HolderStatement, UnverifiedStatement};
use blindlink_store::audit::EventKind;
use blindlink_store::key_file::{self, IdentityPublic};
use serde_json::json;

use super::{audit, now_or_clock, open_audit, print_json};
use crate::cli::PinHolderArgs;
use blindlink_cli::failure::{Blame, Failure};

/// Clock skew tolerated on the statement's validity period.
const STATEMENT_SKEW_SECS: u64 = 300;

/// The pinned key's file in the state directory.
pub fn pin_path(dir: &Path) -> PathBuf {
    dir.join("holder-identity.pub")
}

/// `HEX` or the path of an `identity.pub` file.
fn parse_identity(spec: &str) -> Result<IdentityPublicKey, Failure> {
    if let Ok(key) = IdentityPublicKey::from_hex(spec) {
        return Ok(key);
    }
    key_file::read::<IdentityPublic>(Path::new(spec)).map_err(|e| {
        Failure::input(anyhow!(
            "--identity {spec}: neither 64 hex digits of a valid Ed25519 key nor a readable identity.pub ({e})"
        ))
    })
}

/// Runs `ice pin-holder`.
pub fn run(args: &PinHolderArgs) -> Result<(), Failure> {
    let dir = &args.state.dir;
    let key = parse_identity(&args.identity)?;
    let path = pin_path(dir);
    let log = open_audit(dir)?;
    let previous = if path.exists() {
        Some(key_file::read::<IdentityPublic>(&path).input("cannot read the current pin")?)
    } else {
        None
    };
    if let Some(previous) = previous.filter(|p| *p != key)
        && !args.force
    {
        return Err(Failure::input(anyhow!(
            "{} already pins holder key {previous}; replacing a pinned holder key needs --force \
             (confirm the new key with the holder out of band first)",
            path.display()
        )));
    }
    key_file::write::<IdentityPublic>(&path, &key).other("cannot write the pin")?;
    let seq = audit(
        &log,
        now_or_clock(None)?,
        EventKind::HolderPinned,
        json!({
            "identity_public_key": key.to_hex(),
            "previous": previous.map(|p| p.to_hex()),
        }),
    )?;
    if args.json {
        return print_json(&json!({
            "identity_public_key": key.to_hex(),
            "pin": path.display().to_string(),
            "previous": previous.map(|p| p.to_hex()),
            "audit_seq": seq,
        }));
    }
    blindlink_cli::outln!("pinned holder identity {key}");
    blindlink_cli::outln!("  ({}; audit entry {seq})", path.display());
    Ok(())
}

/// Reads `holder.json` at `path` and verifies it against the pinned key at `now`. A
/// statement that fails is bad input (exit code 2): nothing is prepared or sent.
pub fn verified_statement(dir: &Path, path: &Path, now: u64) -> Result<HolderStatement, Failure> {
    let pin = pin_path(dir);
    if !pin.exists() {
        return Err(Failure::input(anyhow!(
            "no pinned holder identity in {}: run `ice pin-holder --identity <irs-state/identity.pub>` \
             with the key the holder gave you out of band",
            dir.display()
        )));
    }
    let pinned =
        key_file::read::<IdentityPublic>(&pin).input("cannot read the pinned holder key")?;
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).input(format!("cannot read {shown}"))?;
    UnverifiedStatement::from_json(&bytes)
        .and_then(|s| s.verify(&pinned, now, STATEMENT_SKEW_SECS))
        .map_err(|e| Failure::input(anyhow!(e).context(format!("{shown} is refused"))))
}
