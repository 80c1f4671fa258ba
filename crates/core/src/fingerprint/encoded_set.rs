//! The holder's encoded fingerprint set: built from fingerprints, serialized compactly,
//! decoded with full validation, and indexed for fast lookups.

use std::fmt;
use std::sync::OnceLock;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::bits::BitReader;
use super::error::{SetDecodeError, SetEncodeError};
use super::header::{CHECKSUM_LEN, EncodedSetHeader, HEADER_LEN, SetParams};
use super::index::{FingerprintIndex, MAX_SET_LEN};
use super::length::{Fingerprint, low_mask};
use super::rice::{RiceError, read_rice, rice_parameter};
use super::writer::{EncodedSetWriter, check_bits};

/// A set of distinct `L`-bit fingerprints with its header fields, indexed for lookups.
///
/// The serialized form (see [`EncodedSetHeader`] for the layout) is canonical: the same
/// header fields and elements always give the same bytes, and decoding rejects any other
/// byte string. The Rice parameter `k` is one of those fields: the writer derives it from
/// `L` and the count ([`rice_parameter`](super::rice_parameter)), but the decoder accepts
/// any `k < L` (the choice uses floating point, which must not decide validity), so the
/// same elements coded with another `k` are a different, valid byte string.
#[derive(Clone)]
pub struct EncodedSet {
    params: SetParams,
    rice_parameter: u32,
    index: FingerprintIndex,
    content_hash: OnceLock<[u8; 32]>,
}

impl EncodedSet {
    /// Builds a set from fingerprints in any order: sorts (in parallel) and removes
    /// duplicates. Every fingerprint must be `< 2^params.bits`.
    pub fn from_fingerprints(
        mut fps: Vec<Fingerprint>,
        params: SetParams,
    ) -> Result<Self, SetEncodeError> {
        check_bits(params.bits)?;
        fps.par_sort_unstable();
        fps.dedup();
        if let Some(&max) = fps.last()
            && max > low_mask(params.bits)
        {
            return Err(SetEncodeError::ValueTooWide {
                value: max,
                bits: params.bits,
            });
        }
        let count = fps.len() as u64;
        if count > MAX_SET_LEN {
            return Err(SetEncodeError::TooManyElements {
                count,
                max: MAX_SET_LEN,
            });
        }
        Ok(Self {
            params,
            rice_parameter: rice_parameter(params.bits, count),
            index: FingerprintIndex::new(fps, params.bits),
            content_hash: OnceLock::new(),
        })
    }

    /// Decodes and validates a serialized set holding at most `max_count` fingerprints.
    ///
    /// Order of checks: header fields (see [`EncodedSetHeader::parse`]), `count <= max_count`,
    /// exact total length, checksum, then every Rice code, the gaps (no overflow past `L`
    /// bits, no zero gap after the first value), and the final padding. The only allocation
    /// (`count` fingerprints) happens after the count is checked against `max_count` and
    /// against the payload actually present.
    pub fn from_bytes(bytes: &[u8], max_count: u64) -> Result<Self, SetDecodeError> {
        let header = EncodedSetHeader::parse(bytes)?;
        header.check_count(max_count.min(MAX_SET_LEN))?;
        let expected = header.expected_total_len();
        if bytes.len() as u64 != expected {
            return Err(SetDecodeError::LengthMismatch {
                expected,
                actual: bytes.len() as u64,
            });
        }
        let body_len = bytes.len() - CHECKSUM_LEN;
        let (Some(body), Some(checksum), Some(payload)) = (
            bytes.get(..body_len),
            bytes.get(body_len..),
            bytes.get(HEADER_LEN..body_len),
        ) else {
            return Err(SetDecodeError::LengthMismatch {
                expected,
                actual: bytes.len() as u64,
            });
        };
        let computed: [u8; 32] = Sha256::digest(body).into();
        if computed.as_slice() != checksum {
            return Err(SetDecodeError::ChecksumMismatch);
        }
        let params = header.params();
        let k = header.rice_parameter();
        let values = decode_payload(payload, header.count(), params.bits, k)?;
        Ok(Self {
            params,
            rice_parameter: k,
            index: FingerprintIndex::new(values, params.bits),
            content_hash: OnceLock::from(computed),
        })
    }

