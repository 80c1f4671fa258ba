//! The fixed-size, versioned header of a serialized set, parsed and validated on its own so a
//! receiver can check count and size against its limits before buffering the payload.

use super::error::SetDecodeError;
use super::length::low_mask;

/// Magic bytes opening every serialized set (PNG-style: `\r\n\x1a` exposes text-mode mangling).
pub const MAGIC: [u8; 8] = *b"BLSET\r\n\x1a";
/// The format version this code writes and reads.
pub const FORMAT_VERSION: u16 = 1;
/// Length of the fixed header in bytes.
pub const HEADER_LEN: usize = 48;
/// Length of the trailing SHA-256 checksum in bytes.
pub const CHECKSUM_LEN: usize = 32;

/// What the holder states about a set besides its elements: carried in the header verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SetParams {
    /// Fingerprint length `L` in bits, 1..=128 (see [`super::fingerprint_bits`]).
    pub bits: u32,
    /// Bitmask of the match rules whose keys are in the set (opaque here).
    pub rule_set: u8,
    /// Identifier of the OPRF key epoch the fingerprints were computed under (opaque here).
    pub key_epoch: [u8; 16],
}

/// A parsed and validated set header.
///
/// Layout (48 bytes, integers big-endian):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `"BLSET\r\n\x1a"` |
/// | 8 | 2 | format version (1) |
/// | 10 | 1 | rule set bitmask (opaque) |
/// | 11 | 1 | fingerprint length `L`, 1..=128 |
/// | 12 | 1 | Rice parameter `k`, `< L` |
/// | 13 | 3 | reserved, zero |
/// | 16 | 16 | key epoch id (opaque) |
/// | 32 | 8 | element count |
/// | 40 | 8 | payload length in bytes |
///
/// followed by the payload and a 32-byte SHA-256 checksum over header and payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EncodedSetHeader {
    version: u16,
    params: SetParams,
    rice_parameter: u8,
    count: u64,
    payload_len: u64,
}

impl EncodedSetHeader {
    /// Header for a set with these fields; the caller guarantees they are consistent.
    pub(crate) fn new(
        params: SetParams,
        rice_parameter: u32,
        count: u64,
        payload_len: u64,
    ) -> Self {
        Self {
            version: FORMAT_VERSION,
            params,
            rice_parameter: rice_parameter as u8,
            count,
            payload_len,
        }
    }

    /// Parses and validates the header at the start of `bytes` (which may hold more, e.g.
    /// the first chunk of a stream). Checks magic, version, reserved bytes, `L` and `k`
    /// ranges, that `count` fits the `L`-bit value space, and that the payload length lies
    /// between the shortest and longest valid encodings of `count` values.
    pub fn parse(bytes: &[u8]) -> Result<Self, SetDecodeError> {
        let Some(head) = bytes.get(..HEADER_LEN) else {
            return Err(SetDecodeError::HeaderTruncated {
                got: bytes.len(),
                needed: HEADER_LEN,
            });
        };
        let mut h = [0u8; HEADER_LEN];
        h.copy_from_slice(head);
        let field8 = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&h[at..at + 8]);
            b
        };
        if field8(0) != MAGIC {
            return Err(SetDecodeError::BadMagic);
        }
        let version = u16::from_be_bytes([h[8], h[9]]);
        if version != FORMAT_VERSION {
            return Err(SetDecodeError::UnsupportedVersion(version));
        }
        let (rule_set, bits, k) = (h[10], h[11], h[12]);
        if h[13..16] != [0, 0, 0] {
            return Err(SetDecodeError::ReservedNonZero);
        }
        if bits == 0 || u32::from(bits) > 128 {
            return Err(SetDecodeError::BitsOutOfRange(bits));
        }
        if k >= bits {
            return Err(SetDecodeError::RiceParameterOutOfRange { k, bits });
        }
        let mut key_epoch = [0u8; 16];
        key_epoch.copy_from_slice(&h[16..32]);
        let count = u64::from_be_bytes(field8(32));
        let payload_len = u64::from_be_bytes(field8(40));
        if u128::from(count) > low_mask(u32::from(bits)).saturating_add(1) {
            return Err(SetDecodeError::CountExceedsValueSpace { count, bits });
        }
        let (min_bits, max_bits) = payload_bit_bounds(count, u32::from(bits), u32::from(k));
        let payload_bits = u128::from(payload_len) * 8;
        // Compared in bytes: `max_bits` may be close to `u128::MAX` (L = 128, k = 0), so
        // rounding it up to whole bytes in bits could overflow.
        let max_bytes = max_bits.div_ceil(8);
        let total = payload_len.checked_add((HEADER_LEN + CHECKSUM_LEN) as u64);
        if payload_bits < min_bits || u128::from(payload_len) > max_bytes || total.is_none() {
            return Err(SetDecodeError::PayloadLengthInconsistent { payload_len, count });
        }
        Ok(Self {
            version,
            params: SetParams {
                bits: u32::from(bits),
                rule_set,
                key_epoch,
            },
            rice_parameter: k,
            count,
            payload_len,
        })
    }

    /// The serialized header.
    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut h = [0u8; HEADER_LEN];
        h[0..8].copy_from_slice(&MAGIC);
        h[8..10].copy_from_slice(&self.version.to_be_bytes());
        h[10] = self.params.rule_set;
        h[11] = self.params.bits as u8;
        h[12] = self.rice_parameter;
        h[16..32].copy_from_slice(&self.params.key_epoch);
        h[32..40].copy_from_slice(&self.count.to_be_bytes());
        h[40..48].copy_from_slice(&self.payload_len.to_be_bytes());
        h
    }

    /// Rejects a count above the receiver's `max_count`.
    pub fn check_count(&self, max_count: u64) -> Result<(), SetDecodeError> {
        if self.count > max_count {
            return Err(SetDecodeError::CountOverLimit {
                count: self.count,
                max: max_count,
            });
        }
        Ok(())
    }

    /// Length of the whole serialized set: header, payload and checksum.
    pub fn expected_total_len(&self) -> u64 {
        // `parse` (and the encoder) guarantee this does not overflow.
        self.payload_len
            .saturating_add((HEADER_LEN + CHECKSUM_LEN) as u64)
    }

    /// Format version.
    pub fn version(&self) -> u16 {
        self.version
    }
    /// Fingerprint length, rule set and key epoch.
    pub fn params(&self) -> SetParams {
        self.params
    }
    /// Rice parameter `k`.
    pub fn rice_parameter(&self) -> u32 {
        u32::from(self.rice_parameter)
    }
    /// Number of fingerprints.
    pub fn count(&self) -> u64 {
        self.count
    }
    /// Payload length in bytes.
    pub fn payload_len(&self) -> u64 {
        self.payload_len
    }
}

