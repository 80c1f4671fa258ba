//! Incremental encoder: takes fingerprints in ascending order, one at a time, and produces
//! the serialized set without ever holding the fingerprints themselves (only the output
//! bytes), so a holder can encode straight from an external sort.

use sha2::{Digest, Sha256};

use super::bits::BitWriter;
use super::error::SetEncodeError;
use super::header::{EncodedSetHeader, HEADER_LEN, SetParams};
use super::index::MAX_SET_LEN;
use super::length::low_mask;
use super::rice::{rice_parameter, write_rice};

/// Encodes ascending fingerprints into a serialized set (header, Rice-coded gaps, checksum).
///
/// ```
/// use blindlink_core::fingerprint::{EncodedSet, EncodedSetWriter, SetParams};
/// let params = SetParams { bits: 20, rule_set: 1, key_epoch: [0; 16] };
/// let mut w = EncodedSetWriter::new(params, 3)?;
/// for fp in [5u128, 9, 9, 700_000] {
///     w.push(fp)?; // an exact repeat of the previous value is skipped
/// }
/// let bytes = w.finish();
/// let set = EncodedSet::from_bytes(&bytes, 1_000)?;
/// assert_eq!(set.len(), 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct EncodedSetWriter {
    params: SetParams,
    rice_parameter: u32,
    out: BitWriter,
    count: u64,
    last: Option<u128>,
}

impl EncodedSetWriter {
    /// A writer for about `expected_count` distinct fingerprints of `params.bits` bits.
    /// The estimate only sets the Rice parameter (see [`rice_parameter`]): a wrong estimate
    /// costs size, never correctness.
    pub fn new(params: SetParams, expected_count: u64) -> Result<Self, SetEncodeError> {
        check_bits(params.bits)?;
        let k = rice_parameter(params.bits, expected_count);
        Ok(Self::with_rice_parameter(params, k, expected_count))
    }

    /// A writer with a given Rice parameter; `params.bits` in 1..=128 and `k < bits`.
    pub(crate) fn with_rice_parameter(params: SetParams, k: u32, size_hint: u64) -> Self {
        // Reserve for the hint, capped so a wild estimate cannot trigger a huge allocation.
        let per_element = u64::from(k + 3).div_ceil(8);
        let reserve = size_hint.min(1 << 24).saturating_mul(per_element) as usize;
        let mut out = Vec::with_capacity(HEADER_LEN + reserve);
        out.resize(HEADER_LEN, 0);
        Self {
            params,
            rice_parameter: k,
            out: BitWriter::new(out),
            count: 0,
            last: None,
        }
    }

    /// Appends `fp`, which must be `< 2^bits` and not smaller than the previous value.
    /// A value equal to the previous one is skipped (sets hold distinct fingerprints).
    pub fn push(&mut self, fp: u128) -> Result<(), SetEncodeError> {
        if fp > low_mask(self.params.bits) {
            return Err(SetEncodeError::ValueTooWide {
                value: fp,
                bits: self.params.bits,
            });
        }
        match self.last {
            Some(prev) if fp == prev => return Ok(()),
            Some(prev) if fp < prev => {
                return Err(SetEncodeError::Unsorted {
                    value: fp,
                    previous: prev,
                });
            }
            _ => {}
        }
        if self.count >= MAX_SET_LEN {
            return Err(SetEncodeError::TooManyElements {
                count: self.count + 1,
                max: MAX_SET_LEN,
            });
        }
        self.append(fp);
        Ok(())
    }

    /// Appends `fp` without checks: the caller guarantees `fp < 2^bits`, strictly above
    /// the previous value, and fewer than [`MAX_SET_LEN`] values so far.
    pub(crate) fn append(&mut self, fp: u128) {
        let delta = fp - self.last.unwrap_or(0);
        write_rice(&mut self.out, delta, self.rice_parameter);
        self.last = Some(fp);
        self.count += 1;
    }

    /// Distinct fingerprints written so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The Rice parameter in use.
    pub fn rice_parameter(&self) -> u32 {
        self.rice_parameter
    }

    /// The serialized set. Its last 32 bytes (the checksum) are its
    /// [`content hash`](super::EncodedSet::content_hash).
    pub fn finish(self) -> Vec<u8> {
        self.finish_with_hash().0
    }

    /// Like [`Self::finish`], also returning the content hash (the trailing SHA-256
    /// checksum, [`super::EncodedSet::content_hash`]) without slicing it back out.
    pub fn finish_with_hash(self) -> (Vec<u8>, [u8; 32]) {
        let mut bytes = self.out.finish();
        let payload_len = (bytes.len() - HEADER_LEN) as u64;
        let header =
            EncodedSetHeader::new(self.params, self.rice_parameter, self.count, payload_len);
        if let Some(slot) = bytes.get_mut(..HEADER_LEN) {
            slot.copy_from_slice(&header.to_bytes());
        }
        let checksum: [u8; 32] = Sha256::digest(&bytes).into();
        bytes.extend_from_slice(&checksum);
        (bytes, checksum)
    }
}

/// Rejects a fingerprint length outside 1..=128.
pub(crate) fn check_bits(bits: u32) -> Result<(), SetEncodeError> {
    if (1..=128).contains(&bits) {
        Ok(())
    } else {
        Err(SetEncodeError::BitsOutOfRange(bits))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(bits: u32) -> SetParams {
        SetParams {
            bits,
            rule_set: 0,
            key_epoch: [0; 16],
        }
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(
            EncodedSetWriter::new(params(0), 1).err(),
            Some(SetEncodeError::BitsOutOfRange(0))
        );
        assert_eq!(
            EncodedSetWriter::new(params(129), 1).err(),
            Some(SetEncodeError::BitsOutOfRange(129))
        );
        let mut w = EncodedSetWriter::new(params(8), 10).unwrap();
        assert_eq!(
            w.push(256),
            Err(SetEncodeError::ValueTooWide {
                value: 256,
                bits: 8
            })
        );
        w.push(10).unwrap();
        w.push(10).unwrap();
        assert_eq!(
            w.push(9),
            Err(SetEncodeError::Unsorted {
                value: 9,
                previous: 10
            })
        );
        w.push(255).unwrap();
        assert_eq!(w.count(), 2);
    }

    #[test]
    fn empty_set_is_header_and_checksum() {
        let bytes = EncodedSetWriter::new(params(40), 0).unwrap().finish();
        assert_eq!(bytes.len(), HEADER_LEN + 32);
        let header = EncodedSetHeader::parse(&bytes).unwrap();
        assert_eq!(header.count(), 0);
        assert_eq!(header.payload_len(), 0);
        assert_eq!(
            &bytes[HEADER_LEN..],
            &Sha256::digest(&bytes[..HEADER_LEN])[..]
        );
    }

    #[test]
    fn full_width_values() {
        let mut w = EncodedSetWriter::new(params(128), 3).unwrap();
        for fp in [0, 1, u128::MAX - 1, u128::MAX] {
            w.push(fp).unwrap();
        }
        let bytes = w.finish();
        let header = EncodedSetHeader::parse(&bytes).unwrap();
        assert_eq!(header.count(), 4);
        assert_eq!(header.expected_total_len(), bytes.len() as u64);
    }
}
