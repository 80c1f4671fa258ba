//! Records served per requester per UTC day, for the policy's daily limit.
//!
//! Kept in memory and seeded from the ledger's accepted decisions when the holder starts
//! ([`Ledger::served_history`](super::Ledger::served_history)), so the limit survives
//! restarts without a second file that could disagree with the audit log.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use super::ledger::ServedRecords;

const DAY: u64 = 86_400;

/// Daily usage counters; lock with [`DailyUsage::lock`] around a decision so that the
/// check, the claim and the increment are one step.
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
    /// Counters that already hold `history`.
    pub fn from_history(history: impl IntoIterator<Item = ServedRecords>) -> DailyUsage {
        let mut served = HashMap::new();
        for entry in history {
            let total: &mut u64 = served
                .entry((entry.requester, entry.time / DAY))
                .or_insert(0);
            *total = total.saturating_add(entry.records);
        }
        DailyUsage {
            served: Mutex::new(served),
        }
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
        let total = self
            .served
            .entry((requester.to_owned(), now / DAY))
            .or_insert(0);
        *total = total.saturating_add(records);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(requester: &str, time: u64, records: u64) -> ServedRecords {
        ServedRecords {
            requester: requester.into(),
            time,
            records,
        }
    }

    #[test]
    fn seeded_from_history_per_requester_and_day() {
        let day = 20_000 * DAY;
        let usage = DailyUsage::from_history([
            served("ice-a", day + 10, 100),
            served("ice-a", day + 20, 50),
            served("ice-b", day + 30, 7),
            served("ice-a", day - 10, 1000),
        ]);
        let mut g = usage.lock();
        assert_eq!(g.served_today("ice-a", day + 500), 150);
        assert_eq!(g.served_today("ice-b", day + 500), 7);
        assert_eq!(g.served_today("ice-a", day - 1), 1000);
        g.add("ice-b", day + 600, 3);
        assert_eq!(g.served_today("ice-b", day + 700), 10);
        assert_eq!(g.served_today("ice-b", day + DAY), 0);
    }

    #[test]
    fn counts_saturate_instead_of_wrapping() {
        let usage = DailyUsage::from_history([served("a", 0, u64::MAX), served("a", 1, 5)]);
        let mut g = usage.lock();
        assert_eq!(g.served_today("a", 2), u64::MAX);
        g.add("a", 3, 1);
        assert_eq!(g.served_today("a", 3), u64::MAX);
    }
}
