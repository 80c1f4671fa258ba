//! VOPRF batched DLEQ proofs (RFC 9497 section 2.2): `ComputeComposites`,
//! `ComputeCompositesFast`, `GenerateProof` and `VerifyProof`, with `A = G` and `B = pkS`.
//!
//! RFC 9497 encodes the position of each element in a composite transcript with 2 bytes,
//! so one proof covers at most [`MAX_PROOF_BATCH`] elements; [`prove_batches`] tiles a
//! larger batch with consecutive proofs, each over its own slice with indices restarting at
//! zero, and [`verify_batches`] checks that the proofs tile the batch exactly.

use super::OprfError;
use super::codec::{ElementBytes, decode_scalar};
use super::key::{PublicKey, SecretKey};
use super::suite::{Mode, Suite};
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, VartimeMultiscalarMul};
use rand_core::CryptoRng;
use rayon::prelude::*;
use sha2::{Digest, Sha512};

/// Most elements one proof may cover (the RFC's 2-byte index).
pub const MAX_PROOF_BATCH: usize = u16::MAX as usize;

/// Serialized proof length: `c || s`, two scalars.
pub const PROOF_LEN: usize = 64;

/// Elements per parallel task in the composite computation: one task per thread (a
/// multiscalar multiplication gets cheaper per point as it grows), at least 256. Public so
/// that the scale harness times multiscalar points at the size the core multiplies.
pub fn composite_chunk_len(n: usize) -> usize {
    n.div_ceil(rayon::current_num_threads().max(1)).max(256)
}

/// A DLEQ proof `(c, s)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Proof {
    c: Scalar,
    s: Scalar,
}

impl Proof {
    /// `SerializeScalar(c) || SerializeScalar(s)`.
    pub fn to_bytes(&self) -> [u8; PROOF_LEN] {
        let mut out = [0u8; PROOF_LEN];
        out[..32].copy_from_slice(self.c.as_bytes());
        out[32..].copy_from_slice(self.s.as_bytes());
        out
    }

    /// Strict decoding: both scalars canonical.
    pub fn from_bytes(bytes: &[u8; PROOF_LEN]) -> Result<Proof, OprfError> {
        let mut c = [0u8; 32];
        let mut s = [0u8; 32];
        c.copy_from_slice(&bytes[..32]);
        s.copy_from_slice(&bytes[32..]);
        Ok(Proof {
            c: decode_scalar(&c)?,
            s: decode_scalar(&s)?,
        })
    }
}

/// One proof and the slice of the batch it covers: elements `start .. start + count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchProof {
    /// Index of the first covered element in the whole batch.
    pub start: usize,
    /// Number of covered elements (1 to [`MAX_PROOF_BATCH`]).
    pub count: usize,
    /// The proof.
    pub proof: Proof,
}

fn check_batch(count: usize) -> Result<(), OprfError> {
    if count == 0 || count > MAX_PROOF_BATCH {
        return Err(OprfError::ProofBatchSize { count });
    }
    Ok(())
}

/// The composite weights `d_i` of ComputeComposites for one proof's slice.
fn composite_weights(
    suite: &Suite,
    pk: &PublicKey,
    c_bytes: &[ElementBytes],
    d_bytes: &[ElementBytes],
) -> Vec<Scalar> {
    let bm = pk.to_bytes();
    let seed_dst = suite.seed_dst();
    let mut h = Sha512::new();
    h.update(32u16.to_be_bytes());
    h.update(bm);
    h.update((seed_dst.len() as u16).to_be_bytes());
    h.update(seed_dst);
    let seed: [u8; 64] = h.finalize().into();
    let seed_len = 64u16.to_be_bytes();
    let elem_len = 32u16.to_be_bytes();
    c_bytes
        .par_iter()
        .zip(d_bytes.par_iter())
        .enumerate()
        .with_min_len(composite_chunk_len(c_bytes.len()))
        .map(|(i, (ci, di))| {
            // i < MAX_PROOF_BATCH, checked by every caller before this point.
            let index = (i as u16).to_be_bytes();
            suite.hash_to_scalar(&[
                &seed_len,
                &seed,
                &index,
                &elem_len,
                ci,
                &elem_len,
                di,
                b"Composite",
            ])
        })
        .collect()
}

/// `sum_i w_i · P_i`, variable time (all inputs are public), split across threads.
fn weighted_sum(weights: &[Scalar], points: &[RistrettoPoint]) -> RistrettoPoint {
    let len = composite_chunk_len(points.len());
    weights
        .par_chunks(len)
        .zip(points.par_chunks(len))
        .map(|(w, p)| RistrettoPoint::vartime_multiscalar_mul(w, p))
        .reduce(RistrettoPoint::identity, |a, b| a + b)
}

fn challenge(
    suite: &Suite,
    pk: &PublicKey,
    m: &RistrettoPoint,
    z: &RistrettoPoint,
    t2: &RistrettoPoint,
    t3: &RistrettoPoint,
) -> Scalar {
    let len = 32u16.to_be_bytes();
    let [bm, a0, a1, a2, a3] = [
        pk.to_bytes(),
        m.compress().to_bytes(),
        z.compress().to_bytes(),
        t2.compress().to_bytes(),
        t3.compress().to_bytes(),
    ];
    suite.hash_to_scalar(&[
        &len,
        &bm,
        &len,
        &a0,
        &len,
        &a1,
        &len,
        &a2,
        &len,
        &a3,
        b"Challenge",
    ])
}

