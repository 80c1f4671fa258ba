//! Per-record commitments to (case reference, final order reference).
//!
//! Record commitment (record `i`, counted from 0 in request order):
//!
//! ```text
//! C_i = SHA-256( "blindlink/v1/record-commitment\0"      (31 bytes)
//!                || u64_be(i)
//!                || u32_be(len(case_ref)) || case_ref          (UTF-8)
//!                || u32_be(len(final_order_ref)) || final_order_ref
//!                || salt_i )                                    (32 random bytes)
//! ```
//!
//! The salt stays in the requester's bundle, so the Merkle root over the commitments
//! (see [`super::merkle`]) reveals nothing about the references to the data holder,
//! while the requester can later open any record with its references, salt and an
//! inclusion proof.

use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::ManifestError;
use super::fields::check_text;
use super::hex::hex_newtype;

/// Domain tag of a record commitment.
pub const RECORD_COMMITMENT_TAG: &[u8] = b"blindlink/v1/record-commitment\0";
/// Maximum length of a case or final order reference in bytes.
pub const MAX_REFERENCE_BYTES: usize = 256;

hex_newtype!(
    /// A record commitment `C_i` (see the module doc).
    RecordCommitment,
    32,
    "record_commitment"
);

/// The 32-byte random salt that hides one record's references.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReferenceSalt([u8; 32]);

impl ReferenceSalt {
    /// Draws a fresh salt.
    pub fn random<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut bytes = [0u8; 32];
        rng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// Wraps raw bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
}

impl core::fmt::Debug for ReferenceSalt {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ReferenceSalt(..)")
    }
}

impl TryFrom<String> for ReferenceSalt {
    type Error = ManifestError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(&text, &mut bytes).map_err(|_| ManifestError::BadHex {
            field: "salt",
            digits: 64,
        })?;
        Ok(Self(bytes))
    }
}

impl From<ReferenceSalt> for String {
    fn from(salt: ReferenceSalt) -> Self {
        hex::encode(salt.0)
    }
}

/// One record's references and salt, as kept in the requester's bundle.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(try_from = "RawReferences")]
pub struct RecordReferences {
    index: u64,
    case_ref: String,
    final_order_ref: String,
    salt: ReferenceSalt,
}

impl RecordReferences {
    /// Validates the references (1 to 256 bytes of display-safe text each).
    pub fn new(
        index: u64,
        case_ref: impl Into<String>,
        final_order_ref: impl Into<String>,
        salt: ReferenceSalt,
    ) -> Result<Self, ManifestError> {
        let case_ref = case_ref.into();
        let final_order_ref = final_order_ref.into();
        check_text("case_ref", &case_ref, MAX_REFERENCE_BYTES, false)?;
        check_text(
            "final_order_ref",
            &final_order_ref,
            MAX_REFERENCE_BYTES,
            false,
        )?;
        Ok(Self {
            index,
            case_ref,
            final_order_ref,
            salt,
        })
    }

    /// Position of the record in the request.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// The criminal investigation case reference.
    pub fn case_ref(&self) -> &str {
        &self.case_ref
    }

    /// The final order reference.
    pub fn final_order_ref(&self) -> &str {
        &self.final_order_ref
    }

    /// The commitment `C_i` (see the module doc).
    pub fn commitment(&self) -> RecordCommitment {
        let mut hasher = Sha256::new();
        hasher.update(RECORD_COMMITMENT_TAG);
        hasher.update(self.index.to_be_bytes());
        for text in [&self.case_ref, &self.final_order_ref] {
            // Both are at most MAX_REFERENCE_BYTES long, so the length fits in u32.
            hasher.update((text.len() as u32).to_be_bytes());
            hasher.update(text.as_bytes());
        }
        hasher.update(self.salt.0);
        RecordCommitment::from_bytes(hasher.finalize().into())
    }
}

/// Unvalidated serde form of [`RecordReferences`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReferences {
    index: u64,
    case_ref: String,
    final_order_ref: String,
    salt: ReferenceSalt,
}

impl TryFrom<RawReferences> for RecordReferences {
    type Error = ManifestError;
    fn try_from(raw: RawReferences) -> Result<Self, Self::Error> {
        Self::new(raw.index, raw.case_ref, raw.final_order_ref, raw.salt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commitment_matches_definition() {
        let refs =
            RecordReferences::new(2, "C-1", "FO-22", ReferenceSalt::from_bytes([9; 32])).unwrap();
        let mut input = b"blindlink/v1/record-commitment\0".to_vec();
        input.extend_from_slice(&2u64.to_be_bytes());
        input.extend_from_slice(&[0, 0, 0, 3]);
        input.extend_from_slice(b"C-1");
        input.extend_from_slice(&[0, 0, 0, 5]);
        input.extend_from_slice(b"FO-22");
        input.extend_from_slice(&[9; 32]);
        let direct: [u8; 32] = Sha256::digest(&input).into();
        assert_eq!(refs.commitment().as_bytes(), &direct);
    }

    #[test]
    fn references_are_validated() {
        let salt = ReferenceSalt::from_bytes([0; 32]);
        assert!(RecordReferences::new(0, "", "FO", salt.clone()).is_err());
        assert!(RecordReferences::new(0, "C", "x".repeat(257), salt.clone()).is_err());
        assert!(RecordReferences::new(0, "C\u{0}", "FO", salt).is_err());
        assert_eq!(
            format!("{:?}", ReferenceSalt::from_bytes([7; 32])),
            "ReferenceSalt(..)"
        );
    }
}
