//! EncodedSet decoding: `EncodedSetHeader::parse` and `EncodedSet::from_bytes`.
//!
//! Input layout: byte 0 is a mode, the rest the serialized set. When bit 0 of the mode is
//! set, the trailing 32 bytes are replaced by the SHA-256 of everything before them
//! (resealed), so mutations get past the checksum into the Rice decoder; bit 1 decodes
//! with a small `max_count` as well. Checked: an accepted set re-encodes to exactly the
//! input, its content hash is the trailing checksum, it contains each of its own
//! fingerprints, and its fingerprints are strictly increasing and fit in `L` bits.
#![no_main]

use blindlink_core::fingerprint::{CHECKSUM_LEN, EncodedSet, EncodedSetHeader, HEADER_LEN};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

fuzz_target!(|data: &[u8]| {
    let [mode, bytes @ ..] = data else {
        return;
    };
    let mut bytes = bytes.to_vec();
    if mode & 1 == 1 && bytes.len() >= HEADER_LEN + CHECKSUM_LEN {
        let body_len = bytes.len() - CHECKSUM_LEN;
        let checksum = Sha256::digest(&bytes[..body_len]);
        bytes[body_len..].copy_from_slice(&checksum);
    }
    let header = EncodedSetHeader::parse(&bytes);
    let Ok(set) = EncodedSet::from_bytes(&bytes, u64::MAX) else {
        return;
    };
    let header = header.expect("an accepted set has a valid header");
    assert_eq!(header.count(), set.len() as u64);
    assert_eq!(header.expected_total_len(), bytes.len() as u64);
    assert_eq!(
        set.to_bytes(),
        bytes,
        "decode -> encode is not the identity"
    );
    assert_eq!(
        &set.content_hash()[..],
        &bytes[bytes.len() - CHECKSUM_LEN..]
    );
    let bits = set.bits();
    let fingerprints = set.fingerprints();
    assert!(fingerprints.windows(2).all(|w| w[0] < w[1]));
    assert!(
        fingerprints
            .iter()
            .all(|&fp| bits == 128 || fp >> bits == 0)
    );
    assert!(
        set.contains_all(fingerprints)
            .into_iter()
            .all(|found| found)
    );
    if mode & 2 == 2 {
        let small = (set.len() as u64).saturating_sub(1);
        assert!(EncodedSet::from_bytes(&bytes, small).is_err() || set.is_empty());
    }
});
