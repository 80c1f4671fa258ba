//! A closed stdout, real binaries: every binary's printing commands run with stdout a pipe
//! whose reader is already gone (as in `irs audit verify | head -0`), and must exit as
//! they would have (0 here), print no panic, and keep the work they did.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

use blindlink_testkit::Binaries;

fn bins() -> Binaries {
    Binaries::build(false).unwrap()
}

/// Runs `cmd` with stdout a pipe whose reading end is closed before the program starts,
/// so its first write fails with EPIPE.
fn into_closed_pipe(cmd: &mut Command) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    cmd.env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped());
    cmd.spawn().unwrap().wait_with_output().unwrap()
}

fn assert_quiet_success(what: &str, out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert!(!stderr.contains("internal error"), "{what}: {stderr}");
    assert_eq!(out.status.code(), Some(0), "{what}: {stderr}");
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn irs_keygen_and_audit_verify_into_a_closed_pipe() {
    let bins = bins();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("irs");
    let out = into_closed_pipe(bins.command("irs").args(["--dir", arg(&dir), "keygen"]));
    assert_quiet_success("irs keygen", &out);
    assert!(
        dir.join("noise.key").exists(),
        "the keys were still written"
    );
    let out = into_closed_pipe(
        bins.command("irs")
            .args(["--dir", arg(&dir), "audit", "verify"]),
    );
    assert_quiet_success("irs audit verify", &out);
    let out = into_closed_pipe(bins.command("irs").args([
        "--dir",
        arg(&dir),
        "--json",
        "audit",
        "verify",
    ]));
    assert_quiet_success("irs --json audit verify", &out);
}

#[test]
fn ice_keygen_and_audit_verify_into_a_closed_pipe() {
    let bins = bins();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ice");
    let out = into_closed_pipe(bins.command("ice").args(["keygen", "--dir", arg(&dir)]));
    assert_quiet_success("ice keygen", &out);
    assert!(dir.join("noise.key").exists(), "the key was still written");
    assert!(dir.join("noise.pub").exists(), "the key was still written");
    let out = into_closed_pipe(
        bins.command("ice")
            .args(["audit", "verify", "--dir", arg(&dir)]),
    );
    // A fresh requester has an audit log after keygen; whatever verify says, it must
    // say it without a panic.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "ice audit verify: {stderr}");
}

#[test]
fn approve_keygen_into_a_closed_pipe() {
    let bins = bins();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("approvers");
    let out = into_closed_pipe(bins.command("approve").args([
        "keygen",
        "--role",
        "dhs-secretary",
        "--out",
        arg(&dir),
    ]));
    assert_quiet_success("approve keygen", &out);
    assert!(
        dir.join("dhs-secretary.key").exists(),
        "the key was still written"
    );
}

#[test]
fn synth_population_and_help_into_a_closed_pipe() {
    let bins = bins();
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("population.csv");
    let out = into_closed_pipe(bins.command("synth").args([
        "population",
        "--count",
        "20",
        "--out",
        arg(&csv),
    ]));
    assert_quiet_success("synth population", &out);
    let rows = std::fs::read_to_string(&csv).unwrap().lines().count();
    assert_eq!(rows, 21, "the population was still written");
    for name in ["irs", "ice", "approve", "synth"] {
        let out = into_closed_pipe(bins.command(name).arg("--help"));
        assert_quiet_success(&format!("{name} --help"), &out);
        let out = into_closed_pipe(bins.command(name).arg("--version"));
        assert_quiet_success(&format!("{name} --version"), &out);
    }
}
