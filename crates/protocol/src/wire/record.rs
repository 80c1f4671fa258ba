//! The record layer after the handshake, sans-IO: application frames carried in Noise
//! transport messages.
//!
//! - A **record** on the byte stream is a 2-byte big-endian length `n` (17 to 65,535)
//!   followed by `n` bytes: one Noise transport message, i.e. ChaCha20-Poly1305 ciphertext
//!   of `n - 16` plaintext bytes plus a 16-byte tag, nonces counting from 0 in each
//!   direction.
//! - An **application frame** (see [`frame`](super::frame)) is a `u32` big-endian payload
//!   length and the payload. The frame's bytes are cut, in order, into records of at most
//!   [`RECORD_MAX_PLAINTEXT`] (65,519) plaintext bytes each. Every frame starts in a new
//!   record and no record carries bytes of two frames; empty records are not allowed.
//! - The receiver decrypts each record and feeds its plaintext to a
//!   [`FrameDecoder`](super::FrameDecoder) whose maximum is the configured message limit.
//!   The frame header sits in the first record, so an oversized frame is refused after at
//!   most one record (64 KiB) has been buffered.

use std::fmt;

use thiserror::Error;

use super::frame::{FRAME_HEADER_LEN, FrameDecoder, FrameError, frame_header};
use super::limits::Limits;
use super::static_key::STATIC_KEY_LEN;

/// Largest Noise transport message, tag included.
pub const NOISE_MAX_MESSAGE: usize = 65_535;
/// Length of the ChaCha20-Poly1305 tag.
pub const NOISE_TAG_LEN: usize = 16;
/// Most plaintext bytes in one record.
pub const RECORD_MAX_PLAINTEXT: usize = NOISE_MAX_MESSAGE - NOISE_TAG_LEN;
/// Length of the record header (big-endian `u16` ciphertext length).
pub const RECORD_HEADER_LEN: usize = 2;

/// A record-layer failure.
#[derive(Debug, Error)]
pub enum RecordError {
    /// A frame longer than the configured maximum (sent or announced by the peer).
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// A record failed authentication: tampered, reordered, or not from the peer.
    #[error("a record failed to decrypt")]
    Decrypt,
    /// A record shorter than the tag, empty of plaintext, or carrying bytes past its frame.
    #[error("record layer violation: {0}")]
    Malformed(&'static str),
    /// Encryption failed (nonce exhausted).
    #[error("could not encrypt a record: {0}")]
    Encrypt(#[source] snow::Error),
}

/// The established secure transport: encrypts frames into records and decrypts records
/// back into frames.
pub struct SecureTransport {
    state: snow::TransportState,
    peer: [u8; STATIC_KEY_LEN],
    inbound: FrameDecoder,
    max_frame: u32,
}

impl SecureTransport {
    pub(crate) fn new(state: snow::TransportState, peer: [u8; STATIC_KEY_LEN]) -> Self {
        let max_frame = Limits::default().max_message_bytes;
        Self {
            state,
            peer,
            inbound: FrameDecoder::new(max_frame),
            max_frame,
        }
    }

    /// The peer's static public key, as checked during the handshake.
    pub fn peer_public_key(&self) -> [u8; STATIC_KEY_LEN] {
        self.peer
    }

    /// The largest frame payload sent or accepted.
    pub fn max_frame_bytes(&self) -> u32 {
        self.max_frame
    }

    /// Sets the largest frame payload sent or accepted. It applies to the next frame
    /// header; a frame whose header has already been read keeps its checked length.
    pub fn set_max_frame_bytes(&mut self, max: u32) {
        self.max_frame = max;
        self.inbound.set_max_frame_bytes(max);
    }

    /// Encrypts one frame carrying `payload`; the iterator yields the records (header
    /// included) to write in order. It must be driven to the end and every record
    /// written, or the peer's decryption falls out of step.
    pub fn seal_frame<'a>(&'a mut self, payload: &'a [u8]) -> Result<SealedFrame<'a>, RecordError> {
        let header = frame_header(payload.len(), self.max_frame)?;
        Ok(SealedFrame {
            state: &mut self.state,
            header,
            payload,
            offset: 0,
        })
    }

    /// Decrypts one record body (the bytes after its 2-byte header). Returns the frame
    /// payload when this record completes a frame.
    pub fn open_record(&mut self, body: &[u8]) -> Result<Option<Vec<u8>>, RecordError> {
        if body.len() <= NOISE_TAG_LEN {
            return Err(RecordError::Malformed("record without plaintext"));
        }
        let mut plaintext = vec![0u8; body.len() - NOISE_TAG_LEN];
        let len = self
            .state
            .read_message(body, &mut plaintext)
            .map_err(|_| RecordError::Decrypt)?;
        let mut input = plaintext.get(..len).unwrap_or_default();
        let frame = self.inbound.push(&mut input)?;
        if !input.is_empty() {
            return Err(RecordError::Malformed(
                "record carries bytes past its frame",
            ));
        }
        Ok(frame)
    }
}

/// The records of one frame being sealed; see [`SecureTransport::seal_frame`].
pub struct SealedFrame<'a> {
    state: &'a mut snow::TransportState,
    header: [u8; FRAME_HEADER_LEN],
    payload: &'a [u8],
    /// Bytes of header + payload already sealed.
    offset: usize,
}

impl SealedFrame<'_> {
    fn total(&self) -> usize {
        FRAME_HEADER_LEN + self.payload.len()
    }

    /// The next plaintext piece of header + payload.
    fn next_plaintext(&mut self) -> Vec<u8> {
        let end = (self.offset + RECORD_MAX_PLAINTEXT).min(self.total());
        let mut piece = Vec::with_capacity(end - self.offset);
        if let Some(header) = self.header.get(self.offset.min(FRAME_HEADER_LEN)..) {
            let take = header.len().min(end - self.offset);
            piece.extend_from_slice(header.get(..take).unwrap_or_default());
        }
        let payload_start = self.offset.max(FRAME_HEADER_LEN) - FRAME_HEADER_LEN;
        let payload_end = end - FRAME_HEADER_LEN;
        piece.extend_from_slice(
            self.payload
                .get(payload_start..payload_end)
                .unwrap_or_default(),
        );
        self.offset = end;
        piece
    }
}

impl Iterator for SealedFrame<'_> {
    type Item = Result<Vec<u8>, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.offset >= self.total() {
            return None;
        }
        let plaintext = self.next_plaintext();
        let mut record = vec![0u8; RECORD_HEADER_LEN + plaintext.len() + NOISE_TAG_LEN];
        let sealed = match record.get_mut(RECORD_HEADER_LEN..) {
            Some(body) => self.state.write_message(&plaintext, body),
            None => return Some(Err(RecordError::Malformed("record buffer"))),
        };
        let result = sealed.map_err(RecordError::Encrypt).and_then(|len| {
            let header = u16::try_from(len)
                .map_err(|_| RecordError::Malformed("record longer than 65535 bytes"))?;
            record.truncate(RECORD_HEADER_LEN + len);
            if let Some(slot) = record.get_mut(..RECORD_HEADER_LEN) {
                slot.copy_from_slice(&header.to_be_bytes());
            }
            Ok(record)
        });
        Some(result)
    }
}

impl fmt::Debug for SecureTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecureTransport")
            .field("max_frame", &self.max_frame)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for SealedFrame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealedFrame")
            .field("offset", &self.offset)
            .field("total", &self.total())
            .finish_non_exhaustive()
    }
}
