//! Audit events and their encoding as one JSON line.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use thiserror::Error;

/// Longest audit line accepted (without its `\n`).
pub const MAX_LINE_BYTES: usize = 1024 * 1024;
/// `prev` of the first entry: 32 zero bytes.
pub const GENESIS_PREV: [u8; 32] = [0u8; 32];

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// A request (manifest and approvals) arrived: `request-received`.
    RequestReceived,
    /// The policy accepted it: `decision-accepted`.
    DecisionAccepted,
    /// The policy refused it, with the refusal code: `decision-refused`.
    DecisionRefused {
        /// Stable refusal code, e.g. `expired`.
        reason: String,
    },
    /// The holder evaluated the blinded elements: `evaluated`.
    Evaluated,
    /// The holder sent (or the requester received) the encoded set: `set-sent`.
    SetSent,
    /// The requester sent its blinded query: `query-sent`.
    QuerySent,
    /// The requester obtained its match result: `result`.
    Result,
    /// A key was generated or rotated: `key-generated`.
    KeyGenerated,
    /// The holder encoded its set for a key epoch: `set-encoded`.
    SetEncoded,
    /// A session ended in an error: `session-error`.
    SessionError,
    /// The requester prepared a request bundle: `request-prepared`.
    RequestPrepared,
    /// The holder's replay journal was missing ids of accepted requests and was rebuilt
    /// from this log: `replay-rebuilt`.
    ReplayRebuilt,
    /// A policy was applied, or a server started with a policy and requester list (their
    /// digests in the details): `policy-applied`.
    PolicyApplied,
    /// A receipt was received and verified, or a checkpoint was signed: `receipt`.
    Receipt,
    /// The requester pinned (or re-pinned) the holder's identity key: `holder-pinned`.
    HolderPinned,
}

/// Every kind without data, for parsing by name.
const UNIT_KINDS: [EventKind; 14] = [
    EventKind::RequestReceived,
    EventKind::DecisionAccepted,
    EventKind::Evaluated,
    EventKind::SetSent,
    EventKind::QuerySent,
    EventKind::Result,
    EventKind::KeyGenerated,
    EventKind::SetEncoded,
    EventKind::SessionError,
    EventKind::RequestPrepared,
    EventKind::ReplayRebuilt,
    EventKind::PolicyApplied,
    EventKind::Receipt,
    EventKind::HolderPinned,
];
const REFUSED: &str = "decision-refused";

impl EventKind {
    /// The name written in the `kind` field.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::RequestReceived => "request-received",
            EventKind::DecisionAccepted => "decision-accepted",
            EventKind::DecisionRefused { .. } => REFUSED,
            EventKind::Evaluated => "evaluated",
            EventKind::SetSent => "set-sent",
            EventKind::QuerySent => "query-sent",
            EventKind::Result => "result",
            EventKind::KeyGenerated => "key-generated",
            EventKind::SetEncoded => "set-encoded",
            EventKind::SessionError => "session-error",
            EventKind::RequestPrepared => "request-prepared",
            EventKind::ReplayRebuilt => "replay-rebuilt",
            EventKind::PolicyApplied => "policy-applied",
            EventKind::Receipt => "receipt",
            EventKind::HolderPinned => "holder-pinned",
        }
    }

    fn reason(&self) -> Option<&str> {
        match self {
            EventKind::DecisionRefused { reason } => Some(reason),
            _ => None,
        }
    }
}

/// An event to append: the log adds `seq` and `prev`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// When, in unix seconds (passed in by the caller).
    pub time: u64,
    /// What happened.
    pub kind: EventKind,
    /// Free-form details (counts, request id, peer, ...).
    pub details: Map<String, Value>,
}

/// A parsed log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the log, from 1 (equal to the line number).
    pub seq: u64,
    /// SHA-256 of the previous line ([`GENESIS_PREV`] for the first).
    pub prev: [u8; 32],
    /// The event.
    pub event: AuditEvent,
}

/// A line is not a well-formed audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EntryError {
    /// Not JSON of the entry shape.
    #[error("not a valid audit entry: {0}")]
    BadJson(String),
    /// Unknown `kind`, or `reason` present/absent where it must not/must be.
    #[error("{0}")]
    BadKind(String),
    /// A refusal code that is empty, too long or not `a-z0-9-`.
    #[error("refusal reason must be 1 to 64 characters of a-z, 0-9 and '-'")]
    BadReason,
    /// `prev` is not 64 hex digits.
    #[error("prev must be 64 hex digits")]
    BadPrev,
    /// The encoded line is over [`MAX_LINE_BYTES`].
    #[error("entry is {len} bytes, over the limit of {MAX_LINE_BYTES}")]
    TooLong {
        /// Encoded length.
        len: usize,
    },
}

#[derive(Serialize)]
struct LineOut<'a> {
    seq: u64,
    time: u64,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    details: &'a Map<String, Value>,
    prev: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineIn {
    seq: u64,
    time: u64,
    kind: String,
    #[serde(default)]
    reason: Option<String>,
    details: Map<String, Value>,
    prev: String,
}

fn check_reason(reason: &str) -> Result<(), EntryError> {
    let ok = !reason.is_empty()
        && reason.len() <= 64
        && reason
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(EntryError::BadReason)
    }
}

