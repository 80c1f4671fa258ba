//! Reconciling a holder's log with a requester's: agreeing logs agree, and each way a
//! hostile holder (or a damaged requester log) makes them disagree is reported as such.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;
use support::{NOW, holder_key, summary};

use std::path::{Path, PathBuf};

use blindlink_protocol::approval::{ApproverPublicKey, Role};
use blindlink_protocol::driver::{HolderEvent, Ledger};
use blindlink_protocol::identity::IdentityKey;
use blindlink_protocol::transparency::{
    DecisionSeen, ReceiptExpectation, TreeHead, VerifiedReceipt, receipt_checkpoint, verify_receipt,
};
use blindlink_store::FileLedger;
use blindlink_store::audit::{AuditLog, Disagreement, ReconcileReport, receipt_event, reconcile};

struct Parties {
    _dir: tempfile::TempDir,
    holder_log: PathBuf,
    replay: PathBuf,
    requester_log: PathBuf,
    last_seen: Option<TreeHead>,
}

impl Parties {
    fn new() -> Parties {
        let dir = tempfile::tempdir().unwrap();
        Parties {
            holder_log: dir.path().join("irs-audit.log"),
            replay: dir.path().join("replay.log"),
            requester_log: dir.path().join("ice-audit.log"),
            _dir: dir,
            last_seen: None,
        }
    }

    fn holder(&self) -> FileLedger {
        FileLedger::open(&self.holder_log, &self.replay, holder_key()).unwrap()
    }

    /// The holder accepts request `n` of `requester`; the requester keeps the receipt if
    /// `kept` (as `ice query` does, after verifying it).
    fn decide(&mut self, requester: &str, n: u8, kept: bool) {
        let ledger = self.holder();
        let request = summary(requester, n);
        let approved_by: Vec<(Role, ApproverPublicKey)> = Vec::new();
        let event = HolderEvent::DecisionAccepted {
            request: &request,
            approved_by: &approved_by,
        };
        let since = self.last_seen.map_or(0, |h| h.size);
        let receipt = ledger.record_decision(NOW, &event, since).unwrap();
        if !kept {
            return;
        }
        let expect = ReceiptExpectation {
            holder: holder_key().public_key(),
            requester_id: requester.into(),
            request_id: request.request_id,
            manifest_sha256: [n; 32],
            last_seen: self.last_seen,
        };
        let verified = verify_receipt(&receipt, &expect).unwrap();
        self.last_seen = Some(verified.checkpoint.checkpoint.head);
        self.keep(&verified, &request.request_id.to_hex());
    }

    fn keep(&self, verified: &VerifiedReceipt, request_id: &str) {
        let log = AuditLog::open(&self.requester_log).unwrap();
        let holder = holder_key().public_key();
        log.append(&receipt_event(NOW, holder, request_id, verified))
            .unwrap();
    }

    fn reconcile(&self) -> ReconcileReport {
        AuditLog::open(&self.requester_log).unwrap();
        reconcile(
            &self.holder_log,
            &holder_key().public_key(),
            &self.requester_log,
            "ice-a",
        )
        .unwrap()
    }
}

fn kinds(report: &ReconcileReport) -> Vec<&'static str> {
    report
        .disagreements
        .iter()
        .map(|d| match d {
            Disagreement::HolderLogBroken { .. } => "holder-log-broken",
            Disagreement::RequesterLogBroken { .. } => "requester-log-broken",
            Disagreement::ReceiptForged { .. } => "receipt-forged",
            Disagreement::HolderLogCut { .. } => "holder-log-cut",
            Disagreement::HolderLogRewritten { .. } => "holder-log-rewritten",
            Disagreement::ReceiptForAnotherRequester { .. } => "receipt-for-another-requester",
            Disagreement::DecisionWithoutReceipt { .. } => "decision-without-receipt",
            Disagreement::CountsDiffer { .. } => "counts-differ",
        })
        .collect()
}

fn keep_lines(path: &Path, n: usize) {
    let log = std::fs::read(path).unwrap();
    let kept: Vec<u8> = log
        .split_inclusive(|&b| b == b'\n')
        .take(n)
        .flatten()
        .copied()
        .collect();
    std::fs::write(path, kept).unwrap();
}

