//! Noise static key files.
//!
//! ```text
//! noise.key  (mode 0600)  blindlink-noise-secret-key-v1 <64 hex digits>\n
//! noise.pub               blindlink-noise-public-key-v1 <64 hex digits>\n
//! ```

use std::path::Path;

use anyhow::{Context, bail};
use blindlink_protocol::wire::NoiseStaticKey;
use zeroize::Zeroizing;

/// First word of a secret key file.
pub const SECRET_LABEL: &str = "blindlink-noise-secret-key-v1";
/// First word of a public key file.
pub const PUBLIC_LABEL: &str = "blindlink-noise-public-key-v1";

/// The secret key file bytes; zeroized on drop.
pub fn secret_file(key: &NoiseStaticKey) -> Zeroizing<Vec<u8>> {
    let secret = key.to_secret_bytes();
    let mut digits = Zeroizing::new([0u8; 64]);
    // 32 bytes always fit 64 hex digits.
    let _ = hex::encode_to_slice(secret.as_slice(), digits.as_mut_slice());
    let mut out = Zeroizing::new(Vec::with_capacity(SECRET_LABEL.len() + 66));
    out.extend_from_slice(SECRET_LABEL.as_bytes());
    out.push(b' ');
    out.extend_from_slice(digits.as_slice());
    out.push(b'\n');
    out
}

/// The public key file bytes.
pub fn public_file(public: &[u8; 32]) -> Vec<u8> {
    format!("{PUBLIC_LABEL} {}\n", hex::encode(public)).into_bytes()
}

/// The 32 bytes after `label` in a one-line key file.
fn payload(bytes: &[u8], label: &str) -> anyhow::Result<Zeroizing<[u8; 32]>> {
    if bytes.len() > 256 {
        bail!("too large for a key file");
    }
    let text = std::str::from_utf8(bytes).ok();
    let digits = text
        .map(|t| t.strip_suffix('\n').unwrap_or(t))
        .map(|t| t.strip_suffix('\r').unwrap_or(t))
        .and_then(|t| t.strip_prefix(label))
        .and_then(|t| t.strip_prefix(' '));
    let Some(digits) = digits else {
        bail!("not a {label} file");
    };
    let mut out = Zeroizing::new([0u8; 32]);
    hex::decode_to_slice(digits, out.as_mut_slice())
        .map_err(|_| anyhow::anyhow!("the key must be 64 hex digits after {label}"))?;
    Ok(out)
}

/// Parses a secret key file.
pub fn parse_secret(bytes: &[u8]) -> anyhow::Result<NoiseStaticKey> {
    let secret = payload(bytes, SECRET_LABEL)?;
    Ok(NoiseStaticKey::from_secret_bytes(secret.as_slice())?)
}

/// Parses a public key file.
pub fn parse_public(bytes: &[u8]) -> anyhow::Result<[u8; 32]> {
    Ok(*payload(bytes, PUBLIC_LABEL)?)
}

/// Loads the secret key file at `path`, refusing modes wider than 0600.
pub fn load_secret(path: &Path) -> anyhow::Result<NoiseStaticKey> {
    let bytes = blindlink_store::read_secret(path)?;
    parse_secret(&bytes).with_context(|| format!("{}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_round_trip() {
        let key = NoiseStaticKey::from_secret_bytes(&[9; 32]).unwrap();
        let file = secret_file(&key);
        assert!(file.starts_with(b"blindlink-noise-secret-key-v1 "));
        let back = parse_secret(&file).unwrap();
        assert_eq!(back.public_key(), key.public_key());
        let public = public_file(&key.public_key());
        assert_eq!(parse_public(&public).unwrap(), key.public_key());
        assert!(parse_secret(&public).is_err());
        assert!(parse_public(&file).is_err());
        assert!(parse_public(b"blindlink-noise-public-key-v1 abcd\n").is_err());
    }
}
