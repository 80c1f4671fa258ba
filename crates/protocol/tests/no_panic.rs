#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Property tests: parsers never panic on arbitrary input; valid values round-trip.

use blindlink_protocol::approval::SignedManifest;
use blindlink_protocol::manifest::{
    BlindedDigest, BlindedElementsDigest, KeyEpoch, LegalBasis, Manifest, ManifestFields,
    MerkleHash, MerkleTree, Purpose, RecordReferences, ReferenceSalt, RequestId, RequesterId,
    RuleId,
};
use blindlink_protocol::policy::Policy;
use proptest::prelude::*;

proptest! {
    #[test]
    fn manifest_parsing_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = Manifest::from_json(&bytes);
        let _ = SignedManifest::from_json(&bytes);
    }

    #[test]
    fn manifest_json_with_arbitrary_strings_never_panics(
        requester in ".{0,200}",
        legal in ".{0,300}",
        purpose in "[a-z-]{0,30}",
        rule in ".{0,20}",
        count in any::<u64>(),
    ) {
        let json = serde_json::json!({
            "request_id": "00112233445566778899aabbccddeeff",
            "requester_id": requester,
            "purpose": purpose,
            "legal_basis": legal,
            "record_count": count,
            "element_count": count,
            "rules_used": [rule],
            "blinded_digest": "ab".repeat(64),
            "references_root": "cd".repeat(32),
            "issued_at": 1,
            "expires_at": count,
            "key_epoch": "ee".repeat(16),
        });
        let _ = Manifest::from_json(json.to_string().as_bytes());
    }

    #[test]
    fn policy_parsing_never_panics(text in "\\PC{0,400}") {
        let _ = Policy::from_toml_str(&text);
    }

    #[test]
    fn policy_like_toml_never_panics(
        key in "[0-9a-f]{0,70}",
        role in "[a-z-]{0,12}",
        limit in any::<i64>(),
        purposes in proptest::collection::vec("[a-z-]{0,24}", 0..3),
    ) {
        let text = format!(
            "allowed_purposes = {purposes:?}\n[approvers]\n{role} = [\"{key}\"]\n\
             [required_roles]\nall_of = [\"{role}\"]\n[limits]\nmax_records_per_day = {limit}\n"
        );
        let _ = Policy::from_toml_str(&text);
    }

    #[test]
    fn valid_manifests_round_trip(
        id in any::<[u8; 16]>(),
        requester in "[a-z0-9-]{1,128}",
        legal in "[ -~]{0,100}[!-~]",
        records in 1u64..1_000_000,
        per_record in 1u64..4,
        rules in proptest::collection::btree_set("R[0-9]{1,2}", 1..5),
        issued in 0u64..u64::MAX / 2,
        validity in 1u64..1_000_000,
        epoch in any::<[u8; 16]>(),
        digest_seed in any::<u8>(),
    ) {
        let fields = ManifestFields {
            request_id: RequestId::from_bytes(id),
            requester_id: RequesterId::new(requester).unwrap(),
            purpose: Purpose::CriminalInvestigation,
            legal_basis: LegalBasis::new(legal).unwrap(),
            record_count: records,
            element_count: records * per_record,
            rules_used: rules.into_iter().map(|r| RuleId::new(r).unwrap()).collect(),
            blinded_digest: BlindedElementsDigest::from_bytes([digest_seed; 64]),
            references_root: MerkleHash::from_bytes([digest_seed.wrapping_add(1); 32]),
            issued_at: issued,
            expires_at: issued + validity,
            key_epoch: KeyEpoch::from_bytes(epoch),
            oprf_public_key: blindlink_protocol::manifest::OprfKeyHex::from_bytes([8; 32]),
            set_hash: blindlink_protocol::manifest::SetHash::from_bytes([9; 32]),
        };
        let manifest = Manifest::new(fields).unwrap();
        let back = Manifest::from_json(manifest.to_json_pretty().as_bytes()).unwrap();
        prop_assert_eq!(back.canonical_bytes(), manifest.canonical_bytes());
        prop_assert_eq!(back, manifest);
    }

    #[test]
    fn digest_is_chunking_invariant(
        elements in proptest::collection::vec(any::<[u8; 32]>(), 0..40),
        cut in any::<prop::sample::Index>(),
    ) {
        let at = cut.index(elements.len() + 1);
        let mut digest = BlindedDigest::new(elements.len() as u64);
        digest.extend(&elements[..at]).unwrap();
        let rest: Vec<u8> = elements[at..].iter().flatten().copied().collect();
        digest.extend_from_bytes(&rest).unwrap();
        prop_assert_eq!(digest.finalize().unwrap(), BlindedDigest::digest_all(&elements));
    }

    #[test]
    fn every_inclusion_proof_verifies(n in 1u64..60, pick in any::<prop::sample::Index>()) {
        let commitments: Vec<_> = (0..n)
            .map(|i| {
                RecordReferences::new(i, format!("C{i}"), format!("F{i}"), ReferenceSalt::from_bytes([7; 32]))
                    .unwrap()
                    .commitment()
            })
            .collect();
        let tree = MerkleTree::new(&commitments).unwrap();
        let i = pick.index(n as usize);
        let proof = tree.prove(i as u64).unwrap();
        prop_assert!(proof.verify(&tree.root(), &commitments[i]));
        let other = (i + 1) % n as usize;
        prop_assert_eq!(proof.verify(&tree.root(), &commitments[other]), other == i);
    }
}
