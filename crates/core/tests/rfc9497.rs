//! Every RFC 9497 Appendix A.1 vector for OPRF(ristretto255, SHA-512), base and VOPRF
//! modes, read from `tests/data/rfc9497-ristretto255-sha512.json` (provenance in
//! `tests/data/PROVENANCE.md`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use blindlink_core::oprf::codec::decode_elements;
use blindlink_core::oprf::proof::generate_proof;
use blindlink_core::oprf::{
    BatchProof, BlindedBatch, Blinds, Mode, OprfError, Proof, SecretKey, blind_batch_with,
    blind_evaluate_batch, evaluate_batch, finalize_batch, verify_and_finalize,
};
use curve25519_dalek::scalar::Scalar;
use serde_json::Value;

fn vectors() -> Value {
    let text = include_str!("data/rfc9497-ristretto255-sha512.json");
    serde_json::from_str(text).unwrap()
}

fn bytes(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

fn list(v: &Value) -> Vec<Vec<u8>> {
    v.as_array().unwrap().iter().map(bytes).collect()
}

fn arr32(v: &[u8]) -> [u8; 32] {
    v.try_into().unwrap()
}

fn elements(v: &Value) -> Vec<[u8; 32]> {
    list(v).iter().map(|b| arr32(b)).collect()
}

fn key(mode: Mode, params: &Value) -> SecretKey {
    let seed = arr32(&bytes(&params["Seed"]));
    let sk = SecretKey::derive(mode, &seed, &bytes(&params["KeyInfo"])).unwrap();
    assert_eq!(sk.to_bytes().to_vec(), bytes(&params["skSm"]), "skSm");
    sk
}

#[test]
fn base_mode_vectors() {
    let all = vectors();
    let mode = &all["modes"]["OPRF"];
    let sk = key(Mode::Oprf, &mode["params"]);
    let vectors = mode["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 2);
    for (n, v) in vectors.iter().enumerate() {
        let inputs = list(&v["Input"]);
        let blinds = elements(&v["Blind"]);
        let blinds = Blinds::from_scalars_bytes(&blinds).unwrap();
        let blinded = blind_batch_with(Mode::Oprf, &inputs, &blinds).unwrap();
        assert_eq!(
            blinded,
            elements(&v["BlindedElement"]),
            "vector {n} blinded"
        );
        let evaluated = blind_evaluate_batch(&sk, &BlindedBatch::decode(blinded.clone()).unwrap());
        assert_eq!(
            evaluated,
            elements(&v["EvaluationElement"]),
            "vector {n} eval"
        );
        let outputs = finalize_batch(&inputs, blinds, &evaluated).unwrap();
        let expected = list(&v["Output"]);
        assert_eq!(
            outputs.iter().map(|o| o.to_vec()).collect::<Vec<_>>(),
            expected
        );
        let direct = evaluate_batch(Mode::Oprf, &sk, &inputs).unwrap();
        assert_eq!(
            direct.iter().map(|o| o.to_vec()).collect::<Vec<_>>(),
            expected
        );
    }
}

#[test]
fn voprf_mode_vectors() {
    let all = vectors();
    let mode = &all["modes"]["VOPRF"];
    let sk = key(Mode::Voprf, &mode["params"]);
    let pk = sk.public_key();
    assert_eq!(pk.to_bytes().to_vec(), bytes(&mode["params"]["pkSm"]));
    let vectors = mode["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 3);
    for (n, v) in vectors.iter().enumerate() {
        let inputs = list(&v["Input"]);
        let blinds = Blinds::from_scalars_bytes(&elements(&v["Blind"])).unwrap();
        let blinded = blind_batch_with(Mode::Voprf, &inputs, &blinds).unwrap();
        assert_eq!(
            blinded,
            elements(&v["BlindedElement"]),
            "vector {n} blinded"
        );
        let evaluated = blind_evaluate_batch(&sk, &BlindedBatch::decode(blinded.clone()).unwrap());
        assert_eq!(
            evaluated,
            elements(&v["EvaluationElement"]),
            "vector {n} eval"
        );

        let r = Scalar::from_canonical_bytes(arr32(&bytes(&v["ProofRandomScalar"]))).unwrap();
        let points = decode_elements(&blinded).unwrap();
        let proof = generate_proof(&sk, &points, &blinded, &evaluated, r).unwrap();
        assert_eq!(
            proof.to_bytes().to_vec(),
            bytes(&v["Proof"]),
            "vector {n} proof"
        );

        let proofs = [BatchProof {
            start: 0,
            count: inputs.len(),
            proof,
        }];
        let outputs =
            verify_and_finalize(&pk, &inputs, blinds, &blinded, &evaluated, &proofs).unwrap();
        let expected = list(&v["Output"]);
        assert_eq!(
            outputs.iter().map(|o| o.to_vec()).collect::<Vec<_>>(),
            expected
        );
        let direct = evaluate_batch(Mode::Voprf, &sk, &inputs).unwrap();
        assert_eq!(
            direct.iter().map(|o| o.to_vec()).collect::<Vec<_>>(),
            expected
        );

        // The same proof must fail for any other key or any altered element.
        let mut wrong = evaluated.clone();
        let last = wrong.len() - 1;
        wrong.swap(0, last);
        if wrong != evaluated {
            let blinds = Blinds::from_scalars_bytes(&elements(&v["Blind"])).unwrap();
            let err = verify_and_finalize(&pk, &inputs, blinds, &blinded, &wrong, &proofs);
            assert_eq!(err, Err(OprfError::ProofInvalid { proof: 0 }));
        }
        let other = SecretKey::derive(Mode::Voprf, &[9u8; 32], b"other").unwrap();
        let blinds = Blinds::from_scalars_bytes(&elements(&v["Blind"])).unwrap();
        let err = verify_and_finalize(
            &other.public_key(),
            &inputs,
            blinds,
            &blinded,
            &evaluated,
            &proofs,
        );
        assert_eq!(err, Err(OprfError::ProofInvalid { proof: 0 }));
        let mut tampered = proof.to_bytes();
        tampered[40] ^= 1;
        if let Ok(p) = Proof::from_bytes(&tampered) {
            let blinds = Blinds::from_scalars_bytes(&elements(&v["Blind"])).unwrap();
            let bad = [BatchProof {
                proof: p,
                ..proofs[0]
            }];
            let err = verify_and_finalize(&pk, &inputs, blinds, &blinded, &evaluated, &bad);
            assert_eq!(err, Err(OprfError::ProofInvalid { proof: 0 }));
        }
    }
}
