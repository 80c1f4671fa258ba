//! A party's long-term identity key (Ed25519): what the holder signs its published
//! statement with, and what a requester pins, as it pins the holder's Noise key.
//!
//! Every signature is over a domain-separated message (the caller passes the full
//! message, starting with its own tag), checked with `verify_strict`; public keys of
//! small order are refused when parsed. Key files are `blindlink_store::key_file`'s.

use core::fmt;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use zeroize::Zeroizing;

/// Length of an identity signature.
pub const SIGNATURE_LEN: usize = 64;

/// Why an identity key or signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdentityError {
    /// Not 64 hex digits.
    #[error("an identity public key is 64 hex digits")]
    BadHex,
    /// Not a valid Ed25519 point.
    #[error("not a valid Ed25519 public key")]
    InvalidKey,
    /// A point of small order (every signature would verify under it).
    #[error("a small-order Ed25519 public key is refused")]
    WeakKey,
}

/// A party's Ed25519 identity public key.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdentityPublicKey([u8; 32]);

impl IdentityPublicKey {
    /// Parses a compressed Edwards point, refusing invalid and small-order keys.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, IdentityError> {
        let key = VerifyingKey::from_bytes(bytes).map_err(|_| IdentityError::InvalidKey)?;
        if key.is_weak() {
            return Err(IdentityError::WeakKey);
        }
        Ok(Self(*bytes))
    }

    /// Parses 64 hex digits (either case).
    pub fn from_hex(text: &str) -> Result<Self, IdentityError> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut bytes).map_err(|_| IdentityError::BadHex)?;
        Self::from_bytes(&bytes)
    }

    /// The 32-byte encoding.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    /// Lowercase hex.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Whether `signature` is a valid strict Ed25519 signature of `message` by this key.
    pub fn verifies(&self, message: &[u8], signature: &[u8; SIGNATURE_LEN]) -> bool {
        let signature = Signature::from_bytes(signature);
        VerifyingKey::from_bytes(&self.0)
            .is_ok_and(|key| key.verify_strict(message, &signature).is_ok())
    }
}

impl TryFrom<String> for IdentityPublicKey {
    type Error = IdentityError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::from_hex(&text)
    }
}

impl From<IdentityPublicKey> for String {
    fn from(key: IdentityPublicKey) -> Self {
        key.to_hex()
    }
}

impl fmt::Display for IdentityPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for IdentityPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdentityPublicKey({})", self.to_hex())
    }
}

/// A party's Ed25519 identity signing key. The secret is zeroized on drop and never
/// shown by `Debug`; there is deliberately no `Clone`.
pub struct IdentityKey(SigningKey);

impl IdentityKey {
    /// Generates a key from a cryptographically secure RNG.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self(SigningKey::generate(rng))
    }

    /// The key with this 32-byte secret seed.
    pub fn from_secret_bytes(secret: &[u8; 32]) -> Self {
        Self(SigningKey::from_bytes(secret))
    }

    /// The 32-byte secret seed, in a buffer that zeroizes itself.
    pub fn to_secret_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The matching public key (never of small order: it comes from a clamped scalar).
    pub fn public_key(&self) -> IdentityPublicKey {
        IdentityPublicKey(self.0.verifying_key().to_bytes())
    }

    /// Signs `message` (which starts with the caller's domain tag).
    pub fn sign(&self, message: &[u8]) -> [u8; SIGNATURE_LEN] {
        self.0.sign(message).to_bytes()
    }
}

impl fmt::Debug for IdentityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityKey")
            .field("public_key", &self.public_key().to_hex())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn signatures_verify_only_for_their_key_and_message() {
        let key = IdentityKey::generate(&mut StdRng::seed_from_u64(1));
        let other = IdentityKey::generate(&mut StdRng::seed_from_u64(2));
        let signature = key.sign(b"tag\0message");
        assert!(key.public_key().verifies(b"tag\0message", &signature));
        assert!(!key.public_key().verifies(b"tag\0messagf", &signature));
        assert!(!other.public_key().verifies(b"tag\0message", &signature));
        let back = IdentityKey::from_secret_bytes(&key.to_secret_bytes());
        assert_eq!(back.public_key(), key.public_key());
        assert!(!format!("{key:?}").contains(&hex::encode(*key.to_secret_bytes())));
    }

    #[test]
    fn weak_and_malformed_keys_are_refused() {
        // The identity point has small order.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(
            IdentityPublicKey::from_bytes(&identity),
            Err(IdentityError::WeakKey)
        );
        assert_eq!(
            IdentityPublicKey::from_hex("zz"),
            Err(IdentityError::BadHex)
        );
        let key = IdentityKey::generate(&mut StdRng::seed_from_u64(3)).public_key();
        assert_eq!(IdentityPublicKey::from_hex(&key.to_hex()), Ok(key));
    }
}
