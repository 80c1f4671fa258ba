//! The holder's receipts as `ice` keeps them: each verified receipt becomes a `receipt`
//! entry in the requester's audit log (before anything the holder answers is used;
//! format in `blindlink_store::audit::receipt_event`), and the last one kept for the
//! pinned holder is the log head the next session's receipt must be consistent with.

use std::path::Path;

use blindlink_cli::failure::{Blame, Failure};
use blindlink_protocol::identity::IdentityPublicKey;
use blindlink_protocol::transparency::{TreeHead, VerifiedReceipt};
use blindlink_store::audit::{AuditLog, receipt_event};

use super::now_or_clock;

/// The holder log head of the last receipt from `holder` kept in the requester's log at
/// `path` (`None` before the first).
pub fn last_seen(path: &Path, holder: &IdentityPublicKey) -> Result<Option<TreeHead>, Failure> {
    let entries =
        blindlink_store::read_entries(path).other("cannot read the audit log's receipts")?;
    Ok(blindlink_store::audit::last_seen(&entries, holder))
}

/// Appends the `receipt` entry of `verified` (a receipt from `holder` for `request_id`).
pub fn keep(
    log: &AuditLog,
    holder: IdentityPublicKey,
    request_id: &str,
    verified: &VerifiedReceipt,
) -> Result<u64, Failure> {
    let event = receipt_event(now_or_clock(None)?, holder, request_id, verified);
    log.append(&event)
        .other("cannot append the receipt to the audit log")
}
