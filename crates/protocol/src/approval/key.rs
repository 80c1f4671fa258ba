//! Approver signing keys and the key file encodings.
//!
//! Key files are one line of ASCII; the binaries write them to disk (secret keys with
//! mode 0600), this module only produces and parses the bytes:
//!
//! ```text
//! blindlink-approver-secret-key-v1 <64 hex digits: the 32-byte Ed25519 secret seed>\n
//! blindlink-approver-public-key-v1 <64 hex digits: the 32-byte Ed25519 public key>\n
//! ```
//!
//! Parsing accepts the line with or without its final `\n` (or `\r\n`) and nothing else.

use core::fmt;

use ed25519_dalek::{Signer, SigningKey};
use rand_core::CryptoRng;
use thiserror::Error;
use zeroize::Zeroizing;

use super::{Approval, ApprovalError, ApproverPublicKey, Role, approval_message};
use crate::manifest::Manifest;

/// First word of a secret key file.
pub const SECRET_KEY_LABEL: &str = "blindlink-approver-secret-key-v1";
/// First word of a public key file.
pub const PUBLIC_KEY_LABEL: &str = "blindlink-approver-public-key-v1";
/// Longest key file accepted.
const MAX_KEY_FILE_BYTES: usize = 256;

/// A key file could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeyFileError {
    /// Larger than any key file.
    #[error("key file is {len} bytes, too large for a key file")]
    TooLarge {
        /// Size given.
        len: usize,
    },
    /// Not the expected kind of key file.
    #[error("not a {expected} file")]
    WrongLabel {
        /// Label expected at the start of the file.
        expected: &'static str,
    },
    /// The key is not 64 hex digits.
    #[error("the key must be exactly 64 hex digits after the label")]
    BadHex,
    /// The public key is invalid or weak.
    #[error(transparent)]
    PublicKey(#[from] ApprovalError),
}

/// Returns the hex payload of a one-line key file with the given label.
fn key_file_payload<'a>(bytes: &'a [u8], label: &'static str) -> Result<&'a str, KeyFileError> {
    if bytes.len() > MAX_KEY_FILE_BYTES {
        return Err(KeyFileError::TooLarge { len: bytes.len() });
    }
    let wrong_label = KeyFileError::WrongLabel { expected: label };
    let text = core::str::from_utf8(bytes).map_err(|_| wrong_label.clone())?;
    let line = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    let payload = line
        .strip_prefix(label)
        .and_then(|rest| rest.strip_prefix(' '))
        .ok_or(wrong_label)?;
    if payload.len() != 64 {
        return Err(KeyFileError::BadHex);
    }
    Ok(payload)
}

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

    /// The secret key file bytes (see the module doc); zeroized when dropped.
    pub fn to_key_file(&self) -> Zeroizing<Vec<u8>> {
        let secret = Zeroizing::new(self.0.to_bytes());
        let mut digits = Zeroizing::new([0u8; 64]);
        // 32 bytes always fit 64 hex digits, so this cannot fail.
        let _ = hex::encode_to_slice(secret.as_slice(), digits.as_mut_slice());
        let mut out = Zeroizing::new(Vec::with_capacity(SECRET_KEY_LABEL.len() + 66));
        out.extend_from_slice(SECRET_KEY_LABEL.as_bytes());
        out.push(b' ');
        out.extend_from_slice(digits.as_slice());
        out.push(b'\n');
        out
    }

    /// Parses secret key file bytes.
    pub fn from_key_file(bytes: &[u8]) -> Result<Self, KeyFileError> {
        let payload = key_file_payload(bytes, SECRET_KEY_LABEL)?;
        let mut secret = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(payload, secret.as_mut_slice()).map_err(|_| KeyFileError::BadHex)?;
        Ok(Self(SigningKey::from_bytes(&secret)))
    }
}

impl fmt::Debug for ApproverSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApproverSigningKey")
            .field("public_key", &self.public_key().to_hex())
            .finish_non_exhaustive()
    }
}

impl ApproverPublicKey {
    /// The public key file bytes (see the module doc).
    pub fn to_key_file(&self) -> Vec<u8> {
        format!("{PUBLIC_KEY_LABEL} {}\n", self.to_hex()).into_bytes()
    }

    /// Parses public key file bytes, refusing invalid and small-order keys.
    pub fn from_key_file(bytes: &[u8]) -> Result<Self, KeyFileError> {
        let payload = key_file_payload(bytes, PUBLIC_KEY_LABEL)?;
        let mut key = [0u8; 32];
        hex::decode_to_slice(payload, &mut key).map_err(|_| KeyFileError::BadHex)?;
        Ok(Self::from_bytes(&key)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn key_files_round_trip() {
        let mut rng = StdRng::seed_from_u64(1);
        let key = ApproverSigningKey::generate(&mut rng);
        let file = key.to_key_file();
        assert!(file.starts_with(b"blindlink-approver-secret-key-v1 "));
        assert_eq!(file.len(), 32 + 1 + 64 + 1);
        let back = ApproverSigningKey::from_key_file(&file).unwrap();
        assert_eq!(back.public_key(), key.public_key());
        let crlf = [&file[..file.len() - 1], b"\r\n"].concat();
        assert!(ApproverSigningKey::from_key_file(&crlf).is_ok());

        let public = key.public_key().to_key_file();
        assert_eq!(
            ApproverPublicKey::from_key_file(&public).unwrap(),
            key.public_key()
        );
        assert!(matches!(
            ApproverSigningKey::from_key_file(&public),
            Err(KeyFileError::WrongLabel { .. })
        ));
        assert!(matches!(
            ApproverPublicKey::from_key_file(&file),
            Err(KeyFileError::WrongLabel { .. })
        ));
    }

    #[test]
    fn key_files_reject_junk() {
        let good = ApproverSigningKey::generate(&mut StdRng::seed_from_u64(2)).to_key_file();
        let mut bad_digit = good.to_vec();
        bad_digit[40] = b'g';
        assert_eq!(
            ApproverSigningKey::from_key_file(&bad_digit).unwrap_err(),
            KeyFileError::BadHex
        );
        let doubled = [&good[..], &good[..]].concat();
        assert!(ApproverSigningKey::from_key_file(&doubled).is_err());
        assert!(ApproverSigningKey::from_key_file(&vec![b'a'; 300]).is_err());
        let small_order = format!("{PUBLIC_KEY_LABEL} {}\n", hex::encode([0u8; 32]));
        assert!(matches!(
            ApproverPublicKey::from_key_file(small_order.as_bytes()),
            Err(KeyFileError::PublicKey(_))
        ));
    }

    #[test]
    fn debug_shows_no_secret() {
        let key = ApproverSigningKey::generate(&mut StdRng::seed_from_u64(3));
        let file = key.to_key_file();
        let secret_hex = core::str::from_utf8(&file[33..97]).unwrap().to_owned();
        let shown = format!("{key:?}");
        assert!(!shown.contains(&secret_hex));
        assert!(shown.contains(&key.public_key().to_hex()));
    }
}
