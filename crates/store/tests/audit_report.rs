#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `audit verify|repair` as both binaries run them: one JSON shape, one text, consent.

use std::fs;
use std::io::Write;
use std::path::Path;

use blindlink_store::audit::report::{Consent, LogReport, RepairError, repair_log};
use blindlink_store::audit::{AuditEvent, AuditLog, EventKind};
use serde_json::{Value, json};

fn write_log(path: &Path, n: u64) {
    let log = AuditLog::open(path).unwrap();
    for i in 0..n {
        let Value::Object(details) = json!({ "i": i }) else {
            unreachable!()
        };
        log.append(&AuditEvent {
            time: 1_700_000_000 + i,
            kind: EventKind::SetSent,
            details,
        })
        .unwrap();
    }
}

fn tear(path: &Path, fragment: &[u8]) {
    let mut file = fs::OpenOptions::new().append(true).open(path).unwrap();
    file.write_all(fragment).unwrap();
}

#[test]
fn the_json_has_one_shape() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.log");
    write_log(&path, 2);
    let intact = serde_json::to_value(LogReport::verify(&path).unwrap().json()).unwrap();
    let mut keys: Vec<&str> = intact
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "broken",
            "duplicate_accepted",
            "entries",
            "head",
            "intact",
            "log",
            "torn_tail",
            "tree_root"
        ]
    );
    assert_eq!(intact["intact"], true);
    assert_eq!(intact["entries"], 2);
    assert_eq!(intact["head"].as_str().unwrap().len(), 64);
    assert_eq!(intact["tree_root"].as_str().unwrap().len(), 64);
    assert!(intact["broken"].is_null() && intact["torn_tail"].is_null());

    let intact_len = fs::metadata(&path).unwrap().len();
    tear(&path, b"{\"seq\":3,\"ti");
    let torn = serde_json::to_value(LogReport::verify(&path).unwrap().json()).unwrap();
    assert_eq!(torn["intact"], false);
    assert_eq!(
        torn["torn_tail"],
        json!({"line": 3, "offset": intact_len, "bytes": 12})
    );
}

#[test]
fn text_and_problems_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.log");
    write_log(&path, 3);
    let report = LogReport::verify(&path).unwrap();
    let text = report.text("irs");
    assert!(text.contains("entries    3 chain correctly"), "{text}");
    assert!(text.ends_with("intact\n"), "{text}");
    assert!(report.check().is_ok());

    let edited = fs::read_to_string(&path)
        .unwrap()
        .replacen("\"i\":1", "\"i\":7", 1);
    fs::write(&path, &edited).unwrap();
    tear(&path, b"{\"seq\"");
    let report = LogReport::verify(&path).unwrap();
    let text = report.text("ice");
    assert!(text.contains("BROKEN     line 3: "), "{text}");
    assert!(text.contains("TORN       line 4 (6 bytes"), "{text}");
    assert!(text.contains("`ice audit repair` removes it"), "{text}");
    assert!(!text.contains("intact"), "{text}");
    let err = report.check().unwrap_err().to_string();
    assert!(err.contains("chain broken at line 3"), "{err}");
    assert!(err.contains("torn last line 4 (6 bytes)"), "{err}");
}

#[test]
fn repair_removes_a_torn_line_only_with_consent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.log");
    write_log(&path, 2);
    let intact = fs::read(&path).unwrap();
    tear(&path, b"{\"seq\":3");
    let torn = fs::read(&path).unwrap();

    for (consent, unavailable) in [(Consent::Unavailable, true), (Consent::Refused, false)] {
        match repair_log(&path, |_| consent) {
            Err(RepairError::ConsentUnavailable { .. }) if unavailable => {}
            Err(RepairError::NotConfirmed { .. }) if !unavailable => {}
            other => panic!("{consent:?}: {other:?}"),
        }
        assert_eq!(fs::read(&path).unwrap(), torn);
    }
    let mut asked = String::new();
    let run = repair_log(&path, |question| {
        asked = question.to_owned();
        Consent::Given
    })
    .unwrap();
    assert!(asked.contains("line 3 (8 bytes"), "{asked}");
    assert_eq!(run.removed.map(|t| (t.line, t.len)), Some((3, 8)));
    assert!(run.check().is_ok());
    assert!(
        run.text("irs")
            .starts_with("removed the torn last line 3 (8 bytes)\n")
    );
    assert_eq!(fs::read(&path).unwrap(), intact);

    // Nothing torn: consent is not asked for and nothing changes.
    let run = repair_log(&path, |_| panic!("asked with nothing to repair")).unwrap();
    assert_eq!(run.removed, None);
    assert!(run.text("ice").contains("nothing removed"));
}

#[test]
fn repair_leaves_a_broken_chain_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.log");
    write_log(&path, 2);
    let edited = fs::read_to_string(&path)
        .unwrap()
        .replacen("\"seq\":2", "\"seq\":9", 1);
    fs::write(&path, &edited).unwrap();
    let run = repair_log(&path, |_| Consent::Given).unwrap();
    assert_eq!(run.removed, None);
    let err = run.check().unwrap_err().to_string();
    assert!(err.contains("line 2"), "{err}");
    assert!(
        err.contains("repair only removes a torn last line"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), edited);
    assert!(matches!(
        repair_log(&dir.path().join("missing.log"), |_| Consent::Given),
        Err(RepairError::Verify(_))
    ));
}

/// Fails before: `audit verify` said "intact" for a log holding two `decision-accepted`
/// entries of one request id (an approval served twice).
#[test]
fn a_request_accepted_twice_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.log");
    let log = AuditLog::open(&path).unwrap();
    for id in ["aa", "bb", "aa"] {
        let Value::Object(details) = json!({ "request_id": id.repeat(16) }) else {
            unreachable!()
        };
        log.append(&AuditEvent {
            time: 1_700_000_000,
            kind: EventKind::DecisionAccepted,
            details,
        })
        .unwrap();
    }
    drop(log);
    let report = LogReport::verify(&path).unwrap();
    let json = serde_json::to_value(report.json()).unwrap();
    assert_eq!(json["intact"], false);
    assert_eq!(
        json["duplicate_accepted"],
        json!([{"request_id": "aa".repeat(16), "first_line": 1, "line": 3}])
    );
    assert!(
        report.text("irs").contains("DUPLICATE"),
        "{}",
        report.text("irs")
    );
    let err = report.check().unwrap_err().to_string();
    assert!(err.contains("accepted twice (lines 1 and 3)"), "{err}");
}
