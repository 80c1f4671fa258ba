//! The SHA-512 digest over the blinded elements of a request, in order.
//!
//! ```text
//! BlindedElementsDigest = SHA-512( "blindlink/v1/blinded-elements\0"   (30 bytes)
//!                                  || u64_be(n)                          (8 bytes)
//!                                  || e_1 || e_2 || ... || e_n )         (32 bytes each)
//! ```
//!
//! where `e_i` is the 32-byte compressed ristretto255 encoding of the i-th blinded
//! element exactly as sent on the wire (this module does not decode it). The count comes
//! first, so the builder is told `n` up front and refuses to absorb more or to finish
//! with fewer; elements may arrive in chunks of any size.

use sha2::{Digest, Sha512};
use thiserror::Error;

use super::hex::hex_newtype;

/// Domain tag that starts the hashed input.
pub const BLINDED_DIGEST_TAG: &[u8] = b"blindlink/v1/blinded-elements\0";
/// Size of one blinded element encoding.
pub const BLINDED_ELEMENT_LEN: usize = 32;

hex_newtype!(
    /// The SHA-512 digest over a request's blinded elements (see the module doc).
    BlindedElementsDigest,
    64,
    "blinded_digest"
);

/// The element stream disagrees with the count the digest was started with.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DigestError {
    /// More elements were offered than announced.
    #[error("more blinded elements than the {expected} announced")]
    TooManyElements {
        /// The announced count.
        expected: u64,
    },
    /// The digest was finished before all announced elements arrived.
    #[error("only {absorbed} of {expected} announced blinded elements were received")]
    TooFewElements {
        /// The announced count.
        expected: u64,
        /// Elements absorbed so far.
        absorbed: u64,
    },
    /// A byte chunk was not a whole number of 32-byte elements.
    #[error("a chunk of {len} bytes is not a whole number of 32-byte elements")]
    PartialElement {
        /// Length of the offending chunk.
        len: usize,
    },
}

/// Incremental builder of a [`BlindedElementsDigest`].
///
/// ```
/// # use blindlink_protocol::manifest::BlindedDigest;
/// let elements = [[1u8; 32], [2u8; 32], [3u8; 32]];
/// let mut digest = BlindedDigest::new(3);
/// digest.extend(&elements[..2])?;
/// digest.push(&elements[2])?;
/// assert_eq!(digest.finalize()?, BlindedDigest::digest_all(&elements));
/// # Ok::<(), blindlink_protocol::manifest::DigestError>(())
/// ```
#[derive(Clone, Debug)]
pub struct BlindedDigest {
    hasher: Sha512,
    expected: u64,
    absorbed: u64,
}

impl BlindedDigest {
    /// Starts a digest over exactly `expected` elements.
    pub fn new(expected: u64) -> Self {
        let mut hasher = Sha512::new();
        hasher.update(BLINDED_DIGEST_TAG);
        hasher.update(expected.to_be_bytes());
        Self {
            hasher,
            expected,
            absorbed: 0,
        }
    }

    /// The digest of a complete, in-memory element list.
    pub fn digest_all(elements: &[[u8; BLINDED_ELEMENT_LEN]]) -> BlindedElementsDigest {
        let mut hasher = Sha512::new();
        hasher.update(BLINDED_DIGEST_TAG);
        hasher.update((elements.len() as u64).to_be_bytes());
        for element in elements {
            hasher.update(element);
        }
        BlindedElementsDigest::from_bytes(hasher.finalize().into())
    }

    /// Number of elements absorbed so far.
    pub fn absorbed(&self) -> u64 {
        self.absorbed
    }

    /// Number of elements announced.
    pub fn expected(&self) -> u64 {
        self.expected
    }

    /// Absorbs one element.
    pub fn push(&mut self, element: &[u8; BLINDED_ELEMENT_LEN]) -> Result<(), DigestError> {
        self.extend(core::slice::from_ref(element))
    }

    /// Absorbs a chunk of elements; on error nothing of the chunk is absorbed.
    pub fn extend(&mut self, chunk: &[[u8; BLINDED_ELEMENT_LEN]]) -> Result<(), DigestError> {
        let total = self.absorbed.checked_add(chunk.len() as u64);
        match total {
            Some(total) if total <= self.expected => {
                for element in chunk {
                    self.hasher.update(element);
                }
                self.absorbed = total;
                Ok(())
            }
            _ => Err(DigestError::TooManyElements {
                expected: self.expected,
            }),
        }
    }

    /// Absorbs concatenated 32-byte encodings; on error nothing is absorbed.
    pub fn extend_from_bytes(&mut self, bytes: &[u8]) -> Result<(), DigestError> {
        if !bytes.len().is_multiple_of(BLINDED_ELEMENT_LEN) {
            return Err(DigestError::PartialElement { len: bytes.len() });
        }
        let count = (bytes.len() / BLINDED_ELEMENT_LEN) as u64;
        match self.absorbed.checked_add(count) {
            Some(total) if total <= self.expected => {
                self.hasher.update(bytes);
                self.absorbed = total;
                Ok(())
            }
            _ => Err(DigestError::TooManyElements {
                expected: self.expected,
            }),
        }
    }

    /// Finishes the digest; fails unless exactly the announced number was absorbed.
    pub fn finalize(self) -> Result<BlindedElementsDigest, DigestError> {
        if self.absorbed != self.expected {
            return Err(DigestError::TooFewElements {
                expected: self.expected,
                absorbed: self.absorbed,
            });
        }
        Ok(BlindedElementsDigest::from_bytes(
            self.hasher.finalize().into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(n: u8) -> Vec<[u8; 32]> {
        (0..n).map(|i| [i; 32]).collect()
    }

    #[test]
    fn definition_matches_a_direct_hash() {
        let els = elements(3);
        let mut input = b"blindlink/v1/blinded-elements\0".to_vec();
        input.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 3]);
        for e in &els {
            input.extend_from_slice(e);
        }
        let direct: [u8; 64] = Sha512::digest(&input).into();
        assert_eq!(BlindedDigest::digest_all(&els).as_bytes(), &direct);
    }

    #[test]
    fn chunked_bytes_equal_whole() {
        let els = elements(10);
        let flat: Vec<u8> = els.iter().flatten().copied().collect();
        let mut d = BlindedDigest::new(10);
        d.extend_from_bytes(&flat[..96]).unwrap();
        d.extend_from_bytes(&[]).unwrap();
        d.extend_from_bytes(&flat[96..]).unwrap();
        assert_eq!(d.finalize().unwrap(), BlindedDigest::digest_all(&els));
    }

    #[test]
    fn count_is_enforced() {
        let els = elements(3);
        let mut d = BlindedDigest::new(2);
        assert_eq!(
            d.extend(&els),
            Err(DigestError::TooManyElements { expected: 2 })
        );
        assert_eq!(d.absorbed(), 0);
        d.push(&els[0]).unwrap();
        assert_eq!(
            d.clone().finalize(),
            Err(DigestError::TooFewElements {
                expected: 2,
                absorbed: 1
            })
        );
        assert_eq!(
            d.extend_from_bytes(&[0u8; 33]),
            Err(DigestError::PartialElement { len: 33 })
        );
        d.push(&els[1]).unwrap();
        assert_eq!(d.finalize().unwrap(), BlindedDigest::digest_all(&els[..2]));
    }

    #[test]
    fn order_matters() {
        let els = elements(2);
        let swapped = [els[1], els[0]];
        assert_ne!(
            BlindedDigest::digest_all(&els),
            BlindedDigest::digest_all(&swapped)
        );
    }
}
