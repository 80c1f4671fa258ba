//! `ice audit verify|repair`.

use std::io::{BufRead, IsTerminal, Write};

use blindlink_store::audit::{self, VerifyReport};
use serde::Serialize;

use super::{audit_path, print_json};
use crate::cli::{AuditRepairArgs, AuditVerifyArgs};
use blindlink_cli::failure::{Blame, Failure};

#[derive(Serialize)]
struct BrokenJson {
    line: u64,
    reason: String,
}

#[derive(Serialize)]
struct TornJson {
    line: u64,
    offset: u64,
    len: u64,
}

#[derive(Serialize)]
struct VerifyJson {
    log: String,
    intact: bool,
    entries: u64,
    head: String,
    broken: Option<BrokenJson>,
    torn: Option<TornJson>,
}

fn print_report(report: &VerifyReport) {
    println!("entries    {}", report.entries);
    println!("head       {}", hex::encode(report.head));
    if let Some(broken) = &report.broken {
        println!("broken     line {}: {}", broken.line, broken.reason);
    }
    if let Some(torn) = &report.torn_tail {
        println!(
            "torn       line {} ({} bytes without a newline); `ice audit repair` removes it",
            torn.line, torn.len
        );
    }
}

/// Runs `ice audit verify`: exit 0 when intact, 1 when broken or torn.
pub fn verify(args: &AuditVerifyArgs) -> Result<(), Failure> {
    let path = audit_path(&args.state.dir);
    let shown = path.display().to_string();
    let report = audit::verify(&path).input(format!("cannot verify {shown}"))?;
    if args.json {
        print_json(&VerifyJson {
            log: shown.clone(),
            intact: report.is_intact(),
            entries: report.entries,
            head: hex::encode(report.head),
            broken: report.broken.as_ref().map(|b| BrokenJson {
                line: b.line,
                reason: b.reason.to_string(),
            }),
            torn: report.torn_tail.map(|t| TornJson {
                line: t.line,
                offset: t.offset,
                len: t.len,
            }),
        })?;
    } else {
        print_report(&report);
    }
    if report.is_intact() {
        Ok(())
    } else {
        Err(Failure::other(anyhow::anyhow!(
            "audit log {shown} is not intact: {report}"
        )))
    }
}

/// Asks on the terminal; true only for an explicit yes.
fn confirm(question: &str) -> Result<bool, Failure> {
    eprint!("{question} [y/N] ");
    std::io::stderr()
        .flush()
        .other("cannot write to the terminal")?;
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .other("cannot read the answer")?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES"))
}

/// Runs `ice audit repair`: removes a torn last line after confirmation.
pub fn repair(args: &AuditRepairArgs) -> Result<(), Failure> {
    let path = audit_path(&args.state.dir);
    let shown = path.display().to_string();
    let report = audit::verify(&path).input(format!("cannot verify {shown}"))?;
    let Some(torn) = report.torn_tail else {
        print_report(&report);
        return match &report.broken {
            None => {
                println!("nothing to repair");
                Ok(())
            }
            Some(broken) => Err(Failure::other(anyhow::anyhow!(
                "audit log {shown} is broken at line {}; repair only removes a torn last line",
                broken.line
            ))),
        };
    };
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(Failure::input(anyhow::anyhow!(
                "{shown} ends in a torn line {} ({} bytes); rerun with --yes to remove it",
                torn.line,
                torn.len
            )));
        }
        let question = format!(
            "Remove the torn last line {} ({} bytes) of {shown}?",
            torn.line, torn.len
        );
        if !confirm(&question)? {
            return Err(Failure::input(anyhow::anyhow!("repair cancelled")));
        }
    }
    let outcome = audit::repair(&path).other(format!("cannot repair {shown}"))?;
    println!("removed {} bytes", outcome.removed_bytes);
    print_report(&outcome.report);
    match &outcome.report.broken {
        None => Ok(()),
        Some(broken) => Err(Failure::other(anyhow::anyhow!(
            "audit log {shown} is still broken at line {}",
            broken.line
        ))),
    }
}
