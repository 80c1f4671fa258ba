//! Sending the holder's encoded set: skipped when the requester's cached copy is current,
//! otherwise a header, bounded chunks, and a terminator.

use crate::wire::{CachedSet, KeyEpoch, Message, SetChunk, SetHeader};

/// What the holder serves for the current epoch: the serialized
/// [`EncodedSet`](blindlink_core::fingerprint::EncodedSet) and its identity.
#[derive(Clone, Copy, Debug)]
pub struct SetOffer<'a> {
    /// Key epoch the set was encoded under.
    pub epoch: KeyEpoch,
    /// `EncodedSet::content_hash` of `bytes`.
    pub set_hash: [u8; 32],
    /// The serialized set.
    pub bytes: &'a [u8],
}

/// The messages that transfer `offer` to a requester that has `cached` (if anything):
/// `SetCached` alone if the cached copy has the same epoch and hash, else `SetHeader`,
/// `SetChunk`s of at most `chunk_bytes` bytes, and `SetDone`.
pub fn set_messages<'a>(
    offer: SetOffer<'a>,
    cached: Option<CachedSet>,
    chunk_bytes: usize,
) -> Box<dyn Iterator<Item = Message> + Send + 'a> {
    let current = CachedSet {
        epoch: offer.epoch,
        set_hash: offer.set_hash,
    };
    if cached == Some(current) {
        return Box::new(std::iter::once(Message::SetCached(current)));
    }
    let header = Message::SetHeader(SetHeader {
        epoch: offer.epoch,
        total_bytes: offer.bytes.len() as u64,
        set_hash: offer.set_hash,
    });
    let chunks = offer
        .bytes
        .chunks(chunk_bytes.max(1))
        .map(|c| Message::SetChunk(SetChunk { bytes: c.to_vec() }));
    Box::new(
        std::iter::once(header)
            .chain(chunks)
            .chain(std::iter::once(Message::SetDone)),
    )
}
