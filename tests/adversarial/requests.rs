//! Cases the policy decides: well-formed requests, built by hand and (unless the case is
//! about signatures) validly signed by the required approver, that the holder must still
//! refuse: elements that do not match the manifest or are not group elements, a replayed
//! id, approvals that do not fit, times, epochs, rules and requesters that are wrong.

use std::time::{SystemTime, UNIX_EPOCH};

use blindlink_protocol::manifest::{KeyEpoch, RequesterId, RuleId};
use blindlink_protocol::wire::{Element, ElementsChunk, Message};
use blindlink_testkit::Approver;
use blindlink_testkit::forge::{ForgedRequest, Signer};
use blindlink_testkit::hostile::{Closed, Ending};
use curve25519_dalek::ristretto::CompressedRistretto;

use super::{Arena, Expect, WAIT};

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Sends `messages` after `Hello`, says `Goodbye` if the set arrives, and returns
/// everything the holder sent until it closed.
fn submit_messages(a: &Arena, messages: Vec<Message>) -> Ending {
    let mut client = a.welcomed();
    for message in &messages {
        client.send(message).unwrap();
    }
    let mut received = Vec::new();
    loop {
        match client.recv().unwrap() {
            Some(Message::SetDone) => {
                received.push(Message::SetDone);
                client.send(&Message::Goodbye).unwrap();
            }
            Some(message) => {
                let last = matches!(message, Message::Refusal(_) | Message::Abort(_));
                received.push(message);
                if last {
                    break;
                }
            }
            None => {
                return Ending {
                    messages: received,
                    closed: Closed::Eof,
                };
            }
        }
    }
    let rest = client.finish(WAIT);
    received.extend(rest.messages);
    Ending {
        messages: received,
        closed: rest.closed,
    }
}

/// The request, its chunks and `ElementsDone`, as `ice` sends them.
fn full(request: &ForgedRequest) -> Vec<Message> {
    let mut messages = vec![request.request().unwrap()];
    messages.extend(request.chunks(4096));
    messages.push(Message::ElementsDone);
    messages
}

fn submit(a: &Arena, request: &ForgedRequest) -> Ending {
    submit_messages(a, full(request))
}

/// The honest elements with element 3 replaced by `bad`, approved as they are.
fn with_bad_element(a: &Arena, bad: Element) -> ForgedRequest {
    let request = a.forged();
    let mut elements = request.elements.clone();
    elements[3] = bad;
    request
        .with_elements(elements)
        .signed_by(&a.signer)
        .unwrap()
}

/// An even, canonical field element that is not the encoding of any ristretto255 point.
fn not_a_point() -> Element {
    (1u8..=255)
        .map(|i| {
            let mut bytes = [0u8; 32];
            bytes[0] = 2 * i;
            bytes
        })
        .find(|b| CompressedRistretto(*b).decompress().is_none())
        .unwrap()
}

