//! Both session state machines driven against each other in memory, every message passing
//! through the wire codec: the happy path with known matches, the cached-set path, and
//! the refusals and verification failures a session must produce.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod session_support;
use session_support::*;

use blindlink_core::fingerprint::EncodedSet;
use blindlink_core::oprf::SecretKey;
use blindlink_protocol::driver::{Commit, commit_acceptance};
use blindlink_protocol::session::holder::AwaitHello;
use blindlink_protocol::session::requester::{EvaluationStep, RequesterSession, SetStep, lookup};
use blindlink_protocol::session::{SessionError, SetOffer, set_messages};
use blindlink_protocol::wire::{CachedSet, Message};

/// The full exchange; returns which request elements matched and whether the set was sent.
fn run(h: &Holder, req: Request) -> Result<(Vec<bool>, bool), SessionError> {
    let (await_welcome, hello) = RequesterSession::start(req.params.clone());
    let cached = req.params.cached;
    let blinded = req.blinded.clone();
    // The holder needs the requester's messages, which need the Welcome: compute the
    // Welcome first with a throwaway holder session.
    let (_, welcome) = AwaitHello::new(h.params.clone(), "ice-test")
        .on_hello(wire(hello.clone()))
        .unwrap();
    let (mut evaluation, request_msgs) = await_welcome.on_welcome(wire(welcome), &blinded)?;
    let (_, decision) = holder_decides(h, request_msgs, hello, false);
    let accepted = decision.map_err(|r| SessionError::Malformed {
        what: "refused",
        detail: r.reason.code().into(),
    })?;
    let summary = summary_for(&req.params);
    let ledger = TestLedger::default();
    let durable = match commit_acceptance(&ledger, NOW, &accepted, &summary, 0).unwrap() {
        Commit::Durable(durable, receipt) => {
            evaluation = match evaluation.on_message(wire(Message::Receipt(*receipt)))? {
                EvaluationStep::Receipt(next, _) => next,
                other => panic!("the receipt gave {other:?}"),
            };
            durable
        }
        Commit::Replayed => panic!("a fresh ledger saw the id before"),
    };
    let answer = accepted.evaluate(durable, &h.key, &mut rand::rng())?;
    for msg in answer.messages {
        evaluation = match evaluation.on_message(wire(msg))? {
            EvaluationStep::More(next) => next,
            EvaluationStep::Receipt(..) => panic!("a second receipt"),
            EvaluationStep::Refused(r) => panic!("refused {r:?}"),
            EvaluationStep::Done(done) => {
                let (mut await_set, outputs) = done.finalize(&req.inputs, req.blinds, &blinded)?;
                let offer = SetOffer {
                    epoch: EPOCH,
                    set_hash: h.set_hash,
                    bytes: &h.set_bytes,
                };
                for msg in set_messages(offer, cached, 100) {
                    await_set = match await_set.on_message(wire(msg))? {
                        SetStep::More(next) => *next,
                        SetStep::UseCached(_) => {
                            let set = EncodedSet::from_bytes(&h.set_bytes, u64::MAX).unwrap();
                            return Ok((lookup(&set, &outputs), false));
                        }
                        SetStep::Received { set, bytes } => {
                            assert_eq!(bytes, h.set_bytes);
                            return Ok((lookup(&set, &outputs), true));
                        }
                    };
                }
                panic!("set never completed");
            }
        };
    }
    panic!("evaluation never completed");
}

#[test]
fn happy_path_finds_exactly_the_holder_keys() {
    let h = setup();
    let (matched, sent) = run(&h, request(&h, 3, None)).unwrap();
    assert_eq!(matched, vec![true, false, true, false, true, false]);
    assert!(sent);
}

#[test]
fn a_current_cached_set_is_not_sent_again() {
    let h = setup();
    let cached = CachedSet {
        epoch: EPOCH,
        set_hash: h.set_hash,
    };
    let (matched, sent) = run(&h, request(&h, 3, Some(cached))).unwrap();
    assert_eq!(matched, vec![true, false, true, false, true, false]);
    assert!(!sent);
    // A stale cache (other hash) gets the full set.
    let stale = CachedSet {
        epoch: EPOCH,
        set_hash: [0; 32],
    };
    let (_, sent) = run(&h, request(&h, 3, Some(stale))).unwrap();
    assert!(sent);
}

fn refusal_code(
    h: &Holder,
    req: &Request,
    alter: impl FnOnce(&mut Vec<Message>),
    seen: bool,
) -> String {
    let (await_welcome, hello) = RequesterSession::start(req.params.clone());
    let (_, welcome) = AwaitHello::new(h.params.clone(), "ice-test")
        .on_hello(wire(hello.clone()))
        .unwrap();
    let (_, mut msgs) = await_welcome
        .on_welcome(wire(welcome), &req.blinded)
        .unwrap();
    alter(&mut msgs);
    match holder_decides(h, msgs, hello, seen).1 {
        Ok(_) => "accepted".into(),
        Err(r) => {
            let Message::Refusal(refusal) = r.message() else {
                panic!()
            };
            assert_eq!(refusal.code, r.reason.code());
            refusal.code
        }
    }
}

