//! Additive, fixed-base blinding in VOPRF mode: same outputs as RFC 9497's multiplicative
//! path and as the holder's direct evaluation, recomputable from the stored blinds, and
//! never unblinded without a verified proof.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use blindlink_core::oprf::{
    BatchProof, BlindedBatch, Blinding, Blinds, Mode, OprfError, SecretKey, blind_batch,
    blind_batch_additive, blind_batch_with, blind_evaluate_and_prove, evaluate_batch,
    finalize_batch, verify_and_finalize,
};
use curve25519_dalek::ristretto::CompressedRistretto;
use curve25519_dalek::scalar::Scalar;
use proptest::prelude::*;

fn inputs(n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| format!("additive/{i}").into_bytes())
        .collect()
}

fn evaluate(sk: &SecretKey, blinded: &[[u8; 32]]) -> (Vec<[u8; 32]>, Vec<BatchProof>) {
    let batch = BlindedBatch::decode(blinded.to_vec()).unwrap();
    blind_evaluate_and_prove(sk, &batch, &mut rand::rng()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn additive_outputs_equal_the_multiplicative_path(
        seed in any::<[u8; 32]>(),
        xs in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40), 1..40),
    ) {
        let sk = SecretKey::derive(Mode::Voprf, &seed, b"additive").unwrap();
        let pk = sk.public_key();

        let (blinds, blinded) = blind_batch_additive(&xs, &mut rand::rng()).unwrap();
        prop_assert_eq!(blinds.blinding(), Blinding::Additive);
        let (evaluated, proofs) = evaluate(&sk, &blinded);
        let additive = verify_and_finalize(&pk, &xs, blinds, &blinded, &evaluated, &proofs).unwrap();

        let (blinds, blinded) = blind_batch(Mode::Voprf, &xs, &mut rand::rng()).unwrap();
        let (evaluated, proofs) = evaluate(&sk, &blinded);
        let multiplicative =
            verify_and_finalize(&pk, &xs, blinds, &blinded, &evaluated, &proofs).unwrap();

        prop_assert_eq!(&additive, &multiplicative);
        prop_assert_eq!(additive, evaluate_batch(Mode::Voprf, &sk, &xs).unwrap());
    }
}

#[test]
fn stored_additive_blinds_recompute_the_blinded_elements() {
    let xs = inputs(300);
    let (blinds, blinded) = blind_batch_additive(&xs, &mut rand::rng()).unwrap();
    let stored = Blinds::from_bytes_as(Blinding::Additive, &blinds.to_bytes()).unwrap();
    assert_eq!(
        blind_batch_with(Mode::Voprf, &xs, &stored).unwrap(),
        blinded
    );
    // The same scalars read as multiplicative give other elements: the container must
    // record which blinding it holds.
    let misread = Blinds::from_bytes(&blinds.to_bytes()).unwrap();
    assert_ne!(
        blind_batch_with(Mode::Voprf, &xs, &misread).unwrap(),
        blinded
    );
    // Additive blinds have no meaning in base mode.
    assert_eq!(
        blind_batch_with(Mode::Oprf, &xs, &stored),
        Err(OprfError::AdditiveNeedsProof)
    );
}

#[test]
fn additive_blinds_are_never_unblinded_without_a_proof() {
    let sk = SecretKey::generate(&mut rand::rng());
    let xs = inputs(8);
    let (blinds, blinded) = blind_batch_additive(&xs, &mut rand::rng()).unwrap();
    let (evaluated, _) = evaluate(&sk, &blinded);
    assert_eq!(
        finalize_batch(&xs, blinds, &evaluated),
        Err(OprfError::AdditiveNeedsProof)
    );
}

/// A holder that shifts one evaluated element by `k · (H(y) − H(z))`-style offsets would,
/// without the proof, move the additive output by exactly that offset. The proof check
/// must reject it before anything is unblinded.
#[test]
fn a_shifted_evaluation_or_a_wrong_proof_is_rejected_before_unblinding() {
    let sk = SecretKey::generate(&mut rand::rng());
    let pk = sk.public_key();
    let other = SecretKey::generate(&mut rand::rng());
    let xs = inputs(16);
    let (blinds, blinded) = blind_batch_additive(&xs, &mut rand::rng()).unwrap();
    let bytes = blinds.to_bytes();
    let again = || Blinds::from_bytes_as(Blinding::Additive, &bytes).unwrap();
    let (evaluated, proofs) = evaluate(&sk, &blinded);

    let mut shifted = evaluated.clone();
    let e = CompressedRistretto(shifted[3]).decompress().unwrap();
    let offset = curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT * Scalar::from(7u8);
    shifted[3] = (e + offset).compress().to_bytes();
    assert_eq!(
        verify_and_finalize(&pk, &xs, again(), &blinded, &shifted, &proofs),
        Err(OprfError::ProofInvalid { proof: 0 })
    );

    // A proof made with another key, or checked against another key, fails too.
    let (wrong_eval, wrong_proofs) = evaluate(&other, &blinded);
    assert_eq!(
        verify_and_finalize(&pk, &xs, again(), &blinded, &wrong_eval, &wrong_proofs),
        Err(OprfError::ProofInvalid { proof: 0 })
    );
    assert_eq!(
        verify_and_finalize(
            &other.public_key(),
            &xs,
            again(),
            &blinded,
            &evaluated,
            &proofs
        ),
        Err(OprfError::ProofInvalid { proof: 0 })
    );

    let outputs = verify_and_finalize(&pk, &xs, again(), &blinded, &evaluated, &proofs).unwrap();
    assert_eq!(outputs, evaluate_batch(Mode::Voprf, &sk, &xs).unwrap());
}
