//! Fingerprint length and extraction: how many bits of an OPRF output the holder's set keeps,
//! and exactly which bits.

/// A fingerprint: the first `L` bits of a 64-byte OPRF output, right-aligned in a `u128`
/// (so it is always `< 2^L`). See [`fingerprint`] for the bit order.
pub type Fingerprint = u128;

/// Security margin in bits: a request's expected number of false matches stays below
/// `2^-FALSE_MATCH_BITS`.
pub const FALSE_MATCH_BITS: u32 = 40;

/// Longest supported fingerprint, in bits.
pub const MAX_FINGERPRINT_BITS: u32 = 128;

/// `ceil(log2(n))`, with `0` and `1` both mapping to `0`.
pub(crate) fn ceil_log2(n: u64) -> u32 {
    if n <= 1 {
        0
    } else {
        u64::BITS - (n - 1).leading_zeros()
    }
}

/// Fingerprint length `L` for a set of `set_size` fingerprints queried by requests of at
/// most `max_request_elements` elements.
///
/// `L = 40 + ceil(log2(max_request_elements)) + ceil(log2(set_size))`, capped at 128.
/// A non-member matches a given set element with probability `2^-L`, so the expected
/// number of false matches of a request is at most
/// `max_request_elements * set_size * 2^-L <= 2^-40`. Sizes `0` and `1` contribute 0 bits.
pub fn fingerprint_bits(max_request_elements: u64, set_size: u64) -> u32 {
    (FALSE_MATCH_BITS + ceil_log2(max_request_elements) + ceil_log2(set_size))
        .min(MAX_FINGERPRINT_BITS)
}

/// The largest request (in elements) that a set of `set_size` fingerprints of `bits` bits
/// answers within the false-match bound: the inverse of [`fingerprint_bits`],
/// `2^(bits - 40 - ceil(log2(set_size)))` (0 if `bits` leaves no room at all). A holder
/// must not accept larger requests under this set.
pub fn max_request_elements(bits: u32, set_size: u64) -> u64 {
    match bits.checked_sub(FALSE_MATCH_BITS + ceil_log2(set_size)) {
        None => 0,
        Some(room) if room >= 64 => u64::MAX,
        Some(room) => 1u64 << room,
    }
}

/// The fingerprint of an OPRF output: its first `bits` bits, read big-endian.
///
/// Bit order: output byte 0 is the most significant byte and, within each byte, bit 7 is the
/// most significant bit. The first 16 bytes are read as a big-endian `u128` and shifted
/// right by `128 - bits`, so the result is `< 2^bits`. For example with `bits = 12` and an
/// output starting `AB CD ..`, the fingerprint is `0xABC`.
///
/// `bits` above 128 is treated as 128; `bits = 0` yields 0 (the empty prefix).
pub fn fingerprint(output: &[u8; 64], bits: u32) -> Fingerprint {
    let mut head = [0u8; 16];
    head.copy_from_slice(&output[..16]);
    let bits = bits.min(MAX_FINGERPRINT_BITS);
    u128::from_be_bytes(head)
        .checked_shr(MAX_FINGERPRINT_BITS - bits)
        .unwrap_or(0)
}

/// Mask of the `bits` low bits (`bits` in `0..=128`).
pub(crate) fn low_mask(bits: u32) -> u128 {
    u128::MAX.checked_shr(128 - bits.min(128)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_request_elements_inverts_fingerprint_bits() {
        for (elements, set) in [(1u64 << 20, 5_500_000u64), (1000, 3), (1 << 19, 1 << 20)] {
            let bits = fingerprint_bits(elements, set);
            let max = max_request_elements(bits, set);
            assert!(max >= elements, "{elements} {set}: {max}");
            assert!(max < 2 * elements, "{elements} {set}: {max}");
            assert!((max as f64) * (set as f64) <= 2f64.powi(bits as i32 - 40));
        }
        assert_eq!(max_request_elements(30, 1000), 0);
    }

    #[test]
    fn bits_for_typical_sizes() {
        // 2^17 request elements, 2^17 < 100_000 * ... : ceil(log2(100_000)) = 17.
        assert_eq!(fingerprint_bits(100_000, 100_000), 40 + 17 + 17);
        assert_eq!(fingerprint_bits(1 << 20, 1 << 20), 80);
        assert_eq!(fingerprint_bits((1 << 20) + 1, 1 << 20), 81);
        assert_eq!(fingerprint_bits(500_000, 160_000_000), 40 + 19 + 28);
    }

    #[test]
    fn bits_for_degenerate_sizes() {
        assert_eq!(fingerprint_bits(0, 0), 40);
        assert_eq!(fingerprint_bits(1, 1), 40);
        assert_eq!(fingerprint_bits(2, 1), 41);
        assert_eq!(fingerprint_bits(u64::MAX, u64::MAX), 128);
    }

    #[test]
    fn fingerprint_takes_leading_bits_big_endian() {
        let mut out = [0u8; 64];
        out[0] = 0xAB;
        out[1] = 0xCD;
        out[15] = 0x01;
        out[16] = 0xFF; // beyond 128 bits: never used
        assert_eq!(fingerprint(&out, 12), 0xABC);
        assert_eq!(fingerprint(&out, 8), 0xAB);
        assert_eq!(fingerprint(&out, 1), 1);
        assert_eq!(fingerprint(&out, 0), 0);
        let full = 0xABCD_u128 << 112 | 1;
        assert_eq!(fingerprint(&out, 128), full);
        assert_eq!(fingerprint(&out, 200), full);
        assert_eq!(fingerprint(&out, 127), full >> 1);
    }

    #[test]
    fn low_mask_edges() {
        assert_eq!(low_mask(0), 0);
        assert_eq!(low_mask(1), 1);
        assert_eq!(low_mask(64), u64::MAX as u128);
        assert_eq!(low_mask(128), u128::MAX);
    }
}
