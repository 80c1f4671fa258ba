//! Encoding and decoding of [`Message`]s, with every limit checked.
//!
//! # How decoding stays bounded
//!
//! 1. The input length is checked against [`Limits::max_message_bytes`] first (the frame
//!    layer has already refused a longer length prefix without buffering it).
//! 2. postcard decodes the message; every variable-length field goes through an adapter in
//!    `bounded` that rejects a length above the field's hard cap *before* allocating, and
//!    postcard refuses lengths longer than the remaining input. Allocation is therefore
//!    bounded by the input length and the hard caps together.
//! 3. The decoded message must consume the whole input and re-encode to exactly the same
//!    bytes (so there is one encoding per message: no overlong varints, no trailing bytes).
//! 4. [`validate`] checks the configured [`Limits`] and field invariants (non-empty chunks,
//!    proof spans, known rule bits).

use thiserror::Error;

use super::limits::{Limits, MAX_PROOF_SPAN};
use super::message::{KNOWN_RULES_MASK, Message, Request};

/// Why a message could not be encoded or decoded.
#[derive(Debug, Error)]
pub enum MessageError {
    /// The encoded message is longer than the configured maximum.
    #[error("message of {len} bytes exceeds the limit of {max} bytes")]
    TooLarge {
        /// Encoded length.
        len: usize,
        /// Configured maximum.
        max: usize,
    },
    /// The bytes are not a message (unknown tag, truncated, bad UTF-8, length over a hard cap).
    #[error("malformed message: {0}")]
    Malformed(#[source] postcard::Error),
    /// Bytes remain after a complete message.
    #[error("{0} trailing bytes after the message")]
    TrailingBytes(usize),
    /// The message decoded but is not in its one canonical encoding.
    #[error("message is not canonically encoded")]
    NonCanonical,
    /// A field is larger than the configured limit.
    #[error("{message}: {field} is {actual}, over the limit of {limit}")]
    LimitExceeded {
        /// Message name.
        message: &'static str,
        /// Field name.
        field: &'static str,
        /// Actual size or count.
        actual: u64,
        /// Configured limit.
        limit: u64,
    },
    /// A field that must not be empty is empty.
    #[error("{message}: {field} must not be empty")]
    Empty {
        /// Message name.
        message: &'static str,
        /// Field name.
        field: &'static str,
    },
    /// A field breaks an invariant of the message.
    #[error("{message}: {reason}")]
    Invalid {
        /// Message name.
        message: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// The serializer failed (only on an internal error).
    #[error("cannot encode message: {0}")]
    Encode(#[source] postcard::Error),
}

impl Message {
    /// Checks the message against `limits`, then encodes it.
    pub fn encode(&self, limits: &Limits) -> Result<Vec<u8>, MessageError> {
        validate(self, limits)?;
        let bytes = postcard::to_stdvec(self).map_err(MessageError::Encode)?;
        if bytes.len() > limits.message_bytes() {
            return Err(MessageError::TooLarge {
                len: bytes.len(),
                max: limits.message_bytes(),
            });
        }
        Ok(bytes)
    }

    /// Decodes one message that must span all of `bytes`, and checks it against `limits`.
    /// Never panics; see the module documentation for how allocation stays bounded.
    pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Message, MessageError> {
        if bytes.len() > limits.message_bytes() {
            return Err(MessageError::TooLarge {
                len: bytes.len(),
                max: limits.message_bytes(),
            });
        }
        let (message, rest) =
            postcard::take_from_bytes::<Message>(bytes).map_err(MessageError::Malformed)?;
        if !rest.is_empty() {
            return Err(MessageError::TrailingBytes(rest.len()));
        }
        let canonical = postcard::to_stdvec(&message).map_err(MessageError::Encode)?;
        if canonical != bytes {
            return Err(MessageError::NonCanonical);
        }
        validate(&message, limits)?;
        Ok(message)
    }
}

/// Checks a message's fields against `limits` and its invariants.
pub fn validate(message: &Message, limits: &Limits) -> Result<(), MessageError> {
    let name = message.name();
    let text = limits.text_bytes();
    match message {
        Message::Hello(hello) => {
            at_most(name, "suite", hello.suite.len(), text)?;
            at_most(name, "requester_id", hello.requester_id.len(), text)?;
            non_empty(name, "requester_id", hello.requester_id.len())
        }
        Message::Welcome(welcome) => {
            if welcome.fingerprint_bits == 0 {
                return invalid(name, "fingerprint_bits must be non-zero");
            }
            if welcome.rules_answered == 0 || welcome.rules_answered & !KNOWN_RULES_MASK != 0 {
                return invalid(
                    name,
                    "rules_answered must name known rules only, at least one",
                );
            }
            if welcome.max_chunk_elements == 0 {
                return invalid(name, "max_chunk_elements must be non-zero");
            }
            Ok(())
        }
        Message::Request(request) => validate_request(request, limits),
        Message::ElementsChunk(chunk) => elements(name, chunk.elements.len(), limits),
        Message::Evaluated(chunk) => elements(name, chunk.elements.len(), limits),
        Message::Proof(proof) => {
            if proof.count == 0 || proof.count > MAX_PROOF_SPAN {
                return invalid(name, "count must be between 1 and 65535");
            }
            let end = proof.first_element.saturating_add(u64::from(proof.count));
            at_most_u64(
                name,
                "first_element + count",
                end,
                limits.max_total_elements,
            )
        }
        Message::SetHeader(header) => at_most_u64(
            name,
            "total_bytes",
            header.total_bytes,
            limits.max_set_bytes,
        ),
        Message::SetChunk(chunk) => {
            non_empty(name, "bytes", chunk.bytes.len())?;
            at_most(name, "bytes", chunk.bytes.len(), limits.set_chunk_bytes())
        }
        Message::Refusal(refusal) => {
            non_empty(name, "code", refusal.code.len())?;
            at_most(name, "code", refusal.code.len(), text)?;
            at_most(name, "message", refusal.message.len(), text)
        }
        Message::Abort(abort) => at_most(name, "detail", abort.detail.len(), text),
        Message::Receipt(receipt) => {
            non_empty(name, "entry", receipt.entry.len())?;
            if receipt.leaf_index >= receipt.tree_size {
                return invalid(name, "leaf_index must be below tree_size");
            }
            if receipt.consistency_from > receipt.tree_size {
                return invalid(name, "consistency_from must not exceed tree_size");
            }
            at_most(name, "inclusion", receipt.inclusion.len(), 64)
        }
        Message::ElementsDone
        | Message::EvaluationDone
        | Message::SetDone
        | Message::SetCached(_)
        | Message::Goodbye => Ok(()),
    }
}

fn validate_request(request: &Request, limits: &Limits) -> Result<(), MessageError> {
    let name = "Request";
    non_empty(name, "manifest", request.manifest.len())?;
    at_most(
        name,
        "manifest",
        request.manifest.len(),
        limits.manifest_bytes(),
    )?;
    at_most(
        name,
        "approvals",
        request.approvals.len(),
        limits.approvals(),
    )?;
    for approval in &request.approvals {
        non_empty(name, "approval", approval.len())?;
        at_most(name, "approval", approval.len(), limits.approval_bytes())?;
    }
    if request.element_count == 0 {
        return invalid(name, "element_count must be non-zero");
    }
    at_most_u64(
        name,
        "element_count",
        request.element_count,
        limits.max_total_elements,
    )
}

fn elements(name: &'static str, count: usize, limits: &Limits) -> Result<(), MessageError> {
    non_empty(name, "elements", count)?;
    at_most(name, "elements", count, limits.chunk_elements())
}

fn at_most(
    message: &'static str,
    field: &'static str,
    actual: usize,
    limit: usize,
) -> Result<(), MessageError> {
    at_most_u64(
        message,
        field,
        u64::try_from(actual).unwrap_or(u64::MAX),
        u64::try_from(limit).unwrap_or(u64::MAX),
    )
}

fn at_most_u64(
    message: &'static str,
    field: &'static str,
    actual: u64,
    limit: u64,
) -> Result<(), MessageError> {
    if actual > limit {
        return Err(MessageError::LimitExceeded {
            message,
            field,
            actual,
            limit,
        });
    }
    Ok(())
}

fn non_empty(message: &'static str, field: &'static str, len: usize) -> Result<(), MessageError> {
    if len == 0 {
        return Err(MessageError::Empty { message, field });
    }
    Ok(())
}

fn invalid(message: &'static str, reason: &'static str) -> Result<(), MessageError> {
    Err(MessageError::Invalid { message, reason })
}
