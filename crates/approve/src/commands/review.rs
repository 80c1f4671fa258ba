//! `approve review`: check a bundle and show its summary.

use blindlink_protocol::bundle::BundleSummary;
use serde::Serialize;

use super::{load_checked_bundle, now_or_clock, print_json, rfc3339};
use crate::cli::ReviewArgs;
use blindlink_cli::failure::{Blame, Failure};
use blindlink_cli::output::print_text;

#[derive(Serialize)]
struct ReviewReport<'a> {
    checked: bool,
    checked_at: u64,
    summary: &'a BundleSummary,
}

/// The text form of a checked summary with readable times.
pub fn summary_text(summary: &BundleSummary) -> String {
    format!(
        "{summary}validity          {} .. {} (UTC)\n",
        rfc3339(summary.issued_at),
        rfc3339(summary.expires_at)
    )
}

/// Runs `approve review`.
pub fn run(args: &ReviewArgs) -> Result<(), Failure> {
    let (bundle, summary) = load_checked_bundle(&args.bundle)?;
    let now = now_or_clock(args.now)?;
    bundle.validity_at(now).input(format!(
        "bundle {} cannot be signed now",
        args.bundle.display()
    ))?;
    if args.json {
        return print_json(&ReviewReport {
            checked: true,
            checked_at: now,
            summary: &summary,
        });
    }
    let mut text = summary_text(&summary);
    text.push_str(
        "check             OK: every key, blinded element, the digest and the references root were recomputed\n",
    );
    print_text(&text)?;
    Ok(())
}
