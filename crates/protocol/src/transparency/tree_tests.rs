#![allow(clippy::unwrap_used, clippy::panic)]

use ct_merkle::mem_backed_tree::MemoryBackedTree;
use rand::RngExt;
use sha2::{Digest, Sha256};

use super::*;

/// The RFC 6962 reference leaves d0..d7 and the roots of their first 1..8 (from the
/// Certificate Transparency reference implementation's tests).
const LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];
const ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
/// The audit path of d0 in the tree of all eight.
const PATH_0_OF_8: [&str; 3] = [
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
];

#[test]
fn the_crate_hashes_as_rfc_6962_and_9162() {
    let mut tree = MemoryBackedTree::<Sha256, Vec<u8>>::new();
    for (leaf, root) in LEAVES.iter().zip(ROOTS) {
        tree.push(hex::decode(leaf).unwrap());
        assert_eq!(hex::encode(tree.root().as_bytes()), root);
    }
    let path: Vec<String> = tree
        .prove_inclusion(0)
        .as_bytes()
        .chunks(32)
        .map(hex::encode)
        .collect();
    assert_eq!(path, PATH_0_OF_8);
    assert_eq!(
        hex::encode(TreeHead::empty().root),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

/// MTH of RFC 9162 §2.1.1, written from its definition, over 32-byte leaves.
fn mth(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Sha256::digest(b"").into(),
        1 => Sha256::new()
            .chain_update([0u8])
            .chain_update(leaves[0])
            .finalize()
            .into(),
        n => {
            let mut k = 1;
            while k * 2 < n {
                k *= 2;
            }
            Sha256::new()
                .chain_update([1u8])
                .chain_update(mth(&leaves[..k]))
                .chain_update(mth(&leaves[k..]))
                .finalize()
                .into()
        }
    }
}

fn random_leaves(n: usize) -> Vec<Hash> {
    let mut rng = rand::rng();
    (0..n).map(|_| rng.random()).collect()
}

#[test]
fn heads_match_the_rfc_definition_and_every_proof_verifies() {
    let leaves = random_leaves(33);
    for n in 0..=leaves.len() {
        let tree = LogTree::from_leaves(leaves[..n].iter().copied());
        let head = tree.head();
        assert_eq!(
            head,
            TreeHead {
                size: n as u64,
                root: mth(&leaves[..n])
            }
        );
        for (i, leaf) in leaves[..n].iter().enumerate() {
            let proof = tree.inclusion_proof(i as u64).unwrap();
            verify_inclusion(&head, leaf, i as u64, &proof).unwrap();
        }
        for m in 0..=n {
            let old = TreeHead {
                size: m as u64,
                root: mth(&leaves[..m]),
            };
            let proof = tree.consistency_proof(m as u64).unwrap();
            verify_consistency(&old, &head, &proof).unwrap();
        }
    }
}

#[test]
fn a_wrong_leaf_index_root_or_proof_is_refused() {
    let leaves = random_leaves(11);
    let tree = LogTree::from_leaves(leaves.iter().copied());
    let head = tree.head();
    let proof = tree.inclusion_proof(4).unwrap();
    let not_included = |index| ProofError::NotIncluded { index, size: 11 };
    assert_eq!(
        verify_inclusion(&head, &leaves[5], 4, &proof),
        Err(not_included(4))
    );
    assert_eq!(
        verify_inclusion(&head, &leaves[4], 5, &proof),
        Err(not_included(5))
    );
    assert_eq!(
        verify_inclusion(&head, &leaves[4], 4, &proof[1..]),
        Err(not_included(4))
    );
    let mut bent = proof.clone();
    bent[0][0] ^= 1;
    assert_eq!(
        verify_inclusion(&head, &leaves[4], 4, &bent),
        Err(not_included(4))
    );
    let other = TreeHead {
        root: [9; 32],
        ..head
    };
    assert_eq!(
        verify_inclusion(&other, &leaves[4], 4, &proof),
        Err(not_included(4))
    );
    assert_eq!(
        verify_inclusion(&head, &leaves[4], 11, &proof),
        Err(ProofError::OutOfRange {
            index: 11,
            size: 11
        })
    );
    assert!(tree.inclusion_proof(11).is_err());
}

#[test]
fn a_rewritten_or_cut_log_is_inconsistent_with_its_earlier_head() {
    let leaves = random_leaves(20);
    let old = LogTree::from_leaves(leaves[..7].iter().copied()).head();
    let mut rewritten = leaves.clone();
    rewritten[3][0] ^= 1;
    let tree = LogTree::from_leaves(rewritten);
    let proof = tree.consistency_proof(7).unwrap();
    assert_eq!(
        verify_consistency(&old, &tree.head(), &proof),
        Err(ProofError::Inconsistent { old: 7, new: 20 })
    );
    let cut = LogTree::from_leaves(leaves[..5].iter().copied());
    assert_eq!(
        verify_consistency(&old, &cut.head(), &[]),
        Err(ProofError::Shrunk { old: 7, new: 5 })
    );
    assert_eq!(
        cut.consistency_proof(7),
        Err(ProofError::Shrunk { old: 7, new: 5 })
    );
    let same_size_other_root = TreeHead {
        root: [1; 32],
        ..old
    };
    assert!(verify_consistency(&old, &same_size_other_root, &[]).is_err());
    let honest = LogTree::from_leaves(leaves.iter().copied());
    let proof = honest.consistency_proof(7).unwrap();
    verify_consistency(&old, &honest.head(), &proof).unwrap();
    assert!(verify_consistency(&old, &honest.head(), &proof[1..]).is_err());
}
