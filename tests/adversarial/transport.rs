//! Cases below the messages: bytes instead of a handshake, keys the holder does not
//! allow, silence, trickles, and after the handshake frames and records that break the
//! framing: oversized lengths, empty frames, truncation, tampering, reordering.

use std::io::Write;
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use blindlink_protocol::wire::{AbortReason, NoiseStaticKey};
use blindlink_testkit::hostile::{Closed, HostileClient, await_close};

use super::{Arena, Expect, WAIT, hello};

/// Frame header announcing `len` payload bytes.
fn header(len: u32) -> [u8; 4] {
    len.to_be_bytes()
}

/// `Hello` as a whole frame (header and payload), as record plaintext.
fn hello_frame() -> Vec<u8> {
    let payload = hello()
        .encode(&blindlink_testkit::hostile::permissive_limits())
        .unwrap();
    let mut frame = header(payload.len() as u32).to_vec();
    frame.extend_from_slice(&payload);
    frame
}

/// Before any handshake: garbage, an empty record, half a handshake, a stranger's key.
pub fn before_the_handshake(a: &mut Arena) {
    let addr = a.server.addr().to_owned();

    let mut garbage = TcpStream::connect(&addr).unwrap();
    let mut junk = vec![0x01, 0x2c];
    junk.extend((0..300u32).map(|i| (i * 37 % 251) as u8));
    garbage.write_all(&junk).unwrap();
    let closed = await_close(&mut garbage, WAIT);
    a.check_closed("garbage-instead-of-handshake", closed, "handshake-failed");

    let mut empty = TcpStream::connect(&addr).unwrap();
    empty.write_all(&[0, 0]).unwrap();
    let closed = await_close(&mut empty, WAIT);
    a.check_closed("empty-handshake-record", closed, "handshake-failed");

    let mut half = TcpStream::connect(&addr).unwrap();
    half.write_all(&[0x00, 0x20, 1, 2, 3, 4, 5]).unwrap();
    half.shutdown(Shutdown::Write).unwrap();
    let closed = await_close(&mut half, WAIT);
    a.check_closed("half-handshake-then-hang-up", closed, "peer-closed");

    // A complete handshake with a key the holder does not allow: it sends nothing back.
    let stranger = NoiseStaticKey::generate().unwrap();
    let client = HostileClient::connect(&addr, &stranger, &a.holder_key, WAIT).unwrap();
    let ending = client.finish(WAIT);
    a.check(
        "requester-key-not-allowed",
        &ending,
        Expect::Closed("unknown-peer"),
    );
}

/// Clients that hold the connection without finishing anything. Needs a holder with
/// `--io-timeout 2s --session-timeout 6s`.
pub fn slow_clients(a: &mut Arena) {
    let addr = a.server.addr().to_owned();

    // Connect and send nothing: the per-read timeout ends it.
    let mut silent = TcpStream::connect(&addr).unwrap();
    let closed = await_close(&mut silent, WAIT);
    a.check_closed("slowloris-silent", closed, "timeout");

    // A record header for 65,535 bytes, then one byte every half second: each read
    // returns in time, only the whole-session deadline can end it.
    let mut trickle = TcpStream::connect(&addr).unwrap();
    trickle.write_all(&[0xff, 0xff]).unwrap();
    let start = Instant::now();
    while start.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(500));
        if trickle.write_all(&[0x42]).is_err() {
            break;
        }
        trickle.set_nonblocking(true).unwrap();
        let mut probe = [0u8; 1];
        let gone = matches!(std::io::Read::read(&mut trickle, &mut probe), Ok(0));
        trickle.set_nonblocking(false).unwrap();
        if gone {
            break;
        }
    }
    let closed = await_close(&mut trickle, WAIT);
    a.check_closed("slowloris-trickle", closed, "session-deadline");

    // An approved request, then half of the first elements chunk, then silence.
    let request = a.approved();
    let mut client = a.welcomed();
    client.send(&request.request().unwrap()).unwrap();
    let chunk = request.chunks(4096).remove(0);
    let payload = chunk
        .encode(&blindlink_testkit::hostile::permissive_limits())
        .unwrap();
    let mut partial = header(payload.len() as u32).to_vec();
    partial.extend_from_slice(&payload[..payload.len() / 2]);
    client.send_record(&partial).unwrap();
    let ending = client.finish(WAIT);
    a.check("stop-mid-chunk", &ending, Expect::Closed("timeout"));

    // A record header announcing 256 bytes of ciphertext, 3 of them sent, then silence.
    let mut client = a.welcomed();
    client.send_raw(&[0x01, 0x00, 1, 2, 3]).unwrap();
    let ending = client.finish(WAIT);
    a.check("stop-mid-record", &ending, Expect::Closed("timeout"));
}

