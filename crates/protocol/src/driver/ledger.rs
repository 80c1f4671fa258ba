//! What the holder writes down before it acts, and the receipt that proves it did.
//!
//! A [`Ledger`] is the holder's durable memory: the audit log (every decision, in order,
//! fsynced) and the replay journal (request ids already answered). It is implemented
//! where files live (`blindlink-store`'s `FileLedger`); this crate only says what must be
//! recorded and when.
//!
//! The one rule that matters here, "the decision is durable before anything is
//! evaluated", is a type: [`Accepted::evaluate`](crate::session::holder::Accepted::evaluate)
//! takes a [`Durable`] receipt, and the only way to get one is [`commit_acceptance`],
//! which claims the request id and records the accepted decision first.

use crate::approval::{Approval, ApproverPublicKey, Role};
use crate::manifest::{KeyEpoch, Manifest, OprfKeyHex, RequestId, SetHash};
use crate::policy::RefusalReason;
use crate::session::holder::Accepted;
use crate::wire::DecisionReceipt;

/// The parts of a request every holder ledger entry names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSummary {
    /// The requester authenticated on the channel.
    pub requester: String,
    /// The manifest's request id.
    pub request_id: RequestId,
    /// Records in the request (counted against the daily limit if served).
    pub records: u64,
    /// Blinded elements announced.
    pub elements: u64,
    /// Rule ids the request uses.
    pub rules: Vec<String>,
    /// Approvals attached (valid or not).
    pub approvals: usize,
    /// What the approvers signed: SHA-256 of the manifest's canonical bytes, and the
    /// epoch, OPRF key and set the manifest names.
    pub signed: SignedScope,
}

/// What a request's approvals cover, as the holder's log records it: enough for an
/// auditor to check each approval against the manifest and to see which key and set it
/// was answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedScope {
    /// SHA-256 of the manifest's canonical bytes.
    pub manifest_sha256: [u8; 32],
    /// The key epoch named.
    pub key_epoch: KeyEpoch,
    /// The OPRF public key named.
    pub oprf_public_key: OprfKeyHex,
    /// The set named.
    pub set_hash: SetHash,
    /// Every approval presented: role, key and the Ed25519 signature.
    pub approvals: Vec<(Role, ApproverPublicKey, [u8; 64])>,
}

impl SignedScope {
    /// The scope of `manifest` with `approvals`.
    pub fn of(manifest: &Manifest, approvals: &[Approval]) -> SignedScope {
        let fields = manifest.fields();
        SignedScope {
            manifest_sha256: manifest.sha256(),
            key_epoch: fields.key_epoch,
            oprf_public_key: fields.oprf_public_key,
            set_hash: fields.set_hash,
            approvals: approvals
                .iter()
                .map(|a| (a.role().clone(), *a.public_key(), a.signature_bytes()))
                .collect(),
        }
    }
}

/// One thing the holder driver records, in the order it happens.
#[derive(Debug, Clone, Copy)]
pub enum HolderEvent<'a> {
    /// A request (manifest and approvals) arrived.
    RequestReceived(&'a RequestSummary),
    /// The request was refused; recorded before the refusal is sent.
    DecisionRefused {
        /// The request.
        request: &'a RequestSummary,
        /// Why.
        reason: &'a RefusalReason,
    },
    /// The request was accepted; recorded before anything is evaluated.
    DecisionAccepted {
        /// The request.
        request: &'a RequestSummary,
        /// The approvals that counted, by role.
        approved_by: &'a [(Role, ApproverPublicKey)],
    },
    /// The blinded elements were evaluated and the answer sent.
    Evaluated {
        /// The request.
        request: &'a RequestSummary,
        /// Elements evaluated.
        elements: u64,
        /// DLEQ proofs sent.
        proofs: u64,
    },
    /// The encoded set was sent, or the requester's cached copy confirmed.
    SetSent {
        /// The request.
        request: &'a RequestSummary,
        /// Content hash of the set.
        set_hash: [u8; 32],
        /// Whether the cached copy was confirmed instead of sending the set.
        cached: bool,
        /// Set bytes sent.
        set_bytes: u64,
        /// Bytes written to the connection so far (ciphertext, framing, handshake).
        wire_bytes_out: u64,
        /// Bytes read from the connection so far.
        wire_bytes_in: u64,
    },
    /// A session ended in an error.
    SessionError {
        /// The peer's address, if the transport has one.
        peer: Option<&'a str>,
        /// The requester, once the handshake named it.
        requester: Option<&'a str>,
        /// The stable reason code ([`failure_code`](super::failure_code)).
        reason: &'a str,
        /// The error in words.
        error: &'a str,
    },
}

