//! End to end, real binaries on loopback: every request the holder must refuse, with the
//! reason `ice` reports, and what the holder's audit log says about it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use blindlink_testkit::rogue::{HolderAnswer, RogueRequester, swap_blinded_elements};
use blindlink_testkit::{LocalError, Prepare};
use common::{REQUESTER_ID, World, answered, failed, refused};

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Sends `bundle` with `approval` through a requester that skips every check `ice`
/// makes, and returns the holder's refusal (code, message); anything else fails.
fn refused_when_sent_anyway(
    w: &World,
    server: &blindlink_testkit::Server,
    bundle: &std::path::Path,
    approval: &std::path::Path,
) -> (String, String) {
    match rogue(w)
        .submit(server.addr(), &w.holder.holder_json(), bundle, &[approval])
        .unwrap()
    {
        HolderAnswer::Refused { code, message } => (code, message),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn rogue(w: &World) -> RogueRequester {
    RogueRequester::from_ice_dir(w.ice.dir(), REQUESTER_ID).unwrap()
}

#[test]
fn over_the_per_request_limit_is_refused_with_its_reason_every_time() {
    let w = World::new();
    // Large enough that the holder refuses while the elements are still streaming in
    // (about 5,000 elements): the refusal must still reach the requester intact. Prepared
    // under the default policy, before the holder lowers its limit.
    let (request, _) = w.request("large", 2_500, 3, "realistic");
    let bundle = w.prepare(&request, "large.bundle");
    let approval = w.sign(&w.secretary, &bundle.bundle);
    let server = w.serve_to(&w.policy().limit("max_records_per_request", 50), &[], &[]);
    // Prepared now, against the statement that publishes the new limit, it is refused
    // by ice before any official sees it.
    let early = w.ice.prepare(&Prepare {
        request: &request,
        holder_json: &w.holder.holder_json(),
        bundle: &w.path("early.bundle"),
        legal_basis: "test",
        now: None,
        valid_for: None,
    });
    match early {
        Err(LocalError::Failed { stderr, .. }) => {
            assert!(
                stderr.contains("more than the 50 the holder's policy allows"),
                "{stderr}"
            )
        }
        other => panic!("ice prepared a request over the published limit: {other:?}"),
    }
    assert!(!w.path("early.bundle").exists());
    for _ in 0..3 {
        let message = refused(
            w.query(&server, &bundle.bundle, &[&approval]),
            "over-record-limit",
        );
        assert_eq!(
            message,
            "2500 records requested, over the per-request limit of 50"
        );
    }
    assert_eq!(w.holder_audit_count("decision-refused"), 3);
    assert_eq!(w.holder_audit_count("evaluated"), 0);

    // Under the limit, the same policy answers.
    let (small, _) = w.request("small", 50, 4, "realistic");
    let bundle = w.prepare(&small, "small.bundle");
    let approval = w.sign(&w.secretary, &bundle.bundle);
    answered(w.query(&server, &bundle.bundle, &[&approval]));
    w.assert_audits_intact();
}

#[test]
fn an_approval_of_another_bundle_is_refused_by_ice_and_by_the_holder() {
    let w = World::new();
    let server = w.serve();
    let (request, _) = w.request("r", 40, 3, "realistic");
    let approved = w.prepare(&request, "approved.bundle");
    let approval = w.sign(&w.secretary, &approved.bundle);
    let other = w.prepare(&request, "other.bundle");

    let line = failed(w.query(&server, &other.bundle, &[&approval]));
    assert!(
        line.contains("does not approve this bundle's manifest"),
        "{line}"
    );
    assert_eq!(
        w.holder_audit_count("request-received"),
        0,
        "ice sent nothing"
    );

    // A requester that skips ice's check gets the holder's refusal.
    let (code, message) = refused_when_sent_anyway(&w, &server, &other.bundle, &approval);
    assert_eq!(code, "bad-signature");
    assert!(message.contains(w.secretary.public_key()), "{message}");
    // The approved bundle itself is still good: refusals burn no request id.
    answered(w.query(&server, &approved.bundle, &[&approval]));
    w.assert_audits_intact();
}

#[test]
fn elements_changed_after_approval_are_refused() {
    let w = World::new();
    let server = w.serve();
    let (request, _) = w.request("r", 40, 3, "realistic");
    let bundle = w.prepare(&request, "altered.bundle");
    let approval = w.sign(&w.secretary, &bundle.bundle);
    swap_blinded_elements(&bundle.bundle).unwrap();

    // The approver's check recomputes the elements and refuses to sign.
    match w
        .secretary
        .sign(&bundle.bundle, &w.path("again.json"), None)
    {
        Err(LocalError::Failed { stderr, .. }) => {
            assert!(stderr.contains("element 0"), "{stderr}");
        }
        other => panic!("approve signed an altered bundle: {other:?}"),
    }
    // ice compares the elements with the approved digest and sends nothing.
    let line = failed(w.query(&server, &bundle.bundle, &[&approval]));
    assert!(line.contains("approved manifest's digest"), "{line}");
    assert_eq!(w.holder_audit_count("request-received"), 0);
    // Sent anyway, the holder hashes what it receives and refuses.
    let (code, _) = refused_when_sent_anyway(&w, &server, &bundle.bundle, &approval);
    assert_eq!(code, "digest-mismatch");
    assert_eq!(w.holder_audit_count("evaluated"), 0);
    w.assert_audits_intact();
}

#[test]
fn a_replayed_request_is_refused() {
    let w = World::new();
    let server = w.serve();
    let (request, _) = w.request("r", 40, 3, "realistic");
    let bundle = w.prepare(&request, "once.bundle");
    let approval = w.sign(&w.secretary, &bundle.bundle);
    let first = answered(w.query(&server, &bundle.bundle, &[&approval]));
    let message = refused(w.query(&server, &bundle.bundle, &[&approval]), "replayed");
    assert!(message.contains(&first.request_id), "{message}");

    // Request ids stay used across a restart of the holder.
    drop(server);
    let server = w.serve();
    refused(w.query(&server, &bundle.bundle, &[&approval]), "replayed");
    assert_eq!(w.holder_audit_count("decision-accepted"), 1);
    w.assert_audits_intact();
}

#[test]
fn an_approval_by_an_unregistered_key_is_refused() {
    let w = World::new();
    let server = w.serve();
    let outsider = w.approver("dhs-secretary", "outsider");
    let (request, _) = w.request("r", 40, 3, "realistic");
    let bundle = w.prepare(&request, "unknown.bundle");
    let approval = w.sign(&outsider, &bundle.bundle);
    let message = refused(
        w.query(&server, &bundle.bundle, &[&approval]),
        "unknown-approver",
    );
    assert!(message.contains(outsider.public_key()), "{message}");
    w.assert_audits_intact();
}

#[test]
fn an_expired_approval_is_refused() {
    let w = World::new();
    let server = w.serve();
    let (request, _) = w.request("r", 40, 3, "realistic");
    let then = now() - 2 * 86_400;
    let bundle = w
        .ice
        .prepare(&Prepare {
            request: &request,
            holder_json: &w.holder.holder_json(),
            bundle: &w.path("expired.bundle"),
            legal_basis: "test",
            now: Some(then),
            valid_for: Some("1s"),
        })
        .unwrap();
    let approval = w.path("expired.approval.json");
    w.secretary
        .sign(&bundle.bundle, &approval, Some(then))
        .unwrap();
    let message = refused(w.query(&server, &bundle.bundle, &[&approval]), "expired");
    assert!(
        message.contains(&format!("expired at {}", then + 1)),
        "{message}"
    );

    // Not expired, but issued longer ago than the policy's maximum request age.
    let policy = w.policy().limit("max_request_age_secs", 3_600);
    drop(server);
    let server = w.serve_to(&policy, &[], &[]);
    let old = w
        .ice
        .prepare(&Prepare {
            request: &request,
            holder_json: &w.holder.holder_json(),
            bundle: &w.path("old.bundle"),
            legal_basis: "test",
            now: Some(now() - 7_200),
            valid_for: Some("24h"),
        })
        .unwrap();
    let approval = w.sign(&w.secretary, &old.bundle);
    refused(w.query(&server, &old.bundle, &[&approval]), "too-old");
    w.assert_audits_intact();
}

#[test]
fn a_missing_dual_control_co_signature_is_refused_naming_the_role() {
    let w = World::new();
    let counsel = w.approver("irs-counsel", "counsel");
    let policy = w.policy().approver(&counsel).all_of(&["irs-counsel"]);
    let server = w.serve_to(&policy, &[], &[]);
    let (request, _) = w.request("r", 40, 3, "realistic");
    let bundle = w.prepare(&request, "dual.bundle");
    let approval = w.sign(&w.secretary, &bundle.bundle);
    let message = refused(
        w.query(&server, &bundle.bundle, &[&approval]),
        "missing-role",
    );
    assert_eq!(message, "no valid approval from required role irs-counsel");

    // The co-signer alone does not satisfy any_of = [dhs-secretary] either.
    let by_counsel = w.sign(&counsel, &bundle.bundle);
    let message = refused(
        w.query(&server, &bundle.bundle, &[&by_counsel]),
        "missing-any-of-roles",
    );
    assert!(message.contains("dhs-secretary"), "{message}");
    w.assert_audits_intact();
}

#[test]
fn a_bundle_for_a_rotated_epoch_is_refused() {
    let w = World::new();
    let (request, _) = w.request("r", 40, 3, "realistic");
    let bundle = w.prepare(&request, "old-epoch.bundle");
    let approval = w.sign(&w.secretary, &bundle.bundle);
    w.holder.rotate_epoch(&w.population).unwrap();
    let server = w.serve();

    // ice checks the holder's epoch against the one the request was approved for.
    let line = failed(w.query(&server, &bundle.bundle, &[&approval]));
    assert!(line.contains("key epoch"), "{line}");
    // Sent anyway, the holder refuses it.
    let (code, _) = refused_when_sent_anyway(&w, &server, &bundle.bundle, &approval);
    assert_eq!(code, "wrong-epoch");
    // Prepared again for the new epoch, the same list is answered.
    let fresh = w.prepare(&request, "new-epoch.bundle");
    let approval = w.sign(&w.secretary, &fresh.bundle);
    answered(w.query(&server, &fresh.bundle, &[&approval]));
    w.assert_audits_intact();
}

#[test]
fn the_holder_will_not_serve_requests_larger_than_its_set_was_sized_for() {
    let w = World::new();
    // The set was ingested for requests of up to 2^20 elements (irs ingest's default);
    // a policy allowing more would push expected false matches above 2^-40.
    let policy = w.policy().limit("max_elements_per_request", (1 << 20) + 1);
    let path = w.path("too-generous.toml");
    policy.write(&path).unwrap();
    let mut child = w
        .holder
        .serve_command(&path, &[&w.ice])
        .unwrap()
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // It must refuse to start; a server that starts anyway is killed, not waited on.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("irs serve started with a policy its set cannot honour");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("false matches below 2^-40"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}
