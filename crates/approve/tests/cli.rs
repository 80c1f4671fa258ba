#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The real `approve` binary in temporary directories: key files and modes, review,
//! sign, and the refusals (tampered bundle, wide key mode, expiry).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{SystemTime, UNIX_EPOCH};

use blindlink_core::match_key::RuleSet;
use blindlink_core::oprf::SecretKey;
use blindlink_core::record::Record;
use blindlink_protocol::approval::Approval;
use blindlink_protocol::bundle::{PrepareParams, RequestBundle, RequestRow};
use blindlink_protocol::manifest::{LegalBasis, RequesterId};
use blindlink_store::key_file::{self, ApproverPublic};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tempfile::TempDir;

fn approve(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_approve"))
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn row(id: &str, given: &str, family: &str, street: &str, zip: &str) -> RequestRow {
    RequestRow {
        record: Record::from_fields([id, given, family, "", street, "", "City", "MA", zip, ""]),
        case_ref: format!("CASE-{id}"),
        final_order_ref: format!("FO-{id}"),
    }
}

fn bundle(issued_at: u64, expires_at: u64) -> RequestBundle {
    let rows = vec![
        row("R-1", "Ana", "Silva", "5 Oak Rd", "02134"),
        row("R-2", "Wei", "Chen", "77 Pine St Apt 2", "10001"),
    ];
    let params = PrepareParams {
        requester_id: RequesterId::new("ice-ero-boston").unwrap(),
        legal_basis: LegalBasis::new("ex parte order 24-MJ-0002").unwrap(),
        rules: RuleSet::default_policy(),
        key_epoch: [1; 16],
        holder_oprf_public_key: SecretKey::generate(&mut StdRng::seed_from_u64(1))
            .public_key()
            .to_bytes(),
        set_hash: [0x5e; 32],
        issued_at,
        expires_at,
    };
    RequestBundle::prepare(rows, params, &mut StdRng::seed_from_u64(2)).unwrap()
}

/// A temp dir with a current bundle (0600) and a `dhs-secretary` key from keygen.
struct Setup {
    dir: TempDir,
    bundle: RequestBundle,
}

impl Setup {
    fn new() -> Setup {
        let now = unix_now();
        let setup = Setup {
            dir: tempfile::tempdir().unwrap(),
            bundle: bundle(now - 60, now + 3600),
        };
        blindlink_store::write_secret(&setup.bundle_path(), &setup.bundle.to_bytes()).unwrap();
        let out = approve(&[
            "keygen",
            "--role",
            "dhs-secretary",
            "--out",
            setup.keys().to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        setup
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn bundle_path(&self) -> PathBuf {
        self.path("bundle.bin")
    }

    fn keys(&self) -> PathBuf {
        self.path("keys")
    }

    fn key(&self) -> PathBuf {
        self.keys().join("dhs-secretary.key")
    }

    fn sign(&self, bundle: &Path, out: &Path, extra: &[&str]) -> Output {
        let key = self.key();
        let mut args = vec![
            "sign",
            "--bundle",
            bundle.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
            "--role",
            "dhs-secretary",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        approve(&args)
    }
}

#[test]
fn keygen_writes_a_0600_secret_and_prints_the_public_key() {
    let setup = Setup::new();
    assert_eq!(mode(&setup.key()), 0o600);
    assert_eq!(mode(&setup.keys()), 0o700);
    let public = key_file::read::<ApproverPublic>(&setup.keys().join("dhs-secretary.pub")).unwrap();

    // A second keygen refuses to overwrite; --force replaces, --json reports.
    let keys = setup.keys();
    let again = approve(&[
        "keygen",
        "--role",
        "dhs-secretary",
        "--out",
        keys.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).starts_with("approve: "),
        "{}",
        stderr(&again)
    );
    assert!(stderr(&again).contains("--force"));
    let forced = approve(&[
        "keygen",
        "--role",
        "dhs-secretary",
        "--out",
        keys.to_str().unwrap(),
        "--force",
        "--json",
    ]);
    assert!(forced.status.success());
    let report: serde_json::Value = serde_json::from_slice(&forced.stdout).unwrap();
    let new_public =
        key_file::read::<ApproverPublic>(&setup.keys().join("dhs-secretary.pub")).unwrap();
    assert_eq!(report["public_key"], new_public.to_hex());
    assert_ne!(new_public, public);
    assert_eq!(mode(&setup.key()), 0o600);

    let text = approve(&[
        "keygen",
        "--role",
        "ice-director",
        "--out",
        keys.to_str().unwrap(),
    ]);
    let printed = stdout(&text);
    let director =
        key_file::read::<ApproverPublic>(&setup.keys().join("ice-director.pub")).unwrap();
    assert_eq!(printed.trim(), director.to_hex());

    let bad_role = approve(&[
        "keygen",
        "--role",
        "DHS Secretary",
        "--out",
        keys.to_str().unwrap(),
    ]);
    assert_eq!(bad_role.status.code(), Some(2));
    assert!(stderr(&bad_role).contains("invalid --role"));
}

#[test]
fn review_prints_the_summary() {
    let setup = Setup::new();
    let path = setup.bundle_path();
    let out = approve(&["review", "--bundle", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let manifest = setup.bundle.manifest().fields();
    for expected in [
        manifest.request_id.to_hex().as_str(),
        "criminal-investigation",
        "ex parte order 24-MJ-0002",
        "ice-ero-boston",
        "R-1",
        "CASE-R-2",
        "FO-R-1",
        "R1",
        "R2",
    ] {
        assert!(text.contains(expected), "{expected} missing in\n{text}");
    }

    let json = approve(&["review", "--bundle", path.to_str().unwrap(), "--json"]);
    assert!(json.status.success());
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["summary"]["record_count"], 2);
    assert_eq!(
        report["summary"]["element_count"],
        setup.bundle.element_count() as u64
    );
    assert_eq!(report["summary"]["records"][1]["case_ref"], "CASE-R-2");
    assert_eq!(report["summary"]["requested_rules"][1], "R2");
}

#[test]
fn sign_produces_an_approval_that_verifies() {
    let setup = Setup::new();
    let out_path = setup.path("approval.json");
    let out = setup.sign(&setup.bundle_path(), &out_path, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("signed request"));
    let approval: Approval = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    approval.verify(setup.bundle.manifest()).unwrap();
    assert_eq!(approval.role().as_str(), "dhs-secretary");
    let public = key_file::read::<ApproverPublic>(&setup.keys().join("dhs-secretary.pub")).unwrap();
    assert_eq!(approval.public_key(), &public);

    // The approval file is not replaced without --force.
    let again = setup.sign(&setup.bundle_path(), &out_path, &[]);
    assert_eq!(again.status.code(), Some(2));
    let forced = setup.sign(&setup.bundle_path(), &out_path, &["--force", "--json"]);
    assert!(forced.status.success());
    let report: serde_json::Value = serde_json::from_slice(&forced.stdout).unwrap();
    assert_eq!(
        report["request_id"],
        setup.bundle.manifest().request_id().to_hex()
    );
}

#[test]
fn sign_refuses_a_tampered_bundle() {
    let setup = Setup::new();
    // Flip one bit in blinded element 1: the file ends with n blinded elements, then
    // n blinds (see the bundle format).
    let n = setup.bundle.element_count();
    let mut bytes = setup.bundle.to_bytes().to_vec();
    let at = bytes.len() - 64 * n + 32 + 7;
    bytes[at] ^= 0x20;
    let tampered = setup.path("tampered.bin");
    blindlink_store::write_secret(&tampered, &bytes).unwrap();

    let out_path = setup.path("approval.json");
    let out = setup.sign(&tampered, &out_path, &[]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.starts_with("approve: bundle "), "{message}");
    assert!(
        message.contains("element 1: the stored blinded element is not its key blinded"),
        "{message}"
    );
    assert!(!out_path.exists());

    let review = approve(&["review", "--bundle", tampered.to_str().unwrap()]);
    assert_eq!(review.status.code(), Some(2));
    assert!(stderr(&review).contains("element 1"));

    // A record whose final order reference was blanked.
    let mut blanked = setup.bundle.to_bytes().to_vec();
    let at = blanked.windows(6).position(|w| w == b"FO-R-2").unwrap();
    blanked[at..at + 6].copy_from_slice(b"      ");
    let no_reference = setup.path("noref.bin");
    blindlink_store::write_secret(&no_reference, &blanked).unwrap();
    let out = setup.sign(&no_reference, &out_path, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("final_order_ref is empty"),
        "{}",
        stderr(&out)
    );
    assert!(!out_path.exists());
}

#[test]
fn sign_refuses_a_key_readable_by_others() {
    let setup = Setup::new();
    std::fs::set_permissions(setup.key(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let out_path = setup.path("approval.json");
    let out = setup.sign(&setup.bundle_path(), &out_path, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("mode 0644"), "{}", stderr(&out));
    assert!(!out_path.exists());
}

#[test]
fn sign_refuses_an_expired_request_and_honours_now() {
    let setup = Setup::new();
    let old = bundle(1_700_000_000, 1_700_003_600);
    let path = setup.path("old.bin");
    blindlink_store::write_secret(&path, &old.to_bytes()).unwrap();
    let out_path = setup.path("approval.json");

    let out = setup.sign(&path, &out_path, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("expired"), "{}", stderr(&out));
    assert!(!out_path.exists());

    let inside = setup.sign(&path, &out_path, &["--now", "1700001000"]);
    assert!(inside.status.success(), "{}", stderr(&inside));
    let approval: Approval = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    approval.verify(old.manifest()).unwrap();
}

#[test]
fn unreadable_or_wrong_inputs_are_input_errors() {
    let setup = Setup::new();
    let junk = setup.path("junk.bin");
    blindlink_store::write_secret(&junk, b"not a bundle").unwrap();
    let out = approve(&["review", "--bundle", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a valid bundle"));

    let missing = approve(&["review", "--bundle", "/nonexistent/bundle.bin"]);
    assert_eq!(missing.status.code(), Some(2));

    // A world-readable bundle is refused like a world-readable key.
    let open = setup.path("open.bin");
    std::fs::copy(setup.bundle_path(), &open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = approve(&["review", "--bundle", open.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));

    assert_eq!(approve(&["sign"]).status.code(), Some(2));
    for help in [
        &["--help"][..],
        &["keygen", "--help"],
        &["review", "--help"],
        &["sign", "--help"],
    ] {
        let out = approve(help);
        assert!(out.status.success());
        assert!(stdout(&out).contains("Usage: approve"));
    }
}
