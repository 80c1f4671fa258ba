//! Fingerprints and the holder's encoded fingerprint set.
//!
//! The holder evaluates the OPRF on each of its match keys and keeps the first `L` bits of
//! each 64-byte output ([`fingerprint`], [`fingerprint_bits`]). The set of fingerprints is
//! sent to the requester once per key epoch as an [`EncodedSet`]: sorted, deduplicated, the
//! gaps between consecutive values Golomb-Rice coded with a parameter `k` chosen from `L`
//! and the count ([`rice_parameter`]), costing about `L - log2(count) + 1.5` bits per
//! element. The requester decodes it once ([`EncodedSet::from_bytes`]), which validates
//! every field and code, and then looks up its own finalized outputs locally.
//!
//! Wire format: a 48-byte [`EncodedSetHeader`] (magic, version, rule set, `L`, `k`, key
//! epoch, count, payload length), the payload (Rice codes, MSB-first, zero-padded to a
//! byte), and a SHA-256 checksum over header and payload, which doubles as the
//! [`EncodedSet::content_hash`]. A streaming receiver parses the header from the first
//! chunk, checks [`EncodedSetHeader::count`] and [`EncodedSetHeader::expected_total_len`]
//! against its limits, and only then buffers the rest.
//!
//! Large sets can be encoded from an already sorted stream with [`EncodedSetWriter`].

mod bits;
mod encoded_set;
mod error;
mod header;
mod index;
mod length;
mod rice;
mod writer;

pub use encoded_set::EncodedSet;
pub use error::{SetDecodeError, SetEncodeError};
pub use header::{CHECKSUM_LEN, EncodedSetHeader, FORMAT_VERSION, HEADER_LEN, MAGIC, SetParams};
pub use index::MAX_SET_LEN;
pub use length::{
    FALSE_MATCH_BITS, Fingerprint, MAX_FINGERPRINT_BITS, fingerprint, fingerprint_bits,
    max_request_elements,
};
pub use rice::rice_parameter;
pub use writer::EncodedSetWriter;
