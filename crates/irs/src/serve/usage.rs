//! Records served per requester per UTC day, for the policy's daily limit.
//!
//! Kept in memory and rebuilt at start from the audit log's `decision-accepted` entries
//! (which carry `requester` and `records`), so the limit survives restarts without a
//! second file that could disagree with the log.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use blindlink_store::audit::{EventKind, parse_line};

const DAY: u64 = 86_400;

/// Daily usage counters; lock with [`DailyUsage::lock`] around a decision so that the
/// check and the increment are one step.
#[derive(Debug, Default)]
pub struct DailyUsage {
    served: Mutex<HashMap<(String, u64), u64>>,
}

/// The locked counters.
#[derive(Debug)]
pub struct UsageGuard<'a> {
    served: MutexGuard<'a, HashMap<(String, u64), u64>>,
}

impl DailyUsage {
    /// Rebuilds the counters from an audit log file (a missing file means no usage).
    /// Unparsable lines are skipped here; `AuditLog::open` has already verified the chain.
    pub fn from_audit_log(path: &Path) -> std::io::Result<DailyUsage> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        let mut served = HashMap::new();
        for line in bytes.split(|&b| b == b'\n') {
            let Ok(entry) = parse_line(line) else {
                continue;
            };
            if entry.event.kind != EventKind::DecisionAccepted {
                continue;
            }
            let details = &entry.event.details;
            let requester = details.get("requester").and_then(|v| v.as_str());
            let records = details.get("records").and_then(|v| v.as_u64());
            if let (Some(requester), Some(records)) = (requester, records) {
                *served
                    .entry((requester.to_owned(), entry.event.time / DAY))
                    .or_insert(0) += records;
            }
        }
        Ok(DailyUsage {
            served: Mutex::new(served),
        })
    }

    /// Locks the counters (a poisoned lock is recovered: counters stay consistent because
    /// every update is a single insert).
    pub fn lock(&self) -> UsageGuard<'_> {
        UsageGuard {
            served: self.served.lock().unwrap_or_else(|p| p.into_inner()),
        }
    }
}

impl UsageGuard<'_> {
    /// Records served to `requester` on the day of `now`.
    pub fn served_today(&self, requester: &str, now: u64) -> u64 {
        self.served
            .get(&(requester.to_owned(), now / DAY))
            .copied()
            .unwrap_or(0)
    }

    /// Counts `records` more for `requester` on the day of `now`.
    pub fn add(&mut self, requester: &str, now: u64, records: u64) {
        *self
            .served
            .entry((requester.to_owned(), now / DAY))
            .or_insert(0) += records;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use blindlink_store::audit::{AuditEvent, AuditLog};
    use serde_json::json;

    fn event(time: u64, kind: EventKind, details: serde_json::Value) -> AuditEvent {
        AuditEvent {
            time,
            kind,
            details: details.as_object().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn rebuilt_from_accepted_decisions_per_day() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.log");
        let log = AuditLog::open(&path).unwrap();
        let day = 20_000 * DAY;
        let accepted = |t, who: &str, n: u64| {
            event(
                t,
                EventKind::DecisionAccepted,
                json!({"requester": who, "records": n}),
            )
        };
        log.append(&accepted(day + 10, "ice-a", 100)).unwrap();
        log.append(&accepted(day + 20, "ice-a", 50)).unwrap();
        log.append(&accepted(day + 30, "ice-b", 7)).unwrap();
        log.append(&accepted(day - 10, "ice-a", 1000)).unwrap();
        log.append(&event(
            day + 40,
            EventKind::DecisionRefused {
                reason: "expired".into(),
            },
            json!({"requester": "ice-a", "records": 999}),
        ))
        .unwrap();
        let usage = DailyUsage::from_audit_log(&path).unwrap();
        let mut g = usage.lock();
        assert_eq!(g.served_today("ice-a", day + 500), 150);
        assert_eq!(g.served_today("ice-b", day + 500), 7);
        assert_eq!(g.served_today("ice-a", day - 1), 1000);
        g.add("ice-b", day + 600, 3);
        assert_eq!(g.served_today("ice-b", day + 700), 10);
        assert_eq!(g.served_today("ice-b", day + DAY), 0);
    }
}
