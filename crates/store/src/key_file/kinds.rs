//! The kinds of key file: each ties a label to a key type and says whether the file is
//! a secret (0600, refused on load when wider) or public (0644).

use std::io::Read;
use std::path::Path;

use blindlink_core::oprf::SecretKey;
use blindlink_protocol::approval::{ApproverPublicKey, ApproverSigningKey};
use blindlink_protocol::identity::{IdentityKey, IdentityPublicKey};
use blindlink_protocol::wire::NoiseStaticKey;
use zeroize::Zeroizing;

use super::{
    APPROVER_PUBLIC_LABEL, APPROVER_SECRET_LABEL, IDENTITY_PUBLIC_LABEL, IDENTITY_SECRET_LABEL,
    KEY_LEN, KeyFileError, MAX_KEY_FILE_BYTES, NOISE_PUBLIC_LABEL, NOISE_SECRET_LABEL,
    OPRF_SECRET_LABEL, encode_key_line, parse_key_line,
};
use crate::{io_err, read_secret, write_atomic, write_secret};

/// A kind of key file.
pub trait KeyKind {
    /// The file's first word, naming the kind and format version.
    const LABEL: &'static str;
    /// Secret files are written 0600 and refused on load when group or others have any
    /// access; public ones are written 0644.
    const SECRET: bool;
    /// The key the file holds.
    type Key;
    /// The key from its 32 bytes, `None` if they are not a valid key of this kind.
    fn from_key_bytes(bytes: &[u8; KEY_LEN]) -> Option<Self::Key>;
    /// The key's 32 bytes, in a buffer that zeroizes itself.
    fn to_key_bytes(key: &Self::Key) -> Zeroizing<[u8; KEY_LEN]>;
}

/// `noise.key`: a Noise static secret key (both parties).
#[derive(Debug, Clone, Copy)]
pub struct NoiseSecret;
/// `noise.pub`: a Noise static public key (both parties; `irs serve --allow-requester`).
#[derive(Debug, Clone, Copy)]
pub struct NoisePublic;
/// `epochs/<epoch>/oprf.key`: the holder's OPRF secret key of one epoch.
#[derive(Debug, Clone, Copy)]
pub struct OprfSecret;
/// `<role>.key`: an approver's Ed25519 signing key (its 32-byte seed).
#[derive(Debug, Clone, Copy)]
pub struct ApproverSecret;
/// `<role>.pub`: an approver's Ed25519 public key (small-order keys are refused).
#[derive(Debug, Clone, Copy)]
pub struct ApproverPublic;

impl KeyKind for NoiseSecret {
    const LABEL: &'static str = NOISE_SECRET_LABEL;
    const SECRET: bool = true;
    type Key = NoiseStaticKey;
    fn from_key_bytes(bytes: &[u8; KEY_LEN]) -> Option<NoiseStaticKey> {
        NoiseStaticKey::from_secret_bytes(bytes).ok()
    }
    fn to_key_bytes(key: &NoiseStaticKey) -> Zeroizing<[u8; KEY_LEN]> {
        key.to_secret_bytes()
    }
}

impl KeyKind for NoisePublic {
    const LABEL: &'static str = NOISE_PUBLIC_LABEL;
    const SECRET: bool = false;
    type Key = [u8; KEY_LEN];
    fn from_key_bytes(bytes: &[u8; KEY_LEN]) -> Option<[u8; KEY_LEN]> {
        Some(*bytes)
    }
    fn to_key_bytes(key: &[u8; KEY_LEN]) -> Zeroizing<[u8; KEY_LEN]> {
        Zeroizing::new(*key)
    }
}

impl KeyKind for OprfSecret {
    const LABEL: &'static str = OPRF_SECRET_LABEL;
    const SECRET: bool = true;
    type Key = SecretKey;
    fn from_key_bytes(bytes: &[u8; KEY_LEN]) -> Option<SecretKey> {
        SecretKey::from_bytes(bytes).ok()
    }
    fn to_key_bytes(key: &SecretKey) -> Zeroizing<[u8; KEY_LEN]> {
        key.to_bytes()
    }
}

impl KeyKind for ApproverSecret {
    const LABEL: &'static str = APPROVER_SECRET_LABEL;
    const SECRET: bool = true;
    type Key = ApproverSigningKey;
    fn from_key_bytes(bytes: &[u8; KEY_LEN]) -> Option<ApproverSigningKey> {
        Some(ApproverSigningKey::from_secret_bytes(bytes))
    }
    fn to_key_bytes(key: &ApproverSigningKey) -> Zeroizing<[u8; KEY_LEN]> {
        key.to_secret_bytes()
    }
}

impl KeyKind for ApproverPublic {
    const LABEL: &'static str = APPROVER_PUBLIC_LABEL;
    const SECRET: bool = false;
    type Key = ApproverPublicKey;
    fn from_key_bytes(bytes: &[u8; KEY_LEN]) -> Option<ApproverPublicKey> {
        ApproverPublicKey::from_bytes(bytes).ok()
    }
    fn to_key_bytes(key: &ApproverPublicKey) -> Zeroizing<[u8; KEY_LEN]> {
        Zeroizing::new(key.to_bytes())
    }
}

