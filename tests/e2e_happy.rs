//! End to end, real binaries on loopback: answered requests. Exact matches on a clean
//! request, the cached set of an epoch, dual control satisfied, eight sessions at once,
//! and the audit logs (intact after all of it, and a tampered line detected).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::fs::File;
use std::os::unix::fs::PermissionsExt;

use common::{World, answered, plaintext_matches, refused, results};

#[test]
fn clean_request_matches_exactly_what_plaintext_matching_predicts() {
    let w = World::new();
    let (request, truth) = w.request("clean", 60, 2, "clean");
    let server = w.serve();
    let bundle = w.prepare(&request, "clean.bundle");
    let approval = w.sign(&w.secretary, &bundle.bundle);
    let report = answered(w.query(&server, &bundle.bundle, &[&approval]));

    let got = results(&report);
    let truth = blindlink_synth::read_truth(File::open(&truth).unwrap()).unwrap();
    assert_eq!(got.len(), 60);
    assert_eq!(report.records, 60);
    for (r, t) in got.iter().zip(&truth) {
        assert_eq!(
            r.record_id, t.request_record_id,
            "results keep request order"
        );
    }

    // The encrypted protocol reproduces plaintext matching record by record.
    let expected = plaintext_matches(&w.population, &request);
    let got_rules: Vec<_> = got.iter().map(|r| r.matched_rule).collect();
    assert_eq!(got_rules, expected);

    // Against the ground truth: with no corruption, nobody absent matches, every match
    // is at R1 (the exact rule), and the only people on file who do not match are those
    // whose every key the holder shares with another record of its file (e.g. two
    // people of the same name at one address), which plaintext matching also misses.
    let mut by_rule = BTreeMap::new();
    for (r, t) in got.iter().zip(&truth) {
        if let Some(rule) = r.matched_rule {
            assert!(t.present, "{} is not on file but matched", r.record_id);
            assert_eq!(rule.id(), "R1", "{} matched at {rule:?}", r.record_id);
            *by_rule.entry(rule.id().to_owned()).or_insert(0u64) += 1;
        }
    }
    let present = truth.iter().filter(|t| t.present).count();
    let matched = got.iter().filter(|r| r.matched_rule.is_some()).count();
    assert_eq!(present, 36);
    assert!(
        matched + 2 >= present,
        "{matched} of {present} on file matched"
    );
    assert_eq!(report.matched_records as usize, matched);
    assert_eq!(report.matched_by_rule, by_rule);
    assert!(!report.set_from_cache);
    w.assert_audits_intact();
}

#[test]
fn second_request_of_an_epoch_uses_the_cached_set() {
    let w = World::new();
    let (request, _) = w.request("realistic", 60, 5, "realistic");
    let server = w.serve();
    let first = w.prepare(&request, "first.bundle");
    let first_approval = w.sign(&w.secretary, &first.bundle);
    let one = answered(w.query(&server, &first.bundle, &[&first_approval]));
    assert!(!one.set_from_cache);
    // The cache derives from the requester's requests: private like its results.
    // Fails before: the set was cached with mode 0644.
    let sets = w.ice.dir().join("sets");
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&sets), 0o700);
    let cached: Vec<_> = std::fs::read_dir(&sets)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    assert_eq!(mode(&cached[0]), 0o600);

    let second = w.prepare(&request, "second.bundle");
    assert_ne!(second.request_id, first.request_id);
    let second_approval = w.sign(&w.secretary, &second.bundle);
    let two = answered(w.query(&server, &second.bundle, &[&second_approval]));
    assert!(two.set_from_cache, "{two:?}");
    assert_eq!(two.set_size, one.set_size);
    // The set is most of the first answer; the second one does without it.
    assert!(
        two.bytes_received * 4 < one.bytes_received,
        "{} vs {}",
        two.bytes_received,
        one.bytes_received
    );
    assert_eq!(results(&two), results(&one));
    assert_eq!(
        results(&one)
            .iter()
            .filter(|r| r.matched_rule.is_some())
            .count() as u64,
        one.matched_records
    );
    let sent: Vec<bool> = w
        .holder_audit_after("set-sent", 2)
        .iter()
        .filter(|e| e["kind"] == "set-sent")
        .map(|e| e["details"]["cached"].as_bool().unwrap())
        .collect();
    assert_eq!(sent, [false, true]);
    w.assert_audits_intact();
}

