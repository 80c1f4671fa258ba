//! Per-record results of a request: for each requested record, the strongest rule under
//! which one of its keys matched. The results file (`ice query --results`) is written
//! and read by `blindlink_store::csv::results`.

use blindlink_core::match_key::MatchRule;

use super::{BundleContents, BundleError};

/// The outcome for one requested record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordResult {
    /// The record's id.
    pub record_id: String,
    /// The strongest rule under which one of the record's keys matched, if any.
    pub matched_rule: Option<MatchRule>,
}

impl BundleContents {
    /// The per-record results, in request order, from one flag per element (true when
    /// the element's OPRF output was found in the holder's set). A record matched if
    /// any of its elements did; its `matched_rule` is the strongest rule among them.
    pub fn results(&self, matched: &[bool]) -> Result<Vec<RecordResult>, BundleError> {
        if matched.len() != self.owners.len() {
            return Err(BundleError::ResultLength {
                expected: self.owners.len(),
                got: matched.len(),
            });
        }
        let mut best: Vec<Option<MatchRule>> = vec![None; self.records.len()];
        for (owner, _) in self.owners.iter().zip(matched).filter(|(_, hit)| **hit) {
            if let Some(slot) = best.get_mut(owner.record as usize) {
                *slot = Some(match *slot {
                    Some(rule) => rule.min(owner.rule),
                    None => owner.rule,
                });
            }
        }
        Ok(self
            .records
            .iter()
            .zip(best)
            .map(|(record, matched_rule)| RecordResult {
                record_id: record.record_id().to_owned(),
                matched_rule,
            })
            .collect())
    }
}
