//! The requester's side: `Blind` and `Finalize` over batches (RFC 9497 sections 3.3.1 and
//! 3.3.2), and the VOPRF proof check before finalizing.
//!
//! Blinds are secret: they live in [`Blinds`], which zeroizes on drop and is consumed by
//! [`finalize_batch`] / [`verify_and_finalize`], so a set of blinds cannot finalize twice.

use super::codec::{
    ElementBytes, decode_element, decode_nonzero_scalar, double_and_encode, half, par_chunk_len,
};
use super::proof::{BatchProof, verify_batches};
use super::suite::{Mode, OUTPUT_LEN, Suite, finalize_hash};
use super::{MAX_INPUT_LEN, OprfError, PublicKey};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;
use rand_core::CryptoRng;
use rayon::prelude::*;
use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// The secret blinds of one batch, in input order. Zeroized on drop; `Debug` shows only the
/// count; not `Clone`.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Blinds(Vec<Scalar>);

impl fmt::Debug for Blinds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blinds(<{} redacted>)", self.0.len())
    }
}

impl Blinds {
    /// Fresh uniformly random non-zero blinds.
    pub fn random<R: CryptoRng + ?Sized>(count: usize, rng: &mut R) -> Blinds {
        let mut v = Vec::with_capacity(count);
        while v.len() < count {
            let r = Scalar::random(rng);
            if r != Scalar::ZERO {
                v.push(r);
            }
        }
        Blinds(v)
    }

    /// Number of blinds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Concatenated 32-byte scalars, in a buffer that zeroizes itself (for the requester's
    /// secret bundle file, mode 0600).
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(self.0.len() * 32));
        for s in &self.0 {
            out.extend_from_slice(s.as_bytes());
        }
        out
    }

    /// Parses concatenated scalars; each must be canonical and non-zero.
    pub fn from_bytes(bytes: &[u8]) -> Result<Blinds, OprfError> {
        if !bytes.len().is_multiple_of(32) {
            return Err(OprfError::NonCanonicalScalar);
        }
        let mut v = Vec::with_capacity(bytes.len() / 32);
        for chunk in bytes.chunks_exact(32) {
            let mut b = Zeroizing::new([0u8; 32]);
            b.copy_from_slice(chunk);
            v.push(decode_nonzero_scalar(&b)?);
        }
        Ok(Blinds(v))
    }

    /// Blinds given explicitly (e.g. replaying RFC 9497 test vectors).
    pub fn from_scalars_bytes(blinds: &[[u8; 32]]) -> Result<Blinds, OprfError> {
        blinds
            .iter()
            .map(decode_nonzero_scalar)
            .collect::<Result<Vec<_>, _>>()
            .map(Blinds)
    }
}

fn check_input(input: &[u8], index: usize) -> Result<(), OprfError> {
    if input.len() > MAX_INPUT_LEN {
        return Err(OprfError::InputTooLong { index });
    }
    Ok(())
}

/// RFC 9497 `Blind` for every input with the given blinds:
/// `BlindedElement_i = blind_i · HashToGroup(input_i)`, serialized.
pub fn blind_batch_with<I: AsRef<[u8]> + Sync>(
    mode: Mode,
    inputs: &[I],
    blinds: &Blinds,
) -> Result<Vec<ElementBytes>, OprfError> {
    if blinds.len() != inputs.len() {
        return Err(OprfError::LengthMismatch {
            expected: inputs.len(),
            got: blinds.len(),
        });
    }
    let suite = Suite::get(mode);
    let chunk = par_chunk_len(inputs.len());
    let chunks: Vec<Vec<ElementBytes>> = inputs
        .par_chunks(chunk)
        .zip(blinds.0.par_chunks(chunk))
        .enumerate()
        .map(|(c, (inputs, blinds))| {
            let mut halves = Vec::with_capacity(inputs.len());
            for (j, (input, r)) in inputs.iter().zip(blinds).enumerate() {
                let index = c * chunk + j;
                let input = input.as_ref();
                check_input(input, index)?;
                let p = suite.hash_to_group(input);
                if p.is_identity() {
                    return Err(OprfError::InvalidInput { index });
                }
                halves.push(p * half(r));
            }
            Ok(double_and_encode(&halves))
        })
        .collect::<Result<_, OprfError>>()?;
    Ok(chunks.concat())
}

