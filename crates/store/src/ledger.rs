//! The holder's ledger on disk: the hash-chained audit log and the replay journal, every
//! write durable (a covering fdatasync returned) before it returns, concurrent sessions'
//! writes sharing those syncs ([`GroupCommit`]). Each `set-sent` entry carries
//! `ledger_syncs`, the fdatasyncs both files have issued since the ledger was opened (so
//! a load run can count syncs per session from the log). Implements the protocol driver's [`Ledger`], so `irs serve`,
//! the load test and the scale harness write the same entries in the same order. The
//! audit entry of each [`HolderEvent`] (kinds and fields) is decided here, once.
//!
//! On open the replay journal is reconciled with the audit log: every request id the log
//! records as `decision-accepted` must be in the journal. A journal that is missing
//! (deleted), shorter (truncated, restored from an old backup) or otherwise lacks such
//! ids is rebuilt from the log, in one write and one sync, before any session is served,
//! and the rebuild is itself audited (`replay-rebuilt`, with the counts). A journal is
//! never silently empty while the log says requests were served.

use std::path::{Path, PathBuf};

use crate::GroupCommit;
use crate::audit::{AuditError, AuditEvent, AuditLog, EventKind, parse_line};
use crate::replay::{ReplayError, ReplayStore};
use blindlink_protocol::driver::{HolderEvent, Ledger, RequestSummary, ServedRecords};
use blindlink_protocol::identity::IdentityKey;
use blindlink_protocol::manifest::{KeyEpoch, RequestId};
use blindlink_protocol::wire::DecisionReceipt;
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

/// The audit log and the replay journal of one holder state directory, and the holder's
/// identity key that signs the receipts of its decisions.
#[derive(Debug)]
pub struct FileLedger {
    audit: AuditLog,
    replay: ReplayStore,
    signer: IdentityKey,
    rebuilt: usize,
}

/// Reads the log's entries back (the chain was verified when it was opened); lines that
/// do not parse are skipped.
/// The entries of the audit log at `path` that parse, in order (none if the file is
/// missing). Callers that need the chain checked open the log first (`AuditLog::open`
/// verifies it); lines that do not parse are skipped.
pub fn read_entries(path: &Path) -> Result<Vec<crate::audit::AuditEntry>, LedgerError> {
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
    Ok(bytes
        .split(|&b| b == b'\n')
        .filter_map(|line| parse_line(line).ok())
        .collect())
}

/// The request ids of the log's `decision-accepted` entries.
fn accepted_ids(entries: &[crate::audit::AuditEntry]) -> Vec<RequestId> {
    entries
        .iter()
        .filter(|entry| entry.event.kind == EventKind::DecisionAccepted)
        .filter_map(|entry| entry.event.details.get("request_id")?.as_str())
        .filter_map(|hex| RequestId::from_hex(hex).ok())
        .collect()
}

impl FileLedger {
    /// Opens (or creates) both files; the audit log's chain is verified on open. Writes
    /// use the default [`GroupCommit`]; `signer` (the holder's identity key) signs the
    /// receipts.
    pub fn open(
        audit_log: &Path,
        replay_journal: &Path,
        signer: IdentityKey,
    ) -> Result<FileLedger, LedgerError> {
        FileLedger::open_with(audit_log, replay_journal, signer, &GroupCommit::default())
    }

    /// [`open`](Self::open) with the given group commit settings (for both files).
    pub fn open_with(
        audit_log: &Path,
        replay_journal: &Path,
        signer: IdentityKey,
        group: &GroupCommit,
    ) -> Result<FileLedger, LedgerError> {
        let audit = AuditLog::open_with(audit_log, group.clone())?;
        let replay = ReplayStore::open_with(replay_journal, group.clone())?;
        let accepted = accepted_ids(&read_entries(audit_log)?);
        let journal_had = replay.len()?;
        let rebuilt = replay.restore(&accepted)?;
        if rebuilt > 0 {
            let details = json!({
                "journal": replay_journal.display().to_string(),
                "ids_restored": rebuilt,
                "ids_in_journal_before": journal_had,
                "accepted_in_log": accepted.len(),
            });
            audit.append(&AuditEvent {
                time: unix_now(),
                kind: EventKind::ReplayRebuilt,
                details: object(details),
            })?;
        }
        Ok(FileLedger {
            audit,
            replay,
            signer,
            rebuilt,
        })
    }

