#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The `synth` binary end to end, in a temporary directory.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use blindlink_synth::{read_population, read_request, read_truth};

fn synth(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synth"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn ok(output: &Output) {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn population_then_request_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&synth(
        &[
            "population",
            "--count",
            "5000",
            "--seed",
            "11",
            "--out",
            "taxpayers.csv",
        ],
        d,
    ));
    let request_args = [
        "request",
        "--population",
        "taxpayers.csv",
        "--count",
        "300",
        "--present-fraction",
        "0.6",
        "--profile",
        "hard",
        "--seed",
        "4",
        "--out",
        "request.csv",
        "--truth",
        "truth.csv",
    ];
    ok(&synth(&request_args, d));

    let pop = read_population(fs::read(d.join("taxpayers.csv")).unwrap().as_slice()).unwrap();
    assert_eq!(pop.len(), 5000);
    let request = read_request(fs::read(d.join("request.csv")).unwrap().as_slice()).unwrap();
    let truth = read_truth(fs::read(d.join("truth.csv")).unwrap().as_slice()).unwrap();
    assert_eq!(request.len(), 300);
    assert_eq!(truth.len(), 300);
    assert_eq!(truth.iter().filter(|t| t.present).count(), 180);
    assert!(
        request
            .iter()
            .all(|r| !r.case_ref.is_empty() && !r.final_order_ref.is_empty())
    );

    // Same arguments, same bytes.
    let first = [
        fs::read(d.join("taxpayers.csv")).unwrap(),
        fs::read(d.join("request.csv")).unwrap(),
        fs::read(d.join("truth.csv")).unwrap(),
    ];
    ok(&synth(
        &[
            "population",
            "--count",
            "5000",
            "--seed",
            "11",
            "--out",
            "taxpayers.csv",
        ],
        d,
    ));
    ok(&synth(&request_args, d));
    let second = [
        fs::read(d.join("taxpayers.csv")).unwrap(),
        fs::read(d.join("request.csv")).unwrap(),
        fs::read(d.join("truth.csv")).unwrap(),
    ];
    assert_eq!(first, second);

    // Nothing but the three outputs: no temporary files left behind.
    let mut names: Vec<String> = fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["request.csv", "taxpayers.csv", "truth.csv"]);
}

#[test]
fn failures_are_one_line_and_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: [&[&str]; 3] = [
        &[
            "request",
            "--population",
            "missing.csv",
            "--count",
            "5",
            "--out",
            "r.csv",
            "--truth",
            "t.csv",
        ],
        &["population", "--count", "3", "--out", "no/such/dir/p.csv"],
        &[
            "request",
            "--population",
            "p.csv",
            "--count",
            "50",
            "--out",
            "r.csv",
            "--truth",
            "t.csv",
        ],
    ];
    ok(&synth(
        &["population", "--count", "10", "--out", "p.csv"],
        d,
    ));
    for args in cases {
        let out = synth(args, d);
        assert!(!out.status.success(), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("synth: "), "{stderr}");
    }
    assert!(!d.join("r.csv").exists() && !d.join("t.csv").exists());
}

#[test]
fn help_is_available_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--help"][..],
        &["population", "--help"],
        &["request", "--help"],
        &["evaluate", "--help"],
    ] {
        let out = synth(args, dir.path());
        ok(&out);
        assert!(String::from_utf8(out.stdout).unwrap().contains("Usage:"));
    }
}

#[test]
fn evaluate_judges_results_against_the_truth() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&synth(
        &["population", "--count", "2000", "--out", "p.csv"],
        d,
    ));
    ok(&synth(
        &[
            "request",
            "--population",
            "p.csv",
            "--count",
            "200",
            "--profile",
            "clean",
            "--out",
            "r.csv",
            "--truth",
            "t.csv",
        ],
        d,
    ));
    // Results that flag exactly the present people, at R1, and one absent person at R2.
    let truth = read_truth(fs::File::open(d.join("t.csv")).unwrap()).unwrap();
    let absent = truth.iter().find(|t| !t.present).unwrap();
    let mut csv = String::from("record_id,matched,rule\n");
    for t in &truth {
        let line = match (t.present, t.request_record_id == absent.request_record_id) {
            (true, _) => "yes,R1",
            (false, true) => "yes,R2",
            (false, false) => "no,",
        };
        csv.push_str(&format!("{},{line}\n", t.request_record_id));
    }
    fs::write(d.join("results.csv"), csv).unwrap();
    let out = synth(
        &[
            "evaluate",
            "--truth",
            "t.csv",
            "--results",
            "results.csv",
            "--json",
        ],
        d,
    );
    ok(&out);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // 200 rows, 60% present = 120; all 120 found at R1; one absent flagged at R2.
    assert_eq!(report["rows"], 200);
    assert_eq!(report["present"], 120);
    assert_eq!(report["per_rule"][0]["counts"]["correct"], 120);
    assert_eq!(report["per_rule"][1]["counts"]["absent_flagged"], 1);
    let all = &report["cumulative"][1];
    let close = |v: &serde_json::Value, expected: f64| {
        let got = v.as_f64().unwrap();
        assert!((got - expected).abs() < 1e-9, "{got} != {expected}");
    };
    close(&all["recall"], 1.0);
    close(&all["precision"], 120.0 / 121.0);
    close(&all["false_flags_per_10k"], 1.0 / 200.0 * 10_000.0);

    let text = synth(
        &["evaluate", "--truth", "t.csv", "--results", "results.csv"],
        d,
    );
    ok(&text);
    assert!(String::from_utf8(text.stdout).unwrap().contains("R1..R2"));

    // Swapped files, and results of another request: one line, non-zero.
    fs::write(d.join("other.csv"), "record_id,matched,rule\nX-1,no,\n").unwrap();
    for args in [
        &["evaluate", "--truth", "results.csv", "--results", "t.csv"][..],
        &["evaluate", "--truth", "t.csv", "--results", "other.csv"],
        &["evaluate", "--truth", "t.csv", "--results", "missing.csv"],
    ] {
        let out = synth(args, d);
        assert!(!out.status.success(), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("synth: "), "{stderr}");
    }
}
