//! The requester's side: `Blind` and `Finalize` over batches (RFC 9497 sections 3.3.1 and
//! 3.3.2), and the VOPRF proof check before finalizing.
//!
//! Blinds are secret: they live in [`Blinds`], which zeroizes on drop and is consumed by
//! [`finalize_batch`] / [`verify_and_finalize`], so a set of blinds cannot finalize twice.
//! Each set knows its [`Blinding`] (multiplicative per RFC 9497, or additive, see
//! [`super::additive`]), so it is always removed the way it was applied.

use super::additive::{Blinding, blind_additive_with, public_key_table, unblind_additive};
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

/// The secret blinds of one batch, in input order, and how they were applied. Zeroized on
/// drop; `Debug` shows only the count and blinding; not `Clone`.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Blinds {
    scalars: Vec<Scalar>,
    #[zeroize(skip)]
    blinding: Blinding,
}

impl fmt::Debug for Blinds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Blinds(<{} redacted>, {:?})",
            self.scalars.len(),
            self.blinding
        )
    }
}

impl Blinds {
    /// Fresh uniformly random non-zero multiplicative blinds (RFC 9497).
    pub fn random<R: CryptoRng + ?Sized>(count: usize, rng: &mut R) -> Blinds {
        Blinds::random_as(Blinding::Multiplicative, count, rng)
    }

    /// Fresh uniformly random non-zero blinds, to be applied as `blinding`.
    pub fn random_as<R: CryptoRng + ?Sized>(
        blinding: Blinding,
        count: usize,
        rng: &mut R,
    ) -> Blinds {
        let mut scalars = Vec::with_capacity(count);
        while scalars.len() < count {
            let r = Scalar::random(rng);
            if r != Scalar::ZERO {
                scalars.push(r);
            }
        }
        Blinds { scalars, blinding }
    }

    /// How these blinds are applied and removed.
    pub fn blinding(&self) -> Blinding {
        self.blinding
    }

    pub(crate) fn scalars(&self) -> &[Scalar] {
        &self.scalars
    }

    /// Number of blinds.
    pub fn len(&self) -> usize {
        self.scalars.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.scalars.is_empty()
    }

    /// Concatenated 32-byte scalars, in a buffer that zeroizes itself (for the requester's
    /// secret bundle file, mode 0600).
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(self.scalars.len() * 32));
        for s in &self.scalars {
            out.extend_from_slice(s.as_bytes());
        }
        out
    }

    /// Parses concatenated multiplicative scalars; each must be canonical and non-zero.
    pub fn from_bytes(bytes: &[u8]) -> Result<Blinds, OprfError> {
        Blinds::from_bytes_as(Blinding::Multiplicative, bytes)
    }

    /// Parses concatenated scalars applied as `blinding`; each must be canonical and
    /// non-zero. The blinding is not in the bytes: the container (e.g. the bundle's
    /// version) must say which it is.
    pub fn from_bytes_as(blinding: Blinding, bytes: &[u8]) -> Result<Blinds, OprfError> {
        if !bytes.len().is_multiple_of(32) {
            return Err(OprfError::NonCanonicalScalar);
        }
        let mut v = Vec::with_capacity(bytes.len() / 32);
        for chunk in bytes.chunks_exact(32) {
            let mut b = Zeroizing::new([0u8; 32]);
            b.copy_from_slice(chunk);
            v.push(decode_nonzero_scalar(&b)?);
        }
        Ok(Blinds {
            scalars: v,
            blinding,
        })
    }

    /// Multiplicative blinds given explicitly (e.g. replaying RFC 9497 test vectors).
    pub fn from_scalars_bytes(blinds: &[[u8; 32]]) -> Result<Blinds, OprfError> {
        Blinds::from_scalars_bytes_as(Blinding::Multiplicative, blinds)
    }

    /// Blinds given explicitly, applied as `blinding`.
    pub fn from_scalars_bytes_as(
        blinding: Blinding,
        blinds: &[[u8; 32]],
    ) -> Result<Blinds, OprfError> {
        let scalars = blinds
            .iter()
            .map(decode_nonzero_scalar)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Blinds { scalars, blinding })
    }
}

pub(crate) fn check_input(input: &[u8], index: usize) -> Result<(), OprfError> {
    if input.len() > MAX_INPUT_LEN {
        return Err(OprfError::InputTooLong { index });
    }
    Ok(())
}

/// `Blind` for every input with the given blinds, serialized: RFC 9497's
/// `BlindedElement_i = blind_i · HashToGroup(input_i)` for multiplicative blinds, or
/// `HashToGroup(input_i) + blind_i · G` for additive ones (VOPRF mode only: additive blinds
/// in OPRF mode are refused, since nothing would verify the evaluation).
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
    match (blinds.blinding, mode) {
        (Blinding::Multiplicative, _) => {}
        (Blinding::Additive, Mode::Voprf) => return blind_additive_with(inputs, blinds),
        (Blinding::Additive, Mode::Oprf) => return Err(OprfError::AdditiveNeedsProof),
    }
    blind_chunks(mode, inputs, &blinds.scalars, |_, points, blinds| {
        let halves: Vec<RistrettoPoint> = points
            .iter()
            .zip(blinds)
            .map(|(p, r)| p * half(r))
            .collect();
        Ok(double_and_encode(&halves))
    })
}

