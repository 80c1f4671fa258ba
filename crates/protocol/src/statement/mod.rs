//! The holder's signed statement (`holder.json`, format `blindlink.holder-statement/2`):
//! what the data holder publishes about the epoch it serves, signed with its long-term
//! identity key, which every requester pins.
//!
//! ```json
//! {
//!   "format": "blindlink.holder-statement/2",
//!   "identity_public_key": "<64 hex digits>",
//!   "epoch": { "key_epoch": "...", "oprf_public_key": "...", "noise_public_key": "...",
//!              "set_size": 1843022, "fingerprint_bits": 81, "rules": ["R1", "R2"],
//!              "set_hash": "..." },
//!   "policy": { "digest": "<64 hex digits>", "limits": { "max_records_per_request": 5000, ... } },
//!   "issued_at": 1700000000,
//!   "valid_until": 1702592000,
//!   "signature": "<128 hex digits>"
//! }
//! ```
//!
//! `epoch` is the [`HolderInfo`] of the served epoch; `policy` is the digest and the
//! limits of the policy applied with `irs policy apply` (`null` before one is). The
//! signature is Ed25519 over [`canonical`] bytes, not over the JSON text, so a
//! reformatted file still verifies and an edited value never does.
//!
//! Parsing gives an [`UnverifiedStatement`], whose content cannot be read until
//! [`verify`](UnverifiedStatement::verify) has checked the signer against the pinned
//! key, the signature and the validity period.

pub mod canonical;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::holder_info::{HolderInfo, HolderInfoError};
use crate::identity::{IdentityKey, IdentityPublicKey, SIGNATURE_LEN};
use crate::policy::Limits;

/// The `format` field of a holder statement.
pub const STATEMENT_FORMAT: &str = "blindlink.holder-statement/2";

/// Largest statement JSON accepted.
pub const MAX_STATEMENT_JSON_BYTES: usize = 64 * 1024;

/// The policy the holder published: the SHA-256 digest of the applied policy file and
/// its numeric limits (what a requester checks a request against before approval).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedPolicy {
    /// SHA-256 of the policy file as applied.
    #[serde(with = "crate::serde_hex")]
    pub digest: [u8; 32],
    /// Its limits.
    pub limits: Limits,
}

/// What the holder signs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementBody {
    /// The key that signs the statement (must be the one the requester pinned).
    pub identity_public_key: IdentityPublicKey,
    /// The epoch served.
    pub epoch: HolderInfo,
    /// The applied policy, if one was applied.
    pub policy: Option<PublishedPolicy>,
    /// When it was signed, unix seconds.
    pub issued_at: u64,
    /// Last second it may be used (inclusive).
    pub valid_until: u64,
}

#[derive(Serialize, Deserialize)]
struct StatementJson {
    format: String,
    #[serde(flatten)]
    body: StatementBody,
    #[serde(with = "crate::serde_hex")]
    signature: [u8; SIGNATURE_LEN],
}

/// Why a statement was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StatementError {
    /// Too large to be a statement.
    #[error("holder statement is {len} bytes, over the limit of {max}")]
    TooLarge {
        /// Size given.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// Not JSON of the expected shape (an old unsigned `holder.json` lands here).
    #[error(
        "not a signed holder statement ({0}); a holder.json from before format {STATEMENT_FORMAT} is unsigned and refused"
    )]
    Json(String),
    /// Another format.
    #[error("holder statement format is {0:?}, expected {STATEMENT_FORMAT:?}")]
    Format(String),
    /// A field is invalid.
    #[error(transparent)]
    Info(#[from] HolderInfoError),
    /// `valid_until` is before `issued_at`.
    #[error("holder statement is valid until {valid_until}, before it was issued ({issued_at})")]
    ValidityOrder {
        /// Signing time.
        issued_at: u64,
        /// End of validity.
        valid_until: u64,
    },
    /// Signed by another key than the pinned one.
    #[error(
        "holder statement is signed by identity key {found}, not by the pinned holder key {pinned}"
    )]
    UnpinnedSigner {
        /// The key named in the statement.
        found: IdentityPublicKey,
        /// The pinned key.
        pinned: IdentityPublicKey,
    },
    /// The signature does not verify.
    #[error("holder statement signature does not verify (edited after signing?)")]
    BadSignature,
    /// Signed in the future (beyond the tolerated skew).
    #[error("holder statement was issued at {issued_at}, after now ({now})")]
    NotYetValid {
        /// Signing time.
        issued_at: u64,
        /// Now.
        now: u64,
    },
    /// Expired.
    #[error(
        "holder statement expired at {valid_until} (now {now}): fetch a fresh holder.json from the holder"
    )]
    Expired {
        /// End of validity.
        valid_until: u64,
        /// Now.
        now: u64,
    },
}

