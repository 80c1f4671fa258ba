//! Local uniqueness on the sorted entry stream: a key value shared by two or more rows of
//! the file cannot identify either, so every copy is dropped; copies within one row are
//! not a conflict and are kept. This reproduces
//! [`retain_locally_unique`](blindlink_core::match_key::retain_locally_unique) on the
//! plaintext keys, with values compared by their first 128 OPRF output bits (see
//! [`entry`](super::entry)).
//!
//! Equal values are adjacent in the sorted stream, so [`Groups`] sees one value at a
//! time and needs O(1) memory; which rows keep a key is recorded in a [`RowBitmap`]
//! (one bit per data row) to count the records that lost all their keys.

use super::IngestError;
use super::entry::{KeyEntry, MAX_ROW};

/// What uniqueness did, per rule (indexed by
/// [`MatchRule::index`](blindlink_core::match_key::MatchRule::index)).
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
    /// Keys kept over all rules: the number of values that go into the set.
    pub fn unique_keys(&self) -> u64 {
        self.kept.iter().sum()
    }

    /// Keys evaluated and then dropped (OPRF work spent on nothing).
    pub fn dropped_total(&self) -> u64 {
        self.dropped_keys.iter().sum()
    }
}

/// All entries of one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    /// The smallest entry (lowest row).
    pub first: KeyEntry,
    /// Entries per rule.
    pub per_rule: [u64; 4],
    /// Whether two different rows have the value.
    pub shared: bool,
}

/// Groups a sorted entry stream by value.
#[derive(Debug)]
pub struct Groups<I> {
    entries: I,
    pending: Option<KeyEntry>,
}

impl<I> Groups<I> {
    /// Groups `entries`, which must be sorted.
    pub fn new(entries: I) -> Groups<I> {
        Groups {
            entries,
            pending: None,
        }
    }
}

impl<I: Iterator<Item = Result<KeyEntry, IngestError>>> Iterator for Groups<I> {
    type Item = Result<Group, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        let first = match self.pending.take() {
            Some(e) => e,
            None => match self.entries.next()? {
                Ok(e) => e,
                Err(e) => return Some(Err(e)),
            },
        };
        let mut group = Group {
            first,
            per_rule: [0; 4],
            shared: false,
        };
        let add = |g: &mut Group, e: &KeyEntry| {
            if let Some(n) = g.per_rule.get_mut(e.rule().index()) {
                *n += 1;
            }
        };
        add(&mut group, &first);
        for next in self.entries.by_ref() {
            let next = match next {
                Ok(e) => e,
                Err(e) => return Some(Err(e)),
            };
            if next.value() != first.value() {
                self.pending = Some(next);
                break;
            }
            group.shared |= next.row() != first.row();
            add(&mut group, &next);
        }
        Some(Ok(group))
    }
}

/// One bit per data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowBitmap {
    words: Vec<u64>,
    rows: u64,
}

impl RowBitmap {
    /// All clear, for `rows` rows; `None` for more rows than an entry can number
    /// ([`MAX_ROW`]` + 1`, checked before anything is allocated) or if that much memory
    /// cannot be had. The row count of a merge comes from shard headers: [`ShardSet`]
    /// bounds it by the input size the shards record before pass 1 gets here.
    ///
    /// [`ShardSet`]: crate::ShardSet
    pub fn new(rows: u64) -> Option<RowBitmap> {
        if rows > MAX_ROW + 1 {
            return None;
        }
        let len = usize::try_from(rows.div_ceil(64)).ok()?;
        let mut words = Vec::new();
        words.try_reserve_exact(len).ok()?;
        words.resize(len, 0);
        Some(RowBitmap { words, rows })
    }

    /// Sets `row`'s bit; `false` if `row` is out of range.
    pub fn set(&mut self, row: u64) -> bool {
        if row >= self.rows {
            return false;
        }
        match usize::try_from(row / 64)
            .ok()
            .and_then(|w| self.words.get_mut(w))
        {
            Some(word) => {
                *word |= 1 << (row % 64);
                true
            }
            None => false,
        }
    }

    /// Bits set.
    pub fn count(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }
}

