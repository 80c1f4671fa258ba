//! End to end, real binaries on loopback: the budgets the holder enforces over several
//! requests (elements per requester in 24 hours, elements under one key), still enforced
//! after `irs serve` restarts (rebuilt from its audit log), and what `ice prepare` refuses
//! before any official sees a request.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use blindlink_testkit::{LocalError, Prepare, Prepared, Requester};
use common::{World, answered, refused};

/// Two approved requests; the holder will serve the first and must refuse the second.
fn two_requests(w: &World) -> [(Prepared, std::path::PathBuf); 2] {
    ["a", "b"].map(|name| {
        let (request, _) = w.request(name, 40, 3, "realistic");
        let bundle = w.prepare(&request, &format!("{name}.bundle"));
        let approval = w.sign(&w.secretary, &bundle.bundle);
        (bundle, approval)
    })
}

/// Serves the first of two requests under `limit` = the larger element count, refuses the
/// second with `code`, and refuses it again after a restart.
fn second_request_refused_across_a_restart(limit: &str, code: &str) {
    let w = World::new();
    let [(a, a_approval), (b, b_approval)] = two_requests(&w);
    let cap = a.elements.max(b.elements);
    let policy = w.policy().limit(limit, cap);
    let server = w.serve_to(&policy, &[], &[]);
    answered(w.query(&server, &a.bundle, &[&a_approval]));
    let message = refused(w.query(&server, &b.bundle, &[&b_approval]), code);
    assert!(message.contains(&format!("of {cap}")), "{message}");

    drop(server);
    let server = w.serve_to(&policy, &[], &[]);
    refused(w.query(&server, &b.bundle, &[&b_approval]), code);
    assert_eq!(w.holder_audit_count("decision-accepted"), 1);
    assert_eq!(w.holder_audit_count("evaluated"), 1);
    w.assert_audits_intact();
}

/// Fails before `max_elements_per_day`: only records were counted per day.
#[test]
fn elements_per_day_are_enforced_across_a_holder_restart() {
    second_request_refused_across_a_restart("max_elements_per_day", "over-daily-element-limit");
}

/// Fails before the per-epoch cap: nothing bounded the evaluations under one key.
#[test]
fn the_epoch_cap_is_enforced_across_a_holder_restart() {
    second_request_refused_across_a_restart("max_elements_per_epoch", "epoch-exhausted");
}

fn prepare_fails(by: &Requester, w: &World, request: &std::path::Path, bundle: &str) -> String {
    let outcome = by.prepare(&Prepare {
        request,
        holder_json: &w.holder.holder_json(),
        bundle: &w.path(bundle),
        legal_basis: "test",
        now: None,
        valid_for: None,
    });
    assert!(!w.path(bundle).exists(), "a bundle was written");
    match outcome {
        Err(LocalError::Failed { stderr, .. }) => stderr,
        other => panic!("ice prepared the request: {other:?}"),
    }
}

/// Fails before: ice prepared both, and the holder refused them only after approval.
#[test]
fn ice_prepare_refuses_another_requester_id_and_a_request_over_the_published_budgets() {
    let w = World::new();
    let (request, _) = w.request("r", 40, 3, "realistic");
    let impostor = Requester::new(&w.bins, w.ice.dir(), "ice-other");
    let stderr = prepare_fails(&impostor, &w, &request, "other.bundle");
    assert!(stderr.contains("is not this requester's id"), "{stderr}");

    for (limit, what) in [
        ("max_elements_per_day", "per requester in any 24 hours"),
        ("max_elements_per_epoch", "under one OPRF key"),
    ] {
        let policy = w.path(&format!("{limit}.toml"));
        w.policy().limit(limit, 10).write(&policy).unwrap();
        w.holder.apply_policy(&policy).unwrap();
        let stderr = prepare_fails(&w.ice, &w, &request, "tight.bundle");
        assert!(
            stderr.contains(&format!(
                "more than the 10 the holder's policy allows {what}"
            )),
            "{stderr}"
        );
    }
}
