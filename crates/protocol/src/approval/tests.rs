use rand::SeedableRng;
use rand::rngs::StdRng;

use super::*;
use crate::manifest::{
    BlindedElementsDigest, KeyEpoch, LegalBasis, ManifestFields, MerkleHash, Purpose, RequestId,
    RequesterId, RuleId,
};

fn manifest() -> Manifest {
    Manifest::new(ManifestFields {
        request_id: RequestId::from_bytes([1; 16]),
        requester_id: RequesterId::new("ice-hsi").unwrap(),
        purpose: Purpose::CriminalInvestigation,
        legal_basis: LegalBasis::new("order").unwrap(),
        record_count: 1,
        element_count: 2,
        rules_used: vec![RuleId::new("R1").unwrap(), RuleId::new("R2").unwrap()],
        blinded_digest: BlindedElementsDigest::from_bytes([2; 64]),
        references_root: MerkleHash::from_bytes([3; 32]),
        issued_at: 10,
        expires_at: 20,
        key_epoch: KeyEpoch::from_bytes([4; 16]),
        oprf_public_key: crate::manifest::OprfKeyHex::from_bytes([8; 32]),
        set_hash: crate::manifest::SetHash::from_bytes([9; 32]),
    })
    .unwrap()
}

#[test]
fn message_layout() {
    let role = Role::new("dhs-secretary").unwrap();
    let m = manifest();
    let message = approval_message(&role, &m);
    let mut expected = b"blindlink/v1/approval\0".to_vec();
    expected.extend_from_slice(&[0, 0, 0, 13]);
    expected.extend_from_slice(b"dhs-secretary");
    expected.extend_from_slice(&m.canonical_bytes());
    assert_eq!(message, expected);
}

#[test]
fn signed_manifest_json_round_trip() {
    let key = ApproverSigningKey::generate(&mut StdRng::seed_from_u64(5));
    let m = manifest();
    let signed = SignedManifest {
        approvals: vec![key.approve(&Role::new("ice-director").unwrap(), &m)],
        manifest: m,
    };
    let json = signed.to_json_pretty();
    let back = SignedManifest::from_json(json.as_bytes()).unwrap();
    assert_eq!(back, signed);
    assert!(back.approvals[0].verify(&back.manifest).is_ok());
}

#[test]
fn signed_manifest_limits() {
    let key = ApproverSigningKey::generate(&mut StdRng::seed_from_u64(6));
    let m = manifest();
    let approval = key.approve(&Role::new("ice-director").unwrap(), &m);
    let signed = SignedManifest {
        approvals: vec![approval; MAX_APPROVALS + 1],
        manifest: m,
    };
    assert!(matches!(
        SignedManifest::from_json(signed.to_json_pretty().as_bytes()),
        Err(ApprovalError::TooManyApprovals { count: 17, max: 16 })
    ));
    let mut value = serde_json::to_value(&signed).unwrap();
    value["approvals"][0]["signature"] = serde_json::Value::String("00".into());
    let err = SignedManifest::from_json(value.to_string().as_bytes()).unwrap_err();
    assert!(
        matches!(&err, ApprovalError::Json { path, .. } if path.starts_with("approvals[0]")),
        "{err}"
    );
}
