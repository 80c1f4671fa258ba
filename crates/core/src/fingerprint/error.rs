//! Errors of the encoded fingerprint set: one enum for building/encoding (holder side, input
//! under the caller's control) and one for decoding (requester side, untrusted bytes).

use thiserror::Error;

/// Why a set could not be built or encoded from the holder's fingerprints.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SetEncodeError {
    /// The fingerprint length is outside `1..=128` bits.
    #[error("fingerprint length {0} bits is outside 1..=128")]
    BitsOutOfRange(u32),
    /// A fingerprint does not fit in the declared length.
    #[error("fingerprint {value:#x} does not fit in {bits} bits")]
    ValueTooWide {
        /// The offending value.
        value: u128,
        /// The declared fingerprint length.
        bits: u32,
    },
    /// The incremental writer received a value smaller than the previous one.
    #[error("fingerprints must arrive in ascending order: {value:#x} after {previous:#x}")]
    Unsorted {
        /// The value received.
        value: u128,
        /// The value before it.
        previous: u128,
    },
    /// More distinct fingerprints than a set can hold.
    #[error("set of {count} fingerprints exceeds the maximum of {max}")]
    TooManyElements {
        /// Number of distinct fingerprints given.
        count: u64,
        /// [`crate::fingerprint::MAX_SET_LEN`].
        max: u64,
    },
}

/// Why serialized set bytes were rejected. Every variant is detected before any allocation
/// sized by the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SetDecodeError {
    /// Fewer bytes than the fixed-size header.
    #[error("set header truncated: {got} bytes, need {needed}")]
    HeaderTruncated {
        /// Bytes available.
        got: usize,
        /// Header length.
        needed: usize,
    },
    /// The file does not start with the set magic.
    #[error("not an encoded fingerprint set (bad magic)")]
    BadMagic,
    /// A format version this code does not read.
    #[error("unsupported set format version {0}")]
    UnsupportedVersion(u16),
    /// Reserved header bytes are not zero.
    #[error("reserved header bytes are not zero")]
    ReservedNonZero,
    /// Fingerprint length outside `1..=128`.
    #[error("fingerprint length {0} bits is outside 1..=128")]
    BitsOutOfRange(u8),
    /// Rice parameter not below the fingerprint length.
    #[error("Rice parameter {k} is not below the fingerprint length {bits}")]
    RiceParameterOutOfRange {
        /// Stored Rice parameter.
        k: u8,
        /// Stored fingerprint length.
        bits: u8,
    },
    /// More elements than distinct `bits`-bit values exist.
    #[error("count {count} exceeds the {bits}-bit value space")]
    CountExceedsValueSpace {
        /// Stored count.
        count: u64,
        /// Stored fingerprint length.
        bits: u8,
    },
    /// Count above the receiver's limit (or [`crate::fingerprint::MAX_SET_LEN`]).
    #[error("set of {count} fingerprints exceeds the limit of {max}")]
    CountOverLimit {
        /// Stored count.
        count: u64,
        /// The limit applied.
        max: u64,
    },
    /// The payload length cannot hold `count` Rice codes, or is longer than any valid
    /// encoding of `count` values.
    #[error("payload of {payload_len} bytes is inconsistent with {count} fingerprints")]
    PayloadLengthInconsistent {
        /// Stored payload length.
        payload_len: u64,
        /// Stored count.
        count: u64,
    },
    /// The byte string is not exactly header + payload + checksum long.
    #[error("set is {actual} bytes, header says {expected}")]
    LengthMismatch {
        /// Length the header implies.
        expected: u64,
        /// Length received.
        actual: u64,
    },
    /// The trailing checksum does not match header and payload.
    #[error("set checksum mismatch")]
    ChecksumMismatch,
    /// The payload ended before `count` values were decoded.
    #[error("payload ends inside fingerprint {index}")]
    PayloadTruncated {
        /// Index of the value being decoded.
        index: u64,
    },
    /// A delta carries the running value past the fingerprint length.
    #[error("fingerprint {index} overflows the fingerprint length")]
    DeltaOverflow {
        /// Index of the offending value.
        index: u64,
    },
    /// A zero delta after the first value (a duplicate fingerprint).
    #[error("fingerprint {index} duplicates its predecessor")]
    Duplicate {
        /// Index of the offending value.
        index: u64,
    },
    /// Bytes left after the last value beyond the final partial byte.
    #[error("payload has {extra_bits} bits after the last fingerprint")]
    TrailingPayload {
        /// Bits left over.
        extra_bits: u64,
    },
    /// The padding bits of the final byte are not zero.
    #[error("payload padding bits are not zero")]
    NonZeroPadding,
}
