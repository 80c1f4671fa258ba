//! The long-term Noise static key of a party (X25519).

use std::fmt;

use curve25519_dalek::montgomery::MontgomeryPoint;
use thiserror::Error;
use zeroize::{Zeroize, Zeroizing};

use super::noise::noise_params;

/// Length of a Noise static key, secret or public.
pub const STATIC_KEY_LEN: usize = 32;

/// Why a static key could not be made.
#[derive(Debug, Error)]
pub enum KeyError {
    /// Key bytes of the wrong length.
    #[error("a Noise static key is {STATIC_KEY_LEN} bytes, got {0}")]
    Length(usize),
    /// The Noise library could not generate a key (no randomness available).
    #[error("could not generate a Noise static key: {0}")]
    Generate(#[source] snow::Error),
}

/// A party's X25519 static key pair for the Noise channel.
///
/// The secret is zeroized on drop and never printed; the public key is what the other
/// party pins. Persist it with [`NoiseStaticKey::to_secret_bytes`] (the binaries write the
/// file with mode 0600) and load it with [`NoiseStaticKey::from_secret_bytes`].
pub struct NoiseStaticKey {
    secret: [u8; STATIC_KEY_LEN],
    public: [u8; STATIC_KEY_LEN],
}

impl NoiseStaticKey {
    /// Generates a fresh key pair with the Noise library's key generator (OS randomness).
    pub fn generate() -> Result<Self, KeyError> {
        let mut keypair = noise_params()
            .and_then(|params| snow::Builder::new(params).generate_keypair())
            .map_err(KeyError::Generate)?;
        let key = Self::from_secret_bytes(&keypair.private);
        keypair.private.zeroize();
        key
    }

    /// Loads a key from its 32 secret bytes; the public key is derived (X25519 base point
    /// multiplication with the usual clamping).
    pub fn from_secret_bytes(secret: &[u8]) -> Result<Self, KeyError> {
        let secret: [u8; STATIC_KEY_LEN] = secret
            .try_into()
            .map_err(|_| KeyError::Length(secret.len()))?;
        let public = MontgomeryPoint::mul_base_clamped(secret).to_bytes();
        Ok(Self { secret, public })
    }

    /// The 32 secret bytes, for writing a key file.
    pub fn to_secret_bytes(&self) -> Zeroizing<[u8; STATIC_KEY_LEN]> {
        Zeroizing::new(self.secret)
    }

    /// The public key the other party pins.
    pub fn public_key(&self) -> [u8; STATIC_KEY_LEN] {
        self.public
    }

    /// The secret, for the handshake builder only.
    pub(crate) fn secret(&self) -> &[u8; STATIC_KEY_LEN] {
        &self.secret
    }
}

impl Drop for NoiseStaticKey {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl fmt::Debug for NoiseStaticKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NoiseStaticKey")
            .field("public", &Hex(&self.public))
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// Lowercase hex display of bytes.
struct Hex<'a>(&'a [u8]);

impl fmt::Debug for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_public_key_matches_derived_one() {
        let key = NoiseStaticKey::generate().unwrap();
        let reloaded = NoiseStaticKey::from_secret_bytes(key.to_secret_bytes().as_ref()).unwrap();
        assert_eq!(key.public_key(), reloaded.public_key());
        // And it matches the public key the Noise library itself derives.
        let mut keypair = snow::Builder::new(noise_params().unwrap())
            .generate_keypair()
            .unwrap();
        let from_snow = NoiseStaticKey::from_secret_bytes(&keypair.private).unwrap();
        assert_eq!(from_snow.public_key().as_slice(), keypair.public.as_slice());
        keypair.private.zeroize();
    }

    #[test]
    fn debug_prints_no_secret() {
        let key = NoiseStaticKey::from_secret_bytes(&[0xab; 32]).unwrap();
        let printed = format!("{key:?}");
        assert!(!printed.contains(&"ab".repeat(32)), "{printed}");
        assert!(printed.contains("redacted"));
    }

    #[test]
    fn wrong_length_is_rejected() {
        assert!(matches!(
            NoiseStaticKey::from_secret_bytes(&[1; 31]),
            Err(KeyError::Length(31))
        ));
    }
}
