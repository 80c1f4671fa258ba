//! `irs audit verify|repair` over the log that keygen, ingest and rotate wrote.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;

use common::{Workspace, assert_one_line_error, csv_text, people};

/// keygen (3 entries: Noise, identity, OPRF), ingest (2), rotate (3).
fn populated() -> Workspace {
    let ws = Workspace::new();
    let rows = people(40, 0);
    ws.setup(&rows);
    let input = ws.write("t2.csv", &csv_text(&rows));
    ws.irs_ok(&["epoch", "rotate", "--input", input.to_str().unwrap()]);
    ws
}

fn log_lines(ws: &Workspace) -> Vec<serde_json::Value> {
    std::fs::read_to_string(ws.state().join("audit.log"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn the_log_records_every_step_and_verifies() {
    let ws = populated();
    let lines = log_lines(&ws);
    let actions: Vec<&str> = lines
        .iter()
        .map(|l| l["details"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "noise-keygen",
            "identity-keygen",
            "oprf-keygen",
            "ingest",
            "epoch-activated",
            "oprf-keygen",
            "ingest",
            "epoch-activated"
        ]
    );
    assert_eq!(
        lines[7]["details"]["epoch"].as_str().unwrap(),
        ws.current_epoch().to_hex()
    );
    assert_eq!(
        lines[7]["details"]["previous_epoch"],
        lines[4]["details"]["epoch"]
    );

    let report = ws.irs_json(&["audit", "verify"]);
    assert_eq!(report["entries"], 8);
    assert_eq!(report["intact"], true);
    assert!(report["broken"].is_null() && report["torn_tail"].is_null());
    let text = ws.irs_ok(&["audit", "verify"]);
    assert!(text.contains("intact"), "{text}");
    // --log names the file directly.
    let log = ws.state().join("audit.log");
    let direct = ws.irs_json(&["audit", "verify", "--log", log.to_str().unwrap()]);
    assert_eq!(direct["head"], report["head"]);
}

#[test]
fn tampering_with_a_line_is_reported_with_the_line_number() {
    let ws = populated();
    let path = ws.state().join("audit.log");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // Change the set size recorded by the first ingest (line 4).
    let mut entry: serde_json::Value = serde_json::from_str(&lines[3]).unwrap();
    let size = entry["details"]["set_size"].as_u64().unwrap();
    entry["details"]["set_size"] = serde_json::json!(size + 1);
    lines[3] = serde_json::to_string(&entry).unwrap();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();

    let out = ws.irs(&["--json", "audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Line 4 still parses; its hash no longer matches line 5's `prev`.
    assert_eq!(report["broken"]["line"], 5);
    assert_eq!(report["entries"], 4);
    let err = common::stderr(&out);
    assert!(err.contains("line 5"), "{err}");

    // Commands that append refuse a broken log.
    let input = ws.write("t3.csv", &csv_text(&people(10, 0)));
    let refused = ws.irs(&["ingest", "--input", input.to_str().unwrap()]);
    let err = assert_one_line_error(&refused, 1);
    assert!(err.contains("audit log") && err.contains("line 5"), "{err}");
}

#[test]
fn a_torn_last_line_is_reported_and_repaired_only_with_consent() {
    let ws = populated();
    let path = ws.state().join("audit.log");
    let intact_len = std::fs::metadata(&path).unwrap().len();
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    file.write_all(br#"{"seq":9,"time":17"#).unwrap();
    drop(file);

    let out = ws.irs(&["--json", "audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["torn_tail"]["line"], 9);
    assert_eq!(report["entries"], 8);
    assert!(report["broken"].is_null());
    assert!(common::stderr(&out).contains("torn"));

    // No terminal and no --yes: refused, nothing changed.
    let err = assert_one_line_error(&ws.irs(&["audit", "repair"]), 2);
    assert!(err.contains("--yes"), "{err}");
    assert!(std::fs::metadata(&path).unwrap().len() > intact_len);

    let text = ws.irs_ok(&["audit", "repair", "--yes"]);
    assert!(text.contains("removed"), "{text}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), intact_len);
    let report = ws.irs_json(&["audit", "verify"]);
    assert_eq!(report["intact"], true);
    assert_eq!(report["entries"], 8);
    // Nothing left to repair.
    let again = ws.irs_ok(&["audit", "repair", "--yes"]);
    assert!(again.contains("nothing removed"), "{again}");
}

#[test]
fn repair_does_not_touch_a_broken_chain() {
    let ws = populated();
    let path = ws.state().join("audit.log");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen("\"seq\":2", "\"seq\":9", 1);
    std::fs::write(&path, &edited).unwrap();
    let out = ws.irs(&["audit", "repair", "--yes"]);
    let err = assert_one_line_error(&out, 1);
    assert!(err.contains("line 2"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
}

#[test]
fn verify_of_a_missing_log_fails() {
    let ws = Workspace::new();
    let out = ws.irs(&["audit", "verify"]);
    // Missing state is bad input (exit code 2), as in `ice audit verify`.
    let err = assert_one_line_error(&out, 2);
    assert!(err.contains("audit.log"), "{err}");
}

/// A run killed after replacing `set.bin` but before auditing it leaves `holder.json`
/// stale; the next command rewrites it and audits the set it finds served, so the log
/// names every set that was ever served.
#[test]
fn a_set_left_unaudited_by_a_killed_run_is_audited_when_reconciled() {
    let ws = Workspace::new();
    let rows = people(40, 0);
    ws.setup(&rows);
    let stale = std::fs::read(ws.state().join("holder.json")).unwrap();
    let other = ws.write("other.csv", &csv_text(&people(40, 1)));
    ws.irs_ok(&["ingest", "--input", other.to_str().unwrap()]);
    let served = ws.holder_json()["set_hash"].clone();
    // The state a kill between the rename of set.bin and the audit append leaves.
    std::fs::write(ws.state().join("holder.json"), &stale).unwrap();
    let before = log_lines(&ws).len();

    ws.irs_ok(&["ingest", "--input", other.to_str().unwrap()]);
    let lines = log_lines(&ws);
    let reconciled = &lines[before]["details"];
    assert_eq!(reconciled["action"], "holder-info-reconciled");
    assert_eq!(reconciled["set_hash"], served);
    assert_eq!(lines[before + 1]["details"]["action"], "ingest");
    assert_eq!(ws.holder_json()["set_hash"], served);
    assert_eq!(ws.irs_json(&["audit", "verify"])["intact"], true);
}
