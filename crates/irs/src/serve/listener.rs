//! The accept loop: a thread per session, at most `max_sessions` at once.
//!
//! When every slot is taken the loop stops accepting until one frees: new connections
//! wait in the kernel's listen backlog (backpressure) instead of being closed, so a
//! requester that reconnects right after its answer is not turned away while the previous
//! session is still writing its last audit entry.

use std::net::TcpListener;
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use blindlink_protocol::driver::Served;

use super::connection::handle;
use super::state::{ServeError, ServedState};

/// Counts sessions in progress; [`Slots::acquire`] blocks while all are taken.
#[derive(Debug)]
struct Slots {
    active: Mutex<usize>,
    freed: Condvar,
    max: usize,
}

/// A taken slot, given back when dropped (also when a session thread panics).
struct Slot(Arc<Slots>);

impl Slots {
    fn acquire(self: &Arc<Self>) -> Slot {
        let mut active = self.active.lock().unwrap_or_else(PoisonError::into_inner);
        while *active >= self.max {
            active = self
                .freed
                .wait(active)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *active += 1;
        Slot(Arc::clone(self))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut active = self.0.active.lock().unwrap_or_else(PoisonError::into_inner);
        *active = active.saturating_sub(1);
        self.0.freed.notify_one();
    }
}

/// Serves connections until the listener fails.
pub fn serve(listener: TcpListener, state: Arc<ServedState>) -> Result<(), ServeError> {
    let slots = Arc::new(Slots {
        active: Mutex::new(0),
        freed: Condvar::new(),
        max: state.config.max_sessions.max(1),
    });
    loop {
        let slot = slots.acquire();
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                // E.g. out of file descriptors: do not spin.
                std::thread::sleep(std::time::Duration::from_millis(50));
                continue;
            }
        };
        let peer = match stream.peer_addr() {
            Ok(p) => p,
            Err(_) => continue,
        };
        let state = Arc::clone(&state);
        let spawned = std::thread::Builder::new()
            .name(format!("session {peer}"))
            .spawn(move || {
                let _slot = slot;
                match handle(&state, stream, peer) {
                    Ok(Served::Answered) => tracing::info!(%peer, "request answered"),
                    Ok(Served::Refused(code)) => tracing::info!(%peer, code, "request refused"),
                    Err(_) => {}
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start a session thread");
        }
    }
}
