//! The file ledger's receipts: each is signed by the holder's key over the log as it is on
//! disk (the entry is the stored line, the root the one `audit verify` computes), proves
//! consistency with what the requester saw before, and a log cut or rewritten between
//! runs cannot produce a receipt consistent with an earlier one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;
use support::{NOW, holder_key, summary};

use std::path::Path;

use blindlink_protocol::approval::{ApproverPublicKey, Role};
use blindlink_protocol::driver::{HolderEvent, Ledger};
use blindlink_protocol::manifest::RequestId;
use blindlink_protocol::policy::RefusalReason;
use blindlink_protocol::transparency::{
    DecisionSeen, ProofError, ReceiptError, ReceiptExpectation, TreeHead, verify_receipt,
};
use blindlink_protocol::wire::DecisionReceipt;
use blindlink_store::FileLedger;
use blindlink_store::audit::verify;

fn expect(n: u8, last_seen: Option<TreeHead>) -> ReceiptExpectation {
    ReceiptExpectation {
        holder: holder_key().public_key(),
        requester_id: "ice-a".into(),
        request_id: RequestId::from_bytes([n; 16]),
        manifest_sha256: [n; 32],
        last_seen,
    }
}

fn open(dir: &Path) -> FileLedger {
    FileLedger::open(
        &dir.join("audit.log"),
        &dir.join("replay.log"),
        holder_key(),
    )
    .unwrap()
}

/// `request-received`, then the decision with its receipt.
fn decide(ledger: &FileLedger, n: u8, accept: bool, since: u64) -> DecisionReceipt {
    let request = summary("ice-a", n);
    ledger
        .record(NOW, &HolderEvent::RequestReceived(&request))
        .unwrap();
    let approved_by: Vec<(Role, ApproverPublicKey)> = Vec::new();
    let reason = RefusalReason::Replayed {
        request_id: request.request_id,
    };
    let event = if accept {
        HolderEvent::DecisionAccepted {
            request: &request,
            approved_by: &approved_by,
        }
    } else {
        HolderEvent::DecisionRefused {
            request: &request,
            reason: &reason,
        }
    };
    ledger.record_decision(NOW, &event, since).unwrap()
}

#[test]
fn a_receipt_proves_the_stored_line_under_the_root_audit_verify_computes() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = open(dir.path());
    let first = decide(&ledger, 1, true, 0);
    let seen = verify_receipt(&first, &expect(1, None)).unwrap();
    assert_eq!((seen.seq, seen.decision), (2, DecisionSeen::Accepted));
    let head = seen.checkpoint.checkpoint.head;

    let second = decide(&ledger, 2, false, head.size);
    let later = verify_receipt(&second, &expect(2, Some(head))).unwrap();
    assert_eq!(later.decision, DecisionSeen::Refused("replayed".into()));
    drop(ledger);

    let log = std::fs::read(dir.path().join("audit.log")).unwrap();
    let lines: Vec<&[u8]> = log.split(|&b| b == b'\n').collect();
    assert_eq!(
        second.entry, lines[3],
        "the receipt's entry is the stored line"
    );
    let report = verify(dir.path().join("audit.log")).unwrap();
    assert_eq!(report.tree, later.checkpoint.checkpoint.head);
}

#[test]
fn a_log_cut_between_runs_cannot_prove_consistency_with_a_kept_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = open(dir.path());
    decide(&ledger, 1, true, 0);
    let kept = verify_receipt(&decide(&ledger, 2, true, 0), &expect(2, None)).unwrap();
    drop(ledger);

    // The holder cuts its log back to the first two entries (the chain still verifies).
    let path = dir.path().join("audit.log");
    let log = std::fs::read(&path).unwrap();
    let cut: Vec<u8> = log
        .split_inclusive(|&b| b == b'\n')
        .take(2)
        .flatten()
        .copied()
        .collect();
    std::fs::write(&path, cut).unwrap();
    let ledger = open(dir.path());
    let head = kept.checkpoint.checkpoint.head;
    let next = decide(&ledger, 3, true, head.size);
    // The log grew past the kept size again (a rebuilt journal, a request, a decision),
    // but no prefix of it is the log the kept receipt showed.
    let error = verify_receipt(&next, &expect(3, Some(head))).unwrap_err();
    assert!(
        matches!(
            error,
            ReceiptError::Consistency(ProofError::Inconsistent { old: 4, new: 5 })
        ),
        "{error:?}"
    );
}

#[test]
fn a_log_rewritten_between_runs_cannot_prove_consistency_with_a_kept_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = open(dir.path());
    let kept = verify_receipt(&decide(&ledger, 1, true, 0), &expect(1, None)).unwrap();
    drop(ledger);

    // The holder rewrites its log from scratch with other entries of the same count (a
    // chain that verifies on its own).
    std::fs::remove_file(dir.path().join("audit.log")).unwrap();
    std::fs::remove_file(dir.path().join("replay.log")).unwrap();
    let ledger = open(dir.path());
    decide(&ledger, 9, false, 0);
    let head = kept.checkpoint.checkpoint.head;
    let next = decide(&ledger, 4, true, head.size);
    let error = verify_receipt(&next, &expect(4, Some(head))).unwrap_err();
    assert!(
        matches!(
            error,
            ReceiptError::Consistency(ProofError::Inconsistent { .. })
        ),
        "{error}"
    );
}
