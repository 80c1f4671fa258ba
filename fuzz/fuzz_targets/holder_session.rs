//! The holder's session state machine (`session::holder`) fed a message sequence.
//!
//! Byte 0 is the mode: bit 0 set = the request id is already in the replay journal. The
//! rest is a `blindlink_fuzz::script` over the honest requester's messages (Hello,
//! Request, three ElementsChunks, ElementsDone, Goodbye), so all-zero input is the
//! honest session. Each message goes to the phase the session is in, the way the holder
//! driver moves it: `on_hello`, `on_request` then `authorize`, `on_message` while
//! receiving, then `decide`, the ledger commit and `evaluate`. The session ends at the
//! first error, refusal or evaluation; later messages are not read.
//!
//! Checked: no panic; the session ends in an error, a refusal, an evaluation or is
//! still waiting; every message it hands back (Welcome, Refusal, the evaluation) encodes
//! within the default limits; an evaluation happens only for the approved request, not
//! replayed, and holds exactly the evaluation of the approved blinded elements (the
//! fuzzer cannot forge the approver's signature or the manifest's digest of them).
#![no_main]

use blindlink_fuzz::script;
use blindlink_fuzz::session_setup::{MemoryLedger, NOW, World, summary, world};
use blindlink_protocol::driver::{Commit, commit_acceptance};
use blindlink_protocol::session::holder::{AwaitHello, AwaitRequest, Receiving, ReceivingElements};
use blindlink_protocol::wire::{Limits, Message};
use libfuzzer_sys::fuzz_target;
use rand::SeedableRng;
use rand::rngs::StdRng;

enum Phase {
    Hello(AwaitHello),
    Request(AwaitRequest),
    Elements(Box<ReceivingElements>),
    Ended(End),
}

#[derive(Debug)]
enum End {
    Error,
    Refused,
    Evaluated(Vec<Message>),
}

fn encodes(message: &Message) {
    if let Err(e) = message.encode(&Limits::default()) {
        panic!("the holder produced a message it cannot send: {e}: {message:?}");
    }
}

fn step(w: &World, seen: bool, phase: Phase, msg: Message) -> Phase {
    let context = w.context(seen);
    match phase {
        Phase::Hello(s) => match s.on_hello(msg) {
            Ok((next, welcome)) => {
                encodes(&welcome);
                Phase::Request(next)
            }
            Err(_) => Phase::Ended(End::Error),
        },
        Phase::Request(s) => match s.on_request(msg) {
            Ok(review) => match review.authorize(&w.policy, &context) {
                Ok(receiving) => Phase::Elements(Box::new(receiving)),
                Err(refused) => {
                    encodes(&refused.message());
                    Phase::Ended(End::Refused)
                }
            },
            Err(_) => Phase::Ended(End::Error),
        },
        Phase::Elements(s) => match s.on_message(msg) {
            Ok(Receiving::More(next)) => Phase::Elements(Box::new(next)),
            Ok(Receiving::Refused(refused)) => {
                encodes(&refused.message());
                Phase::Ended(End::Refused)
            }
            Ok(Receiving::Complete(done)) => match done.decide(&w.policy, &context) {
                Err(refused) => {
                    encodes(&refused.message());
                    Phase::Ended(End::Refused)
                }
                Ok(accepted) => {
                    let id = accepted.acceptance.request_id;
                    let ledger = MemoryLedger::default();
                    let durable = match commit_acceptance(&ledger, NOW, &accepted, &summary(id), 0)
                    {
                        Ok(Commit::Durable(durable, receipt)) => {
                            encodes(&Message::Receipt(*receipt));
                            durable
                        }
                        other => panic!("a fresh ledger refused the claim: {other:?}"),
                    };
                    let mut rng = StdRng::seed_from_u64(1);
                    match accepted.evaluate(durable, &w.key, &mut rng) {
                        Ok(evaluation) => Phase::Ended(End::Evaluated(evaluation.messages)),
                        Err(_) => Phase::Ended(End::Error),
                    }
                }
            },
            Err(_) => Phase::Ended(End::Error),
        },
        ended @ Phase::Ended(_) => ended,
    }
}

fuzz_target!(|data: &[u8]| {
    let w = world();
    let (mode, ops) = data
        .split_first()
        .map_or((0, &[][..]), |(m, rest)| (*m, rest));
    let seen = mode & 1 == 1;
    let mut phase = Phase::Hello(w.holder());
    for msg in script::messages(ops, &w.to_holder) {
        phase = step(w, seen, phase, msg);
        if matches!(phase, Phase::Ended(_)) {
            break;
        }
    }
    let Phase::Ended(End::Evaluated(messages)) = phase else {
        return;
    };
    assert!(!seen, "evaluated a replayed request");
    let mut evaluated = Vec::new();
    for message in &messages {
        encodes(message);
        if let Message::Evaluated(e) = message {
            evaluated.extend_from_slice(&e.elements);
        }
    }
    assert_eq!(
        evaluated, w.evaluated,
        "evaluated something other than the approved elements"
    );
    assert!(matches!(messages.last(), Some(Message::EvaluationDone)));
});
