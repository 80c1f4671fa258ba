//! Linkage quality: match results judged against the ground truth.
//!
//! [`evaluate`] takes the truth file of a request ([`crate::read_truth`]) and the
//! requester's results ([`read_results`]) and reports, per match rule and cumulatively in
//! rule order, how many rows matched, how many of those were right, precision, recall
//! and false flags; and, per [`Corruption`], how many present people were found. The
//! `synth evaluate` command prints it.
//!
//! # What counts as correct
//!
//! Each requested row is judged once, on the rule the results name for it (the
//! strongest rule that matched, as `ice query` reports it):
//!
//! - **correct**: the row matched, the truth says the person is present in the holder's
//!   file, and, when the results name holder records, the truth's holder record is among
//!   them;
//! - **absent flagged** (a false flag): the row matched but the truth says the person is
//!   not in the holder's file;
//! - **wrong person** (a false flag): the row matched a present person, but the results
//!   name holder records and the truth's record is not one of them. Results of the real
//!   protocol name no holder record, so this can only be seen in a plaintext simulation;
//!   with `ice query` results a present person's match always counts as correct, and
//!   precision is an upper bound;
//! - **missed**: a present person's row that did not match; an absent person's row that
//!   did not match is right and counted nowhere else.
//!
//! # Figures
//!
//! For a group of matched rows (those whose strongest rule is R2, or those whose
//! strongest rule is R1 or R2, ...):
//!
//! - precision = correct / matched;
//! - recall = correct / present people (rows the truth says are in the holder's file);
//! - current recall = correct at the current address / present people whose requested
//!   address is the holder's (no `moved_address`);
//! - false flags per 10,000 = (absent flagged + wrong person) / all requested rows
//!   (present and absent) x 10,000.
//!
//! Cumulative figures through rule Rk are the figures a holder answering only R1..Rk
//! would give: a row's reported rule is its strongest match, so dropping weaker rules
//! removes exactly the rows reported at them.

mod text;

pub use blindlink_store::csv::results::{
    HOLDER_IDS_COLUMN, RESULT_COLUMNS, ResultRow, read_results, write_results,
};

use std::collections::HashMap;

use blindlink_core::match_key::MatchRule;
use serde::Serialize;

use crate::corruption::Corruption;
use crate::request::TruthRow;

/// Results that cannot be judged against the truth file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvaluateError {
    /// The truth file lists a request row twice.
    #[error("the truth file lists request record {0:?} twice")]
    DuplicateTruth(String),
    /// The results list a request row twice.
    #[error("the results list request record {0:?} twice")]
    DuplicateResult(String),
    /// The results list a row the truth file does not.
    #[error(
        "the results list request record {0:?}, which the truth file does not; are they from \
         another request?"
    )]
    UnknownRecord(String),
    /// The truth file lists rows the results do not.
    #[error(
        "the truth file lists {count} request records the results do not (first {first:?}); \
         are they from another request?"
    )]
    MissingResults {
        /// How many truth rows have no result.
        count: usize,
        /// The first of them, in truth order.
        first: String,
    },
    /// A truth row contradicts itself.
    #[error("truth row {id:?}: {problem}")]
    InconsistentTruth {
        /// The request row's id.
        id: String,
        /// What is wrong.
        problem: &'static str,
    },
}

/// How one requested row is judged (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Matched the person the truth says it is.
    Correct,
    /// Matched, but the person is not in the holder's file.
    AbsentFlagged,
    /// Matched a present person, but to holder records that are not theirs.
    WrongPerson,
    /// A present person who did not match.
    Missed,
    /// An absent person who did not match.
    NotFlagged,
}

impl Verdict {
    /// Whether the verdict is a false flag.
    pub fn is_false_flag(self) -> bool {
        matches!(self, Verdict::AbsentFlagged | Verdict::WrongPerson)
    }
}

