//! Cross-checks against the `voprf` crate (an independent RFC 9497 implementation) used as
//! an oracle: on random keys and inputs, base-mode outputs agree, and VOPRF proofs made by
//! either side verify on the other.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use blindlink_core::oprf::{
    BatchProof, BlindedBatch, Blinds, Mode, Proof, SecretKey, blind_batch_with,
    blind_evaluate_and_prove, blind_evaluate_batch, evaluate_batch, verify_and_finalize,
};
use proptest::prelude::*;
use rand_chacha09::ChaCha20Rng;
use rand_chacha09::rand_core::SeedableRng;
use voprf::{
    BlindedElement, EvaluationElement, OprfClient, OprfServer, Ristretto255, VoprfClient,
    VoprfServer,
};

type Cs = Ristretto255;

fn inputs_strategy() -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop::collection::vec(prop::collection::vec(any::<u8>(), 1..80), 1..6)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn base_mode_agrees_with_voprf_crate(
        seed in any::<[u8; 32]>(),
        info in prop::collection::vec(any::<u8>(), 0..20),
        inputs in inputs_strategy(),
        rng_seed in any::<[u8; 32]>(),
    ) {
        let ours = SecretKey::derive(Mode::Oprf, &seed, &info).unwrap();
        let theirs = OprfServer::<Cs>::new_from_seed(&seed, &info).unwrap();
        prop_assert_eq!(ours.to_bytes().to_vec(), theirs.serialize().to_vec());

        // Holder-side full evaluation.
        let direct = evaluate_batch(Mode::Oprf, &ours, &inputs).unwrap();
        for (x, out) in inputs.iter().zip(&direct) {
            prop_assert_eq!(out.to_vec(), theirs.evaluate(x).unwrap().to_vec());
        }

        // Their client blinds, our server evaluates, their client finalizes.
        let mut rng = ChaCha20Rng::from_seed(rng_seed);
        for (x, out) in inputs.iter().zip(&direct) {
            let blinded = OprfClient::<Cs>::blind(x, &mut rng).unwrap();
            let b: [u8; 32] = blinded.message.serialize().into();
            let e = blind_evaluate_batch(&ours, &BlindedBatch::decode(vec![b]).unwrap());
            let e = EvaluationElement::<Cs>::deserialize(&e[0]).unwrap();
            prop_assert_eq!(blinded.state.finalize(x, &e).unwrap().to_vec(), out.to_vec());

            // And our client with their blind gives the same blinded element.
            let blind: [u8; 32] = blinded.state.serialize().into();
            let ours_blinded = blind_batch_with(
                Mode::Oprf, &[x], &Blinds::from_scalars_bytes(&[blind]).unwrap()).unwrap();
            prop_assert_eq!(ours_blinded[0], b);
        }
    }

    #[test]
    fn voprf_proofs_verify_across_implementations(
        seed in any::<[u8; 32]>(),
        inputs in inputs_strategy(),
        rng_seed in any::<[u8; 32]>(),
    ) {
        let ours = SecretKey::derive(Mode::Voprf, &seed, b"oracle").unwrap();
        let theirs = VoprfServer::<Cs>::new_from_seed(&seed, b"oracle").unwrap();
        let pk = ours.public_key();
        prop_assert_eq!(pk.to_bytes().to_vec(), {
            use voprf::Group;
            <Cs as voprf::CipherSuite>::Group::serialize_elem(theirs.get_public_key()).to_vec()
        });

        let mut rng = ChaCha20Rng::from_seed(rng_seed);
        let clients: Vec<_> = inputs
            .iter()
            .map(|x| VoprfClient::<Cs>::blind(x, &mut rng).unwrap())
            .collect();
        let blinded: Vec<[u8; 32]> =
            clients.iter().map(|c| c.message.serialize().into()).collect();
        let blind_bytes: Vec<[u8; 32]> = clients
            .iter()
            .map(|c| {
                // VoprfClient serializes as blind || blinded element.
                let state = c.state.serialize();
                state[..32].try_into().unwrap()
            })
            .collect();
        let states: Vec<_> = clients.iter().map(|c| c.state.clone()).collect();

        // Our server proves; their client verifies and finalizes.
        let mut our_rng = rand::rng();
        let (evaluated, proofs) = blind_evaluate_and_prove(&ours, &BlindedBatch::decode(blinded.clone()).unwrap(), &mut our_rng).unwrap();
        prop_assert_eq!(proofs.len(), 1);
        let their_proof = voprf::Proof::<Cs>::deserialize(&proofs[0].proof.to_bytes()).unwrap();
        let their_evals: Vec<_> = evaluated
            .iter()
            .map(|e| EvaluationElement::<Cs>::deserialize(e).unwrap())
            .collect();
        let their_outputs: Vec<Vec<u8>> = VoprfClient::batch_finalize(
            &inputs, &states, &their_evals, &their_proof, theirs.get_public_key())
            .unwrap()
            .map(|o| o.unwrap().to_vec())
            .collect();

        // Their server proves; our client verifies and finalizes.
        let their_blinded: Vec<_> = blinded
            .iter()
            .map(|b| BlindedElement::<Cs>::deserialize(b).unwrap())
            .collect();
        let result = theirs.batch_blind_evaluate(&mut rng, &their_blinded).unwrap();
        let their_eval_bytes: Vec<[u8; 32]> =
            result.messages.iter().map(|m| m.serialize().into()).collect();
        prop_assert_eq!(&their_eval_bytes, &evaluated);
        let proof_bytes: [u8; 64] = result.proof.serialize().into();
        let proof = BatchProof {
            start: 0,
            count: inputs.len(),
            proof: Proof::from_bytes(&proof_bytes).unwrap(),
        };
        let blinds = Blinds::from_scalars_bytes(&blind_bytes).unwrap();
        let our_outputs = verify_and_finalize(
            &pk, &inputs, blinds, &blinded, &their_eval_bytes, &[proof]).unwrap();
        let our_outputs: Vec<Vec<u8>> = our_outputs.iter().map(|o| o.to_vec()).collect();
        prop_assert_eq!(our_outputs, their_outputs);
    }
}