/// The shared shape of both blindings: inputs and blinds in parallel chunks; each input
/// checked (length) and hashed (`HashToGroup`, the identity refused, with its batch
/// index); then `blind_chunk(first index, points, blinds)` serializes the chunk's blinded
/// elements. The results are concatenated in input order.
pub(crate) fn blind_chunks<I: AsRef<[u8]> + Sync>(
    mode: Mode,
    inputs: &[I],
    blinds: &[Scalar],
    blind_chunk: impl Fn(usize, &[RistrettoPoint], &[Scalar]) -> Result<Vec<ElementBytes>, OprfError>
    + Sync,
) -> Result<Vec<ElementBytes>, OprfError> {
    let suite = Suite::get(mode);
    let chunk = par_chunk_len(inputs.len());
    let chunks: Vec<Vec<ElementBytes>> = inputs
        .par_chunks(chunk)
        .zip(blinds.par_chunks(chunk))
        .enumerate()
        .map(|(c, (inputs, blinds))| {
            let first = c * chunk;
            let mut points = Vec::with_capacity(inputs.len());
            for (j, input) in inputs.iter().enumerate() {
                let input = input.as_ref();
                check_input(input, first + j)?;
                let p = suite.hash_to_group(input);
                // The identity is refused on the wire (probability 2^-252).
                if p.is_identity() {
                    return Err(OprfError::InvalidInput { index: first + j });
                }
                points.push(p);
            }
            blind_chunk(first, &points, blinds)
        })
        .collect::<Result<_, OprfError>>()?;
    Ok(chunks.concat())
}

/// [`blind_batch_with`] with fresh random multiplicative blinds, which it returns (for
/// additive blinds see [`super::blind_batch_additive`]).
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

/// Unblinds and hashes. `pk` is `Some` only after the evaluation was verified against it;
/// additive blinds are removed only then.
fn finalize_points<I: AsRef<[u8]> + Sync>(
    inputs: &[I],
    blinds: &Blinds,
    evaluated: &[RistrettoPoint],
    verified_pk: Option<&PublicKey>,
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
    let table = match (blinds.blinding, verified_pk) {
        (Blinding::Multiplicative, _) => None,
        (Blinding::Additive, Some(pk)) => Some(public_key_table(pk)),
        (Blinding::Additive, None) => return Err(OprfError::AdditiveNeedsProof),
    };
    let chunk = par_chunk_len(inputs.len());
    let chunks: Vec<Vec<[u8; OUTPUT_LEN]>> = inputs
        .par_chunks(chunk)
        .zip(blinds.scalars.par_chunks(chunk))
        .zip(evaluated.par_chunks(chunk))
        .map(|((inputs, blinds), evaluated)| {
            let unblinded = match &table {
                Some(table) => unblind_additive(table, blinds, evaluated),
                None => unblind_multiplicative(blinds, evaluated),
            };
            inputs
                .iter()
                .zip(&unblinded)
                .map(|(input, n)| finalize_hash(input.as_ref(), n))
                .collect()
        })
        .collect();
    Ok(chunks.concat())
}

/// `N_i = blind_i^-1 · E_i`, serialized: one batched inversion and one batched
/// double-and-compress per chunk.
fn unblind_multiplicative(blinds: &[Scalar], evaluated: &[RistrettoPoint]) -> Vec<ElementBytes> {
    let mut inv = Zeroizing::new(blinds.to_vec());
    Scalar::invert_batch_alloc(&mut inv);
    let halves: Vec<RistrettoPoint> = inv
        .iter()
        .zip(evaluated)
        .map(|(r_inv, e)| e * half(r_inv))
        .collect();
    double_and_encode(&halves)
}

/// RFC 9497 `Finalize` (base mode) for a batch: `N_i = blind_i^-1 · EvaluatedElement_i`,
/// output `Hash(len(input) || input || len(N) || N || "Finalize")`. Consumes the blinds.
///
/// In VOPRF mode use [`verify_and_finalize`], which checks the proofs first. Additive
/// blinds are refused here ([`OprfError::AdditiveNeedsProof`]).
pub fn finalize_batch<I: AsRef<[u8]> + Sync>(
    inputs: &[I],
    blinds: Blinds,
    evaluated: &[ElementBytes],
) -> Result<Vec<[u8; OUTPUT_LEN]>, OprfError> {
    let points = decode_batch(evaluated)?;
    finalize_points(inputs, &blinds, &points, None)
}

/// VOPRF `Finalize` for a batch: verifies that `proofs` tile the batch and each proves
/// `evaluated = skS · blinded` for the pinned `pk`, then finalizes (removing additive
/// blinds as `E − r · pk`, so `pk` must be the key the proofs are for: the holder's, or
/// a combined key). Consumes the blinds. No output is computed unless every proof holds.
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
    finalize_points(inputs, &blinds, &d_points, Some(pk))
}
