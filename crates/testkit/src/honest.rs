//! An honest requester run in-process, for checking between adversarial cases that the
//! holder still serves correctly without starting `ice` and `approve` each time.
//!
//! It drives the protocol crate's requester session (the state machine `ice query` uses)
//! over the protocol crate's [`Channel`], for a bundle's request re-signed under a fresh
//! request id by a real approver key (a bundle can be answered only once, and a test
//! needs many answers). Everything the holder sends is verified: the VOPRF proofs
//! against the pinned key, the set against `Welcome`. The result is what `ice query`
//! would write to its results CSV.

use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use blindlink_protocol::bundle::{BundleError, RecordResult};
use blindlink_protocol::session::SessionError;
use blindlink_protocol::session::requester::{
    EvaluationStep, RequesterParams, RequesterSession, SetStep, lookup,
};
use blindlink_protocol::wire::{Channel, ChannelError, Limits, Message, NoiseStaticKey};
use thiserror::Error;

use super::forge::{ForgeError, ForgedRequest, Signer};
use super::rogue::{RogueError, holder_noise_key, read_bundle};

/// Why the honest session did not end with results.
#[derive(Debug, Error)]
pub enum HonestError {
    /// The bundle or `holder.json` could not be read.
    #[error(transparent)]
    Files(#[from] RogueError),
    /// The request could not be re-signed.
    #[error(transparent)]
    Forge(#[from] ForgeError),
    /// The channel failed.
    #[error("channel: {0}")]
    Channel(#[from] ChannelError),
    /// The holder broke the protocol or sent something that does not verify.
    #[error("session: {0}")]
    Session(#[from] SessionError),
    /// The holder refused the request.
    #[error("refused: {code}: {message}")]
    Refused {
        /// Stable code.
        code: String,
        /// The holder's reason.
        message: String,
    },
    /// The results could not be assembled.
    #[error("results: {0}")]
    Results(#[from] BundleError),
}

/// Who the honest requester is and where it sends.
#[derive(Debug)]
pub struct HonestRequester<'a> {
    /// The holder's address.
    pub addr: &'a str,
    /// The holder's `holder.json` (its Noise key is pinned from it).
    pub holder_json: &'a Path,
    /// The requester's Noise key (one the holder allows).
    pub key: &'a NoiseStaticKey,
    /// The requester id bound to that key.
    pub requester_id: &'a str,
    /// The approver whose signature the policy requires.
    pub signer: &'a Signer,
}

impl HonestRequester<'_> {
    /// Sends `bundle`'s request under a fresh request id, approved by the signer, and
    /// returns the per-record results (as `ice query` would write them).
    pub fn query(&self, bundle: &Path) -> Result<Vec<RecordResult>, HonestError> {
        let (contents, blinds) = read_bundle(bundle)?.into_parts();
        let forged = ForgedRequest::from_bundle(&contents).signed_by(self.signer)?;
        let params = RequesterParams {
            requester_id: self.requester_id.to_owned(),
            manifest_json: forged.manifest()?.to_json_pretty().into_bytes(),
            approvals_json: forged.approvals.clone(),
            key_epoch: *contents.key_epoch().as_bytes(),
            pinned_public_key: contents.holder_public_key(),
            cached: None,
            limits: Limits::default(),
        };
        let stream = TcpStream::connect(self.addr).map_err(ChannelError::Io)?;
        let timeout = Some(Duration::from_secs(30));
        stream
            .set_read_timeout(timeout)
            .and_then(|()| stream.set_write_timeout(timeout))
            .map_err(ChannelError::Io)?;
        let holder_key = holder_noise_key(self.holder_json)?;
        let mut channel = Channel::connect(stream, self.key, &holder_key)?;

        let (await_welcome, hello) = RequesterSession::start(params);
        channel.send(&hello)?;
        let (mut evaluation, messages) =
            await_welcome.on_welcome(channel.recv()?, contents.blinded_elements())?;
        for message in &messages {
            channel.send(message)?;
        }
        let received = loop {
            match evaluation.on_message(channel.recv()?)? {
                EvaluationStep::More(next) => evaluation = next,
                EvaluationStep::Done(done) => break done,
                EvaluationStep::Refused(r) => {
                    return Err(HonestError::Refused {
                        code: r.code,
                        message: r.message,
                    });
                }
            }
        };
        let (mut set_phase, outputs) = received.finalize(
            contents.element_inputs(),
            blinds,
            contents.blinded_elements(),
        )?;
        let set = loop {
            match set_phase.on_message(channel.recv()?)? {
                SetStep::More(next) => set_phase = next,
                SetStep::Received { set, .. } => break set,
                SetStep::UseCached(_) => {
                    return Err(HonestError::Session(SessionError::Malformed {
                        what: "SetCached",
                        detail: "no set was cached".into(),
                    }));
                }
            }
        };
        let _ = channel.send(&Message::Goodbye);
        Ok(contents.results(&lookup(&set, &outputs))?)
    }
}
