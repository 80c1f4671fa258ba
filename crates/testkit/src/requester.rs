//! The requester ([`Requester`], an `ice` state directory) and the approvers
//! ([`Approver`], `approve` keys), each driven through its binary.
//!
//! [`Requester::query`] returns a refusal by the holder as a value ([`QueryOutcome`]),
//! since showing refusals is much of what the demo and the tests do.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use super::{
    AuditCheck, Binaries, LocalError, audit_check, describe, first_line, output, parse_json, run,
};

/// What [`Requester::prepare`] needs besides the requester.
#[derive(Clone, Debug)]
pub struct Prepare<'a> {
    /// The request CSV.
    pub request: &'a Path,
    /// The holder's `holder.json`.
    pub holder_json: &'a Path,
    /// Where the bundle goes (its manifest goes next to it, `.manifest.json`).
    pub bundle: &'a Path,
    /// Legal basis shown to approvers.
    pub legal_basis: &'a str,
    /// Issue time (unix seconds) instead of the clock.
    pub now: Option<u64>,
    /// Validity, e.g. `24h` (ice's default when `None`).
    pub valid_for: Option<&'a str>,
}

/// A prepared bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prepared {
    /// The bundle file.
    pub bundle: PathBuf,
    /// The manifest file for approvers.
    pub manifest: PathBuf,
    /// The request id (hex).
    pub request_id: String,
    /// Records in the request.
    pub records: u64,
    /// Blinded elements.
    pub elements: u64,
}

/// One `ice query`.
#[derive(Clone, Debug)]
pub struct Query<'a> {
    /// `HOST:PORT` of the holder.
    pub addr: &'a str,
    /// The holder's `holder.json` (its Noise key is pinned from it).
    pub holder_json: &'a Path,
    /// The bundle.
    pub bundle: &'a Path,
    /// Approval files.
    pub approvals: Vec<&'a Path>,
    /// Where the results CSV goes (replaced if present).
    pub results: &'a Path,
    /// Neither use nor update the cached set.
    pub no_cache: bool,
}

/// What `ice query --json` reports after an answered request.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct QueryReport {
    /// Request id (hex).
    pub request_id: String,
    /// Records in the request.
    pub records: u64,
    /// Blinded elements sent.
    pub elements: u64,
    /// Records that matched on some rule.
    pub matched_records: u64,
    /// Matched records by their strongest rule.
    pub matched_by_rule: BTreeMap<String, u64>,
    /// Whether the holder confirmed the cached set instead of sending it.
    pub set_from_cache: bool,
    /// Fingerprints in the holder's set.
    pub set_size: u64,
    /// Bytes the requester wrote to the connection.
    pub bytes_sent: u64,
    /// Bytes it read.
    pub bytes_received: u64,
    /// Seconds per phase.
    pub seconds: BTreeMap<String, f64>,
    /// The results CSV.
    pub results: String,
}

/// How an `ice query` ended.
#[derive(Clone, Debug, PartialEq)]
pub enum QueryOutcome {
    /// The holder answered; results were written.
    Answered(QueryReport),
    /// The holder refused, with its stable code and message.
    Refused {
        /// e.g. `replayed`.
        code: String,
        /// The holder's reason.
        message: String,
    },
    /// `ice` failed otherwise (its own checks, the channel, the key pinning): its
    /// error line.
    Failed(String),
}

impl QueryOutcome {
    /// The report, or an error naming what happened instead.
    pub fn answered(self) -> Result<QueryReport, LocalError> {
        match self {
            QueryOutcome::Answered(report) => Ok(report),
            other => Err(LocalError::Unexpected {
                command: "ice query".into(),
                message: format!("expected an answer, got {other}"),
            }),
        }
    }
}

impl std::fmt::Display for QueryOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryOutcome::Answered(r) => {
                write!(f, "{} of {} records matched", r.matched_records, r.records)
            }
            QueryOutcome::Refused { code, message } => write!(f, "refused: {message} ({code})"),
            QueryOutcome::Failed(line) => write!(f, "failed: {line}"),
        }
    }
}

const REFUSED_PREFIX: &str = "the holder refused the request: ";

/// Reads `MESSAGE (CODE)` after [`REFUSED_PREFIX`].
fn parse_refusal(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix(REFUSED_PREFIX)?;
    let (message, code) = rest.strip_suffix(')')?.rsplit_once(" (")?;
    Some((code.to_owned(), message.to_owned()))
}

/// The requester: one `ice` state directory and the requester id the holder knows it by.
#[derive(Clone, Debug)]
pub struct Requester {
    bins: Binaries,
    dir: PathBuf,
    id: String,
}

impl Requester {
    /// The requester `id` whose state lives in `dir` (created by [`Requester::keygen`]).
    pub fn new(bins: &Binaries, dir: impl Into<PathBuf>, id: &str) -> Requester {
        Requester {
            bins: bins.clone(),
            dir: dir.into(),
            id: id.to_owned(),
        }
    }

    /// The requester id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The state directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The Noise public key file the holder allows.
    pub fn noise_public_key_file(&self) -> PathBuf {
        self.dir.join("noise.pub")
    }

    /// `ice WORDS... --dir DIR`.
    fn ice(&self, words: &[&str]) -> Command {
        let mut cmd = self.bins.command("ice");
        cmd.args(words).arg("--dir").arg(&self.dir);
        cmd
    }

    /// `ice keygen --requester-id ID`: the key, and the id `ice prepare` checks.
    pub fn keygen(&self) -> Result<(), LocalError> {
        run(&mut self.ice(&["keygen", "--requester-id", &self.id])).map(drop)
    }

