//! Golomb-Rice coding of the gaps between sorted fingerprints.
//!
//! A value `d` is written with parameter `k` as the quotient `q = d >> k` in unary (`q` zero
//! bits, then a one bit) followed by the `k` low bits of `d`, most significant first.

use super::bits::{BitReader, BitWriter};
use super::length::low_mask;

/// Why a single Rice code could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RiceError {
    /// The input ended inside the code.
    Truncated,
    /// The quotient exceeds the allowed maximum (the value would not fit).
    Overflow,
}

/// Expected bits per element of Rice parameter `k` for gaps of mean `mean_gap`, modelling
/// gaps as exponential: `k + 1 + E[q]` with `E[q] = 1 / (exp(2^k / mean_gap) - 1)`.
fn expected_cost(k: u32, log2_mean_gap: f64) -> f64 {
    let t = (f64::from(k) - log2_mean_gap).exp2();
    f64::from(k) + 1.0 + 1.0 / t.exp_m1()
}

/// The Rice parameter `k` minimizing the expected size of `count` uniformly random distinct
/// `bits`-bit fingerprints: near `log2(2^bits / count) - 0.58`, picked among neighbouring
/// integers by the expected cost `k + 1 + 1/(exp(2^k / gap) - 1)`. Always `< bits` (and 0
/// for `bits <= 1`); with `count <= 1`, `bits - 1`.
///
/// The cost is then about `bits - log2(count) + 1.5` bits per element (at most ~1.6).
pub fn rice_parameter(bits: u32, count: u64) -> u32 {
    let bits = bits.clamp(1, 128);
    let max_k = bits - 1;
    if count <= 1 {
        return max_k;
    }
    let log2_mean_gap = f64::from(bits) - (count as f64).log2();
    let center = (log2_mean_gap - 0.58).floor();
    if center < 0.0 {
        // Dense set: gaps average under ~1.5, unary alone is best.
        return 0;
    }
    let center = (center as u32).min(max_k);
    let mut best = center;
    let mut best_cost = expected_cost(center, log2_mean_gap);
    for k in [center.saturating_sub(1), (center + 1).min(max_k)] {
        let cost = expected_cost(k, log2_mean_gap);
        if cost < best_cost {
            best = k;
            best_cost = cost;
        }
    }
    best
}

/// Writes `value` with Rice parameter `k` (`k <= 127`).
pub(crate) fn write_rice(w: &mut BitWriter, value: u128, k: u32) {
    w.write_unary(value >> k);
    w.write_bits_u128(value & low_mask(k), k);
}

/// Reads one Rice code with parameter `k` (`k <= 127`) whose quotient must not exceed
/// `max_quotient`. Never reads a unary run longer than the input.
#[inline]
pub(crate) fn read_rice(
    r: &mut BitReader<'_>,
    k: u32,
    max_quotient: u128,
) -> Result<u128, RiceError> {
    let mut q: u64 = 0;
    loop {
        let window = r.peek64();
        if window != 0 {
            let zeros = window.leading_zeros();
            q += u64::from(zeros);
            if u128::from(q) > max_quotient {
                return Err(RiceError::Overflow);
            }
            let used = zeros + 1;
            if used + k <= 64 {
                // Fast path: the remainder is in the same window.
                let rem = window
                    .checked_shl(used)
                    .and_then(|x| x.checked_shr(64 - k))
                    .unwrap_or(0);
                r.skip(used + k);
                return finish(r, (u128::from(q) << k) | u128::from(rem));
            }
            r.skip(used);
            let rem = r.read_bits_u128(k);
            return finish(r, (u128::from(q) << k) | rem);
        }
        q += 64;
        r.skip(64);
        if r.position() > r.len_bits() {
            return Err(RiceError::Truncated);
        }
        if u128::from(q) > max_quotient {
            return Err(RiceError::Overflow);
        }
    }
}

