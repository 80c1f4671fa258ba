//! The holder's receipts as `ice` keeps them: each verified receipt becomes a `receipt`
//! entry in the requester's audit log (before anything the holder answers is used), and
//! the last one kept for the pinned holder is the log head the next session's receipt
//! must be consistent with.
//!
//! The `receipt` entry's details:
//!
//! ```text
//! {"request_id": "<32 hex>", "holder": "<holder identity, 64 hex>", "seq": <holder entry>,
//!  "decision": "accepted" | "refused", "reason": null | "<refusal code>",
//!  "tree_size": <n>, "root_hash": "<64 hex>", "receipt": { blindlink.receipt/1 }}
//! ```

use std::path::Path;

use blindlink_cli::failure::{Blame, Failure};
use blindlink_protocol::identity::IdentityPublicKey;
use blindlink_protocol::transparency::{DecisionSeen, TreeHead, VerifiedReceipt, receipt_to_json};
use blindlink_store::audit::{AuditLog, EventKind};
use serde_json::{Value, json};

use super::{audit, now_or_clock};

/// The holder log head of the last receipt from `holder` kept in the requester's log at
/// `path` (`None` before the first).
pub fn last_seen(path: &Path, holder: &IdentityPublicKey) -> Result<Option<TreeHead>, Failure> {
    let entries =
        blindlink_store::read_entries(path).other("cannot read the audit log's receipts")?;
    let holder = holder.to_hex();
    let head = entries
        .iter()
        .rev()
        .filter(|entry| entry.event.kind == EventKind::Receipt)
        .map(|entry| &entry.event.details)
        .filter(|details| details.get("holder").and_then(Value::as_str) == Some(&holder))
        .find_map(|details| {
            let size = details.get("tree_size")?.as_u64()?;
            let mut root = [0u8; 32];
            hex::decode_to_slice(details.get("root_hash")?.as_str()?, &mut root).ok()?;
            Some(TreeHead { size, root })
        });
    Ok(head)
}

/// Appends the `receipt` entry of `verified` (a receipt from `holder` for `request_id`).
pub fn keep(
    log: &AuditLog,
    holder: IdentityPublicKey,
    request_id: &str,
    verified: &VerifiedReceipt,
) -> Result<u64, Failure> {
    let (decision, reason) = match &verified.decision {
        DecisionSeen::Accepted => ("accepted", None),
        DecisionSeen::Refused(code) => ("refused", Some(code.as_str())),
    };
    let head = verified.checkpoint.checkpoint.head;
    audit(
        log,
        now_or_clock(None)?,
        EventKind::Receipt,
        json!({
            "request_id": request_id,
            "holder": holder.to_hex(),
            "seq": verified.seq,
            "decision": decision,
            "reason": reason,
            "tree_size": head.size,
            "root_hash": hex::encode(head.root),
            "receipt": receipt_to_json(&verified.receipt, holder),
        }),
    )
}
