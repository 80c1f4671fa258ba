//! End to end, real binaries: the holder's audit log is a signed Merkle log. Every answer
//! comes with a receipt `ice` verifies and keeps; both parties' logs reconcile; and a
//! holder that cuts its log or rewrites an entry (re-chaining the rest, so that its own
//! `audit verify` still says intact) is caught by the requester's next receipt and by the
//! reconcile, with nothing written to the results file. A deleted or truncated replay
//! journal is rebuilt from the log at start: an approval is never served twice.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Output;

use blindlink_testkit::tamper::{cut_log, rewrite_entry};
use blindlink_testkit::{QueryOutcome, Server};
use common::{REQUESTER_ID, World, answered, audit_entries, count, failed};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `ice audit reconcile --json` against the holder's log: (exit code, report).
fn ice_reconcile(w: &World) -> (Option<i32>, serde_json::Value) {
    let mut cmd = w.bins.command("ice");
    cmd.args(["audit", "reconcile", "--json", "--dir"])
        .arg(w.ice.dir())
        .arg("--holder-log")
        .arg(w.holder.audit_log())
        .args(["--requester", REQUESTER_ID]);
    let out = cmd.output().unwrap();
    let report =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (out.status.code(), report)
}

/// `irs audit reconcile` against the requester's log: the exit code.
fn irs_reconcile(w: &World) -> Option<i32> {
    let mut cmd = w.bins.command("irs");
    cmd.arg("--dir")
        .arg(w.holder.dir())
        .args(["audit", "reconcile", "--requester-log"])
        .arg(w.ice.dir().join("audit.log"))
        .args(["--requester", REQUESTER_ID]);
    cmd.output().unwrap().status.code()
}

fn kinds(report: &serde_json::Value) -> Vec<String> {
    report["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap().to_owned())
        .collect()
}

/// Prepares, approves and queries one request; returns ice's outcome and whether a
/// results file was written.
fn ask(w: &World, server: &Server, name: &str) -> (QueryOutcome, bool) {
    let (request, _) = w.request(name, 20, 3, "realistic");
    let prepared = w.prepare(&request, &format!("{name}.bundle"));
    let approval = w.sign(&w.secretary, &prepared.bundle);
    let outcome = w.query(server, &prepared.bundle, &[&approval]);
    let written = prepared.bundle.with_extension("results.csv").exists();
    (outcome, written)
}

/// The seq of the holder's first `decision-accepted` entry.
fn first_acceptance(w: &World) -> u64 {
    w.holder_audit()
        .iter()
        .find(|e| e["kind"] == "decision-accepted")
        .and_then(|e| e["seq"].as_u64())
        .unwrap()
}

#[test]
fn answers_are_receipted_and_a_holder_log_cut_afterwards_is_caught() {
    let w = World::new();
    let server = w.serve();
    for name in ["first", "second"] {
        let (outcome, written) = ask(&w, &server, name);
        answered(outcome);
        assert!(written);
    }
    let ice_log = audit_entries(&w.ice.dir().join("audit.log"));
    assert_eq!(count(&ice_log, "receipt"), 2, "one receipt per answer");
    let (code, report) = ice_reconcile(&w);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["agree"], true);
    assert_eq!(report["counts"]["holder_accepted"], 2);
    assert_eq!(irs_reconcile(&w), Some(0));
    w.assert_audits_intact();
    drop(server);

    // The holder cuts its log back to its first acceptance and serves again.
    cut_log(&w.holder.audit_log(), first_acceptance(&w) as usize).unwrap();
    let server = w.serve();
    let (outcome, written) = ask(&w, &server, "third");
    let line = failed(outcome);
    assert!(line.contains("holder log"), "{line}");
    assert!(!written, "nothing is written to the results file");
    drop(server);

    let (code, report) = ice_reconcile(&w);
    assert_eq!(code, Some(1), "{report}");
    let found = kinds(&report);
    assert!(
        found
            .iter()
            .any(|k| k == "holder-log-cut" || k == "holder-log-rewritten"),
        "{report}"
    );
    // The third request was accepted (its receipt then refused by ice): logged by the
    // holder, never receipted by the requester.
    assert!(
        found.iter().any(|k| k == "decision-without-receipt"),
        "{report}"
    );
    assert_eq!(irs_reconcile(&w), Some(1));
}