    /// The serialized set: header, Rice-coded gaps, SHA-256 checksum.
    pub fn to_bytes(&self) -> Vec<u8> {
        let (bytes, hash) = self.encode();
        let _ = self.content_hash.set(hash);
        bytes
    }

    /// Serializes without touching the cached hash (so [`Self::content_hash`] can call it
    /// from inside the cell's initializer).
    fn encode(&self) -> (Vec<u8>, [u8; 32]) {
        let values = self.index.values();
        let mut w = EncodedSetWriter::with_rice_parameter(
            self.params,
            self.rice_parameter,
            values.len() as u64,
        );
        for &fp in values {
            w.append(fp);
        }
        w.finish_with_hash()
    }

    /// Identifies the serialized set: the SHA-256 over its header and payload, which is
    /// also its trailing checksum. Two sets have the same hash exactly when they serialize
    /// to the same bytes (same elements, same header fields including `k`). Computed once (free after
    /// [`Self::from_bytes`] or [`Self::to_bytes`]).
    pub fn content_hash(&self) -> [u8; 32] {
        *self.content_hash.get_or_init(|| self.encode().1)
    }

    /// Whether `fp` is in the set (always false for `fp >= 2^L`).
    pub fn contains(&self, fp: Fingerprint) -> bool {
        self.index.contains(fp)
    }

    /// Membership of each of `fps`, in order; runs in parallel for large batches.
    pub fn contains_all(&self, fps: &[Fingerprint]) -> Vec<bool> {
        self.index.contains_all(fps)
    }

    /// Number of fingerprints.
    pub fn len(&self) -> usize {
        self.index.values().len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The fingerprints, ascending.
    pub fn fingerprints(&self) -> &[Fingerprint] {
        self.index.values()
    }

    /// Fingerprint length, rule set and key epoch.
    pub fn params(&self) -> SetParams {
        self.params
    }

    /// Fingerprint length `L` in bits.
    pub fn bits(&self) -> u32 {
        self.params.bits
    }

    /// Rice parameter `k` of the serialized form.
    pub fn rice_parameter(&self) -> u32 {
        self.rice_parameter
    }
}

impl fmt::Debug for EncodedSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncodedSet")
            .field("params", &self.params)
            .field("rice_parameter", &self.rice_parameter)
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

/// Decodes `count` Rice-coded gaps into ascending `bits`-bit values, validating each and
/// the zero padding after the last.
fn decode_payload(
    payload: &[u8],
    count: u64,
    bits: u32,
    k: u32,
) -> Result<Vec<u128>, SetDecodeError> {
    let max = low_mask(bits);
    let max_quotient = max >> k;
    // The caller checked `count` against the limit and the payload length.
    let mut values = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
    let mut reader = BitReader::new(payload);
    let mut prev: Option<u128> = None;
    for index in 0..count {
        let delta = read_rice(&mut reader, k, max_quotient).map_err(|e| match e {
            RiceError::Truncated => SetDecodeError::PayloadTruncated { index },
            RiceError::Overflow => SetDecodeError::DeltaOverflow { index },
        })?;
        let value = match prev {
            None => delta,
            Some(_) if delta == 0 => return Err(SetDecodeError::Duplicate { index }),
            Some(p) => p
                .checked_add(delta)
                .ok_or(SetDecodeError::DeltaOverflow { index })?,
        };
        if value > max {
            return Err(SetDecodeError::DeltaOverflow { index });
        }
        values.push(value);
        prev = Some(value);
    }
    let extra_bits = reader.len_bits() - reader.position();
    if extra_bits >= 8 {
        return Err(SetDecodeError::TrailingPayload { extra_bits });
    }
    if reader.read_bits(extra_bits as u32) != 0 {
        return Err(SetDecodeError::NonZeroPadding);
    }
    Ok(values)
}

#[cfg(test)]
#[path = "decode_tests.rs"]
mod decode_tests;
