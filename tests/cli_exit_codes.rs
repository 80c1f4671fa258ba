//! One exit-code table for every binary (README "Exit codes", `blindlink_cli::failure`),
//! checked on the real binaries: the same mistake gets the same code wherever it is made,
//! and `--json` keeps stdout one JSON document.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use blindlink_testkit::{Approver, Binaries, Holder, PolicySpec, Requester, synth_population};

fn bins() -> Binaries {
    Binaries::build(false).unwrap()
}

fn output(cmd: &mut Command) -> Output {
    cmd.env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn assert_code(what: &str, out: &Output, code: i32) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{what}: {stderr}");
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_missing_audit_log_is_bad_input_in_irs_and_ice() {
    let bins = bins();
    let tmp = tempfile::tempdir().unwrap();
    let absent = tmp.path().join("absent");
    let out = output(
        bins.command("irs")
            .arg("--dir")
            .arg(&absent)
            .args(["audit", "verify"]),
    );
    assert_code("irs audit verify", &out, 2);
    let out = output(
        bins.command("ice")
            .args(["audit", "verify", "--dir"])
            .arg(&absent),
    );
    assert_code("ice audit verify", &out, 2);
}

#[test]
fn a_secret_key_readable_by_others_is_bad_input_in_irs_and_approve() {
    let bins = bins();
    let tmp = tempfile::tempdir().unwrap();
    let approver = Approver::keygen(&bins, "ice-director", &tmp.path().join("approvers")).unwrap();
    chmod(approver.key_file(), 0o644);
    let bundle = tmp.path().join("bundle.bin");
    std::fs::write(&bundle, b"not read: the key is refused first").unwrap();
    chmod(&bundle, 0o600);
    let out = output(
        bins.command("approve")
            .args(["sign", "--role", "ice-director", "--key"])
            .arg(approver.key_file())
            .arg("--bundle")
            .arg(&bundle)
            .arg("--out")
            .arg(tmp.path().join("approval.sig")),
    );
    assert_code("approve sign with a 0644 key", &out, 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ice-director.key"),
        "the refusal is about the key"
    );

    let population = tmp.path().join("population.csv");
    synth_population(&bins, 40, 7, &population).unwrap();
    let holder = Holder::new(&bins, tmp.path().join("irs"));
    holder.keygen().unwrap();
    holder.ingest(&population).unwrap();
    let requester = Requester::new(&bins, tmp.path().join("ice"), "ice-ero");
    requester.keygen().unwrap();
    let policy = tmp.path().join("policy.toml");
    let spec = PolicySpec::new()
        .approver(&approver)
        .any_of(&["ice-director"]);
    std::fs::write(&policy, spec.to_toml()).unwrap();
    chmod(&holder.dir().join("noise.key"), 0o644);
    let out = output(&mut holder.serve_command(&policy, &[&requester]).unwrap());
    assert_code("irs serve with a 0644 noise.key", &out, 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("noise.key"),
        "the message names the file"
    );
}

#[test]
fn a_bad_flag_value_is_a_usage_error_in_synth() {
    let bins = bins();
    let tmp = tempfile::tempdir().unwrap();
    let population = tmp.path().join("population.csv");
    synth_population(&bins, 10, 1, &population).unwrap();
    let out = output(
        bins.command("synth")
            .args(["request", "--count", "3", "--present-fraction", "1.5"])
            .arg("--population")
            .arg(&population)
            .arg("--out")
            .arg(tmp.path().join("r.csv"))
            .arg("--truth")
            .arg(tmp.path().join("t.csv")),
    );
    assert_code("synth --present-fraction 1.5", &out, 2);
    assert!(!tmp.path().join("r.csv").exists(), "nothing written");
}

#[test]
fn with_json_a_failure_is_one_json_object_and_a_report_is_not_followed_by_another() {
    let bins = bins();
    let tmp = tempfile::tempdir().unwrap();
    let out = output(
        bins.command("irs")
            .arg("--dir")
            .arg(tmp.path().join("absent"))
            .args(["--json", "audit", "verify"]),
    );
    assert_code("irs --json audit verify (no log)", &out, 2);
    let error: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(error["format"], "blindlink.error/1");
    assert_eq!(error["program"], "irs");
    assert_eq!(error["code"], "bad-input");
    assert_eq!(error["exit_code"], 2);
    assert!(error["message"].as_str().unwrap().contains("audit.log"));

    // A broken chain: the report is printed, the failure goes to stderr only.
    let holder = Holder::new(&bins, tmp.path().join("irs"));
    holder.keygen().unwrap();
    let log = holder.audit_log();
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, text.replacen("noise-keygen", "noise-keygeN", 1)).unwrap();
    let out = output(
        bins.command("irs")
            .arg("--dir")
            .arg(holder.dir())
            .args(["--json", "audit", "verify"]),
    );
    assert_code("irs --json audit verify (broken)", &out, 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["intact"], false, "{report}");
}
