//! The Merkle tree over a party's audit log, in the hashing of RFC 9162 §2.1 (the same as
//! RFC 6962's): leaf hash `SHA-256(0x00 || leaf)`, interior node
//! `SHA-256(0x01 || left || right)`, split at the largest power of two below the size.
//!
//! The leaf of entry `seq` is the SHA-256 of that audit line's bytes (without its `\n`),
//! the hash the chain's next `prev` already carries; leaf index = `seq - 1`. Keeping 32
//! bytes per leaf (and the interior nodes) in memory makes every proof O(log n).
//!
//! The hashing and the proof algorithms come from the `ct-merkle` crate (checked here
//! against the RFC 6962 reference vectors); this module fixes the leaf, the error
//! enum, and the edge cases the crate leaves to its caller (empty trees, equal sizes,
//! indices out of range), so that no input makes it panic.

use ct_merkle::mem_backed_tree::MemoryBackedTree;
use ct_merkle::{ConsistencyProof, InclusionProof, RootHash};
use sha2::{Digest, Sha256};
use thiserror::Error;

/// A SHA-256 value: a leaf (an audit line's hash), a node or a root.
pub type Hash = [u8; 32];

/// The size and root of a tree: what a checkpoint signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeHead {
    /// Number of leaves (audit entries).
    pub size: u64,
    /// The Merkle tree hash of those leaves (`SHA-256("")` for the empty tree).
    pub root: Hash,
}

impl TreeHead {
    /// The head of the empty tree.
    pub fn empty() -> TreeHead {
        TreeHead {
            size: 0,
            root: Sha256::digest(b"").into(),
        }
    }
}

/// A proof does not show what it claims.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProofError {
    /// The leaf index is not below the tree size.
    #[error("entry {index} is not in a tree of {size} entries")]
    OutOfRange {
        /// The leaf index (`seq - 1`).
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// The proof has the wrong number of hashes for the sizes, or leads elsewhere.
    #[error("the inclusion proof of entry {index} does not lead to the root of {size} entries")]
    NotIncluded {
        /// The leaf index.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// The later tree is smaller than the earlier one: entries were cut.
    #[error("the log shrank from {old} to {new} entries")]
    Shrunk {
        /// The earlier size.
        old: u64,
        /// The later size.
        new: u64,
    },
    /// The earlier tree is not a prefix of the later one: entries were rewritten (or one
    /// of the two heads was made up).
    #[error("the log of {old} entries is not a prefix of the log of {new} entries")]
    Inconsistent {
        /// The earlier size.
        old: u64,
        /// The later size.
        new: u64,
    },
}

fn to_hash(output: &[u8]) -> Hash {
    let mut hash = [0u8; 32];
    hash.copy_from_slice(output.get(..32).unwrap_or(&[0u8; 32]));
    hash
}

fn concat(proof: &[Hash]) -> Vec<u8> {
    proof.iter().flatten().copied().collect()
}

fn split(bytes: &[u8]) -> Vec<Hash> {
    bytes.chunks(32).map(to_hash).collect()
}

fn root_hash(head: &TreeHead) -> RootHash<Sha256> {
    RootHash::new(head.root.into(), head.size)
}

/// An append-only Merkle tree of audit-line hashes.
#[derive(Debug, Clone, Default)]
pub struct LogTree {
    tree: MemoryBackedTree<Sha256, Hash>,
}

impl LogTree {
    /// The empty tree.
    pub fn new() -> LogTree {
        LogTree::default()
    }

    /// A tree of `leaves`, in order.
    pub fn from_leaves(leaves: impl IntoIterator<Item = Hash>) -> LogTree {
        let mut tree = LogTree::new();
        for leaf in leaves {
            tree.push(leaf);
        }
        tree
    }

    /// Appends a leaf.
    pub fn push(&mut self, leaf: Hash) {
        self.tree.push(leaf);
    }

    /// Number of leaves.
    pub fn size(&self) -> u64 {
        self.tree.len()
    }

    /// The leaf at `index`, if any.
    pub fn leaf(&self, index: u64) -> Option<&Hash> {
        self.tree.get(usize::try_from(index).ok()?)
    }

    /// The current size and root.
    pub fn head(&self) -> TreeHead {
        if self.tree.is_empty() {
            return TreeHead::empty();
        }
        let root = self.tree.root();
        TreeHead {
            size: root.num_leaves(),
            root: to_hash(root.as_bytes()),
        }
    }

    /// The audit path of leaf `index` in the current tree (RFC 9162 §2.1.3.1).
    pub fn inclusion_proof(&self, index: u64) -> Result<Vec<Hash>, ProofError> {
        let size = self.size();
        let out_of_range = ProofError::OutOfRange { index, size };
        if index >= size {
            return Err(out_of_range);
        }
        let index = usize::try_from(index).map_err(|_| out_of_range)?;
        Ok(split(self.tree.prove_inclusion(index).as_bytes()))
    }

    /// The consistency proof from the first `old_size` leaves to the current tree
    /// (RFC 9162 §2.1.4.1); empty when `old_size` is 0 or the current size.
    pub fn consistency_proof(&self, old_size: u64) -> Result<Vec<Hash>, ProofError> {
        let size = self.size();
        if old_size > size {
            return Err(ProofError::Shrunk {
                old: old_size,
                new: size,
            });
        }
        if old_size == 0 || old_size == size {
            return Ok(Vec::new());
        }
        let additions = usize::try_from(size - old_size).map_err(|_| ProofError::Shrunk {
            old: old_size,
            new: size,
        })?;
        Ok(split(self.tree.prove_consistency(additions).as_bytes()))
    }
}

/// Checks that `leaf` is entry `index` of the tree `head` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    head: &TreeHead,
    leaf: &Hash,
    index: u64,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if index >= head.size {
        return Err(ProofError::OutOfRange {
            index,
            size: head.size,
        });
    }
    let proof = InclusionProof::<Sha256>::from_bytes(concat(proof));
    root_hash(head)
        .verify_inclusion(leaf, index, &proof)
        .map_err(|_| ProofError::NotIncluded {
            index,
            size: head.size,
        })
}

/// Checks that the tree `old` is a prefix of the tree `new` (RFC 9162 §2.1.4.2). The
/// empty tree is a prefix of every tree; two heads of one size must be equal.
pub fn verify_consistency(
    old: &TreeHead,
    new: &TreeHead,
    proof: &[Hash],
) -> Result<(), ProofError> {
    let inconsistent = ProofError::Inconsistent {
        old: old.size,
        new: new.size,
    };
    if old.size > new.size {
        return Err(ProofError::Shrunk {
            old: old.size,
            new: new.size,
        });
    }
    if old.size == 0 {
        return if proof.is_empty() && (old.root == TreeHead::empty().root) {
            Ok(())
        } else {
            Err(inconsistent)
        };
    }
    if old.size == new.size {
        return if proof.is_empty() && old.root == new.root {
            Ok(())
        } else {
            Err(inconsistent)
        };
    }
    let proof = ConsistencyProof::<Sha256>::try_from_bytes(concat(proof))
        .map_err(|_| inconsistent.clone())?;
    root_hash(new)
        .verify_consistency(&root_hash(old), &proof)
        .map_err(|_| inconsistent)
}

#[cfg(test)]
#[path = "tree_tests.rs"]
mod tests;