#[test]
fn dual_control_needs_the_co_signature_and_accepts_it() {
    let w = World::new();
    let counsel = w.approver("irs-counsel", "counsel");
    let policy = w.policy().approver(&counsel).all_of(&["irs-counsel"]);
    let server = w.serve_to(&policy, &[], &[]);
    let (request, _) = w.request("dual", 30, 6, "realistic");
    let bundle = w.prepare(&request, "dual.bundle");
    let by_secretary = w.sign(&w.secretary, &bundle.bundle);

    let message = refused(
        w.query(&server, &bundle.bundle, &[&by_secretary]),
        "missing-role",
    );
    assert!(message.contains("irs-counsel"), "{message}");

    let by_counsel = w.sign(&counsel, &bundle.bundle);
    let report = answered(w.query(&server, &bundle.bundle, &[&by_secretary, &by_counsel]));
    assert_eq!(report.records, 30);
    let accepted: Vec<_> = w
        .holder_audit()
        .into_iter()
        .filter(|e| e["kind"] == "decision-accepted")
        .collect();
    assert_eq!(accepted.len(), 1);
    let roles: Vec<&str> = accepted[0]["details"]["approved_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["dhs-secretary", "irs-counsel"]);
    w.assert_audits_intact();
}

/// Eight requesters at once against a holder that serves two sessions at a time: the
/// others wait in the listen backlog and are answered in turn, none is turned away.
#[test]
fn eight_concurrent_sessions_all_succeed() {
    let w = World::new();
    let (request, _) = w.request("shared", 40, 7, "realistic");
    let requesters: Vec<_> = (0..8)
        .map(|i| w.requester(&format!("ice-office-{i}")))
        .collect();
    let refs: Vec<_> = requesters.iter().collect();
    let server = w.serve_to(&w.policy(), &refs, &["--max-sessions", "2"]);
    let approved: Vec<_> = requesters
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let bundle = w.prepare_by(r, &request, &format!("office-{i}.bundle"));
            let approval = w.sign(&w.secretary, &bundle.bundle);
            (bundle.bundle, approval)
        })
        .collect();

    let reports: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = requesters
            .iter()
            .zip(&approved)
            .map(|(r, (bundle, approval))| {
                let (w, server) = (&w, &server);
                s.spawn(move || w.query_by(r, server, bundle, &[approval]))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| answered(h.join().unwrap()))
            .collect()
    });

    let first = results(&reports[0]);
    for report in &reports {
        assert_eq!(report.records, 40);
        assert_eq!(results(report), first, "same list, same answer");
    }
    let audit = w.holder_audit_after("set-sent", 8);
    assert_eq!(common::count(&audit, "decision-accepted"), 8);
    assert_eq!(common::count(&audit, "set-sent"), 8);
    common::assert_intact(&w.holder.verify_audit().unwrap(), "irs");
    for r in &requesters {
        common::assert_intact(&r.verify_audit().unwrap(), r.id());
    }
}

#[test]
fn audit_logs_verify_and_a_tampered_line_is_detected() {
    let w = World::new();
    let (request, _) = w.request("audited", 30, 8, "realistic");
    let server = w.serve();
    let bundle = w.prepare(&request, "audited.bundle");
    let approval = w.sign(&w.secretary, &bundle.bundle);
    answered(w.query(&server, &bundle.bundle, &[&approval]));
    refused(w.query(&server, &bundle.bundle, &[&approval]), "replayed");
    w.holder_audit_after("set-sent", 1);
    drop(server);
    w.assert_audits_intact();

    // Change the details of the holder's acceptance, as someone hiding a request would.
    let log = w.holder.audit_log();
    let text = std::fs::read_to_string(&log).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let index = lines
        .iter()
        .position(|l| l.contains("\"kind\":\"decision-accepted\""))
        .unwrap();
    let altered = lines[index].replace("\"records\":30", "\"records\":3");
    assert_ne!(altered, lines[index]);
    lines[index] = altered;
    std::fs::write(&log, lines.join("\n") + "\n").unwrap();

    let check = w.holder.verify_audit().unwrap();
    assert!(!check.intact);
    // The chain breaks at the next line, whose `prev` no longer matches.
    let line = index + 2;
    let problem = check.problem.unwrap();
    assert!(problem.contains(&format!("line {line}")), "{problem}");
    assert_eq!(check.entries, index as u64 + 1);

    // The same on the requester's side.
    let log = w.ice.dir().join("audit.log");
    let text = std::fs::read_to_string(&log).unwrap();
    let tampered = text.replacen("\"request_id\":\"", "\"request_id\":\"00", 1);
    assert_ne!(tampered, text);
    std::fs::write(&log, tampered).unwrap();
    let check = w.ice.verify_audit().unwrap();
    assert!(!check.intact, "{check:?}");
    assert!(check.problem.is_some());
}
