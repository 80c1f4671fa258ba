//! The Noise channel over real loopback TCP, one thread per side.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use blindlink_protocol::wire::{
    Channel, ChannelError, Hello, Limits, Message, NoiseStaticKey, PROTOCOL_VERSION, SUITE,
};

/// Bound on any blocking read in these tests, so a bug fails instead of hanging.
const SAFETY_TIMEOUT: Duration = Duration::from_secs(20);

fn key() -> NoiseStaticKey {
    NoiseStaticKey::generate().unwrap()
}

fn listener() -> (TcpListener, std::net::SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    (listener, addr)
}

fn accept_stream(listener: &TcpListener) -> TcpStream {
    let (stream, _) = listener.accept().unwrap();
    stream.set_read_timeout(Some(SAFETY_TIMEOUT)).unwrap();
    stream
}

fn connect_stream(addr: std::net::SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(SAFETY_TIMEOUT)).unwrap();
    stream
}

/// Deterministic, non-repeating-looking test payload.
fn payload(len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

fn big_limits() -> Limits {
    Limits {
        max_message_bytes: 8 << 20,
        ..Limits::default()
    }
}

#[test]
fn pinned_handshake_then_messages_and_5mb_round_trip() {
    let (server_key, client_key) = (key(), key());
    let (server_pub, client_pub) = (server_key.public_key(), client_key.public_key());
    let (listener, addr) = listener();
    let data = payload(5_000_000);

    thread::scope(|scope| {
        let server = scope.spawn(|| {
            let stream = accept_stream(&listener);
            let (mut channel, peer) =
                Channel::accept(stream, &server_key, &[key().public_key(), client_pub]).unwrap();
            assert_eq!(peer, client_pub);
            channel.set_limits(big_limits());
            let hello = channel.recv().unwrap();
            channel.send(&hello).unwrap();
            let bytes = channel.recv_bytes().unwrap();
            channel.send_bytes(&bytes).unwrap();
            assert_eq!(channel.recv().unwrap(), Message::Goodbye);
        });

        let mut channel = Channel::connect(connect_stream(addr), &client_key, &server_pub).unwrap();
        assert_eq!(channel.peer_public_key(), server_pub);
        channel.set_limits(big_limits());
        let hello = Message::Hello(Hello {
            version: PROTOCOL_VERSION,
            suite: SUITE.to_owned(),
            requester_id: "ice-test".to_owned(),
            cached_set: None,
            holder_log_size: 0,
        });
        channel.send(&hello).unwrap();
        assert_eq!(channel.recv().unwrap(), hello);
        channel.send_bytes(&data).unwrap();
        let echoed = channel.recv_bytes().unwrap();
        assert!(echoed == data, "5 MB payload corrupted in transit");
        channel.send(&Message::Goodbye).unwrap();
        server.join().unwrap();
    });
}

#[test]
fn client_refuses_a_server_with_the_wrong_key() {
    let (server_key, client_key) = (key(), key());
    let client_pub = client_key.public_key();
    let (listener, addr) = listener();
    thread::scope(|scope| {
        let server = scope.spawn(|| {
            Channel::accept(accept_stream(&listener), &server_key, &[client_pub]).map(|_| ())
        });
        let result = Channel::connect(connect_stream(addr), &client_key, &key().public_key());
        assert!(
            matches!(result, Err(ChannelError::UnknownPeer)),
            "{result:?}"
        );
        // The client stopped before msg3: the server only sees the connection close.
        let server_result = server.join().unwrap();
        assert!(
            matches!(server_result, Err(ChannelError::PeerClosed)),
            "{server_result:?}"
        );
    });
}

#[test]
fn server_refuses_a_client_not_in_its_list() {
    let (server_key, client_key) = (key(), key());
    let server_pub = server_key.public_key();
    let (listener, addr) = listener();
    thread::scope(|scope| {
        let server = scope.spawn(|| {
            Channel::accept(accept_stream(&listener), &server_key, &[key().public_key()])
                .map(|_| ())
        });
        let mut channel = Channel::connect(connect_stream(addr), &client_key, &server_pub).unwrap();
        let server_result = server.join().unwrap();
        assert!(
            matches!(server_result, Err(ChannelError::UnknownPeer)),
            "{server_result:?}"
        );
        let received = channel.recv();
        assert!(
            matches!(received, Err(ChannelError::PeerClosed)),
            "{received:?}"
        );
    });
}

#[test]
fn disconnect_mid_handshake_is_peer_closed() {
    let (server_key, client_key) = (key(), key());
    let server_pub = server_key.public_key();
    let (listener, addr) = listener();
    thread::scope(|scope| {
        // A client that sends half of msg1 and hangs up.
        let server =
            scope.spawn(|| Channel::accept(accept_stream(&listener), &server_key, &[]).map(|_| ()));
        let mut raw = connect_stream(addr);
        raw.write_all(&[0, 32, 1, 2, 3, 4, 5]).unwrap();
        drop(raw);
        let result = server.join().unwrap();
        assert!(
            matches!(result, Err(ChannelError::PeerClosed)),
            "{result:?}"
        );

        // A server that reads msg1 and hangs up before msg2.
        let server = scope.spawn(|| {
            let mut stream = accept_stream(&listener);
            let mut msg1 = [0u8; 34];
            stream.read_exact(&mut msg1).unwrap();
        });
        let result = Channel::connect(connect_stream(addr), &client_key, &server_pub);
        server.join().unwrap();
        assert!(
            matches!(result, Err(ChannelError::PeerClosed)),
            "{result:?}"
        );
    });
}

/// A stream that writes at most `budget` bytes once armed, then fails, and can flip one bit
/// of the next write: a peer that dies mid-message, or an attacker on the path.
struct Faulty {
    inner: TcpStream,
    budget: Arc<AtomicUsize>,
    tamper: Arc<AtomicBool>,
}

impl Read for Faulty {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}

impl Write for Faulty {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let budget = self.budget.load(Ordering::SeqCst);
        if budget == 0 {
            return Err(io::Error::other("write budget exhausted"));
        }
        let len = buf.len().min(budget);
        self.budget.fetch_sub(len, Ordering::SeqCst);
        if self.tamper.swap(false, Ordering::SeqCst) {
            let mut copy = buf[..len].to_vec();
            let last = copy.len() - 1;
            copy[last] ^= 1;
            return self.inner.write(&copy);
        }
        self.inner.write(&buf[..len])
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Connects a client over a [`Faulty`] stream and returns the server's result of `serve`.
fn with_faulty_client<T: Send>(
    arm: impl FnOnce(&Faulty),
    send: Vec<u8>,
    serve: impl FnOnce(&mut Channel<TcpStream>) -> T + Send,
) -> T {
    let (server_key, client_key) = (key(), key());
    let (server_pub, client_pub) = (server_key.public_key(), client_key.public_key());
    let (listener, addr) = listener();
    thread::scope(|scope| {
        let server = scope.spawn(|| {
            let (mut channel, _) =
                Channel::accept(accept_stream(&listener), &server_key, &[client_pub]).unwrap();
            channel.set_limits(big_limits());
            serve(&mut channel)
        });
        let stream = Faulty {
            inner: connect_stream(addr),
            budget: Arc::new(AtomicUsize::new(usize::MAX)),
            tamper: Arc::new(AtomicBool::new(false)),
        };
        let mut channel = Channel::connect(stream, &client_key, &server_pub).unwrap();
        channel.set_limits(big_limits());
        arm(channel.get_ref());
        // The send may fail: the injected fault is the point.
        let _ = channel.send_bytes(&send);
        drop(channel);
        server.join().unwrap()
    })
}

#[test]
fn disconnect_mid_message_is_peer_closed() {
    // The client dies after 100,000 bytes of a 1 MB frame (past the first records).
    let result = with_faulty_client(
        |stream| stream.budget.store(100_000, Ordering::SeqCst),
        payload(1_000_000),
        |channel| channel.recv_bytes(),
    );
    assert!(
        matches!(result, Err(ChannelError::PeerClosed)),
        "{result:?}"
    );
}

#[test]
fn tampered_record_fails_to_decrypt() {
    let result = with_faulty_client(
        |stream| stream.tamper.store(true, Ordering::SeqCst),
        payload(1000),
        |channel| {
            let first = channel.recv_bytes();
            (first, channel.recv_bytes())
        },
    );
    assert!(
        matches!(result.0, Err(ChannelError::Decrypt)),
        "{:?}",
        result.0
    );
    assert!(
        matches!(result.1, Err(ChannelError::Broken)),
        "{:?}",
        result.1
    );
}

#[test]
fn oversized_frame_from_the_peer_is_refused() {
    let result = with_faulty_client(
        |_| {},
        payload(5_000_000),
        |channel| {
            channel.set_limits(Limits::default());
            channel.recv_bytes()
        },
    );
    assert!(
        matches!(
            result,
            Err(ChannelError::FrameTooLarge {
                len: 5_000_000,
                max
            }) if max == Limits::default().max_message_bytes
        ),
        "{result:?}"
    );
}

#[test]
fn sending_over_the_limit_is_refused_locally_and_the_channel_survives() {
    let (server_key, client_key) = (key(), key());
    let (server_pub, client_pub) = (server_key.public_key(), client_key.public_key());
    let (listener, addr) = listener();
    thread::scope(|scope| {
        let server = scope.spawn(|| {
            let (mut channel, _) =
                Channel::accept(accept_stream(&listener), &server_key, &[client_pub]).unwrap();
            channel.recv_bytes().unwrap()
        });
        let mut channel = Channel::connect(connect_stream(addr), &client_key, &server_pub).unwrap();
        let too_big = payload(Limits::default().max_message_bytes as usize + 1);
        assert!(matches!(
            channel.send_bytes(&too_big),
            Err(ChannelError::FrameTooLarge { .. })
        ));
        channel.send_bytes(b"still fine").unwrap();
        assert_eq!(server.join().unwrap(), b"still fine");
    });
}

#[test]
fn read_timeout_is_timeout() {
    let (server_key, client_key) = (key(), key());
    let (server_pub, client_pub) = (server_key.public_key(), client_key.public_key());
    let (listener, addr) = listener();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    thread::scope(|scope| {
        let server = scope.spawn(move || {
            let (mut channel, _) =
                Channel::accept(accept_stream(&listener), &server_key, &[client_pub]).unwrap();
            channel
                .get_ref()
                .set_read_timeout(Some(Duration::from_millis(100)))
                .unwrap();
            let first = channel.recv();
            let second = channel.recv();
            done_tx.send(()).unwrap();
            (first, second)
        });
        let channel = Channel::connect(connect_stream(addr), &client_key, &server_pub).unwrap();
        // Stay connected and silent until the server has timed out.
        done_rx.recv_timeout(SAFETY_TIMEOUT).unwrap();
        drop(channel);
        let (first, second) = server.join().unwrap();
        assert!(matches!(first, Err(ChannelError::Timeout)), "{first:?}");
        assert!(matches!(second, Err(ChannelError::Broken)), "{second:?}");
    });
}
