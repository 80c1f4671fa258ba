//! `ice audit verify|repair`: `blindlink_store::audit::report`, the same check, repair
//! and output as `irs audit`.

use blindlink_store::audit::report::{Consent, LogReport, repair_log};

use super::{audit_path, print_json};
use crate::cli::{AuditRepairArgs, AuditVerifyArgs};
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