/// Elements that are not what the approvers signed, or not group elements at all.
pub fn bad_elements(a: &mut Arena) {
    let mismatch = Expect::Refused("element-count-mismatch");
    let mut request = a.approved();
    let n = request.elements.len() as u64;
    request.declared_count = Some(n + 1);
    let ending = submit(a, &request);
    a.check("request-count-disagrees-with-manifest", &ending, mismatch);

    let request = a.approved();
    let mut messages = full(&request);
    let done = messages.pop().unwrap();
    let extra = ElementsChunk {
        index: request.chunks(4096).len() as u32,
        elements: vec![request.elements[0]],
    };
    messages.extend([Message::ElementsChunk(extra), done]);
    let ending = submit_messages(a, messages);
    a.check("more-elements-than-manifest", &ending, mismatch);

    let mut fewer = a.approved();
    fewer.elements.pop();
    fewer.declared_count = Some(n);
    let ending = submit(a, &fewer);
    a.check("fewer-elements-than-manifest", &ending, mismatch);

    let mut reordered = a.approved();
    reordered.elements.swap(0, 1);
    let ending = submit(a, &reordered);
    a.check(
        "elements-reordered-after-approval",
        &ending,
        Expect::Refused("digest-mismatch"),
    );

    let invalid = Expect::Refused("invalid-element");
    let ending = submit(a, &with_bad_element(a, [0u8; 32]));
    a.check("identity-element-all-zero", &ending, invalid);

    // p = 2^255 - 19 itself, little-endian: a field element that is not reduced.
    let mut p = [0xffu8; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    let ending = submit(a, &with_bad_element(a, p));
    a.check("non-canonical-element", &ending, invalid);

    let mut negative = [0u8; 32];
    negative[0] = 1;
    let ending = submit(a, &with_bad_element(a, negative));
    a.check("negative-field-element", &ending, invalid);

    let mut high_bit = a.forged().elements[3];
    high_bit[31] |= 0x80;
    let ending = submit(a, &with_bad_element(a, high_bit));
    a.check("element-with-high-bit-set", &ending, invalid);

    let ending = submit(a, &with_bad_element(a, not_a_point()));
    a.check("element-not-on-the-curve", &ending, invalid);
}

/// Approvals that do not make the request approved. The policy registers `director`
/// as `ice-director` but requires `dhs-secretary`; `outsider` is not registered.
pub fn bad_approvals(a: &mut Arena, director: &Approver, outsider: &Approver) {
    let request = a.approved();
    let ending = submit(a, &request);
    assert!(ending.messages.contains(&Message::SetDone), "{ending:?}");
    let ending = submit(a, &request);
    a.check("duplicate-request-id", &ending, Expect::Refused("replayed"));

    let signed = a.approved();
    let mut other = a.forged();
    other.approvals = signed.approvals.clone();
    let ending = submit(a, &other);
    a.check(
        "approval-over-another-manifest",
        &ending,
        Expect::Refused("bad-signature"),
    );

    let as_secretary = Signer::of(director)
        .unwrap()
        .as_role("dhs-secretary")
        .unwrap();
    let request = a.forged().signed_by(&as_secretary).unwrap();
    let ending = submit(a, &request);
    let unknown = Expect::Refused("unknown-approver");
    a.check(
        "valid-signature-key-bound-to-another-role",
        &ending,
        unknown,
    );

    let mut relabelled = a
        .forged()
        .signed_by(&Signer::of(director).unwrap())
        .unwrap();
    let text = String::from_utf8(relabelled.approvals[0].clone()).unwrap();
    relabelled.approvals[0] = text.replace("ice-director", "dhs-secretary").into_bytes();
    let ending = submit(a, &relabelled);
    let expect = Expect::Refused("approval-for-other-role");
    a.check("approval-relabelled-to-another-role", &ending, expect);

    let by_outsider = a
        .forged()
        .signed_by(&Signer::of(outsider).unwrap())
        .unwrap();
    let ending = submit(a, &by_outsider);
    a.check("approver-not-registered", &ending, unknown);

    let missing = Expect::Refused("missing-any-of-roles");
    let ending = submit(a, &a.forged());
    a.check("no-approval", &ending, missing);

    let by_director = a
        .forged()
        .signed_by(&Signer::of(director).unwrap())
        .unwrap();
    let ending = submit(a, &by_director);
    a.check("only-a-role-not-required", &ending, missing);
}

/// Signed manifests whose content the policy refuses.
pub fn bad_manifests(a: &mut Arena) {
    let day = 86_400;
    let signed = |a: &Arena, edit: &dyn Fn(&mut blindlink_protocol::manifest::ManifestFields)| {
        a.forged().edit(edit).signed_by(&a.signer).unwrap()
    };
    let cases: [(&'static str, ForgedRequest, &'static str); 8] = [
        (
            "expired-manifest",
            signed(a, &|f| {
                f.issued_at = now() - 2 * day;
                f.expires_at = now() - day;
            }),
            "expired",
        ),
        (
            "future-dated-manifest",
            signed(a, &|f| {
                f.issued_at = now() + day;
                f.expires_at = now() + 2 * day;
            }),
            "not-yet-valid",
        ),
        (
            "validity-over-policy",
            signed(a, &|f| f.expires_at = f.issued_at + 30 * day),
            "validity-too-long",
        ),
        (
            "issued-too-long-ago",
            signed(a, &|f| {
                f.issued_at = now() - 2 * day;
                f.expires_at = now() + day;
            }),
            "too-old",
        ),
        (
            "wrong-key-epoch",
            signed(a, &|f| f.key_epoch = KeyEpoch::from_bytes([0x55; 16])),
            "wrong-epoch",
        ),
        (
            "disallowed-rule",
            signed(a, &|f| f.rules_used.push(RuleId::new("R3").unwrap())),
            "disallowed-rule",
        ),
        (
            "manifest-names-another-requester",
            signed(a, &|f| {
                f.requester_id = RequesterId::new("ice-elsewhere").unwrap();
            }),
            "wrong-requester",
        ),
        (
            "over-record-limit",
            signed(a, &|f| f.record_count = 5_001),
            "over-record-limit",
        ),
    ];
    for (name, request, code) in cases {
        let ending = submit(a, &request);
        a.check(name, &ending, Expect::Refused(code));
    }

    let mut huge = signed(a, &|f| f.element_count = 20_001);
    huge.declared_count = Some(20_001);
    let ending = submit(a, &huge);
    a.check(
        "over-element-limit",
        &ending,
        Expect::Refused("over-element-limit"),
    );
}
