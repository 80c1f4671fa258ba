//! What a reconcile found ([`reconcile`](super::reconcile::reconcile)), as JSON
//! (`audit reconcile --json`) and as text:
//!
//! ```text
//! {
//!   "holder_log": "<path>", "requester_log": "<path>", "requester": "<requester id>",
//!   "holder_entries": <n>, "holder_root": "<64 hex>", "requester_entries": <n>,
//!   "receipts": <receipts the requester kept from this holder>,
//!   "counts": {"holder_accepted": <n>, "holder_refused": <n>,
//!              "requester_accepted": <n>, "requester_refused": <n>},
//!   "agree": true | false,
//!   "disagreements": [{"kind": "holder-log-cut", ...}, ...]
//! }
//! ```
//!
//! Kinds: `holder-log-broken`, `requester-log-broken`, `receipt-forged`, `holder-log-cut`,
//! `holder-log-rewritten`, `receipt-for-another-requester`, `decision-without-receipt`,
//! `counts-differ`.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;
use thiserror::Error;

/// The logs do not tell one story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("the holder's and the requester's logs disagree in {count} place(s)")]
pub struct LogsDisagree {
    /// How many disagreements.
    pub count: usize,
}

/// Decisions about the requester, as each log counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// `decision-accepted` entries in the holder's log for this requester.
    pub holder_accepted: u64,
    /// `decision-refused` entries in the holder's log for this requester.
    pub holder_refused: u64,
    /// Receipts of acceptances the requester kept (whether or not they hold).
    pub requester_accepted: u64,
    /// Receipts of refusals the requester kept (whether or not they hold).
    pub requester_refused: u64,
}

impl Counts {
    pub(super) fn add_holder(&mut self, accepted: bool) {
        let n = if accepted {
            &mut self.holder_accepted
        } else {
            &mut self.holder_refused
        };
        *n += 1;
    }

    pub(super) fn add_requester(&mut self, accepted: bool) {
        let n = if accepted {
            &mut self.requester_accepted
        } else {
            &mut self.requester_refused
        };
        *n += 1;
    }

    /// Whether the two logs count differently.
    pub fn differ(&self) -> bool {
        self.holder_accepted != self.requester_accepted
            || self.holder_refused != self.requester_refused
    }
}

/// One thing the two logs disagree on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Disagreement {
    /// The holder's chain is broken, torn, or accepts a request twice.
    HolderLogBroken {
        /// What `audit verify` says.
        detail: String,
    },
    /// The requester's chain is broken, torn, or accepts a request twice.
    RequesterLogBroken {
        /// What `audit verify` says.
        detail: String,
    },
    /// A kept receipt does not verify on its own (bad JSON, not signed by the holder's
    /// key, entry not in its checkpoint): the requester's log holds something the holder
    /// never signed.
    ReceiptForged {
        /// The `receipt` entry in the requester's log.
        requester_seq: u64,
        /// The request it names.
        request_id: String,
        /// Why.
        why: String,
    },
    /// The holder signed a log longer than the one it has now: entries were cut.
    HolderLogCut {
        /// The `receipt` entry in the requester's log.
        requester_seq: u64,
        /// The request it names.
        request_id: String,
        /// Entries in the signed checkpoint.
        receipt_size: u64,
        /// Entries in the holder's log now.
        holder_size: u64,
    },
    /// The holder's log now is not an extension of the log it signed: entries were
    /// changed, removed or reordered.
    HolderLogRewritten {
        /// The `receipt` entry in the requester's log.
        requester_seq: u64,
        /// The request it names.
        request_id: String,
        /// Entries in the signed checkpoint.
        receipt_size: u64,
        /// Entries in the holder's log now.
        holder_size: u64,
    },
    /// The receipted holder entry is not this requester's decision.
    ReceiptForAnotherRequester {
        /// The `receipt` entry in the requester's log.
        requester_seq: u64,
        /// The request it names.
        request_id: String,
        /// The holder entry it proves.
        holder_seq: u64,
    },
    /// The holder decided on a request of this requester that the requester holds no
    /// receipt for: it was answered (or refused) without the requester logging it.
    DecisionWithoutReceipt {
        /// The holder's decision entry.
        holder_seq: u64,
        /// The request.
        request_id: String,
        /// Whether it was accepted.
        accepted: bool,
    },
    /// The logs count the decisions differently.
    CountsDiffer {
        /// Both counts.
        counts: Counts,
    },
}