#[test]
fn holder_refusals_name_their_reason() {
    let h = setup();
    let ok = request(&h, 3, None);
    assert_eq!(refusal_code(&h, &ok, |_| {}, false), "accepted");
    assert_eq!(refusal_code(&h, &ok, |_| {}, true), "replayed");
    let big = request(&h, 11, None);
    assert_eq!(refusal_code(&h, &big, |_| {}, false), "over-record-limit");
    // An element altered after approval.
    let altered = |msgs: &mut Vec<Message>| {
        if let Some(Message::ElementsChunk(c)) = msgs.get_mut(1) {
            c.elements.swap(0, 1);
        }
    };
    assert_eq!(refusal_code(&h, &ok, altered, false), "digest-mismatch");
    // One element fewer than approved.
    let shorter = |msgs: &mut Vec<Message>| {
        if let Some(Message::ElementsChunk(c)) = msgs.get_mut(1) {
            c.elements.pop();
        }
    };
    assert_eq!(
        refusal_code(&h, &ok, shorter, false),
        "element-count-mismatch"
    );
    // One element more than approved.
    let longer = |msgs: &mut Vec<Message>| {
        if let Some(Message::ElementsChunk(c)) = msgs.get_mut(1) {
            c.elements.push([9; 32]);
        }
    };
    assert_eq!(
        refusal_code(&h, &ok, longer, false),
        "element-count-mismatch"
    );
    // An approval stripped.
    let unapproved = |msgs: &mut Vec<Message>| {
        if let Some(Message::Request(r)) = msgs.get_mut(0) {
            r.approvals.clear();
        }
    };
    assert_ne!(refusal_code(&h, &ok, unapproved, false), "accepted");
}

#[test]
fn requester_rejects_a_wrong_key_and_a_forged_evaluation() {
    let h = setup();
    let mut req = request(&h, 3, None);
    req.params.pinned_public_key = SecretKey::generate(&mut rand::rng())
        .public_key()
        .to_bytes();
    assert!(matches!(run(&h, req), Err(SessionError::KeyMismatch(_))));

    // A holder evaluating with another key than the announced one fails the proofs.
    let mut forger = setup();
    forger.params.public_key = h.params.public_key;
    let req = request(&forger, 3, None);
    assert_eq!(req.params.pinned_public_key, h.params.public_key);
    let err = run(&forger, req).unwrap_err();
    assert!(matches!(err, SessionError::Verification(_)), "{err:?}");
}

/// Fails before: a holder announcing 1-bit fingerprints (every element "matches") was
/// believed, and the request went out. The requester now refuses at `Welcome`, with its
/// own false-match bound, before sending anything.
#[test]
fn a_set_of_short_fingerprints_is_refused_before_anything_is_sent() {
    let h = setup();
    let req = request(&h, 3, None);
    let (_, welcome) = AwaitHello::new(h.params.clone(), "ice-test")
        .on_hello(wire(RequesterSession::start(req.params.clone()).1))
        .unwrap();
    for bits in [1u8, 8, 40] {
        let Message::Welcome(mut weak) = welcome.clone() else {
            panic!("not a Welcome")
        };
        weak.fingerprint_bits = bits;
        let (await_welcome, _) = RequesterSession::start(req.params.clone());
        let Err(error) = await_welcome.on_welcome(wire(Message::Welcome(weak)), &req.blinded)
        else {
            panic!("{bits}-bit fingerprints accepted")
        };
        assert!(
            matches!(error, SessionError::WeakSet { bits: b, max: 0, .. } if b == bits),
            "{error:?}"
        );
    }
    // The honest holder's length passes.
    let (await_welcome, _) = RequesterSession::start(req.params.clone());
    assert!(
        await_welcome
            .on_welcome(wire(welcome), &req.blinded)
            .is_ok()
    );
}

/// A holder that mints an epoch (and key) for this requester, other than the one its
/// signed statement announced and the approvers signed, is refused at `Welcome`, before
/// any element is sent.
#[test]
fn a_welcome_with_a_per_requester_epoch_is_refused_before_anything_is_sent() {
    let h = setup();
    let other_key = SecretKey::generate(&mut rand::rng())
        .public_key()
        .to_bytes();
    for (epoch, key) in [
        ([8; 16], h.params.public_key),
        (EPOCH, other_key),
        ([8; 16], other_key),
    ] {
        let req = request(&h, 3, None);
        let (await_welcome, hello) = RequesterSession::start(req.params.clone());
        let mut minted = h.params.clone();
        minted.key_epoch = epoch;
        minted.public_key = key;
        let (_, welcome) = AwaitHello::new(minted, "ice-test")
            .on_hello(wire(hello))
            .unwrap();
        let error = await_welcome
            .on_welcome(wire(welcome), &req.blinded)
            .unwrap_err();
        assert!(matches!(error, SessionError::KeyMismatch(_)), "{error}");
    }
}
