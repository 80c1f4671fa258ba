//! The audit events `irs` appends (kinds from blindlink-protocol's audit log). Every
//! event's details carry an `action` naming what `irs` did:
//!
//! | action | kind | details |
//! |---|---|---|
//! | `noise-keygen` | `key-generated` | `noise_public_key` |
//! | `oprf-keygen` | `key-generated` | `epoch`, `oprf_public_key` |
//! | `ingest` | `set-encoded` | `epoch`, `input`, `input_sha256`, counts, `set_size`, `fingerprint_bits`, `set_hash`, `rules` |
//! | `epoch-activated` | `set-encoded` | `epoch`, `previous_epoch` (or null), `set_hash`, `set_size` |
//! | `holder-info-reconciled` | `set-encoded` | `epoch`, `set_hash`, `set_size` (the set found served after an interrupted run) |
//!
//! The protocol's audit log has no kind for switching epochs, so the switch is a
//! `set-encoded` event with action `epoch-activated`: the set of that epoch is the one
//! served from then on. Nothing secret or personal is logged (public keys, counts,
//! hashes, the input's path and hash).

use blindlink_protocol::manifest::KeyEpoch;
use blindlink_store::audit::{AuditEvent, EventKind};
use serde_json::{Map, Value, json};

use crate::holder_info::HolderInfo;
use blindlink_ingest::IngestSummary;

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

/// An epoch became current.
pub fn epoch_activated(time: u64, info: &HolderInfo, previous: Option<KeyEpoch>) -> AuditEvent {
    event(
        time,
        EventKind::SetEncoded,
        json!({
            "action": "epoch-activated",
            "epoch": info.key_epoch.to_hex(),
            "previous_epoch": previous.map(|e| e.to_hex()),
            "set_hash": hex::encode(info.set_hash),
            "set_size": info.set_size,
        }),
    )
}

/// `holder.json` was rewritten to describe the set and epoch actually in place: an earlier
/// run was killed between replacing them and auditing it.
pub fn holder_info_reconciled(time: u64, info: &HolderInfo) -> AuditEvent {
    event(
        time,
        EventKind::SetEncoded,
        json!({
            "action": "holder-info-reconciled",
            "epoch": info.key_epoch.to_hex(),
            "set_hash": hex::encode(info.set_hash),
            "set_size": info.set_size,
        }),
    )
}
