//! The Noise `XX` handshake as a sans-IO state machine with key pinning.
//!
//! ```text
//!   initiator (requester)                          responder (holder)
//!   InitiatorHandshake::start        -- msg1: e -->      ResponderHandshake::new
//!                                                         .read_first(msg1)
//!                              <-- msg2: e, ee, s, es --  (ResponderAwaitingIdentity)
//!   .finish(msg2): pin the responder's static key,
//!   refuse before sending anything more
//!                                  -- msg3: s, se -->    .finish(msg3, allowed):
//!                                                         pin the initiator's static key
//! ```
//!
//! Each phase is a type whose transition consumes it, so a handshake cannot be resumed
//! after an error or finished twice. Handshake payloads are empty and must stay empty. The
//! prologue binds the handshake to this protocol ([`PROLOGUE`]).

use std::fmt;

use subtle::{Choice, ConstantTimeEq};
use thiserror::Error;

use super::record::SecureTransport;
use super::static_key::{NoiseStaticKey, STATIC_KEY_LEN};

/// The Noise protocol name.
pub const NOISE_PATTERN: &str = "Noise_XX_25519_ChaChaPoly_BLAKE2s";

/// Prologue mixed into the handshake hash: both sides must agree on it.
pub const PROLOGUE: &[u8] = b"blindlink/wire/v1";

/// Largest handshake message this handshake produces or accepts (msg2 is 96 bytes).
const HANDSHAKE_BUF: usize = 256;

/// Why a handshake failed.
#[derive(Debug, Error)]
pub enum HandshakeError {
    /// The Noise library rejected a message or a parameter.
    #[error("Noise handshake failed: {0}")]
    Noise(#[source] snow::Error),
    /// The peer's static key is not the pinned one (or not in the allowed list).
    #[error("the peer's static key is not pinned")]
    UnknownPeer,
    /// A handshake message carried a payload; this protocol sends none.
    #[error("unexpected payload in a handshake message")]
    UnexpectedPayload,
    /// The handshake completed without a remote static key (cannot happen with `XX`).
    #[error("handshake completed without the peer's static key")]
    MissingStaticKey,
}

impl From<snow::Error> for HandshakeError {
    fn from(error: snow::Error) -> Self {
        HandshakeError::Noise(error)
    }
}

/// The parsed [`NOISE_PATTERN`] (parsing a constant name cannot fail in practice, but the
/// error is returned rather than unwrapped).
pub(crate) fn noise_params() -> Result<snow::params::NoiseParams, snow::Error> {
    NOISE_PATTERN.parse()
}

fn builder(key: &NoiseStaticKey) -> Result<snow::Builder<'_>, HandshakeError> {
    Ok(snow::Builder::new(noise_params()?)
        .local_private_key(key.secret())?
        .prologue(PROLOGUE)?)
}

fn write(state: &mut snow::HandshakeState) -> Result<Vec<u8>, HandshakeError> {
    let mut buf = [0u8; HANDSHAKE_BUF];
    let len = state.write_message(&[], &mut buf)?;
    Ok(buf.get(..len).unwrap_or_default().to_vec())
}

fn read(state: &mut snow::HandshakeState, message: &[u8]) -> Result<(), HandshakeError> {
    let mut payload = [0u8; HANDSHAKE_BUF];
    let len = state.read_message(message, &mut payload)?;
    if len != 0 {
        return Err(HandshakeError::UnexpectedPayload);
    }
    Ok(())
}

fn remote_static(state: &snow::HandshakeState) -> Result<[u8; STATIC_KEY_LEN], HandshakeError> {
    state
        .get_remote_static()
        .and_then(|key| key.try_into().ok())
        .ok_or(HandshakeError::MissingStaticKey)
}

/// True if `key` equals one of `allowed`; every entry is compared in constant time.
fn is_allowed(key: &[u8; STATIC_KEY_LEN], allowed: &[[u8; STATIC_KEY_LEN]]) -> bool {
    let found = allowed.iter().fold(Choice::from(0), |found, candidate| {
        found | candidate.ct_eq(key)
    });
    found.into()
}

/// Initiator after sending msg1, waiting for msg2.
pub struct InitiatorHandshake {
    state: snow::HandshakeState,
    pinned_responder: [u8; STATIC_KEY_LEN],
}

impl InitiatorHandshake {
    /// Starts a handshake toward the responder whose static key is `pinned_responder`;
    /// returns the state and msg1 to send.
    pub fn start(
        key: &NoiseStaticKey,
        pinned_responder: [u8; STATIC_KEY_LEN],
    ) -> Result<(Self, Vec<u8>), HandshakeError> {
        let mut state = builder(key)?.build_initiator()?;
        let msg1 = write(&mut state)?;
        Ok((
            Self {
                state,
                pinned_responder,
            },
            msg1,
        ))
    }

