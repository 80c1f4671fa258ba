//! Phase 2, uniqueness: a key value shared by two records of the file cannot identify
//! either, so it is dropped from both ([`retain_locally_unique`]); records left without
//! keys are removed from the list.

use blindlink_core::match_key::{MatchKey, MatchRule, retain_locally_unique};

/// What phase 2 did, per rule (indexed by [`MatchRule::index`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UniquenessStats {
    /// Distinct key values dropped because two or more records had them.
    pub dropped_values: [u64; 4],
    /// Key entries removed (every record's copy counts).
    pub dropped_keys: [u64; 4],
    /// Keys kept.
    pub kept: [u64; 4],
    /// Records that lost all their keys.
    pub records_emptied: u64,
}

impl UniquenessStats {
    /// Keys kept over all rules: the number of distinct values that go to the OPRF.
    pub fn unique_keys(&self) -> u64 {
        self.kept.iter().sum()
    }
}

/// Drops shared key values from `keys` (one list per record) and removes lists that
/// become empty.
pub fn retain_unique(keys: &mut Vec<Vec<MatchKey>>) -> UniquenessStats {
    let report = retain_locally_unique(keys);
    let mut stats = UniquenessStats::default();
    for rule in MatchRule::ALL {
        let i = rule.index();
        if let (Some(v), Some(k)) = (
            stats.dropped_values.get_mut(i),
            stats.dropped_keys.get_mut(i),
        ) {
            *v = report.dropped_values(rule);
            *k = report.dropped_keys(rule);
        }
    }
    let before = keys.len();
    keys.retain(|list| !list.is_empty());
    stats.records_emptied = (before - keys.len()) as u64;
    for key in keys.iter().flatten() {
        if let Some(n) = stats.kept.get_mut(key.rule.index()) {
            *n += 1;
        }
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(rule: MatchRule, b: u8) -> MatchKey {
        MatchKey {
            rule,
            bytes: vec![b; 3],
        }
    }

    #[test]
    fn shared_values_go_and_empty_records_are_removed() {
        let (r1, r2) = (MatchRule::R1Exact, MatchRule::R2NameHouseZip);
        let mut keys = vec![
            vec![key(r1, 1), key(r2, 9)],
            vec![key(r2, 9)],
            vec![key(r1, 2), key(r2, 9)],
        ];
        let stats = retain_unique(&mut keys);
        assert_eq!(stats.dropped_values[1], 1);
        assert_eq!(stats.dropped_keys[1], 3);
        assert_eq!(stats.kept, [2, 0, 0, 0]);
        assert_eq!(stats.records_emptied, 1);
        assert_eq!(keys, vec![vec![key(r1, 1)], vec![key(r1, 2)]]);
        assert_eq!(stats.unique_keys(), 2);
    }
}
