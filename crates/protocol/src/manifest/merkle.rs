//! Per-record commitments to (case reference, final order reference) and the Merkle
//! tree over them whose root the manifest carries.
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
//! The salt stays in the requester's bundle, so the root reveals nothing about the
//! references to the data holder, while the requester can later open any record.
//!
//! Tree (domain-separated as in RFC 6962): `leaf_i = SHA-256(0x00 || C_i)`,
//! `node = SHA-256(0x01 || left || right)`. Levels are built left to right by pairing
//! neighbours; an odd last node is **promoted** unchanged to the next level (never
//! duplicated, which would let two different leaf lists share a root). This gives the
//! same tree shape, and root, as RFC 6962 section 2.1. A single leaf is its own root;
//! an empty tree has no root.

use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::fields::check_text;
use super::hex::hex_newtype;

/// Domain tag of a record commitment.
pub const RECORD_COMMITMENT_TAG: &[u8] = b"blindlink/v1/record-commitment\0";
/// Maximum length of a case or final order reference in bytes.
pub const MAX_REFERENCE_BYTES: usize = 256;
/// Longest inclusion proof accepted (enough for 2^64 leaves).
pub const MAX_PROOF_LEN: usize = 64;

hex_newtype!(
    /// A record commitment `C_i` (see the module doc).
    RecordCommitment,
    32,
    "record_commitment"
);

hex_newtype!(
    /// A Merkle tree node or root hash.
    MerkleHash,
    32,
    "references_root"
);

/// Errors building commitments, trees and proofs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MerkleError {
    /// A reference field failed validation.
    #[error(transparent)]
    Reference(#[from] super::ManifestError),
    /// A tree needs at least one leaf.
    #[error("a Merkle tree needs at least one record")]
    Empty,
    /// The leaf index is outside the tree.
    #[error("record index {index} is outside a tree of {count} records")]
    IndexOutOfRange {
        /// Requested index.
        index: u64,
        /// Number of leaves.
        count: u64,
    },
}

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
    type Error = super::ManifestError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(&text, &mut bytes).map_err(|_| super::ManifestError::BadHex {
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
    ) -> Result<Self, MerkleError> {
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
    type Error = MerkleError;
    fn try_from(raw: RawReferences) -> Result<Self, Self::Error> {
        Self::new(raw.index, raw.case_ref, raw.final_order_ref, raw.salt)
    }
}

fn leaf_hash(commitment: &RecordCommitment) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(commitment.as_bytes());
    hasher.finalize().into()
}

