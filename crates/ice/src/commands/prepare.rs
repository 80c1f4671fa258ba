//! `ice prepare`: request CSV + signed holder.json -> secret bundle, public manifest,
//! audit entry.
//!
//! The holder's statement is verified against the pinned identity key first, and the
//! request is checked against what it publishes (limits, the false-match bound of its
//! set) before anything is written: a request the holder will refuse by policy is found
//! out here, not after officials have signed it.

use std::time::{Duration, UNIX_EPOCH};

use blindlink_core::match_key::{MatchRule, RuleSet};
use blindlink_protocol::bundle::{BundleError, BundleSummary, PrepareParams, RequestBundle};
use blindlink_protocol::manifest::{LegalBasis, RequesterId};
use blindlink_store::audit::EventKind;
use serde::Serialize;
use serde_json::json;

use super::{audit, now_or_clock, open_audit, print_json, refuse_overwrite};
use crate::cli::PrepareArgs;
use blindlink_cli::failure::{Blame, Failure};
use blindlink_core::fingerprint::max_request_elements;
use blindlink_protocol::holder_info::HolderInfo;
use blindlink_protocol::policy::{Limits, budget};

use super::pin::verified_statement;
use blindlink_store::csv::BadRowPolicy;
use blindlink_store::csv::request::read_request;

/// How many record ids without keys the text output lists.
const SHOWN_KEYLESS: usize = 10;

#[derive(Serialize)]
struct PrepareReport<'a> {
    request_id: String,
    bundle: String,
    manifest: String,
    audit_seq: u64,
    summary: &'a BundleSummary,
    records_without_keys_ids: Vec<&'a str>,
}

/// The 1-based request row a preparation error names, if any.
fn error_row(error: &BundleError) -> Option<usize> {
    match error {
        BundleError::MissingRecordId { row }
        | BundleError::UnsafeRecordId { row }
        | BundleError::DuplicateRecordId { row, .. }
        | BundleError::FieldTooLong { row, .. }
        | BundleError::MissingReference { row, .. }
        | BundleError::InvalidReference { row, .. } => Some(*row),
        _ => None,
    }
}

/// The requested rules: `--rules` if given (each must be answered by the holder),
/// else every rule the holder answers.
fn choose_rules(requested: Option<RuleSet>, holder: &HolderInfo) -> Result<RuleSet, Failure> {
    let answered = holder.rules;
    let Some(requested) = requested else {
        return Ok(answered);
    };
    let refused: Vec<&str> = requested
        .iter()
        .filter(|rule| !answered.contains(*rule))
        .map(MatchRule::id)
        .collect();
    if !refused.is_empty() {
        return Err(Failure::input(anyhow::anyhow!(
            "--rules asks for {} which the holder does not answer (it answers {answered})",
            refused.join(",")
        )));
    }
    Ok(requested)
}

/// The request against what the holder publishes: its per-request limits, the
/// false-match bound its set was sized for (the requester's own check, PROTOCOL.md §4.1),
/// the per-record bound of the rules, and the budgets no single request may exceed (24
/// hours per requester, one OPRF key): a request the holder's policy refuses whatever it
/// has served before. What it has served already is the holder's to count.
fn check_published(
    bundle: &RequestBundle,
    holder: &HolderInfo,
    limits: &Limits,
) -> Result<(), Failure> {
    let fields = bundle.manifest().fields();
    let (records, elements) = (fields.record_count, fields.element_count);
    let per_record = budget::max_elements_per_record(&fields.rules_used);
    if elements > per_record.saturating_mul(records) {
        return Err(Failure::input(anyhow::anyhow!(
            "the request has {elements} elements for {records} records, more than the \
             {per_record} per record its rules yield: the holder would refuse it; nothing was written"
        )));
    }
    let bound = max_request_elements(holder.fingerprint_bits, holder.set_size);
    let per_request = "allows per request: split it";
    let per_day = "allows per requester in any 24 hours: split it over days";
    let per_key = "allows under one OPRF key: wait for the holder to rotate its key";
    for (what, value, max, whose, scope) in [
        (
            "records",
            records,
            limits.max_records_per_request,
            "policy",
            per_request,
        ),
        (
            "elements",
            elements,
            limits.max_elements_per_request,
            "policy",
            per_request,
        ),
        (
            "elements",
            elements,
            bound,
            "set's false-match bound",
            per_request,
        ),
        (
            "records",
            records,
            limits.max_records_per_day,
            "policy",
            per_day,
        ),
        (
            "elements",
            elements,
            limits.max_elements_per_day,
            "policy",
            per_day,
        ),
        (
            "elements",
            elements,
            limits.max_elements_per_epoch,
            "policy",
            per_key,
        ),
    ] {
        if value > max {
            return Err(Failure::input(anyhow::anyhow!(
                "the request has {value} {what}, more than the {max} the holder's {whose} \
                 {scope}; nothing was written"
            )));
        }
    }
    Ok(())
}