/// Records and elements served to one requester by one accepted decision, as a ledger
/// remembers it (to rebuild the budgets' counters when the holder restarts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedRecords {
    /// The requester.
    pub requester: String,
    /// When (unix seconds).
    pub time: u64,
    /// Records served.
    pub records: u64,
    /// Elements evaluated.
    pub elements: u64,
    /// The key epoch they were evaluated under, if the entry names it.
    pub key_epoch: Option<KeyEpoch>,
}

/// The holder's durable memory. Every method must be durable when it returns `Ok`
/// (written, and an fsync covering it returned): the driver acts on that promise.
/// Implementations synchronize internally; sessions share one ledger and call it
/// concurrently (the driver holds no lock around a write), so writes of many sessions
/// may share fsyncs (group commit) as long as each call returns only once its own
/// write is durable. [`claim`](Ledger::claim) must be atomic: of two concurrent claims
/// of one id exactly one returns `true`.
pub trait Ledger {
    /// Why the ledger could not be written or read. A ledger error ends the session and
    /// nothing more is served on it.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Appends `event`, stamped `time` (unix seconds).
    fn record(&self, time: u64, event: &HolderEvent<'_>) -> Result<(), Self::Error>;

    /// Appends a decision (`DecisionRefused` or `DecisionAccepted`) as
    /// [`record`](Ledger::record) does and returns the holder's signed receipt of it: a
    /// checkpoint of the log that holds the entry, the entry and its inclusion proof, and
    /// a consistency proof from log size `since` (the requester's last seen). The
    /// checkpoint covers the entry, so it is signed after the entry is appended.
    fn record_decision(
        &self,
        time: u64,
        event: &HolderEvent<'_>,
        since: u64,
    ) -> Result<DecisionReceipt, Self::Error>;

    /// Whether `id` was already claimed (or a claim of it is under way). The driver asks
    /// under the usage lock, so answer from memory, without waiting for a disk.
    fn is_claimed(&self, id: &RequestId) -> Result<bool, Self::Error>;

    /// Claims `id` for good: `true` if it was new, `false` if it was claimed before.
    fn claim(&self, id: &RequestId) -> Result<bool, Self::Error>;

    /// Every accepted decision so far, to seed the budgets' counters.
    fn served_history(&self) -> Result<Vec<ServedRecords>, Self::Error>;
}

/// Proof that an accepted request is durable: its id is claimed and its
/// `decision-accepted` entry written. Only [`commit_acceptance`] makes one, and
/// [`Accepted::evaluate`](crate::session::holder::Accepted::evaluate) needs it.
#[derive(Debug)]
pub struct Durable {
    request_id: RequestId,
}

impl Durable {
    /// The request the receipt is for.
    pub fn request_id(&self) -> RequestId {
        self.request_id
    }
}

/// What committing an accepted request led to.
#[derive(Debug)]
pub enum Commit {
    /// Claimed and recorded: send the holder's signed receipt of the decision, then
    /// evaluate with the [`Durable`] proof.
    Durable(Durable, Box<DecisionReceipt>),
    /// Another session claimed the id first: refuse it as replayed.
    Replayed,
}

/// Claims the request id, then records the accepted decision (with its receipt, the
/// consistency proof from log size `since`). Only when both are durable does it hand out
/// the [`Durable`] proof evaluation needs. Called outside the usage lock, so concurrent
/// sessions may race for one id here: the claim decides.
pub fn commit_acceptance<L: Ledger + ?Sized>(
    ledger: &L,
    time: u64,
    accepted: &Accepted,
    request: &RequestSummary,
    since: u64,
) -> Result<Commit, L::Error> {
    let request_id = accepted.acceptance.request_id;
    if !ledger.claim(&request_id)? {
        return Ok(Commit::Replayed);
    }
    let event = HolderEvent::DecisionAccepted {
        request,
        approved_by: &accepted.acceptance.approved_by,
    };
    let receipt = ledger.record_decision(time, &event, since)?;
    Ok(Commit::Durable(Durable { request_id }, Box::new(receipt)))
}
