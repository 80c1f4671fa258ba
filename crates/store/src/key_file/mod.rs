//! Key files: one line of ASCII, `<label> <64 lowercase hex digits>\n`.
//!
//! ```text
//! noise.key       (0600)  blindlink-noise-secret-key-v1 <Noise static secret key>
//! noise.pub       (0644)  blindlink-noise-public-key-v1 <Noise static public key>
//! oprf.key        (0600)  blindlink-oprf-secret-key-v1 <OPRF secret scalar>
//! <role>.key      (0600)  blindlink-approver-secret-key-v1 <Ed25519 secret seed>
//! <role>.pub      (0644)  blindlink-approver-public-key-v1 <Ed25519 public key>
//! identity.key    (0600)  blindlink-identity-secret-key-v1 <Ed25519 secret seed>
//! identity.pub    (0644)  blindlink-identity-public-key-v1 <Ed25519 public key>
//! ```
//!
//! The label names the key's kind and format version, so a Noise key given where an
//! OPRF key is expected (or a public key where a secret one is) is refused by name.
//! Parsing accepts exactly the label, one space, 64 hex digits (either case) and at most
//! one line end (`\n` or `\r\n`), in at most [`MAX_KEY_FILE_BYTES`]; nothing else.
//! Errors name the file but never echo its contents: a secret file with a typo must not
//! end up in a log.
//!
//! This module is the format ([`encode_key_line`], [`parse_key_line`]); `kinds` ties
//! each label to its key type and to the file's mode ([`read`], [`write`]): secret
//! files through [`write_secret`](crate::write_secret) / [`read_secret`](crate::read_secret)
//! (0600, refused when wider), public ones written 0644.

mod kinds;

use std::path::{Path, PathBuf};

use thiserror::Error;
use zeroize::Zeroizing;

use crate::StoreError;

pub use kinds::{
    ApproverPublic, ApproverSecret, IdentityPublic, IdentitySecret, KeyKind, NoisePublic,
    NoiseSecret, OprfSecret, encode, parse, read, write,
};

/// Label of the Noise static secret key file (`noise.key`).
pub const NOISE_SECRET_LABEL: &str = "blindlink-noise-secret-key-v1";
/// Label of the Noise static public key file (`noise.pub`).
pub const NOISE_PUBLIC_LABEL: &str = "blindlink-noise-public-key-v1";
/// Label of an OPRF secret key file (`epochs/<epoch>/oprf.key`).
pub const OPRF_SECRET_LABEL: &str = "blindlink-oprf-secret-key-v1";
/// Label of an approver's secret key file (the 32-byte Ed25519 seed).
pub const APPROVER_SECRET_LABEL: &str = "blindlink-approver-secret-key-v1";
/// Label of an approver's public key file.
pub const APPROVER_PUBLIC_LABEL: &str = "blindlink-approver-public-key-v1";

/// Label of a party's identity secret key file (`identity.key`, the Ed25519 seed).
pub const IDENTITY_SECRET_LABEL: &str = "blindlink-identity-secret-key-v1";
/// Label of a party's identity public key file (`identity.pub`, also a requester's pin).
pub const IDENTITY_PUBLIC_LABEL: &str = "blindlink-identity-public-key-v1";

/// Length of every key in these files.
pub const KEY_LEN: usize = 32;
/// Largest key file accepted (a key file is under 100 bytes).
pub const MAX_KEY_FILE_BYTES: usize = 256;

/// Why a key file cannot be read, written or used. Every variant names the file;
/// messages never include the file's bytes beyond a recognised label.
#[derive(Debug, Error)]
pub enum KeyFileError {
    /// The file cannot be read or written, or a secret key file's mode grants group or
    /// others access.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Larger than any key file.
    #[error("{}: {len} bytes, too large for a key file", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size (or the part read).
        len: usize,
    },
    /// Not ASCII text.
    #[error("{}: not a key file (expected one line \"{expected} <64 hex digits>\")", path.display())]
    NotText {
        /// The file.
        path: PathBuf,
        /// The label expected.
        expected: &'static str,
    },
    /// The first word is not the expected label.
    #[error("{}: not a {expected} file (the first word differs)", path.display())]
    WrongLabel {
        /// The file.
        path: PathBuf,
        /// The label expected.
        expected: &'static str,
    },
    /// The key is not 64 hex digits.
    #[error("{}: the key after \"{expected}\" must be 64 hex digits", path.display())]
    BadHex {
        /// The file.
        path: PathBuf,
        /// The label expected.
        expected: &'static str,
    },
    /// The bytes are not a valid key of this kind (a zero or non-canonical scalar, a
    /// small-order public key, ...).
    #[error("{}: the key after \"{expected}\" is not a valid key", path.display())]
    InvalidKey {
        /// The file.
        path: PathBuf,
        /// The label expected.
        expected: &'static str,
    },
    /// Anything after the key other than one line end.
    #[error("{}: unexpected data after the key (a key file is one line)", path.display())]
    TrailingData {
        /// The file.
        path: PathBuf,
    },
}

