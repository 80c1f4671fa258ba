//! Cases at the message layer, over an intact channel: messages out of order, a second
//! request, encodings that are not the one canonical encoding, fields over their limits,
//! malformed manifests and approvals. The holder answers each with an `Abort` naming
//! the reason and audits it.

use blindlink_protocol::wire::{
    Abort, AbortReason, ElementsChunk, Hello, Message, PROTOCOL_VERSION, SUITE, Welcome,
};
use blindlink_testkit::hostile::{HostileClient, permissive_limits};

use super::{Arena, Expect, WAIT, hello};
use crate::common::REQUESTER_ID;

fn encode(message: &Message) -> Vec<u8> {
    message.encode(&permissive_limits()).unwrap()
}

/// Sends `payload` as one frame on a fresh connection (after `Hello` when `welcomed`)
/// and returns how the holder ended it.
fn send_frame(a: &Arena, welcomed: bool, payload: &[u8]) -> blindlink_testkit::hostile::Ending {
    let mut client = if welcomed { a.welcomed() } else { a.connect() };
    client.send_frame(payload).unwrap();
    client.finish(WAIT)
}

fn send_all(client: &mut HostileClient, messages: &[Message]) {
    for message in messages {
        client.send(message).unwrap();
    }
}

fn hello_with(change: impl FnOnce(&mut Hello)) -> Message {
    let mut hello = Hello {
        version: PROTOCOL_VERSION,
        suite: SUITE.to_owned(),
        requester_id: REQUESTER_ID.to_owned(),
        cached_set: None,
        holder_log_size: 0,
    };
    change(&mut hello);
    Message::Hello(hello)
}

const UNEXPECTED: Expect = Expect::Aborted(AbortReason::UnexpectedMessage, "unexpected-message");
const MALFORMED: AbortReason = AbortReason::Malformed;

/// Messages in an order the protocol does not allow.
pub fn out_of_order(a: &mut Arena) {
    let request = a.approved();

    let ending = send_frame(a, false, &encode(&request.request().unwrap()));
    a.check("request-before-hello", &ending, UNEXPECTED);

    let ending = send_frame(a, true, &encode(&request.chunks(4096)[0]));
    a.check("elements-before-request", &ending, UNEXPECTED);

    let ending = send_frame(a, true, &encode(&Message::ElementsDone));
    a.check("elements-done-before-request", &ending, UNEXPECTED);

    let welcome = Message::Welcome(Welcome {
        version: PROTOCOL_VERSION,
        key_epoch: [0; 16],
        public_key: [0; 32],
        set_size: 1,
        fingerprint_bits: 40,
        rules_answered: 1,
        max_records: 1,
        max_elements: 1,
        max_chunk_elements: 1,
    });
    let ending = send_frame(a, false, &encode(&welcome));
    a.check("holder-message-from-requester", &ending, UNEXPECTED);

    // A second Request where the elements should follow the first.
    let mut client = a.welcomed();
    send_all(&mut client, &[request.request().unwrap()]);
    send_all(&mut client, &[request.request().unwrap()]);
    let ending = client.finish(WAIT);
    a.check("second-request-in-one-session", &ending, UNEXPECTED);

    // The elements chunks numbered from 1 instead of 0.
    let mut client = a.welcomed();
    client.send(&request.request().unwrap()).unwrap();
    let chunk = match &request.chunks(4096)[0] {
        Message::ElementsChunk(c) => ElementsChunk {
            index: 1,
            elements: c.elements.clone(),
        },
        _ => unreachable!(),
    };
    client.send(&Message::ElementsChunk(chunk)).unwrap();
    let ending = client.finish(WAIT);
    let expect = Expect::Aborted(MALFORMED, "chunk-out-of-order");
    a.check("chunk-index-out-of-order", &ending, expect);

    // The requester aborts instead of sending its request.
    let abort = Message::Abort(Abort {
        reason: AbortReason::Internal,
        detail: "changed my mind".into(),
    });
    let ending = send_frame(a, true, &encode(&abort));
    a.check(
        "requester-aborts",
        &ending,
        Expect::Aborted(MALFORMED, "peer-aborted"),
    );

    // A whole honest session, answered, then a second request instead of Goodbye.
    let mut client = answered(a);
    client.send(&a.approved().request().unwrap()).unwrap();
    let ending = client.finish(WAIT);
    a.check("second-request-after-the-answer", &ending, UNEXPECTED);

    // Answered, then the requester aborts (as `ice` does when the set does not verify).
    let mut client = answered(a);
    client.send(&abort).unwrap();
    let ending = client.finish(WAIT);
    let expect = Expect::Aborted(MALFORMED, "peer-aborted");
    a.check("requester-aborts-after-the-answer", &ending, expect);
}

/// A connection whose approved request was answered up to `SetDone`.
fn answered(a: &Arena) -> HostileClient {
    let request = a.approved();
    let mut client = a.welcomed();
    send_all(&mut client, &[request.request().unwrap()]);
    send_all(&mut client, &request.chunks(4096));
    client.send(&Message::ElementsDone).unwrap();
    loop {
        match client.recv().unwrap() {
            Some(Message::SetDone) => return client,
            Some(_) => {}
            None => panic!("closed before the set was sent"),
        }
    }
}

