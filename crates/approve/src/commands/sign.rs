//! `approve sign`: check a bundle, then sign its manifest under a role.

use blindlink_protocol::approval::Role;
use blindlink_store::key_file::{self, ApproverSecret};
use serde::Serialize;

use super::{load_checked_bundle, now_or_clock, print_json, refuse_overwrite};
use crate::cli::SignArgs;
use blindlink_cli::failure::{Blame, Failure};

#[derive(Serialize)]
struct SignReport {
    request_id: String,
    role: String,
    public_key: String,
    approval_file: String,
    record_count: u64,
    element_count: u64,
    blinded_digest: String,
    expires_at: u64,
}

/// Runs `approve sign`.
pub fn run(args: &SignArgs) -> Result<(), Failure> {
    let role = Role::new(args.role.as_str()).input("invalid --role")?;
    refuse_overwrite(&args.out, args.force)?;
    let key = key_file::read::<ApproverSecret>(&args.key).input("cannot use the approver key")?;

    let (bundle, summary) = load_checked_bundle(&args.bundle)?;
    let now = now_or_clock(args.now)?;
    bundle
        .validity_at(now)
        .input(format!("refusing to sign {}", args.bundle.display()))?;

    let manifest = bundle.manifest();
    let approval = key.approve(&role, manifest);
    approval
        .verify(manifest)
        .other("the new approval does not verify")?;
    let mut json = serde_json::to_string_pretty(&approval).other("cannot encode the approval")?;
    json.push('\n');
    blindlink_store::write_atomic(&args.out, json.as_bytes(), 0o644)
        .other("cannot write the approval")?;
    tracing::info!(request_id = %summary.request_id, %role, "approval written");

    let report = SignReport {
        request_id: summary.request_id.to_hex(),
        role: role.to_string(),
        public_key: key.public_key().to_hex(),
        approval_file: args.out.display().to_string(),
        record_count: summary.record_count,
        element_count: summary.element_count,
        blinded_digest: summary.blinded_digest.to_hex(),
        expires_at: summary.expires_at,
    };
    if args.json {
        return print_json(&report);
    }
    blindlink_cli::outln!(
        "signed request {} as {} (key {})",
        report.request_id,
        report.role,
        report.public_key
    );
    blindlink_cli::outln!(
        "  {} records, {} elements, blinded digest {}",
        report.record_count,
        report.element_count,
        report.blinded_digest
    );
    blindlink_cli::outln!("  approval written to {}", report.approval_file);
    Ok(())
}
