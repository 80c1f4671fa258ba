//! The audit events `irs` appends (kinds from blindlink-protocol's audit log). Every
//! event's details carry an `action` naming what `irs` did:
//!
//! | action | kind | details |
//! |---|---|---|
//! | `noise-keygen` | `key-generated` | `noise_public_key` |
//! | `identity-keygen` | `key-generated` | `identity_public_key` |
//! | `oprf-keygen` | `key-generated` | `epoch`, `oprf_public_key` |
//! | `ingest` | `set-encoded` | `epoch`, `input`, `input_sha256`, counts, `set_size`, `fingerprint_bits`, `set_hash`, `rules` |
//! | `epoch-activated` | `set-encoded` | `epoch`, `previous_epoch` (or null), `set_hash`, `set_size`, statement fields |
//! | `holder-info-reconciled` | `set-encoded` | `epoch`, `set_hash`, `set_size`, statement fields (re-signed: after an interrupted run, a new key or policy, or near expiry) |
//! | `policy-apply` | `policy-applied` | `policy_sha256`, `previous_policy_sha256` (or null), `source` |
//! | `serve-start` | `policy-applied` | `policy_sha256`, `requesters_sha256`, `requesters` (ids and Noise keys), `statement_sha256` |
//!
//! "Statement fields" are `statement_sha256` (SHA-256 of the signed bytes), `oprf_public_key`,
//! `policy_sha256` (or null) and `valid_until`: the log names every statement the holder
//! signed, so an auditor can match a requester's copy against it.
//!
//! The protocol's audit log has no kind for switching epochs, so the switch is a
//! `set-encoded` event with action `epoch-activated`: the set of that epoch is the one
//! served from then on. Nothing secret or personal is logged (public keys, counts,
//! hashes, the input's path and hash).

use blindlink_ingest::IngestSummary;
use blindlink_protocol::identity::IdentityPublicKey;
use blindlink_protocol::manifest::KeyEpoch;
use blindlink_protocol::statement::HolderStatement;
use blindlink_store::audit::{AuditEvent, EventKind};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

fn event(time: u64, kind: EventKind, details: Value) -> AuditEvent {
    let details = match details {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    AuditEvent {
        time,
        kind,
        details,
    }
}

/// A Noise static key pair was generated.
pub fn noise_key_generated(time: u64, public: &[u8; 32]) -> AuditEvent {
    event(
        time,
        EventKind::KeyGenerated,
        json!({ "action": "noise-keygen", "noise_public_key": hex::encode(public) }),
    )
}

/// An OPRF key was generated for a new epoch.
pub fn oprf_key_generated(time: u64, epoch: KeyEpoch, public: &[u8; 32]) -> AuditEvent {
    event(
        time,
        EventKind::KeyGenerated,
        json!({
            "action": "oprf-keygen",
            "epoch": epoch.to_hex(),
            "oprf_public_key": hex::encode(public),
        }),
    )
}

/// A set was encoded and written for an epoch.
pub fn set_encoded(time: u64, summary: &IngestSummary) -> AuditEvent {
    event(
        time,
        EventKind::SetEncoded,
        json!({
            "action": "ingest",
            "epoch": summary.epoch.to_hex(),
            "input": summary.input,
            "input_sha256": summary.input_sha256,
            "records_read": summary.records.read,
            "records_skipped": summary.records.skipped,
            "keys_unique": summary.keys.unique_total,
            "set_size": summary.set.size,
            "fingerprint_bits": summary.set.fingerprint_bits,
            "set_hash": summary.set.hash,
            "rules": summary.rules,
        }),
    )
}

/// An entry about a signed statement, with the fields every such entry carries and `extra`.
fn statement_event(
    time: u64,
    action: &str,
    statement: &HolderStatement,
    extra: Map<String, Value>,
) -> AuditEvent {
    let body = statement.body();
    let info = &body.epoch;
    let mut e = event(
        time,
        EventKind::SetEncoded,
        json!({
        "action": action,
        "epoch": info.key_epoch.to_hex(),
        "set_hash": hex::encode(info.set_hash),
        "set_size": info.set_size,
        "oprf_public_key": hex::encode(info.oprf_public_key),
        "statement_sha256": hex::encode(statement.digest()),
        "policy_sha256": body.policy.map(|p| hex::encode(p.digest)),
        "valid_until": body.valid_until,
        }),
    );
    e.details.extend(extra);
    e
}

/// An epoch became current.
pub fn epoch_activated(
    time: u64,
    statement: &HolderStatement,
    previous: Option<KeyEpoch>,
) -> AuditEvent {
    let mut extra = Map::new();
    extra.insert("previous_epoch".into(), previous.map(|e| e.to_hex()).into());
    statement_event(time, "epoch-activated", statement, extra)
}

/// The identity key pair (which signs `holder.json`) was generated.
pub fn identity_key_generated(time: u64, public: &IdentityPublicKey) -> AuditEvent {
    event(
        time,
        EventKind::KeyGenerated,
        json!({ "action": "identity-keygen", "identity_public_key": public.to_hex() }),
    )
}

/// A policy was applied with `irs policy apply`.
pub fn policy_applied(
    time: u64,
    digest: &[u8; 32],
    previous: Option<[u8; 32]>,
    source: &str,
) -> AuditEvent {
    event(
        time,
        EventKind::PolicyApplied,
        json!({
            "action": POLICY_APPLY,
            "policy_sha256": hex::encode(digest),
            "previous_policy_sha256": previous.map(hex::encode),
            "source": source,
        }),
    )
}

/// The `action` of an applied policy's entry (serve looks for the last one).
pub const POLICY_APPLY: &str = "policy-apply";

/// `irs serve` started with this policy and these requesters.
pub fn serve_started(
    time: u64,
    policy: &[u8; 32],
    requesters: &[(String, [u8; 32])],
    statement: &[u8; 32],
) -> AuditEvent {
    let mut hasher = Sha256::new();
    for (id, key) in requesters {
        hasher.update((id.len() as u32).to_be_bytes());
        hasher.update(id.as_bytes());
        hasher.update(key);
    }
    let listed: Vec<Value> = requesters
        .iter()
        .map(|(id, key)| json!({ "id": id, "noise_public_key": hex::encode(key) }))
        .collect();
    event(
        time,
        EventKind::PolicyApplied,
        json!({
            "action": "serve-start",
            "policy_sha256": hex::encode(policy),
            "requesters_sha256": hex::encode(hasher.finalize()),
            "requesters": listed,
            "statement_sha256": hex::encode(statement),
        }),
    )
}

/// `holder.json` was re-signed to describe the set, epoch, keys and policy actually in
/// place (an earlier run was killed between replacing them and auditing it, a key or the
/// policy changed, or the old statement was close to expiry).
pub fn holder_info_reconciled(time: u64, statement: &HolderStatement) -> AuditEvent {
    statement_event(time, "holder-info-reconciled", statement, Map::new())
}
