//! The subcommands and what they share: the state directory, the clock, output.

pub mod audit;
pub mod keygen;
pub mod prepare;
pub mod query;
mod set_cache;

use std::fs::DirBuilder;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use blindlink_protocol::audit::{AuditEvent, AuditLog, EventKind};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::failure::{Blame, Failure};

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

/// `now`, or the system clock in unix seconds.
pub fn now_or_clock(now: Option<u64>) -> Result<u64, Failure> {
    match now {
        Some(now) => Ok(now),
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .other("the system clock is before 1970"),
    }
}

/// Prints a value as pretty JSON on stdout.
pub fn print_json(value: &impl Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).other("cannot encode JSON output")?;
    println!("{text}");
    Ok(())
}

/// Refuses to replace `path` unless `force`.
pub fn refuse_overwrite(path: &Path, force: bool) -> Result<(), Failure> {
    if !force && path.exists() {
        return Err(Failure::input(anyhow::anyhow!(
            "{} already exists (use --force to replace it)",
            path.display()
        )));
    }
    Ok(())
}
