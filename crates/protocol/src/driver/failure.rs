//! Why a session failed, as a stable short code for the audit log's `session-error`
//! entries (`details.reason`), the way a refusal has its code in `decision-refused`.
//!
//! | code | the session ended because |
//! |---|---|
//! | `handshake-failed` | the Noise handshake failed (garbage, wrong prologue or pattern) |
//! | `unknown-peer` | the requester's static key is not allowed |
//! | `peer-closed` | the peer hung up before the session was over |
//! | `timeout` | a read or write took longer than `--io-timeout` |
//! | `session-deadline` | the whole session took longer than `--session-timeout` |
//! | `io-error` | another socket error |
//! | `decrypt-failed` | a record failed authentication |
//! | `frame-too-large` | a frame header announced more than the message limit |
//! | `record-violation` | an empty record, or a record with bytes past its frame |
//! | `malformed-message` | a frame that is not a message (unknown tag, truncated, bad UTF-8) |
//! | `trailing-bytes` | bytes after a complete message |
//! | `non-canonical-message` | a message not in its one canonical encoding |
//! | `message-too-large` | a message over the size limit |
//! | `over-wire-limit` | a field over its configured wire limit |
//! | `empty-field`, `invalid-field` | a field empty or breaking its message's invariants |
//! | `unexpected-message` | a message out of order |
//! | `unsupported-protocol` | another protocol version or OPRF suite |
//! | `requester-id-mismatch` | `Hello` names another requester than the channel's key |
//! | `malformed-manifest`, `malformed-approval` | the manifest or an approval does not parse |
//! | `chunk-out-of-order` | an elements chunk with the wrong index |
//! | `malformed` | another malformed field |
//! | `peer-aborted` | the requester sent `Abort` |
//! | `persistence-failed` | the audit log or replay store could not be written |
//! | `internal` | the holder failed to encode or evaluate |

use super::error::HolderError;
use crate::session::SessionError;
use crate::wire::{ChannelError, MessageError};

/// The stable code for how a session failed (see the module doc).
pub fn failure_code<E>(error: &HolderError<E>) -> &'static str {
    match error {
        HolderError::Channel(e) => channel_code(e),
        HolderError::InvalidMessage(e) => message_code(e),
        HolderError::Session(e) => session_code(e),
        HolderError::Ledger(_) => "persistence-failed",
    }
}

fn channel_code(error: &ChannelError) -> &'static str {
    match error {
        ChannelError::PeerClosed => "peer-closed",
        ChannelError::Timeout => "timeout",
        ChannelError::Io(_) => "io-error",
        ChannelError::Decrypt => "decrypt-failed",
        ChannelError::FrameTooLarge { .. } => "frame-too-large",
        ChannelError::Handshake(_) => "handshake-failed",
        ChannelError::UnknownPeer => "unknown-peer",
        ChannelError::Record(_) => "record-violation",
        // Received messages are `InvalidMessage`; this is one the holder could not encode.
        ChannelError::Message(_) => "internal",
        ChannelError::Broken => "io-error",
    }
}

fn message_code(error: &MessageError) -> &'static str {
    match error {
        MessageError::TooLarge { .. } => "message-too-large",
        MessageError::Malformed(_) => "malformed-message",
        MessageError::TrailingBytes(_) => "trailing-bytes",
        MessageError::NonCanonical => "non-canonical-message",
        MessageError::LimitExceeded { .. } => "over-wire-limit",
        MessageError::Empty { .. } => "empty-field",
        MessageError::Invalid { .. } => "invalid-field",
        MessageError::Encode(_) => "internal",
    }
}

fn session_code(error: &SessionError) -> &'static str {
    match error {
        SessionError::Unexpected { .. } => "unexpected-message",
        SessionError::PeerAborted { .. } => "peer-aborted",
        SessionError::Unsupported(_) => "unsupported-protocol",
        SessionError::Malformed { what, .. } => match *what {
            "Hello.requester_id" => "requester-id-mismatch",
            "manifest" => "malformed-manifest",
            "approval" => "malformed-approval",
            "ElementsChunk.index" => "chunk-out-of-order",
            _ => "malformed",
        },
        SessionError::KeyMismatch(_)
        | SessionError::Verification(_)
        | SessionError::Set(_)
        | SessionError::WeakSet { .. }
        | SessionError::Receipt(_)
        | SessionError::NoReceipt { .. } => "internal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::AbortReason;

    type ConnectionError = HolderError<std::io::Error>;

    #[test]
    fn codes_are_short_lowercase_words() {
        let errors = [
            ConnectionError::Channel(ChannelError::PeerClosed),
            ConnectionError::Channel(ChannelError::FrameTooLarge { len: 1, max: 0 }),
            ConnectionError::InvalidMessage(MessageError::TrailingBytes(1)),
            ConnectionError::Session(SessionError::PeerAborted {
                reason: AbortReason::Timeout,
                detail: String::new(),
            }),
            ConnectionError::Ledger(std::io::Error::other("disk full")),
        ];
        for error in &errors {
            let code = failure_code(error);
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{code}"
            );
        }
        assert_eq!(failure_code(&errors[1]), "frame-too-large");
        assert_eq!(failure_code(&errors[2]), "trailing-bytes");
    }

    #[test]
    fn malformed_fields_are_named() {
        let malformed = |what| {
            failure_code(&ConnectionError::Session(SessionError::Malformed {
                what,
                detail: String::new(),
            }))
        };
        assert_eq!(malformed("manifest"), "malformed-manifest");
        assert_eq!(malformed("ElementsChunk.index"), "chunk-out-of-order");
        assert_eq!(malformed("something else"), "malformed");
    }
}
