//! The holder's side: `BlindEvaluate` over batches (with VOPRF proofs) and the full
//! `Evaluate(x) = Finalize(x, skS · HashToGroup(x))` used to encode its own set.
//!
//! Both use the double-and-compress path: multiply by `skS / 2`, then serialize `2·P` for a
//! whole chunk at once with [`RistrettoPoint::double_and_compress_batch`].

use super::client::decode_batch;
use super::codec::{ElementBytes, double_and_encode, par_chunk_len};
use super::proof::{BatchProof, prove_batches};
use super::suite::{Mode, OUTPUT_LEN, Suite, finalize_hash};
use super::{MAX_INPUT_LEN, OprfError, SecretKey};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::traits::IsIdentity;
use rand_core::CryptoRng;
use rayon::prelude::*;

/// Blinded elements received from a requester, decoded strictly (non-canonical encodings
/// and the identity rejected, with the index of the first bad one), in parallel, once.
#[derive(Clone, Debug)]
pub struct BlindedBatch {
    points: Vec<RistrettoPoint>,
    bytes: Vec<ElementBytes>,
}

impl BlindedBatch {
    /// RFC 9497 `DeserializeElement` for every element.
    pub fn decode(bytes: Vec<ElementBytes>) -> Result<BlindedBatch, OprfError> {
        let points = decode_batch(&bytes)?;
        Ok(BlindedBatch { points, bytes })
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the batch is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The elements as received.
    pub fn as_bytes(&self) -> &[ElementBytes] {
        &self.bytes
    }
}

/// RFC 9497 `BlindEvaluate` (base mode) for a batch: `EvaluatedElement_i = skS · B_i`.
pub fn blind_evaluate_batch(sk: &SecretKey, batch: &BlindedBatch) -> Vec<ElementBytes> {
    evaluate_points(sk, &batch.points)
}

fn evaluate_points(sk: &SecretKey, points: &[RistrettoPoint]) -> Vec<ElementBytes> {
    let half_k = sk.half_scalar();
    let chunks: Vec<Vec<ElementBytes>> = points
        .par_chunks(par_chunk_len(points.len()))
        .map(|chunk| {
            let halves: Vec<RistrettoPoint> = chunk.iter().map(|p| p * half_k).collect();
            double_and_encode(&halves)
        })
        .collect();
    chunks.concat()
}

/// VOPRF `BlindEvaluate` for a batch of any size: the evaluated elements plus consecutive
/// proofs of at most 65,535 elements each (RFC 9497 `GenerateProof` with
/// `ComputeCompositesFast`).
pub fn blind_evaluate_and_prove<R: CryptoRng + ?Sized>(
    sk: &SecretKey,
    batch: &BlindedBatch,
    rng: &mut R,
) -> Result<(Vec<ElementBytes>, Vec<BatchProof>), OprfError> {
    let evaluated = evaluate_points(sk, &batch.points);
    let proofs = prove_batches(sk, &batch.points, &batch.bytes, &evaluated, rng)?;
    Ok((evaluated, proofs))
}

/// RFC 9497 `Evaluate` for every input (the holder's own records, no blinding):
/// `Hash(len(x) || x || len(E) || E || "Finalize")` with `E = skS · HashToGroup(x)`.
/// Equal to what a requester obtains by blinding, evaluation and finalizing.
pub fn evaluate_batch<I: AsRef<[u8]> + Sync>(
    mode: Mode,
    sk: &SecretKey,
    inputs: &[I],
) -> Result<Vec<[u8; OUTPUT_LEN]>, OprfError> {
    let suite = Suite::get(mode);
    let half_k = sk.half_scalar();
    let len = par_chunk_len(inputs.len());
    let chunks: Vec<Vec<[u8; OUTPUT_LEN]>> = inputs
        .par_chunks(len)
        .enumerate()
        .map(|(c, chunk)| {
            let mut halves = Vec::with_capacity(chunk.len());
            for (j, input) in chunk.iter().enumerate() {
                let index = c * len + j;
                let input = input.as_ref();
                if input.len() > MAX_INPUT_LEN {
                    return Err(OprfError::InputTooLong { index });
                }
                let p = suite.hash_to_group(input);
                if p.is_identity() {
                    return Err(OprfError::InvalidInput { index });
                }
                halves.push(p * half_k);
            }
            let encoded = double_and_encode(&halves);
            Ok(chunk
                .iter()
                .zip(&encoded)
                .map(|(x, e)| finalize_hash(x.as_ref(), e))
                .collect())
        })
        .collect::<Result<_, OprfError>>()?;
    Ok(chunks.concat())
}