/// Judges one row.
pub fn judge(truth: &TruthRow, result: &ResultRow) -> Result<Verdict, EvaluateError> {
    let inconsistent = |problem| EvaluateError::InconsistentTruth {
        id: truth.request_record_id.clone(),
        problem,
    };
    let holder = match (
        truth.present,
        &truth.holder_record_id,
        truth.address_current,
    ) {
        (true, Some(holder), Some(_)) => Some(holder),
        (false, None, None) => None,
        (true, None, _) => return Err(inconsistent("present but names no holder record")),
        (true, _, None) => return Err(inconsistent("present but address_current is empty")),
        (false, _, _) => return Err(inconsistent("absent but names a holder record or address")),
    };
    Ok(match (result.matched_rule, holder) {
        (None, Some(_)) => Verdict::Missed,
        (None, None) => Verdict::NotFlagged,
        (Some(_), None) => Verdict::AbsentFlagged,
        (Some(_), Some(holder)) => match &result.holder_record_ids {
            Some(ids) if !ids.contains(holder) => Verdict::WrongPerson,
            _ => Verdict::Correct,
        },
    })
}

/// Counts for a group of matched rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MatchCounts {
    /// Rows matched.
    pub matched: u64,
    /// Matched rows that are the right person.
    pub correct: u64,
    /// Correct rows whose requested address is the holder's current one.
    pub correct_current: u64,
    /// Matched rows of people absent from the holder's file.
    pub absent_flagged: u64,
    /// Matched rows of present people, to the wrong holder records.
    pub wrong_person: u64,
}

impl MatchCounts {
    /// Absent flagged plus wrong person.
    pub fn false_flags(&self) -> u64 {
        self.absent_flagged + self.wrong_person
    }

    fn add(&mut self, verdict: Verdict, current: bool) {
        self.matched += 1;
        match verdict {
            Verdict::Correct => {
                self.correct += 1;
                self.correct_current += u64::from(current);
            }
            Verdict::AbsentFlagged => self.absent_flagged += 1,
            Verdict::WrongPerson => self.wrong_person += 1,
            Verdict::Missed | Verdict::NotFlagged => self.matched -= 1,
        }
    }

    fn plus(self, other: MatchCounts) -> MatchCounts {
        MatchCounts {
            matched: self.matched + other.matched,
            correct: self.correct + other.correct,
            correct_current: self.correct_current + other.correct_current,
            absent_flagged: self.absent_flagged + other.absent_flagged,
            wrong_person: self.wrong_person + other.wrong_person,
        }
    }
}

/// Figures for one rule, or for the rules through one rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleFigures {
    /// `R2` for one rule, `R1..R2` for the rules through R2.
    pub label: String,
    /// The counts.
    pub counts: MatchCounts,
    /// correct / matched; `None` when nothing matched.
    pub precision: Option<f64>,
    /// correct / present people.
    pub recall: Option<f64>,
    /// correct at the current address / present people at their current address.
    pub recall_current: Option<f64>,
    /// false flags / requested rows x 10,000.
    pub false_flags_per_10k: Option<f64>,
}

/// Present people carrying one corruption, and how many were found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CorruptionFigures {
    /// The corruption's truth-file name, or `none` for rows without any.
    pub corruption: String,
    /// Present people whose row carries it.
    pub present: u64,
    /// ... of which matched correctly.
    pub found: u64,
    /// ... of which were missed or matched to the wrong person.
    pub missed: u64,
    /// found / present.
    pub recall: Option<f64>,
    /// Rows carrying it (present or absent) that were false flags.
    pub false_flags: u64,
}

/// The linkage quality report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QualityReport {
    /// Requested rows.
    pub rows: u64,
    /// Rows of people present in the holder's file.
    pub present: u64,
    /// Present people whose requested address is the holder's current one.
    pub present_current: u64,
    /// Whether the results named holder records, so that wrong-person matches count.
    pub wrong_person_checked: bool,
    /// One entry per rule that matched some row, strongest first.
    pub per_rule: Vec<RuleFigures>,
    /// The rules through each rule of [`Self::per_rule`], cumulatively.
    pub cumulative: Vec<RuleFigures>,
    /// Present people by corruption, in [`Corruption::ALL`] order, then `none`.
    pub by_corruption: Vec<CorruptionFigures>,
}

