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
    ] {
        let out = synth(args, dir.path());
        ok(&out);
        assert!(String::from_utf8(out.stdout).unwrap().contains("Usage:"));
    }
}
