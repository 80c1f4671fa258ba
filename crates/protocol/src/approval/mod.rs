//! Approvals: Ed25519 signatures by designated officials over a manifest, each bound
//! to the role it is given under.
//!
//! The signed message is
//!
//! ```text
//! "blindlink/v1/approval\0"  (22 bytes)  ||  u32_be(len(role)) || role (ASCII)
//!     ||  canonical manifest bytes  (crate::manifest::canonical)
//! ```
//!
//! signed with plain Ed25519 (RFC 8032) and checked with ed25519-dalek's
//! `verify_strict`, which also rejects non-canonical `S`, and small-order `R` or public
//! keys. Because the role is inside the message, an approval given as `ice-director`
//! does not verify if relabelled `dhs-secretary`. Public keys of small order are
//! refused when parsed.

mod key;
mod role;

use core::fmt;

use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use key::ApproverSigningKey;
pub use role::{MAX_ROLE_BYTES, Role};

use crate::manifest::canonical::put_lp;
use crate::manifest::{Manifest, ManifestError};

/// Domain tag that starts every approval message.
pub const APPROVAL_DOMAIN_TAG: &[u8] = b"blindlink/v1/approval\0";
/// Most approvals a [`SignedManifest`] may carry (and the policy will look at).
pub const MAX_APPROVALS: usize = 16;
/// Largest [`SignedManifest`] JSON accepted.
pub const MAX_SIGNED_MANIFEST_JSON_BYTES: usize = 128 * 1024;

/// Errors about approvals, approver keys and signed manifests.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApprovalError {
    /// A role name is malformed.
    #[error("role {0:?} is not 1 to 64 characters of a-z, 0-9 and '-', starting with a letter")]
    InvalidRole(String),
    /// 32 bytes that are not an Ed25519 public key.
    #[error("not a valid Ed25519 public key")]
    InvalidPublicKey,
    /// A public key of small order, which any signature could be forged for.
    #[error("weak (small-order) Ed25519 public key")]
    WeakPublicKey,
    /// A hex field has the wrong length or a non-hex digit.
    #[error("{field} must be exactly {digits} hex digits")]
    BadHex {
        /// Field name.
        field: &'static str,
        /// Hex digits expected.
        digits: usize,
    },
    /// The signature does not verify for this manifest and role.
    #[error("signature of the {role} approval does not verify")]
    BadSignature {
        /// The role the approval claims.
        role: Role,
    },
    /// More approvals than [`MAX_APPROVALS`].
    #[error("{count} approvals, more than the {max} allowed")]
    TooManyApprovals {
        /// Number given.
        count: usize,
        /// Limit.
        max: usize,
    },
    /// The JSON text is too large.
    #[error("signed manifest JSON is {len} bytes, over the limit of {max}")]
    JsonTooLarge {
        /// Size given.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// Malformed JSON or an invalid field.
    #[error("approval JSON invalid at `{path}`: {message}")]
    Json {
        /// Path of the offending field.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The embedded manifest is invalid.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
}

/// An approver's Ed25519 public key: 32 bytes checked to decode to a point that is
/// not of small order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ApproverPublicKey([u8; 32]);

impl ApproverPublicKey {
    /// Parses a compressed Edwards point, refusing invalid and small-order keys.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, ApprovalError> {
        let key = VerifyingKey::from_bytes(bytes).map_err(|_| ApprovalError::InvalidPublicKey)?;
        if key.is_weak() {
            return Err(ApprovalError::WeakPublicKey);
        }
        Ok(Self(*bytes))
    }

    /// Parses 64 hex digits.
    pub fn from_hex(text: &str) -> Result<Self, ApprovalError> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut bytes).map_err(|_| ApprovalError::BadHex {
            field: "public_key",
            digits: 64,
        })?;
        Self::from_bytes(&bytes)
    }

    /// The 32-byte encoding.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    /// Lowercase hex of the encoding.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The dalek key (the bytes were checked to decode when `self` was built).
    fn verifying_key(&self) -> Option<VerifyingKey> {
        VerifyingKey::from_bytes(&self.0).ok()
    }

    fn verify(&self, message: &[u8], signature: &Signature) -> bool {
        self.verifying_key()
            .is_some_and(|key| key.verify_strict(message, signature).is_ok())
    }
}

impl fmt::Debug for ApproverPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApproverPublicKey({})", self.to_hex())
    }
}

impl fmt::Display for ApproverPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl TryFrom<String> for ApproverPublicKey {
    type Error = ApprovalError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::from_hex(&text)
    }
}

