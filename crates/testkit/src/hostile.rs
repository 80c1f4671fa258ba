//! A hand-built requester for adversarial tests: it runs the real Noise handshake
//! (`Noise_XX_25519_ChaChaPoly_BLAKE2s`, prologue `blindlink/wire/v1`, as documented in
//! `blindlink_protocol::wire`) with its own `snow` state instead of the protocol crate's
//! [`Channel`](blindlink_protocol::wire::Channel), so that after the handshake it can put
//! anything on the wire: well-formed messages in any order, frames of any announced
//! length, records with any plaintext, raw bytes. It checks nothing it sends.
//!
//! Before the handshake a test uses a plain [`TcpStream`] and [`await_close`].

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use blindlink_protocol::wire::{
    FRAME_HEADER_LEN, FrameDecoder, FrameError, Limits, Message, MessageError, NOISE_PATTERN,
    NoiseStaticKey, RECORD_MAX_PLAINTEXT,
};
use thiserror::Error;

use blindlink_protocol::wire::noise::PROLOGUE;
/// Length of the ChaCha20-Poly1305 tag of every record.
const TAG_LEN: usize = 16;

/// Why the hostile client could not do what it was asked.
#[derive(Debug, Error)]
pub enum HostileError {
    /// The socket failed.
    #[error("I/O: {0}")]
    Io(#[from] io::Error),
    /// The Noise library refused a handshake or record.
    #[error("Noise: {0}")]
    Noise(#[from] snow::Error),
    /// The responder's static key is not the holder's.
    #[error("the responder is not the pinned holder")]
    NotPinned,
    /// The holder sent a frame over the client's limit.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// The holder sent a frame that is not a message.
    #[error("holder sent an invalid message: {0}")]
    Message(#[from] MessageError),
    /// A message could not be encoded even with permissive limits.
    #[error("cannot encode: {0}")]
    Encode(String),
}

/// How a connection ended, seen from the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closed {
    /// The holder closed it (end of stream).
    Eof,
    /// The holder reset it.
    Reset,
    /// It was still open when the client stopped waiting.
    StillOpen,
}

/// What the holder sent before the connection ended, and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ending {
    /// Every message received, in order.
    pub messages: Vec<Message>,
    /// How the connection ended.
    pub closed: Closed,
}

/// Reads from `stream` and discards until the peer closes it or `within` passes.
pub fn await_close(stream: &mut TcpStream, within: Duration) -> Closed {
    let deadline = Instant::now() + within;
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Closed::StillOpen;
        }
        match stream.read(&mut buf) {
            Ok(0) => return Closed::Eof,
            Ok(_) => {}
            Err(e) => match closed_by(&e) {
                Some(closed) => return closed,
                None => return Closed::StillOpen,
            },
        }
    }
}

fn closed_by(e: &io::Error) -> Option<Closed> {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => Some(Closed::Eof),
        io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::BrokenPipe => Some(Closed::Reset),
        _ => None,
    }
}

/// Limits that let every message through the encoder up to the decoder's hard caps, so
/// that a test can send what the holder's configured limits forbid.
pub fn permissive_limits() -> Limits {
    Limits {
        max_message_bytes: u32::MAX,
        max_chunk_elements: u32::MAX,
        max_total_elements: u64::MAX,
        max_manifest_bytes: u32::MAX,
        max_approvals: u16::MAX,
        max_approval_bytes: u32::MAX,
        max_set_bytes: u64::MAX,
        max_set_chunk_bytes: u32::MAX,
        max_text_bytes: u32::MAX,
    }
}

/// An established channel to the holder that sends whatever it is told to.
pub struct HostileClient {
    stream: TcpStream,
    transport: snow::TransportState,
    inbound: FrameDecoder,
    limits: Limits,
}

impl HostileClient {
    /// Connects to `addr` and completes the handshake with `key`, checking that the
    /// responder is `holder_key`. Reads and writes time out after `timeout`.
    pub fn connect(
        addr: &str,
        key: &NoiseStaticKey,
        holder_key: &[u8; 32],
        timeout: Duration,
    ) -> Result<HostileClient, HostileError> {
        let mut stream = TcpStream::connect(addr)?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        stream.set_nodelay(true)?;
        let secret = key.to_secret_bytes();
        let mut handshake = snow::Builder::new(NOISE_PATTERN.parse()?)
            .local_private_key(&secret[..])?
            .prologue(PROLOGUE)?
            .build_initiator()?;
        let mut buf = [0u8; 256];
        let len = handshake.write_message(&[], &mut buf)?;
        write_record(&mut stream, buf.get(..len).unwrap_or_default())?;
        let msg2 = read_record(&mut stream)?;
        handshake.read_message(&msg2, &mut buf)?;
        if handshake.get_remote_static() != Some(&holder_key[..]) {
            return Err(HostileError::NotPinned);
        }
        let len = handshake.write_message(&[], &mut buf)?;
        write_record(&mut stream, buf.get(..len).unwrap_or_default())?;
        Ok(HostileClient {
            stream,
            transport: handshake.into_transport_mode()?,
            inbound: FrameDecoder::new(Limits::default().max_message_bytes),
            limits: Limits::default(),
        })
    }

