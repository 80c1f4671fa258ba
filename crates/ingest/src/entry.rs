//! One evaluated key, as the bounded-memory pipeline keeps it: the first 128 bits of its
//! OPRF output, the row it came from and its rule, in 24 bytes.
//!
//! Equal key values give equal OPRF outputs, so local uniqueness ("a value found in two
//! or more different rows is dropped") can be decided on the outputs instead of the
//! plaintext keys, which are dropped as soon as their chunk is evaluated. Two *different*
//! key values agree on 128 output bits with probability about `N^2 / 2^129` over `N`
//! keys (below `2^-70` for `N = 10^9`); such a pair would be treated as one shared value
//! and dropped, where the plaintext comparison would have kept both.
//!
//! Entries sort by value, then row, then rule ([`KeyEntry`]'s derived order), so equal
//! values are adjacent in any sorted run and in the merge of sorted runs.

use blindlink_core::match_key::MatchRule;

/// Bytes of an entry on disk (spill runs and shard files).
pub const ENTRY_LEN: usize = 24;

/// Largest row number an entry can carry (62 bits; the low 2 bits hold the rule).
pub const MAX_ROW: u64 = (1 << 62) - 1;

/// An evaluated key: `value` is the first 16 bytes of the OPRF output read big-endian
/// (so `value >> (128 - L)` is the `L`-bit fingerprint), `row` the 0-based data row of
/// the input (bad rows included), `rule` the key's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyEntry {
    hi: u64,
    lo: u64,
    /// `row << 2 | rule index`.
    tag: u64,
}

impl KeyEntry {
    /// An entry; `None` when `row` exceeds [`MAX_ROW`].
    pub fn new(value: u128, row: u64, rule: MatchRule) -> Option<KeyEntry> {
        if row > MAX_ROW {
            return None;
        }
        Some(KeyEntry {
            hi: (value >> 64) as u64,
            lo: value as u64,
            tag: row << 2 | rule.index() as u64,
        })
    }

    /// The entry of the OPRF output `output` of a key of `rule` from `row`.
    pub fn of_output(output: &[u8; 64], row: u64, rule: MatchRule) -> Option<KeyEntry> {
        let mut head = [0u8; 16];
        head.copy_from_slice(output.get(..16)?);
        KeyEntry::new(u128::from_be_bytes(head), row, rule)
    }

    /// The first 128 output bits.
    pub fn value(&self) -> u128 {
        u128::from(self.hi) << 64 | u128::from(self.lo)
    }

    /// The `bits`-bit fingerprint (same as `blindlink_core::fingerprint::fingerprint`
    /// of the full output).
    pub fn fingerprint(&self, bits: u32) -> u128 {
        self.value().checked_shr(128 - bits.min(128)).unwrap_or(0)
    }

    /// The data row.
    pub fn row(&self) -> u64 {
        self.tag >> 2
    }

    /// The rule.
    pub fn rule(&self) -> MatchRule {
        // The tag's low bits always come from `MatchRule::index`, which is below 4.
        MatchRule::ALL
            .get((self.tag & 3) as usize)
            .copied()
            .unwrap_or(MatchRule::R1Exact)
    }

    /// The on-disk form: `hi`, `lo`, `tag` as little-endian `u64`s.
    pub fn to_bytes(&self) -> [u8; ENTRY_LEN] {
        let mut out = [0u8; ENTRY_LEN];
        out[..8].copy_from_slice(&self.hi.to_le_bytes());
        out[8..16].copy_from_slice(&self.lo.to_le_bytes());
        out[16..].copy_from_slice(&self.tag.to_le_bytes());
        out
    }

    /// Parses the on-disk form. Every bit pattern is a valid entry: the rule is the tag's
    /// low two bits, the row its upper 62.
    pub fn from_bytes(bytes: &[u8; ENTRY_LEN]) -> KeyEntry {
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&bytes[i..i + 8]);
            u64::from_le_bytes(w)
        };
        KeyEntry {
            hi: word(0),
            lo: word(8),
            tag: word(16),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use blindlink_core::fingerprint::fingerprint;
    use proptest::prelude::*;

    #[test]
    fn layout_and_limits() {
        assert_eq!(std::mem::size_of::<KeyEntry>(), ENTRY_LEN);
        assert!(KeyEntry::new(1, MAX_ROW + 1, MatchRule::R1Exact).is_none());
        let e = KeyEntry::new(u128::MAX, MAX_ROW, MatchRule::R4NameDob).unwrap();
        assert_eq!(
            (e.value(), e.row(), e.rule()),
            (u128::MAX, MAX_ROW, MatchRule::R4NameDob)
        );
    }

    proptest! {
        #[test]
        fn round_trips_and_orders_by_value_then_row(
            a in any::<u128>(), b in any::<u128>(),
            ra in 0..=MAX_ROW, rb in 0..=MAX_ROW, i in 0usize..4, j in 0usize..4,
        ) {
            let x = KeyEntry::new(a, ra, MatchRule::ALL[i]).unwrap();
            let y = KeyEntry::new(b, rb, MatchRule::ALL[j]).unwrap();
            prop_assert_eq!(KeyEntry::from_bytes(&x.to_bytes()), x);
            prop_assert_eq!((x.value(), x.row(), x.rule()), (a, ra, MatchRule::ALL[i]));
            prop_assert_eq!(x.cmp(&y), (a, ra, i).cmp(&(b, rb, j)));
        }

        #[test]
        fn fingerprint_agrees_with_core(output in prop::collection::vec(any::<u8>(), 64), bits in 1u32..=128) {
            let output: [u8; 64] = output.try_into().unwrap();
            let e = KeyEntry::of_output(&output, 3, MatchRule::R2NameHouseZip).unwrap();
            prop_assert_eq!(e.fingerprint(bits), fingerprint(&output, bits));
        }
    }
}