impl From<ApproverPublicKey> for String {
    fn from(key: ApproverPublicKey) -> Self {
        key.to_hex()
    }
}

/// The exact message an approval under `role` signs for `manifest` (see the module doc).
pub fn approval_message(role: &Role, manifest: &Manifest) -> Vec<u8> {
    let canonical = manifest.canonical_bytes();
    let mut message = Vec::with_capacity(APPROVAL_DOMAIN_TAG.len() + 4 + 64 + canonical.len());
    message.extend_from_slice(APPROVAL_DOMAIN_TAG);
    put_lp(&mut message, role.as_str().as_bytes());
    message.extend_from_slice(&canonical);
    message
}

/// One official's approval of a manifest under a role.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(try_from = "RawApproval", into = "RawApproval")]
pub struct Approval {
    role: Role,
    public_key: ApproverPublicKey,
    signature: Signature,
}

/// JSON form of an [`Approval`]: `{"role", "public_key" (hex), "signature" (hex)}`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApproval {
    role: Role,
    public_key: ApproverPublicKey,
    signature: String,
}

impl TryFrom<RawApproval> for Approval {
    type Error = ApprovalError;
    fn try_from(raw: RawApproval) -> Result<Self, Self::Error> {
        let mut bytes = [0u8; 64];
        hex::decode_to_slice(&raw.signature, &mut bytes).map_err(|_| ApprovalError::BadHex {
            field: "signature",
            digits: 128,
        })?;
        Ok(Self::new(raw.role, raw.public_key, bytes))
    }
}

impl From<Approval> for RawApproval {
    fn from(approval: Approval) -> Self {
        Self {
            role: approval.role,
            public_key: approval.public_key,
            signature: hex::encode(approval.signature.to_bytes()),
        }
    }
}

impl Approval {
    /// Assembles an approval from its parts (nothing is verified here).
    pub fn new(role: Role, public_key: ApproverPublicKey, signature: [u8; 64]) -> Self {
        Self {
            role,
            public_key,
            signature: Signature::from_bytes(&signature),
        }
    }

    /// The role the approval is given under.
    pub fn role(&self) -> &Role {
        &self.role
    }

    /// The approver's public key.
    pub fn public_key(&self) -> &ApproverPublicKey {
        &self.public_key
    }

    /// The 64-byte signature.
    pub fn signature_bytes(&self) -> [u8; 64] {
        self.signature.to_bytes()
    }

    /// Checks the signature over `manifest` under the approval's own role.
    ///
    /// This says nothing about whether the key may approve under that role: that is
    /// the holder policy's job.
    pub fn verify(&self, manifest: &Manifest) -> Result<(), ApprovalError> {
        if self.verifies_as(&self.role, manifest) {
            Ok(())
        } else {
            Err(ApprovalError::BadSignature {
                role: self.role.clone(),
            })
        }
    }

    /// True if the signature verifies for `manifest` under `role` (which may differ
    /// from the role the approval claims).
    pub fn verifies_as(&self, role: &Role, manifest: &Manifest) -> bool {
        self.public_key
            .verify(&approval_message(role, manifest), &self.signature)
    }
}

/// A manifest together with the approvals collected for it: the file the requester
/// sends and the approver tool extends.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedManifest {
    /// The manifest.
    pub manifest: Manifest,
    /// Approvals, in the order they were added.
    pub approvals: Vec<Approval>,
}

impl SignedManifest {
    /// Parses JSON, refusing more than [`MAX_APPROVALS`] approvals. Signatures are not
    /// checked here.
    pub fn from_json(bytes: &[u8]) -> Result<Self, ApprovalError> {
        if bytes.len() > MAX_SIGNED_MANIFEST_JSON_BYTES {
            return Err(ApprovalError::JsonTooLarge {
                len: bytes.len(),
                max: MAX_SIGNED_MANIFEST_JSON_BYTES,
            });
        }
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        let parsed: Self = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            ApprovalError::Json {
                path: e.path().to_string(),
                message: e.inner().to_string(),
            }
        })?;
        deserializer.end().map_err(|e| ApprovalError::Json {
            path: ".".to_owned(),
            message: e.to_string(),
        })?;
        if parsed.approvals.len() > MAX_APPROVALS {
            return Err(ApprovalError::TooManyApprovals {
                count: parsed.approvals.len(),
                max: MAX_APPROVALS,
            });
        }
        Ok(parsed)
    }

    /// Pretty JSON for files.
    pub fn to_json_pretty(&self) -> String {
        // Strings, integers and lists only: serializing into a String cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
