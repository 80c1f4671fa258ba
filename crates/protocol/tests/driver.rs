//! Both drivers against each other over a Unix socket (any `Read + Write` stream works):
//! the answer, the ledger's order, replay, a ledger that cannot write, the observer's
//! points, and a receipt for another request.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod session_support;

use blindlink_protocol::driver::{
    Commit, HolderError, LedgerOp, Observer, Point, RequesterOutcome, Served, Traffic, Unobserved,
    commit_acceptance,
};
use session_support::socket::{peers, service, session};
use session_support::*;

#[test]
fn a_request_is_answered_over_a_unix_socket_and_each_step_is_recorded_first() {
    let h = setup();
    let req = request(&h, 3, None);
    let service = service(h, TestLedger::default());
    let (served, outcome) = session(&service, &peers(), req, &mut Unobserved);
    assert_eq!(served.unwrap(), Served::Answered);
    let RequesterOutcome::Answered(answer) = outcome.unwrap() else {
        panic!("refused");
    };
    assert_eq!(answer.matched, vec![true, false, true, false, true, false]);
    assert!(answer.downloaded.is_some());
    assert_eq!(
        service.ledger().events(),
        [
            "request-received",
            "decision-accepted",
            "evaluated",
            "set-sent"
        ]
    );
}

#[test]
fn the_same_request_twice_is_refused_as_replayed() {
    let h = setup();
    let req = request(&h, 3, None);
    let again = Request {
        inputs: req.inputs.clone(),
        blinds: request(&h, 3, None).blinds,
        blinded: req.blinded.clone(),
        params: req.params.clone(),
    };
    let service = service(h, TestLedger::default());
    let peers = peers();
    let (first, _) = session(&service, &peers, req, &mut Unobserved);
    assert_eq!(first.unwrap(), Served::Answered);
    let (second, outcome) = session(&service, &peers, again, &mut Unobserved);
    assert_eq!(second.unwrap(), Served::Refused("replayed".into()));
    let RequesterOutcome::Refused(refusal) = outcome.unwrap() else {
        panic!("a replayed request was answered");
    };
    assert_eq!(refusal.code, "replayed");
    assert_eq!(service.ledger().events().last(), Some(&"decision-refused"));
}

#[test]
fn nothing_is_evaluated_when_the_decision_cannot_be_recorded() {
    let h = setup();
    let req = request(&h, 3, None);
    let ledger = TestLedger {
        fail_on: Some("decision-accepted"),
        ..TestLedger::default()
    };
    let service = service(h, ledger);
    let (served, outcome) = session(&service, &peers(), req, &mut Unobserved);
    assert!(matches!(served, Err(HolderError::Ledger(_))), "{served:?}");
    assert!(outcome.is_err(), "the requester got an answer: {outcome:?}");
    assert_eq!(service.ledger().events(), ["request-received"]);
}

#[derive(Default)]
struct Points(Vec<Point>);

impl Observer for Points {
    fn at(&mut self, point: Point, _traffic: Traffic) {
        self.0.push(point);
    }
}

#[test]
fn the_holder_commits_before_it_evaluates_and_reports_each_ledger_wait() {
    let h = setup();
    let req = request(&h, 3, None);
    let service = service(h, TestLedger::default());
    let mut points = Points::default();
    let (served, _) = session(&service, &peers(), req, &mut points);
    assert_eq!(served.unwrap(), Served::Answered);
    let at = |p: Point| points.0.iter().position(|q| *q == p).unwrap();
    assert!(at(Point::LedgerEnd(LedgerOp::Commit)) < at(Point::Committed));
    assert!(at(Point::Committed) < at(Point::EvaluationSent));
    assert!(at(Point::EvaluationSent) < at(Point::SetSent));
    let begins = points
        .0
        .iter()
        .filter(|p| matches!(p, Point::LedgerBegin(_)))
        .count();
    let ends = points
        .0
        .iter()
        .filter(|p| matches!(p, Point::LedgerEnd(_)))
        .count();
    assert_eq!((begins, ends), (6, 6), "{:?}", points.0);
}

#[test]
fn a_durable_proof_for_another_request_does_not_evaluate() {
    let h = setup();
    let ledger = TestLedger::default();
    let (_, first) = decided(&h, request(&h, 3, None));
    let (_, second) = decided(&h, request(&h, 3, None));
    let Commit::Durable(durable, _) =
        commit_acceptance(&ledger, NOW, &first, &summary(), 0).unwrap()
    else {
        panic!("fresh id replayed");
    };
    let error = second
        .evaluate(durable, &h.key, &mut rand::rng())
        .unwrap_err();
    assert!(error.to_string().contains("another request"), "{error}");
}
