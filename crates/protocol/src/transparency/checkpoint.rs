//! Signed checkpoints: a party's statement "my audit log had `size` entries with this
//! root at `time`", signed with its identity key (RFC 9162's signed tree head).
//!
//! The signed bytes have fixed widths, so the encoding is injective:
//!
//! | # | field     | encoding                                |
//! |---|-----------|-----------------------------------------|
//! | 0 | domain tag| `"blindlink/v2/checkpoint\0"` (24 bytes) |
//! | 1 | signer    | 32 bytes (Ed25519 public key)           |
//! | 2 | tree size | `u64` big-endian                        |
//! | 3 | root hash | 32 bytes                                |
//! | 4 | time      | `u64` big-endian, unix seconds          |
//!
//! As a file or inside an audit entry a checkpoint is JSON, format
//! `blindlink.checkpoint/1`; parsing it gives the fields, and only
//! [`SignedCheckpoint::verify`] against a pinned key says they are the signer's.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::tree::TreeHead;
use crate::identity::{IdentityKey, IdentityPublicKey, SIGNATURE_LEN};

/// Domain tag that starts a checkpoint's signed bytes.
pub const CHECKPOINT_DOMAIN_TAG: &[u8] = b"blindlink/v2/checkpoint\0";
/// The JSON format name.
pub const CHECKPOINT_FORMAT: &str = "blindlink.checkpoint/1";

/// What a checkpoint says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log owner's identity key.
    pub signer: IdentityPublicKey,
    /// Size and root of its log.
    pub head: TreeHead,
    /// When it was signed (unix seconds).
    pub time: u64,
}

/// A checkpoint with its signature (not yet checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedCheckpoint {
    /// What is signed.
    pub checkpoint: Checkpoint,
    /// Ed25519 signature over [`Checkpoint::signed_bytes`].
    pub signature: [u8; SIGNATURE_LEN],
}

/// Why a checkpoint was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CheckpointError {
    /// Signed by a key other than the pinned one.
    #[error("checkpoint signed by {found}, not by the pinned key {pinned}")]
    UnpinnedSigner {
        /// The pinned key.
        pinned: IdentityPublicKey,
        /// The key it names.
        found: IdentityPublicKey,
    },
    /// The signature does not verify.
    #[error("checkpoint signature does not verify")]
    BadSignature,
    /// Not a checkpoint document.
    #[error("not a checkpoint: {0}")]
    Format(String),
}

impl Checkpoint {
    /// The bytes the signature covers (see the module doc).
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(CHECKPOINT_DOMAIN_TAG.len() + 80);
        out.extend_from_slice(CHECKPOINT_DOMAIN_TAG);
        out.extend_from_slice(&self.signer.to_bytes());
        out.extend_from_slice(&self.head.size.to_be_bytes());
        out.extend_from_slice(&self.head.root);
        out.extend_from_slice(&self.time.to_be_bytes());
        out
    }

    /// Signs with `key` (whose public key must be `signer`; the signer is taken from it).
    pub fn sign(head: TreeHead, time: u64, key: &IdentityKey) -> SignedCheckpoint {
        let checkpoint = Checkpoint {
            signer: key.public_key(),
            head,
            time,
        };
        let signature = key.sign(&checkpoint.signed_bytes());
        SignedCheckpoint {
            checkpoint,
            signature,
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckpointJson {
    format: String,
    signer: IdentityPublicKey,
    tree_size: u64,
    #[serde(with = "crate::serde_hex")]
    root_hash: [u8; 32],
    time: u64,
    #[serde(with = "crate::serde_hex")]
    signature: [u8; SIGNATURE_LEN],
}

impl SignedCheckpoint {
    /// Checks that `pinned` signed it.
    pub fn verify(&self, pinned: &IdentityPublicKey) -> Result<&Checkpoint, CheckpointError> {
        if &self.checkpoint.signer != pinned {
            return Err(CheckpointError::UnpinnedSigner {
                pinned: *pinned,
                found: self.checkpoint.signer,
            });
        }
        if !pinned.verifies(&self.checkpoint.signed_bytes(), &self.signature) {
            return Err(CheckpointError::BadSignature);
        }
        Ok(&self.checkpoint)
    }

    /// The JSON form.
    pub fn to_json(&self) -> serde_json::Value {
        let c = &self.checkpoint;
        serde_json::to_value(CheckpointJson {
            format: CHECKPOINT_FORMAT.to_owned(),
            signer: c.signer,
            tree_size: c.head.size,
            root_hash: c.head.root,
            time: c.time,
            signature: self.signature,
        })
        .unwrap_or_default()
    }

    /// Parses the JSON form (the signature is not checked here).
    pub fn from_json(value: &serde_json::Value) -> Result<SignedCheckpoint, CheckpointError> {
        let json: CheckpointJson = serde_json::from_value(value.clone())
            .map_err(|e| CheckpointError::Format(e.to_string()))?;
        if json.format != CHECKPOINT_FORMAT {
            return Err(CheckpointError::Format(format!(
                "format {:?}, expected {CHECKPOINT_FORMAT:?}",
                json.format
            )));
        }
        Ok(SignedCheckpoint {
            checkpoint: Checkpoint {
                signer: json.signer,
                head: TreeHead {
                    size: json.tree_size,
                    root: json.root_hash,
                },
                time: json.time,
            },
            signature: json.signature,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_checkpoint_verifies_under_its_signer_only_and_survives_json() {
        let key = IdentityKey::generate(&mut rand::rng());
        let other = IdentityKey::generate(&mut rand::rng());
        let head = TreeHead {
            size: 5,
            root: [7; 32],
        };
        let signed = Checkpoint::sign(head, 1_800_000_000, &key);
        assert_eq!(signed.verify(&key.public_key()).unwrap().head, head);
        let parsed = SignedCheckpoint::from_json(&signed.to_json()).unwrap();
        assert_eq!(parsed, signed);
        assert!(matches!(
            signed.verify(&other.public_key()),
            Err(CheckpointError::UnpinnedSigner { .. })
        ));
        for bent in [
            SignedCheckpoint {
                checkpoint: Checkpoint {
                    head: TreeHead { size: 6, ..head },
                    ..signed.checkpoint
                },
                ..signed
            },
            SignedCheckpoint {
                checkpoint: Checkpoint {
                    time: 1,
                    ..signed.checkpoint
                },
                ..signed
            },
        ] {
            assert_eq!(
                bent.verify(&key.public_key()),
                Err(CheckpointError::BadSignature)
            );
        }
        let mut json = signed.to_json();
        json["format"] = "blindlink.checkpoint/0".into();
        assert!(SignedCheckpoint::from_json(&json).is_err());
    }
}
