//! How a driven session ends badly, and what the peer is told.

use thiserror::Error;

use crate::session::SessionError;
use crate::wire::{Abort, AbortReason, ChannelError, MessageError};

/// How a holder session ended badly. `E` is the ledger's error.
#[derive(Debug, Error)]
pub enum HolderError<E> {
    /// The transport failed (peer gone, timeout, decryption, unknown peer).
    #[error("channel: {0}")]
    Channel(ChannelError),
    /// The peer sent a frame that is not a valid message (the channel still works, so
    /// the holder answers with `Abort`).
    #[error("invalid message: {0}")]
    InvalidMessage(MessageError),
    /// The peer broke the protocol.
    #[error("session: {0}")]
    Session(#[from] SessionError),
    /// The ledger could not be written: nothing more is served.
    #[error("persistence: {0}")]
    Ledger(E),
}

impl<E> HolderError<E> {
    /// A receive error: an invalid message is the peer's, the rest the transport's.
    pub(crate) fn from_channel(error: ChannelError) -> HolderError<E> {
        match error {
            ChannelError::Message(e) => HolderError::InvalidMessage(e),
            other => HolderError::Channel(other),
        }
    }
}

/// The `Abort` telling the requester why its session ends, when the channel still works.
pub(crate) fn abort_for<E: std::fmt::Display>(error: &HolderError<E>) -> Option<Abort> {
    let reason = match error {
        HolderError::Session(SessionError::Unsupported(_)) => AbortReason::UnsupportedVersion,
        HolderError::Session(SessionError::Unexpected { .. }) => AbortReason::UnexpectedMessage,
        HolderError::Session(_) | HolderError::InvalidMessage(_) => AbortReason::Malformed,
        HolderError::Channel(_) | HolderError::Ledger(_) => return None,
    };
    Some(abort(reason, error))
}

/// An `Abort` with `detail` cut to 200 characters.
pub(crate) fn abort(reason: AbortReason, detail: impl std::fmt::Display) -> Abort {
    Abort {
        reason,
        detail: detail.to_string().chars().take(200).collect(),
    }
}

/// How a requester session ended badly. When the channel still worked, the holder has
/// been sent an `Abort` saying why.
#[derive(Debug, Error)]
pub enum RequesterError {
    /// The transport failed.
    #[error("connection to the holder failed: {0}")]
    Channel(#[from] ChannelError),
    /// The holder closed the connection right after the handshake.
    #[error(
        "the holder closed the connection right after the handshake: it does not allow this \
         requester's Noise key, or it is at its session limit"
    )]
    ClosedAfterHandshake,
    /// The holder broke the protocol, or what it sent does not verify (wrong key or
    /// epoch, bad proofs, an invalid set).
    #[error("the holder's answer was rejected: {0}")]
    Rejected(#[from] SessionError),
    /// The set is valid but not the one the requester expects (e.g. not the one the
    /// holder published).
    #[error("the holder's answer was rejected: {0}")]
    SetRejected(String),
    /// The holder's receipt verified but could not be kept (logged): the session stops
    /// before anything it answers is used.
    #[error("cannot keep the holder's receipt: {0}")]
    ReceiptNotKept(String),
}