/// `identity.key`: a party's Ed25519 identity signing key (its 32-byte seed).
#[derive(Debug, Clone, Copy)]
pub struct IdentitySecret;
/// `identity.pub`: a party's Ed25519 identity public key (small-order keys are refused).
#[derive(Debug, Clone, Copy)]
pub struct IdentityPublic;

impl KeyKind for IdentitySecret {
    const LABEL: &'static str = IDENTITY_SECRET_LABEL;
    const SECRET: bool = true;
    type Key = IdentityKey;
    fn from_key_bytes(bytes: &[u8; KEY_LEN]) -> Option<IdentityKey> {
        Some(IdentityKey::from_secret_bytes(bytes))
    }
    fn to_key_bytes(key: &IdentityKey) -> Zeroizing<[u8; KEY_LEN]> {
        key.to_secret_bytes()
    }
}

impl KeyKind for IdentityPublic {
    const LABEL: &'static str = IDENTITY_PUBLIC_LABEL;
    const SECRET: bool = false;
    type Key = IdentityPublicKey;
    fn from_key_bytes(bytes: &[u8; KEY_LEN]) -> Option<IdentityPublicKey> {
        IdentityPublicKey::from_bytes(bytes).ok()
    }
    fn to_key_bytes(key: &IdentityPublicKey) -> Zeroizing<[u8; KEY_LEN]> {
        Zeroizing::new(key.to_bytes())
    }
}

/// The file contents for `key`, in a buffer that zeroizes itself.
pub fn encode<K: KeyKind>(key: &K::Key) -> Zeroizing<Vec<u8>> {
    let line = encode_key_line(K::LABEL, &K::to_key_bytes(key));
    Zeroizing::new(line.as_bytes().to_vec())
}

/// Parses the bytes of the key file `path` (named in errors only) as a key of kind `K`.
pub fn parse<K: KeyKind>(path: &Path, bytes: &[u8]) -> Result<K::Key, KeyFileError> {
    let key = parse_key_line(K::LABEL, path, bytes)?;
    K::from_key_bytes(&key).ok_or_else(|| KeyFileError::InvalidKey {
        path: path.to_path_buf(),
        expected: K::LABEL,
    })
}

/// Reads the key file at `path`. A secret file whose mode grants group or others any
/// access is refused before it is parsed.
pub fn read<K: KeyKind>(path: &Path) -> Result<K::Key, KeyFileError> {
    if K::SECRET {
        return parse::<K>(path, &read_secret(path)?);
    }
    let file = std::fs::File::open(path).map_err(io_err("open", path))?;
    let mut bytes = Vec::new();
    file.take(MAX_KEY_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err("read", path))?;
    parse::<K>(path, &bytes)
}

/// Writes `key` to `path` atomically: mode 0600 for a secret kind, 0644 for a public one.
pub fn write<K: KeyKind>(path: &Path, key: &K::Key) -> Result<(), KeyFileError> {
    let bytes = encode::<K>(key);
    if K::SECRET {
        write_secret(path, &bytes)?;
    } else {
        write_atomic(path, &bytes, 0o644)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn files_have_their_kinds_modes_and_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let secret_path = dir.path().join("noise.key");
        let public_path = dir.path().join("noise.pub");
        let key = NoiseStaticKey::from_secret_bytes(&[9; 32]).unwrap();
        write::<NoiseSecret>(&secret_path, &key).unwrap();
        write::<NoisePublic>(&public_path, &key.public_key()).unwrap();
        assert_eq!(mode(&secret_path), 0o600);
        assert_eq!(mode(&public_path), 0o644);
        assert_eq!(
            std::fs::read(&secret_path).unwrap(),
            encode_key_line(NOISE_SECRET_LABEL, &[9; 32]).as_bytes()
        );
        let back = read::<NoiseSecret>(&secret_path).unwrap();
        assert_eq!(back.public_key(), key.public_key());
        assert_eq!(read::<NoisePublic>(&public_path).unwrap(), key.public_key());

        // The secret kind is refused when readable by others; the public one is not.
        std::fs::set_permissions(&secret_path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            read::<NoiseSecret>(&secret_path),
            Err(KeyFileError::Store(
                crate::StoreError::PermissionsTooOpen { .. }
            ))
        ));
        // Kinds are not interchangeable.
        assert!(matches!(
            read::<NoisePublic>(&secret_path),
            Err(KeyFileError::WrongLabel { .. })
        ));
    }

    #[test]
    fn invalid_keys_are_refused_by_kind() {
        let path = Path::new("oprf.key");
        let zero = encode_key_line(OPRF_SECRET_LABEL, &[0; 32]);
        let err = parse::<OprfSecret>(path, zero.as_bytes()).err().unwrap();
        assert!(
            matches!(
                err,
                KeyFileError::InvalidKey {
                    expected: OPRF_SECRET_LABEL,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("oprf.key"), "{err}");
        let big = vec![b'a'; MAX_KEY_FILE_BYTES + 10];
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("big.pub");
        std::fs::write(&public, &big).unwrap();
        assert!(matches!(
            read::<NoisePublic>(&public),
            Err(KeyFileError::TooLarge { .. })
        ));
    }
}