/// A parsed statement whose signature has not been checked yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnverifiedStatement(HolderStatement);

/// A statement with its signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HolderStatement {
    body: StatementBody,
    signature: [u8; SIGNATURE_LEN],
}

impl HolderStatement {
    /// Signs `body` with `key`; `body.identity_public_key` is set to `key`'s.
    pub fn sign(mut body: StatementBody, key: &IdentityKey) -> HolderStatement {
        body.identity_public_key = key.public_key();
        let signature = key.sign(&canonical::encode(&body));
        HolderStatement { body, signature }
    }

    /// What was signed.
    pub fn body(&self) -> &StatementBody {
        &self.body
    }

    /// SHA-256 of the signed bytes: names this statement in audit entries.
    pub fn digest(&self) -> [u8; 32] {
        canonical::digest(&self.body)
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        let json = StatementJson {
            format: STATEMENT_FORMAT.to_owned(),
            body: self.body.clone(),
            signature: self.signature,
        };
        let mut out = serde_json::to_vec_pretty(&json).unwrap_or_default();
        out.push(b'\n');
        out
    }
}

impl UnverifiedStatement {
    /// Parses statement JSON (at most [`MAX_STATEMENT_JSON_BYTES`]); checks the format and
    /// every field, but not the signature.
    pub fn from_json(bytes: &[u8]) -> Result<UnverifiedStatement, StatementError> {
        if bytes.len() > MAX_STATEMENT_JSON_BYTES {
            return Err(StatementError::TooLarge {
                len: bytes.len(),
                max: MAX_STATEMENT_JSON_BYTES,
            });
        }
        let json: StatementJson =
            serde_json::from_slice(bytes).map_err(|e| StatementError::Json(e.to_string()))?;
        if json.format != STATEMENT_FORMAT {
            return Err(StatementError::Format(
                json.format.chars().take(64).collect(),
            ));
        }
        json.body.epoch.validate()?;
        if json.body.valid_until < json.body.issued_at {
            return Err(StatementError::ValidityOrder {
                issued_at: json.body.issued_at,
                valid_until: json.body.valid_until,
            });
        }
        Ok(UnverifiedStatement(HolderStatement {
            body: json.body,
            signature: json.signature,
        }))
    }

    /// The key the statement claims to be signed by (to show, not to trust).
    pub fn claimed_signer(&self) -> IdentityPublicKey {
        self.0.body.identity_public_key
    }

    /// Checks that `pinned` signed it and that `now` is in its validity period (with
    /// `skew` seconds of tolerance on both ends).
    pub fn verify(
        self,
        pinned: &IdentityPublicKey,
        now: u64,
        skew: u64,
    ) -> Result<HolderStatement, StatementError> {
        let statement = self.0;
        let body = &statement.body;
        if body.identity_public_key != *pinned {
            return Err(StatementError::UnpinnedSigner {
                found: body.identity_public_key,
                pinned: *pinned,
            });
        }
        if !pinned.verifies(&canonical::encode(body), &statement.signature) {
            return Err(StatementError::BadSignature);
        }
        if body.issued_at > now.saturating_add(skew) {
            return Err(StatementError::NotYetValid {
                issued_at: body.issued_at,
                now,
            });
        }
        if now > body.valid_until.saturating_add(skew) {
            return Err(StatementError::Expired {
                valid_until: body.valid_until,
                now,
            });
        }
        Ok(statement)
    }
}
