//! Encoding and strict decoding of ristretto255 elements and scalars (RFC 9497 section 2.1:
//! `SerializeElement`, `DeserializeElement`, `SerializeScalar`, `DeserializeScalar`).
//!
//! Decoding rejects non-canonical encodings and the identity element, and scalars that are
//! not reduced; it never panics.

use super::OprfError;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;
use std::sync::LazyLock;

/// Length of a serialized element.
pub const ELEMENT_LEN: usize = 32;
/// Length of a serialized scalar.
pub const SCALAR_LEN: usize = 32;

/// A serialized ristretto255 element as it travels on the wire.
pub type ElementBytes = [u8; ELEMENT_LEN];

/// RFC 9497 `DeserializeElement`: canonical encoding of a non-identity element.
/// `index` only labels the error.
pub fn decode_element(bytes: &ElementBytes, index: usize) -> Result<RistrettoPoint, OprfError> {
    let point = CompressedRistretto(*bytes)
        .decompress()
        .ok_or(OprfError::NonCanonicalElement { index })?;
    if point.is_identity() {
        return Err(OprfError::IdentityElement { index });
    }
    Ok(point)
}

/// Decodes a whole batch, failing on the first bad element (with its index).
pub fn decode_elements(batch: &[ElementBytes]) -> Result<Vec<RistrettoPoint>, OprfError> {
    batch
        .iter()
        .enumerate()
        .map(|(i, b)| decode_element(b, i))
        .collect()
}

/// RFC 9497 `DeserializeScalar`: canonical little-endian encoding below the group order.
/// Zero is allowed here; keys and blinds check for it separately.
pub fn decode_scalar(bytes: &[u8; SCALAR_LEN]) -> Result<Scalar, OprfError> {
    Option::<Scalar>::from(Scalar::from_canonical_bytes(*bytes))
        .ok_or(OprfError::NonCanonicalScalar)
}

/// Decodes a scalar that must also be non-zero (a key or a blind).
pub fn decode_nonzero_scalar(bytes: &[u8; SCALAR_LEN]) -> Result<Scalar, OprfError> {
    let s = decode_scalar(bytes)?;
    if s == Scalar::ZERO {
        return Err(OprfError::ZeroScalar);
    }
    Ok(s)
}

/// The inverse of two modulo the group order, for the double-and-compress trick: a point
/// `P` needed only in serialized form is computed as `(s/2)·Q` and serialized with
/// [`RistrettoPoint::double_and_compress_batch`], which is far cheaper than compressing
/// `s·Q` point by point.
pub(crate) fn half(s: &Scalar) -> Scalar {
    s * *INV_TWO
}

/// `2^-1 mod l`, computed once (an inversion costs about as much as half a scalar
/// multiplication, far too much to repeat per element).
static INV_TWO: LazyLock<Scalar> = LazyLock::new(|| Scalar::from(2u8).invert());

/// Elements per parallel task for a batch of `n`: enough tasks to keep every thread busy
/// (four per thread), but at least 64 elements so that the per-chunk batched compression
/// and inversion stay amortized, and at most 1,024 to bound per-task memory. Public so
/// that the scale harness times its primitive bound at the batch size the core uses.
pub fn par_chunk_len(n: usize) -> usize {
    (n / (4 * rayon::current_num_threads().max(1))).clamp(64, 1024)
}

/// Serializes `2·P` for every `P`, in order (see [`half`]).
pub(crate) fn double_and_encode(points: &[RistrettoPoint]) -> Vec<ElementBytes> {
    RistrettoPoint::double_and_compress_batch(points)
        .into_iter()
        .map(|c| c.to_bytes())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;

    #[test]
    fn rejects_identity_and_non_canonical() {
        assert_eq!(
            decode_element(&[0u8; 32], 3),
            Err(OprfError::IdentityElement { index: 3 })
        );
        // 2^255 - 1 is not a canonical field element.
        assert_eq!(
            decode_element(&[0xff; 32], 0),
            Err(OprfError::NonCanonicalElement { index: 0 })
        );
        // A negative field element (low bit set) is not canonical in ristretto255.
        let mut neg = [0u8; 32];
        neg[0] = 1;
        assert_eq!(
            decode_element(&neg, 0),
            Err(OprfError::NonCanonicalElement { index: 0 })
        );
        assert!(decode_element(&G.compress().to_bytes(), 0).is_ok());
    }

    #[test]
    fn scalars_must_be_reduced_and_keys_nonzero() {
        assert_eq!(
            decode_scalar(&[0xff; 32]),
            Err(OprfError::NonCanonicalScalar)
        );
        assert_eq!(decode_nonzero_scalar(&[0; 32]), Err(OprfError::ZeroScalar));
        let mut one = [0u8; 32];
        one[0] = 1;
        assert_eq!(decode_nonzero_scalar(&one), Ok(Scalar::ONE));
    }

    #[test]
    fn half_then_double_is_the_plain_product() {
        let s = Scalar::from(123_456_789u64);
        let q = G * Scalar::from(7u8);
        let encoded = double_and_encode(&[q * half(&s)]);
        assert_eq!(encoded[0], (q * s).compress().to_bytes());
    }
}
