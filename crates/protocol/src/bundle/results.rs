//! Per-record results of a request and their CSV form.
//!
//! The results file has a header and one row per requested record, in request order:
//!
//! ```text
//! record_id,matched,rule
//! A-0001,yes,R1
//! A-0002,no,
//! ```
//!
//! `matched` is `yes` or `no`; `rule` names the strongest rule that matched
//! (`R1` strongest), and is empty exactly when `matched` is `no`. Fields are quoted as
//! RFC 4180 requires (a record id may hold a comma).

use blindlink_core::match_key::MatchRule;
use thiserror::Error;

use super::{BundleContents, BundleError};

/// Column names of the results file, in order.
pub const RESULT_COLUMNS: [&str; 3] = ["record_id", "matched", "rule"];

/// Largest results file [`results_from_csv`] reads.
pub const MAX_RESULTS_CSV_BYTES: usize = 256 * 1024 * 1024;

/// The outcome for one requested record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordResult {
    /// The record's id.
    pub record_id: String,
    /// The strongest rule under which one of the record's keys matched, if any.
    pub matched_rule: Option<MatchRule>,
}

/// A results file could not be written or read.
#[derive(Debug, Error)]
pub enum ResultsError {
    /// The header is not `record_id,matched,rule`.
    #[error("results header must be record_id,matched,rule")]
    BadHeader,
    /// A row is malformed.
    #[error("results line {line}: {problem}")]
    BadRow {
        /// 1-based line in the file.
        line: u64,
        /// What is wrong.
        problem: String,
    },
    /// The file is larger than a results file can be.
    #[error("results file is {len} bytes, over the limit of {max}")]
    TooLarge {
        /// Its size.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The CSV layer failed.
    #[error("results CSV: {0}")]
    Csv(#[from] csv::Error),
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

/// Writes results as CSV (see the module doc).
pub fn results_to_csv(results: &[RecordResult]) -> Result<Vec<u8>, ResultsError> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(16 + results.len() * 24));
    writer.write_record(RESULT_COLUMNS)?;
    for result in results {
        let (matched, rule) = match result.matched_rule {
            Some(rule) => ("yes", rule.id()),
            None => ("no", ""),
        };
        writer.write_record([result.record_id.as_str(), matched, rule])?;
    }
    writer
        .into_inner()
        .map_err(|e| ResultsError::Csv(csv::Error::from(e.into_error())))
}

/// Reads a results CSV (see the module doc), strictly: exact header, three fields per
/// row, `yes`/`no`, and a rule exactly when matched.
pub fn results_from_csv(bytes: &[u8]) -> Result<Vec<RecordResult>, ResultsError> {
    if bytes.len() > MAX_RESULTS_CSV_BYTES {
        return Err(ResultsError::TooLarge {
            len: bytes.len(),
            max: MAX_RESULTS_CSV_BYTES,
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header = reader.headers()?;
    if header.iter().ne(RESULT_COLUMNS) {
        return Err(ResultsError::BadHeader);
    }
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row?;
        let line = row.position().map_or(0, csv::Position::line);
        let bad = |problem: &str| ResultsError::BadRow {
            line,
            problem: problem.to_owned(),
        };
        let (Some(id), Some(matched), Some(rule)) = (row.get(0), row.get(1), row.get(2)) else {
            return Err(bad("expected 3 fields"));
        };
        if id.is_empty() {
            return Err(bad("record_id is empty"));
        }
        let matched_rule = match (matched, rule) {
            ("yes", rule) => Some(
                MatchRule::ALL
                    .into_iter()
                    .find(|known| known.id() == rule)
                    .ok_or_else(|| bad("rule must be R1, R2, R3 or R4 when matched is yes"))?,
            ),
            ("no", "") => None,
            ("no", _) => return Err(bad("rule must be empty when matched is no")),
            _ => return Err(bad("matched must be yes or no")),
        };
        out.push(RecordResult {
            record_id: id.to_owned(),
            matched_rule,
        });
    }
    Ok(out)
}
