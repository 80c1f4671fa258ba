//! A blocking, mutually authenticated channel over any `Read + Write` byte stream.
//!
//! This is the thin I/O loop around the sans-IO [`noise`](super::noise) handshake and
//! [`record`](super::record) layer. Timeouts are the caller's: set them on the stream (for
//! example `TcpStream::set_read_timeout`) before or after the handshake; a read that times
//! out surfaces as [`ChannelError::Timeout`].
//!
//! After any transport error (I/O, timeout, decryption, record or frame violation) the
//! channel is unusable and every further call fails with [`ChannelError::Broken`]: the
//! stream may be mid-record. A message that arrives intact but fails to decode
//! ([`ChannelError::Message`]) leaves the channel usable, so the caller can still send an
//! [`Abort`](super::Abort).

use std::fmt;
use std::io::{self, Read, Write};

use thiserror::Error;

use super::codec::MessageError;
use super::frame::FrameError;
use super::limits::Limits;
use super::message::Message;
use super::noise::{HandshakeError, InitiatorHandshake, ResponderHandshake};
use super::record::{RECORD_HEADER_LEN, RecordError, SecureTransport};
use super::static_key::{NoiseStaticKey, STATIC_KEY_LEN};

/// Why the channel failed.
#[derive(Debug, Error)]
pub enum ChannelError {
    /// The peer closed the connection (EOF, reset or broken pipe), possibly mid-record.
    #[error("the peer closed the connection")]
    PeerClosed,
    /// A read or write timed out.
    #[error("timed out waiting for the peer")]
    Timeout,
    /// Any other I/O error.
    #[error("I/O error: {0}")]
    Io(#[source] io::Error),
    /// A record failed authentication.
    #[error("a record failed to decrypt (tampered, reordered or not from the peer)")]
    Decrypt,
    /// A frame over the configured maximum, announced by the peer or about to be sent.
    #[error("frame of {len} bytes exceeds the limit of {max} bytes")]
    FrameTooLarge {
        /// Frame payload length.
        len: u64,
        /// Configured maximum.
        max: u32,
    },
    /// The Noise handshake failed.
    #[error("{0}")]
    Handshake(#[source] HandshakeError),
    /// The peer's static key is not pinned; nothing was exchanged after the handshake.
    #[error("the peer's static key is not pinned: connection refused")]
    UnknownPeer,
    /// The peer broke the record layer (empty record, bytes past a frame).
    #[error("{0}")]
    Record(#[source] RecordError),
    /// A frame arrived intact but is not a valid message; the channel stays usable.
    #[error("invalid message: {0}")]
    Message(#[source] MessageError),
    /// An earlier error left the channel unusable.
    #[error("the channel is unusable after an earlier error")]
    Broken,
}

impl From<HandshakeError> for ChannelError {
    fn from(error: HandshakeError) -> Self {
        match error {
            HandshakeError::UnknownPeer => ChannelError::UnknownPeer,
            other => ChannelError::Handshake(other),
        }
    }
}

impl From<RecordError> for ChannelError {
    fn from(error: RecordError) -> Self {
        match error {
            RecordError::Frame(FrameError::TooLarge { len, max }) => {
                ChannelError::FrameTooLarge { len, max }
            }
            RecordError::Decrypt => ChannelError::Decrypt,
            other => ChannelError::Record(other),
        }
    }
}

impl From<io::Error> for ChannelError {
    fn from(error: io::Error) -> Self {
        match error.kind() {
            io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe => ChannelError::PeerClosed,
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => ChannelError::Timeout,
            _ => ChannelError::Io(error),
        }
    }
}

/// An established channel: the peer is authenticated and pinned.
pub struct Channel<S> {
    stream: S,
    transport: SecureTransport,
    limits: Limits,
    broken: bool,
    record: Vec<u8>,
}

impl<S: Read + Write> Channel<S> {
    /// Runs the handshake as initiator (the requester) and checks that the responder's
    /// static key is `pinned_server`. On a mismatch returns [`ChannelError::UnknownPeer`]
    /// without sending the last handshake message, and drops the stream.
    pub fn connect(
        mut stream: S,
        my_key: &NoiseStaticKey,
        pinned_server: &[u8; STATIC_KEY_LEN],
    ) -> Result<Self, ChannelError> {
        let mut record = Vec::new();
        let (handshake, msg1) = InitiatorHandshake::start(my_key, *pinned_server)?;
        write_record(&mut stream, &msg1)?;
        read_record(&mut stream, &mut record)?;
        let (msg3, transport) = handshake.finish(&record)?;
        write_record(&mut stream, &msg3)?;
        Ok(Self::established(stream, transport, record))
    }

    /// Runs the handshake as responder (the holder) and checks that the initiator's static
    /// key is one of `allowed_clients`. On success returns the channel and the initiator's
    /// public key; on a mismatch returns [`ChannelError::UnknownPeer`] having sent nothing
    /// after the handshake, and drops the stream.
    pub fn accept(
        mut stream: S,
        my_key: &NoiseStaticKey,
        allowed_clients: &[[u8; STATIC_KEY_LEN]],
    ) -> Result<(Self, [u8; STATIC_KEY_LEN]), ChannelError> {
        let mut record = Vec::new();
        let handshake = ResponderHandshake::new(my_key)?;
        read_record(&mut stream, &mut record)?;
        let (handshake, msg2) = handshake.read_first(&record)?;
        write_record(&mut stream, &msg2)?;
        read_record(&mut stream, &mut record)?;
        let (transport, peer) = handshake.finish(&record, allowed_clients)?;
        Ok((Self::established(stream, transport, record), peer))
    }

    fn established(stream: S, transport: SecureTransport, record: Vec<u8>) -> Self {
        let mut channel = Self {
            stream,
            transport,
            limits: Limits::default(),
            broken: false,
            record,
        };
        channel.set_limits(Limits::default());
        channel
    }

    /// The limits applied to messages and frames (default [`Limits::default`]).
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Replaces the limits; the frame maximum becomes `limits.max_message_bytes`.
    pub fn set_limits(&mut self, limits: Limits) {
        self.transport.set_max_frame_bytes(limits.max_message_bytes);
        self.limits = limits;
    }

    /// The peer's static public key, as pinned.
    pub fn peer_public_key(&self) -> [u8; STATIC_KEY_LEN] {
        self.transport.peer_public_key()
    }

    /// The underlying stream, for setting timeouts. Reading or writing it directly
    /// corrupts the channel.
    pub fn get_ref(&self) -> &S {
        &self.stream
    }

    /// Encodes `message` (checking the limits) and sends it as one frame.
    pub fn send(&mut self, message: &Message) -> Result<(), ChannelError> {
        let bytes = message
            .encode(&self.limits)
            .map_err(ChannelError::Message)?;
        self.send_bytes(&bytes)
    }

    /// Receives one frame and decodes it as a message (checking the limits).
    pub fn recv(&mut self) -> Result<Message, ChannelError> {
        let bytes = self.recv_bytes()?;
        Message::decode(&bytes, &self.limits).map_err(ChannelError::Message)
    }

    /// Sends `payload` as one frame, split across as many records as needed.
    pub fn send_bytes(&mut self, payload: &[u8]) -> Result<(), ChannelError> {
        if self.broken {
            return Err(ChannelError::Broken);
        }
        if payload.len() > self.limits.message_bytes() {
            // Refused before anything is sealed: the channel stays usable.
            return Err(ChannelError::FrameTooLarge {
                len: u64::try_from(payload.len()).unwrap_or(u64::MAX),
                max: self.limits.max_message_bytes,
            });
        }
        let result = self.write_frame(payload);
        self.broken = result.is_err();
        result
    }

    /// Receives one frame's payload.
    pub fn recv_bytes(&mut self) -> Result<Vec<u8>, ChannelError> {
        if self.broken {
            return Err(ChannelError::Broken);
        }
        let result = self.read_frame();
        self.broken = result.is_err();
        result
    }

    fn write_frame(&mut self, payload: &[u8]) -> Result<(), ChannelError> {
        for record in self.transport.seal_frame(payload)? {
            self.stream.write_all(&record?)?;
        }
        self.stream.flush()?;
        Ok(())
    }

    fn read_frame(&mut self) -> Result<Vec<u8>, ChannelError> {
        loop {
            read_record(&mut self.stream, &mut self.record)?;
            if let Some(frame) = self.transport.open_record(&self.record)? {
                return Ok(frame);
            }
        }
    }
}

/// Writes one record: 2-byte big-endian length, then `body`.
fn write_record<W: Write>(stream: &mut W, body: &[u8]) -> Result<(), ChannelError> {
    let len = u16::try_from(body.len()).map_err(|_| {
        ChannelError::Record(RecordError::Malformed("record longer than 65535 bytes"))
    })?;
    let mut record = Vec::with_capacity(RECORD_HEADER_LEN + body.len());
    record.extend_from_slice(&len.to_be_bytes());
    record.extend_from_slice(body);
    stream.write_all(&record)?;
    stream.flush()?;
    Ok(())
}

/// Reads one record body into `body` (at most 65,535 bytes, so bounded by construction).
fn read_record<R: Read>(stream: &mut R, body: &mut Vec<u8>) -> Result<(), ChannelError> {
    let mut header = [0u8; RECORD_HEADER_LEN];
    stream.read_exact(&mut header)?;
    body.clear();
    body.resize(usize::from(u16::from_be_bytes(header)), 0);
    stream.read_exact(body)?;
    Ok(())
}

impl<S> fmt::Debug for Channel<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Channel")
            .field("transport", &self.transport)
            .field("limits", &self.limits)
            .field("broken", &self.broken)
            .finish_non_exhaustive()
    }
}