fn node_hash(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update([0x01]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// A Merkle tree over record commitments, all levels kept (64 bytes per record) so
/// that inclusion proofs can be produced for any record.
#[derive(Clone, Debug)]
pub struct MerkleTree {
    /// `levels[0]` holds the leaf hashes; the last level holds the root alone.
    levels: Vec<Vec<[u8; 32]>>,
}

impl MerkleTree {
    /// Builds the tree over commitments in record order.
    pub fn new(commitments: &[RecordCommitment]) -> Result<Self, MerkleError> {
        if commitments.is_empty() {
            return Err(MerkleError::Empty);
        }
        let mut levels = vec![commitments.iter().map(leaf_hash).collect::<Vec<_>>()];
        while let Some(level) = levels.last().filter(|level| level.len() > 1) {
            let mut next = Vec::with_capacity(level.len().div_ceil(2));
            let mut nodes = level.iter();
            while let Some(left) = nodes.next() {
                match nodes.next() {
                    Some(right) => next.push(node_hash(left, right)),
                    None => next.push(*left),
                }
            }
            levels.push(next);
        }
        Ok(Self { levels })
    }

    /// Number of leaves.
    pub fn len(&self) -> u64 {
        self.levels.first().map_or(0, |leaves| leaves.len() as u64)
    }

    /// Always false: a tree has at least one leaf.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The root hash.
    pub fn root(&self) -> MerkleHash {
        let root = self
            .levels
            .last()
            .and_then(|level| level.first())
            .copied()
            .unwrap_or_default();
        MerkleHash::from_bytes(root)
    }

    /// The inclusion proof for the record at `index`.
    pub fn prove(&self, index: u64) -> Result<InclusionProof, MerkleError> {
        let count = self.len();
        let out_of_range = MerkleError::IndexOutOfRange { index, count };
        let mut position = usize::try_from(index).map_err(|_| out_of_range.clone())?;
        if index >= count {
            return Err(out_of_range);
        }
        let mut siblings = Vec::new();
        let below_root = self.levels.split_last().map_or(&[][..], |(_, rest)| rest);
        for level in below_root {
            if let Some(sibling) = level.get(position ^ 1) {
                siblings.push(MerkleHash::from_bytes(*sibling));
            }
            position /= 2;
        }
        Ok(InclusionProof {
            leaf_index: index,
            leaf_count: count,
            siblings,
        })
    }
}

/// Proof that a commitment sits at `leaf_index` in a tree of `leaf_count` leaves.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InclusionProof {
    /// Position of the record.
    pub leaf_index: u64,
    /// Number of records in the tree.
    pub leaf_count: u64,
    /// Sibling hashes from the leaf level upwards; promoted levels contribute none.
    pub siblings: Vec<MerkleHash>,
}

impl InclusionProof {
    /// True if `commitment` at `leaf_index` leads to `root`.
    pub fn verify(&self, root: &MerkleHash, commitment: &RecordCommitment) -> bool {
        if self.leaf_index >= self.leaf_count || self.siblings.len() > MAX_PROOF_LEN {
            return false;
        }
        let mut hash = leaf_hash(commitment);
        let mut position = self.leaf_index;
        let mut width = self.leaf_count;
        let mut siblings = self.siblings.iter();
        while width > 1 {
            if position % 2 == 1 {
                let Some(left) = siblings.next() else {
                    return false;
                };
                hash = node_hash(left.as_bytes(), &hash);
            } else if position + 1 < width {
                let Some(right) = siblings.next() else {
                    return false;
                };
                hash = node_hash(&hash, right.as_bytes());
            }
            position /= 2;
            width = width.div_ceil(2);
        }
        siblings.next().is_none() && hash == *root.as_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commitments(n: u8) -> Vec<RecordCommitment> {
        (0..n)
            .map(|i| {
                RecordReferences::new(
                    u64::from(i),
                    format!("CASE-{i}"),
                    format!("A{i:08}"),
                    ReferenceSalt::from_bytes([i; 32]),
                )
                .unwrap()
                .commitment()
            })
            .collect()
    }

    /// RFC 6962 section 2.1 MTH, written recursively as in the RFC.
    fn rfc6962_root(leaves: &[RecordCommitment]) -> [u8; 32] {
        if leaves.len() == 1 {
            return leaf_hash(&leaves[0]);
        }
        let mut k = 1;
        while k * 2 < leaves.len() {
            k *= 2;
        }
        node_hash(&rfc6962_root(&leaves[..k]), &rfc6962_root(&leaves[k..]))
    }

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
    fn shape_equals_rfc6962_and_proofs_verify() {
        for n in 1..=17u8 {
            let cs = commitments(n);
            let tree = MerkleTree::new(&cs).unwrap();
            assert_eq!(tree.root().as_bytes(), &rfc6962_root(&cs), "n = {n}");
            for (i, c) in cs.iter().enumerate() {
                let proof = tree.prove(i as u64).unwrap();
                assert!(proof.verify(&tree.root(), c), "n = {n}, i = {i}");
            }
        }
    }

    #[test]
    fn proofs_fail_on_changes() {
        let cs = commitments(7);
        let tree = MerkleTree::new(&cs).unwrap();
        let root = tree.root();
        let proof = tree.prove(4).unwrap();
        assert!(!proof.verify(&root, &cs[3]));
        let mut moved = proof.clone();
        moved.leaf_index = 5;
        assert!(!moved.verify(&root, &cs[4]));
        let mut short = proof.clone();
        short.siblings.pop();
        assert!(!short.verify(&root, &cs[4]));
        let mut long = proof;
        long.siblings.push(MerkleHash::from_bytes([0; 32]));
        assert!(!long.verify(&root, &cs[4]));
        assert!(matches!(
            tree.prove(7),
            Err(MerkleError::IndexOutOfRange { index: 7, count: 7 })
        ));
        assert_eq!(MerkleTree::new(&[]).unwrap_err(), MerkleError::Empty);
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
