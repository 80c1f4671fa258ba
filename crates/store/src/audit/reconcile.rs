//! Reconciling the holder's audit log with one requester's: what an outside auditor (or
//! either party) runs as `irs audit reconcile` / `ice audit reconcile`.
//!
//! Both chains are verified. Every receipt the requester kept (`receipt` entries, see
//! `ice`'s receipts module) is checked against the holder's pinned identity key and then
//! against the holder's log as it is now:
//!
//! * the checkpoint's signature and the entry's inclusion proof (else `receipt-forged`);
//! * the holder's log still has at least the checkpoint's entries (else `holder-log-cut`);
//! * the holder's log extends the checkpointed one: the RFC 9162 consistency proof from
//!   the checkpoint's size to the holder's log verifies (else `holder-log-rewritten`);
//! * the receipted entry is the holder's line at that position and names this requester
//!   (else `entry-differs`, `receipt-for-another-requester`).
//!
//! Then the decisions: every `decision-accepted` or `decision-refused` entry of the holder
//! for this requester must have a kept receipt (else `decision-without-receipt`: a request
//! the holder answered that the requester never logged), and the counts of accepted and
//! refused decisions must agree (else `counts-differ`). The report lists every
//! disagreement; none means both logs tell one story.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use blindlink_protocol::identity::IdentityPublicKey;
use blindlink_protocol::transparency::{LogTree, entry_leaf, verify_consistency, verify_inclusion};
use blindlink_protocol::wire::DecisionReceipt;
use serde::Serialize;
use serde_json::Value;

use super::chain::VerifyReport;
use super::entry::{AuditEntry, EventKind};
use super::log::{AuditError, scan_file};
use super::receipt_entry::{KeptReceipt, kept_receipt};
use super::reconcile_report::{Counts, Disagreement, ReconcileReport};

/// One holder decision about the reconciled requester.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Decision {
    seq: u64,
    request_id: String,
    accepted: bool,
}

/// What the holder's log holds: its chain report, its tree, and its decisions about the
/// requester.
struct HolderSide {
    report: VerifyReport,
    tree: LogTree,
    decisions: Vec<Decision>,
}

fn text(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_owned)
}

fn holder_side(path: &Path, requester: &str) -> Result<HolderSide, AuditError> {
    let mut decisions = Vec::new();
    let verifier = scan_file(path, |entry: &AuditEntry, _| {
        let accepted = match &entry.event.kind {
            EventKind::DecisionAccepted => true,
            EventKind::DecisionRefused { .. } => false,
            _ => return,
        };
        let details = &entry.event.details;
        if text(details.get("requester")).as_deref() != Some(requester) {
            return;
        }
        decisions.push(Decision {
            seq: entry.seq,
            request_id: text(details.get("request_id")).unwrap_or_default(),
            accepted,
        });
    })?;
    let (report, tree) = verifier.finish_with_tree();
    Ok(HolderSide {
        report,
        tree,
        decisions,
    })
}

fn requester_side(
    path: &Path,
    holder: &IdentityPublicKey,
) -> Result<(VerifyReport, Vec<KeptReceipt>), AuditError> {
    let mut kept = Vec::new();
    let verifier = scan_file(path, |entry: &AuditEntry, _| {
        kept.extend(kept_receipt(entry, holder));
    })?;
    Ok((verifier.finish(), kept))
}

