//! The requester acts on no decision of the holder's without the holder's signed receipt
//! of it: an answer or a refusal without one, a receipt signed by another key, for
//! another request's entry, or from a log that does not extend the one the requester
//! saw last is refused before anything is evaluated or reported.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod session_support;
use session_support::*;

use blindlink_protocol::driver::{Commit, HolderEvent, Ledger, RequestSummary, commit_acceptance};
use blindlink_protocol::identity::IdentityKey;
use blindlink_protocol::policy::RefusalReason;
use blindlink_protocol::session::SessionError;
use blindlink_protocol::session::holder::{Accepted, AwaitHello};
use blindlink_protocol::session::requester::{AwaitEvaluation, EvaluationStep, RequesterSession};
use blindlink_protocol::transparency::{
    DecisionSeen, ProofError, ReceiptError, TreeHead, VerifiedReceipt,
};
use blindlink_protocol::wire::{DecisionReceipt, Message, Refusal};

/// The requester waiting for the decision on `req`, the accepted holder session, and the
/// ledger the receipt comes from.
struct Waiting {
    evaluation: AwaitEvaluation,
    accepted: Accepted,
    ledger: TestLedger,
    summary: RequestSummary,
}

fn waiting(h: &Holder, req: &Request) -> Waiting {
    let (await_welcome, hello) = RequesterSession::start(req.params.clone());
    let (_, welcome) = AwaitHello::new(h.params.clone(), "ice-test")
        .on_hello(wire(hello.clone()))
        .unwrap();
    let (evaluation, request_msgs) = await_welcome
        .on_welcome(wire(welcome), &req.blinded)
        .unwrap();
    let (_, decision) = holder_decides(h, request_msgs, hello, false);
    Waiting {
        evaluation,
        accepted: decision.unwrap(),
        ledger: TestLedger::default(),
        summary: summary_for(&req.params),
    }
}

/// The accepted decision's receipt, with the log size `since`.
fn accept(w: &Waiting, since: u64) -> DecisionReceipt {
    match commit_acceptance(&w.ledger, NOW, &w.accepted, &w.summary, since).unwrap() {
        Commit::Durable(_, receipt) => *receipt,
        Commit::Replayed => panic!("fresh id replayed"),
    }
}

fn step(evaluation: AwaitEvaluation, msg: Message) -> Result<EvaluationStep, SessionError> {
    evaluation.on_message(wire(msg))
}

fn verified(
    evaluation: AwaitEvaluation,
    receipt: DecisionReceipt,
) -> (AwaitEvaluation, VerifiedReceipt) {
    match step(evaluation, Message::Receipt(receipt)).unwrap() {
        EvaluationStep::Receipt(next, verified) => (next, *verified),
        other => panic!("the receipt gave {other:?}"),
    }
}

fn refusal(code: &str) -> Message {
    Message::Refusal(Refusal {
        code: code.into(),
        message: "no".into(),
    })
}

/// The first evaluation message the holder would send.
fn first_answer(w: Waiting, h: &Holder) -> (AwaitEvaluation, Message) {
    let durable =
        match commit_acceptance(&TestLedger::default(), NOW, &w.accepted, &w.summary, 0).unwrap() {
            Commit::Durable(durable, _) => durable,
            Commit::Replayed => panic!("replayed"),
        };
    let answer = w
        .accepted
        .evaluate(durable, &h.key, &mut rand::rng())
        .unwrap();
    (w.evaluation, answer.messages.into_iter().next().unwrap())
}

#[test]
fn an_honest_receipt_verifies_and_lets_the_evaluation_through() {
    let h = setup();
    let req = request(&h, 3, None);
    let w = waiting(&h, &req);
    let receipt = accept(&w, 0);
    let (_, verified) = verified(w.evaluation, receipt);
    assert_eq!(verified.decision, DecisionSeen::Accepted);
    assert_eq!(verified.seq, 1);
    assert_eq!(verified.checkpoint.checkpoint.head.size, 1);
}

#[test]
fn an_answer_without_a_receipt_is_refused() {
    let h = setup();
    let req = request(&h, 3, None);
    let w = waiting(&h, &req);
    let (evaluation, answer) = first_answer(w, &h);
    let error = step(evaluation, answer).unwrap_err();
    assert!(
        matches!(error, SessionError::NoReceipt { got: "Evaluated" }),
        "{error}"
    );
}

