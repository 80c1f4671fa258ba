//! Secrets, real binaries: every kind of secret file (the holder's OPRF and Noise keys,
//! the requester's Noise key, an approver's signing key, a request bundle with its
//! blinds) is refused with a clear error when its mode is wider than 0600; and the whole
//! demo flow run at trace log level writes none of their bytes to any output or log, in
//! any of the encodings a careless log line would use.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "secrets/scanner.rs"]
mod scanner;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use blindlink_protocol::bundle::RequestBundle;
use blindlink_testkit::{Binaries, PolicySpec};
use common::{World, answered, bins};

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Waits for `child` to exit (at most 60 s) and returns its output.
fn finish(mut child: Child) -> Output {
    let deadline = Instant::now() + Duration::from_secs(60);
    while matches!(child.try_wait(), Ok(None)) {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("still running after 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Runs `cmd` with `path` set to `mode` and expects a one-line refusal naming the file,
/// its mode and the fix; then restores 0600.
fn assert_refused(mut cmd: Command, path: &Path, mode: u32) {
    set_mode(path, mode);
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = finish(child);
    set_mode(path, 0o600);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "{} accepted at {mode:o}",
        path.display()
    );
    // The error is the last line (a warning may precede it).
    let error = stderr.trim().lines().last().unwrap_or("");
    for expected in [
        path.display().to_string(),
        format!("mode {mode:04o}"),
        "chmod 600".to_owned(),
    ] {
        assert!(error.contains(&expected), "{expected:?} not in {stderr}");
    }
}

#[test]
fn every_secret_file_wider_than_0600_is_refused_with_a_clear_error() {
    let w = World::new();
    let (request, _) = w.request("r", 20, 2, "realistic");
    let bundle = w.prepare(&request, "r.bundle");
    let approval = w.sign(&w.secretary, &bundle.bundle);
    let policy = w.path("policy.toml");
    w.policy().write(&policy).unwrap();
    let serve = || w.holder.serve_command(&policy, &[&w.ice]).unwrap();
    let epoch = std::fs::read_to_string(w.holder.dir().join("current-epoch")).unwrap();
    let oprf_key = w
        .holder
        .dir()
        .join("epochs")
        .join(epoch.trim())
        .join("oprf.key");
    let approver_key = w.path("approvers").join("dhs-secretary.key");
    let sign = |bundle: &Path| {
        let mut cmd = w.bins.command("approve");
        cmd.arg("sign")
            .arg("--bundle")
            .arg(bundle)
            .arg("--key")
            .arg(&approver_key)
            .args(["--role", "dhs-secretary", "--force", "--out"])
            .arg(w.path("again.approval.json"));
        cmd
    };
    let query = || {
        let mut cmd = w.bins.command("ice");
        cmd.arg("query")
            .arg("--dir")
            .arg(w.ice.dir())
            .arg("--bundle")
            .arg(&bundle.bundle)
            .arg("--approval")
            .arg(&approval)
            .arg("--holder")
            .arg(w.holder.holder_json())
            .args(["--connect", "127.0.0.1:9", "--force", "--results"])
            .arg(w.path("r.results.csv"));
        cmd
    };

    for mode in [0o644, 0o640, 0o604, 0o660, 0o700 | 0o010] {
        assert_refused(serve(), &w.holder.dir().join("noise.key"), mode);
        assert_refused(serve(), &oprf_key, mode);
        assert_refused(serve(), &w.holder.dir().join("identity.key"), mode);
        assert_refused(sign(&bundle.bundle), &approver_key, mode);
        assert_refused(sign(&bundle.bundle), &bundle.bundle, mode);
        assert_refused(query(), &w.ice.dir().join("noise.key"), mode);
        assert_refused(query(), &bundle.bundle, mode);
    }
    let mut review = w.bins.command("approve");
    review.arg("review").arg("--bundle").arg(&bundle.bundle);
    assert_refused(review, &bundle.bundle, 0o644);

    // At 0600 (and stricter) the same files work.
    set_mode(&bundle.bundle, 0o400);
    let server = w.serve();
    answered(w.query(&server, &bundle.bundle, &[&approval]));
}

/// Every output of every process of a run, labelled.
struct Transcript {
    bins: Binaries,
    logs: Vec<(String, Vec<u8>)>,
}

impl Transcript {
    /// `name args...` at trace level; keeps stdout and stderr; fails unless `ok` matches.
    fn run(&mut self, name: &str, args: &[&str], ok: bool) -> Output {
        let mut cmd = self.bins.command(name);
        cmd.args(args).env("RUST_LOG", "trace").stdin(Stdio::null());
        let out = cmd.output().unwrap();
        let label = format!("{name} {}", args.join(" "));
        assert_eq!(
            out.status.success(),
            ok,
            "{label}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.logs
            .push((format!("{label} (stdout)"), out.stdout.clone()));
        self.logs
            .push((format!("{label} (stderr)"), out.stderr.clone()));
        out
    }
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The 32 key bytes of a one-line key file `<label> <64 hex>`.
fn key_file_secret(path: &Path) -> [u8; 32] {
    let text = std::fs::read_to_string(path).unwrap();
    let hex = text.split_whitespace().nth(1).unwrap();
    let mut key = [0u8; 32];
    hex::decode_to_slice(hex, &mut key).unwrap();
    key
}

/// The blinds of a bundle file: its last `32 * n` bytes (bundle format v1).
fn bundle_blinds(path: &Path) -> Vec<[u8; 32]> {
    let bytes = std::fs::read(path).unwrap();
    let n = RequestBundle::from_bytes(&bytes).unwrap().element_count();
    let blinds = &bytes[bytes.len() - 32 * n..];
    blinds
        .chunks_exact(32)
        .map(|c| c.try_into().unwrap())
        .collect()
}

#[test]
fn no_secret_appears_in_any_output_at_trace_level() {
    let bins = bins();
    let tmp = tempfile::tempdir().unwrap();
    let p = |name: &str| tmp.path().join(name);
    let mut t = Transcript {
        bins: bins.clone(),
        logs: Vec::new(),
    };
    let (irs, ice, approvers) = (p("irs"), p("ice"), p("approvers"));
    let population = p("population.csv");
    t.run(
        "synth",
        &[
            "population",
            "--count",
            "1500",
            "--seed",
            "4",
            "--out",
            s(&population),
        ],
        true,
    );
    t.run("irs", &["--dir", s(&irs), "keygen"], true);
    t.run(
        "irs",
        &["--dir", s(&irs), "ingest", "--input", s(&population)],
        true,
    );
    t.run("ice", &["keygen", "--dir", s(&ice)], true);
    let keygen = t.run(
        "approve",
        &["keygen", "--role", "dhs-secretary", "--out", s(&approvers)],
        true,
    );
    let approver_public = String::from_utf8(keygen.stdout).unwrap();
    let policy = p("policy.toml");
    PolicySpec::new()
        .approver_key("dhs-secretary", approver_public.trim())
        .any_of(&["dhs-secretary"])
        .write(&policy)
        .unwrap();
    t.run(
        "irs",
        &["--dir", s(&irs), "policy", "apply", s(&policy)],
        true,
    );
    let identity = irs.join("identity.pub");
    t.run(
        "ice",
        &["pin-holder", "--dir", s(&ice), "--identity", s(&identity)],
        true,
    );

    let (request, truth) = (p("request.csv"), p("truth.csv"));
    t.run(
        "synth",
        &[
            "request",
            "--population",
            s(&population),
            "--count",
            "40",
            "--seed",
            "5",
            "--profile",
            "realistic",
            "--out",
            s(&request),
            "--truth",
            s(&truth),
        ],
        true,
    );
    let holder_json = irs.join("holder.json");
    let prepare = |t: &mut Transcript, name: &str| {
        let bundle = p(name);
        t.run(
            "ice",
            &[
                "prepare",
                "--dir",
                s(&ice),
                "--request",
                s(&request),
                "--holder",
                s(&holder_json),
                "--requester-id",
                "ice-ero",
                "--legal-basis",
                "test",
                "--out",
                s(&bundle),
                "--manifest-out",
                s(&bundle.with_extension("manifest.json")),
            ],
            true,
        );
        bundle
    };
    let bundle = prepare(&mut t, "one.bundle");
    let other = prepare(&mut t, "two.bundle");
    let key = approvers.join("dhs-secretary.key");
    t.run("approve", &["review", "--bundle", s(&bundle)], true);
    let approval = p("one.approval.json");
    t.run(
        "approve",
        &[
            "sign",
            "--bundle",
            s(&bundle),
            "--key",
            s(&key),
            "--role",
            "dhs-secretary",
            "--out",
            s(&approval),
        ],
        true,
    );

    let (serve_out, serve_err) = (p("serve.stdout"), p("serve.stderr"));
    let mut server = bins
        .command("irs")
        .args(["--dir", s(&irs), "serve", "--listen", "127.0.0.1:0"])
        .arg("--allow-requester")
        .arg(format!("ice-ero={}", s(&ice.join("noise.pub"))))
        .env("RUST_LOG", "trace")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&serve_out).unwrap())
        .stderr(std::fs::File::create(&serve_err).unwrap())
        .spawn()
        .unwrap();
    let addr = wait_for_address(&serve_out);
    let results = p("results.csv");
    let query = |t: &mut Transcript, bundle: &Path, approvals: &[&Path], ok: bool| {
        let mut args = vec![
            "query",
            "--dir",
            s(&ice),
            "--bundle",
            s(bundle),
            "--holder",
            s(&holder_json),
            "--connect",
            addr.as_str(),
            "--force",
            "--results",
            s(&results),
        ];
        for a in approvals {
            args.extend(["--approval", s(a)]);
        }
        t.run("ice", &args, ok)
    };
    query(&mut t, &bundle, &[&approval], true);
    let replayed = query(&mut t, &bundle, &[&approval], false);
    assert!(String::from_utf8_lossy(&replayed.stderr).contains("(replayed)"));
    // Without an approval: refused (by ice or by the holder, either way an error path).
    query(&mut t, &other, &[], false);
    t.run("irs", &["--dir", s(&irs), "audit", "verify"], true);
    t.run("ice", &["audit", "verify", "--dir", s(&ice)], true);
    let _ = server.kill();
    let _ = server.wait();
    for (label, path) in [
        ("irs serve (stdout)", serve_out),
        ("irs serve (stderr)", serve_err),
        ("irs audit.log", irs.join("audit.log")),
        ("ice audit.log", ice.join("audit.log")),
    ] {
        t.logs
            .push((label.to_owned(), std::fs::read(&path).unwrap()));
    }

    // The secrets of every party.
    let epoch = std::fs::read_to_string(irs.join("current-epoch")).unwrap();
    let mut secrets = vec![
        ("irs noise.key", key_file_secret(&irs.join("noise.key"))),
        (
            "irs identity.key",
            key_file_secret(&irs.join("identity.key")),
        ),
        (
            "irs oprf.key",
            key_file_secret(&irs.join("epochs").join(epoch.trim()).join("oprf.key")),
        ),
        ("ice noise.key", key_file_secret(&ice.join("noise.key"))),
        ("approver key", key_file_secret(&key)),
    ];
    for b in [&bundle, &other] {
        secrets.extend(bundle_blinds(b).into_iter().map(|blind| ("blind", blind)));
    }
    assert!(secrets.len() > 40, "{} secrets", secrets.len());

    // The logs are real trace-level logs, and the scanner finds what is public in them.
    let all: Vec<u8> = t.logs.iter().flat_map(|(_, l)| l.clone()).collect();
    let text = String::from_utf8_lossy(&all);
    // The default level is `warn`: INFO lines show that RUST_LOG=trace took effect.
    let levels: Vec<&str> = ["TRACE", "DEBUG", "INFO"]
        .into_iter()
        .filter(|level| text.contains(level))
        .collect();
    eprintln!("log levels seen: {levels:?}");
    assert!(!levels.is_empty(), "no log output below warn: {text}");
    let noise_pub = key_file_secret(&irs.join("noise.pub"));
    assert!(
        scanner::find(&all, &noise_pub).is_some(),
        "the holder's public Noise key should appear (keygen prints it)"
    );

    for (label, log) in &t.logs {
        for (kind, secret) in &secrets {
            if let Some(encoding) = scanner::find(log, secret) {
                panic!("{kind} found in {label} ({encoding})");
            }
        }
    }
}

fn wait_for_address(stdout: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let text = std::fs::read_to_string(stdout).unwrap_or_default();
        if let Some(line) = text.lines().find_map(|l| l.strip_prefix("listening on ")) {
            return line.trim().to_owned();
        }
        assert!(Instant::now() < deadline, "irs serve did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
}
