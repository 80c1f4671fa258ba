//! The holder's OPRF key pair: RFC 9497 `DeriveKeyPair`, random generation, and strict
//! (de)serialization.

use super::OprfError;
use super::codec::{ElementBytes, decode_element, decode_nonzero_scalar, half};
use super::suite::{Mode, Suite};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use rand_core::CryptoRng;
use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// The server's secret scalar `skS`. Zeroized on drop; `Debug` prints nothing secret; not
/// `Clone`.
///
/// It also keeps `skS / 2` for the double-and-compress evaluation path.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct SecretKey {
    k: Scalar,
    half_k: Scalar,
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl SecretKey {
    fn from_scalar(k: Scalar) -> SecretKey {
        SecretKey {
            half_k: half(&k),
            k,
        }
    }

    /// RFC 9497 `DeserializeScalar` for a key: canonical and non-zero.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<SecretKey, OprfError> {
        decode_nonzero_scalar(bytes).map(SecretKey::from_scalar)
    }

    /// The serialized key, in a buffer that zeroizes itself. Write it only to files with
    /// mode 0600.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.k.to_bytes())
    }

    /// A fresh uniformly random non-zero key (RFC 9497 `GenerateKeyPair`).
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> SecretKey {
        loop {
            let k = Scalar::random(rng);
            if k != Scalar::ZERO {
                return SecretKey::from_scalar(k);
            }
        }
    }

    /// RFC 9497 `DeriveKeyPair(seed, info)` for the given mode's context string.
    pub fn derive(mode: Mode, seed: &[u8; 32], info: &[u8]) -> Result<SecretKey, OprfError> {
        let info_len =
            u16::try_from(info.len()).map_err(|_| OprfError::InfoTooLong { len: info.len() })?;
        let suite = Suite::get(mode);
        let info_len = info_len.to_be_bytes();
        for counter in 0u8..=255 {
            let k = suite.hash_to_scalar_derive(&[seed, &info_len, info, &[counter]]);
            if k != Scalar::ZERO {
                return Ok(SecretKey::from_scalar(k));
            }
        }
        Err(OprfError::DeriveKeyPair)
    }

    /// The public key `pkS = skS·G`.
    pub fn public_key(&self) -> PublicKey {
        let point = RistrettoPoint::mul_base(&self.k);
        PublicKey {
            bytes: point.compress().to_bytes(),
            point,
        }
    }

    pub(crate) fn scalar(&self) -> &Scalar {
        &self.k
    }

    pub(crate) fn half_scalar(&self) -> &Scalar {
        &self.half_k
    }
}

/// The server's public key `pkS`, which a requester pins per key epoch and against which
/// VOPRF proofs are verified.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey {
    point: RistrettoPoint,
    bytes: ElementBytes,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey(")?;
        for b in &self.bytes {
            write!(f, "{b:02x}")?;
        }
        write!(f, ")")
    }
}

impl PublicKey {
    /// Strict decoding: canonical, non-identity.
    pub fn from_bytes(bytes: &ElementBytes) -> Result<PublicKey, OprfError> {
        Ok(PublicKey {
            point: decode_element(bytes, 0)?,
            bytes: *bytes,
        })
    }

    /// The serialized public key.
    pub fn to_bytes(&self) -> ElementBytes {
        self.bytes
    }

    pub(crate) fn point(&self) -> &RistrettoPoint {
        &self.point
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_prints_no_secret() {
        let sk = SecretKey::from_bytes(&[7u8; 32]).unwrap();
        let shown = format!("{sk:?}");
        assert!(!shown.contains("07"), "{shown}");
        assert_eq!(shown, "SecretKey(<redacted>)");
    }

    #[test]
    fn key_round_trips_and_rejects_zero() {
        let sk = SecretKey::derive(Mode::Voprf, &[1u8; 32], b"epoch-1").unwrap();
        let again = SecretKey::from_bytes(&sk.to_bytes()).unwrap();
        assert_eq!(again.public_key(), sk.public_key());
        assert_eq!(
            SecretKey::from_bytes(&[0u8; 32]).err(),
            Some(OprfError::ZeroScalar)
        );
        let pk = sk.public_key();
        assert_eq!(PublicKey::from_bytes(&pk.to_bytes()).unwrap(), pk);
    }

    #[test]
    fn derive_depends_on_mode_seed_and_info() {
        let a = SecretKey::derive(Mode::Oprf, &[1u8; 32], b"x")
            .unwrap()
            .public_key();
        let b = SecretKey::derive(Mode::Voprf, &[1u8; 32], b"x")
            .unwrap()
            .public_key();
        let c = SecretKey::derive(Mode::Oprf, &[2u8; 32], b"x")
            .unwrap()
            .public_key();
        let d = SecretKey::derive(Mode::Oprf, &[1u8; 32], b"y")
            .unwrap()
            .public_key();
        assert!(a != b && a != c && a != d);
        assert_eq!(
            SecretKey::derive(Mode::Oprf, &[1u8; 32], &vec![0u8; 70_000]).err(),
            Some(OprfError::InfoTooLong { len: 70_000 })
        );
    }
}
