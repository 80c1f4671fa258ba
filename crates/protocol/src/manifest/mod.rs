//! The request manifest: what approvers sign and the data holder checks.
//!
//! A [`Manifest`] is built from [`ManifestFields`] and validated once; after that its
//! [`canonical_bytes`](Manifest::canonical_bytes) (see [`canonical`] for the exact
//! layout) are what every approval signs. On disk it is JSON:
//!
//! ```json
//! {
//!   "request_id": "00112233445566778899aabbccddeeff",
//!   "requester_id": "ice-hsi-newark",
//!   "purpose": "criminal-investigation",
//!   "legal_basis": "26 U.S.C. 6103(i)(2); ex parte order ...",
//!   "record_count": 3,
//!   "element_count": 6,
//!   "rules_used": ["R1", "R2"],
//!   "blinded_digest": "<128 hex digits>",
//!   "references_root": "<64 hex digits>",
//!   "issued_at": 1700000000,
//!   "expires_at": 1700086400,
//!   "key_epoch": "<32 hex digits>",
//!   "oprf_public_key": "<64 hex digits>",
//!   "set_hash": "<64 hex digits>"
//! }
//! ```
//!
//! Unknown fields, unknown purposes, unsorted or duplicate rules, blank or over-long
//! text (legal basis over 4 KiB, requester id over 128 bytes), counts of zero or above
//! the hard limits, and `expires_at <= issued_at` are all rejected on parse.

pub mod canonical;
pub mod digest;
mod error;
mod fields;
mod hex;
pub mod merkle;
pub mod references;

use serde::{Deserialize, Serialize};

pub use canonical::MANIFEST_DOMAIN_TAG;
pub use digest::{
    BLINDED_DIGEST_TAG, BLINDED_ELEMENT_LEN, BlindedDigest, BlindedElementsDigest, DigestError,
};
pub use error::ManifestError;
pub use fields::{
    KeyEpoch, LegalBasis, MAX_ELEMENT_COUNT, MAX_LEGAL_BASIS_BYTES, MAX_RECORD_COUNT,
    MAX_REQUESTER_ID_BYTES, MAX_RULE_ID_BYTES, MAX_RULES, OprfKeyHex, Purpose, RequestId,
    RequesterId, RuleId, SetHash,
};
pub use merkle::{InclusionProof, MAX_PROOF_LEN, MerkleError, MerkleHash, MerkleTree};
pub use references::{
    MAX_REFERENCE_BYTES, RECORD_COMMITMENT_TAG, RecordCommitment, RecordReferences, ReferenceSalt,
};

/// Largest manifest JSON accepted by [`Manifest::from_json`].
pub const MAX_MANIFEST_JSON_BYTES: usize = 64 * 1024;

/// The fields of a manifest, each already valid on its own. Turn them into a
/// [`Manifest`] with [`Manifest::new`], which checks how they fit together.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFields {
    /// Random 128-bit id, single use.
    pub request_id: RequestId,
    /// The requesting office.
    pub requester_id: RequesterId,
    /// Why the data is requested.
    pub purpose: Purpose,
    /// The legal basis text shown to approvers.
    pub legal_basis: LegalBasis,
    /// Number of records in the request.
    pub record_count: u64,
    /// Number of blinded elements (match keys) sent.
    pub element_count: u64,
    /// Match rules used, ascending byte order, distinct.
    pub rules_used: Vec<RuleId>,
    /// SHA-512 digest over the blinded elements in order.
    pub blinded_digest: BlindedElementsDigest,
    /// Merkle root over per-record reference commitments.
    pub references_root: MerkleHash,
    /// Issue time, unix seconds.
    pub issued_at: u64,
    /// Expiry time, unix seconds (exclusive).
    pub expires_at: u64,
    /// The data holder's key epoch the request is for.
    pub key_epoch: KeyEpoch,
    /// The epoch's OPRF public key, from the holder's signed statement.
    pub oprf_public_key: OprfKeyHex,
    /// The content hash of the holder's encoded set, from its signed statement.
    pub set_hash: SetHash,
}

/// A validated manifest.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(try_from = "ManifestFields", into = "ManifestFields")]
pub struct Manifest {
    fields: ManifestFields,
}

fn check_count(field: &'static str, value: u64, max: u64) -> Result<(), ManifestError> {
    if value == 0 || value > max {
        return Err(ManifestError::CountOutOfRange { field, value, max });
    }
    Ok(())
}

impl Manifest {
    /// Validates how the fields fit together (counts, rule list, validity window).
    pub fn new(fields: ManifestFields) -> Result<Self, ManifestError> {
        check_count("record_count", fields.record_count, MAX_RECORD_COUNT)?;
        check_count("element_count", fields.element_count, MAX_ELEMENT_COUNT)?;
        let rules = &fields.rules_used;
        let ascending = rules.windows(2).all(|pair| match pair {
            [a, b] => a < b,
            _ => true,
        });
        if rules.is_empty() || rules.len() > MAX_RULES || !ascending {
            return Err(ManifestError::RulesNotCanonical { max: MAX_RULES });
        }
        if fields.expires_at <= fields.issued_at {
            return Err(ManifestError::ExpiresNotAfterIssued {
                issued_at: fields.issued_at,
                expires_at: fields.expires_at,
            });
        }
        Ok(Self { fields })
    }

    /// The fields.
    pub fn fields(&self) -> &ManifestFields {
        &self.fields
    }

    /// Gives the fields back (e.g. to edit and re-validate).
    pub fn into_fields(self) -> ManifestFields {
        self.fields
    }

    /// The request id.
    pub fn request_id(&self) -> RequestId {
        self.fields.request_id
    }

    /// The canonical, domain-separated encoding (see [`canonical`]).
    pub fn canonical_bytes(&self) -> Vec<u8> {
        canonical::encode(&self.fields)
    }

    /// SHA-256 of the canonical bytes: the manifest hash both parties' logs record and
    /// receipts name.
    pub fn sha256(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        Sha256::digest(self.canonical_bytes()).into()
    }

    /// Parses and validates manifest JSON (at most [`MAX_MANIFEST_JSON_BYTES`]).
    pub fn from_json(bytes: &[u8]) -> Result<Self, ManifestError> {
        if bytes.len() > MAX_MANIFEST_JSON_BYTES {
            return Err(ManifestError::JsonTooLarge {
                len: bytes.len(),
                max: MAX_MANIFEST_JSON_BYTES,
            });
        }
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        let fields: ManifestFields =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
                ManifestError::Json {
                    path: e.path().to_string(),
                    message: e.inner().to_string(),
                }
            })?;
        deserializer.end().map_err(|e| ManifestError::Json {
            path: ".".to_owned(),
            message: e.to_string(),
        })?;
        Self::new(fields)
    }

    /// Pretty JSON for files (fields in canonical order).
    pub fn to_json_pretty(&self) -> String {
        // Serializing plain strings, integers and lists into a String cannot fail.
        serde_json::to_string_pretty(&self.fields).unwrap_or_default()
    }
}

impl TryFrom<ManifestFields> for Manifest {
    type Error = ManifestError;
    fn try_from(fields: ManifestFields) -> Result<Self, Self::Error> {
        Self::new(fields)
    }
}

impl From<Manifest> for ManifestFields {
    fn from(manifest: Manifest) -> Self {
        manifest.fields
    }
}

#[cfg(test)]
mod tests;
