//! Output and time helpers shared by the commands.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::failure::{Blame, Failure};

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

/// A unix time as RFC 3339 UTC text.
pub fn rfc3339(unix: u64) -> String {
    UNIX_EPOCH
        .checked_add(Duration::from_secs(unix))
        .map(|t| humantime::format_rfc3339_seconds(t).to_string())
        .unwrap_or_else(|| format!("{unix} (unix seconds)"))
}

/// Prints a value as pretty JSON on stdout. A closed stdout (a pipe whose reader left)
/// is not an error worth a panic: the output is simply not read.
pub fn print_json(value: &impl Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).other("cannot encode JSON output")?;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}") {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).other("cannot write to stdout")
        }
        _ => Ok(()),
    }
}

/// Prints text on stdout. As with [`print_json`], a reader that left early (`| head`)
/// is not an error and never a panic.
pub fn print_text(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).other("cannot write to stdout")
        }
        _ => Ok(()),
    }
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