fn finish(r: &BitReader<'_>, value: u128) -> Result<u128, RiceError> {
    if r.position() > r.len_bits() {
        Err(RiceError::Truncated)
    } else {
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(values: &[u128], k: u32) {
        let mut w = BitWriter::new(Vec::new());
        for &v in values {
            write_rice(&mut w, v, k);
        }
        let bytes = w.finish();
        let mut r = BitReader::new(&bytes);
        for &v in values {
            assert_eq!(read_rice(&mut r, k, u128::MAX), Ok(v), "k = {k}");
        }
        assert!(r.len_bits() - r.position() < 8);
    }

    #[test]
    fn k_zero_is_pure_unary() {
        round_trip(&[0, 1, 2, 63, 64, 65, 130, 0], 0);
        let mut w = BitWriter::new(Vec::new());
        write_rice(&mut w, 3, 0);
        assert_eq!(w.finish(), vec![0b0001_0000]);
    }

    #[test]
    fn small_and_large_k() {
        for k in [1, 7, 8, 57, 62, 63, 64, 65, 100, 126, 127] {
            let max = u128::MAX >> (127 - k); // 2^(k+1) - 1: quotient 0 or 1
            round_trip(&[0, 1, max, max - 1, low_mask(k), 1u128 << k], k);
        }
    }

    #[test]
    fn max_values_at_full_width() {
        // 128-bit value with k = 127: quotient 1, remainder 2^127 - 1.
        round_trip(&[u128::MAX, 0, u128::MAX], 127);
    }

    #[test]
    fn quotient_limit_is_enforced() {
        let mut w = BitWriter::new(Vec::new());
        write_rice(&mut w, 5 << 3, 3);
        write_rice(&mut w, 200 << 3, 3);
        let bytes = w.finish();
        let mut r = BitReader::new(&bytes);
        assert_eq!(read_rice(&mut r, 3, 5), Ok(40));
        assert_eq!(read_rice(&mut r, 3, 199), Err(RiceError::Overflow));
    }

    #[test]
    fn truncation_is_detected() {
        let mut w = BitWriter::new(Vec::new());
        write_rice(&mut w, (1 << 20) + 77, 20);
        let bytes = w.finish();
        for cut in 0..bytes.len() {
            let mut r = BitReader::new(&bytes[..cut]);
            assert_eq!(read_rice(&mut r, 20, u128::MAX), Err(RiceError::Truncated));
        }
        // A long zero run with no terminator.
        let zeros = [0u8; 100];
        let mut r = BitReader::new(&zeros);
        assert_eq!(read_rice(&mut r, 0, u128::MAX), Err(RiceError::Truncated));
    }

    #[test]
    fn parameter_matches_gap_size() {
        // 2^74 / 100_000 has log2 ~ 57.39; optimum near 56.8 -> 56 or 57.
        let k = rice_parameter(74, 100_000);
        assert!((56..=57).contains(&k), "k = {k}");
        assert_eq!(rice_parameter(74, 1), 73);
        assert_eq!(rice_parameter(74, 0), 73);
        assert_eq!(rice_parameter(1, 2), 0);
        assert_eq!(rice_parameter(8, 256), 0);
        assert_eq!(rice_parameter(128, 2), 126);
        for bits in 1..=128 {
            for count in [0u64, 1, 2, 3, 1000, u64::MAX] {
                assert!(rice_parameter(bits, count) < bits);
            }
        }
    }

    #[test]
    fn chosen_parameter_is_no_worse_than_neighbours() {
        for (bits, count) in [
            (74u32, 100_000u64),
            (86, 5_500_000),
            (60, 1 << 20),
            (20, 5000),
        ] {
            let k = rice_parameter(bits, count);
            let g = f64::from(bits) - (count as f64).log2();
            for other in k.saturating_sub(3)..(k + 4).min(bits) {
                assert!(expected_cost(k, g) <= expected_cost(other, g) + 1e-12);
            }
        }
    }
}
