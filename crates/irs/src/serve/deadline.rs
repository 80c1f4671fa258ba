//! A whole-session deadline. Per-read timeouts alone let a client that trickles one
//! byte per timeout hold a session slot forever; this watchdog shuts the socket down when
//! the session's total time is up, so every pending and later read fails at once.

use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

/// Shuts the connection down after `limit` unless dropped first.
#[derive(Debug)]
pub struct SessionDeadline {
    cancel: Option<Sender<()>>,
    reached: Arc<AtomicBool>,
}

impl SessionDeadline {
    /// Arms the watchdog on a clone of the connection's socket.
    pub fn arm(stream: &TcpStream, limit: Duration) -> std::io::Result<SessionDeadline> {
        let socket = stream.try_clone()?;
        let (cancel, cancelled) = mpsc::channel::<()>();
        let reached = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&reached);
        std::thread::Builder::new()
            .name("session deadline".into())
            .spawn(move || {
                if let Err(RecvTimeoutError::Timeout) = cancelled.recv_timeout(limit) {
                    tracing::info!(?limit, "session deadline reached; closing the connection");
                    flag.store(true, Ordering::SeqCst);
                    let _ = socket.shutdown(Shutdown::Both);
                }
            })?;
        Ok(SessionDeadline {
            cancel: Some(cancel),
            reached,
        })
    }

    /// Whether the deadline passed and the connection was shut down by it (so a failed
    /// read or write after that is the deadline's doing, not the peer's).
    pub fn reached(&self) -> bool {
        self.reached.load(Ordering::SeqCst)
    }
}

impl Drop for SessionDeadline {
    fn drop(&mut self) {
        if let Some(cancel) = self.cancel.take() {
            let _ = cancel.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;
    use std::time::Instant;

    #[test]
    fn a_silent_peer_is_cut_off_at_the_deadline_not_the_read_timeout() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let _client = TcpStream::connect(addr).unwrap();
        let (mut server_side, _) = listener.accept().unwrap();
        server_side
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let start = Instant::now();
        let deadline = SessionDeadline::arm(&server_side, Duration::from_millis(200)).unwrap();
        let mut buf = [0u8; 8];
        let read = server_side.read(&mut buf);
        assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
        assert!(deadline.reached());
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn a_dropped_deadline_leaves_the_connection_open() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server_side, _) = listener.accept().unwrap();
        let deadline = SessionDeadline::arm(&server_side, Duration::from_millis(100)).unwrap();
        assert!(!deadline.reached());
        drop(deadline);
        std::thread::sleep(Duration::from_millis(300));
        client
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut buf = [0u8; 1];
        // Still open: the read times out instead of seeing end of stream.
        let read = client.read(&mut buf);
        assert!(read.is_err(), "connection was closed: {read:?}");
    }
}
