//! End to end, real binaries on loopback: the channel. Pinned keys on both sides,
//! clients that send garbage, stop half way through the handshake, go silent, or hang up
//! mid-request; the holder keeps serving the next client and keeps no state from them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use blindlink_testkit::Holder;
use blindlink_testkit::rogue::RogueRequester;
use common::{REQUESTER_ID, World, answered, failed};

/// Serves `w`'s default policy, answers one approved request for `name` first.
fn approved(w: &World, name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let (request, _) = w.request(name, 30, 3, "realistic");
    let bundle = w.prepare(&request, &format!("{name}.bundle"));
    let approval = w.sign(&w.secretary, &bundle.bundle);
    (bundle.bundle, approval)
}

#[test]
fn ice_refuses_a_holder_with_another_noise_key() {
    let w = World::new();
    let server = w.serve();
    let (bundle, approval) = approved(&w, "pinned");
    // holder.json naming another holder's Noise key, as if the connection were
    // redirected to an impostor (or the file were stale).
    let impostor = Holder::new(&w.bins, w.path("impostor"));
    impostor.keygen().unwrap();
    let impostor_key = std::fs::read_to_string(impostor.dir().join("noise.pub")).unwrap();
    let impostor_key = impostor_key.split_whitespace().nth(1).unwrap();
    let mut info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(w.holder.holder_json()).unwrap()).unwrap();
    info["epoch"]["noise_public_key"] = impostor_key.into();
    let wrong = w.path("wrong-holder.json");
    std::fs::write(&wrong, info.to_string()).unwrap();

    let outcome = w
        .ice
        .query(&blindlink_testkit::Query {
            addr: server.addr(),
            holder_json: &wrong,
            bundle: &bundle,
            approvals: vec![&approval],
            results: &w.path("pinned.results.csv"),
            no_cache: false,
        })
        .unwrap();
    // The Noise key comes from the signed statement: an edited one is refused before
    // any connection is made.
    let line = failed(outcome);
    assert!(line.contains("signature does not verify"), "{line}");
    assert!(!w.path("pinned.results.csv").exists());
    assert_eq!(w.holder_audit_count("request-received"), 0);

    // With the right key the same bundle goes through: nothing was used up.
    answered(w.query(&server, &bundle, &[&approval]));
    w.assert_audits_intact();
}

#[test]
fn a_requester_the_holder_does_not_allow_exchanges_nothing() {
    let w = World::new();
    let server = w.serve();
    let stranger = w.requester("ice-stranger");
    let (request, _) = w.request("stranger", 30, 3, "realistic");
    let bundle = w.prepare_by(&stranger, &request, "stranger.bundle");
    let approval = w.sign(&w.secretary, &bundle.bundle);

    let line = failed(w.query_by(&stranger, &server, &bundle.bundle, &[&approval]));
    assert!(line.contains("connection to the holder failed"), "{line}");
    assert!(
        line.contains("does not allow this requester's Noise key"),
        "{line}"
    );
    assert!(!bundle.bundle.with_extension("results.csv").exists());
    let audit = w.holder_audit_after("session-error", 1);
    assert!(
        audit.iter().all(|e| e["kind"] != "request-received"),
        "the holder read no request"
    );
    let errors: Vec<_> = audit
        .iter()
        .filter(|e| e["kind"] == "session-error")
        .collect();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]["details"]["error"]
            .as_str()
            .unwrap()
            .contains("not pinned"),
        "{}",
        errors[0]
    );
    // An allowed requester is served next.
    let (bundle, approval) = approved(&w, "allowed");
    answered(w.query(&server, &bundle, &[&approval]));
    w.assert_audits_intact();
}

/// Reads until the server closes the connection (or resets it); fails on a timeout.
fn wait_closed(mut stream: TcpStream) {
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut buf = [0u8; 256];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return,
            Err(e) => panic!("the holder did not close the connection: {e}"),
        }
    }
}

#[test]
fn broken_clients_leave_the_holder_serving() {
    let w = World::new();
    let server = w.serve_to(&w.policy(), &[], &["--io-timeout", "2s"]);
    let addr = server.addr().to_owned();

    // Garbage instead of a handshake: a record header announcing 300 bytes of junk.
    let mut garbage = TcpStream::connect(&addr).unwrap();
    let mut junk = vec![0x01, 0x2c];
    junk.extend((0..300u32).map(|i| (i * 37 % 251) as u8));
    garbage.write_all(&junk).unwrap();
    wait_closed(garbage);

    // Half a Noise handshake message, then hang up.
    let mut partial = TcpStream::connect(&addr).unwrap();
    partial.write_all(&[0x00, 0x20, 1, 2, 3, 4, 5]).unwrap();
    drop(partial);

    // Connect and say nothing: the per-read timeout closes it, and meanwhile other
    // requesters are served.
    let silent = TcpStream::connect(&addr).unwrap();
    let (bundle, approval) = approved(&w, "during");
    answered(w.query(&server, &bundle, &[&approval]));
    wait_closed(silent);

    let (bundle, approval) = approved(&w, "after");
    answered(w.query(&server, &bundle, &[&approval]));
    let mut server = server;
    assert!(server.is_running());
    // Garbage, half a handshake, silence: each ended with an audited session error.
    w.holder_audit_after("session-error", 3);
    w.assert_audits_intact();
}

