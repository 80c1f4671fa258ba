//! Inputs found by the fuzz targets (`fuzz/`), kept as regression tests. Each input is
//! also committed under `fuzz/regressions/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use blindlink_core::fingerprint::{EncodedSet, EncodedSetHeader, HEADER_LEN, SetDecodeError};
use sha2::{Digest, Sha256};

/// `fuzz/regressions/encoded_set-header-l128-k0-overflow.bin` without the target's mode
/// byte: a header with `L = 128`, Rice parameter `k = 0`, one element and a one-byte
/// payload. The longest valid payload is then about 2^128 bits, and rounding that up to
/// whole bytes *in bits* overflowed `u128` (a panic with overflow checks, and in release
/// a wrap to 0 that refused every such header).
const L128_K0_HEADER: [u8; HEADER_LEN] = [
    0x42, 0x4c, 0x53, 0x45, 0x54, 0x0d, 0x0a, 0x1a, // magic
    0x00, 0x01, // version
    0x03, 0x80, 0x00, // rule set, L = 128, k = 0
    0x00, 0x00, 0x00, // reserved
    0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, // key epoch
    0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07, //
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, // count = 1
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, // payload length = 1
];

#[test]
fn header_with_l128_and_k0_does_not_overflow() {
    let header = EncodedSetHeader::parse(&L128_K0_HEADER).unwrap();
    assert_eq!((header.params().bits, header.rice_parameter()), (128, 0));
    assert_eq!((header.count(), header.payload_len()), (1, 1));

    // Header alone: refused for its length, not a panic.
    assert!(matches!(
        EncodedSet::from_bytes(&L128_K0_HEADER, u64::MAX),
        Err(SetDecodeError::LengthMismatch { .. })
    ));
    // Sealed with every possible payload byte: decoded or refused, never a panic, and
    // whatever decodes re-encodes to the same bytes.
    for payload in 0..=u8::MAX {
        let mut bytes = L128_K0_HEADER.to_vec();
        bytes.push(payload);
        let checksum = Sha256::digest(&bytes);
        bytes.extend_from_slice(&checksum);
        if let Ok(set) = EncodedSet::from_bytes(&bytes, u64::MAX) {
            assert_eq!(set.to_bytes(), bytes);
        }
    }
}

#[test]
fn payload_longer_than_any_l128_k0_encoding_is_refused() {
    let mut header = L128_K0_HEADER;
    // 2^64 - 1 bytes: longer than the total length can express.
    header[40..48].copy_from_slice(&u64::MAX.to_be_bytes());
    assert!(matches!(
        EncodedSetHeader::parse(&header),
        Err(SetDecodeError::PayloadLengthInconsistent { .. })
    ));
}
