//! The holder's ledger on disk: the hash-chained audit log and the replay journal, every
//! write durable (a covering fdatasync returned) before it returns, concurrent sessions'
//! writes sharing those syncs ([`GroupCommit`]). Each `set-sent` entry carries
//! `ledger_syncs`, the fdatasyncs both files have issued since the ledger was opened (so
//! a load run can count syncs per session from the log). Implements the protocol driver's [`Ledger`], so `irs serve`,
//! the load test and the scale harness write the same entries in the same order. The
//! audit entry of each [`HolderEvent`] (kinds and fields) is decided here, once.

use std::path::{Path, PathBuf};

use crate::GroupCommit;
use crate::audit::{AuditError, AuditEvent, AuditLog, EventKind, parse_line};
use crate::replay::{ReplayError, ReplayStore};
use blindlink_protocol::driver::{HolderEvent, Ledger, RequestSummary, ServedRecords};
use blindlink_protocol::manifest::RequestId;
use serde_json::{Map, Value, json};
use thiserror::Error;

/// Why the ledger could not be opened, read or written.
#[derive(Debug, Error)]
pub enum LedgerError {
    /// The audit log.
    #[error("audit log: {0}")]
    Audit(#[from] AuditError),
    /// The replay journal.
    #[error("replay journal: {0}")]
    Replay(#[from] ReplayError),
    /// The audit log could not be read back.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The log.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

/// The audit log and the replay journal of one holder state directory.
#[derive(Debug)]
pub struct FileLedger {
    audit: AuditLog,
    replay: ReplayStore,
}

impl FileLedger {
    /// Opens (or creates) both files; the audit log's chain is verified on open. Writes
    /// use the default [`GroupCommit`].
    pub fn open(audit_log: &Path, replay_journal: &Path) -> Result<FileLedger, LedgerError> {
        FileLedger::open_with(audit_log, replay_journal, &GroupCommit::default())
    }

    /// [`open`](Self::open) with the given group commit settings (for both files).
    pub fn open_with(
        audit_log: &Path,
        replay_journal: &Path,
        group: &GroupCommit,
    ) -> Result<FileLedger, LedgerError> {
        Ok(FileLedger {
            audit: AuditLog::open_with(audit_log, group.clone())?,
            replay: ReplayStore::open_with(replay_journal, group.clone())?,
        })
    }

    /// The fdatasyncs the audit log and the replay journal have issued for writes since
    /// they were opened (the count `set-sent` entries carry as `ledger_syncs`).
    pub fn syncs(&self) -> u64 {
        self.audit.syncs() + self.replay.syncs()
    }

    /// The audit log.
    pub fn audit(&self) -> &AuditLog {
        &self.audit
    }
}

fn base(request: &RequestSummary) -> Map<String, Value> {
    let value = json!({
        "requester": request.requester,
        "request_id": request.request_id.to_hex(),
        "records": request.records,
        "elements": request.elements,
        "rules": request.rules,
        "approvals": request.approvals,
    });
    value.as_object().cloned().unwrap_or_default()
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The audit entry of a holder event (the kinds and fields `irs` has always written).
fn audit_event(time: u64, event: &HolderEvent<'_>) -> AuditEvent {
    let (kind, details) = match *event {
        HolderEvent::RequestReceived(request) => (EventKind::RequestReceived, base(request)),
        HolderEvent::DecisionRefused { request, reason } => {
            let mut details = base(request);
            details.insert("message".into(), reason.to_string().into());
            let kind = EventKind::DecisionRefused {
                reason: reason.code().to_owned(),
            };
            (kind, details)
        }
        HolderEvent::DecisionAccepted {
            request,
            approved_by,
        } => {
            let mut details = base(request);
            let approved_by: Vec<Value> = approved_by
                .iter()
                .map(|(role, key)| json!({ "role": role.as_str(), "key": key.to_hex() }))
                .collect();
            details.insert("approved_by".into(), approved_by.into());
            (EventKind::DecisionAccepted, details)
        }
        HolderEvent::Evaluated {
            request,
            elements,
            proofs,
        } => (
            EventKind::Evaluated,
            object(json!({
                "requester": request.requester,
                "request_id": request.request_id.to_hex(),
                "elements": elements,
                "proofs": proofs,
            })),
        ),
        HolderEvent::SetSent {
            request,
            set_hash,
            cached,
            set_bytes,
            wire_bytes_out,
            wire_bytes_in,
        } => (
            EventKind::SetSent,
            object(json!({
                "requester": request.requester,
                "request_id": request.request_id.to_hex(),
                "set_hash": hex::encode(set_hash),
                "cached": cached,
                "set_bytes": set_bytes,
                "wire_bytes_out": wire_bytes_out,
                "wire_bytes_in": wire_bytes_in,
            })),
        ),
        HolderEvent::SessionError {
            peer,
            requester,
            reason,
            error,
        } => (
            EventKind::SessionError,
            object(json!({
                "peer": peer,
                "requester": requester,
                "reason": reason,
                "error": error,
            })),
        ),
    };
    AuditEvent {
        time,
        kind,
        details,
    }
}

impl Ledger for FileLedger {
    type Error = LedgerError;

    fn record(&self, time: u64, event: &HolderEvent<'_>) -> Result<(), LedgerError> {
        let mut entry = audit_event(time, event);
        if let HolderEvent::SetSent { .. } = event {
            entry
                .details
                .insert("ledger_syncs".into(), self.syncs().into());
        }
        self.audit.append(&entry)?;
        Ok(())
    }

    fn is_claimed(&self, id: &RequestId) -> Result<bool, LedgerError> {
        Ok(self.replay.contains(id)?)
    }

    fn claim(&self, id: &RequestId) -> Result<bool, LedgerError> {
        Ok(self.replay.insert_if_new(id)?)
    }

    /// The `decision-accepted` entries (which carry `requester` and `records`). The chain
    /// was verified when the log was opened; lines that do not parse are skipped.
    fn served_history(&self) -> Result<Vec<ServedRecords>, LedgerError> {
        let path = self.audit.path();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => {
                return Err(LedgerError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        let mut served = Vec::new();
        for line in bytes.split(|&b| b == b'\n') {
            let Ok(entry) = parse_line(line) else {
                continue;
            };
            if entry.event.kind != EventKind::DecisionAccepted {
                continue;
            }
            let details = &entry.event.details;
            let requester = details.get("requester").and_then(Value::as_str);
            let records = details.get("records").and_then(Value::as_u64);
            if let (Some(requester), Some(records)) = (requester, records) {
                served.push(ServedRecords {
                    requester: requester.to_owned(),
                    time: entry.event.time,
                    records,
                });
            }
        }
        Ok(served)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(time: u64, kind: EventKind, details: Value) -> AuditEvent {
        AuditEvent {
            time,
            kind,
            details: object(details),
        }
    }

    #[test]
    fn history_is_the_accepted_decisions_only() {
        let dir = tempfile::tempdir().unwrap();
        let audit = dir.path().join("audit.log");
        let replay = dir.path().join("replay.log");
        let ledger = FileLedger::open(&audit, &replay).unwrap();
        let accepted = |t, who: &str, n: u64| {
            event(
                t,
                EventKind::DecisionAccepted,
                json!({"requester": who, "records": n}),
            )
        };
        let log = ledger.audit();
        log.append(&accepted(10, "ice-a", 100)).unwrap();
        log.append(&accepted(20, "ice-b", 7)).unwrap();
        log.append(&event(
            40,
            EventKind::DecisionRefused {
                reason: "expired".into(),
            },
            json!({"requester": "ice-a", "records": 999}),
        ))
        .unwrap();
        drop(ledger);
        let history = FileLedger::open(&audit, &replay)
            .unwrap()
            .served_history()
            .unwrap();
        let got: Vec<(&str, u64, u64)> = history
            .iter()
            .map(|s| (s.requester.as_str(), s.time, s.records))
            .collect();
        assert_eq!(got, [("ice-a", 10, 100), ("ice-b", 20, 7)]);
    }

    #[test]
    fn a_claim_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let (audit, replay) = (dir.path().join("a.log"), dir.path().join("r.log"));
        let id = RequestId::from_bytes([3; 16]);
        let ledger = FileLedger::open(&audit, &replay).unwrap();
        assert!(!ledger.is_claimed(&id).unwrap());
        assert!(ledger.claim(&id).unwrap());
        assert!(!ledger.claim(&id).unwrap());
        drop(ledger);
        let ledger = FileLedger::open(&audit, &replay).unwrap();
        assert!(ledger.is_claimed(&id).unwrap());
        assert!(!ledger.claim(&id).unwrap());
    }
}