impl QualityReport {
    /// All matched rows together (the last cumulative entry), if any row matched.
    pub fn overall(&self) -> Option<&RuleFigures> {
        self.cumulative.last()
    }
}

fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// Judges every row of `results` against `truth`. Every truth row needs exactly one
/// result and every result a truth row; the order does not matter.
pub fn evaluate(truth: &[TruthRow], results: &[ResultRow]) -> Result<QualityReport, EvaluateError> {
    let mut by_id: HashMap<&str, (&TruthRow, bool)> = HashMap::with_capacity(truth.len());
    for t in truth {
        if by_id.insert(&t.request_record_id, (t, false)).is_some() {
            return Err(EvaluateError::DuplicateTruth(t.request_record_id.clone()));
        }
    }
    let mut per_rule = [MatchCounts::default(); 4];
    let mut corruption_rows: Vec<CorruptionFigures> = Corruption::ALL
        .iter()
        .map(|c| c.name())
        .chain(["none"])
        .map(|name| CorruptionFigures {
            corruption: name.to_owned(),
            present: 0,
            found: 0,
            missed: 0,
            recall: None,
            false_flags: 0,
        })
        .collect();
    let (mut present, mut present_current) = (0u64, 0u64);
    for result in results {
        let Some((t, seen)) = by_id.get_mut(result.record_id.as_str()) else {
            return Err(EvaluateError::UnknownRecord(result.record_id.clone()));
        };
        if std::mem::replace(seen, true) {
            return Err(EvaluateError::DuplicateResult(result.record_id.clone()));
        }
        let verdict = judge(t, result)?;
        let current = t.address_current == Some(true);
        present += u64::from(t.present);
        present_current += u64::from(t.present && current);
        if let Some(rule) = result.matched_rule
            && let Some(counts) = per_rule.get_mut(rule.index())
        {
            counts.add(verdict, current);
        }
        let slots: Vec<usize> = if t.corruptions.is_empty() {
            vec![Corruption::ALL.len()]
        } else {
            t.corruptions
                .iter()
                .filter_map(|c| Corruption::ALL.iter().position(|x| x == c))
                .collect()
        };
        for slot in slots {
            if let Some(row) = corruption_rows.get_mut(slot) {
                row.present += u64::from(t.present);
                row.found += u64::from(verdict == Verdict::Correct);
                row.missed += u64::from(matches!(verdict, Verdict::Missed | Verdict::WrongPerson));
                row.false_flags += u64::from(verdict.is_false_flag());
            }
        }
    }
    if let Some(first) = truth.iter().find(|t| {
        by_id
            .get(t.request_record_id.as_str())
            .is_some_and(|(_, seen)| !seen)
    }) {
        let count = by_id.values().filter(|(_, seen)| !seen).count();
        return Err(EvaluateError::MissingResults {
            count,
            first: first.request_record_id.clone(),
        });
    }
    for row in &mut corruption_rows {
        row.recall = ratio(row.found, row.present);
    }
    let rows = results.len() as u64;
    let figures = |label: String, counts: MatchCounts| RuleFigures {
        label,
        counts,
        precision: ratio(counts.correct, counts.matched),
        recall: ratio(counts.correct, present),
        recall_current: ratio(counts.correct_current, present_current),
        false_flags_per_10k: ratio(counts.false_flags(), rows).map(|r| r * 10_000.0),
    };
    let mut report = QualityReport {
        rows,
        present,
        present_current,
        wrong_person_checked: results.iter().any(|r| r.holder_record_ids.is_some()),
        per_rule: Vec::new(),
        cumulative: Vec::new(),
        by_corruption: corruption_rows,
    };
    let mut running = MatchCounts::default();
    for rule in MatchRule::ALL {
        let Some(&counts) = per_rule.get(rule.index()).filter(|c| c.matched > 0) else {
            continue;
        };
        running = running.plus(counts);
        report.per_rule.push(figures(rule.id().to_owned(), counts));
        report
            .cumulative
            .push(figures(format!("R1..{}", rule.id()), running));
    }
    Ok(report)
}

#[cfg(test)]
mod tests;
