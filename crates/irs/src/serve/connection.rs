//! One requester connection, from the Noise handshake to the encoded set.

use std::net::{SocketAddr, TcpStream};
use std::time::{SystemTime, UNIX_EPOCH};

use blindlink_protocol::policy::RefusalReason;
use blindlink_protocol::session::holder::{AwaitHello, Receiving, Refused};
use blindlink_protocol::session::{SessionError, set_messages};
use blindlink_protocol::wire::{
    Abort, AbortReason, Channel, ChannelError, Message, MessageError, Metered,
};
use blindlink_store::audit::{AuditEvent, EventKind};
use serde_json::{Map, Value, json};
use thiserror::Error;

use super::deadline::SessionDeadline;
use super::failure::failure_code;
use super::state::ServedState;

/// How a connection ended badly.
#[derive(Debug, Error)]
pub enum ConnectionError {
    /// The transport failed (peer gone, timeout, decryption, unknown peer).
    #[error("channel: {0}")]
    Channel(#[from] ChannelError),
    /// The peer sent a frame that is not a valid message (the channel still works, so
    /// the holder answers with `Abort`).
    #[error("invalid message: {0}")]
    InvalidMessage(MessageError),
    /// The peer broke the protocol.
    #[error("session: {0}")]
    Session(#[from] SessionError),
    /// The audit log or replay store could not be written: nothing more is served.
    #[error("persistence: {0}")]
    Persistence(String),
}

/// How a connection ended well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Served {
    /// The request was refused (and the refusal audited and sent).
    Refused(String),
    /// The request was evaluated and the set sent (or confirmed cached).
    Answered,
}

type Conn = Channel<Metered<TcpStream>>;

/// Unix seconds now.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn audit(state: &ServedState, kind: EventKind, details: Value) -> Result<(), ConnectionError> {
    let details = match details {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    state
        .audit
        .append(&AuditEvent {
            time: unix_now(),
            kind,
            details,
        })
        .map(|_| ())
        .map_err(|e| ConnectionError::Persistence(e.to_string()))
}

/// Serves one connection to its end and audits how it ended, with a reason code (see
/// [`failure`](super::failure)). The connection stays open until that entry is written
/// and fsynced, so a requester that sees it close can rely on the audit trail. Never
/// panics on peer input.
pub fn handle(
    state: &ServedState,
    stream: TcpStream,
    peer: SocketAddr,
) -> Result<Served, ConnectionError> {
    let mut requester = None;
    let mut deadline_reached = false;
    // A second handle on the socket: dropping the channel does not close the connection.
    let keep_open = stream.try_clone();
    let result = accept_and_serve(state, stream, &mut requester, &mut deadline_reached);
    if let Err(error) = &result {
        let reason = if deadline_reached {
            "session-deadline"
        } else {
            failure_code(error)
        };
        tracing::info!(%peer, ?requester, reason, %error, "session ended with an error");
        let _ = audit(
            state,
            EventKind::SessionError,
            json!({
                "peer": peer.to_string(),
                "requester": requester,
                "reason": reason,
                "error": error.to_string(),
            }),
        );
    }
    drop(keep_open);
    result
}

fn accept_and_serve(
    state: &ServedState,
    stream: TcpStream,
    requester: &mut Option<String>,
    deadline_reached: &mut bool,
) -> Result<Served, ConnectionError> {
    let timeout = Some(state.config.io_timeout);
    stream
        .set_read_timeout(timeout)
        .and_then(|()| stream.set_write_timeout(timeout))
        .and_then(|()| stream.set_nodelay(true))
        .map_err(|e| ConnectionError::Channel(ChannelError::Io(e)))?;
    let deadline = SessionDeadline::arm(&stream, state.config.session_timeout)
        .map_err(|e| ConnectionError::Channel(ChannelError::Io(e)))?;
    let result = Channel::accept(Metered::new(stream), &state.noise_key, &state.allowed)
        .map_err(ConnectionError::from)
        .and_then(|(mut channel, key)| {
            // Every key that passes the handshake is in the allowed table.
            let who = state.requester_of(&key).unwrap_or("unknown").to_owned();
            *requester = Some(who.clone());
            let result = session(state, &mut channel, &who);
            if let Some(abort) = result.as_ref().err().and_then(abort_for) {
                let _ = channel.send(&Message::Abort(abort));
            }
            result
        });
    *deadline_reached = deadline.reached();
    result
}

/// The `Abort` telling the requester why its session ends, when the channel still works.
fn abort_for(error: &ConnectionError) -> Option<Abort> {
    let reason = match error {
        ConnectionError::Session(SessionError::Unsupported(_)) => AbortReason::UnsupportedVersion,
        ConnectionError::Session(SessionError::Unexpected { .. }) => AbortReason::UnexpectedMessage,
        ConnectionError::Session(_) | ConnectionError::InvalidMessage(_) => AbortReason::Malformed,
        ConnectionError::Channel(_) | ConnectionError::Persistence(_) => return None,
    };
    Some(Abort {
        reason,
        detail: error.to_string().chars().take(200).collect(),
    })
}

/// The next message; a frame that is not a valid message is the peer's fault and
/// leaves the channel usable for the `Abort`.
fn receive(channel: &mut Conn) -> Result<Message, ConnectionError> {
    channel.recv().map_err(|e| match e {
        ChannelError::Message(e) => ConnectionError::InvalidMessage(e),
        other => ConnectionError::Channel(other),
    })
}

/// Audits a final refusal, then sends it.
fn refuse(
    state: &ServedState,
    channel: &mut Conn,
    refused: &Refused,
    details: Value,
) -> Result<Served, ConnectionError> {
    let mut details = details;
    if let Value::Object(map) = &mut details {
        map.insert("message".into(), refused.reason.to_string().into());
    }
    audit(
        state,
        EventKind::DecisionRefused {
            reason: refused.reason.code().to_owned(),
        },
        details,
    )?;
    channel.send(&refused.message())?;
    Ok(Served::Refused(refused.reason.code().to_owned()))
}

/// After a refusal sent while the requester may still be streaming its elements: reads
/// and discards the rest of the stream (at most `announced` elements, until
/// `ElementsDone`, another message, an error or the read timeout). Closing the socket
/// with unread data would reset the connection, and the reset can destroy the refusal
/// before the requester has read it: it would see "peer closed" instead of the reason.
fn drain_elements(channel: &mut Conn, announced: u64) {
    let mut drained = 0u64;
    while drained <= announced {
        match channel.recv() {
            Ok(Message::ElementsChunk(chunk)) => drained += chunk.elements.len() as u64,
            _ => break,
        }
    }
}

fn session(
    state: &ServedState,
    channel: &mut Conn,
    requester: &str,
) -> Result<Served, ConnectionError> {
    let (await_request, welcome) =
        AwaitHello::new(state.params.clone(), requester).on_hello(receive(channel)?)?;
    channel.send(&welcome)?;

    let review = await_request.on_request(receive(channel)?)?;
    let fields = review.manifest().fields();
    let request_id = fields.request_id;
    let records = fields.record_count;
    let base = json!({
        "requester": requester,
        "request_id": request_id.to_hex(),
        "records": records,
        "elements": fields.element_count,
        "rules": fields.rules_used.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        "approvals": review.approvals().len(),
    });
    audit(state, EventKind::RequestReceived, base.clone())?;

    let now = unix_now();
    let seen = state
        .replay
        .contains(&request_id)
        .map_err(|e| ConnectionError::Persistence(e.to_string()))?;
    let served = state.usage.lock().served_today(requester, now);
    let announced = fields.element_count;
    let mut receiving = match review.authorize(&state.policy, &state.context(now, served, seen)) {
        Ok(r) => r,
        Err(refused) => {
            let served = refuse(state, channel, &refused, base)?;
            drain_elements(channel, announced);
            return Ok(served);
        }
    };
    let received = loop {
        let message = receive(channel)?;
        // A refusal on `ElementsDone` (too few elements) leaves nothing to drain: waiting
        // for more would hold the connection open until the read timeout.
        let stream_ended = matches!(message, Message::ElementsDone);
        match receiving.on_message(message)? {
            Receiving::More(next) => receiving = next,
            Receiving::Refused(refused) => {
                let served = refuse(state, channel, &refused, base)?;
                if !stream_ended {
                    drain_elements(channel, announced);
                }
                return Ok(served);
            }
            Receiving::Complete(done) => break done,
        }
    };

    // Decide, claim the request id and count the records as one step.
    let accepted = {
        let mut usage = state.usage.lock();
        let now = unix_now();
        let seen = state
            .replay
            .contains(&request_id)
            .map_err(|e| ConnectionError::Persistence(e.to_string()))?;
        let context = state.context(now, usage.served_today(requester, now), seen);
        match received.decide(&state.policy, &context) {
            Err(refused) => {
                drop(usage);
                return refuse(state, channel, &refused, base);
            }
            Ok(accepted) => {
                let fresh = state
                    .replay
                    .insert_if_new(&request_id)
                    .map_err(|e| ConnectionError::Persistence(e.to_string()))?;
                if !fresh {
                    drop(usage);
                    let refused = Refused {
                        reason: RefusalReason::Replayed { request_id },
                    };
                    return refuse(state, channel, &refused, base);
                }
                usage.add(requester, now, records);
                accepted
            }
        }
    };
    let mut details = base.clone();
    if let Value::Object(map) = &mut details {
        let approved_by: Vec<Value> = accepted
            .acceptance
            .approved_by
            .iter()
            .map(|(role, key)| json!({ "role": role.as_str(), "key": key.to_hex() }))
            .collect();
        map.insert("approved_by".into(), approved_by.into());
    }
    audit(state, EventKind::DecisionAccepted, details)?;

    let elements = accepted.element_count();
    let evaluation = accepted.evaluate(&state.key, &mut rand::rng())?;
    let proofs = evaluation
        .messages
        .iter()
        .filter(|m| matches!(m, Message::Proof(_)))
        .count();
    for msg in &evaluation.messages {
        channel.send(msg)?;
    }
    audit(
        state,
        EventKind::Evaluated,
        json!({ "requester": requester, "request_id": request_id.to_hex(), "elements": elements, "proofs": proofs }),
    )?;

    let limits = state.config.limits;
    let mut sent_bytes = 0u64;
    let mut cached = false;
    for msg in set_messages(state.offer(), evaluation.cached, limits.set_chunk_bytes()) {
        match &msg {
            Message::SetChunk(c) => sent_bytes += c.bytes.len() as u64,
            Message::SetCached(_) => cached = true,
            _ => {}
        }
        channel.send(&msg)?;
    }
    audit(
        state,
        EventKind::SetSent,
        json!({
            "requester": requester,
            "request_id": request_id.to_hex(),
            "set_hash": hex::encode(state.set_hash),
            "cached": cached,
            "set_bytes": sent_bytes,
            "wire_bytes_out": channel.get_ref().bytes_written(),
            "wire_bytes_in": channel.get_ref().bytes_read(),
        }),
    )?;
    // The requester says Goodbye; one that just closes, or takes longer than the read
    // timeout to check the set, is fine too. An Abort (it rejected what it got) or any
    // other message (a second request) is audited as the session's error.
    match receive(channel) {
        Ok(Message::Goodbye)
        | Err(ConnectionError::Channel(ChannelError::PeerClosed | ChannelError::Timeout)) => {
            Ok(Served::Answered)
        }
        Ok(Message::Abort(abort)) => Err(ConnectionError::Session(SessionError::PeerAborted {
            reason: abort.reason,
            detail: abort.detail,
        })),
        Ok(other) => Err(ConnectionError::Session(SessionError::Unexpected {
            got: other.name(),
            phase: "waiting for Goodbye",
        })),
        Err(e) => Err(e),
    }
}
