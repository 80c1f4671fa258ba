//! A receipt as JSON (format `blindlink.receipt/1`): how the requester keeps each verified
//! receipt in its audit log (the `receipt` entry's `details.receipt`), and how a reconcile
//! of both parties' logs reads it back.
//!
//! ```json
//! {
//!   "format": "blindlink.receipt/1",
//!   "checkpoint": { "format": "blindlink.checkpoint/1", "signer": "<64 hex>",
//!                   "tree_size": 12, "root_hash": "<64 hex>", "time": 1800000000,
//!                   "signature": "<128 hex>" },
//!   "leaf_index": 10,
//!   "entry": "<the holder's audit line, as text>",
//!   "inclusion": ["<64 hex>", ...],
//!   "consistency_from": 7,
//!   "consistency": ["<64 hex>", ...]
//! }
//! ```
//!
//! Parsing checks the shape only; [`verify_receipt`](super::verify_receipt) and the
//! reconcile check what it proves.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

use super::checkpoint::{CheckpointError, SignedCheckpoint};
use super::receipt::receipt_checkpoint;
use super::tree::Hash;
use crate::identity::IdentityPublicKey;
use crate::wire::{DecisionReceipt, HARD_MAX_PROOF_HASHES, HARD_MAX_RECEIPT_ENTRY_BYTES};

/// The format name of a receipt's JSON.
pub const RECEIPT_FORMAT: &str = "blindlink.receipt/1";

/// Why a receipt's JSON was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReceiptJsonError {
    /// Not the receipt JSON shape (a field missing, of the wrong type, or too large).
    #[error("not a {RECEIPT_FORMAT} receipt: {0}")]
    Format(String),
    /// The checkpoint inside is malformed.
    #[error("receipt checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReceiptJson {
    format: String,
    checkpoint: Value,
    leaf_index: u64,
    entry: String,
    inclusion: Vec<String>,
    consistency_from: u64,
    consistency: Vec<String>,
}

fn hashes_to_hex(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(hex::encode).collect()
}

fn hashes_from_hex(field: &str, texts: &[String]) -> Result<Vec<Hash>, ReceiptJsonError> {
    if texts.len() > HARD_MAX_PROOF_HASHES {
        return Err(ReceiptJsonError::Format(format!(
            "{field} has {} hashes, more than {HARD_MAX_PROOF_HASHES}",
            texts.len()
        )));
    }
    texts
        .iter()
        .map(|text| {
            let mut out = [0u8; 32];
            hex::decode_to_slice(text, &mut out).map_err(|_| {
                ReceiptJsonError::Format(format!("{field}: {text:?} is not 64 hex digits"))
            })?;
            Ok(out)
        })
        .collect()
}

/// The JSON of `receipt`, whose checkpoint `holder` signed.
pub fn receipt_to_json(receipt: &DecisionReceipt, holder: IdentityPublicKey) -> Value {
    let json = ReceiptJson {
        format: RECEIPT_FORMAT.to_owned(),
        checkpoint: receipt_checkpoint(receipt, holder).to_json(),
        leaf_index: receipt.leaf_index,
        entry: String::from_utf8_lossy(&receipt.entry).into_owned(),
        inclusion: hashes_to_hex(&receipt.inclusion),
        consistency_from: receipt.consistency_from,
        consistency: hashes_to_hex(&receipt.consistency),
    };
    serde_json::to_value(json).unwrap_or_default()
}

/// Reads a receipt's JSON back: the receipt and the checkpoint's claimed signer (not yet
/// checked against anything).
pub fn receipt_from_json(
    value: &Value,
) -> Result<(DecisionReceipt, SignedCheckpoint), ReceiptJsonError> {
    let json: ReceiptJson = serde_json::from_value(value.clone())
        .map_err(|e| ReceiptJsonError::Format(e.to_string()))?;
    if json.format != RECEIPT_FORMAT {
        return Err(ReceiptJsonError::Format(format!(
            "format {:?}, expected {RECEIPT_FORMAT:?}",
            json.format
        )));
    }
    if json.entry.len() > HARD_MAX_RECEIPT_ENTRY_BYTES {
        return Err(ReceiptJsonError::Format(format!(
            "entry of {} bytes, more than {HARD_MAX_RECEIPT_ENTRY_BYTES}",
            json.entry.len()
        )));
    }
    let checkpoint = SignedCheckpoint::from_json(&json.checkpoint)?;
    let receipt = DecisionReceipt {
        tree_size: checkpoint.checkpoint.head.size,
        root_hash: checkpoint.checkpoint.head.root,
        checkpoint_time: checkpoint.checkpoint.time,
        signature: checkpoint.signature,
        leaf_index: json.leaf_index,
        entry: json.entry.into_bytes(),
        inclusion: hashes_from_hex("inclusion", &json.inclusion)?,
        consistency_from: json.consistency_from,
        consistency: hashes_from_hex("consistency", &json.consistency)?,
    };
    Ok((receipt, checkpoint))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::identity::IdentityKey;
    use crate::transparency::{LogTree, entry_leaf, make_receipt};

    fn receipt(key: &IdentityKey) -> DecisionReceipt {
        let lines: Vec<Vec<u8>> = (1..=5)
            .map(|seq| format!("{{\"seq\":{seq}}}").into_bytes())
            .collect();
        let tree = LogTree::from_leaves(lines.iter().map(|l| entry_leaf(l)));
        make_receipt(key, &tree, 4, &lines[3], 2, 1_800_000_000).unwrap()
    }

    #[test]
    fn a_receipt_survives_its_json() {
        let key = IdentityKey::generate(&mut rand::rng());
        let original = receipt(&key);
        let json = receipt_to_json(&original, key.public_key());
        let (back, checkpoint) = receipt_from_json(&json).unwrap();
        assert_eq!(back, original);
        assert!(checkpoint.verify(&key.public_key()).is_ok());
    }

    #[test]
    fn a_malformed_receipt_json_is_refused_with_its_reason() {
        let key = IdentityKey::generate(&mut rand::rng());
        let good = receipt_to_json(&receipt(&key), key.public_key());
        let mut wrong_format = good.clone();
        wrong_format["format"] = "blindlink.receipt/0".into();
        let mut bad_hash = good.clone();
        bad_hash["inclusion"][0] = "zz".into();
        let mut extra = good.clone();
        extra["note"] = "hi".into();
        let mut long = good.clone();
        long["consistency"] = Value::Array(vec![Value::from("00".repeat(32)); 129]);
        for (what, value) in [
            ("format", wrong_format),
            ("hash", bad_hash),
            ("unknown field", extra),
            ("proof length", long),
        ] {
            assert!(
                matches!(receipt_from_json(&value), Err(ReceiptJsonError::Format(_))),
                "{what}"
            );
        }
        let mut bad_checkpoint = good;
        bad_checkpoint["checkpoint"]["format"] = "x".into();
        assert!(matches!(
            receipt_from_json(&bad_checkpoint),
            Err(ReceiptJsonError::Checkpoint(_))
        ));
    }
}