/// Encodes one entry as its line, without the trailing `\n`. Keys appear in the order
/// `seq, time, kind, reason (only for decision-refused), details, prev`.
pub fn encode_line(seq: u64, prev: &[u8; 32], event: &AuditEvent) -> Result<Vec<u8>, EntryError> {
    if let Some(reason) = event.kind.reason() {
        check_reason(reason)?;
    }
    let line = LineOut {
        seq,
        time: event.time,
        kind: event.kind.name(),
        reason: event.kind.reason(),
        details: &event.details,
        prev: hex::encode(prev),
    };
    let bytes = serde_json::to_vec(&line).map_err(|e| EntryError::BadJson(e.to_string()))?;
    if bytes.len() > MAX_LINE_BYTES {
        return Err(EntryError::TooLong { len: bytes.len() });
    }
    Ok(bytes)
}

/// Parses one line (without its `\n`).
pub fn parse_line(line: &[u8]) -> Result<AuditEntry, EntryError> {
    if line.len() > MAX_LINE_BYTES {
        return Err(EntryError::TooLong { len: line.len() });
    }
    let raw: LineIn =
        serde_json::from_slice(line).map_err(|e| EntryError::BadJson(e.to_string()))?;
    let kind = match (raw.kind.as_str(), raw.reason) {
        (REFUSED, Some(reason)) => {
            check_reason(&reason)?;
            EventKind::DecisionRefused { reason }
        }
        (REFUSED, None) => {
            return Err(EntryError::BadKind(
                "decision-refused needs a reason".to_owned(),
            ));
        }
        (name, None) => UNIT_KINDS
            .iter()
            .find(|known| known.name() == name)
            .cloned()
            .ok_or_else(|| EntryError::BadKind(format!("unknown kind {name:?}")))?,
        (name, Some(_)) => {
            return Err(EntryError::BadKind(format!(
                "kind {name:?} must not have a reason"
            )));
        }
    };
    let mut prev = [0u8; 32];
    if raw.prev.len() != 64 || raw.prev.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(EntryError::BadPrev);
    }
    hex::decode_to_slice(&raw.prev, &mut prev).map_err(|_| EntryError::BadPrev)?;
    Ok(AuditEntry {
        seq: raw.seq,
        prev,
        event: AuditEvent {
            time: raw.time,
            kind,
            details: raw.details,
        },
    })
}

/// SHA-256 of a line's bytes (without its `\n`): the next entry's `prev`.
pub fn line_hash(line: &[u8]) -> [u8; 32] {
    Sha256::digest(line).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(kind: EventKind) -> AuditEvent {
        let Value::Object(details) = json!({"request_id": "ab", "records": 3}) else {
            unreachable!()
        };
        AuditEvent {
            time: 1_700_000_000,
            kind,
            details,
        }
    }

    #[test]
    fn line_format_is_stable() {
        let line = encode_line(
            1,
            &GENESIS_PREV,
            &event(EventKind::DecisionRefused {
                reason: "expired".into(),
            }),
        )
        .unwrap();
        let expected = format!(
            "{{\"seq\":1,\"time\":1700000000,\"kind\":\"decision-refused\",\"reason\":\"expired\",\
             \"details\":{{\"records\":3,\"request_id\":\"ab\"}},\"prev\":\"{}\"}}",
            "0".repeat(64)
        );
        assert_eq!(String::from_utf8(line).unwrap(), expected);
    }

    #[test]
    fn every_kind_round_trips() {
        let mut kinds = UNIT_KINDS.to_vec();
        kinds.push(EventKind::DecisionRefused {
            reason: "digest-mismatch".into(),
        });
        for kind in kinds {
            let e = event(kind);
            let line = encode_line(7, &[5; 32], &e).unwrap();
            let entry = parse_line(&line).unwrap();
            assert_eq!(entry.seq, 7);
            assert_eq!(entry.prev, [5; 32]);
            assert_eq!(entry.event, e);
        }
    }

    #[test]
    fn malformed_lines_are_rejected() {
        let bad_reason = EventKind::DecisionRefused {
            reason: "Nope!".into(),
        };
        assert_eq!(
            encode_line(1, &GENESIS_PREV, &event(bad_reason)),
            Err(EntryError::BadReason)
        );
        let good =
            String::from_utf8(encode_line(1, &GENESIS_PREV, &event(EventKind::SetSent)).unwrap())
                .unwrap();
        for bad in [
            good.replace("set-sent", "set-stolen"),
            good.replace(
                "\"kind\":\"set-sent\"",
                "\"kind\":\"set-sent\",\"reason\":\"x\"",
            ),
            good.replace("\"kind\":\"set-sent\"", "\"kind\":\"decision-refused\""),
            good.replace(&"0".repeat(64), &"0".repeat(63)),
            good.replace(&"0".repeat(64), &"A".repeat(64)),
            good.replace("\"seq\":1", "\"seq\":-1"),
            good.replace(",\"prev\"", ",\"extra\":1,\"prev\""),
            good[..good.len() - 1].to_owned(),
        ] {
            assert_ne!(bad, good);
            assert!(parse_line(bad.as_bytes()).is_err(), "{bad}");
        }
    }
}
