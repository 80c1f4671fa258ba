//! The subcommands and what they share: the state directory, the clock, output.

pub mod audit;
pub mod keygen;
pub mod pin;
pub mod prepare;
pub mod query;
mod receipts;
pub mod requester_id;
mod set_cache;

use std::fs::DirBuilder;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use blindlink_store::audit::{AuditEvent, AuditLog, EventKind};
use serde_json::{Map, Value};

use blindlink_cli::{Blame, Failure};

/// Name of the audit log inside the state directory.
pub const AUDIT_LOG: &str = "audit.log";

/// Creates the state directory (mode 0700) if it is missing.
pub fn ensure_state_dir(dir: &Path) -> Result<(), Failure> {
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .other(format!("cannot create state directory {}", dir.display()))
}

/// The audit log path in `dir`.
pub fn audit_path(dir: &Path) -> PathBuf {
    dir.join(AUDIT_LOG)
}

/// Opens (verifying) the audit log in `dir`, creating the directory and log.
pub fn open_audit(dir: &Path) -> Result<AuditLog, Failure> {
    ensure_state_dir(dir)?;
    AuditLog::open(audit_path(dir)).other("cannot open the audit log (see `ice audit verify`)")
}

/// Appends one event with `details` (a JSON object) at `time`; returns its seq.
pub fn audit(log: &AuditLog, time: u64, kind: EventKind, details: Value) -> Result<u64, Failure> {
    let details = match details {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    log.append(&AuditEvent {
        time,
        kind,
        details,
    })
    .other("cannot append to the audit log")
}

pub use blindlink_cli::output::{now_or_clock, print_json, refuse_overwrite};