    /// Encodes `message` with [`permissive_limits`] and sends it as one frame.
    pub fn send(&mut self, message: &Message) -> Result<(), HostileError> {
        let bytes = message
            .encode(&permissive_limits())
            .map_err(|e| HostileError::Encode(e.to_string()))?;
        self.send_frame(&bytes)
    }

    /// Sends `payload` as one frame, cut into records as the protocol does.
    pub fn send_frame(&mut self, payload: &[u8]) -> Result<(), HostileError> {
        let len = u32::try_from(payload.len()).unwrap_or(u32::MAX);
        let mut plain = Vec::with_capacity(FRAME_HEADER_LEN + payload.len());
        plain.extend_from_slice(&len.to_be_bytes());
        plain.extend_from_slice(payload);
        for piece in plain.chunks(RECORD_MAX_PLAINTEXT) {
            self.send_record(piece)?;
        }
        Ok(())
    }

    /// Sends one record carrying exactly `plaintext` (which may be empty, hold part of
    /// a frame, several frames, or a frame header alone).
    pub fn send_record(&mut self, plaintext: &[u8]) -> Result<(), HostileError> {
        let record = self.seal_record(plaintext)?;
        self.send_raw(&record)
    }

    /// The bytes of one record carrying `plaintext` (header included), encrypted with
    /// the next nonce but not sent: a test may alter them and send them with
    /// [`HostileClient::send_raw`].
    pub fn seal_record(&mut self, plaintext: &[u8]) -> Result<Vec<u8>, HostileError> {
        let mut body = vec![0u8; plaintext.len() + TAG_LEN];
        let len = self.transport.write_message(plaintext, &mut body)?;
        body.truncate(len);
        let header = u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes();
        let mut record = header.to_vec();
        record.extend_from_slice(&body);
        Ok(record)
    }

    /// Writes `bytes` to the socket as they are.
    pub fn send_raw(&mut self, bytes: &[u8]) -> Result<(), HostileError> {
        self.stream.write_all(bytes)?;
        self.stream.flush()?;
        Ok(())
    }

    /// The next message from the holder, or `None` if it closed the connection.
    pub fn recv(&mut self) -> Result<Option<Message>, HostileError> {
        loop {
            let body = match read_record(&mut self.stream) {
                Ok(body) => body,
                Err(HostileError::Io(e)) if closed_by(&e).is_some() => return Ok(None),
                Err(e) => return Err(e),
            };
            let mut plain = vec![0u8; body.len()];
            let len = self.transport.read_message(&body, &mut plain)?;
            let mut input = plain.get(..len).unwrap_or_default();
            if let Some(frame) = self.inbound.push(&mut input)? {
                return Ok(Some(Message::decode(&frame, &self.limits)?));
            }
        }
    }

    /// Reads every message until the holder closes the connection or `within` passes.
    pub fn finish(mut self, within: Duration) -> Ending {
        let deadline = Instant::now() + within;
        let mut messages = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || self.stream.set_read_timeout(Some(left)).is_err() {
                return ended(messages, Closed::StillOpen);
            }
            match self.recv() {
                Ok(Some(message)) => messages.push(message),
                Ok(None) => return ended(messages, Closed::Eof),
                Err(HostileError::Io(e)) => {
                    return ended(messages, closed_by(&e).unwrap_or(Closed::StillOpen));
                }
                // Anything undecodable from the holder ends the reading; what came
                // before stays reported.
                Err(_) => return ended(messages, await_close(&mut self.stream, left)),
            }
        }
    }

    /// Shuts the connection down in both directions (a hang-up).
    pub fn hang_up(self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }
}

fn ended(messages: Vec<Message>, closed: Closed) -> Ending {
    Ending { messages, closed }
}

impl std::fmt::Debug for HostileClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostileClient")
            .field("peer", &self.stream.peer_addr().ok())
            .finish_non_exhaustive()
    }
}

/// Writes one record: 2-byte big-endian length, then `body`.
fn write_record(stream: &mut TcpStream, body: &[u8]) -> Result<(), HostileError> {
    let len = u16::try_from(body.len()).unwrap_or(u16::MAX);
    let mut record = len.to_be_bytes().to_vec();
    record.extend_from_slice(body);
    stream.write_all(&record)?;
    Ok(())
}

/// Reads one record body.
fn read_record(stream: &mut TcpStream) -> Result<Vec<u8>, HostileError> {
    let mut header = [0u8; 2];
    stream.read_exact(&mut header)?;
    let mut body = vec![0u8; usize::from(u16::from_be_bytes(header))];
    stream.read_exact(&mut body)?;
    Ok(body)
}
