//! Section 8 of the demo, second half: the two parties' logs reconciled. Every answer and
//! refusal `ice` got came with the holder's signed receipt, which it verified and kept;
//! the reconcile checks each against the holder's log as it is now, and lists the
//! holder's decisions `ice` never logged. Run again on a copy of the holder's log cut
//! back by a few entries, it names the receipts the cut breaks.

use std::path::Path;

use anyhow::{Context, Result, bail};
use blindlink_testkit::tamper::cut_log;

use super::report::table;
use super::stage::{REQUESTER_ID, Stage};

/// `ice audit reconcile --json` of the requester's log against `holder_log`: the exit
/// code and the report.
fn reconcile(stage: &Stage, holder_log: &Path) -> Result<(Option<i32>, serde_json::Value)> {
    let mut cmd = stage.bins.command("ice");
    cmd.args(["audit", "reconcile", "--json", "--dir"])
        .arg(stage.ice.dir())
        .arg("--holder-log")
        .arg(holder_log)
        .args(["--requester", REQUESTER_ID]);
    let out = cmd.output().context("run ice audit reconcile")?;
    let report = serde_json::from_slice(&out.stdout).with_context(|| {
        format!(
            "ice audit reconcile printed no report: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    Ok((out.status.code(), report))
}

fn count(report: &serde_json::Value, name: &str) -> String {
    report["counts"][name].as_u64().unwrap_or(0).to_string()
}

/// Reconciles the logs, then a cut copy of the holder's.
pub fn show(stage: &Stage) -> Result<()> {
    let holder_log = stage.holder.audit_log();
    let (code, report) = reconcile(stage, &holder_log)?;
    // Section 6 sent two requests with a client that skips ice (and its log): the holder
    // refused and logged them, ice never saw them. Those, and the counts they change,
    // are the only disagreements expected.
    let unlogged: Vec<&serde_json::Value> = report["disagreements"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["kind"] != "counts-differ")
        .collect();
    let only_bypass = unlogged
        .iter()
        .all(|d| d["kind"] == "decision-without-receipt" && d["accepted"] == false);
    if code != Some(1) || !only_bypass || unlogged.len() != 2 {
        bail!("the logs disagree on more than the requests sent around ice: {report}");
    }
    println!();
    table(
        &[
            "reconcile (ice audit reconcile)",
            "holder log",
            "ice receipts",
        ],
        &[
            vec![
                "accepted decisions".into(),
                count(&report, "holder_accepted"),
                count(&report, "requester_accepted"),
            ],
            vec![
                "refused decisions".into(),
                count(&report, "holder_refused"),
                count(&report, "requester_refused"),
            ],
        ],
    );
    println!(
        "  all {} receipts ice kept hold: each is signed by the pinned holder key over a log",
        report["receipts"]
    );
    println!(
        "  that the holder's current {} entries (root {}…) extend unchanged",
        report["holder_entries"],
        report["holder_root"]
            .as_str()
            .unwrap_or("")
            .get(..16)
            .unwrap_or("")
    );
    for d in &unlogged {
        println!(
            "  DISAGREE decision-without-receipt: holder entry {} refused request {}",
            d["holder_seq"],
            d["request_id"].as_str().unwrap_or("?")
        );
    }
    println!("      (the two requests of section 6 sent by a client that skips ice: the holder");
    println!("      logged its refusals, ice never logged the requests; an auditor sees both)");

    let cut = stage.path("holder-audit-cut.log");
    std::fs::copy(&holder_log, &cut)?;
    let entries = report["holder_entries"].as_u64().unwrap_or(0);
    let keep = entries.saturating_sub(5);
    cut_log(&cut, usize::try_from(keep)?)?;
    let (code, report) = reconcile(stage, &cut)?;
    let caught = report["disagreements"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|d| d["kind"] == "holder-log-cut" || d["kind"] == "holder-log-rewritten");
    if code != Some(1) || !caught {
        bail!("a cut holder log was not caught: {report}");
    }
    println!("  the same reconcile against a copy of the holder's log cut to {keep} entries:");
    let cut_only = report["disagreements"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["kind"] == "holder-log-cut");
    for disagreement in cut_only {
        println!(
            "      holder-log-cut: the receipt at ice entry {} (request {}) signs {} entries",
            disagreement["requester_seq"],
            disagreement["request_id"].as_str().unwrap_or("?"),
            disagreement["receipt_size"]
        );
    }
    Ok(())
}
