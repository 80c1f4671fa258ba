//! `irs audit verify`, `repair` and `reconcile`: `blindlink_store::audit`'s report and
//! reconcile, the same check, repair, reconcile and output as `ice audit`.

use std::path::PathBuf;

use blindlink_cli::{Blame, Failure};
use blindlink_store::audit::reconcile as reconcile_logs;
use blindlink_store::audit::report::{Consent, LogReport, repair_log};
use blindlink_store::audit::{check_checkpoint_file, sign_checkpoint, write_checkpoint};
use blindlink_store::key_file::{self, IdentityPublic};

use super::Context;
use crate::cli::{AuditLogArg, CheckpointArgs, ReconcileArgs, RepairArgs};

fn log_path(ctx: &Context, arg: &AuditLogArg) -> PathBuf {
    arg.log
        .clone()
        .unwrap_or_else(|| ctx.state.audit_log_path())
}

fn print_report(ctx: &Context, report: &LogReport) -> Result<(), Failure> {
    if ctx.json {
        return ctx.print_json(&report.json());
    }
    blindlink_cli::out!("{}", report.text("irs"));
    Ok(())
}

/// Runs `irs audit verify`: exit 0 only if the chain is intact, 1 if it is not. A log
/// that is missing or cannot be read is bad input (exit code 2), as in `ice`.
pub fn verify(ctx: &Context, arg: &AuditLogArg) -> Result<(), Failure> {
    let path = log_path(ctx, arg);
    let report = LogReport::verify(&path).input(format!("cannot verify {}", path.display()))?;
    print_report(ctx, &report)?;
    report.check().map_err(Failure::other)
}

/// Runs `irs audit repair`: removes a torn final line after confirmation.
pub fn repair(ctx: &Context, args: &RepairArgs) -> Result<(), Failure> {
    let path = log_path(ctx, &args.log);
    let run = repair_log(&path, |question| Consent::ask(args.yes, question))
        .map_err(|e| Failure::blamed(e.is_input(), e))?;
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
        blindlink_cli::out!("{}", run.text("irs"));
    }
    run.check().map_err(Failure::other)
}

/// Runs `irs audit reconcile`: exit 0 only if the holder's log and the requester's log
/// (with its receipts, checked against this holder's identity key) agree.
pub fn reconcile(ctx: &Context, args: &ReconcileArgs) -> Result<(), Failure> {
    let holder_log = log_path(ctx, &args.log);
    let holder = key_file::read::<IdentityPublic>(&ctx.state.identity_public_path())
        .input("cannot read this holder's identity.pub (run `irs keygen`)")?;
    let report = reconcile_logs(&holder_log, &holder, &args.requester_log, &args.requester)
        .input("cannot read the logs to reconcile")?;
    if ctx.json {
        ctx.print_json(&report.json())?;
    } else {
        blindlink_cli::out!("{}", report.text());
    }
    report.check().map_err(Failure::other)
}

/// Runs `irs audit checkpoint`: signs a checkpoint of the log, or (`--check`) checks the
/// log against one signed earlier (exit 1 if the log no longer holds it).
pub fn checkpoint(ctx: &Context, args: &CheckpointArgs) -> Result<(), Failure> {
    let path = log_path(ctx, &args.log);
    if let Some(file) = &args.check {
        let signer = key_file::read::<IdentityPublic>(&ctx.state.identity_public_path())
            .input("cannot read this holder's identity.pub (run `irs keygen`)")?;
        let status = check_checkpoint_file(&path, file, &signer)
            .map_err(|e| Failure::input(anyhow::anyhow!(e)))?;
        if ctx.json {
            ctx.print_json(&status)?;
        } else {
            blindlink_cli::outln!("{}", status.text());
        }
        if status.holds() {
            return Ok(());
        }
        return Err(Failure::other(anyhow::anyhow!(
            "the audit log no longer holds the checkpoint"
        )));
    }
    let key = ctx
        .state
        .load_identity_key()
        .map_err(|e| Failure::blamed(e.is_usage(), e))?;
    let now = blindlink_cli::output::now_or_clock(None)?;
    let signed = sign_checkpoint(&path, &key, now).input("cannot checkpoint the audit log")?;
    match &args.out {
        Some(out) => {
            write_checkpoint(out, &signed).other("cannot write the checkpoint")?;
            blindlink_cli::outln!("{}", out.display());
            Ok(())
        }
        None => ctx.print_json(&signed.to_json()),
    }
}
