#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The audit log on real files: chaining, reopen, tamper and torn-line detection.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use blindlink_store::audit::{
    AuditError, AuditEvent, AuditLog, BreakReason, EventKind, GENESIS_PREV, line_hash, parse_line,
    repair, verify,
};
use serde_json::{Map, Value, json};

fn event(time: u64, kind: EventKind, details: Value) -> AuditEvent {
    let Value::Object(details) = details else {
        panic!("details must be an object")
    };
    AuditEvent {
        time,
        kind,
        details,
    }
}

fn write_events(path: &Path, n: u64) {
    let log = AuditLog::open(path).unwrap();
    for i in 0..n {
        let seq = log
            .append(&event(
                1_700_000_000 + i,
                EventKind::RequestReceived,
                json!({"request_id": format!("{i:032x}"), "elements": i}),
            ))
            .unwrap();
        assert_eq!(seq, log.head().unwrap().0 - 1);
    }
}

fn lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn log_is_chained_and_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    write_events(&path, 3);
    let log = AuditLog::open(&path).unwrap();
    let seq = log
        .append(&event(
            1_700_000_100,
            EventKind::DecisionRefused {
                reason: "expired".into(),
            },
            json!({}),
        ))
        .unwrap();
    assert_eq!(seq, 4);
    drop(log);

    let stored = lines(&path);
    assert_eq!(stored.len(), 4);
    let mut prev = GENESIS_PREV;
    for (i, line) in stored.iter().enumerate() {
        let entry = parse_line(line.as_bytes()).unwrap();
        assert_eq!(entry.seq, i as u64 + 1);
        assert_eq!(entry.prev, prev);
        prev = line_hash(line.as_bytes());
    }
    let report = verify(&path).unwrap();
    assert!(report.is_intact(), "{report}");
    assert_eq!(report.entries, 4);
    assert_eq!(report.head, prev);
    let log = AuditLog::open(&path).unwrap();
    assert_eq!(log.head().unwrap(), (5, prev));
}

#[test]
fn tampered_middle_line_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    write_events(&path, 5);
    let mut stored = lines(&path);
    stored[2] = stored[2].replace("\"elements\":2", "\"elements\":200");
    fs::write(&path, stored.join("\n") + "\n").unwrap();

    let report = verify(&path).unwrap();
    let broken = report.broken.clone().unwrap();
    // Line 3 still parses; the break shows at line 4, whose prev no longer matches.
    assert_eq!(broken.line, 4);
    assert!(matches!(broken.reason, BreakReason::WrongPrev { .. }));
    assert_eq!(report.entries, 3);
    assert_eq!(report.torn_tail, None);
    assert!(matches!(
        AuditLog::open(&path),
        Err(AuditError::Broken { .. })
    ));
}

#[test]
fn garbled_and_missing_lines_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    write_events(&path, 5);
    let original = lines(&path);

    let mut garbled = original.clone();
    garbled[1] = "{not json".into();
    fs::write(&path, garbled.join("\n") + "\n").unwrap();
    let broken = verify(&path).unwrap().broken.unwrap();
    assert_eq!(broken.line, 2);
    assert!(matches!(broken.reason, BreakReason::BadEntry(_)));

    let mut missing = original;
    missing.remove(2);
    fs::write(&path, missing.join("\n") + "\n").unwrap();
    let broken = verify(&path).unwrap().broken.unwrap();
    assert_eq!(broken.line, 3);
    assert_eq!(
        broken.reason,
        BreakReason::SeqGap {
            expected: 3,
            found: 4
        }
    );
}

