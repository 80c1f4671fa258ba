//! Serde field adapters that bound every length while decoding.
//!
//! postcard encodes a sequence, byte string or text as a varint length followed by the
//! items. The adapters here read that length and reject it if it exceeds the field's hard
//! cap (see [`limits`](super::limits)) *before* reserving any memory; postcard itself
//! refuses a byte string longer than the remaining input before touching it, and reports
//! no size hint for a sequence longer than the remaining input. So the memory one decode
//! allocates is bounded by both the hard caps and the input length: a 10-byte input cannot
//! make the decoder reserve 2 MiB.
//!
//! Byte fields are written with `serialize_bytes` (varint length + raw bytes), which in
//! postcard is the same encoding as a sequence of `u8`, only faster.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeTuple, Serializer};

use super::limits::{
    HARD_MAX_APPROVAL_BYTES, HARD_MAX_APPROVALS, HARD_MAX_CHUNK_ELEMENTS, HARD_MAX_MANIFEST_BYTES,
    HARD_MAX_PROOF_HASHES, HARD_MAX_RECEIPT_ENTRY_BYTES, HARD_MAX_SET_CHUNK_BYTES,
    HARD_MAX_TEXT_BYTES,
};

/// Visitor for a sequence of at most `MAX` items.
struct BoundedSeq<T, const MAX: usize>(PhantomData<T>);

impl<'de, T: Deserialize<'de>, const MAX: usize> Visitor<'de> for BoundedSeq<T, MAX> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a sequence of at most {MAX} items")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let hint = seq.size_hint();
        if let Some(len) = hint
            && len > MAX
        {
            return Err(de::Error::invalid_length(len, &self));
        }
        let mut items = Vec::with_capacity(hint.unwrap_or(0).min(MAX));
        while let Some(item) = seq.next_element()? {
            if items.len() == MAX {
                return Err(de::Error::invalid_length(MAX + 1, &self));
            }
            items.push(item);
        }
        Ok(items)
    }
}

/// Visitor for a byte string of at most `MAX` bytes.
struct BoundedBytes<const MAX: usize>;

impl<'de, const MAX: usize> Visitor<'de> for BoundedBytes<MAX> {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a byte string of at most {MAX} bytes")
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Vec<u8>, E> {
        if bytes.len() > MAX {
            return Err(E::invalid_length(bytes.len(), &self));
        }
        Ok(bytes.to_vec())
    }

    fn visit_byte_buf<E: de::Error>(self, bytes: Vec<u8>) -> Result<Vec<u8>, E> {
        if bytes.len() > MAX {
            return Err(E::invalid_length(bytes.len(), &self));
        }
        Ok(bytes)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<u8>, A::Error> {
        BoundedSeq::<u8, MAX>(PhantomData).visit_seq(seq)
    }
}

/// Visitor for UTF-8 text of at most `MAX` bytes.
struct BoundedText<const MAX: usize>;

impl<const MAX: usize> Visitor<'_> for BoundedText<MAX> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a string of at most {MAX} bytes")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<String, E> {
        if text.len() > MAX {
            return Err(E::invalid_length(text.len(), &self));
        }
        Ok(text.to_owned())
    }
}

/// One approval as it is decoded: a byte string under the approval hard cap.
struct Approval(Vec<u8>);

impl<'de> Deserialize<'de> for Approval {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_bytes(BoundedBytes::<HARD_MAX_APPROVAL_BYTES>)
            .map(Approval)
    }
}

/// A borrowed byte string written with `serialize_bytes`.
struct BytesRef<'a>(&'a [u8]);

impl serde::Serialize for BytesRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// Writes a byte field (`serialize_with`).
pub(crate) fn write_bytes<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bytes(bytes)
}

/// Reads a chunk of 32-byte elements under [`HARD_MAX_CHUNK_ELEMENTS`].
pub(crate) fn read_elements<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<[u8; 32]>, D::Error> {
    d.deserialize_seq(BoundedSeq::<[u8; 32], HARD_MAX_CHUNK_ELEMENTS>(PhantomData))
}

/// Reads a manifest under [`HARD_MAX_MANIFEST_BYTES`].
pub(crate) fn read_manifest<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    d.deserialize_bytes(BoundedBytes::<HARD_MAX_MANIFEST_BYTES>)
}

/// Reads a set chunk under [`HARD_MAX_SET_CHUNK_BYTES`].
pub(crate) fn read_set_chunk<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    d.deserialize_bytes(BoundedBytes::<HARD_MAX_SET_CHUNK_BYTES>)
}

/// Reads a receipt's audit entry under [`HARD_MAX_RECEIPT_ENTRY_BYTES`].
pub(crate) fn read_entry<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    d.deserialize_bytes(BoundedBytes::<HARD_MAX_RECEIPT_ENTRY_BYTES>)
}

/// Reads a Merkle proof (32-byte hashes) under [`HARD_MAX_PROOF_HASHES`].
pub(crate) fn read_hashes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<[u8; 32]>, D::Error> {
    d.deserialize_seq(BoundedSeq::<[u8; 32], HARD_MAX_PROOF_HASHES>(PhantomData))
}

/// Reads a text field under [`HARD_MAX_TEXT_BYTES`].
pub(crate) fn read_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_string(BoundedText::<HARD_MAX_TEXT_BYTES>)
}

/// Writes the approvals as a sequence of byte strings.
pub(crate) fn write_approvals<S: Serializer>(
    approvals: &[Vec<u8>],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(approvals.iter().map(|a| BytesRef(a)))
}

/// Reads at most [`HARD_MAX_APPROVALS`] approvals of at most [`HARD_MAX_APPROVAL_BYTES`].
pub(crate) fn read_approvals<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<u8>>, D::Error> {
    let approvals = d.deserialize_seq(BoundedSeq::<Approval, HARD_MAX_APPROVALS>(PhantomData))?;
    Ok(approvals.into_iter().map(|a| a.0).collect())
}

/// Length of a VOPRF batch proof (challenge scalar and response scalar), and of an
/// Ed25519 signature, both written as fixed 64-byte tuples.
const PROOF_LEN: usize = 64;

/// Writes a 64-byte proof as a fixed-size tuple (no length prefix).
pub(crate) fn write_proof<S: Serializer>(proof: &[u8; PROOF_LEN], s: S) -> Result<S::Ok, S::Error> {
    let mut tuple = s.serialize_tuple(PROOF_LEN)?;
    for byte in proof {
        tuple.serialize_element(byte)?;
    }
    tuple.end()
}

/// Reads a 64-byte proof written by [`write_proof`].
pub(crate) fn read_proof<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; PROOF_LEN], D::Error> {
    struct ProofVisitor;

    impl<'de> Visitor<'de> for ProofVisitor {
        type Value = [u8; PROOF_LEN];

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{PROOF_LEN} proof bytes")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<[u8; PROOF_LEN], A::Error> {
            let mut proof = [0u8; PROOF_LEN];
            for (i, slot) in proof.iter_mut().enumerate() {
                *slot = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(i, &self))?;
            }
            Ok(proof)
        }
    }

    d.deserialize_tuple(PROOF_LEN, ProofVisitor)
}