    /// Reads msg2 and checks the responder's static key against the pinned one. On a
    /// mismatch it fails with [`HandshakeError::UnknownPeer`] before producing msg3, so the
    /// initiator reveals nothing more. Otherwise returns msg3 to send and the transport.
    pub fn finish(mut self, msg2: &[u8]) -> Result<(Vec<u8>, SecureTransport), HandshakeError> {
        read(&mut self.state, msg2)?;
        let remote = remote_static(&self.state)?;
        if !is_allowed(&remote, &[self.pinned_responder]) {
            return Err(HandshakeError::UnknownPeer);
        }
        let msg3 = write(&mut self.state)?;
        let transport = self.state.into_transport_mode()?;
        Ok((msg3, SecureTransport::new(transport, remote)))
    }
}

/// Responder waiting for msg1.
pub struct ResponderHandshake {
    state: snow::HandshakeState,
}

impl ResponderHandshake {
    /// A responder with its static key.
    pub fn new(key: &NoiseStaticKey) -> Result<Self, HandshakeError> {
        Ok(Self {
            state: builder(key)?.build_responder()?,
        })
    }

    /// Reads msg1; returns the next state and msg2 to send.
    pub fn read_first(
        mut self,
        msg1: &[u8],
    ) -> Result<(ResponderAwaitingIdentity, Vec<u8>), HandshakeError> {
        read(&mut self.state, msg1)?;
        let msg2 = write(&mut self.state)?;
        Ok((ResponderAwaitingIdentity { state: self.state }, msg2))
    }
}

/// Responder after sending msg2, waiting for the initiator's identity in msg3.
pub struct ResponderAwaitingIdentity {
    state: snow::HandshakeState,
}

impl ResponderAwaitingIdentity {
    /// Reads msg3 and checks the initiator's static key against `allowed`; on success
    /// returns the transport and the initiator's public key.
    pub fn finish(
        mut self,
        msg3: &[u8],
        allowed: &[[u8; STATIC_KEY_LEN]],
    ) -> Result<(SecureTransport, [u8; STATIC_KEY_LEN]), HandshakeError> {
        read(&mut self.state, msg3)?;
        let remote = remote_static(&self.state)?;
        if !is_allowed(&remote, allowed) {
            return Err(HandshakeError::UnknownPeer);
        }
        let transport = self.state.into_transport_mode()?;
        Ok((SecureTransport::new(transport, remote), remote))
    }
}

impl fmt::Debug for InitiatorHandshake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InitiatorHandshake").finish_non_exhaustive()
    }
}

impl fmt::Debug for ResponderHandshake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponderHandshake").finish_non_exhaustive()
    }
}

impl fmt::Debug for ResponderAwaitingIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponderAwaitingIdentity")
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> NoiseStaticKey {
        NoiseStaticKey::generate().unwrap()
    }

    #[test]
    fn handshake_in_memory_pins_both_sides() {
        let (client, server) = (key(), key());
        let (initiator, msg1) = InitiatorHandshake::start(&client, server.public_key()).unwrap();
        let (responder, msg2) = ResponderHandshake::new(&server)
            .unwrap()
            .read_first(&msg1)
            .unwrap();
        let (msg3, mut client_transport) = initiator.finish(&msg2).unwrap();
        let (mut server_transport, peer) = responder
            .finish(&msg3, &[key().public_key(), client.public_key()])
            .unwrap();
        assert_eq!(peer, client.public_key());
        assert_eq!(client_transport.peer_public_key(), server.public_key());

        let records: Vec<Vec<u8>> = client_transport
            .seal_frame(b"hello holder")
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(records.len(), 1);
        let body = records[0].get(2..).unwrap();
        assert_eq!(
            server_transport.open_record(body).unwrap(),
            Some(b"hello holder".to_vec())
        );
    }

    #[test]
    fn initiator_refuses_unpinned_responder_before_msg3() {
        let (client, server) = (key(), key());
        let (initiator, msg1) = InitiatorHandshake::start(&client, key().public_key()).unwrap();
        let (_, msg2) = ResponderHandshake::new(&server)
            .unwrap()
            .read_first(&msg1)
            .unwrap();
        assert!(matches!(
            initiator.finish(&msg2),
            Err(HandshakeError::UnknownPeer)
        ));
    }

    #[test]
    fn responder_refuses_unlisted_initiator() {
        let (client, server) = (key(), key());
        let (initiator, msg1) = InitiatorHandshake::start(&client, server.public_key()).unwrap();
        let (responder, msg2) = ResponderHandshake::new(&server)
            .unwrap()
            .read_first(&msg1)
            .unwrap();
        let (msg3, _) = initiator.finish(&msg2).unwrap();
        assert!(matches!(
            responder.finish(&msg3, &[key().public_key()]),
            Err(HandshakeError::UnknownPeer)
        ));
    }

    #[test]
    fn garbage_handshake_messages_are_errors() {
        let server = key();
        let result = ResponderHandshake::new(&server)
            .unwrap()
            .read_first(&[1, 2, 3]);
        assert!(matches!(result, Err(HandshakeError::Noise(_))));
    }
}
