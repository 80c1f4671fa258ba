#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Manifest encoding, JSON form, limits, blinded digest and reference tree.

use blindlink_protocol::manifest::{
    BlindedDigest, BlindedElementsDigest, KeyEpoch, LegalBasis, Manifest, ManifestError,
    ManifestFields, MerkleHash, MerkleTree, Purpose, RecordReferences, ReferenceSalt, RequestId,
    RequesterId, RuleId,
};

fn example() -> ManifestFields {
    ManifestFields {
        request_id: RequestId::from_hex("00112233445566778899aabbccddeeff").unwrap(),
        requester_id: RequesterId::new("ice-hsi").unwrap(),
        purpose: Purpose::CriminalInvestigation,
        legal_basis: LegalBasis::new("18 USC 1326").unwrap(),
        record_count: 2,
        element_count: 4,
        rules_used: vec![RuleId::new("R1").unwrap(), RuleId::new("R2").unwrap()],
        blinded_digest: BlindedElementsDigest::from_bytes([0xab; 64]),
        references_root: MerkleHash::from_bytes([0xcd; 32]),
        issued_at: 1_700_000_000,
        expires_at: 1_700_086_400,
        key_epoch: KeyEpoch::from_bytes([0xee; 16]),
        oprf_public_key: blindlink_protocol::manifest::OprfKeyHex::from_bytes([0xaa; 32]),
        set_hash: blindlink_protocol::manifest::SetHash::from_bytes([0xbb; 32]),
    }
}

/// The expected bytes are written out field by field from the specification in
/// `manifest::canonical`, not produced by the code under test.
#[test]
fn canonical_encoding_is_pinned() {
    let expected = [
        // domain tag "blindlink/v2/manifest\0"
        "626c696e646c696e6b2f76322f6d616e696665737400",
        // request_id
        "00112233445566778899aabbccddeeff",
        // requester_id: u32 len 7, "ice-hsi"
        "00000007",
        "6963652d687369",
        // purpose: u32 len 22, "criminal-investigation"
        "00000016",
        "6372696d696e616c2d696e7665737469676174696f6e",
        // legal_basis: u32 len 11, "18 USC 1326"
        "0000000b",
        "3138205553432031333236",
        // record_count, element_count (u64)
        "0000000000000002",
        "0000000000000004",
        // rules_used: u32 count 2, LP("R1"), LP("R2")
        "00000002",
        "000000025231",
        "000000025232",
        // blinded_digest (64 bytes), references_root (32 bytes)
        &"ab".repeat(64),
        &"cd".repeat(32),
        // issued_at 1700000000, expires_at 1700086400 (u64)
        "000000006553f100",
        "0000000065554280",
        // key_epoch (16 bytes)
        &"ee".repeat(16),
        // oprf_public_key, set_hash (32 bytes each)
        &"aa".repeat(32),
        &"bb".repeat(32),
    ]
    .concat();
    let manifest = Manifest::new(example()).unwrap();
    assert_eq!(hex::encode(manifest.canonical_bytes()), expected);
}

#[test]
fn json_round_trip() {
    let manifest = Manifest::new(example()).unwrap();
    let json = manifest.to_json_pretty();
    assert!(json.contains("\"purpose\": \"criminal-investigation\""));
    assert!(json.contains("\"key_epoch\": \"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\""));
    let back = Manifest::from_json(json.as_bytes()).unwrap();
    assert_eq!(back, manifest);
    assert_eq!(back.canonical_bytes(), manifest.canonical_bytes());
}

fn parse_with(edit: impl FnOnce(&mut serde_json::Value)) -> Result<Manifest, ManifestError> {
    let mut value = serde_json::to_value(example()).unwrap();
    edit(&mut value);
    Manifest::from_json(value.to_string().as_bytes())
}

fn path_of(result: Result<Manifest, ManifestError>) -> String {
    match result {
        Err(ManifestError::Json { path, .. }) => path,
        other => panic!("expected a JSON field error, got {other:?}"),
    }
}