/// The file contents for `key` under `label`, in a buffer that zeroizes itself.
pub fn encode_key_line(label: &str, key: &[u8; KEY_LEN]) -> Zeroizing<String> {
    let mut line = Zeroizing::new(String::with_capacity(label.len() + 2 + 2 * KEY_LEN));
    line.push_str(label);
    line.push(' ');
    let hex = Zeroizing::new(hex::encode(key));
    line.push_str(&hex);
    line.push('\n');
    line
}

/// Parses the bytes of the key file `path` (named in errors only): exactly `label`,
/// one space, 64 hex digits (either case), and optionally one line end (`\n` or `\r\n`).
pub fn parse_key_line(
    label: &'static str,
    path: &Path,
    bytes: &[u8],
) -> Result<Zeroizing<[u8; KEY_LEN]>, KeyFileError> {
    let path = || path.to_path_buf();
    if bytes.len() > MAX_KEY_FILE_BYTES {
        return Err(KeyFileError::TooLarge {
            path: path(),
            len: bytes.len(),
        });
    }
    if !bytes.is_ascii() {
        return Err(KeyFileError::NotText {
            path: path(),
            expected: label,
        });
    }
    let body = bytes
        .strip_suffix(b"\n")
        .map(|b| b.strip_suffix(b"\r").unwrap_or(b))
        .unwrap_or(bytes);
    let Some(rest) = body
        .strip_prefix(label.as_bytes())
        .and_then(|r| r.strip_prefix(b" "))
    else {
        return Err(KeyFileError::WrongLabel {
            path: path(),
            expected: label,
        });
    };
    if rest.len() > 2 * KEY_LEN {
        return Err(KeyFileError::TrailingData { path: path() });
    }
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    hex::decode_to_slice(rest, key.as_mut_slice()).map_err(|_| KeyFileError::BadHex {
        path: path(),
        expected: label,
    })?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(label: &'static str, bytes: &[u8]) -> Result<Zeroizing<[u8; 32]>, KeyFileError> {
        parse_key_line(label, Path::new("k.key"), bytes)
    }

    #[test]
    fn round_trip_and_line_ends() {
        let key = [0xa5; 32];
        let line = encode_key_line(OPRF_SECRET_LABEL, &key);
        assert_eq!(line.lines().count(), 1);
        assert!(line.starts_with("blindlink-oprf-secret-key-v1 a5a5"));
        assert_eq!(*parse(OPRF_SECRET_LABEL, line.as_bytes()).unwrap(), key);
        let crlf = line.replace('\n', "\r\n");
        assert_eq!(*parse(OPRF_SECRET_LABEL, crlf.as_bytes()).unwrap(), key);
        let bare = line.trim_end();
        assert_eq!(*parse(OPRF_SECRET_LABEL, bare.as_bytes()).unwrap(), key);
        let upper = format!("{OPRF_SECRET_LABEL} {}", "A5".repeat(32));
        assert_eq!(*parse(OPRF_SECRET_LABEL, upper.as_bytes()).unwrap(), key);
    }

    #[test]
    fn wrong_kind_and_malformed_files_are_refused_without_echo() {
        let noise = encode_key_line(NOISE_SECRET_LABEL, &[0x11; 32]);
        let err = parse(OPRF_SECRET_LABEL, noise.as_bytes()).unwrap_err();
        assert!(
            matches!(
                err,
                KeyFileError::WrongLabel {
                    expected: OPRF_SECRET_LABEL,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(!err.to_string().contains("1111"));
        assert!(err.to_string().contains("k.key"), "{err}");

        let short = format!("{OPRF_SECRET_LABEL} {}", "ab".repeat(31));
        assert!(matches!(
            parse(OPRF_SECRET_LABEL, short.as_bytes()),
            Err(KeyFileError::BadHex { .. })
        ));
        let two_lines = format!("{OPRF_SECRET_LABEL} {}\n\n", "ab".repeat(32));
        assert!(matches!(
            parse(OPRF_SECRET_LABEL, two_lines.as_bytes()),
            Err(KeyFileError::TrailingData { .. })
        ));
        let tab = format!("{OPRF_SECRET_LABEL}\t{}", "ab".repeat(32));
        assert!(parse(OPRF_SECRET_LABEL, tab.as_bytes()).is_err());
        assert!(matches!(
            parse(OPRF_SECRET_LABEL, "é".as_bytes()),
            Err(KeyFileError::NotText { .. })
        ));
        assert!(parse(OPRF_SECRET_LABEL, b"").is_err());
        assert!(matches!(
            parse(OPRF_SECRET_LABEL, &[b'a'; 300]),
            Err(KeyFileError::TooLarge { len: 300, .. })
        ));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = parse(NOISE_SECRET_LABEL, &bytes);
        }

        #[test]
        fn every_key_round_trips(key in any::<[u8; 32]>()) {
            let line = encode_key_line(NOISE_PUBLIC_LABEL, &key);
            prop_assert_eq!(*parse(NOISE_PUBLIC_LABEL, line.as_bytes()).unwrap(), key);
        }
    }
}
