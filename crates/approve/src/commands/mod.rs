//! The subcommands and what they share: loading and checking a bundle, the clock.

pub mod keygen;
pub mod review;
pub mod sign;

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use blindlink_protocol::bundle::{BundleSummary, RequestBundle};
use serde::Serialize;

use crate::failure::{Blame, Failure};

/// Reads the bundle (refusing a file readable by group or others), decodes it and
/// runs the full check.
pub fn load_checked_bundle(path: &Path) -> Result<(RequestBundle, BundleSummary), Failure> {
    let shown = path.display().to_string();
    let bytes = blindlink_store::read_secret(path).input(format!("cannot read bundle {shown}"))?;
    let bundle =
        RequestBundle::from_bytes(&bytes).input(format!("{shown} is not a valid bundle"))?;
    tracing::info!(
        records = bundle.records().len(),
        elements = bundle.element_count(),
        "checking bundle {shown}"
    );
    let summary = bundle
        .check()
        .input(format!("bundle {shown} failed the check"))?;
    Ok((bundle, summary))
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

/// A unix time as RFC 3339 UTC text.
pub fn rfc3339(unix: u64) -> String {
    UNIX_EPOCH
        .checked_add(Duration::from_secs(unix))
        .map(|t| humantime::format_rfc3339_seconds(t).to_string())
        .unwrap_or_else(|| format!("{unix} (unix seconds)"))
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
