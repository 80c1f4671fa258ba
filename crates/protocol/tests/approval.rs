#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Approval signatures: binding to the manifest and the role, strict verification.

use blindlink_protocol::approval::{
    Approval, ApprovalError, ApproverPublicKey, ApproverSigningKey, Role, approval_message,
};
use blindlink_protocol::manifest::{
    BlindedElementsDigest, KeyEpoch, LegalBasis, Manifest, ManifestFields, MerkleHash, Purpose,
    RequestId, RequesterId, RuleId,
};
use curve25519_dalek::Scalar;
use ed25519_dalek::{Signature, SigningKey, Verifier};
use rand::SeedableRng;
use rand::rngs::StdRng;
use sha2::{Digest, Sha512};

fn fields() -> ManifestFields {
    ManifestFields {
        request_id: RequestId::from_bytes([0x42; 16]),
        requester_id: RequesterId::new("ice-hsi-newark").unwrap(),
        purpose: Purpose::CriminalInvestigation,
        legal_basis: LegalBasis::new("ex parte order 24-MJ-0001").unwrap(),
        record_count: 3,
        element_count: 6,
        rules_used: vec![RuleId::new("R1").unwrap(), RuleId::new("R2").unwrap()],
        blinded_digest: BlindedElementsDigest::from_bytes([1; 64]),
        references_root: MerkleHash::from_bytes([2; 32]),
        issued_at: 1_700_000_000,
        expires_at: 1_700_003_600,
        key_epoch: KeyEpoch::from_bytes([3; 16]),
        oprf_public_key: blindlink_protocol::manifest::OprfKeyHex::from_bytes([8; 32]),
        set_hash: blindlink_protocol::manifest::SetHash::from_bytes([9; 32]),
    }
}

fn role(name: &str) -> Role {
    Role::new(name).unwrap()
}

#[test]
fn valid_approval_verifies() {
    let key = ApproverSigningKey::generate(&mut StdRng::seed_from_u64(10));
    let manifest = Manifest::new(fields()).unwrap();
    let approval = key.approve(&role("dhs-secretary"), &manifest);
    assert_eq!(approval.public_key(), &key.public_key());
    assert!(approval.verify(&manifest).is_ok());
}

#[test]
fn altered_manifest_fails() {
    let key = ApproverSigningKey::generate(&mut StdRng::seed_from_u64(11));
    let manifest = Manifest::new(fields()).unwrap();
    let approval = key.approve(&role("dhs-secretary"), &manifest);
    let mut altered = fields();
    altered.record_count = 4;
    let altered = Manifest::new(altered).unwrap();
    assert_eq!(
        approval.verify(&altered),
        Err(ApprovalError::BadSignature {
            role: role("dhs-secretary")
        })
    );
}

#[test]
fn role_swap_fails() {
    let key = ApproverSigningKey::generate(&mut StdRng::seed_from_u64(12));
    let manifest = Manifest::new(fields()).unwrap();
    let approval = key.approve(&role("ice-director"), &manifest);
    let relabelled = Approval::new(
        role("dhs-secretary"),
        *approval.public_key(),
        approval.signature_bytes(),
    );
    assert!(relabelled.verify(&manifest).is_err());
    assert!(relabelled.verifies_as(&role("ice-director"), &manifest));
}

#[test]
fn zeroed_and_non_canonical_signatures_fail() {
    let key = ApproverSigningKey::generate(&mut StdRng::seed_from_u64(13));
    let manifest = Manifest::new(fields()).unwrap();
    let zeroed = Approval::new(role("dhs-secretary"), key.public_key(), [0u8; 64]);
    assert!(zeroed.verify(&manifest).is_err());

    // S + l (the group order) is the same scalar mod l but not canonical.
    let good = key.approve(&role("dhs-secretary"), &manifest);
    let sig = good.signature_bytes();
    let s = Scalar::from_canonical_bytes(sig[32..].try_into().unwrap()).unwrap();
    let mut s_plus_l = [0u8; 32];
    let l = Scalar::ZERO - Scalar::ONE; // l - 1
    let mut carry = 1u16; // add (l - 1) + 1 + s as integers, byte by byte
    for (i, out) in s_plus_l.iter_mut().enumerate() {
        let sum = u16::from(l.as_bytes()[i]) + u16::from(s.as_bytes()[i]) + carry;
        *out = sum as u8;
        carry = sum >> 8;
    }
    assert_eq!(carry, 0, "s + l fits in 256 bits");
    let mut malleated = sig;
    malleated[32..].copy_from_slice(&s_plus_l);
    assert_ne!(malleated, sig);
    let approval = Approval::new(role("dhs-secretary"), key.public_key(), malleated);
    assert!(approval.verify(&manifest).is_err());
}

/// A signature with R = identity (a small-order point) and S = k*a is accepted by
/// cofactorless non-strict verification but must be refused by `verify_strict`.
#[test]
fn small_order_r_is_rejected_by_strict_verification() {
    let signing = SigningKey::from_bytes(&[7u8; 32]);
    let public = signing.verifying_key();
    let manifest = Manifest::new(fields()).unwrap();
    let message = approval_message(&role("dhs-secretary"), &manifest);

    let mut identity = [0u8; 32];
    identity[0] = 1;
    let hash: [u8; 64] = Sha512::new()
        .chain_update(identity)
        .chain_update(public.as_bytes())
        .chain_update(&message)
        .finalize()
        .into();
    let k = Scalar::from_bytes_mod_order_wide(&hash);
    let s = k * signing.to_scalar();
    let mut sig = [0u8; 64];
    sig[..32].copy_from_slice(&identity);
    sig[32..].copy_from_slice(s.as_bytes());

    // The forged-looking signature is valid under the lax rule ...
    assert!(
        public
            .verify(&message, &Signature::from_bytes(&sig))
            .is_ok()
    );
    // ... and refused by the approval check.
    let approval = Approval::new(
        role("dhs-secretary"),
        ApproverPublicKey::from_bytes(public.as_bytes()).unwrap(),
        sig,
    );
    assert!(approval.verify(&manifest).is_err());
}

#[test]
fn small_order_public_keys_are_refused() {
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert_eq!(
        ApproverPublicKey::from_bytes(&identity),
        Err(ApprovalError::WeakPublicKey)
    );
    // Some small y has no x on the curve; such bytes are no public key at all.
    let not_a_point = (2u8..=255)
        .map(|y| {
            let mut bytes = [0u8; 32];
            bytes[0] = y;
            bytes
        })
        .find(|bytes| ed25519_dalek::VerifyingKey::from_bytes(bytes).is_err())
        .unwrap();
    assert_eq!(
        ApproverPublicKey::from_bytes(&not_a_point),
        Err(ApprovalError::InvalidPublicKey)
    );
}

#[test]
fn approval_json_round_trip() {
    let key = ApproverSigningKey::generate(&mut StdRng::seed_from_u64(14));
    let manifest = Manifest::new(fields()).unwrap();
    let approval = key.approve(&role("irs-counsel"), &manifest);
    let json = serde_json::to_string(&approval).unwrap();
    assert!(json.starts_with("{\"role\":\"irs-counsel\",\"public_key\":\""));
    let back: Approval = serde_json::from_str(&json).unwrap();
    assert_eq!(back, approval);
    assert!(back.verify(&manifest).is_ok());
}
