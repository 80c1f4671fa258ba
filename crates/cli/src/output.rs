//! Output and time helpers shared by the commands.

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

/// Prints a value as pretty JSON on stdout, through the one writer
/// ([`crate::stdout`]): a closed stdout is never a panic.
pub fn print_json(value: &impl Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).other("cannot encode JSON output")?;
    crate::outln!("{text}");
    Ok(())
}

/// Prints text on stdout, through the one writer ([`crate::stdout`]).
pub fn print_text(text: &str) -> Result<(), Failure> {
    crate::out!("{text}");
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