/// Pass 1 over the sorted stream: the statistics, given `rows` data rows of which
/// `records_with_keys` have at least one key.
pub fn count_unique(
    entries: impl Iterator<Item = Result<KeyEntry, IngestError>>,
    rows: u64,
    records_with_keys: u64,
) -> Result<UniquenessStats, IngestError> {
    let mut stats = UniquenessStats::default();
    let mut keeping = RowBitmap::new(rows).ok_or(IngestError::RowsUntrackable { rows })?;
    for group in Groups::new(entries) {
        let group = group?;
        if group.shared {
            if let Some(v) = stats.dropped_values.get_mut(group.first.rule().index()) {
                *v += 1;
            }
            for (total, n) in stats.dropped_keys.iter_mut().zip(group.per_rule) {
                *total += n;
            }
        } else {
            for (total, n) in stats.kept.iter_mut().zip(group.per_rule) {
                *total += n;
            }
            if !keeping.set(group.first.row()) {
                return Err(IngestError::RowOutOfRange {
                    row: group.first.row(),
                    rows,
                });
            }
        }
    }
    stats.records_emptied = records_with_keys.saturating_sub(keeping.count());
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use blindlink_core::match_key::{MatchKey, MatchRule, retain_locally_unique};
    use proptest::prelude::*;

    proptest! {
        /// Same counts as the core's plaintext uniqueness, with value = key bytes.
        #[test]
        fn agrees_with_retain_locally_unique(
            rows in prop::collection::vec(prop::collection::btree_set((0usize..4, 0u8..12), 0..4), 1..30)
        ) {
            let mut keys: Vec<Vec<MatchKey>> = Vec::new();
            let mut entries = Vec::new();
            for (row, set) in rows.iter().enumerate() {
                let mut list = Vec::new();
                for &(rule, v) in set {
                    let rule = MatchRule::ALL[rule];
                    // The value encodes the rule, as key bytes do.
                    let value = u128::from(v) << 8 | rule.index() as u128;
                    list.push(MatchKey { rule, bytes: value.to_be_bytes().to_vec() });
                    entries.push(KeyEntry::new(value, row as u64, rule).unwrap());
                }
                keys.push(list);
            }
            entries.sort();
            let with_keys = keys.iter().filter(|k| !k.is_empty()).count() as u64;
            let stats = count_unique(entries.into_iter().map(Ok), rows.len() as u64, with_keys).unwrap();
            let report = retain_locally_unique(&mut keys);
            for rule in MatchRule::ALL {
                let i = rule.index();
                prop_assert_eq!(stats.dropped_values[i], report.dropped_values(rule));
                prop_assert_eq!(stats.dropped_keys[i], report.dropped_keys(rule));
                let kept = keys.iter().flatten().filter(|k| k.rule == rule).count() as u64;
                prop_assert_eq!(stats.kept[i], kept);
            }
            let emptied = rows.iter().zip(&keys).filter(|(r, k)| !r.is_empty() && k.is_empty()).count();
            prop_assert_eq!(stats.records_emptied, emptied as u64);
        }
    }

    #[test]
    fn repeats_within_a_row_are_kept_and_rows_are_checked() {
        let e = |v, row| KeyEntry::new(v, row, MatchRule::R1Exact).unwrap();
        let entries = vec![e(1, 0), e(1, 0), e(2, 1), e(2, 2), e(3, 2)];
        let stats = count_unique(entries.clone().into_iter().map(Ok), 3, 3).unwrap();
        assert_eq!(stats.kept[0], 3);
        assert_eq!((stats.dropped_values[0], stats.dropped_keys[0]), (1, 2));
        assert_eq!(stats.records_emptied, 1);
        assert_eq!(stats.dropped_total(), 2);
        assert!(matches!(
            count_unique(entries.into_iter().map(Ok), 1, 3),
            Err(IngestError::RowOutOfRange { row: 2, rows: 1 })
        ));
        // A row count no memory can track (a forged header) is an error, not an abort.
        assert!(matches!(
            count_unique(std::iter::empty(), u64::MAX, 0),
            Err(IngestError::RowsUntrackable { .. })
        ));
    }

    #[test]
    fn row_counts_beyond_what_entries_number_are_refused_before_allocating() {
        for rows in [MAX_ROW + 2, u64::MAX] {
            assert!(RowBitmap::new(rows).is_none(), "{rows}");
            assert!(matches!(
                count_unique(std::iter::empty(), rows, 0),
                Err(IngestError::RowsUntrackable { rows: r }) if r == rows
            ));
        }
        let mut bitmap = RowBitmap::new(130).unwrap();
        assert!(bitmap.set(129) && !bitmap.set(130));
        assert_eq!(bitmap.count(), 1);
    }
}
