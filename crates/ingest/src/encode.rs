//! Encoding, pass 2 over the sorted stream: the kept values' fingerprints, already in
//! ascending order, straight into the Golomb-Rice coded set.
//!
//! Truncation to the top `L` bits preserves order, so the sorted 128-bit values give
//! sorted fingerprints; two kept values that agree on their top `L` bits give one
//! fingerprint (the writer skips repeats), as the sort-then-encode of the whole set did.

use blindlink_core::fingerprint::{EncodedSetWriter, SetParams};

use super::IngestError;
use super::entry::KeyEntry;
use super::uniqueness::Groups;

/// A serialized set and what the summary reports about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedSetBytes {
    /// The serialized set (`set.bin`).
    pub bytes: Vec<u8>,
    /// Distinct fingerprints in it.
    pub count: u64,
    /// Rice parameter `k`.
    pub rice_parameter: u32,
    /// Its content hash (the trailing checksum).
    pub hash: [u8; 32],
}

impl EncodedSetBytes {
    /// Bits per element of the whole file (0 for an empty set).
    pub fn bits_per_element(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.bytes.len() as f64 * 8.0 / self.count as f64
        }
    }
}

/// Encodes the fingerprints of the values of `entries` (sorted) that no two rows share.
/// `kept` is the number of kept entries counted by pass 1; it sets the Rice parameter.
pub fn encode_kept(
    entries: impl Iterator<Item = Result<KeyEntry, IngestError>>,
    params: SetParams,
    kept: u64,
) -> Result<EncodedSetBytes, IngestError> {
    let mut writer = EncodedSetWriter::new(params, kept)?;
    for group in Groups::new(entries) {
        let group = group?;
        if !group.shared {
            writer.push(group.first.fingerprint(params.bits))?;
        }
    }
    let count = writer.count();
    let rice_parameter = writer.rice_parameter();
    let (bytes, hash) = writer.finish_with_hash();
    Ok(EncodedSetBytes {
        bytes,
        count,
        rice_parameter,
        hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use blindlink_core::fingerprint::EncodedSet;
    use blindlink_core::match_key::MatchRule;

    #[test]
    fn encodes_the_unshared_values_with_the_hash() {
        let params = SetParams {
            bits: 48,
            rule_set: 3,
            key_epoch: [1; 16],
        };
        let e = |top: u128, low: u128, row| {
            KeyEntry::new(top << 80 | low, row, MatchRule::R1Exact).unwrap()
        };
        // 5 is shared by rows 1 and 2; the two values with top bits 77 collide on L bits.
        let mut entries = vec![
            e(900, 0, 0),
            e(5, 0, 1),
            e(5, 0, 2),
            e(77, 1, 3),
            e(77, 2, 4),
            e(3, 0, 5),
        ];
        entries.sort();
        let out = encode_kept(entries.into_iter().map(Ok), params, 4).unwrap();
        assert_eq!(out.count, 3);
        let set = EncodedSet::from_bytes(&out.bytes, 10).unwrap();
        assert_eq!(set.fingerprints(), &[3, 77, 900]);
        assert_eq!(set.content_hash(), out.hash);
        assert_eq!(set.rice_parameter(), out.rice_parameter);
        assert!(out.bits_per_element() > 0.0);
    }
}
