//! The accept loop: a thread per session, at most `max_sessions` at once.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::connection::{Served, handle};
use super::state::{ServeError, ServedState};

/// Serves connections until the listener fails. Connections beyond the session bound are
/// closed at once (the requester sees the connection closed and may retry).
pub fn serve(listener: TcpListener, state: Arc<ServedState>) -> Result<(), ServeError> {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                continue;
            }
        };
        let peer = match stream.peer_addr() {
            Ok(p) => p,
            Err(_) => continue,
        };
        if active.fetch_add(1, Ordering::SeqCst) >= state.config.max_sessions {
            active.fetch_sub(1, Ordering::SeqCst);
            tracing::warn!(%peer, max = state.config.max_sessions, "too many sessions; connection closed");
            drop(stream);
            continue;
        }
        let state = Arc::clone(&state);
        let active = Arc::clone(&active);
        let spawned = std::thread::Builder::new()
            .name(format!("session {peer}"))
            .spawn(move || {
                match handle(&state, stream, peer) {
                    Ok(Served::Answered) => tracing::info!(%peer, "request answered"),
                    Ok(Served::Refused(code)) => tracing::info!(%peer, code, "request refused"),
                    Err(_) => {}
                }
                active.fetch_sub(1, Ordering::SeqCst);
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start a session thread");
        }
    }
    Ok(())
}
