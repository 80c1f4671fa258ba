#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The real `ice` binary in temporary directories: keygen, prepare (with an approval
//! made through the library on its output), and the audit log commands.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use blindlink_core::match_key::RuleSet;
use blindlink_core::oprf::SecretKey;
use blindlink_protocol::approval::{ApproverSigningKey, Role};
use blindlink_protocol::bundle::RequestBundle;
use blindlink_protocol::holder_info::HolderInfo;
use blindlink_protocol::identity::IdentityKey;
use blindlink_protocol::manifest::{KeyEpoch, Manifest};
use blindlink_protocol::policy::Limits;
use blindlink_protocol::statement::{HolderStatement, PublishedPolicy, StatementBody};
use blindlink_store::audit::{self, EventKind, parse_line};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tempfile::TempDir;

const HEADER: &str = "record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob,case_ref,final_order_ref";
const NOW: u64 = 1_750_000_000;

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn ice(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ice"))
        .current_dir(dir)
        .args(args)
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
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

struct Workspace {
    dir: TempDir,
}

impl Workspace {
    /// A temp dir with holder.json (rules R1, R2) and a three-row request.csv whose
    /// last record yields no key.
    fn new() -> Workspace {
        let ws = Workspace {
            dir: tempfile::tempdir().unwrap(),
        };
        let oprf = SecretKey::generate(&mut StdRng::seed_from_u64(1)).public_key();
        // A statement signed by a holder identity key that the requester pins.
        let identity = IdentityKey::generate(&mut StdRng::seed_from_u64(2));
        let body = StatementBody {
            identity_public_key: identity.public_key(),
            epoch: HolderInfo {
                key_epoch: KeyEpoch::from_bytes([5u8; 16]),
                oprf_public_key: oprf.to_bytes(),
                noise_public_key: [9u8; 32],
                set_size: 1000,
                fingerprint_bits: 60,
                rules: RuleSet::default_policy(),
                set_hash: [3u8; 32],
            },
            policy: Some(PublishedPolicy {
                digest: [4u8; 32],
                limits: Limits::default(),
            }),
            issued_at: now_secs() - 60,
            valid_until: now_secs() + 86_400,
        };
        let statement = HolderStatement::sign(body, &identity);
        std::fs::write(ws.path("holder.json"), statement.to_json()).unwrap();
        let pin = ws.run(&["pin-holder", "--identity", &identity.public_key().to_hex()]);
        assert!(pin.status.success(), "{}", stderr(&pin));
        ws.write_request(&[
            "A-1,Ana Maria,Silva,,5 Oak Rd,,Boston,MA,02134,1970-01-01,CASE-1,FO-1",
            "A-2,Wei,Chen,,77 Pine St Apt 2,,New York,NY,10001,,CASE-2,FO-2",
            "A-3,J.,Doe,,7 Elm St,,Austin,TX,73301,,CASE-3,FO-3",
        ]);
        ws
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write_request(&self, rows: &[&str]) {
        let text = format!("{HEADER}\n{}\n", rows.join("\n"));
        std::fs::write(self.path("request.csv"), text).unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        ice(self.dir.path(), args)
    }

    fn prepare(&self, extra: &[&str]) -> Output {
        let now = NOW.to_string();
        let mut args = vec![
            "prepare",
            "--request",
            "request.csv",
            "--holder",
            "holder.json",
            "--requester-id",
            "ice-hsi-newark",
            "--legal-basis",
            "ex parte order 24-MJ-0003",
            "--now",
            &now,
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    fn audit_lines(&self) -> Vec<String> {
        std::fs::read_to_string(self.path("ice-state/audit.log"))
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

#[test]
fn keygen_writes_noise_keys() {
    let ws = Workspace::new();
    let out = ws.run(&["keygen"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let secret = ws.path("ice-state/noise.key");
    assert_eq!(mode(&secret), 0o600);
    assert_eq!(mode(&ws.path("ice-state/identity.key")), 0o600);
    assert_eq!(mode(&ws.path("ice-state")), 0o700);
    let secret_text = std::fs::read_to_string(&secret).unwrap();
    let hex_secret = secret_text
        .strip_prefix("blindlink-noise-secret-key-v1 ")
        .unwrap()
        .trim_end();
    assert_eq!(hex_secret.len(), 64);
    let public_text = std::fs::read_to_string(ws.path("ice-state/noise.pub")).unwrap();
    let printed = stdout(&out);
    assert_eq!(
        public_text,
        format!("blindlink-noise-public-key-v1 {}\n", printed.trim())
    );
    // The public key is the X25519 public key of the secret.
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(hex_secret, &mut bytes).unwrap();
    let key = blindlink_protocol::wire::NoiseStaticKey::from_secret_bytes(&bytes).unwrap();
    assert_eq!(hex::encode(key.public_key()), printed.trim());

    let again = ws.run(&["keygen"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).starts_with("ice: "));
    let forced = ws.run(&["keygen", "--force", "--json", "--dir", "ice-state"]);
    assert!(forced.status.success());
    let report: serde_json::Value = serde_json::from_slice(&forced.stdout).unwrap();
    assert_ne!(report["public_key"].as_str().unwrap(), printed.trim());
    // After the pin (entry 1) and the first keygen (identity key 2, Noise key 3), the
    // forced one's identity key (4).
    assert_eq!(report["audit_seq"], 5);
}

#[test]
fn prepare_writes_a_secret_bundle_that_checks_and_can_be_approved() {
    let ws = Workspace::new();
    let out = ws.prepare(&["--valid-for", "90m"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("without keys     1 records"), "{text}");
    assert!(text.contains("A-3"), "{text}");

    let bundle_path = ws.path("bundle.bin");
    assert_eq!(mode(&bundle_path), 0o600);
    let bytes = blindlink_store::read_secret(&bundle_path).unwrap();
    let bundle = RequestBundle::from_bytes(&bytes).unwrap();
    let summary = bundle.check().unwrap();
    assert_eq!(summary.record_count, 3);
    assert_eq!(summary.records_without_keys, 1);
    assert_eq!(summary.issued_at, NOW);
    assert_eq!(summary.expires_at, NOW + 90 * 60);
    assert_eq!(summary.key_epoch.as_bytes(), &[5; 16]);
    assert_eq!(summary.records[1].case_ref, "CASE-2");

    // The public manifest is the bundle's manifest, and an approval over it verifies.
    let manifest = Manifest::from_json(&std::fs::read(ws.path("manifest.json")).unwrap()).unwrap();
    assert_eq!(&manifest, bundle.manifest());
    let signer = ApproverSigningKey::generate(&mut StdRng::seed_from_u64(2));
    let approval = signer.approve(&Role::new("ice-director").unwrap(), bundle.manifest());
    approval.verify(&manifest).unwrap();

    // The audit log records the pin, then the preparation.
    let lines = ws.audit_lines();
    assert_eq!(lines.len(), 2);
    let pin = parse_line(lines[0].as_bytes()).unwrap();
    assert_eq!(pin.event.kind, EventKind::HolderPinned);
    let entry = parse_line(lines[1].as_bytes()).unwrap();
    assert_eq!(entry.event.kind, EventKind::RequestPrepared);
    assert_eq!(entry.event.time, NOW);
    let details = &entry.event.details;
    assert_eq!(details["request_id"], manifest.request_id().to_hex());
    assert_eq!(details["records"], 3);
    assert_eq!(
        details["blinded_digest"],
        manifest.fields().blinded_digest.to_hex()
    );

    // Existing outputs are not replaced without --force; --json reports.
    let again = ws.prepare(&[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("--force"));
    let forced = ws.prepare(&["--force", "--json", "--rules", "R2"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    let report: serde_json::Value = serde_json::from_slice(&forced.stdout).unwrap();
    assert_eq!(
        report["summary"]["requested_rules"],
        serde_json::json!(["R2"])
    );
    assert_eq!(
        report["records_without_keys_ids"],
        serde_json::json!(["A-3"])
    );
    assert_eq!(report["audit_seq"], 3);
    assert!(
        audit::verify(ws.path("ice-state/audit.log"))
            .unwrap()
            .is_intact()
    );
}

#[test]
fn prepare_refuses_bad_requests() {
    let ws = Workspace::new();
    ws.write_request(&[
        "A-1,Ana,Silva,,5 Oak Rd,,Boston,MA,02134,,CASE-1,FO-1",
        "A-2,Wei,Chen,,77 Pine St,,New York,NY,10001,,,FO-2",
    ]);
    let out = ws.prepare(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim_end(),
        "ice: request.csv line 3: request row 2 (record_id \"A-2\"): case_ref is missing"
    );
    assert!(!ws.path("bundle.bin").exists());
    assert!(!ws.path("manifest.json").exists());

    ws.write_request(&["A-1,Ana,Silva,,5 Oak Rd,,Boston,MA,02134,,CASE-1,FO-1"]);
    let out = ws.prepare(&["--rules", "R1,R4"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("R4 which the holder does not answer"));

    let out = ws.prepare(&["--valid-for", "soon"]);
    assert_eq!(out.status.code(), Some(2));

    std::fs::write(ws.path("request.csv"), "id,name\n1,x\n").unwrap();
    let out = ws.prepare(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("header must be"), "{}", stderr(&out));

    std::fs::write(ws.path("holder.json"), "{\"key_epoch\":\"00\"}").unwrap();
    let out = ws.prepare(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("holder.json"), "{}", stderr(&out));
}

#[test]
fn audit_verify_and_repair() {
    let ws = Workspace::new();
    assert!(ws.prepare(&[]).status.success());
    assert!(ws.prepare(&["--force"]).status.success());
    let verify = ws.run(&["audit", "verify"]);
    assert!(verify.status.success(), "{}", stderr(&verify));
    assert!(stdout(&verify).contains("entries    3"));

    // A torn last line: reported, refused without --yes off a terminal, then removed.
    let log = ws.path("ice-state/audit.log");
    let intact = std::fs::read(&log).unwrap();
    let mut torn = intact.clone();
    torn.extend_from_slice(b"{\"seq\":4,\"ti");
    std::fs::write(&log, &torn).unwrap();
    let verify = ws.run(&["audit", "verify", "--json"]);
    assert_eq!(verify.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert_eq!(report["torn_tail"]["line"], 4);
    assert_eq!(report["entries"], 3);
    let refused = ws.run(&["audit", "repair"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("--yes"));
    assert_eq!(std::fs::read(&log).unwrap(), torn);
    let repaired = ws.run(&["audit", "repair", "--yes"]);
    assert!(repaired.status.success(), "{}", stderr(&repaired));
    assert_eq!(std::fs::read(&log).unwrap(), intact);

    // A broken chain: named, and not something repair touches.
    let edited = String::from_utf8(intact)
        .unwrap()
        .replacen("\"records\":3", "\"records\":2", 1);
    std::fs::write(&log, &edited).unwrap();
    let verify = ws.run(&["audit", "verify"]);
    assert_eq!(verify.status.code(), Some(1));
    assert!(
        stdout(&verify).contains("BROKEN     line 3"),
        "{}",
        stdout(&verify)
    );
    let repair = ws.run(&["audit", "repair", "--yes"]);
    assert_eq!(repair.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&log).unwrap(), edited);
    // ... and prepare refuses to append to it.
    let out = ws.prepare(&["--force"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("audit log"));
}

#[test]
fn help_everywhere() {
    let ws = Workspace::new();
    for args in [
        &["--help"][..],
        &["keygen", "--help"],
        &["prepare", "--help"],
        &["audit", "--help"],
        &["audit", "verify", "--help"],
        &["audit", "repair", "--help"],
    ] {
        let out = ws.run(args);
        assert!(out.status.success(), "{args:?}");
        assert!(stdout(&out).contains("Usage: ice"), "{args:?}");
    }
    assert_eq!(ws.run(&["prepare"]).status.code(), Some(2));
}
