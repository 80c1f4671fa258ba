//! Approver signing keys. Their key files (`blindlink-approver-secret-key-v1 <64 hex>`,
//! and the public one) are read and written by `blindlink_store::key_file`; this module
//! only converts the keys to and from their 32 bytes.

use core::fmt;

use ed25519_dalek::{Signer, SigningKey};
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use super::{Approval, ApproverPublicKey, Role, approval_message};
use crate::manifest::Manifest;

/// An approver's Ed25519 signing key. The secret is zeroized on drop (the inner
/// ed25519-dalek key is `ZeroizeOnDrop`) and never shown by `Debug`, which prints the
/// public key only; there is deliberately no `Clone`.
pub struct ApproverSigningKey(SigningKey);

impl ApproverSigningKey {
    /// Generates a key from a cryptographically secure RNG.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self(SigningKey::generate(rng))
    }

    /// The matching public key.
    pub fn public_key(&self) -> ApproverPublicKey {
        // Keys derived from a clamped secret scalar never have small order.
        ApproverPublicKey(self.0.verifying_key().to_bytes())
    }

    /// Signs `manifest` under `role` (see [`approval_message`]).
    pub fn approve(&self, role: &Role, manifest: &Manifest) -> Approval {
        let signature = self.0.sign(&approval_message(role, manifest));
        Approval {
            role: role.clone(),
            public_key: self.public_key(),
            signature,
        }
    }

    /// The 32-byte Ed25519 secret seed, in a buffer that zeroizes itself.
    pub fn to_secret_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The key with this 32-byte Ed25519 secret seed (every seed is a valid key).
    pub fn from_secret_bytes(secret: &[u8; 32]) -> Self {
        Self(SigningKey::from_bytes(secret))
    }
}

impl fmt::Debug for ApproverSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApproverSigningKey")
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
    fn secret_bytes_round_trip() {
        let key = ApproverSigningKey::generate(&mut StdRng::seed_from_u64(1));
        let back = ApproverSigningKey::from_secret_bytes(&key.to_secret_bytes());
        assert_eq!(back.public_key(), key.public_key());
    }

    #[test]
    fn debug_shows_no_secret() {
        let key = ApproverSigningKey::generate(&mut StdRng::seed_from_u64(3));
        let secret_hex = hex::encode(*key.to_secret_bytes());
        let shown = format!("{key:?}");
        assert!(!shown.contains(&secret_hex));
        assert!(shown.contains(&key.public_key().to_hex()));
    }
}
