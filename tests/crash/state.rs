//! What the crash tests check after each kill: the audit log (verified, a torn last
//! line repaired only after confirmation), the current set (decoded strictly),
//! `holder.json`, leftover temporary files; and the seeded RNG and tallies.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use blindlink_core::fingerprint::EncodedSet;
use blindlink_protocol::holder_info::HolderInfo;
use blindlink_testkit::{Holder, run};
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::common::bins;

pub fn iterations() -> usize {
    std::env::var("BLINDLINK_CRASH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10)
}

pub fn seeded_rng(test: &str) -> (StdRng, u64) {
    let seed = std::env::var("BLINDLINK_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("{test}: BLINDLINK_CRASH_SEED={seed}");
    (StdRng::seed_from_u64(seed), seed)
}

pub fn irs(holder: &Holder, args: &[&str]) -> Command {
    let mut cmd = bins().command("irs");
    cmd.arg("--dir").arg(holder.dir()).args(args);
    cmd
}

/// How the holder's audit log looked after a kill.
#[derive(Debug, PartialEq, Eq)]
pub enum LogAfterKill {
    /// `audit verify` passed.
    Intact,
    /// A torn last line was found and repaired.
    TornLineRepaired,
}

/// Verifies the holder's audit log. A torn last line is repaired: `repair` without
/// `--yes` and without a terminal must refuse and change nothing, `repair --yes` must
/// cut exactly the torn bytes. A broken chain fails the test.
pub fn check_log_after_kill(holder: &Holder, context: &str) -> LogAfterKill {
    let verify = |holder: &Holder| {
        let out = irs(holder, &["--json", "audit", "verify"])
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.success(), report)
    };
    let (ok, report) = verify(holder);
    assert!(
        report["broken"].is_null(),
        "{context}: chain broken: {report}"
    );
    if ok {
        assert_eq!(report["intact"], true, "{context}: {report}");
        return LogAfterKill::Intact;
    }
    let torn = &report["torn_tail"];
    let offset = torn["offset"].as_u64().expect("torn tail offset");
    let before = std::fs::read(holder.audit_log()).unwrap();

    let unconfirmed = irs(holder, &["audit", "repair"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(unconfirmed.status.code(), Some(2), "{context}");
    let stderr = String::from_utf8_lossy(&unconfirmed.stderr);
    assert!(stderr.contains("--yes"), "{context}: {stderr}");
    assert_eq!(std::fs::read(holder.audit_log()).unwrap(), before);

    run(&mut irs(holder, &["audit", "repair", "--yes"])).unwrap();
    let after = std::fs::read(holder.audit_log()).unwrap();
    assert_eq!(
        after,
        before[..offset as usize],
        "{context}: repair cut more"
    );
    let (ok, report) = verify(holder);
    assert!(ok, "{context}: still not intact after repair: {report}");
    LogAfterKill::TornLineRepaired
}

/// The current epoch's `set.bin`, decoded strictly; its content hash.
pub fn current_set_hash(holder: &Holder) -> [u8; 32] {
    let epoch = std::fs::read_to_string(holder.dir().join("current-epoch")).unwrap();
    let path = holder
        .dir()
        .join("epochs")
        .join(epoch.trim_end())
        .join("set.bin");
    let bytes = std::fs::read(&path).unwrap();
    let set = EncodedSet::from_bytes(&bytes, u64::MAX)
        .unwrap_or_else(|e| panic!("{} does not decode: {e}", path.display()));
    set.content_hash()
}

pub fn holder_info(holder: &Holder) -> HolderInfo {
    let bytes = std::fs::read(holder.holder_json()).unwrap();
    let identity = blindlink_store::key_file::read::<blindlink_store::key_file::IdentityPublic>(
        &holder.identity_public_key_file(),
    )
    .unwrap();
    blindlink_protocol::statement::UnverifiedStatement::from_json(&bytes)
        .and_then(|s| s.verify(&identity, u64::MAX / 2, u64::MAX / 2))
        .expect("holder.json is a whole, validly signed file")
        .body()
        .epoch
        .clone()
}

/// Leftover `.<name>.<pid>.tmp` files anywhere in the state directory.
pub fn temp_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "tmp") {
                out.push(path);
            }
        }
    }
    out
}

/// Tallies of what the kills left behind, printed at the end.
#[derive(Debug, Default)]
pub struct Observed(pub BTreeMap<&'static str, usize>);

impl Observed {
    pub fn add(&mut self, what: &'static str) {
        *self.0.entry(what).or_insert(0) += 1;
    }
}