fn rfc3339(unix: u64) -> String {
    UNIX_EPOCH
        .checked_add(Duration::from_secs(unix))
        .map(|t| humantime::format_rfc3339_seconds(t).to_string())
        .unwrap_or_else(|| unix.to_string())
}

/// Runs `ice prepare`.
pub fn run(args: &PrepareArgs) -> Result<(), Failure> {
    refuse_overwrite(&args.out, args.force)?;
    refuse_overwrite(&args.manifest_out, args.force)?;
    let request_shown = args.request.display().to_string();
    let holder_shown = args.holder.display().to_string();

    let issued_at = now_or_clock(args.now)?;
    // The statement is checked at the real time: --now sets the request's issue time only.
    let statement = verified_statement(&args.state.dir, &args.holder, now_or_clock(None)?)?;
    let holder = &statement.body().epoch;
    let Some(published) = statement.body().policy else {
        return Err(Failure::input(anyhow::anyhow!(
            "{holder_shown} publishes no policy yet (the holder has not run `irs policy apply`)"
        )));
    };
    let rules = choose_rules(args.rules, holder)?;
    let requester_id =
        RequesterId::new(args.requester_id.as_str()).input("invalid --requester-id")?;
    super::requester_id::check(&args.state.dir, &requester_id)?;
    let legal_basis = LegalBasis::new(args.legal_basis.as_str()).input("invalid --legal-basis")?;
    let valid_for = args.valid_for.as_secs();
    if valid_for == 0 {
        return Err(Failure::input(anyhow::anyhow!(
            "--valid-for must be at least one second"
        )));
    }
    if valid_for > published.limits.max_validity_secs {
        return Err(Failure::input(anyhow::anyhow!(
            "--valid-for {}s is longer than the {}s the holder's policy allows",
            valid_for,
            published.limits.max_validity_secs
        )));
    }
    let expires_at = issued_at
        .checked_add(valid_for)
        .ok_or_else(|| Failure::input(anyhow::anyhow!("--valid-for is too long")))?;

    let request_bytes =
        std::fs::read(&args.request).input(format!("cannot read {request_shown}"))?;
    // A bad row refuses the request: every row the requester listed is asked about, or
    // none is.
    let request = read_request(request_bytes.as_slice(), BadRowPolicy::Refuse)
        .input(request_shown.clone())?;
    if !request.ignored_columns.is_empty() {
        tracing::warn!(
            columns = request.ignored_columns.join(","),
            "ignoring request columns that are not request columns"
        );
    }
    let log = open_audit(&args.state.dir)?;

    let params = PrepareParams {
        requester_id,
        legal_basis,
        rules,
        key_epoch: *holder.key_epoch.as_bytes(),
        holder_oprf_public_key: holder.oprf_public_key,
        set_hash: holder.set_hash,
        issued_at,
        expires_at,
    };
    tracing::info!(rows = request.rows.len(), %rules, "preparing request");
    let bundle = RequestBundle::prepare(request.rows, params, &mut rand::rng()).map_err(|e| {
        let line = error_row(&e).and_then(|row| request.lines.get(row.wrapping_sub(1)));
        match line {
            Some(line) => Failure::input(
                anyhow::Error::new(e).context(format!("{request_shown} line {line}")),
            ),
            None => Failure::input(anyhow::Error::new(e).context(request_shown.clone())),
        }
    })?;

    check_published(&bundle, holder, &published.limits)?;

    blindlink_store::write_secret(&args.out, &bundle.to_bytes())
        .other("cannot write the bundle")?;
    let mut manifest_json = bundle.manifest().to_json_pretty();
    manifest_json.push('\n');
    blindlink_store::write_atomic(&args.manifest_out, manifest_json.as_bytes(), 0o644)
        .other("cannot write the manifest")?;

    let summary = bundle.summary();
    let rules_used: Vec<&str> = summary.rules.iter().map(|r| r.rule.id()).collect();
    let seq = audit(
        &log,
        issued_at,
        EventKind::RequestPrepared,
        json!({
            "request_id": summary.request_id.to_hex(),
            "requester_id": summary.requester_id.as_str(),
            "records": summary.record_count,
            "elements": summary.element_count,
            "records_without_keys": summary.records_without_keys,
            "rules_used": rules_used,
            "blinded_digest": summary.blinded_digest.to_hex(),
            "references_root": summary.references_root.to_hex(),
            "key_epoch": summary.key_epoch.to_hex(),
            "oprf_public_key": hex::encode(summary.holder_public_key),
            "set_hash": summary.set_hash.to_hex(),
            "holder_statement_sha256": hex::encode(statement.digest()),
            "expires_at": summary.expires_at,
        }),
    )?;

    let keyless: Vec<&str> = summary
        .records
        .iter()
        .filter(|r| r.elements == 0)
        .map(|r| r.record_id.as_str())
        .collect();
    let report = PrepareReport {
        request_id: summary.request_id.to_hex(),
        bundle: args.out.display().to_string(),
        manifest: args.manifest_out.display().to_string(),
        audit_seq: seq,
        summary: &summary,
        records_without_keys_ids: keyless.clone(),
    };
    if args.json {
        return print_json(&report);
    }
    print_text(&report, &keyless, &args.state.dir.join(super::AUDIT_LOG));
    Ok(())
}

