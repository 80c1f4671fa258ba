//! Phase 4, encode: sort the fingerprints and write the Golomb-Rice coded set.

use blindlink_core::fingerprint::{
    CHECKSUM_LEN, EncodedSetWriter, Fingerprint, SetEncodeError, SetParams,
};
use rayon::prelude::*;

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

/// Sorts `fingerprints` (in parallel) and encodes them; equal fingerprints (two keys
/// colliding on `L` bits, or none at all since keys are unique) are stored once.
pub fn encode_set(
    mut fingerprints: Vec<Fingerprint>,
    params: SetParams,
) -> Result<EncodedSetBytes, SetEncodeError> {
    fingerprints.par_sort_unstable();
    let mut writer = EncodedSetWriter::new(params, fingerprints.len() as u64)?;
    for fp in fingerprints {
        writer.push(fp)?;
    }
    let count = writer.count();
    let rice_parameter = writer.rice_parameter();
    let bytes = writer.finish();
    let mut hash = [0u8; 32];
    if let Some(tail) = bytes
        .len()
        .checked_sub(CHECKSUM_LEN)
        .and_then(|s| bytes.get(s..))
    {
        hash.copy_from_slice(tail);
    }
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

    #[test]
    fn encodes_a_decodable_set_with_its_hash() {
        let params = SetParams {
            bits: 48,
            rule_set: 3,
            key_epoch: [1; 16],
        };
        let fps = vec![900, 5, 77, 5, 1 << 47];
        let out = encode_set(fps, params).unwrap();
        assert_eq!(out.count, 4);
        let set = EncodedSet::from_bytes(&out.bytes, 10).unwrap();
        assert_eq!(set.fingerprints(), &[5, 77, 900, 1 << 47]);
        assert_eq!(set.content_hash(), out.hash);
        assert_eq!(set.rice_parameter(), out.rice_parameter);
        assert!(out.bits_per_element() > 0.0);
        assert!(encode_set(vec![1 << 48], params).is_err());
    }
}