/// `Hello`s the holder cannot accept.
pub fn bad_hello(a: &mut Arena) {
    let ending = send_frame(
        a,
        false,
        &encode(&hello_with(|h| h.version = PROTOCOL_VERSION + 1)),
    );
    let unsupported = Expect::Aborted(AbortReason::UnsupportedVersion, "unsupported-protocol");
    a.check("wrong-protocol-version", &ending, unsupported);

    let other_suite = hello_with(|h| h.suite = "OPRF(P-256, SHA-256)".into());
    let ending = send_frame(a, false, &encode(&other_suite));
    a.check("wrong-oprf-suite", &ending, unsupported);

    let other = hello_with(|h| h.requester_id = "ice-elsewhere".into());
    let ending = send_frame(a, false, &encode(&other));
    let expect = Expect::Aborted(MALFORMED, "requester-id-mismatch");
    a.check("hello-names-another-requester", &ending, expect);
}

/// Frames that are not a message in its canonical encoding.
pub fn bad_encodings(a: &mut Arena) {
    let ending = send_frame(a, false, &[99]);
    let expect = Expect::Aborted(MALFORMED, "malformed-message");
    a.check("unknown-message-type", &ending, expect);

    let mut trailing = encode(&hello());
    trailing.push(0);
    let ending = send_frame(a, false, &trailing);
    let expect = Expect::Aborted(MALFORMED, "trailing-bytes");
    a.check("trailing-bytes-after-message", &ending, expect);

    // Hello's version (2) as a two-byte varint: [0x82, 0x00] instead of [0x02].
    let canonical = encode(&hello());
    assert_eq!(canonical[..2], [0, 2], "tag 0, version 2");
    let mut overlong = vec![0, 0x82, 0x00];
    overlong.extend_from_slice(&canonical[2..]);
    let ending = send_frame(a, false, &overlong);
    let expect = Expect::Aborted(MALFORMED, "non-canonical-message");
    a.check("overlong-varint", &ending, expect);

    // The requester id with a byte that is not UTF-8.
    let mut bytes = encode(&hello());
    let at = bytes
        .windows(REQUESTER_ID.len())
        .position(|w| w == REQUESTER_ID.as_bytes())
        .unwrap();
    bytes[at] = 0xff;
    let ending = send_frame(a, false, &bytes);
    let expect = Expect::Aborted(MALFORMED, "malformed-message");
    a.check("non-utf8-string", &ending, expect);

    // An elements chunk with no elements: tag 3, index 0, zero elements.
    let ending = send_frame(a, true, &[3, 0, 0]);
    let expect = Expect::Aborted(MALFORMED, "empty-field");
    a.check("empty-elements-chunk", &ending, expect);

    // A request announcing zero elements: element_count is the last field, a varint.
    let mut zero = encode(&a.approved().request().unwrap());
    assert_eq!(zero.last(), Some(&(a.approved().elements.len() as u8)));
    *zero.last_mut().unwrap() = 0;
    let ending = send_frame(a, true, &zero);
    let expect = Expect::Aborted(MALFORMED, "invalid-field");
    a.check("request-for-zero-elements", &ending, expect);
}

/// Fields over the holder's limits, and manifests or approvals that do not parse.
pub fn oversized_and_malformed(a: &mut Arena) {
    let over = Expect::Aborted(MALFORMED, "over-wire-limit");
    let request = a.approved();

    let big = request.request_with_manifest(vec![b' '; 70 << 10]);
    let ending = send_frame(a, true, &encode(&big));
    a.check("manifest-over-64kib", &ending, over);

    let mut many = a.approved();
    many.approvals = vec![many.approvals[0].clone(); 17];
    let ending = send_frame(a, true, &encode(&many.request().unwrap()));
    a.check("seventeen-approvals", &ending, over);

    let elements = vec![request.elements[0]; 4_097];
    let chunk = Message::ElementsChunk(ElementsChunk { index: 0, elements });
    let ending = send_frame(a, true, &encode(&chunk));
    a.check("chunk-over-4096-elements", &ending, over);

    let long_id = hello_with(|h| h.requester_id = "x".repeat(2_000));
    let ending = send_frame(a, false, &encode(&long_id));
    a.check("requester-id-over-1kib", &ending, over);

    let malformed_manifest = Expect::Aborted(MALFORMED, "malformed-manifest");
    let ending = send_frame(
        a,
        true,
        &encode(&request.request_with_manifest(b"{not json".to_vec())),
    );
    a.check("manifest-not-json", &ending, malformed_manifest);

    // A manifest whose legal basis is over its 4 KiB limit (the JSON stays small).
    let mut json: serde_json::Value =
        serde_json::from_str(&request.manifest().unwrap().to_json_pretty()).unwrap();
    json["legal_basis"] = "x".repeat(5_000).into();
    let long = request.request_with_manifest(serde_json::to_vec(&json).unwrap());
    let ending = send_frame(a, true, &encode(&long));
    a.check("legal-basis-over-4kib", &ending, malformed_manifest);

    // A manifest with a field the format does not have.
    json["legal_basis"] = "test".into();
    json["priority"] = "urgent".into();
    let unknown = request.request_with_manifest(serde_json::to_vec(&json).unwrap());
    let ending = send_frame(a, true, &encode(&unknown));
    a.check("manifest-with-unknown-field", &ending, malformed_manifest);

    let mut broken = a.approved();
    broken.approvals = vec![b"{\"role\": \"dhs-secretary\"}".to_vec()];
    let ending = send_frame(a, true, &encode(&broken.request().unwrap()));
    let expect = Expect::Aborted(MALFORMED, "malformed-approval");
    a.check("approval-not-an-approval", &ending, expect);
}