impl Disagreement {
    /// One line about it.
    pub fn describe(&self) -> String {
        match self {
            Disagreement::HolderLogBroken { detail } => format!("holder log broken: {detail}"),
            Disagreement::RequesterLogBroken { detail } => {
                format!("requester log broken: {detail}")
            }
            Disagreement::ReceiptForged {
                requester_seq,
                request_id,
                why,
            } => format!(
                "receipt at requester entry {requester_seq} (request {request_id}) does not verify: {why}"
            ),
            Disagreement::HolderLogCut {
                requester_seq,
                request_id,
                receipt_size,
                holder_size,
            } => format!(
                "holder log cut: the receipt at requester entry {requester_seq} (request {request_id}) signs {receipt_size} entries, the holder's log has {holder_size}"
            ),
            Disagreement::HolderLogRewritten {
                requester_seq,
                request_id,
                receipt_size,
                holder_size,
            } => format!(
                "holder log rewritten: its {holder_size} entries do not extend the {receipt_size} signed in the receipt at requester entry {requester_seq} (request {request_id})"
            ),
            Disagreement::ReceiptForAnotherRequester {
                requester_seq,
                request_id,
                holder_seq,
            } => format!(
                "the receipt at requester entry {requester_seq} (request {request_id}) proves holder entry {holder_seq}, which is not this requester's decision"
            ),
            Disagreement::DecisionWithoutReceipt {
                holder_seq,
                request_id,
                accepted,
            } => format!(
                "holder entry {holder_seq} {} request {request_id}, and the requester's log has no receipt of it",
                if *accepted { "accepted" } else { "refused" }
            ),
            Disagreement::CountsDiffer { counts } => format!(
                "counts differ: holder {} accepted, {} refused; requester receipts {} accepted, {} refused",
                counts.holder_accepted,
                counts.holder_refused,
                counts.requester_accepted,
                counts.requester_refused
            ),
        }
    }
}

/// Everything a reconcile found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReconcileReport {
    /// The holder's log.
    pub holder_log: PathBuf,
    /// The requester's log.
    pub requester_log: PathBuf,
    /// The requester id reconciled.
    pub requester: String,
    /// Entries of the holder's log that chain correctly.
    pub holder_entries: u64,
    /// The holder log's Merkle root over those entries.
    pub holder_root: String,
    /// Entries of the requester's log that chain correctly.
    pub requester_entries: u64,
    /// Receipts from this holder in the requester's log.
    pub receipts: u64,
    /// Decisions as each log counts them.
    pub counts: Counts,
    /// Every disagreement, in the order found.
    pub disagreements: Vec<Disagreement>,
}

/// The JSON shape (the report plus `agree`).
#[derive(Serialize)]
struct ReportJson<'a> {
    #[serde(flatten)]
    report: &'a ReconcileReport,
    agree: bool,
}

impl ReconcileReport {
    /// No disagreement.
    pub fn agree(&self) -> bool {
        self.disagreements.is_empty()
    }

    /// The JSON of `audit reconcile --json`.
    pub fn json(&self) -> serde_json::Value {
        serde_json::to_value(ReportJson {
            report: self,
            agree: self.agree(),
        })
        .unwrap_or_default()
    }

    /// The text `audit reconcile` prints.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let c = &self.counts;
        let _ = writeln!(
            out,
            "holder log     {} ({} entries, root {})",
            self.holder_log.display(),
            self.holder_entries,
            self.holder_root
        );
        let _ = writeln!(
            out,
            "requester log  {} ({} entries, {} receipts from this holder)",
            self.requester_log.display(),
            self.requester_entries,
            self.receipts
        );
        let _ = writeln!(
            out,
            "requester {}: holder decided {} accepted, {} refused; requester kept receipts of {} accepted, {} refused",
            self.requester,
            c.holder_accepted,
            c.holder_refused,
            c.requester_accepted,
            c.requester_refused
        );
        for d in &self.disagreements {
            let _ = writeln!(out, "DISAGREE       {}", d.describe());
        }
        if self.agree() {
            out.push_str("agree: both logs tell one story\n");
        }
        out
    }

    /// `Err` (for a nonzero exit) when the logs disagree.
    pub fn check(&self) -> Result<(), LogsDisagree> {
        if self.agree() {
            return Ok(());
        }
        Err(LogsDisagree {
            count: self.disagreements.len(),
        })
    }
}
