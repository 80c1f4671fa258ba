//! `ice keygen`: the requester's Noise static key pair, and its Ed25519 identity key (signs
//! checkpoints of its audit log, `ice audit checkpoint`).

use blindlink_protocol::identity::IdentityKey;
use blindlink_protocol::manifest::RequesterId;
use blindlink_protocol::wire::NoiseStaticKey;
use blindlink_store::audit::EventKind;
use blindlink_store::key_file::{self, IdentityPublic, IdentitySecret, NoisePublic, NoiseSecret};
use serde::Serialize;
use serde_json::json;

use super::{audit, now_or_clock, open_audit, print_json, refuse_overwrite};
use crate::cli::KeygenArgs;
use blindlink_cli::failure::{Blame, Failure};

#[derive(Serialize)]
struct KeygenReport {
    public_key: String,
    secret_key_file: String,
    public_key_file: String,
    requester_id: Option<String>,
    audit_seq: u64,
}

/// Runs `ice keygen`.
pub fn run(args: &KeygenArgs) -> Result<(), Failure> {
    let dir = &args.state.dir;
    let secret_path = dir.join("noise.key");
    let public_path = dir.join("noise.pub");
    refuse_overwrite(&secret_path, args.force)?;
    refuse_overwrite(&public_path, args.force)?;
    refuse_overwrite(&identity_key_path(dir), args.force)?;
    let requester_id = args
        .requester_id
        .as_deref()
        .map(RequesterId::new)
        .transpose()
        .input("invalid --requester-id")?;
    let log = open_audit(dir)?;

    let key = NoiseStaticKey::generate().other("cannot generate a key")?;
    let public = key.public_key();
    key_file::write::<NoiseSecret>(&secret_path, &key).other("cannot write the secret key")?;
    key_file::write::<NoisePublic>(&public_path, &public).other("cannot write the public key")?;
    let reloaded =
        key_file::read::<NoiseSecret>(&secret_path).other("cannot read the new key back")?;
    let public_file =
        key_file::read::<NoisePublic>(&public_path).other("cannot read the new public key back")?;
    if reloaded.public_key() != public || public_file != public {
        return Err(Failure::other(anyhow::anyhow!(
            "the keys read back from {} differ from the ones written",
            dir.display()
        )));
    }
    if let Some(id) = &requester_id {
        super::requester_id::write(dir, id)?;
    }
    let identity = IdentityKey::generate(&mut rand::rng());
    let identity_public = identity.public_key();
    key_file::write::<IdentitySecret>(&identity_key_path(dir), &identity)
        .other("cannot write the identity key")?;
    key_file::write::<IdentityPublic>(&dir.join("identity.pub"), &identity_public)
        .other("cannot write the identity public key")?;
    audit(
        &log,
        now_or_clock(None)?,
        EventKind::KeyGenerated,
        json!({ "key": "identity", "public_key": identity_public.to_hex() }),
    )?;
    let requester_id = requester_id.map(|id| id.as_str().to_owned());
    let public_hex = hex::encode(public);
    let seq = audit(
        &log,
        now_or_clock(None)?,
        EventKind::KeyGenerated,
        json!({ "key": "noise-static", "public_key": public_hex, "requester_id": requester_id }),
    )?;
    tracing::info!(public_key = %public_hex, "noise key generated");

    let report = KeygenReport {
        public_key: public_hex,
        secret_key_file: secret_path.display().to_string(),
        public_key_file: public_path.display().to_string(),
        requester_id,
        audit_seq: seq,
    };
    if args.json {
        return print_json(&report);
    }
    eprintln!(
        "wrote {} (secret, mode 0600) and {}; the holder must allow this public key",
        report.secret_key_file, report.public_key_file
    );
    blindlink_cli::outln!("{}", report.public_key);
    Ok(())
}

/// The requester's identity key file in `dir` (0600).
pub fn identity_key_path(dir: &std::path::Path) -> std::path::PathBuf {
    dir.join("identity.key")
}