/// [`blind_batch_with`] with fresh random blinds, which it returns.
pub fn blind_batch<I: AsRef<[u8]> + Sync, R: CryptoRng + ?Sized>(
    mode: Mode,
    inputs: &[I],
    rng: &mut R,
) -> Result<(Blinds, Vec<ElementBytes>), OprfError> {
    let blinds = Blinds::random(inputs.len(), rng);
    let elements = blind_batch_with(mode, inputs, &blinds)?;
    Ok((blinds, elements))
}

/// Decodes evaluated elements strictly, in parallel, keeping batch indices in errors.
pub(crate) fn decode_batch(batch: &[ElementBytes]) -> Result<Vec<RistrettoPoint>, OprfError> {
    batch
        .par_iter()
        .enumerate()
        .with_min_len(64)
        .map(|(i, b)| decode_element(b, i))
        .collect()
}

fn finalize_points<I: AsRef<[u8]> + Sync>(
    inputs: &[I],
    blinds: &Blinds,
    evaluated: &[RistrettoPoint],
) -> Result<Vec<[u8; OUTPUT_LEN]>, OprfError> {
    for got in [blinds.len(), evaluated.len()] {
        if got != inputs.len() {
            return Err(OprfError::LengthMismatch {
                expected: inputs.len(),
                got,
            });
        }
    }
    // Finalize hashes `I2OSP(len(input), 2)`: a longer input would wrap that prefix.
    for (index, input) in inputs.iter().enumerate() {
        check_input(input.as_ref(), index)?;
    }
    let chunk = par_chunk_len(inputs.len());
    let chunks: Vec<Vec<[u8; OUTPUT_LEN]>> = inputs
        .par_chunks(chunk)
        .zip(blinds.0.par_chunks(chunk))
        .zip(evaluated.par_chunks(chunk))
        .map(|((inputs, blinds), evaluated)| {
            let mut inv = Zeroizing::new(blinds.to_vec());
            Scalar::invert_batch_alloc(&mut inv);
            let halves: Vec<RistrettoPoint> = inv
                .iter()
                .zip(evaluated)
                .map(|(r_inv, e)| e * half(r_inv))
                .collect();
            let unblinded = double_and_encode(&halves);
            inputs
                .iter()
                .zip(&unblinded)
                .map(|(input, n)| finalize_hash(input.as_ref(), n))
                .collect()
        })
        .collect();
    Ok(chunks.concat())
}

/// RFC 9497 `Finalize` (base mode) for a batch: `N_i = blind_i^-1 · EvaluatedElement_i`,
/// output `Hash(len(input) || input || len(N) || N || "Finalize")`. Consumes the blinds.
///
/// In VOPRF mode use [`verify_and_finalize`], which checks the proofs first.
pub fn finalize_batch<I: AsRef<[u8]> + Sync>(
    inputs: &[I],
    blinds: Blinds,
    evaluated: &[ElementBytes],
) -> Result<Vec<[u8; OUTPUT_LEN]>, OprfError> {
    let points = decode_batch(evaluated)?;
    finalize_points(inputs, &blinds, &points)
}

/// VOPRF `Finalize` for a batch: verifies that `proofs` tile the batch and each proves
/// `evaluated = skS · blinded` for the pinned `pk`, then finalizes. Consumes the blinds.
pub fn verify_and_finalize<I: AsRef<[u8]> + Sync>(
    pk: &PublicKey,
    inputs: &[I],
    blinds: Blinds,
    blinded: &[ElementBytes],
    evaluated: &[ElementBytes],
    proofs: &[BatchProof],
) -> Result<Vec<[u8; OUTPUT_LEN]>, OprfError> {
    let (c_points, d_points) = rayon::join(|| decode_batch(blinded), || decode_batch(evaluated));
    let (c_points, d_points) = (c_points?, d_points?);
    verify_batches(pk, &c_points, blinded, &d_points, evaluated, proofs)?;
    finalize_points(inputs, &blinds, &d_points)
}
