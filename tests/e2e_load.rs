//! Load, real binaries on loopback: 32 requester identities, each with its own Noise key
//! and approved request, run `ice query` at the same moment against one `irs serve
//! --max-sessions 32`. Every session is answered with the same results, and the holder's
//! audit log verifies with exactly one acceptance and one set-sent per session.
//! (`examples/load.rs` keeps 32 requesters busy for a bounded time and reports figures.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashSet;
use std::sync::Barrier;

use blindlink_testkit::Requester;
use common::{World, answered, count, results};

const SESSIONS: usize = 32;

#[test]
fn thirty_two_concurrent_sessions_are_all_answered_and_audited() {
    let w = World::new();
    let (request, _) = w.request("shared", 20, 9, "realistic");
    // Keys, bundles and approvals through the real binaries, a few at a time.
    let approved: Vec<(Requester, _, _)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..SESSIONS)
            .map(|i| {
                let (w, request) = (&w, &request);
                s.spawn(move || {
                    let r = w.requester(&format!("ice-office-{i:02}"));
                    let bundle = w.prepare_by(&r, request, &format!("office-{i:02}.bundle"));
                    let approval = w.sign(&w.secretary, &bundle.bundle);
                    (r, bundle, approval)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let refs: Vec<&Requester> = approved.iter().map(|(r, _, _)| r).collect();
    let server = w.serve_to(&w.policy(), &refs, &["--max-sessions", "32"]);

    let start = Barrier::new(SESSIONS);
    let reports: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = approved
            .iter()
            .map(|(r, bundle, approval)| {
                let (w, server, start) = (&w, &server, &start);
                s.spawn(move || {
                    start.wait();
                    answered(w.query_by(r, server, &bundle.bundle, &[approval]))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    let first = results(&reports[0]);
    let mut ids = HashSet::new();
    for ((_, bundle, _), report) in approved.iter().zip(&reports) {
        assert_eq!(report.request_id, bundle.request_id);
        assert_eq!(report.records, 20);
        assert_eq!(results(report), first, "same list, same answer");
        ids.insert(report.request_id.clone());
    }
    assert_eq!(ids.len(), SESSIONS);

    let audit = w.holder_audit_after("set-sent", SESSIONS);
    assert_eq!(count(&audit, "decision-accepted"), SESSIONS);
    assert_eq!(count(&audit, "set-sent"), SESSIONS);
    assert_eq!(count(&audit, "session-error"), 0);
    let audited: HashSet<String> = audit
        .iter()
        .filter(|e| e["kind"] == "decision-accepted")
        .map(|e| e["details"]["request_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(audited, ids);
    common::assert_intact(&w.holder.verify_audit().unwrap(), "irs");
    for r in &refs {
        common::assert_intact(&r.verify_audit().unwrap(), r.id());
    }
}
