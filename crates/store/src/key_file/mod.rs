//! One-line text key files: `<label> <64 lowercase hex digits>\n`.
//!
//! The label names the key's kind and format version, so a Noise key given where an
//! OPRF key is expected (or a public key where a secret one is) is refused by name.
//! Parsing never echoes the file's contents: a secret file with a typo must not end
//! up in a log.

use thiserror::Error;
use zeroize::Zeroizing;

/// Label of the Noise static secret key file (`noise.key`).
pub const NOISE_SECRET_LABEL: &str = "blindlink-noise-secret-key-v1";
/// Label of the Noise static public key file (`noise.pub`).
pub const NOISE_PUBLIC_LABEL: &str = "blindlink-noise-public-key-v1";
/// Label of an OPRF secret key file (`epochs/<epoch>/oprf.key`).
pub const OPRF_SECRET_LABEL: &str = "blindlink-oprf-secret-key-v1";

/// Length of every key in these files.
pub const KEY_LEN: usize = 32;

/// Why a key file did not parse. Messages never include the file's bytes beyond a
/// recognised label.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeyFileError {
    /// Not ASCII text.
    #[error("not a key file (expected one line \"{expected} <64 hex digits>\")")]
    NotText {
        /// The label expected.
        expected: &'static str,
    },
    /// The first word is not the expected label.
    #[error("not a {expected} file (the first word differs)")]
    WrongLabel {
        /// The label expected.
        expected: &'static str,
    },
    /// The key is not 64 hex digits.
    #[error("the key after \"{expected}\" must be 64 hex digits")]
    BadHex {
        /// The label expected.
        expected: &'static str,
    },
    /// The bytes are not a valid key of this kind (e.g. a zero or non-canonical scalar).
    #[error("the key after \"{expected}\" is not a valid key")]
    InvalidKey {
        /// The label expected.
        expected: &'static str,
    },
    /// Anything after the key other than one line end.
    #[error("unexpected data after the key (a key file is one line)")]
    TrailingData,
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

/// Parses a key file's bytes: exactly `label`, one space, 64 hex digits (either case),
/// and optionally one line end (`\n` or `\r\n`).
pub fn parse_key_line(
    label: &'static str,
    bytes: &[u8],
) -> Result<Zeroizing<[u8; KEY_LEN]>, KeyFileError> {
    if !bytes.is_ascii() {
        return Err(KeyFileError::NotText { expected: label });
    }
    let body = bytes
        .strip_suffix(b"\n")
        .map(|b| b.strip_suffix(b"\r").unwrap_or(b))
        .unwrap_or(bytes);
    let Some(rest) = body
        .strip_prefix(label.as_bytes())
        .and_then(|r| r.strip_prefix(b" "))
    else {
        return Err(KeyFileError::WrongLabel { expected: label });
    };
    if rest.len() > 2 * KEY_LEN {
        return Err(KeyFileError::TrailingData);
    }
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    hex::decode_to_slice(rest, key.as_mut_slice())
        .map_err(|_| KeyFileError::BadHex { expected: label })?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn round_trip_and_line_ends() {
        let key = [0xa5; 32];
        let line = encode_key_line(OPRF_SECRET_LABEL, &key);
        assert_eq!(line.lines().count(), 1);
        assert!(line.starts_with("blindlink-oprf-secret-key-v1 a5a5"));
        assert_eq!(
            *parse_key_line(OPRF_SECRET_LABEL, line.as_bytes()).unwrap(),
            key
        );
        let crlf = line.replace('\n', "\r\n");
        assert_eq!(
            *parse_key_line(OPRF_SECRET_LABEL, crlf.as_bytes()).unwrap(),
            key
        );
        let bare = line.trim_end();
        assert_eq!(
            *parse_key_line(OPRF_SECRET_LABEL, bare.as_bytes()).unwrap(),
            key
        );
        let upper = format!("{OPRF_SECRET_LABEL} {}", "A5".repeat(32));
        assert_eq!(
            *parse_key_line(OPRF_SECRET_LABEL, upper.as_bytes()).unwrap(),
            key
        );
    }

    #[test]
    fn wrong_kind_and_malformed_files_are_refused_without_echo() {
        let noise = encode_key_line(NOISE_SECRET_LABEL, &[0x11; 32]);
        let err = parse_key_line(OPRF_SECRET_LABEL, noise.as_bytes()).unwrap_err();
        assert_eq!(
            err,
            KeyFileError::WrongLabel {
                expected: OPRF_SECRET_LABEL
            }
        );
        assert!(!err.to_string().contains("1111"));

        let short = format!("{OPRF_SECRET_LABEL} {}", "ab".repeat(31));
        assert!(matches!(
            parse_key_line(OPRF_SECRET_LABEL, short.as_bytes()),
            Err(KeyFileError::BadHex { .. })
        ));
        let two_lines = format!("{OPRF_SECRET_LABEL} {}\n\n", "ab".repeat(32));
        assert_eq!(
            parse_key_line(OPRF_SECRET_LABEL, two_lines.as_bytes()),
            Err(KeyFileError::TrailingData)
        );
        let tab = format!("{OPRF_SECRET_LABEL}\t{}", "ab".repeat(32));
        assert!(parse_key_line(OPRF_SECRET_LABEL, tab.as_bytes()).is_err());
        assert!(matches!(
            parse_key_line(OPRF_SECRET_LABEL, "é".as_bytes()),
            Err(KeyFileError::NotText { .. })
        ));
        assert!(parse_key_line(OPRF_SECRET_LABEL, b"").is_err());
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_key_line(NOISE_SECRET_LABEL, &bytes);
        }

        #[test]
        fn every_key_round_trips(key in any::<[u8; 32]>()) {
            let line = encode_key_line(NOISE_PUBLIC_LABEL, &key);
            prop_assert_eq!(*parse_key_line(NOISE_PUBLIC_LABEL, line.as_bytes()).unwrap(), key);
        }
    }
}
