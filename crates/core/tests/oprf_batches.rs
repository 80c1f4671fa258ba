//! Batch behaviour of the OPRF suite beyond the RFC vectors: proofs split at the 2-byte
//! index limit, proof layouts that do not tile the batch, strict decoding of hostile bytes,
//! and agreement of the blinded path with the holder's direct evaluation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use blindlink_core::oprf::codec::{decode_element, decode_scalar};
use blindlink_core::oprf::{
    BatchProof, BlindedBatch, Blinds, MAX_PROOF_BATCH, Mode, OprfError, Proof, SecretKey,
    blind_batch, blind_evaluate_and_prove, blind_evaluate_batch, evaluate_batch, finalize_batch,
    verify_and_finalize,
};
use proptest::prelude::*;

fn inputs(n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| format!("blindlink/test/{i}").into_bytes())
        .collect()
}

#[test]
fn large_batches_get_one_proof_per_65535_elements_and_verify() {
    let n = MAX_PROOF_BATCH + 10;
    let sk = SecretKey::generate(&mut rand::rng());
    let pk = sk.public_key();
    let xs = inputs(n);
    let (blinds, blinded) = blind_batch(Mode::Voprf, &xs, &mut rand::rng()).unwrap();
    let (evaluated, proofs) = blind_evaluate_and_prove(
        &sk,
        &BlindedBatch::decode(blinded.clone()).unwrap(),
        &mut rand::rng(),
    )
    .unwrap();
    let layout: Vec<(usize, usize)> = proofs.iter().map(|p| (p.start, p.count)).collect();
    assert_eq!(layout, vec![(0, MAX_PROOF_BATCH), (MAX_PROOF_BATCH, 10)]);

    // Dropping the second proof leaves elements unproven.
    let blinds_bytes = blinds.to_bytes();
    let again = || Blinds::from_bytes(&blinds_bytes).unwrap();
    let err = verify_and_finalize(&pk, &xs, again(), &blinded, &evaluated, &proofs[..1]);
    assert_eq!(err, Err(OprfError::ProofLayout { proof: 1 }));
    // Swapping two evaluated elements inside the second proof's range breaks that proof.
    let mut swapped = evaluated.clone();
    swapped.swap(n - 1, n - 2);
    let err = verify_and_finalize(&pk, &xs, again(), &blinded, &swapped, &proofs);
    assert_eq!(err, Err(OprfError::ProofInvalid { proof: 1 }));

    let outputs = verify_and_finalize(&pk, &xs, blinds, &blinded, &evaluated, &proofs).unwrap();
    // Spot-check both proofs' ranges against the holder's direct evaluation.
    for range in [0..10, n - 10..n] {
        let direct = evaluate_batch(Mode::Voprf, &sk, &xs[range.clone()]).unwrap();
        assert_eq!(outputs[range], direct[..]);
    }
}

#[test]
fn proofs_must_tile_the_batch() {
    let sk = SecretKey::generate(&mut rand::rng());
    let pk = sk.public_key();
    let xs = inputs(6);
    let (blinds, blinded) = blind_batch(Mode::Voprf, &xs, &mut rand::rng()).unwrap();
    let (evaluated, proofs) = blind_evaluate_and_prove(
        &sk,
        &BlindedBatch::decode(blinded.clone()).unwrap(),
        &mut rand::rng(),
    )
    .unwrap();
    let p = proofs[0];
    let b = blinds.to_bytes();
    let check = |proofs: &[BatchProof]| {
        verify_and_finalize(
            &pk,
            &xs,
            Blinds::from_bytes(&b).unwrap(),
            &blinded,
            &evaluated,
            proofs,
        )
    };
    let starts_late = BatchProof {
        start: 1,
        count: 5,
        ..p
    };
    assert_eq!(
        check(&[starts_late]),
        Err(OprfError::ProofLayout { proof: 0 })
    );
    let runs_over = BatchProof { count: 7, ..p };
    assert_eq!(
        check(&[runs_over]),
        Err(OprfError::ProofLayout { proof: 0 })
    );
    let empty = BatchProof { count: 0, ..p };
    assert_eq!(check(&[empty, p]), Err(OprfError::ProofLayout { proof: 0 }));
    assert_eq!(check(&[]), Err(OprfError::ProofLayout { proof: 0 }));
    assert_eq!(check(&[p, p]), Err(OprfError::ProofLayout { proof: 1 }));
    assert!(check(&[p]).is_ok());
}

#[test]
fn evaluation_rejects_bad_elements_with_their_index() {
    let (_, mut blinded) = blind_batch(Mode::Oprf, &inputs(4), &mut rand::rng()).unwrap();
    blinded[2] = [0u8; 32];
    assert_eq!(
        BlindedBatch::decode(blinded.clone()).err(),
        Some(OprfError::IdentityElement { index: 2 })
    );
    blinded[2] = [0xff; 32];
    assert_eq!(
        BlindedBatch::decode(blinded.clone()).err(),
        Some(OprfError::NonCanonicalElement { index: 2 })
    );
}

#[test]
fn oversized_inputs_are_rejected_not_truncated() {
    let sk = SecretKey::generate(&mut rand::rng());
    let long = vec![vec![1u8; 65_536]];
    assert_eq!(
        evaluate_batch(Mode::Oprf, &sk, &long),
        Err(OprfError::InputTooLong { index: 0 })
    );
    assert_eq!(
        blind_batch(Mode::Oprf, &long, &mut rand::rng()).err(),
        Some(OprfError::InputTooLong { index: 0 })
    );
    // Finalize with a short input blinded, then a long one swapped in: refused too.
    let short = vec![vec![1u8; 8], vec![2u8; 8]];
    let (blinds, blinded) = blind_batch(Mode::Oprf, &short, &mut rand::rng()).unwrap();
    let evaluated = blind_evaluate_batch(&sk, &BlindedBatch::decode(blinded).unwrap());
    let swapped = vec![vec![1u8; 8], vec![2u8; 65_536]];
    assert_eq!(
        finalize_batch(&swapped, blinds, &evaluated).err(),
        Some(OprfError::InputTooLong { index: 1 })
    );
}

proptest! {
    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in any::<[u8; 32]>(), wide in any::<[u8; 64]>()) {
        let _ = decode_element(&bytes, 0);
        let _ = decode_scalar(&bytes);
        let _ = SecretKey::from_bytes(&bytes);
        let _ = Proof::from_bytes(&wide);
        let _ = Blinds::from_bytes(&wide);
    }

    #[test]
    fn blinded_path_equals_direct_evaluation(
        xs in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40), 1..40),
        key in any::<[u8; 32]>(),
    ) {
        let Ok(sk) = SecretKey::derive(Mode::Voprf, &key, b"prop") else { return Ok(()) };
        let (blinds, blinded) = blind_batch(Mode::Voprf, &xs, &mut rand::rng()).unwrap();
        let (evaluated, proofs) = blind_evaluate_and_prove(&sk, &BlindedBatch::decode(blinded.clone()).unwrap(), &mut rand::rng()).unwrap();
        let outputs = verify_and_finalize(
            &sk.public_key(), &xs, blinds, &blinded, &evaluated, &proofs).unwrap();
        prop_assert_eq!(outputs, evaluate_batch(Mode::Voprf, &sk, &xs).unwrap());
    }
}
