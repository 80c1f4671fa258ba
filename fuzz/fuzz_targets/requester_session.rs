//! The requester's session state machine (`session::requester`) fed a message sequence.
//!
//! Byte 0 is the mode: bits 0-1 pick the cached set `Hello` names (none, the holder's
//! real set, a set of another hash, none). The rest is a `blindlink_fuzz::script` over
//! the honest holder's messages (Welcome, three Evaluated, Proof, EvaluationDone,
//! SetHeader, SetChunks, SetDone, SetCached), so all-zero input is the honest session
//! downloading the set. Each message goes to the phase the session is in, the way the
//! requester driver moves it: `on_welcome`, `on_message` while the evaluation arrives,
//! `finalize` (proof verification) at its end, then `on_message` for the set, then the
//! lookup. The session ends at the first error, refusal or answer.
//!
//! Checked: no panic; the session ends in an error, a refusal, an answer or is still
//! waiting; what it sends after Welcome is the approved request; an answer comes only
//! from a session that never failed, after proofs that verify against the pinned key and
//! a set with the approved hash, so its matches are exactly the true ones (holder keys 3,
//! 99 and 250), whatever the holder sent.
#![no_main]

use blindlink_core::fingerprint::EncodedSet;
use blindlink_fuzz::script;
use blindlink_fuzz::session_setup::{World, world};
use blindlink_protocol::session::requester::{
    AwaitEvaluation, AwaitSet, AwaitWelcome, EvaluationStep, RequesterSession, SetStep,
    check_cached_set, lookup,
};
use blindlink_protocol::transparency::DecisionSeen;
use blindlink_protocol::wire::{CachedSet, Limits, Message};
use libfuzzer_sys::fuzz_target;

enum Phase {
    Welcome(AwaitWelcome),
    Evaluation(AwaitEvaluation),
    Set(Box<AwaitSet>, Vec<[u8; 64]>),
    Ended(End),
}

#[derive(Debug)]
enum End {
    Error,
    Refused,
    Answered(Vec<bool>),
}

/// What the requester sends after `Welcome`: the approved request, then the approved
/// blinded elements in order, in chunks within the holder's announced size and the
/// requester's own limit (at least one element each), then `ElementsDone`.
fn check_request(w: &World, sent: &[Message], announced_chunk: u32) {
    let limits = Limits::default();
    let max_chunk = usize::try_from(announced_chunk)
        .unwrap_or(usize::MAX)
        .min(limits.chunk_elements())
        .max(1);
    let Some((Message::Request(request), rest)) = sent.split_first() else {
        panic!("the first message after Welcome is not the request: {sent:?}");
    };
    assert_eq!(Some(&Message::Request(request.clone())), w.to_holder.get(1));
    let Some((Message::ElementsDone, chunks)) = rest.split_last() else {
        panic!("the request does not end with ElementsDone: {sent:?}");
    };
    let mut elements = Vec::new();
    for (i, chunk) in chunks.iter().enumerate() {
        let Message::ElementsChunk(chunk) = chunk else {
            panic!("not an ElementsChunk: {chunk:?}");
        };
        assert_eq!(usize::try_from(chunk.index).ok(), Some(i), "chunk index");
        assert!(!chunk.elements.is_empty() && chunk.elements.len() <= max_chunk);
        elements.extend_from_slice(&chunk.elements);
    }
    assert_eq!(
        elements, w.blinded,
        "sent other elements than the approved ones"
    );
    for message in sent {
        assert!(message.encode(&limits).is_ok(), "cannot send {message:?}");
    }
}

fn step(w: &World, phase: Phase, msg: Message) -> Phase {
    match phase {
        Phase::Welcome(s) => {
            let announced_chunk = match &msg {
                Message::Welcome(welcome) => welcome.max_chunk_elements,
                _ => 0,
            };
            match s.on_welcome(msg, &w.blinded) {
                Ok((next, sent)) => {
                    check_request(w, &sent, announced_chunk);
                    Phase::Evaluation(next)
                }
                Err(_) => Phase::Ended(End::Error),
            }
        }
        Phase::Evaluation(s) => match s.on_message(msg) {
            Ok(EvaluationStep::More(next)) => Phase::Evaluation(next),
            Ok(EvaluationStep::Receipt(next, verified)) => {
                // The only receipt the holder's key signed is of its acceptance.
                assert_eq!(
                    verified.decision,
                    DecisionSeen::Accepted,
                    "verified a receipt the holder never signed"
                );
                Phase::Evaluation(next)
            }
            Ok(EvaluationStep::Refused(_)) => Phase::Ended(End::Refused),
            Ok(EvaluationStep::Done(done)) => {
                match done.finalize(&w.inputs, w.blinds(), &w.blinded) {
                    Ok((next, outputs)) => Phase::Set(Box::new(next), outputs),
                    Err(_) => Phase::Ended(End::Error),
                }
            }
            Err(_) => Phase::Ended(End::Error),
        },
        Phase::Set(s, outputs) => match s.on_message(msg) {
            Ok(SetStep::More(next)) => Phase::Set(next, outputs),
            Ok(SetStep::Received { set, bytes }) => {
                assert_eq!(
                    bytes, w.set_bytes,
                    "accepted a set other than the approved one"
                );
                Phase::Ended(End::Answered(lookup(&set, &outputs)))
            }
            Ok(SetStep::UseCached(cached)) => {
                // The driver loads the cached file `Hello` named; only the real set is
                // ever named with the approved hash here.
                assert_eq!(cached, w.cached(), "confirmed a cache this requester lacks");
                let set = EncodedSet::from_bytes(&w.set_bytes, u64::MAX).expect("the set");
                match check_cached_set(&set, &cached.epoch) {
                    Ok(()) => Phase::Ended(End::Answered(lookup(&set, &outputs))),
                    Err(_) => Phase::Ended(End::Error),
                }
            }
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
    let cached = match mode & 3 {
        1 => Some(w.cached()),
        2 => Some(CachedSet {
            set_hash: [0xee; 32],
            ..w.cached()
        }),
        _ => None,
    };
    let (await_welcome, hello) = RequesterSession::start(w.requester_params(cached));
    assert!(hello.encode(&Limits::default()).is_ok());
    let mut phase = Phase::Welcome(await_welcome);
    let mut failed = false;
    for msg in script::messages(ops, &w.to_requester) {
        phase = step(w, phase, msg);
        failed |= matches!(phase, Phase::Ended(End::Error));
        if matches!(phase, Phase::Ended(_)) {
            break;
        }
    }
    if let Phase::Ended(End::Answered(matched)) = phase {
        assert!(!failed, "an answer from a session that failed");
        assert_eq!(matched, w.expected_matches, "wrong matches reported");
    }
});
