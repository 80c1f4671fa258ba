//! One requester connection over TCP: socket timeouts, the session deadline, the Noise
//! handshake, then the protocol crate's holder driver
//! ([`HolderService::serve`](blindlink_protocol::driver::HolderService::serve)), and a
//! `session-error` entry when it ends badly.

use std::net::{SocketAddr, TcpStream};
use std::time::{SystemTime, UNIX_EPOCH};

use blindlink_protocol::driver::{HolderError, Served, Unobserved, failure_code};
use blindlink_protocol::wire::{Channel, ChannelError, Metered};

use super::deadline::SessionDeadline;
use super::state::ServedState;
use blindlink_store::LedgerError;

/// How a connection ended badly.
pub type ConnectionError = HolderError<LedgerError>;

/// Unix seconds now.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Serves one connection to its end and audits how it ended, with a reason code (see
/// [`failure_code`]). The connection stays open until that entry is written
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
        let _ = state.service.record_failure(
            Some(&peer.to_string()),
            requester.as_deref(),
            reason,
            &error.to_string(),
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
        .map_err(|e| HolderError::Channel(ChannelError::Io(e)))?;
    let deadline = SessionDeadline::arm(&stream, state.config.session_timeout)
        .map_err(|e| HolderError::Channel(ChannelError::Io(e)))?;
    let result = Channel::accept(Metered::new(stream), &state.noise_key, &state.allowed)
        .map_err(HolderError::Channel)
        .and_then(|(mut channel, key)| {
            // Every key that passes the handshake is in the allowed table.
            let who = state.requester_of(&key).unwrap_or("unknown").to_owned();
            *requester = Some(who.clone());
            state
                .service
                .serve(&mut channel, &who, &mut rand::rng(), &mut Unobserved)
        });
    *deadline_reached = deadline.reached();
    result
}
