//! `irs audit verify` and `irs audit repair`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use blindlink_store::audit::{self, VerifyReport};
use serde_json::{Value, json};

use super::{Context, UsageError};
use crate::cli::{AuditLogArg, RepairArgs};

fn log_path(ctx: &Context, arg: &AuditLogArg) -> PathBuf {
    arg.log
        .clone()
        .unwrap_or_else(|| ctx.state.audit_log_path())
}

fn report_json(path: &Path, report: &VerifyReport) -> Value {
    json!({
        "log": path,
        "entries": report.entries,
        "head": hex::encode(report.head),
        "intact": report.is_intact(),
        "broken": report.broken.as_ref().map(|b| json!({
            "line": b.line,
            "reason": b.reason.to_string(),
        })),
        "torn_tail": report.torn_tail.map(|t| json!({
            "line": t.line,
            "offset": t.offset,
            "bytes": t.len,
        })),
    })
}

fn print_report(ctx: &Context, path: &Path, report: &VerifyReport) -> Result<()> {
    if ctx.json {
        return ctx.print_json(&report_json(path, report));
    }
    println!("audit log  {}", path.display());
    println!("entries    {} chain correctly", report.entries);
    println!("last hash  {}", hex::encode(report.head));
    if let Some(broken) = &report.broken {
        println!("BROKEN     at line {}: {}", broken.line, broken.reason);
    }
    if let Some(torn) = &report.torn_tail {
        println!(
            "TORN       last line {} ({} bytes without a newline): `irs audit repair` removes it",
            torn.line, torn.len
        );
    }
    if report.is_intact() {
        println!("intact");
    }
    Ok(())
}

fn not_intact(path: &Path, report: &VerifyReport) -> anyhow::Error {
    let mut problems = Vec::new();
    if let Some(b) = &report.broken {
        problems.push(format!("chain broken at line {}: {}", b.line, b.reason));
    }
    if let Some(t) = &report.torn_tail {
        problems.push(format!("torn last line {} ({} bytes)", t.line, t.len));
    }
    anyhow::anyhow!(
        "audit log {} is not intact: {}",
        path.display(),
        problems.join("; ")
    )
}

/// Runs `irs audit verify`: exit 0 only if the chain is intact.
pub fn verify(ctx: &Context, arg: &AuditLogArg) -> Result<()> {
    let path = log_path(ctx, arg);
    let report = audit::verify(&path)?;
    print_report(ctx, &path, &report)?;
    if !report.is_intact() {
        return Err(not_intact(&path, &report));
    }
    Ok(())
}

/// Runs `irs audit repair`: removes a torn final line after confirmation.
pub fn repair(ctx: &Context, args: &RepairArgs) -> Result<()> {
    let path = log_path(ctx, &args.log);
    let report = audit::verify(&path)?;
    let Some(torn) = report.torn_tail else {
        if !ctx.json {
            println!("no torn final line in {}; nothing removed", path.display());
        }
        print_report(ctx, &path, &report)?;
        if !report.is_intact() {
            return Err(not_intact(&path, &report).context("repair only removes a torn last line"));
        }
        return Ok(());
    };
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(UsageError::ConfirmationUnavailable(path.display().to_string()).into());
        }
        eprint!(
            "Remove the torn last line {} ({} bytes, an append that never completed) from {}? [y/N] ",
            torn.line,
            torn.len,
            path.display()
        );
        std::io::stderr().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
            bail!("not confirmed; {} left unchanged", path.display());
        }
    }
    let outcome = audit::repair(&path)?;
    tracing::warn!(
        removed_bytes = outcome.removed_bytes,
        line = torn.line,
        "torn audit line removed"
    );
    if !ctx.json {
        println!(
            "removed the torn last line {} ({} bytes)",
            torn.line, outcome.removed_bytes
        );
    }
    print_report(ctx, &path, &outcome.report)?;
    if !outcome.report.is_intact() {
        return Err(not_intact(&path, &outcome.report));
    }
    Ok(())
}
