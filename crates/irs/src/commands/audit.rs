//! `irs audit verify` and `irs audit repair`: `blindlink_store::audit::report`, the same
//! check, repair and output as `ice audit`.

use std::path::PathBuf;

use blindlink_cli::Failure;
use blindlink_store::audit::report::{Consent, LogReport, RepairError, repair_log};

use super::Context;
use crate::cli::{AuditLogArg, RepairArgs};

fn log_path(ctx: &Context, arg: &AuditLogArg) -> PathBuf {
    arg.log
        .clone()
        .unwrap_or_else(|| ctx.state.audit_log_path())
}

fn print_report(ctx: &Context, report: &LogReport) -> Result<(), Failure> {
    if ctx.json {
        return ctx.print_json(&report.json());
    }
    print!("{}", report.text("irs"));
    Ok(())
}

/// Runs `irs audit verify`: exit 0 only if the chain is intact. A log that cannot be
/// read is not bad input here (exit code 1): the state directory's log is irs's own.
pub fn verify(ctx: &Context, arg: &AuditLogArg) -> Result<(), Failure> {
    let report = LogReport::verify(&log_path(ctx, arg)).map_err(Failure::other)?;
    print_report(ctx, &report)?;
    report.check().map_err(Failure::other)
}

/// Runs `irs audit repair`: removes a torn final line after confirmation.
pub fn repair(ctx: &Context, args: &RepairArgs) -> Result<(), Failure> {
    let path = log_path(ctx, &args.log);
    let run =
        repair_log(&path, |question| Consent::ask(args.yes, question)).map_err(|e| match e {
            RepairError::ConsentUnavailable { .. } => Failure::input(e),
            RepairError::Verify(_) | RepairError::Repair(_) | RepairError::NotConfirmed { .. } => {
                Failure::other(e)
            }
        })?;
    if let Some(torn) = &run.removed {
        tracing::warn!(
            removed_bytes = torn.len,
            line = torn.line,
            "torn audit line removed"
        );
    }
    if ctx.json {
        ctx.print_json(&run.after.json())?;
    } else {
        print!("{}", run.text("irs"));
    }
    run.check().map_err(Failure::other)
}
