//! Transparency for the parties' audit logs, in the style of RFC 9162 (Certificate
//! Transparency 2.0): every audit log is also a Merkle tree ([`tree`]); its owner signs
//! checkpoints of it with its identity key ([`checkpoint`]); and the holder answers every
//! decision with a [`receipt`]: a checkpoint and the inclusion proof of the decision's
//! entry, plus a consistency proof from the last checkpoint that requester saw.
//!
//! What each proves is in PROTOCOL.md §6.7.

pub mod checkpoint;
pub mod receipt;
pub mod receipt_json;
pub mod tree;

pub use checkpoint::{Checkpoint, CheckpointError, SignedCheckpoint};
pub use receipt::{
    DecisionSeen, ReceiptError, ReceiptExpectation, VerifiedReceipt, entry_leaf, make_receipt,
    receipt_checkpoint, verify_receipt,
};
pub use receipt_json::{RECEIPT_FORMAT, ReceiptJsonError, receipt_from_json, receipt_to_json};
pub use tree::{Hash, LogTree, ProofError, TreeHead, verify_consistency, verify_inclusion};