fn print_text(report: &PrepareReport<'_>, keyless: &[&str], audit_log: &std::path::Path) {
    let s = report.summary;
    blindlink_cli::outln!("prepared request {}", report.request_id);
    blindlink_cli::outln!("  records          {}", s.record_count);
    blindlink_cli::outln!("  elements         {}", s.element_count);
    for rule in &s.rules {
        blindlink_cli::outln!(
            "    {}  {} elements from {} records",
            rule.rule,
            rule.elements,
            rule.records
        );
    }
    if !keyless.is_empty() {
        let mut shown = keyless
            .iter()
            .take(SHOWN_KEYLESS)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        if keyless.len() > SHOWN_KEYLESS {
            shown.push_str(", ...");
        }
        blindlink_cli::outln!(
            "  without keys     {} records, which can never match: {shown}",
            keyless.len()
        );
    }
    blindlink_cli::outln!("  blinded digest   {}", s.blinded_digest);
    blindlink_cli::outln!(
        "  valid            {} .. {} (UTC)",
        rfc3339(s.issued_at),
        rfc3339(s.expires_at)
    );
    blindlink_cli::outln!("  bundle           {} (secret, mode 0600)", report.bundle);
    blindlink_cli::outln!("  manifest         {}", report.manifest);
    blindlink_cli::outln!(
        "  audit            entry {} in {}",
        report.audit_seq,
        audit_log.display()
    );
    blindlink_cli::outln!(
        "next: approvers run `approve review --bundle {}` and `approve sign ...`",
        report.bundle
    );
}
