//! The subcommands and what they share: loading and checking a bundle, the clock.

pub mod keygen;
pub mod review;
pub mod sign;

use std::path::Path;

use blindlink_protocol::bundle::{BundleSummary, RequestBundle};

use blindlink_cli::{Blame, Failure};

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

pub use blindlink_cli::output::{now_or_clock, print_json, refuse_overwrite, rfc3339};