/// RFC 9497 `GenerateProof` with `ComputeCompositesFast`, for one slice of at most
/// [`MAX_PROOF_BATCH`] elements: `c_points`/`c_bytes` are the blinded elements (decoded and
/// serialized), `d_bytes` the evaluated ones, `r` the proof randomness.
pub fn generate_proof(
    sk: &SecretKey,
    c_points: &[RistrettoPoint],
    c_bytes: &[ElementBytes],
    d_bytes: &[ElementBytes],
    r: Scalar,
) -> Result<Proof, OprfError> {
    check_batch(c_bytes.len())?;
    for len in [c_points.len(), d_bytes.len()] {
        if len != c_bytes.len() {
            return Err(OprfError::LengthMismatch {
                expected: c_bytes.len(),
                got: len,
            });
        }
    }
    let suite = Suite::get(Mode::Voprf);
    let pk = sk.public_key();
    let weights = composite_weights(suite, &pk, c_bytes, d_bytes);
    let m = weighted_sum(&weights, c_points);
    let z = m * sk.scalar();
    let t2 = RistrettoPoint::mul_base(&r);
    let t3 = m * r;
    let c = challenge(suite, &pk, &m, &z, &t2, &t3);
    let s = r - c * sk.scalar();
    Ok(Proof { c, s })
}

/// RFC 9497 `VerifyProof` (with `ComputeComposites`) for one slice.
pub fn verify_proof(
    pk: &PublicKey,
    c_points: &[RistrettoPoint],
    c_bytes: &[ElementBytes],
    d_points: &[RistrettoPoint],
    d_bytes: &[ElementBytes],
    proof: &Proof,
) -> Result<(), OprfError> {
    check_batch(c_bytes.len())?;
    for len in [c_points.len(), d_points.len(), d_bytes.len()] {
        if len != c_bytes.len() {
            return Err(OprfError::LengthMismatch {
                expected: c_bytes.len(),
                got: len,
            });
        }
    }
    let suite = Suite::get(Mode::Voprf);
    let weights = composite_weights(suite, pk, c_bytes, d_bytes);
    let (m, z) = rayon::join(
        || weighted_sum(&weights, c_points),
        || weighted_sum(&weights, d_points),
    );
    let t2 = RistrettoPoint::vartime_multiscalar_mul(
        [proof.s, proof.c],
        [RISTRETTO_BASEPOINT_POINT, *pk.point()],
    );
    let t3 = RistrettoPoint::vartime_multiscalar_mul([proof.s, proof.c], [m, z]);
    if challenge(suite, pk, &m, &z, &t2, &t3) == proof.c {
        Ok(())
    } else {
        Err(OprfError::ProofInvalid { proof: 0 })
    }
}

/// Proves a whole batch of any size with consecutive proofs of at most
/// [`MAX_PROOF_BATCH`] elements each. An empty batch gets no proof.
pub fn prove_batches<R: CryptoRng + ?Sized>(
    sk: &SecretKey,
    c_points: &[RistrettoPoint],
    c_bytes: &[ElementBytes],
    d_bytes: &[ElementBytes],
    rng: &mut R,
) -> Result<Vec<BatchProof>, OprfError> {
    if c_points.len() != c_bytes.len() || d_bytes.len() != c_bytes.len() {
        return Err(OprfError::LengthMismatch {
            expected: c_bytes.len(),
            got: c_points.len().min(d_bytes.len()),
        });
    }
    let mut proofs = Vec::with_capacity(c_bytes.len().div_ceil(MAX_PROOF_BATCH));
    for start in (0..c_bytes.len()).step_by(MAX_PROOF_BATCH) {
        let end = (start + MAX_PROOF_BATCH).min(c_bytes.len());
        let r = Scalar::random(rng);
        let proof = generate_proof(
            sk,
            &c_points[start..end],
            &c_bytes[start..end],
            &d_bytes[start..end],
            r,
        )?;
        proofs.push(BatchProof {
            start,
            count: end - start,
            proof,
        });
    }
    Ok(proofs)
}

/// Verifies that `proofs` tile the batch in order, with no gap or overlap, and that each
/// verifies. The error names the first failing proof.
pub fn verify_batches(
    pk: &PublicKey,
    c_points: &[RistrettoPoint],
    c_bytes: &[ElementBytes],
    d_points: &[RistrettoPoint],
    d_bytes: &[ElementBytes],
    proofs: &[BatchProof],
) -> Result<(), OprfError> {
    let n = c_bytes.len();
    if c_points.len() != n || d_points.len() != n || d_bytes.len() != n {
        return Err(OprfError::LengthMismatch {
            expected: n,
            got: c_points.len().min(d_points.len()).min(d_bytes.len()),
        });
    }
    let mut next = 0usize;
    for (i, bp) in proofs.iter().enumerate() {
        let end = bp.start.checked_add(bp.count).filter(|&e| e <= n);
        let Some(end) = end.filter(|_| bp.start == next && bp.count > 0) else {
            return Err(OprfError::ProofLayout { proof: i });
        };
        let range = bp.start..end;
        verify_proof(
            pk,
            &c_points[range.clone()],
            &c_bytes[range.clone()],
            &d_points[range.clone()],
            &d_bytes[range],
            &bp.proof,
        )
        .map_err(|e| match e {
            OprfError::ProofInvalid { .. } => OprfError::ProofInvalid { proof: i },
            other => other,
        })?;
        next = end;
    }
    if next != n {
        return Err(OprfError::ProofLayout {
            proof: proofs.len(),
        });
    }
    Ok(())
}