    /// `ice pin-holder`: pins `holder`'s identity key (as given out of band).
    pub fn pin(&self, holder: &super::Holder) -> Result<(), LocalError> {
        let mut cmd = self.ice(&["pin-holder"]);
        cmd.arg("--identity")
            .arg(holder.identity_public_key_file())
            .arg("--force");
        run(&mut cmd).map(drop)
    }

    /// `ice prepare`: the bundle and its manifest.
    pub fn prepare(&self, p: &Prepare<'_>) -> Result<Prepared, LocalError> {
        #[derive(Deserialize)]
        struct Summary {
            record_count: u64,
            element_count: u64,
        }
        #[derive(Deserialize)]
        struct Report {
            request_id: String,
            summary: Summary,
        }
        let manifest = p.bundle.with_extension("manifest.json");
        let mut cmd = self.ice(&["prepare"]);
        cmd.arg("--request")
            .arg(p.request)
            .arg("--holder")
            .arg(p.holder_json)
            .args(["--requester-id", &self.id, "--legal-basis", p.legal_basis])
            .arg("--out")
            .arg(p.bundle)
            .arg("--manifest-out")
            .arg(&manifest)
            .args(["--force", "--json"]);
        if let Some(now) = p.now {
            cmd.args(["--now", &now.to_string()]);
        }
        if let Some(valid_for) = p.valid_for {
            cmd.args(["--valid-for", valid_for]);
        }
        let out = run(&mut cmd)?;
        let report: Report = parse_json(&cmd, &out)?;
        Ok(Prepared {
            bundle: p.bundle.to_path_buf(),
            manifest,
            request_id: report.request_id,
            records: report.summary.record_count,
            elements: report.summary.element_count,
        })
    }

    /// `ice query --json`; a refusal or an `ice` error is an outcome, not an error.
    pub fn query(&self, q: &Query<'_>) -> Result<QueryOutcome, LocalError> {
        let mut cmd = self.ice(&["query"]);
        cmd.arg("--bundle").arg(q.bundle);
        for approval in &q.approvals {
            cmd.arg("--approval").arg(approval);
        }
        cmd.arg("--holder")
            .arg(q.holder_json)
            .args(["--connect", q.addr])
            .arg("--results")
            .arg(q.results)
            .args(["--force", "--json"]);
        if q.no_cache {
            cmd.arg("--no-cache");
        }
        let out = output(&mut cmd)?;
        if out.status.success() {
            return parse_json(&cmd, &out).map(QueryOutcome::Answered);
        }
        let line = first_line(&out.stderr);
        Ok(match parse_refusal(&line) {
            Some((code, message)) => QueryOutcome::Refused { code, message },
            None => QueryOutcome::Failed(line),
        })
    }

    /// `ice audit verify`.
    pub fn verify_audit(&self) -> Result<AuditCheck, LocalError> {
        audit_check(self.ice(&["audit", "verify"]).arg("--json"))
    }
}

/// An approver: a role and an `approve` key pair.
#[derive(Clone, Debug)]
pub struct Approver {
    bins: Binaries,
    role: String,
    key: PathBuf,
    public_key: String,
}

impl Approver {
    /// `approve keygen --role ROLE --out DIR`.
    pub fn keygen(bins: &Binaries, role: &str, dir: &Path) -> Result<Approver, LocalError> {
        let mut cmd = bins.command("approve");
        cmd.args(["keygen", "--role", role, "--out"]).arg(dir);
        run(&mut cmd)?;
        let pub_file = dir.join(format!("{role}.pub"));
        let text = std::fs::read_to_string(&pub_file).map_err(|source| LocalError::File {
            path: pub_file.clone(),
            source,
        })?;
        let public_key = text
            .split_whitespace()
            .nth(1)
            .filter(|k| k.len() == 64)
            .ok_or_else(|| LocalError::Unexpected {
                command: describe(&cmd),
                message: format!("{} holds no public key", pub_file.display()),
            })?
            .to_owned();
        Ok(Approver {
            bins: bins.clone(),
            role: role.to_owned(),
            key: dir.join(format!("{role}.key")),
            public_key,
        })
    }

    /// The role.
    pub fn role(&self) -> &str {
        &self.role
    }

    /// The secret key file (`approve keygen`'s `ROLE.key`).
    pub fn key_file(&self) -> &Path {
        &self.key
    }

    /// The Ed25519 public key, hex, as the policy lists it.
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// `approve sign`: checks `bundle` and writes the approval to `out`; `now` replaces
    /// the clock.
    pub fn sign(&self, bundle: &Path, out: &Path, now: Option<u64>) -> Result<(), LocalError> {
        let mut cmd = self.bins.command("approve");
        cmd.arg("sign")
            .arg("--bundle")
            .arg(bundle)
            .arg("--key")
            .arg(&self.key)
            .args(["--role", &self.role])
            .arg("--out")
            .arg(out)
            .arg("--force");
        if let Some(now) = now {
            cmd.args(["--now", &now.to_string()]);
        }
        run(&mut cmd).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_line_splits_into_code_and_message() {
        let line = "the holder refused the request: request id ab (x) was already used (replayed)";
        assert_eq!(
            parse_refusal(line),
            Some((
                "replayed".to_owned(),
                "request id ab (x) was already used".to_owned()
            ))
        );
        assert_eq!(parse_refusal("connection to the holder failed: eof"), None);
    }
}
