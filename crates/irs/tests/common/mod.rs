//! Helpers shared by the CLI tests: run the real `irs` binary in a temp directory, and
//! write small synthetic taxpayer CSVs (made-up names).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use blindlink_core::fingerprint::EncodedSet;
use blindlink_core::oprf::SecretKey;
use blindlink_protocol::manifest::KeyEpoch;
use blindlink_store::key_file::{self, OprfSecret};

pub const HEADER: &str = "record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob";

const GIVEN: [&str; 12] = [
    "Alma", "Bruno", "Carla", "Dario", "Edda", "Fenna", "Gus", "Hilde", "Ivo", "Jutta", "Kasimir",
    "Liesl",
];
const FAMILY: [&str; 10] = [
    "Quillfeather",
    "Brackenbury",
    "Ostrander",
    "Vellacott",
    "Pennyworth",
    "Thistlewood",
    "Marchbanks",
    "Dunstable",
    "Ravensworth",
    "Fairweather",
];
const STREETS: [&str; 5] = ["Elm St", "Oak Ave", "Maple Rd", "Birch Ln", "Cedar Ct"];

/// `n` distinct synthetic people, each at their own address, as CSV rows of ten fields.
/// `salt` varies house numbers so two calls give different files.
pub fn people(n: usize, salt: usize) -> Vec<Vec<String>> {
    (0..n)
        .map(|i| {
            let given = GIVEN[i % GIVEN.len()];
            let family = FAMILY[(i / GIVEN.len()) % FAMILY.len()];
            vec![
                format!("p{salt}-{i}"),
                given.to_owned(),
                format!(
                    "{family}{}",
                    suffix_letters(i / (GIVEN.len() * FAMILY.len()))
                ),
                String::new(),
                format!("{} {}", 10 + i * 7 + salt, STREETS[i % STREETS.len()]),
                String::new(),
                "Springfield".to_owned(),
                "IL".to_owned(),
                format!("{:05}", 60_000 + (i % 97)),
                format!("19{:02}-0{}-1{}", 40 + i % 60, 1 + i % 9, i % 10),
            ]
        })
        .collect()
}

/// A distinct alphabetic tail so that more than 120 people get distinct names.
fn suffix_letters(mut k: usize) -> String {
    let mut s = String::new();
    while k > 0 {
        s.push((b'a' + (k % 26) as u8) as char);
        k /= 26;
    }
    s
}

/// CSV text: header and rows (no field needs quoting in these tests).
pub fn csv_text(rows: &[Vec<String>]) -> String {
    let mut out = format!("{HEADER}\n");
    for row in rows {
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// A temp working directory with `state/` as the irs state directory.
pub struct Workspace {
    pub tmp: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    pub fn state(&self) -> PathBuf {
        self.path("state")
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Runs `irs <args> --dir state` with stdin closed.
    pub fn irs(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_irs"))
            .args(args)
            .arg("--dir")
            .arg(self.state())
            .current_dir(self.tmp.path())
            .stdin(Stdio::null())
            .env_remove("RUST_LOG")
            .output()
            .unwrap()
    }

    /// Runs `irs` and asserts success; returns stdout.
    pub fn irs_ok(&self, args: &[&str]) -> String {
        let out = self.irs(args);
        assert!(
            out.status.success(),
            "irs {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// `irs --json <args>` parsed.
    pub fn irs_json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.irs_ok(&all)).unwrap()
    }

    /// keygen, then ingest `rows`; returns the ingest JSON.
    pub fn setup(&self, rows: &[Vec<String>]) -> serde_json::Value {
        self.irs_ok(&["keygen"]);
        let input = self.write("taxpayers.csv", &csv_text(rows));
        self.irs_json(&["ingest", "--input", input.to_str().unwrap()])
    }

    pub fn current_epoch(&self) -> KeyEpoch {
        let text = std::fs::read_to_string(self.state().join("current-epoch")).unwrap();
        KeyEpoch::from_hex(text.trim_end()).unwrap()
    }

    pub fn epoch_dir(&self, epoch: KeyEpoch) -> PathBuf {
        self.state().join("epochs").join(epoch.to_hex())
    }

    pub fn oprf_key(&self, epoch: KeyEpoch) -> SecretKey {
        key_file::read::<OprfSecret>(&self.epoch_dir(epoch).join("oprf.key")).unwrap()
    }

    pub fn set(&self, epoch: KeyEpoch) -> EncodedSet {
        let bytes = std::fs::read(self.epoch_dir(epoch).join("set.bin")).unwrap();
        EncodedSet::from_bytes(&bytes, u64::MAX).unwrap()
    }

    /// The facts of the signed `holder.json` (its `epoch` object), after checking that
    /// it verifies against the state's own identity.pub.
    pub fn holder_json(&self) -> serde_json::Value {
        let bytes = std::fs::read(self.state().join("holder.json")).unwrap();
        let identity =
            blindlink_store::key_file::read::<blindlink_store::key_file::IdentityPublic>(
                &self.state().join("identity.pub"),
            )
            .unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        blindlink_protocol::statement::UnverifiedStatement::from_json(&bytes)
            .unwrap()
            .verify(&identity, now, 0)
            .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        value["epoch"].clone()
    }
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts a failure with the given exit code and a single `irs: ` line on stderr.
pub fn assert_one_line_error(out: &Output, code: i32) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    assert!(err.starts_with("irs: "), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    err
}

/// Files in `dir` (not recursive) whose names end in `.tmp`.
pub fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}