/// Reconciles the holder's log at `holder_log` (identity key `holder`) with the log of
/// requester `requester` at `requester_log`.
pub fn reconcile(
    holder_log: &Path,
    holder: &IdentityPublicKey,
    requester_log: &Path,
    requester: &str,
) -> Result<ReconcileReport, AuditError> {
    let side = holder_side(holder_log, requester)?;
    let (requester_report, kept) = requester_side(requester_log, holder)?;
    let mut found = Vec::new();
    if !side.report.is_intact() {
        found.push(Disagreement::HolderLogBroken {
            detail: side.report.to_string(),
        });
    }
    if !requester_report.is_intact() {
        found.push(Disagreement::RequesterLogBroken {
            detail: requester_report.to_string(),
        });
    }
    let mut receipted = BTreeSet::new();
    let mut counts = Counts::default();
    for receipt in &kept {
        let claimed = receipt
            .receipt
            .as_ref()
            .ok()
            .and_then(|(r, _)| entry_decision(r));
        if let Some(decision) = &claimed {
            counts.add_requester(decision.accepted);
        }
        let about_requester = claimed.is_some_and(|d| d.requester.as_deref() == Some(requester));
        if let Some(seq) = check_receipt(&side, holder, receipt, about_requester, &mut found) {
            receipted.insert(seq);
        }
    }
    for decision in &side.decisions {
        counts.add_holder(decision.accepted);
        if !receipted.contains(&decision.seq) {
            found.push(Disagreement::DecisionWithoutReceipt {
                holder_seq: decision.seq,
                request_id: decision.request_id.clone(),
                accepted: decision.accepted,
            });
        }
    }
    if counts.differ() {
        found.push(Disagreement::CountsDiffer { counts });
    }
    Ok(ReconcileReport {
        holder_log: holder_log.to_path_buf(),
        requester_log: PathBuf::from(requester_log),
        requester: requester.to_owned(),
        holder_entries: side.report.entries,
        holder_root: hex::encode(side.tree.head().root),
        requester_entries: requester_report.entries,
        receipts: kept.len() as u64,
        counts,
        disagreements: found,
    })
}

/// The decision a receipted holder line claims: accepted or refused, and about whom.
struct EntryDecision {
    accepted: bool,
    requester: Option<String>,
}

/// `None` if the line is not a decision entry.
fn entry_decision(receipt: &DecisionReceipt) -> Option<EntryDecision> {
    let line: Value = serde_json::from_slice(&receipt.entry).ok()?;
    let accepted = match line.get("kind")?.as_str()? {
        "decision-accepted" => true,
        "decision-refused" => false,
        _ => return None,
    };
    let requester = text(line.get("details").and_then(|d| d.get("requester")));
    Some(EntryDecision {
        accepted,
        requester,
    })
}

/// Checks one kept receipt; `Some(holder seq)` if it holds against the holder's log and
/// proves a decision `about_requester`.
fn check_receipt(
    side: &HolderSide,
    holder: &IdentityPublicKey,
    kept: &KeptReceipt,
    about_requester: bool,
    found: &mut Vec<Disagreement>,
) -> Option<u64> {
    let forged = |why: String| Disagreement::ReceiptForged {
        requester_seq: kept.requester_seq,
        request_id: kept.request_id.clone(),
        why,
    };
    let (receipt, checkpoint) = match &kept.receipt {
        Ok(parsed) => parsed,
        Err(why) => {
            found.push(forged(why.clone()));
            return None;
        }
    };
    let signer_ok = checkpoint.verify(holder).is_ok();
    let head = blindlink_protocol::transparency::TreeHead {
        size: receipt.tree_size,
        root: receipt.root_hash,
    };
    let leaf = entry_leaf(&receipt.entry);
    let included = verify_inclusion(&head, &leaf, receipt.leaf_index, &receipt.inclusion);
    if !signer_ok || included.is_err() {
        let why = if signer_ok {
            "the entry is not in the signed checkpoint".to_owned()
        } else {
            "the checkpoint is not signed by the holder's key".to_owned()
        };
        found.push(forged(why));
        return None;
    }
    let holder_size = side.tree.size();
    if head.size > holder_size {
        found.push(Disagreement::HolderLogCut {
            requester_seq: kept.requester_seq,
            request_id: kept.request_id.clone(),
            receipt_size: head.size,
            holder_size,
        });
        return None;
    }
    let consistent = side
        .tree
        .consistency_proof(head.size)
        .and_then(|proof| verify_consistency(&head, &side.tree.head(), &proof));
    if consistent.is_err() || side.tree.leaf(receipt.leaf_index) != Some(&leaf) {
        found.push(Disagreement::HolderLogRewritten {
            requester_seq: kept.requester_seq,
            request_id: kept.request_id.clone(),
            receipt_size: head.size,
            holder_size,
        });
        return None;
    }
    let seq = receipt.leaf_index + 1;
    if about_requester {
        return Some(seq);
    }
    found.push(Disagreement::ReceiptForAnotherRequester {
        requester_seq: kept.requester_seq,
        request_id: kept.request_id.clone(),
        holder_seq: seq,
    });
    None
}