#[test]
fn logs_of_honest_parties_agree() {
    let mut p = Parties::new();
    p.decide("ice-a", 1, true);
    p.decide("ice-b", 2, false);
    p.decide("ice-a", 3, true);
    let report = p.reconcile();
    assert!(report.agree(), "{}", report.text());
    assert_eq!(report.counts.holder_accepted, 2);
    assert_eq!(report.receipts, 2);
    assert_eq!(report.json()["agree"], true);
}

#[test]
fn a_decision_the_requester_never_logged_is_reported() {
    let mut p = Parties::new();
    p.decide("ice-a", 1, true);
    p.decide("ice-a", 2, false);
    let report = p.reconcile();
    assert_eq!(
        kinds(&report),
        ["decision-without-receipt", "counts-differ"]
    );
    assert!(report.check().is_err());
}

#[test]
fn a_holder_log_cut_after_a_receipt_is_reported() {
    let mut p = Parties::new();
    p.decide("ice-a", 1, true);
    p.decide("ice-a", 2, true);
    keep_lines(&p.holder_log, 1);
    let report = p.reconcile();
    assert_eq!(
        kinds(&report),
        ["holder-log-cut", "counts-differ"],
        "{}",
        report.text()
    );
}

#[test]
fn a_holder_log_rewritten_after_a_receipt_is_reported() {
    let mut p = Parties::new();
    p.decide("ice-a", 1, true);
    // The holder rewrites its log from scratch: one entry again, another decision.
    std::fs::remove_file(&p.holder_log).unwrap();
    std::fs::remove_file(&p.replay).unwrap();
    p.decide("ice-z", 9, false);
    let report = p.reconcile();
    assert_eq!(
        kinds(&report),
        ["holder-log-rewritten", "counts-differ"],
        "{}",
        report.text()
    );
}

#[test]
fn a_receipt_the_holder_never_signed_or_for_another_requester_is_reported() {
    let mut p = Parties::new();
    p.decide("ice-a", 1, true);
    // A receipt signed by another key, filed under the holder's.
    let other = IdentityKey::from_secret_bytes(&[0x43; 32]);
    let ledger = FileLedger::open(&p.holder_log, &p.replay, other).unwrap();
    let request = summary("ice-a", 2);
    let event = HolderEvent::DecisionAccepted {
        request: &request,
        approved_by: &[],
    };
    let forged = ledger.record_decision(NOW, &event, 0).unwrap();
    drop(ledger);
    let verified = |receipt| VerifiedReceipt {
        checkpoint: receipt_checkpoint(&receipt, holder_key().public_key()),
        seq: 2,
        decision: DecisionSeen::Accepted,
        receipt,
    };
    p.keep(&verified(forged), &request.request_id.to_hex());
    // A genuine receipt of another requester's decision, kept as this one's.
    let ledger = p.holder();
    let request = summary("ice-b", 3);
    let event = HolderEvent::DecisionAccepted {
        request: &request,
        approved_by: &[],
    };
    let theirs = ledger.record_decision(NOW, &event, 0).unwrap();
    drop(ledger);
    p.keep(&verified(theirs), &request.request_id.to_hex());

    let report = p.reconcile();
    assert_eq!(
        kinds(&report),
        [
            "receipt-forged",
            "receipt-for-another-requester",
            "decision-without-receipt",
            "counts-differ"
        ],
        "{}",
        report.text()
    );
}

#[test]
fn a_broken_requester_log_is_reported() {
    let mut p = Parties::new();
    p.decide("ice-a", 1, true);
    p.decide("ice-a", 2, true);
    let text = std::fs::read_to_string(&p.requester_log).unwrap();
    std::fs::write(&p.requester_log, text.replacen("\"seq\":2", "\"seq\":7", 1)).unwrap();
    let report = reconcile(
        &p.holder_log,
        &holder_key().public_key(),
        &p.requester_log,
        "ice-a",
    )
    .unwrap();
    assert!(
        kinds(&report).contains(&"requester-log-broken"),
        "{}",
        report.text()
    );
}