/// After the handshake: frames and records that break the framing.
pub fn broken_framing(a: &mut Arena) {
    // A frame header announcing 4 GiB - 1 bytes: refused from the header alone.
    let mut client = a.connect();
    client.send_record(&header(u32::MAX)).unwrap();
    let ending = client.finish(WAIT);
    a.check(
        "frame-length-4gib",
        &ending,
        Expect::Closed("frame-too-large"),
    );

    // One byte over the 4 MiB message limit.
    let mut client = a.connect();
    client.send_record(&header((4 << 20) + 1)).unwrap();
    let ending = client.finish(WAIT);
    a.check(
        "frame-just-over-limit",
        &ending,
        Expect::Closed("frame-too-large"),
    );

    // A frame of length 0 is a valid frame but no message.
    let mut client = a.connect();
    client.send_record(&header(0)).unwrap();
    let ending = client.finish(WAIT);
    let expect = Expect::Aborted(AbortReason::Malformed, "malformed-message");
    a.check("frame-length-zero", &ending, expect);

    // A frame announcing 1,000 bytes, 100 of them sent, then the client hangs up (so it
    // cannot see the holder close; the audit entry says when the holder is done).
    let before = session_errors(a);
    let mut client = a.welcomed();
    let mut truncated = header(1_000).to_vec();
    truncated.extend_from_slice(&[7u8; 100]);
    client.send_record(&truncated).unwrap();
    client.hang_up();
    a.w.holder_audit_after("session-error", before + 1);
    a.check_closed("truncated-frame-then-hang-up", Closed::Eof, "peer-closed");

    // A record whose plaintext is empty (only the tag).
    let mut client = a.connect();
    client.send_record(&[]).unwrap();
    let ending = client.finish(WAIT);
    a.check(
        "record-without-plaintext",
        &ending,
        Expect::Closed("record-violation"),
    );

    // Two frames in one record.
    let mut client = a.connect();
    let mut two = hello_frame();
    two.extend_from_slice(&hello_frame());
    client.send_record(&two).unwrap();
    let ending = client.finish(WAIT);
    a.check(
        "two-frames-in-one-record",
        &ending,
        Expect::Closed("record-violation"),
    );

    // A record with one ciphertext bit flipped.
    let mut client = a.connect();
    let mut record = client.seal_record(&hello_frame()).unwrap();
    if let Some(byte) = record.get_mut(5) {
        *byte ^= 0x01;
    }
    client.send_raw(&record).unwrap();
    let ending = client.finish(WAIT);
    a.check("tampered-record", &ending, Expect::Closed("decrypt-failed"));

    // Two records sent in the wrong order (nonces out of step).
    let mut client = a.connect();
    let frame = hello_frame();
    let (first, second) = frame.split_at(3);
    let first = client.seal_record(first).unwrap();
    let second = client.seal_record(second).unwrap();
    client.send_raw(&second).unwrap();
    client.send_raw(&first).unwrap();
    let ending = client.finish(WAIT);
    a.check(
        "records-out-of-order",
        &ending,
        Expect::Closed("decrypt-failed"),
    );
}

/// How many `session-error` entries the holder has audited.
fn session_errors(a: &Arena) -> usize {
    a.w.holder_audit_count("session-error")
}