#[test]
fn torn_last_line_is_reported_and_repaired() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    write_events(&path, 3);
    let intact_len = fs::metadata(&path).unwrap().len();
    let mut bytes = fs::read(&path).unwrap();
    let fragment = b"{\"seq\":4,\"time\":17";
    bytes.extend_from_slice(fragment);
    fs::write(&path, &bytes).unwrap();

    let report = verify(&path).unwrap();
    assert_eq!(report.broken, None);
    let torn = report.torn_tail.unwrap();
    assert_eq!(torn.line, 4);
    assert_eq!(torn.offset, intact_len);
    assert_eq!(torn.len, fragment.len() as u64);
    assert!(matches!(
        AuditLog::open(&path),
        Err(AuditError::Torn { .. })
    ));

    let outcome = repair(&path).unwrap();
    assert_eq!(outcome.removed_bytes, fragment.len() as u64);
    assert!(outcome.report.is_intact());
    assert_eq!(fs::metadata(&path).unwrap().len(), intact_len);
    assert!(verify(&path).unwrap().is_intact());
    assert_eq!(repair(&path).unwrap().removed_bytes, 0);

    // Appends after the repair continue the chain.
    let log = AuditLog::open(&path).unwrap();
    assert_eq!(
        log.append(&event(1, EventKind::SetSent, json!({"bytes": 10})))
            .unwrap(),
        4
    );
    drop(log);
    let report = verify(&path).unwrap();
    assert!(report.is_intact());
    assert_eq!(report.entries, 4);
}

#[test]
fn complete_entry_without_newline_is_still_torn() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    write_events(&path, 2);
    let bytes = fs::read(&path).unwrap();
    fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
    let report = verify(&path).unwrap();
    assert_eq!(report.entries, 1);
    assert_eq!(report.torn_tail.map(|t| t.line), Some(2));
}

#[test]
fn concurrent_appends_keep_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let log = Arc::new(AuditLog::open(&path).unwrap());
    let handles: Vec<_> = (0..4u64)
        .map(|t| {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                (0..10u64)
                    .map(|i| {
                        log.append(&event(
                            t,
                            EventKind::Evaluated,
                            json!({"thread": t, "i": i}),
                        ))
                        .unwrap()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut seqs: Vec<u64> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=40).collect::<Vec<_>>());
    let report = verify(&path).unwrap();
    assert!(report.is_intact(), "{report}");
    assert_eq!(report.entries, 40);
}

#[test]
fn invalid_events_are_refused_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let log = AuditLog::open(&path).unwrap();
    let bad = AuditEvent {
        time: 0,
        kind: EventKind::DecisionRefused {
            reason: "Not A Code".into(),
        },
        details: Map::new(),
    };
    assert!(matches!(log.append(&bad), Err(AuditError::InvalidEvent(_))));
    assert_eq!(fs::metadata(&path).unwrap().len(), 0);
    assert_eq!(
        log.append(&event(0, EventKind::Result, json!({}))).unwrap(),
        1
    );
}

#[test]
fn shared_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<AuditLog>();
    assert_send_sync::<blindlink_store::replay::ReplayStore>();
}

#[test]
fn over_long_line_is_a_break_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    write_events(&path, 1);
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend(std::iter::repeat_n(b'x', 2 * 1024 * 1024));
    bytes.push(b'\n');
    bytes.extend_from_slice(b"tail");
    fs::write(&path, &bytes).unwrap();
    let report = verify(&path).unwrap();
    assert_eq!(report.entries, 1);
    let broken = report.broken.unwrap();
    assert_eq!(broken.line, 2);
    assert!(matches!(broken.reason, BreakReason::BadEntry(_)));
    assert_eq!(report.torn_tail.map(|t| (t.line, t.len)), Some((3, 4)));
}

#[test]
fn a_second_writer_is_refused_while_the_first_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.log");
    let first = blindlink_store::audit::AuditLog::open(&path).unwrap();
    match blindlink_store::audit::AuditLog::open(&path) {
        Err(blindlink_store::audit::AuditError::InUse { .. }) => {}
        other => panic!("second writer not refused: {other:?}"),
    }
    assert!(matches!(
        blindlink_store::audit::repair(&path),
        Err(blindlink_store::audit::AuditError::InUse { .. })
    ));
    drop(first);
    blindlink_store::audit::AuditLog::open(&path).unwrap();
}