#[test]
fn a_requester_that_hangs_up_mid_request_leaves_no_state() {
    let w = World::new();
    let server = w.serve();
    // About 4,400 elements: more than one chunk of 4,096, so the hang-up is mid-stream.
    let (request, _) = w.request("dropped", 2_000, 3, "realistic");
    let bundle = w.prepare(&request, "dropped.bundle");
    let approval = w.sign(&w.secretary, &bundle.bundle);

    // Through the Noise channel: Hello, the approved Request, one chunk of elements, gone.
    RogueRequester::from_ice_dir(w.ice.dir(), REQUESTER_ID)
        .unwrap()
        .abandon_mid_request(
            server.addr(),
            &w.holder.holder_json(),
            &bundle.bundle,
            &[&approval],
        )
        .unwrap();

    // The request id was not used up and nothing was counted: the same approved bundle
    // is answered in full.
    let report = answered(w.query(&server, &bundle.bundle, &[&approval]));
    assert_eq!(report.records, 2_000);
    assert!(report.elements > 4_096, "{}", report.elements);
    w.holder_audit_after("session-error", 1);
    let audit = w.holder_audit_after("set-sent", 1);
    let kinds: Vec<&str> = audit.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "request-received").count(),
        2
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "decision-accepted").count(),
        1
    );
    assert_eq!(kinds.iter().filter(|k| **k == "session-error").count(), 1);
    w.assert_audits_intact();
}

#[test]
fn a_client_that_trickles_bytes_is_cut_off_at_the_session_deadline() {
    let w = World::new();
    let server = w.serve_to(
        &w.policy(),
        &[],
        &["--io-timeout", "2s", "--session-timeout", "3s"],
    );
    let addr = server.addr().to_owned();
    // A record header announcing a 65,535-byte handshake message, then one byte a
    // second: every read returns within the per-read timeout, so only the whole-session
    // deadline can end it.
    let mut trickle = TcpStream::connect(&addr).unwrap();
    trickle.write_all(&[0xff, 0xff]).unwrap();
    let start = std::time::Instant::now();
    let closed = loop {
        std::thread::sleep(Duration::from_secs(1));
        if trickle.write_all(&[0x42]).is_err() || start.elapsed() > Duration::from_secs(30) {
            break start.elapsed();
        }
        let mut probe = [0u8; 1];
        trickle.set_nonblocking(true).unwrap();
        let gone = matches!(trickle.read(&mut probe), Ok(0));
        trickle.set_nonblocking(false).unwrap();
        if gone {
            break start.elapsed();
        }
    };
    assert!(
        closed < Duration::from_secs(15),
        "still open after {closed:?}"
    );

    // The slot it held is free again: an honest requester is answered.
    let (bundle, approval) = approved(&w, "after-trickle");
    answered(w.query(&server, &bundle, &[&approval]));
}

#[test]
fn a_set_other_than_the_published_one_is_rejected() {
    let w = World::new();
    let server = w.serve();
    let (bundle, approval) = approved(&w, "published");
    // The requester's copy of holder.json announces another set hash for this epoch.
    let mut info: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.holder.holder_json()).unwrap()).unwrap();
    info["epoch"]["set_hash"] = serde_json::json!("ab".repeat(32));
    let altered = w.path("altered-holder.json");
    std::fs::write(&altered, serde_json::to_vec(&info).unwrap()).unwrap();
    let outcome = w
        .ice
        .query(&blindlink_testkit::Query {
            addr: server.addr(),
            holder_json: &altered,
            bundle: &bundle,
            approvals: vec![&approval],
            results: &w.path("published.results.csv"),
            no_cache: false,
        })
        .unwrap();
    let line = failed(outcome);
    assert!(line.contains("signature does not verify"), "{line}");
    assert!(!w.path("published.results.csv").exists());
    // The rejected set was not cached either.
    let sets = w.ice.dir().join("sets");
    let cached = std::fs::read_dir(&sets).map_or(0, |d| d.count());
    assert_eq!(cached, 0, "{}", sets.display());
}