#[test]
fn parse_rejects_over_limit_and_unknown_values() {
    assert!(parse_with(|v| v["legal_basis"] = "x".repeat(4096).into()).is_ok());
    assert_eq!(
        path_of(parse_with(|v| v["legal_basis"] = "x".repeat(4097).into())),
        "legal_basis"
    );
    assert_eq!(
        path_of(parse_with(|v| v["requester_id"] = "r".repeat(129).into())),
        "requester_id"
    );
    assert_eq!(
        path_of(parse_with(|v| v["purpose"] = "curiosity".into())),
        "purpose"
    );
    let too_many: Vec<String> = (0..17).map(|i| format!("R{i:02}")).collect();
    assert!(matches!(
        parse_with(|v| v["rules_used"] = too_many.into()),
        Err(ManifestError::RulesNotCanonical { .. })
    ));
    assert!(matches!(
        parse_with(|v| v["rules_used"] = vec!["R2", "R1"].into()),
        Err(ManifestError::RulesNotCanonical { .. })
    ));
    assert!(matches!(
        parse_with(|v| v["record_count"] = 0.into()),
        Err(ManifestError::CountOutOfRange { .. })
    ));
    assert!(matches!(
        parse_with(|v| v["expires_at"] = 1_600_000_000u64.into()),
        Err(ManifestError::ExpiresNotAfterIssued { .. })
    ));
    assert_eq!(
        path_of(parse_with(|v| v["blinded_digest"] = "ab".into())),
        "blinded_digest"
    );
    assert_eq!(
        path_of(parse_with(|v| {
            v.as_object_mut().unwrap().remove("key_epoch");
        })),
        "."
    );
    let huge = vec![b' '; 64 * 1024 + 1];
    assert!(matches!(
        Manifest::from_json(&huge),
        Err(ManifestError::JsonTooLarge { .. })
    ));
}

#[test]
fn digest_chunked_equals_whole() {
    let elements: Vec<[u8; 32]> = (0..100u8)
        .map(|i| {
            let mut e = [0u8; 32];
            e[0] = i;
            e[31] = i.wrapping_mul(7);
            e
        })
        .collect();
    let whole = BlindedDigest::digest_all(&elements);
    for chunk in [1, 3, 32, 99, 100] {
        let mut digest = BlindedDigest::new(100);
        for part in elements.chunks(chunk) {
            digest.extend(part).unwrap();
        }
        assert_eq!(digest.finalize().unwrap(), whole, "chunk size {chunk}");
    }
    assert_ne!(BlindedDigest::digest_all(&elements[..99]), whole);
}

fn references(n: u64) -> Vec<RecordReferences> {
    (0..n)
        .map(|i| {
            RecordReferences::new(
                i,
                format!("HSI-2024-{i:04}"),
                format!("A{:09}", 200_000_000 + i),
                ReferenceSalt::from_bytes([i as u8; 32]),
            )
            .unwrap()
        })
        .collect()
}

#[test]
fn merkle_proofs_verify_and_fail_when_a_leaf_changes() {
    let records = references(11);
    let commitments: Vec<_> = records.iter().map(RecordReferences::commitment).collect();
    let tree = MerkleTree::new(&commitments).unwrap();
    let root = tree.root();
    for (i, commitment) in commitments.iter().enumerate() {
        assert!(tree.prove(i as u64).unwrap().verify(&root, commitment));
    }

    // A different final order reference for record 6: its proof no longer verifies,
    // and the root of a tree built with it differs.
    let changed = RecordReferences::new(
        6,
        records[6].case_ref(),
        "A999999999",
        ReferenceSalt::from_bytes([6; 32]),
    )
    .unwrap();
    let proof = tree.prove(6).unwrap();
    assert!(!proof.verify(&root, &changed.commitment()));
    let mut altered = commitments.clone();
    altered[6] = changed.commitment();
    assert_ne!(MerkleTree::new(&altered).unwrap().root(), root);

    // The salt hides the references: same references, new salt, new commitment.
    let resalted = RecordReferences::new(
        6,
        records[6].case_ref(),
        records[6].final_order_ref(),
        ReferenceSalt::from_bytes([0x66; 32]),
    )
    .unwrap();
    assert_ne!(resalted.commitment(), commitments[6]);

    // Proofs survive a JSON round trip.
    let json = serde_json::to_string(&proof).unwrap();
    let back: blindlink_protocol::manifest::InclusionProof = serde_json::from_str(&json).unwrap();
    assert!(back.verify(&root, &commitments[6]));
}

#[test]
fn record_references_json_is_validated() {
    let record = &references(1)[0];
    let json = serde_json::to_value(record).unwrap();
    assert_eq!(json["salt"], "00".repeat(32));
    let back: RecordReferences = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(&back, record);
    let mut blank = json;
    blank["case_ref"] = "".into();
    assert!(serde_json::from_value::<RecordReferences>(blank).is_err());
}
