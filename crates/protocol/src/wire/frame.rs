//! Application framing, sans-IO: `u32` big-endian length, then that many payload bytes.
//!
//! One frame carries one encoded [`Message`](super::Message) (or raw bytes for
//! [`Channel::send_bytes`](super::Channel::send_bytes)). The [`FrameDecoder`] is fed bytes
//! as they arrive and yields complete frames; it rejects a length above its maximum as soon
//! as the fourth header byte arrives, before buffering any payload, and it never buffers
//! more than one frame.

use thiserror::Error;

/// Length of the frame header (a big-endian `u32` payload length).
pub const FRAME_HEADER_LEN: usize = 4;

/// A frame that breaks the length limit.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum FrameError {
    /// The frame's payload is longer than the maximum.
    #[error("frame of {len} bytes exceeds the limit of {max} bytes")]
    TooLarge {
        /// Announced or actual payload length.
        len: u64,
        /// Maximum payload length.
        max: u32,
    },
}

/// The frame header for a payload of `len` bytes, if `len <= max`.
pub fn frame_header(len: usize, max: u32) -> Result<[u8; FRAME_HEADER_LEN], FrameError> {
    match u32::try_from(len) {
        Ok(len32) if len32 <= max => Ok(len32.to_be_bytes()),
        _ => Err(FrameError::TooLarge {
            len: u64::try_from(len).unwrap_or(u64::MAX),
            max,
        }),
    }
}

/// Header and payload in one buffer, if the payload is at most `max` bytes.
pub fn encode_frame(payload: &[u8], max: u32) -> Result<Vec<u8>, FrameError> {
    let header = frame_header(payload.len(), max)?;
    let mut frame = Vec::with_capacity(FRAME_HEADER_LEN + payload.len());
    frame.extend_from_slice(&header);
    frame.extend_from_slice(payload);
    Ok(frame)
}

/// Incremental decoder of length-prefixed frames.
///
/// After an error the decoder stays failed (the byte stream has lost its framing) and
/// returns the same error on every call.
#[derive(Debug)]
pub struct FrameDecoder {
    max: u32,
    header: [u8; FRAME_HEADER_LEN],
    header_filled: usize,
    /// Payload length once the header is complete.
    expected: Option<usize>,
    payload: Vec<u8>,
    failed: Option<FrameError>,
}

impl FrameDecoder {
    /// A decoder accepting payloads of at most `max_frame_bytes`.
    pub fn new(max_frame_bytes: u32) -> Self {
        Self {
            max: max_frame_bytes,
            header: [0; FRAME_HEADER_LEN],
            header_filled: 0,
            expected: None,
            payload: Vec::new(),
            failed: None,
        }
    }

    /// The largest payload accepted.
    pub fn max_frame_bytes(&self) -> u32 {
        self.max
    }

    /// Changes the largest payload accepted; applies to the next header read.
    pub fn set_max_frame_bytes(&mut self, max_frame_bytes: u32) {
        self.max = max_frame_bytes;
    }

    /// True when no partial frame is buffered (the stream is at a frame boundary).
    pub fn is_at_boundary(&self) -> bool {
        self.header_filled == 0 && self.failed.is_none()
    }

    /// Consumes bytes from the front of `input` up to the end of the current frame.
    ///
    /// Returns `Ok(Some(payload))` when a frame completes (the rest of `input` is left for
    /// the next call), `Ok(None)` when `input` is used up mid-frame, or an error when the
    /// header announces more than the maximum.
    pub fn push(&mut self, input: &mut &[u8]) -> Result<Option<Vec<u8>>, FrameError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        let expected = match self.expected {
            Some(expected) => expected,
            None => {
                let wanted = FRAME_HEADER_LEN - self.header_filled;
                let (taken, rest) = input.split_at(wanted.min(input.len()));
                let slot = self
                    .header
                    .get_mut(self.header_filled..self.header_filled + taken.len());
                if let Some(slot) = slot {
                    slot.copy_from_slice(taken);
                }
                self.header_filled += taken.len();
                *input = rest;
                if self.header_filled < FRAME_HEADER_LEN {
                    return Ok(None);
                }
                let len = u32::from_be_bytes(self.header);
                if len > self.max {
                    let error = FrameError::TooLarge {
                        len: u64::from(len),
                        max: self.max,
                    };
                    self.failed = Some(error.clone());
                    return Err(error);
                }
                let len = usize::try_from(len).unwrap_or(usize::MAX);
                self.expected = Some(len);
                len
            }
        };
        let wanted = expected - self.payload.len();
        let (taken, rest) = input.split_at(wanted.min(input.len()));
        self.payload.extend_from_slice(taken);
        *input = rest;
        if self.payload.len() < expected {
            return Ok(None);
        }
        self.header_filled = 0;
        self.expected = None;
        Ok(Some(std::mem::take(&mut self.payload)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_big_endian_length() {
        assert_eq!(frame_header(0x0102_0304, u32::MAX), Ok([1, 2, 3, 4]));
        assert!(frame_header(11, 10).is_err());
    }

    #[test]
    fn empty_frame_completes_on_header() {
        let mut decoder = FrameDecoder::new(10);
        let mut input: &[u8] = &[0, 0, 0, 0, 9];
        assert_eq!(decoder.push(&mut input), Ok(Some(Vec::new())));
        assert_eq!(input, &[9]);
    }

    #[test]
    fn failure_is_sticky() {
        let mut decoder = FrameDecoder::new(10);
        let mut input: &[u8] = &[0, 0, 0, 11];
        assert!(decoder.push(&mut input).is_err());
        let mut more: &[u8] = &[0, 0, 0, 1, 7];
        assert!(decoder.push(&mut more).is_err());
        assert!(!decoder.is_at_boundary());
    }
}