#[test]
fn a_rewritten_holder_entry_is_caught_by_the_next_receipt_and_the_reconcile() {
    let w = World::new();
    let server = w.serve();
    let (outcome, _) = ask(&w, &server, "first");
    answered(outcome);
    w.assert_audits_intact();
    drop(server);

    // The holder edits its acceptance (fewer records served) and re-chains the rest.
    let edited = rewrite_entry(&w.holder.audit_log(), |event| {
        let accepted = event.kind == blindlink_store::audit::EventKind::DecisionAccepted;
        if accepted {
            event.details.insert("records".into(), 1.into());
        }
        accepted
    })
    .unwrap();
    assert!(edited.is_some());
    let check = w.holder.verify_audit().unwrap();
    assert!(
        check.intact,
        "the rewritten log verifies on its own: {check:?}"
    );

    let server = w.serve();
    let (outcome, written) = ask(&w, &server, "second");
    let line = failed(outcome);
    assert!(line.contains("holder log"), "{line}");
    assert!(!written, "nothing is written to the results file");
    drop(server);

    let (code, report) = ice_reconcile(&w);
    assert_eq!(code, Some(1), "{report}");
    assert!(
        kinds(&report).iter().any(|k| k == "holder-log-rewritten"),
        "{report}"
    );
}

#[test]
fn a_deleted_or_truncated_replay_journal_does_not_re_serve_an_approval() {
    let w = World::new();
    let (request, _) = w.request("r", 20, 3, "realistic");
    let prepared = w.prepare(&request, "once.bundle");
    let approval = w.sign(&w.secretary, &prepared.bundle);
    let server = w.serve();
    answered(w.query(&server, &prepared.bundle, &[&approval]));
    let other = w.prepare(&request, "twice.bundle");
    let other_approval = w.sign(&w.secretary, &other.bundle);
    answered(w.query(&server, &other.bundle, &[&other_approval]));
    w.assert_audits_intact();
    drop(server);

    let journal = w.holder.dir().join("replay.log");
    // Deleted: rebuilt from the audit log at start, and the rebuild is audited.
    std::fs::remove_file(&journal).unwrap();
    let server = w.serve();
    let line = common::refused(w.query(&server, &prepared.bundle, &[&approval]), "replayed");
    assert!(line.contains("already used"), "{line}");
    drop(server);
    // Truncated to its first id: the second is restored.
    cut_log(&journal, 1).unwrap();
    let server = w.serve();
    common::refused(
        w.query(&server, &other.bundle, &[&other_approval]),
        "replayed",
    );
    drop(server);
    let rebuilds: Vec<_> = w
        .holder_audit()
        .into_iter()
        .filter(|e| e["kind"] == "replay-rebuilt")
        .map(|e| e["details"]["ids_restored"].as_u64())
        .collect();
    assert_eq!(rebuilds, [Some(2), Some(1)]);
    assert_eq!(
        w.holder_audit_count("decision-accepted"),
        2,
        "nothing served twice"
    );
}

/// `audit checkpoint` on both sides: a checkpoint signed now still holds after more
/// entries, and a log cut below it is caught (`--check` exits 1).
#[test]
fn each_party_signs_checkpoints_of_its_own_log_and_a_cut_is_caught() {
    let w = World::new();
    let server = w.serve();
    let (outcome, _) = ask(&w, &server, "first");
    answered(outcome);
    w.assert_audits_intact();
    drop(server);
    let run = |bin: &str, args: &[&str]| -> (Option<i32>, String) {
        let mut cmd = w.bins.command(bin);
        if bin == "irs" {
            cmd.arg("--dir").arg(w.holder.dir());
        }
        cmd.args(args);
        if bin == "ice" {
            cmd.arg("--dir").arg(w.ice.dir());
        }
        let out = cmd.output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned() + &stderr(&out);
        (out.status.code(), text)
    };
    for (bin, log) in [
        ("irs", w.holder.audit_log()),
        ("ice", w.ice.dir().join("audit.log")),
    ] {
        let file = w.path(&format!("{bin}-checkpoint.json"));
        let file_arg = file.to_str().unwrap();
        let (code, text) = run(bin, &["audit", "checkpoint", "--out", file_arg]);
        assert_eq!(code, Some(0), "{text}");
        let signed: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(signed["format"], "blindlink.checkpoint/1");
        let (code, text) = run(bin, &["audit", "checkpoint", "--check", file_arg]);
        assert_eq!(code, Some(0), "{bin}: {text}");
        assert!(text.contains("holds"), "{text}");

        let size = signed["tree_size"].as_u64().unwrap() as usize;
        cut_log(&log, size - 1).unwrap();
        let (code, text) = run(bin, &["audit", "checkpoint", "--check", file_arg]);
        assert_eq!(code, Some(1), "{bin}: {text}");
        assert!(text.contains("CUT"), "{text}");
    }
}
