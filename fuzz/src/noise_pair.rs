//! An established Noise channel in memory for the record-layer target: the project's own
//! handshake on one side (its [`SecureTransport`] is the receiver under test) and a raw
//! `snow` transport with the same pattern and prologue on the other, so the fuzzer can
//! seal *any* plaintext (empty records, bytes past a frame, bad frame headers), not only
//! what `seal_frame` makes. Static keys are fixed; ephemeral keys are fresh per pair.

use blindlink_protocol::wire::noise::PROLOGUE;
use blindlink_protocol::wire::{
    InitiatorHandshake, NOISE_PATTERN, NoiseStaticKey, ResponderHandshake, SecureTransport,
};

const REQUESTER_SECRET: [u8; 32] = [0x11; 32];
const HOLDER_SECRET: [u8; 32] = [0x22; 32];

/// The two ends: `receiver` is the project's transport, `sender` the raw peer.
pub struct NoisePair {
    /// The transport under test (holder or requester side).
    pub receiver: SecureTransport,
    /// The peer, able to encrypt arbitrary plaintext.
    pub sender: snow::TransportState,
}

fn raw_builder(secret: &[u8; 32]) -> Result<snow::Builder<'_>, snow::Error> {
    snow::Builder::new(NOISE_PATTERN.parse()?)
        .local_private_key(secret)?
        .prologue(PROLOGUE)
}

fn raw_write(state: &mut snow::HandshakeState) -> anyhow::Result<Vec<u8>> {
    let mut buf = [0u8; 256];
    let len = state.write_message(&[], &mut buf)?;
    Ok(buf.get(..len).unwrap_or_default().to_vec())
}

fn raw_read(state: &mut snow::HandshakeState, message: &[u8]) -> anyhow::Result<()> {
    let mut buf = [0u8; 256];
    state.read_message(message, &mut buf)?;
    Ok(())
}

impl NoisePair {
    /// A completed handshake. `holder_receives`: the project's side is the holder
    /// (responder) and the raw peer the requester; otherwise the other way round.
    pub fn new(holder_receives: bool) -> anyhow::Result<NoisePair> {
        let requester_key = NoiseStaticKey::from_secret_bytes(&REQUESTER_SECRET)?;
        let holder_key = NoiseStaticKey::from_secret_bytes(&HOLDER_SECRET)?;
        if holder_receives {
            let mut raw = raw_builder(&REQUESTER_SECRET)?.build_initiator()?;
            let msg1 = raw_write(&mut raw)?;
            let (responder, msg2) = ResponderHandshake::new(&holder_key)?.read_first(&msg1)?;
            raw_read(&mut raw, &msg2)?;
            let msg3 = raw_write(&mut raw)?;
            let (receiver, _) = responder.finish(&msg3, &[requester_key.public_key()])?;
            Ok(NoisePair {
                receiver,
                sender: raw.into_transport_mode()?,
            })
        } else {
            let mut raw = raw_builder(&HOLDER_SECRET)?.build_responder()?;
            let (initiator, msg1) =
                InitiatorHandshake::start(&requester_key, holder_key.public_key())?;
            raw_read(&mut raw, &msg1)?;
            let msg2 = raw_write(&mut raw)?;
            let (msg3, receiver) = initiator.finish(&msg2)?;
            raw_read(&mut raw, &msg3)?;
            Ok(NoisePair {
                receiver,
                sender: raw.into_transport_mode()?,
            })
        }
    }

    /// Two of the project's own transports after an in-memory handshake: `(requester,
    /// holder)`.
    pub fn real() -> anyhow::Result<(SecureTransport, SecureTransport)> {
        let requester_key = NoiseStaticKey::from_secret_bytes(&REQUESTER_SECRET)?;
        let holder_key = NoiseStaticKey::from_secret_bytes(&HOLDER_SECRET)?;
        let (initiator, msg1) = InitiatorHandshake::start(&requester_key, holder_key.public_key())?;
        let (responder, msg2) = ResponderHandshake::new(&holder_key)?.read_first(&msg1)?;
        let (msg3, requester) = initiator.finish(&msg2)?;
        let (holder, _) = responder.finish(&msg3, &[requester_key.public_key()])?;
        Ok((requester, holder))
    }

    /// Encrypts `plaintext` as one record body (no length header), advancing the
    /// sender's nonce.
    pub fn seal(&mut self, plaintext: &[u8]) -> anyhow::Result<Vec<u8>> {
        let mut body = vec![0u8; plaintext.len() + 16];
        let len = self.sender.write_message(plaintext, &mut body)?;
        body.truncate(len);
        Ok(body)
    }
}
