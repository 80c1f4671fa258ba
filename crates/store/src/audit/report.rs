//! `audit verify` and `audit repair` as both binaries (`irs`, `ice`) run them: one
//! check, one repair, one JSON shape and one text rendering.
//!
//! The JSON of `audit verify --json` (and of `irs --json audit repair`, for the log after
//! the repair):
//!
//! ```text
//! {
//!   "log": "<path of the log>",
//!   "intact": true | false,         // no broken link and no torn last line
//!   "entries": <n>,                 // entries that chain correctly from the start
//!   "head": "<64 hex>",             // SHA-256 of the last of them (64 zeros if none)
//!   "tree_root": "<64 hex>",        // RFC 9162 Merkle root of those entries (what
//!                                   // checkpoints sign; SHA-256("") if none)
//!   "broken": null | {"line": <1-based line>, "reason": "<why the chain breaks there>"},
//!   "torn_tail": null | {"line": <1-based line>, "offset": <byte offset>, "bytes": <length>},
//!   "duplicate_accepted": [{"request_id": "<32 hex>", "first_line": <n>, "line": <n>}, ...]
//! }
//! ```
//!
//! `torn_tail` is a last line without its `\n` (an append that never completed):
//! `offset` is where it starts, the length the log is cut back to by `repair`.

use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use thiserror::Error;

use super::chain::{TornLine, VerifyReport};
use super::log::{AuditError, repair, verify};

/// What verifying a log found, with the log's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogReport {
    path: PathBuf,
    report: VerifyReport,
}

/// The JSON of a [`LogReport`] (see the module doc).
#[derive(Debug, Clone, Serialize)]
pub struct ReportJson {
    /// The log file.
    pub log: PathBuf,
    /// No broken link and no torn last line.
    pub intact: bool,
    /// Entries that chain correctly from the start.
    pub entries: u64,
    /// Lowercase hex SHA-256 of the last of those lines.
    pub head: String,
    /// Lowercase hex Merkle tree root over those lines (RFC 9162 hashing).
    pub tree_root: String,
    /// The first broken link, if any.
    pub broken: Option<BrokenJson>,
    /// A torn last line, if any.
    pub torn_tail: Option<TornJson>,
    /// Request ids with more than one `decision-accepted` entry.
    pub duplicate_accepted: Vec<DuplicateJson>,
}

/// A request id accepted twice.
#[derive(Debug, Clone, Serialize)]
pub struct DuplicateJson {
    /// The request id.
    pub request_id: String,
    /// Line of its first `decision-accepted` entry.
    pub first_line: u64,
    /// Line of the repeat.
    pub line: u64,
}

/// Where and why the chain breaks.
#[derive(Debug, Clone, Serialize)]
pub struct BrokenJson {
    /// 1-based line number.
    pub line: u64,
    /// Why the chain breaks there.
    pub reason: String,
}

/// A last line without its `\n`.
#[derive(Debug, Clone, Serialize)]
pub struct TornJson {
    /// 1-based line number.
    pub line: u64,
    /// Byte offset where it starts.
    pub offset: u64,
    /// Its length in bytes.
    pub bytes: u64,
}

/// The log is not intact; the message names the problems.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("audit log {} is not intact: {problems}", path.display())]
pub struct NotIntact {
    /// The log file.
    pub path: PathBuf,
    /// The broken link and the torn last line, as text.
    pub problems: String,
}

impl LogReport {
    /// Verifies the log at `path` without changing it.
    pub fn verify(path: &Path) -> Result<LogReport, AuditError> {
        Ok(LogReport {
            path: path.to_path_buf(),
            report: verify(path)?,
        })
    }

    /// The log file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What verification found.
    pub fn report(&self) -> &VerifyReport {
        &self.report
    }

    /// The JSON shape (see the module doc).
    pub fn json(&self) -> ReportJson {
        let report = &self.report;
        ReportJson {
            log: self.path.clone(),
            intact: report.is_intact(),
            entries: report.entries,
            head: hex::encode(report.head),
            tree_root: hex::encode(report.tree.root),
            broken: report.broken.as_ref().map(|b| BrokenJson {
                line: b.line,
                reason: b.reason.to_string(),
            }),
            torn_tail: report.torn_tail.map(|t| TornJson {
                line: t.line,
                offset: t.offset,
                bytes: t.len,
            }),
            duplicate_accepted: report
                .duplicate_accepted
                .iter()
                .map(|d| DuplicateJson {
                    request_id: d.request_id.clone(),
                    first_line: d.first_line,
                    line: d.line,
                })
                .collect(),
        }
    }

    /// The text `audit verify` prints, one fact per line, problems in capitals (`BROKEN`,
    /// `TORN`); `tool` (`irs`, `ice`) names the command that repairs a torn line.
    pub fn text(&self, tool: &str) -> String {
        let report = &self.report;
        let mut out = String::new();
        let _ = writeln!(out, "audit log  {}", self.path.display());
        let _ = writeln!(out, "entries    {} chain correctly", report.entries);
        let _ = writeln!(out, "head       {}", hex::encode(report.head));
        let _ = writeln!(out, "tree root  {}", hex::encode(report.tree.root));
        if let Some(broken) = &report.broken {
            let _ = writeln!(out, "BROKEN     line {}: {}", broken.line, broken.reason);
        }
        if let Some(torn) = &report.torn_tail {
            let _ = writeln!(
                out,
                "TORN       line {} ({} bytes without a newline); `{tool} audit repair` removes it",
                torn.line, torn.len
            );
        }
        for dup in &report.duplicate_accepted {
            let _ = writeln!(
                out,
                "DUPLICATE  request {} accepted at line {} and again at line {}",
                dup.request_id, dup.first_line, dup.line
            );
        }
        if report.is_intact() {
            out.push_str("intact\n");
        }
        out
    }

