//! The `receipt` audit entry: how a requester keeps each holder receipt it verified, and
//! how the receipts are read back (the next session's starting head, a reconcile). One
//! owner for both directions. Details:
//!
//! ```text
//! {"request_id": "<32 hex>", "holder": "<holder identity, 64 hex>", "seq": <holder entry>,
//!  "decision": "accepted" | "refused", "reason": null | "<refusal code>",
//!  "tree_size": <n>, "root_hash": "<64 hex>", "receipt": { blindlink.receipt/1 }}
//! ```

use blindlink_protocol::identity::IdentityPublicKey;
use blindlink_protocol::transparency::{
    DecisionSeen, SignedCheckpoint, TreeHead, VerifiedReceipt, receipt_from_json, receipt_to_json,
};
use blindlink_protocol::wire::DecisionReceipt;
use serde_json::{Map, Value, json};

use super::entry::{AuditEntry, AuditEvent, EventKind};

/// The `receipt` event of `verified`, a receipt from `holder` for `request_id`.
pub fn receipt_event(
    time: u64,
    holder: IdentityPublicKey,
    request_id: &str,
    verified: &VerifiedReceipt,
) -> AuditEvent {
    let (decision, reason) = match &verified.decision {
        DecisionSeen::Accepted => ("accepted", None),
        DecisionSeen::Refused(code) => ("refused", Some(code.as_str())),
    };
    let head = verified.checkpoint.checkpoint.head;
    let details = json!({
        "request_id": request_id,
        "holder": holder.to_hex(),
        "seq": verified.seq,
        "decision": decision,
        "reason": reason,
        "tree_size": head.size,
        "root_hash": hex::encode(head.root),
        "receipt": receipt_to_json(&verified.receipt, holder),
    });
    AuditEvent {
        time,
        kind: EventKind::Receipt,
        details: match details {
            Value::Object(map) => map,
            _ => Map::new(),
        },
    }
}

/// A `receipt` entry read back.
#[derive(Debug, Clone)]
pub struct KeptReceipt {
    /// The entry's seq in the requester's log.
    pub requester_seq: u64,
    /// The request id it names.
    pub request_id: String,
    /// The receipt and its checkpoint, or why the stored JSON is not one.
    pub receipt: Result<(DecisionReceipt, SignedCheckpoint), String>,
}

fn text(details: &Map<String, Value>, name: &str) -> Option<String> {
    details.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// `entry` as a receipt from `holder`; `None` if it is no `receipt` entry or is from
/// another holder.
pub fn kept_receipt(entry: &AuditEntry, holder: &IdentityPublicKey) -> Option<KeptReceipt> {
    if entry.event.kind != EventKind::Receipt {
        return None;
    }
    let details = &entry.event.details;
    if text(details, "holder")? != holder.to_hex() {
        return None;
    }
    let receipt = details
        .get("receipt")
        .ok_or_else(|| "the entry has no receipt".to_owned())
        .and_then(|value| receipt_from_json(value).map_err(|e| e.to_string()));
    Some(KeptReceipt {
        requester_seq: entry.seq,
        request_id: text(details, "request_id").unwrap_or_default(),
        receipt,
    })
}

/// The holder log head of the last receipt from `holder` among `entries` (`None` before
/// the first): what the next receipt must be consistent with.
pub fn last_seen(entries: &[AuditEntry], holder: &IdentityPublicKey) -> Option<TreeHead> {
    entries
        .iter()
        .rev()
        .filter_map(|entry| kept_receipt(entry, holder))
        .find_map(|kept| kept.receipt.ok())
        .map(|(_, checkpoint)| checkpoint.checkpoint.head)
}
