//! The Merkle tree over record commitments (see [`super::references`]) whose root the
//! manifest carries as `references_root`.
//!
//! Tree (domain-separated as in RFC 6962): `leaf_i = SHA-256(0x00 || C_i)`,
//! `node = SHA-256(0x01 || left || right)`. Levels are built left to right by pairing
//! neighbours; an odd last node is **promoted** unchanged to the next level (never
//! duplicated, which would let two different leaf lists share a root). This gives the
//! same tree shape, and root, as RFC 6962 section 2.1. A single leaf is its own root;
//! an empty tree has no root.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::hex::hex_newtype;
use super::references::RecordCommitment;

/// Longest inclusion proof accepted (enough for 2^64 leaves).
pub const MAX_PROOF_LEN: usize = 64;

hex_newtype!(
    /// A Merkle tree node or root hash.
    MerkleHash,
    32,
    "references_root"
);

/// Errors building trees and proofs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MerkleError {
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
    use crate::manifest::{RecordReferences, ReferenceSalt};

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
}
