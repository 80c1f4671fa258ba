//! What the holder has served, for the policy's budgets: records and elements per
//! requester over a rolling 24-hour window, and elements evaluated under the served OPRF
//! key (the per-epoch cap).
//!
//! A window, not a calendar day: counters reset at UTC midnight let a requester take the
//! daily limit at 23:59 and again at 00:00. Here a request served at `t` counts against
//! every request decided before `t + 86,400`.
//!
//! Kept in memory and seeded from the ledger's accepted decisions when the holder starts
//! ([`Ledger::served_history`](super::Ledger::served_history)), so the budgets survive
//! restarts without a second file that could disagree with the audit log. An accepted
//! decision whose epoch the ledger does not know counts against the served epoch
//! (conservative).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use super::ledger::ServedRecords;
use crate::manifest::KeyEpoch;

/// Length of the rolling window, in seconds.
pub const WINDOW_SECS: u64 = 86_400;

/// One accepted request, as the window remembers it.
#[derive(Debug, Clone, Copy)]
struct Served {
    time: u64,
    records: u64,
    elements: u64,
}

#[derive(Debug, Default)]
struct Counters {
    recent: HashMap<String, Vec<Served>>,
    epoch_elements: u64,
}

/// What a requester and the served key have used, as the policy's context needs it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Used {
    /// Records served to the requester in the last 24 hours.
    pub records: u64,
    /// Elements served to the requester in the last 24 hours.
    pub elements: u64,
    /// Elements evaluated under the served key, for every requester.
    pub epoch_elements: u64,
}

/// Usage counters of one served epoch; lock with [`DailyUsage::lock`] around a decision
/// so that the check, the claim and the increment are one step.
#[derive(Debug, Default)]
pub struct DailyUsage {
    counters: Mutex<Counters>,
}

/// The locked counters.
#[derive(Debug)]
pub struct UsageGuard<'a> {
    counters: MutexGuard<'a, Counters>,
}

fn in_window(time: u64, now: u64) -> bool {
    time.saturating_add(WINDOW_SECS) > now
}

impl DailyUsage {
    /// Counters for serving `epoch` at `now` that already hold `history`: the window
    /// keeps what was served in the 24 hours before `now` (and anything stamped later),
    /// the epoch count every accepted decision under `epoch` (or under no known epoch).
    pub fn from_history(
        history: impl IntoIterator<Item = ServedRecords>,
        epoch: KeyEpoch,
        now: u64,
    ) -> DailyUsage {
        let mut counters = Counters::default();
        for entry in history {
            if entry.key_epoch.is_none_or(|e| e == epoch) {
                counters.epoch_elements = counters.epoch_elements.saturating_add(entry.elements);
            }
            if in_window(entry.time, now) {
                counters
                    .recent
                    .entry(entry.requester)
                    .or_default()
                    .push(Served {
                        time: entry.time,
                        records: entry.records,
                        elements: entry.elements,
                    });
            }
        }
        DailyUsage {
            counters: Mutex::new(counters),
        }
    }

    /// Locks the counters (a poisoned lock is recovered: counters stay consistent because
    /// every update is a single push or addition).
    pub fn lock(&self) -> UsageGuard<'_> {
        UsageGuard {
            counters: self.counters.lock().unwrap_or_else(|p| p.into_inner()),
        }
    }
}

