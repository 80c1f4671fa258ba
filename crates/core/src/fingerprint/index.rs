//! The lookup index built on load: the sorted fingerprints plus a bucket table on their top
//! bits, so a lookup is one table read and a binary search over a handful of values.
//!
//! Memory: 16 bytes per fingerprint plus at most 2 bytes per fingerprint of table
//! (about 170 MB for 10 million, 2.8 GB for 160 million).

use rayon::prelude::*;

/// Most fingerprints a set can hold (bucket offsets are `u32`).
pub const MAX_SET_LEN: u64 = u32::MAX as u64;

/// Sorted, distinct fingerprints with a bucket table on their top bits.
#[derive(Clone)]
pub(crate) struct FingerprintIndex {
    values: Vec<u128>,
    /// `offsets[b]..offsets[b + 1]` is the range of `values` whose top bits equal `b`.
    offsets: Vec<u32>,
    /// Right shift taking a fingerprint to its bucket number.
    shift: u32,
    /// Fingerprint length.
    bits: u32,
}

impl FingerprintIndex {
    /// Indexes `values`, which the caller guarantees are strictly ascending, `< 2^bits`,
    /// at most [`MAX_SET_LEN`] many, with `bits` in 1..=128.
    pub(crate) fn new(values: Vec<u128>, bits: u32) -> Self {
        let bucket_bits = bucket_bits(values.len() as u64).min(bits);
        let shift = bits - bucket_bits;
        let mut offsets = vec![0u32; (1usize << bucket_bits) + 1];
        for v in &values {
            if let Some(c) = offsets.get_mut(bucket_of(*v, shift) + 1) {
                *c += 1;
            }
        }
        let mut running = 0u32;
        for c in &mut offsets {
            running += *c;
            *c = running;
        }
        Self {
            values,
            offsets,
            shift,
            bits,
        }
    }

    /// Whether `fp` is in the set.
    #[inline]
    pub(crate) fn contains(&self, fp: u128) -> bool {
        if fp >> (self.bits - 1) > 1 {
            return false; // wider than the fingerprint length
        }
        let bucket = bucket_of(fp, self.shift);
        let (Some(&lo), Some(&hi)) = (self.offsets.get(bucket), self.offsets.get(bucket + 1))
        else {
            return false;
        };
        self.values
            .get(lo as usize..hi as usize)
            .is_some_and(|run| run.binary_search(&fp).is_ok())
    }

    /// Membership of every fingerprint in `fps`, in order (in parallel for large batches).
    pub(crate) fn contains_all(&self, fps: &[u128]) -> Vec<bool> {
        fps.par_iter()
            .with_min_len(4096)
            .map(|&fp| self.contains(fp))
            .collect()
    }

    /// The fingerprints, ascending.
    pub(crate) fn values(&self) -> &[u128] {
        &self.values
    }
}

/// Bucket number of `fp` (its bits above `shift`; `shift` may be 128).
#[inline]
fn bucket_of(fp: u128, shift: u32) -> usize {
    fp.checked_shr(shift).unwrap_or(0) as usize
}

/// Bucket-table width for `n` values: `floor(log2 n) - 1`, so buckets hold 2-4 values on
/// average and the table costs at most 2 bytes per value.
fn bucket_bits(n: u64) -> u32 {
    n.checked_ilog2().unwrap_or(0).saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_widths() {
        assert_eq!(bucket_bits(0), 0);
        assert_eq!(bucket_bits(3), 0);
        assert_eq!(bucket_bits(4), 1);
        assert_eq!(bucket_bits(10_000_000), 22);
        assert_eq!(bucket_bits(MAX_SET_LEN), 30);
    }

    #[test]
    fn lookups_on_small_sets() {
        let empty = FingerprintIndex::new(Vec::new(), 128);
        assert!(!empty.contains(0));
        assert!(!empty.contains(u128::MAX));

        let one_bit = FingerprintIndex::new(vec![1], 1);
        assert!(one_bit.contains(1));
        assert!(!one_bit.contains(0));
        assert!(!one_bit.contains(2));
        assert!(!one_bit.contains(3));

        let values = vec![0, 3, 4, 5, 100, 254, 255];
        let idx = FingerprintIndex::new(values.clone(), 8);
        for x in 0..1000u128 {
            assert_eq!(idx.contains(x), values.contains(&x), "x = {x}");
        }
        let probes: Vec<u128> = (0..300).collect();
        let expected: Vec<bool> = probes.iter().map(|x| values.contains(x)).collect();
        assert_eq!(idx.contains_all(&probes), expected);
    }

    #[test]
    fn full_width_values() {
        let values = vec![0, 1 << 64, u128::MAX - 1, u128::MAX];
        let idx = FingerprintIndex::new(values.clone(), 128);
        for v in values {
            assert!(idx.contains(v));
        }
        assert!(!idx.contains(2));
        assert!(!idx.contains(u128::MAX - 2));
    }
}
