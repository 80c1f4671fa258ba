//! Decoder rejection tests on hand-built payloads with valid checksums, so each check past
//! the checksum is reached.

use super::*;
use crate::fingerprint::bits::BitWriter;
use crate::fingerprint::rice::write_rice;

fn params(bits: u32) -> SetParams {
    SetParams {
        bits,
        rule_set: 0b101,
        key_epoch: *b"epoch-0000000001",
    }
}

/// Header + payload + correct checksum.
fn seal(bits: u32, k: u32, count: u64, payload: &[u8]) -> Vec<u8> {
    let header = EncodedSetHeader::new(params(bits), k, count, payload.len() as u64);
    let mut bytes = header.to_bytes().to_vec();
    bytes.extend_from_slice(payload);
    let checksum = Sha256::digest(&bytes);
    bytes.extend_from_slice(&checksum);
    bytes
}

/// Rice codes of `deltas` with parameter `k`.
fn codes(k: u32, deltas: &[u128]) -> Vec<u8> {
    let mut w = BitWriter::new(Vec::new());
    for &d in deltas {
        write_rice(&mut w, d, k);
    }
    w.finish()
}

#[test]
fn hand_built_set_decodes() {
    let bytes = seal(8, 2, 3, &codes(2, &[0, 7, 200]));
    let set = EncodedSet::from_bytes(&bytes, 10).unwrap();
    assert_eq!(set.fingerprints(), &[0, 7, 207]);
    assert_eq!(set.params(), params(8));
    assert_eq!(set.rice_parameter(), 2);
    // Re-encoding with the stored k gives the same bytes.
    assert_eq!(set.to_bytes(), bytes);
    assert_eq!(set.content_hash().as_slice(), &bytes[bytes.len() - 32..]);
}

#[test]
fn rejects_truncated_payload() {
    // Two codes present, three announced: the third runs into the end.
    let bytes = seal(8, 0, 3, &codes(0, &[1, 1]));
    assert_eq!(
        EncodedSet::from_bytes(&bytes, 10).err(),
        Some(SetDecodeError::PayloadTruncated { index: 2 })
    );
}

#[test]
fn rejects_overflowing_values() {
    // Sum of gaps passes 2^8 - 1.
    let bytes = seal(8, 4, 2, &codes(4, &[255, 1]));
    assert_eq!(
        EncodedSet::from_bytes(&bytes, 10).err(),
        Some(SetDecodeError::DeltaOverflow { index: 1 })
    );
    // A single gap whose quotient alone is too large (256 >> 4 = 16 > 15).
    let bytes = seal(8, 4, 1, &codes(4, &[256]));
    assert_eq!(
        EncodedSet::from_bytes(&bytes, 10).err(),
        Some(SetDecodeError::DeltaOverflow { index: 0 })
    );
    // Full width: 2^128 - 1 then +1.
    let bytes = seal(128, 127, 2, &codes(127, &[u128::MAX, 1]));
    assert_eq!(
        EncodedSet::from_bytes(&bytes, 10).err(),
        Some(SetDecodeError::DeltaOverflow { index: 1 })
    );
}

#[test]
fn rejects_duplicates_but_allows_zero_first_value() {
    let bytes = seal(16, 3, 3, &codes(3, &[0, 9, 0]));
    assert_eq!(
        EncodedSet::from_bytes(&bytes, 10).err(),
        Some(SetDecodeError::Duplicate { index: 2 })
    );
    let ok = seal(16, 3, 2, &codes(3, &[0, 9]));
    assert_eq!(
        EncodedSet::from_bytes(&ok, 10).unwrap().fingerprints(),
        &[0, 9]
    );
}

#[test]
fn rejects_trailing_bytes_and_dirty_padding() {
    let mut payload = codes(0, &[1]); // "01" + six zero bits
    assert_eq!(payload, vec![0b0100_0000]);
    payload.push(0);
    assert_eq!(
        EncodedSet::from_bytes(&seal(8, 0, 1, &payload), 10).err(),
        Some(SetDecodeError::TrailingPayload { extra_bits: 14 })
    );
    assert_eq!(
        EncodedSet::from_bytes(&seal(8, 0, 1, &[0b0100_0001]), 10).err(),
        Some(SetDecodeError::NonZeroPadding)
    );
}

#[test]
fn rejects_wrong_length_checksum_and_limit() {
    let bytes = seal(8, 2, 3, &codes(2, &[0, 7, 200]));
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        EncodedSet::from_bytes(&longer, 10).err(),
        Some(SetDecodeError::LengthMismatch {
            expected: bytes.len() as u64,
            actual: longer.len() as u64
        })
    );
    assert!(matches!(
        EncodedSet::from_bytes(&bytes[..bytes.len() - 1], 10),
        Err(SetDecodeError::LengthMismatch { .. })
    ));
    let mut flipped = bytes.clone();
    flipped[HEADER_LEN] ^= 0x10;
    assert_eq!(
        EncodedSet::from_bytes(&flipped, 10).err(),
        Some(SetDecodeError::ChecksumMismatch)
    );
    assert_eq!(
        EncodedSet::from_bytes(&bytes, 2).err(),
        Some(SetDecodeError::CountOverLimit { count: 3, max: 2 })
    );
}

#[test]
fn rejects_huge_announced_count_before_allocating() {
    // Claims 2^40 elements with k = 0 and a matching payload length of 2^37 bytes; only
    // 80 bytes are present. Rejected on the limit, then on length, never allocating.
    let header = EncodedSetHeader::new(params(64), 0, 1 << 40, 1 << 37).to_bytes();
    assert!(EncodedSetHeader::parse(&header).is_ok());
    assert!(matches!(
        EncodedSet::from_bytes(&header, u64::MAX),
        Err(SetDecodeError::CountOverLimit { .. })
    ));
    let header = EncodedSetHeader::new(params(64), 0, 1 << 30, 1 << 27).to_bytes();
    assert!(matches!(
        EncodedSet::from_bytes(&header, u64::MAX),
        Err(SetDecodeError::LengthMismatch { .. })
    ));
}