#[test]
fn a_refusal_must_carry_a_receipt_of_that_refusal() {
    let h = setup();
    let req = request(&h, 3, None);
    let w = waiting(&h, &req);
    // No receipt at all.
    let error = step(waiting(&h, &req).evaluation, refusal("expired")).unwrap_err();
    assert!(
        matches!(error, SessionError::NoReceipt { got: "Refusal" }),
        "{error}"
    );

    // A receipt of an acceptance, then a refusal: not what the log says.
    let (next, _) = verified(waiting(&h, &req).evaluation, accept(&w, 0));
    let error = step(next, refusal("expired")).unwrap_err();
    assert!(matches!(error, SessionError::NoReceipt { .. }), "{error}");

    // A receipt of one refusal code, then another code.
    let ledger = TestLedger::default();
    let reason = RefusalReason::Replayed {
        request_id: w.summary.request_id,
    };
    let event = HolderEvent::DecisionRefused {
        request: &w.summary,
        reason: &reason,
    };
    let receipt = ledger.record_decision(NOW, &event, 0).unwrap();
    let (next, seen) = verified(waiting(&h, &req).evaluation, receipt);
    assert_eq!(seen.decision, DecisionSeen::Refused("replayed".into()));
    let error = step(next, refusal("expired")).unwrap_err();
    assert!(matches!(error, SessionError::NoReceipt { .. }), "{error}");
}

#[test]
fn a_receipt_signed_by_another_key_is_refused() {
    let h = setup();
    let mut req = request(&h, 3, None);
    req.params.receipt.holder = IdentityKey::generate(&mut rand::rng()).public_key();
    let w = waiting(&h, &req);
    let receipt = accept(&w, 0);
    let error = step(w.evaluation, Message::Receipt(receipt)).unwrap_err();
    assert!(
        matches!(error, SessionError::Receipt(ReceiptError::Checkpoint(_))),
        "{error}"
    );
}

#[test]
fn a_receipt_for_another_entry_is_refused() {
    let h = setup();
    let req = request(&h, 3, None);
    let mut w = waiting(&h, &req);
    // The holder receipts a decision on another request.
    let other = request(&h, 3, None);
    w.summary = summary_for(&other.params);
    let receipt = accept(&w, 0);
    let error = step(w.evaluation, Message::Receipt(receipt)).unwrap_err();
    assert!(
        matches!(error, SessionError::Receipt(ReceiptError::WrongEntry(_))),
        "{error}"
    );
}

#[test]
fn a_receipt_whose_entry_is_not_in_the_checkpoint_is_refused() {
    let h = setup();
    let req = request(&h, 3, None);
    let w = waiting(&h, &req);
    let mut receipt = accept(&w, 0);
    receipt.entry.push(b' ');
    let error = step(w.evaluation, Message::Receipt(receipt)).unwrap_err();
    assert!(
        matches!(error, SessionError::Receipt(ReceiptError::Inclusion(_))),
        "{error}"
    );
}

#[test]
fn a_holder_log_cut_or_rewritten_since_the_last_receipt_is_caught() {
    let h = setup();
    // The requester saw a 5-entry log before; the holder's log now has 1.
    let mut req = request(&h, 3, None);
    req.params.receipt.last_seen = Some(TreeHead {
        size: 5,
        root: [1; 32],
    });
    let w = waiting(&h, &req);
    let receipt = accept(&w, 5);
    let error = step(w.evaluation, Message::Receipt(receipt)).unwrap_err();
    assert!(
        matches!(
            error,
            SessionError::Receipt(ReceiptError::Consistency(ProofError::Shrunk {
                old: 5,
                new: 1
            }))
        ),
        "{error}"
    );

    // Same size, other root: the entries the requester saw were rewritten.
    let mut req = request(&h, 3, None);
    req.params.receipt.last_seen = Some(TreeHead {
        size: 1,
        root: [2; 32],
    });
    let w = waiting(&h, &req);
    let received = HolderEvent::RequestReceived(&w.summary);
    w.ledger.record(NOW, &received).unwrap();
    let receipt = accept(&w, 1);
    let error = step(w.evaluation, Message::Receipt(receipt)).unwrap_err();
    assert!(
        matches!(
            error,
            SessionError::Receipt(ReceiptError::Consistency(ProofError::Inconsistent { .. }))
        ),
        "{error}"
    );
}

#[test]
fn a_second_receipt_is_refused() {
    let h = setup();
    let req = request(&h, 3, None);
    let w = waiting(&h, &req);
    let receipt = accept(&w, 0);
    let (next, _) = verified(w.evaluation, receipt.clone());
    let error = step(next, Message::Receipt(receipt)).unwrap_err();
    assert!(matches!(error, SessionError::Malformed { .. }), "{error}");
}