    /// How many accepted request ids were missing from the replay journal and restored
    /// from the audit log when the ledger was opened (0 if the two agreed).
    pub fn rebuilt(&self) -> usize {
        self.rebuilt
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

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The fields every entry about a request carries (a receipt's entry is checked by its
/// request id, requester and manifest hash).
fn base(request: &RequestSummary) -> Map<String, Value> {
    let value = json!({
        "requester": request.requester,
        "request_id": request.request_id.to_hex(),
        "manifest_sha256": hex::encode(request.signed.manifest_sha256),
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
            let s = &request.signed;
            let presented: Vec<Value> = s
                .approvals
                .iter()
                .map(|(role, key, signature)| {
                    json!({
                        "role": role.as_str(),
                        "key": key.to_hex(),
                        "signature": hex::encode(signature),
                    })
                })
                .collect();
            details.insert("key_epoch".into(), s.key_epoch.to_hex().into());
            details.insert("oprf_public_key".into(), s.oprf_public_key.to_hex().into());
            details.insert("set_hash".into(), s.set_hash.to_hex().into());
            details.insert("approval_signatures".into(), presented.into());
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

    fn record_decision(
        &self,
        time: u64,
        event: &HolderEvent<'_>,
        since: u64,
    ) -> Result<DecisionReceipt, LedgerError> {
        let entry = audit_event(time, event);
        let (_, receipt) = self
            .audit
            .append_with_receipt(&entry, since, &self.signer, time)?;
        Ok(receipt)
    }

    fn is_claimed(&self, id: &RequestId) -> Result<bool, LedgerError> {
        Ok(self.replay.contains(id)?)
    }

    fn claim(&self, id: &RequestId) -> Result<bool, LedgerError> {
        Ok(self.replay.insert_if_new(id)?)
    }

    /// The `decision-accepted` entries (which carry `requester`, `records`, `elements`
    /// and `key_epoch`; an entry without `elements` counts 0, one without a valid
    /// `key_epoch` counts against every epoch). The chain was verified when the log was
    /// opened; lines that do not parse are skipped.
    fn served_history(&self) -> Result<Vec<ServedRecords>, LedgerError> {
        let mut served = Vec::new();
        for entry in read_entries(self.audit.path())? {
            if entry.event.kind != EventKind::DecisionAccepted {
                continue;
            }
            let details = &entry.event.details;
            let requester = details.get("requester").and_then(Value::as_str);
            let records = details.get("records").and_then(Value::as_u64);
            if let (Some(requester), Some(records)) = (requester, records) {
                let elements = details.get("elements").and_then(Value::as_u64);
                let key_epoch = details.get("key_epoch").and_then(Value::as_str);
                served.push(ServedRecords {
                    requester: requester.to_owned(),
                    time: entry.event.time,
                    records,
                    elements: elements.unwrap_or(0),
                    key_epoch: key_epoch.and_then(|hex| KeyEpoch::from_hex(hex).ok()),
                });
            }
        }
        Ok(served)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> IdentityKey {
        IdentityKey::from_secret_bytes(&[7; 32])
    }

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
        let ledger = FileLedger::open(&audit, &replay, signer()).unwrap();
        let accepted = |t, who: &str, n: u64| {
            event(
                t,
                EventKind::DecisionAccepted,
                json!({"requester": who, "records": n, "elements": 2 * n,
                       "key_epoch": "0e".repeat(16)}),
            )
        };
        let log = ledger.audit();
        log.append(&accepted(10, "ice-a", 100)).unwrap();
        log.append(&accepted(20, "ice-b", 7)).unwrap();
        log.append(&event(
            30,
            EventKind::DecisionAccepted,
            json!({"requester": "ice-c", "records": 1}),
        ))
        .unwrap();
        log.append(&event(
            40,
            EventKind::DecisionRefused {
                reason: "expired".into(),
            },
            json!({"requester": "ice-a", "records": 999}),
        ))
        .unwrap();
        drop(ledger);
        let history = FileLedger::open(&audit, &replay, signer())
            .unwrap()
            .served_history()
            .unwrap();
        let got: Vec<(&str, u64, u64, u64)> = history
            .iter()
            .map(|s| (s.requester.as_str(), s.time, s.records, s.elements))
            .collect();
        assert_eq!(
            got,
            [
                ("ice-a", 10, 100, 200),
                ("ice-b", 20, 7, 14),
                ("ice-c", 30, 1, 0)
            ]
        );
        let epochs: Vec<_> = history.iter().map(|s| s.key_epoch).collect();
        let epoch = Some(KeyEpoch::from_bytes([0x0e; 16]));
        assert_eq!(epochs, [epoch, epoch, None]);
    }

    fn accept(log: &AuditLog, id: &RequestId) {
        log.append(&event(
            10,
            EventKind::DecisionAccepted,
            json!({"requester": "ice-a", "records": 1, "request_id": id.to_hex()}),
        ))
        .unwrap();
    }

    /// Fails before: the store created an empty journal and the id was claimable again.
    #[test]
    fn a_deleted_or_truncated_journal_is_rebuilt_and_audited() {
        let dir = tempfile::tempdir().unwrap();
        let (audit, replay) = (dir.path().join("a.log"), dir.path().join("r.log"));
        let ids = [1u8, 2, 3].map(|n| RequestId::from_bytes([n; 16]));
        let ledger = FileLedger::open(&audit, &replay, signer()).unwrap();
        for id in &ids {
            assert!(ledger.claim(id).unwrap());
            accept(ledger.audit(), id);
        }
        drop(ledger);

        std::fs::remove_file(&replay).unwrap();
        let ledger = FileLedger::open(&audit, &replay, signer()).unwrap();
        assert_eq!(ledger.rebuilt(), 3);
        for id in &ids {
            assert!(ledger.is_claimed(id).unwrap());
            assert!(!ledger.claim(id).unwrap());
        }
        drop(ledger);

        let bytes = std::fs::read(&replay).unwrap();
        std::fs::write(&replay, &bytes[..33]).unwrap();
        let ledger = FileLedger::open(&audit, &replay, signer()).unwrap();
        assert_eq!(ledger.rebuilt(), 2);
        assert!(!ledger.claim(&ids[2]).unwrap());
        drop(ledger);

        let entries = read_entries(&audit).unwrap();
        let rebuilds: Vec<_> = entries
            .iter()
            .filter(|e| e.event.kind == EventKind::ReplayRebuilt)
            .map(|e| e.event.details["ids_restored"].as_u64())
            .collect();
        assert_eq!(rebuilds, [Some(3), Some(2)]);
        let ledger = FileLedger::open(&audit, &replay, signer()).unwrap();
        assert_eq!(ledger.rebuilt(), 0, "an agreeing journal is left alone");
    }

    #[test]
    fn a_claim_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let (audit, replay) = (dir.path().join("a.log"), dir.path().join("r.log"));
        let id = RequestId::from_bytes([3; 16]);
        let ledger = FileLedger::open(&audit, &replay, signer()).unwrap();
        assert!(!ledger.is_claimed(&id).unwrap());
        assert!(ledger.claim(&id).unwrap());
        assert!(!ledger.claim(&id).unwrap());
        drop(ledger);
        let ledger = FileLedger::open(&audit, &replay, signer()).unwrap();
        assert!(ledger.is_claimed(&id).unwrap());
        assert!(!ledger.claim(&id).unwrap());
    }
}