/// Shortest and longest payload, in bits, of `count` distinct `bits`-bit values coded with
/// parameter `k`: every code takes at least `k + 1` bits, and the unary parts sum to at most
/// `(2^bits - 1) >> k` because the deltas sum to the largest value.
fn payload_bit_bounds(count: u64, bits: u32, k: u32) -> (u128, u128) {
    if count == 0 {
        return (0, 0);
    }
    let min = u128::from(count) * u128::from(k + 1);
    (min, min.saturating_add(low_mask(bits) >> k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> EncodedSetHeader {
        let params = SetParams {
            bits: 74,
            rule_set: 0b11,
            key_epoch: [7; 16],
        };
        EncodedSetHeader::new(params, 56, 1000, 7250)
    }

    #[test]
    fn round_trip() {
        let h = sample();
        let bytes = h.to_bytes();
        assert_eq!(&bytes[..8], b"BLSET\r\n\x1a");
        assert_eq!(EncodedSetHeader::parse(&bytes), Ok(h));
        assert_eq!(h.expected_total_len(), 48 + 7250 + 32);
    }

    #[test]
    fn rejects_each_bad_field() {
        let good = sample().to_bytes();
        let with = |at: usize, v: u8| {
            let mut b = good;
            b[at] = v;
            EncodedSetHeader::parse(&b)
        };
        assert_eq!(with(0, b'X'), Err(SetDecodeError::BadMagic));
        assert_eq!(with(9, 2), Err(SetDecodeError::UnsupportedVersion(2)));
        assert_eq!(with(14, 1), Err(SetDecodeError::ReservedNonZero));
        assert_eq!(with(11, 0), Err(SetDecodeError::BitsOutOfRange(0)));
        assert_eq!(with(11, 129), Err(SetDecodeError::BitsOutOfRange(129)));
        assert_eq!(
            with(12, 74),
            Err(SetDecodeError::RiceParameterOutOfRange { k: 74, bits: 74 })
        );
        assert!(matches!(
            EncodedSetHeader::parse(&good[..47]),
            Err(SetDecodeError::HeaderTruncated { got: 47, .. })
        ));
    }

    #[test]
    fn rejects_count_beyond_value_space() {
        let params = SetParams {
            bits: 3,
            rule_set: 0,
            key_epoch: [0; 16],
        };
        let ok = EncodedSetHeader::new(params, 0, 8, 2).to_bytes();
        assert!(EncodedSetHeader::parse(&ok).is_ok());
        let bad = EncodedSetHeader::new(params, 0, 9, 2).to_bytes();
        assert_eq!(
            EncodedSetHeader::parse(&bad),
            Err(SetDecodeError::CountExceedsValueSpace { count: 9, bits: 3 })
        );
    }

    #[test]
    fn rejects_payload_length_inconsistent_with_count() {
        let params = sample().params();
        // 1000 codes of >= 57 bits need >= 7125 bytes; at most 57000 + 2^18 - 1 bits
        // (39_893 bytes).
        for (payload, ok) in [
            (7124u64, false),
            (7125, true),
            (39_893, true),
            (39_894, false),
            (u64::MAX, false),
        ] {
            let h = EncodedSetHeader::new(params, 56, 1000, payload).to_bytes();
            assert_eq!(EncodedSetHeader::parse(&h).is_ok(), ok, "payload {payload}");
        }
        let empty = EncodedSetHeader::new(params, 0, 0, 1).to_bytes();
        assert!(EncodedSetHeader::parse(&empty).is_err());
    }

    #[test]
    fn count_limit() {
        let h = sample();
        assert!(h.check_count(1000).is_ok());
        assert_eq!(
            h.check_count(999),
            Err(SetDecodeError::CountOverLimit {
                count: 1000,
                max: 999
            })
        );
    }
}
