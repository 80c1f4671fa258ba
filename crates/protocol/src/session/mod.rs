//! Sans-IO session state machines for both parties.
//!
//! Every protocol phase is a type; each transition consumes `self` and returns the next
//! phase (and the messages to send), so a phase cannot be replayed and a session cannot
//! finish twice. The drivers in [`crate::driver`] move these types over a
//! [`Channel`](crate::wire::Channel) with a clock and the holder's ledger; nothing here
//! touches a socket, a file or a clock.
//!
//! Holder ([`holder`]):
//!
//! ```text
//! AwaitHello --Hello--> AwaitRequest --Request--> ReviewRequest
//!   --authorize(policy, context)--> ReceivingElements --chunks..ElementsDone--> ElementsReceived
//!   --decide()--> Accepted --ledger commit (claim + decision-accepted)--> Durable
//!   --evaluate(Durable)--> Receipt + messages
//! any refusal --> Refused (the caller audits it, then sends its receipt and its message)
//! ```
//!
//! Requester ([`requester`]):
//!
//! ```text
//! RequesterSession::start -> (AwaitWelcome, Hello)
//!   --Welcome--> (AwaitEvaluation, Request + chunks + ElementsDone)
//!   --Receipt (verified: the holder's signed decision)--> AwaitEvaluation
//!   --Refusal (must match the receipt) | Evaluated/Proof..EvaluationDone--> EvaluationReceived --finalize(blinds)--> AwaitSet
//!   --SetCached | SetHeader, SetChunk.., SetDone--> (outputs, EncodedSet)
//! ```

pub mod holder;
pub mod requester;
mod set_transfer;

pub use set_transfer::{SetOffer, set_messages};

use crate::wire::Message;
use thiserror::Error;

/// A session-level failure: the peer broke the protocol or sent something invalid. The
/// session ends; the caller sends an [`Abort`](crate::wire::Abort) if the channel still works.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SessionError {
    /// A message arrived that is not allowed in the current phase.
    #[error("unexpected {got} while {phase}")]
    Unexpected {
        /// Name of the message received.
        got: &'static str,
        /// What the session was waiting for.
        phase: &'static str,
    },
    /// The peer aborted the session.
    #[error("peer aborted: {reason:?}: {detail}")]
    PeerAborted {
        /// Its reason.
        reason: crate::wire::AbortReason,
        /// Its explanation.
        detail: String,
    },
    /// The peer speaks another protocol version or suite.
    #[error("unsupported protocol: {0}")]
    Unsupported(String),
    /// A field is malformed or inconsistent with earlier messages.
    #[error("malformed {what}: {detail}")]
    Malformed {
        /// Which message or field.
        what: &'static str,
        /// Why.
        detail: String,
    },
    /// The holder's key or epoch is not the one the requester pinned or was approved for.
    #[error("holder key mismatch: {0}")]
    KeyMismatch(String),
    /// The holder announced a set whose fingerprints are too short for this request: more
    /// than a 2^-40 chance that some element matches by accident (a hostile holder could
    /// otherwise announce 1-bit fingerprints and make everyone "match"). Found before
    /// anything is sent.
    #[error(
        "the holder's set ({set_size} fingerprints of {bits} bits) cannot answer {elements} \
         elements within the 2^-40 false-match bound (at most {max}): nothing was sent"
    )]
    WeakSet {
        /// Announced fingerprint length.
        bits: u8,
        /// Announced set size.
        set_size: u64,
        /// Elements this request would send.
        elements: u64,
        /// Most elements the announced set answers within the bound.
        max: u64,
    },
    /// The VOPRF proofs or the evaluated elements failed verification.
    #[error("evaluation does not verify: {0}")]
    Verification(#[from] blindlink_core::oprf::OprfError),
    /// The encoded set failed validation.
    #[error("encoded set rejected: {0}")]
    Set(#[from] blindlink_core::fingerprint::SetDecodeError),
    /// The holder's receipt for its decision failed verification.
    #[error("holder receipt rejected: {0}")]
    Receipt(#[from] crate::transparency::ReceiptError),
    /// The holder answered (or refused) without a receipt for that decision.
    #[error("the holder sent {got} without a signed receipt of a matching decision")]
    NoReceipt {
        /// What it sent.
        got: &'static str,
    },
}

impl SessionError {
    pub(crate) fn unexpected(got: &Message, phase: &'static str) -> SessionError {
        if let Message::Abort(a) = got {
            return SessionError::PeerAborted {
                reason: a.reason,
                detail: a.detail.clone(),
            };
        }
        SessionError::Unexpected {
            got: got.name(),
            phase,
        }
    }

    pub(crate) fn malformed(what: &'static str, detail: impl Into<String>) -> SessionError {
        SessionError::Malformed {
            what,
            detail: detail.into(),
        }
    }
}
