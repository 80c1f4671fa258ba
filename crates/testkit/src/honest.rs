//! An honest requester run in-process, for checking between adversarial cases that the
//! holder still serves correctly without starting `ice` and `approve` each time.
//!
//! It runs the protocol crate's requester driver (the one `ice query` runs) over the
//! protocol crate's [`Channel`], for a bundle's request re-signed under a fresh
//! request id by a real approver key (a bundle can be answered only once, and a test
//! needs many answers). Everything the holder sends is verified: the VOPRF proofs
//! against the pinned key, the set against `Welcome`. The result is what `ice query`
//! would write to its results CSV.

use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use blindlink_core::fingerprint::EncodedSet;
use blindlink_protocol::bundle::{BundleError, RecordResult};
use blindlink_protocol::driver::{
    self, RequesterError, RequesterJob, RequesterOutcome, Unobserved,
};
use blindlink_protocol::session::requester::RequesterParams;
use blindlink_protocol::transparency::ReceiptExpectation;
use blindlink_protocol::wire::{Channel, ChannelError, Limits, Metered, NoiseStaticKey};
use thiserror::Error;

use super::forge::{ForgeError, ForgedRequest, Signer};
use super::rogue::{RogueError, holder_identity_key, holder_noise_key, read_bundle};

/// Why the honest session did not end with results.
#[derive(Debug, Error)]
pub enum HonestError {
    /// The bundle or `holder.json` could not be read.
    #[error(transparent)]
    Files(#[from] RogueError),
    /// The request could not be re-signed.
    #[error(transparent)]
    Forge(#[from] ForgeError),
    /// The connection could not be set up.
    #[error("channel: {0}")]
    Channel(#[from] ChannelError),
    /// The session failed: the channel, or the holder broke the protocol or sent
    /// something that does not verify.
    #[error("session: {0}")]
    Session(#[from] RequesterError),
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
        let manifest = forged.manifest()?;
        let params = RequesterParams {
            requester_id: self.requester_id.to_owned(),
            manifest_json: manifest.to_json_pretty().into_bytes(),
            approvals_json: forged.approvals.clone(),
            key_epoch: *contents.key_epoch().as_bytes(),
            pinned_public_key: contents.holder_public_key(),
            approved_set_hash: *contents.manifest().fields().set_hash.as_bytes(),
            cached: None,
            // Each query is its own first session: no earlier head to be consistent with.
            receipt: ReceiptExpectation {
                holder: holder_identity_key(self.holder_json)?,
                requester_id: self.requester_id.to_owned(),
                request_id: manifest.request_id(),
                manifest_sha256: manifest.sha256(),
                last_seen: None,
            },
            limits: Limits::default(),
        };
        let stream = TcpStream::connect(self.addr).map_err(ChannelError::Io)?;
        let timeout = Some(Duration::from_secs(30));
        stream
            .set_read_timeout(timeout)
            .and_then(|()| stream.set_write_timeout(timeout))
            .map_err(ChannelError::Io)?;
        let holder_key = holder_noise_key(self.holder_json)?;
        let mut channel = Channel::connect(Metered::new(stream), self.key, &holder_key)?;
        // The session checks the set against `Welcome`; nothing else is pinned here.
        let any_valid_set = |_: &EncodedSet| Ok(());
        let job = RequesterJob {
            params,
            blinded: contents.blinded_elements(),
            inputs: contents.element_inputs(),
            blinds,
            cached_set: None,
            check_set: &any_valid_set,
            keep_receipt: &|_| Ok(()),
        };
        match driver::run(&mut channel, job, &mut Unobserved)? {
            RequesterOutcome::Answered(answer) => Ok(contents.results(&answer.matched)?),
            RequesterOutcome::Refused(r) => Err(HonestError::Refused {
                code: r.code,
                message: r.message,
            }),
        }
    }
}