    /// `Ok` if the log is intact, else what is wrong with it.
    pub fn check(&self) -> Result<(), NotIntact> {
        let mut problems = Vec::new();
        if let Some(b) = &self.report.broken {
            problems.push(format!("chain broken at line {}: {}", b.line, b.reason));
        }
        if let Some(t) = &self.report.torn_tail {
            problems.push(format!("torn last line {} ({} bytes)", t.line, t.len));
        }
        for d in &self.report.duplicate_accepted {
            problems.push(format!(
                "request {} accepted twice (lines {} and {})",
                d.request_id, d.first_line, d.line
            ));
        }
        if problems.is_empty() {
            return Ok(());
        }
        Err(NotIntact {
            path: self.path.clone(),
            problems: problems.join("; "),
        })
    }
}

/// The operator's answer to "remove the torn last line?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    /// Remove it.
    Given,
    /// Leave the log unchanged.
    Refused,
    /// Nobody could be asked (stdin is not a terminal, or could not be read).
    Unavailable,
}

impl Consent {
    /// `Given` if `yes` (the `--yes` flag), else asks `question` on the terminal: `Given`
    /// only for an explicit `y` or `yes` (any case).
    pub fn ask(yes: bool, question: &str) -> Consent {
        if yes {
            return Consent::Given;
        }
        if !std::io::stdin().is_terminal() {
            return Consent::Unavailable;
        }
        eprint!("{question} [y/N] ");
        let mut answer = String::new();
        let asked = std::io::stderr()
            .flush()
            .and_then(|()| std::io::stdin().lock().read_line(&mut answer));
        match (asked, answer.trim()) {
            (Err(_), _) => Consent::Unavailable,
            (Ok(_), a) if a.eq_ignore_ascii_case("y") || a.eq_ignore_ascii_case("yes") => {
                Consent::Given
            }
            (Ok(_), _) => Consent::Refused,
        }
    }
}

/// Why `audit repair` changed nothing.
#[derive(Debug, Error)]
pub enum RepairError {
    /// The log could not be read and verified (nothing was asked or changed).
    #[error(transparent)]
    Verify(AuditError),
    /// The log could not be locked, read again or truncated.
    #[error(transparent)]
    Repair(AuditError),
    /// The log ends in a torn line, and nobody could be asked to agree to removing it.
    #[error("stdin is not a terminal: pass --yes to remove the torn line of {}", path.display())]
    ConsentUnavailable {
        /// The log file.
        path: PathBuf,
    },
    /// The operator did not agree.
    #[error("not confirmed; {} left unchanged", path.display())]
    NotConfirmed {
        /// The log file.
        path: PathBuf,
    },
}

impl RepairError {
    /// Whether the failure is the caller's input (exit code 2 in every binary: an
    /// unreadable or missing log, no way to ask, a refused confirmation) rather than a
    /// failure to do the work (the log could not be locked or cut: exit code 1).
    pub fn is_input(&self) -> bool {
        !matches!(self, RepairError::Repair(_))
    }
}

/// What `audit repair` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairRun {
    /// The torn last line removed, if there was one.
    pub removed: Option<TornLine>,
    /// The log after the repair (a broken chain is left as it was).
    pub after: LogReport,
}

impl RepairRun {
    /// The text `audit repair` prints: what was removed, then the log's [`LogReport::text`].
    pub fn text(&self, tool: &str) -> String {
        let first = match &self.removed {
            Some(torn) => format!(
                "removed the torn last line {} ({} bytes)\n",
                torn.line, torn.len
            ),
            None => format!(
                "no torn last line in {}; nothing removed\n",
                self.after.path.display()
            ),
        };
        first + &self.after.text(tool)
    }

    /// `Ok` if the log is intact after the repair, else what is still wrong with it.
    pub fn check(&self) -> Result<(), NotIntact> {
        self.after.check().map_err(|mut e| {
            e.problems
                .push_str("; repair only removes a torn last line");
            e
        })
    }
}

/// Verifies the log at `path`; if it ends in a torn line, asks `consent` (given the
/// question to put to the operator) and, if given, truncates that line and nothing
/// else (see [`repair`]).
pub fn repair_log(
    path: &Path,
    consent: impl FnOnce(&str) -> Consent,
) -> Result<RepairRun, RepairError> {
    let before = LogReport::verify(path).map_err(RepairError::Verify)?;
    let Some(torn) = before.report.torn_tail else {
        return Ok(RepairRun {
            removed: None,
            after: before,
        });
    };
    let question = format!(
        "Remove the torn last line {} ({} bytes, an append that never completed) from {}?",
        torn.line,
        torn.len,
        path.display()
    );
    let path_buf = || path.to_path_buf();
    match consent(&question) {
        Consent::Given => {}
        Consent::Refused => return Err(RepairError::NotConfirmed { path: path_buf() }),
        Consent::Unavailable => {
            return Err(RepairError::ConsentUnavailable { path: path_buf() });
        }
    }
    let outcome = repair(path).map_err(RepairError::Repair)?;
    let removed = (outcome.removed_bytes > 0).then_some(TornLine {
        len: outcome.removed_bytes,
        ..torn
    });
    Ok(RepairRun {
        removed,
        after: LogReport {
            path: path_buf(),
            report: outcome.report,
        },
    })
}