impl UsageGuard<'_> {
    /// What `requester` was served in the 24 hours before `now`, and the epoch's total.
    pub fn used(&self, requester: &str, now: u64) -> Used {
        let mut used = Used {
            epoch_elements: self.counters.epoch_elements,
            ..Used::default()
        };
        for served in self.counters.recent.get(requester).into_iter().flatten() {
            if in_window(served.time, now) {
                used.records = used.records.saturating_add(served.records);
                used.elements = used.elements.saturating_add(served.elements);
            }
        }
        used
    }

    /// Counts `records` and `elements` more for `requester` at `now` (and drops the
    /// requester's entries that have left the window).
    pub fn add(&mut self, requester: &str, now: u64, records: u64, elements: u64) {
        let counters = &mut *self.counters;
        counters.epoch_elements = counters.epoch_elements.saturating_add(elements);
        let recent = counters.recent.entry(requester.to_owned()).or_default();
        recent.retain(|s| in_window(s.time, now));
        recent.push(Served {
            time: now,
            records,
            elements,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPOCH: KeyEpoch = KeyEpoch::from_bytes([1; 16]);
    const OLD: KeyEpoch = KeyEpoch::from_bytes([2; 16]);
    const DAY: u64 = WINDOW_SECS;

    fn served(requester: &str, time: u64, records: u64, elements: u64) -> ServedRecords {
        ServedRecords {
            requester: requester.into(),
            time,
            records,
            elements,
            key_epoch: Some(EPOCH),
        }
    }

    fn used(records: u64, elements: u64, epoch_elements: u64) -> Used {
        Used {
            records,
            elements,
            epoch_elements,
        }
    }

    #[test]
    fn seeded_from_history_per_requester_over_the_window() {
        let t = 20_000 * DAY;
        let usage = DailyUsage::from_history(
            [
                served("ice-a", t + 10, 100, 1_000),
                served("ice-a", t + 20, 50, 500),
                served("ice-b", t + 30, 7, 70),
                served("ice-a", t - DAY, 1000, 9),
            ],
            EPOCH,
            t + 500,
        );
        let mut g = usage.lock();
        assert_eq!(g.used("ice-a", t + 500), used(150, 1_500, 1_579));
        assert_eq!(g.used("ice-b", t + 500), used(7, 70, 1_579));
        g.add("ice-b", t + 600, 3, 30);
        assert_eq!(g.used("ice-b", t + 700), used(10, 100, 1_609));
        // 24 hours after each entry it no longer counts; the epoch total stays.
        assert_eq!(g.used("ice-b", t + 30 + DAY), used(3, 30, 1_609));
        assert_eq!(g.used("ice-b", t + 600 + DAY), used(0, 0, 1_609));
    }

    /// Fails with the UTC-day counters: 23:59 and 00:01 were two days.
    #[test]
    fn midnight_does_not_reset_the_window() {
        let midnight = 20_000 * DAY;
        let usage = DailyUsage::from_history([], EPOCH, midnight - 60);
        let mut g = usage.lock();
        g.add("ice-a", midnight - 60, 40, 400);
        assert_eq!(g.used("ice-a", midnight + 60), used(40, 400, 400));
        assert_eq!(g.used("ice-a", midnight - 61 + DAY), used(40, 400, 400));
        assert_eq!(g.used("ice-a", midnight - 60 + DAY), used(0, 0, 400));
    }

    #[test]
    fn the_epoch_total_counts_the_served_epoch_and_unknown_ones() {
        let mut other = served("ice-a", 10, 1, 1_000);
        other.key_epoch = Some(OLD);
        let mut unknown = served("ice-a", 10, 1, 20);
        unknown.key_epoch = None;
        let history = [other, unknown, served("ice-b", 10, 1, 3)];
        let usage = DailyUsage::from_history(history, EPOCH, 5 * DAY);
        assert_eq!(usage.lock().used("ice-a", 5 * DAY), used(0, 0, 23));
    }

    #[test]
    fn counts_saturate_instead_of_wrapping() {
        let usage = DailyUsage::from_history(
            [served("a", 0, u64::MAX, u64::MAX), served("a", 1, 5, 5)],
            EPOCH,
            2,
        );
        let mut g = usage.lock();
        assert_eq!(g.used("a", 2), used(u64::MAX, u64::MAX, u64::MAX));
        g.add("a", 3, 1, 1);
        assert_eq!(g.used("a", 3), used(u64::MAX, u64::MAX, u64::MAX));
    }
}
