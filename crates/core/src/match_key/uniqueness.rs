//! Local uniqueness: a key value shared by two records of the same file cannot identify
//! either of them, so it is dropped from both before it reaches the OPRF.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::{MatchKey, MatchRule};

/// What [`retain_locally_unique`] dropped, per rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UniquenessReport {
    dropped_values: [u64; 4],
    dropped_keys: [u64; 4],
}

impl UniquenessReport {
    /// Distinct key values of `rule` dropped because two or more records had them.
    pub fn dropped_values(&self, rule: MatchRule) -> u64 {
        self.dropped_values.get(rule.index()).copied().unwrap_or(0)
    }

    /// Key entries of `rule` removed from the lists (every record's copy counts).
    pub fn dropped_keys(&self, rule: MatchRule) -> u64 {
        self.dropped_keys.get(rule.index()).copied().unwrap_or(0)
    }

    /// Distinct dropped values over all rules.
    pub fn total_dropped_values(&self) -> u64 {
        self.dropped_values.iter().sum()
    }

    /// Removed key entries over all rules.
    pub fn total_dropped_keys(&self) -> u64 {
        self.dropped_keys.iter().sum()
    }

    fn count(&mut self, rule: MatchRule, first_time: bool) {
        if let Some(k) = self.dropped_keys.get_mut(rule.index()) {
            *k += 1;
        }
        if first_time && let Some(v) = self.dropped_values.get_mut(rule.index()) {
            *v += 1;
        }
    }
}

/// Owner of a key value while scanning: one record index, or shared.
const SHARED: usize = usize::MAX;
/// A shared value already counted in the report.
const SHARED_COUNTED: usize = usize::MAX - 1;

/// Drops every key value that occurs in the lists of two or more records (index =
/// record), keeping the order of the remaining keys. A value repeated inside one record's
/// own list is not a conflict and is kept.
///
/// Runs in O(total keys) expected time: one hash map from key bytes (borrowed, not copied)
/// to the owning record index, built in one pass, then one pass to mark shared values and
/// one `retain` per list. Extra memory is the map (about 24 bytes per distinct value plus
/// the table's slack) and one byte per key.
pub fn retain_locally_unique(keys_per_record: &mut [Vec<MatchKey>]) -> UniquenessReport {
    let total: usize = keys_per_record.iter().map(Vec::len).sum();
    let mut report = UniquenessReport::default();
    let mut drop_flags: Vec<bool> = Vec::with_capacity(total);
    {
        let mut owner: HashMap<&[u8], usize> = HashMap::with_capacity(total);
        for (i, keys) in keys_per_record.iter().enumerate() {
            for key in keys {
                match owner.entry(key.bytes.as_slice()) {
                    Entry::Vacant(slot) => {
                        slot.insert(i);
                    }
                    Entry::Occupied(mut slot) => {
                        if *slot.get() != i {
                            slot.insert(SHARED);
                        }
                    }
                }
            }
        }
        for keys in keys_per_record.iter() {
            for key in keys {
                let flag = match owner.get_mut(key.bytes.as_slice()) {
                    Some(o) if *o == SHARED => {
                        *o = SHARED_COUNTED;
                        report.count(key.rule, true);
                        true
                    }
                    Some(o) if *o == SHARED_COUNTED => {
                        report.count(key.rule, false);
                        true
                    }
                    _ => false,
                };
                drop_flags.push(flag);
            }
        }
    }
    if report.total_dropped_keys() > 0 {
        let mut flags = drop_flags.into_iter();
        for keys in keys_per_record.iter_mut() {
            keys.retain(|_| !flags.next().unwrap_or(false));
        }
    }
    report
}
