//! The holder's receipt for a decision, made where the holder's log appends the decision
//! ([`make_receipt`]) and checked by the requester before it trusts anything else the
//! holder sends about that request ([`verify_receipt`]).
//!
//! A verified receipt proves, under the holder's pinned identity key:
//! * the holder's log had `tree_size` entries with root `root_hash` at `checkpoint_time`;
//! * entry `leaf_index + 1` of that log is the given line, and the line is the holder's
//!   decision (`decision-accepted`, or `decision-refused` with the refusal's code) on this
//!   requester's request id and manifest hash;
//! * that log extends, unchanged, the holder log this requester saw in its previous
//!   receipt (the consistency proof from `consistency_from`).
//!
//! So a holder that later cuts or rewrites its log, or shows one requester a log another
//! never sees, is caught by this requester's next receipt or by a reconcile of both logs.

use serde_json::Value;
use thiserror::Error;

use super::checkpoint::{Checkpoint, CheckpointError, SignedCheckpoint};
use super::tree::{Hash, LogTree, ProofError, TreeHead, verify_consistency, verify_inclusion};
use crate::identity::{IdentityKey, IdentityPublicKey};
use crate::manifest::RequestId;
use crate::wire::DecisionReceipt;

/// What the requester expects a receipt to be about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptExpectation {
    /// The holder's pinned identity key.
    pub holder: IdentityPublicKey,
    /// The requester id the holder authenticated.
    pub requester_id: String,
    /// The request's id.
    pub request_id: RequestId,
    /// SHA-256 of the manifest's canonical bytes.
    pub manifest_sha256: [u8; 32],
    /// The holder log head of the last receipt this requester verified, if any.
    pub last_seen: Option<TreeHead>,
}

/// The decision a receipt proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionSeen {
    /// `decision-accepted`.
    Accepted,
    /// `decision-refused` with this refusal code.
    Refused(String),
}

/// A receipt that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedReceipt {
    /// The holder's checkpoint.
    pub checkpoint: SignedCheckpoint,
    /// The decision's `seq` in the holder's log.
    pub seq: u64,
    /// The decision.
    pub decision: DecisionSeen,
    /// The receipt as received (to log it).
    pub receipt: DecisionReceipt,
}

/// Why a receipt was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReceiptError {
    /// The checkpoint is not signed by the pinned holder key.
    #[error("receipt checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    /// The entry is not in the checkpointed log.
    #[error("receipt entry: {0}")]
    Inclusion(ProofError),
    /// The checkpointed log does not extend the one this requester saw before.
    #[error("holder log: {0}")]
    Consistency(ProofError),
    /// The entry is not the holder's decision on this request.
    #[error("receipt entry is not the decision on this request: {0}")]
    WrongEntry(String),
}

/// Makes the receipt of the entry `seq` (already the last leaf pushed to `tree`, or an
/// earlier one), signed now with `key`; `since` is the requester's last seen log size
/// (a size above the tree's gives an empty proof, which that requester refuses).
pub fn make_receipt(
    key: &IdentityKey,
    tree: &LogTree,
    seq: u64,
    entry: &[u8],
    since: u64,
    time: u64,
) -> Result<DecisionReceipt, ProofError> {
    let index = seq.saturating_sub(1);
    let inclusion = tree.inclusion_proof(index)?;
    let head = tree.head();
    let consistency = tree.consistency_proof(since).unwrap_or_default();
    let signed = Checkpoint::sign(head, time, key);
    Ok(DecisionReceipt {
        tree_size: head.size,
        root_hash: head.root,
        checkpoint_time: time,
        signature: signed.signature,
        leaf_index: index,
        entry: entry.to_vec(),
        inclusion,
        consistency_from: since.min(head.size),
        consistency,
    })
}

/// The checkpoint a receipt carries, as signed by `signer`.
pub fn receipt_checkpoint(
    receipt: &DecisionReceipt,
    signer: IdentityPublicKey,
) -> SignedCheckpoint {
    SignedCheckpoint {
        checkpoint: Checkpoint {
            signer,
            head: TreeHead {
                size: receipt.tree_size,
                root: receipt.root_hash,
            },
            time: receipt.checkpoint_time,
        },
        signature: receipt.signature,
    }
}

/// SHA-256 of an audit line: its leaf in the tree.
pub fn entry_leaf(entry: &[u8]) -> Hash {
    use sha2::{Digest, Sha256};
    Sha256::digest(entry).into()
}

/// Checks `receipt` against what the requester expects (see the module doc).
pub fn verify_receipt(
    receipt: &DecisionReceipt,
    expect: &ReceiptExpectation,
) -> Result<VerifiedReceipt, ReceiptError> {
    let checkpoint = receipt_checkpoint(receipt, expect.holder);
    checkpoint.verify(&expect.holder)?;
    let head = checkpoint.checkpoint.head;
    verify_inclusion(
        &head,
        &entry_leaf(&receipt.entry),
        receipt.leaf_index,
        &receipt.inclusion,
    )
    .map_err(ReceiptError::Inclusion)?;
    let seen = expect.last_seen.unwrap_or_else(TreeHead::empty);
    if receipt.consistency_from != seen.size {
        return Err(ReceiptError::Consistency(if head.size < seen.size {
            ProofError::Shrunk {
                old: seen.size,
                new: head.size,
            }
        } else {
            ProofError::Inconsistent {
                old: seen.size,
                new: head.size,
            }
        }));
    }
    verify_consistency(&seen, &head, &receipt.consistency).map_err(ReceiptError::Consistency)?;
    let decision = check_entry(receipt, expect)?;
    Ok(VerifiedReceipt {
        checkpoint,
        seq: receipt.leaf_index + 1,
        decision,
        receipt: receipt.clone(),
    })
}

/// The entry must be the decision on this request: its kind, `seq`, request id,
/// requester and manifest hash.
fn check_entry(
    receipt: &DecisionReceipt,
    expect: &ReceiptExpectation,
) -> Result<DecisionSeen, ReceiptError> {
    let wrong = |what: String| ReceiptError::WrongEntry(what);
    let line: Value = serde_json::from_slice(&receipt.entry)
        .map_err(|e| wrong(format!("not an audit line: {e}")))?;
    let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_owned);
    let seq = line.get("seq").and_then(Value::as_u64);
    if seq != Some(receipt.leaf_index + 1) {
        return Err(wrong(format!(
            "seq {seq:?} is not entry {}",
            receipt.leaf_index + 1
        )));
    }
    let details = line.get("details");
    let field = |name: &str| text(details.and_then(|d| d.get(name)));
    let checks = [
        ("request_id", expect.request_id.to_hex()),
        ("requester", expect.requester_id.clone()),
        ("manifest_sha256", hex::encode(expect.manifest_sha256)),
    ];
    for (name, want) in checks {
        let got = field(name);
        if got.as_deref() != Some(want.as_str()) {
            return Err(wrong(format!("{name} is {got:?}, expected {want:?}")));
        }
    }
    match text(line.get("kind")).as_deref() {
        Some("decision-accepted") => Ok(DecisionSeen::Accepted),
        Some("decision-refused") => text(line.get("reason"))
            .map(DecisionSeen::Refused)
            .ok_or_else(|| wrong("a refusal without a reason".into())),
        other => Err(wrong(format!("kind {other:?} is not a decision"))),
    }
}

#[cfg(test)]
#[path = "receipt_tests.rs"]
mod tests;
