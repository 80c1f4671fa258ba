//! `ice audit verify|repair|reconcile`: `blindlink_store::audit`'s report and reconcile,
//! the same check, repair, reconcile and output as `irs audit`.

use blindlink_store::audit::reconcile as reconcile_logs;
use blindlink_store::audit::report::{Consent, LogReport, repair_log};
use blindlink_store::audit::{check_checkpoint_file, sign_checkpoint, write_checkpoint};
use blindlink_store::key_file::{self, IdentityPublic, IdentitySecret};

use super::keygen::identity_key_path;
use super::pin::pin_path;
use super::{audit_path, now_or_clock, print_json};
use crate::cli::{AuditCheckpointArgs, AuditReconcileArgs, AuditRepairArgs, AuditVerifyArgs};
use blindlink_cli::failure::{Blame, Failure};

/// Runs `ice audit verify`: exit 0 when intact, 1 when broken or torn.
pub fn verify(args: &AuditVerifyArgs) -> Result<(), Failure> {
    let path = audit_path(&args.state.dir);
    let report = LogReport::verify(&path).input(format!("cannot verify {}", path.display()))?;
    if args.json {
        print_json(&report.json())?;
    } else {
        blindlink_cli::out!("{}", report.text("ice"));
    }
    report.check().map_err(Failure::other)
}

/// Runs `ice audit repair`: removes a torn last line after confirmation.
pub fn repair(args: &AuditRepairArgs) -> Result<(), Failure> {
    let path = audit_path(&args.state.dir);
    let shown = path.display();
    let run = repair_log(&path, |question| Consent::ask(args.yes, question)).map_err(|e| {
        let context = format!("cannot repair {shown}");
        Failure::blamed(e.is_input(), anyhow::Error::from(e).context(context))
    })?;
    blindlink_cli::out!("{}", run.text("ice"));
    run.check().map_err(Failure::other)
}

/// Runs `ice audit reconcile`: exit 0 only if the holder's log agrees with this
/// requester's log and its receipts (checked against the pinned holder identity).
pub fn reconcile(args: &AuditReconcileArgs) -> Result<(), Failure> {
    let dir = &args.state.dir;
    let holder = key_file::read::<IdentityPublic>(&pin_path(dir))
        .input("no pinned holder identity (run `ice pin-holder`)")?;
    let report = reconcile_logs(&args.holder_log, &holder, &audit_path(dir), &args.requester)
        .input("cannot read the logs to reconcile")?;
    if args.json {
        print_json(&report.json())?;
    } else {
        blindlink_cli::out!("{}", report.text());
    }
    report.check().map_err(Failure::other)
}

/// Runs `ice audit checkpoint`: signs a checkpoint of DIR/audit.log, or (`--check`)
/// checks the log against one signed earlier (exit 1 if it no longer holds it).
pub fn checkpoint(args: &AuditCheckpointArgs) -> Result<(), Failure> {
    let dir = &args.state.dir;
    let path = audit_path(dir);
    let no_key = "no requester identity key (DIR/identity.key; `ice keygen` makes one)";
    if let Some(file) = &args.check {
        let signer = key_file::read::<IdentityPublic>(&dir.join("identity.pub")).input(no_key)?;
        let status = check_checkpoint_file(&path, file, &signer)
            .map_err(|e| Failure::input(anyhow::anyhow!(e)))?;
        if args.json {
            print_json(&status)?;
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
    let key = key_file::read::<IdentitySecret>(&identity_key_path(dir)).input(no_key)?;
    let signed = sign_checkpoint(&path, &key, now_or_clock(None)?)
        .input("cannot checkpoint the audit log")?;
    match &args.out {
        Some(out) => {
            write_checkpoint(out, &signed).other("cannot write the checkpoint")?;
            blindlink_cli::outln!("{}", out.display());
            Ok(())
        }
        None => print_json(&signed.to_json()),
    }
}
