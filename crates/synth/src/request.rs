//! Request lists with ground truth.
//!
//! A request mixes people drawn from the population (a configurable fraction, corrupted
//! per the [`CorruptionProfile`]) with people absent from it (drawn fresh, and checked not
//! to be a namesake in the same ZIP or a namesake with the same birth date of anyone on
//! file). Rows are shuffled, each carries a case and a final order reference, and a
//! [`TruthRow`] records what the requester's row really is.

use std::collections::HashSet;

use rayon::prelude::*;

use crate::absent::{PopulationKeys, draw_absent_person};
use crate::corruption::{Corruption, CorruptionProfile, corrupt};
use crate::draw::{Draw, Stream};
use crate::record::{RequestRecord, SynthRecord};
use crate::references::draw_references;

/// What to draw for a request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RequestParams {
    /// Master seed; same seed, population and parameters give the same request.
    pub seed: u64,
    /// Number of request rows.
    pub count: usize,
    /// Share of rows that are people from the population (`0.0..=1.0`); the number of
    /// present rows is `round(count * present_fraction)`.
    pub present_fraction: f64,
    /// Corruption rates for the rows.
    pub profile: CorruptionProfile,
}

impl Default for RequestParams {
    fn default() -> RequestParams {
        RequestParams {
            seed: 1,
            count: 1_000,
            present_fraction: 0.6,
            profile: CorruptionProfile::REALISTIC,
        }
    }
}

/// The ground truth for one request row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TruthRow {
    /// The request row's `record_id`.
    pub request_record_id: String,
    /// The population record this row was drawn from; `None` for absent people.
    pub holder_record_id: Option<String>,
    /// Whether the person is in the population.
    pub present: bool,
    /// For present people, whether the requested address is still the holder's address
    /// (false after [`Corruption::MovedAddress`]); `None` for absent people.
    pub address_current: Option<bool>,
    /// Corruptions applied to the row, in application order. Absent people get the same
    /// treatment except moves, so their rows look like the others.
    pub corruptions: Vec<Corruption>,
}

/// Why a request could not be drawn.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RequestError {
    /// The present fraction is not a probability.
    #[error("present fraction {0} is not between 0 and 1")]
    PresentFraction(f64),
    /// A profile rate is not a probability.
    #[error("corruption rate {rate} for {corruption} is not between 0 and 1")]
    Rate {
        /// The corruption whose rate is wrong.
        corruption: Corruption,
        /// The rate given.
        rate: f64,
    },
    /// More present people were asked for than the population holds.
    #[error("{wanted} present people requested but the population has only {available} records")]
    PopulationTooSmall {
        /// Present rows wanted.
        wanted: usize,
        /// Population records available.
        available: usize,
    },
    /// No fresh person distinct from the population could be drawn.
    #[error("could not draw a person absent from the population for request row {row}")]
    AbsentPersonUnavailable {
        /// 0-based request row.
        row: usize,
    },
}

/// The id of request row `index` (0-based): `RQ-` and a 7-digit sequence number from 1.
pub fn request_id(index: usize) -> String {
    format!("RQ-{:07}", index + 1)
}

/// Draws a request from `population` with its ground truth, row for row.
pub fn request(
    population: &[SynthRecord],
    params: &RequestParams,
) -> Result<(Vec<RequestRecord>, Vec<TruthRow>), RequestError> {
    if !(0.0..=1.0).contains(&params.present_fraction) {
        return Err(RequestError::PresentFraction(params.present_fraction));
    }
    if let Some((corruption, rate)) = params.profile.invalid_rate() {
        return Err(RequestError::Rate { corruption, rate });
    }
    let present = ((params.count as f64) * params.present_fraction).round() as usize;
    let present = present.min(params.count);
    if present > population.len() {
        return Err(RequestError::PopulationTooSmall {
            wanted: present,
            available: population.len(),
        });
    }

    let mut selection = Draw::new(params.seed, Stream::RequestSelection, 0);
    let mut slots: Vec<Option<usize>> = sample_indices(&mut selection, population.len(), present)
        .into_iter()
        .map(Some)
        .collect();
    slots.resize(params.count, None);
    selection.shuffle(&mut slots);

    let keys = if present < params.count {
        PopulationKeys::of(population)
    } else {
        PopulationKeys::default()
    };
    let references = draw_references(params.seed, params.count);

    let rows: Vec<(RequestRecord, TruthRow)> = slots
        .par_iter()
        .zip(references.into_par_iter())
        .enumerate()
        .map(|(row, (slot, refs))| {
            let holder = slot.and_then(|i| population.get(i));
            let mut record = match holder {
                Some(h) => h.clone(),
                None => draw_absent_person(params.seed, row, &keys)
                    .ok_or(RequestError::AbsentPersonUnavailable { row })?,
            };
            record.id = request_id(row);
            let mut d = Draw::new(params.seed, Stream::RequestRow, row as u64);
            let corruptions = corrupt(&mut record, &params.profile, holder.is_some(), &mut d);
            let truth = TruthRow {
                request_record_id: record.id.clone(),
                holder_record_id: holder.map(|h| h.id.clone()),
                present: holder.is_some(),
                address_current: holder.map(|_| !corruptions.contains(&Corruption::MovedAddress)),
                corruptions,
            };
            let request = RequestRecord {
                record,
                case_ref: refs.case_ref,
                final_order_ref: refs.final_order_ref,
            };
            Ok((request, truth))
        })
        .collect::<Result<_, RequestError>>()?;
    Ok(rows.into_iter().unzip())
}

/// `k` distinct indices below `n`, by Floyd's algorithm (`k <= n`).
fn sample_indices(d: &mut Draw, n: usize, k: usize) -> Vec<usize> {
    let mut chosen = HashSet::with_capacity(k);
    let mut order = Vec::with_capacity(k);
    for j in n.saturating_sub(k)..n {
        let t = d.index(j + 1);
        let pick = if chosen.contains(&t) { j } else { t };
        chosen.insert(pick);
        order.push(pick);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floyd_samples_are_distinct_and_in_range() {
        let mut d = Draw::new(1, Stream::RequestSelection, 0);
        for (n, k) in [(10, 10), (10, 0), (1000, 37), (5, 3)] {
            let s = sample_indices(&mut d, n, k);
            assert_eq!(s.len(), k);
            assert!(s.iter().all(|&i| i < n));
            assert_eq!(s.iter().collect::<HashSet<_>>().len(), k);
        }
    }

    #[test]
    fn bad_parameters_are_refused() {
        let pop = crate::population(1, 10);
        let too_many = RequestParams {
            count: 100,
            present_fraction: 0.5,
            ..RequestParams::default()
        };
        assert_eq!(
            request(&pop, &too_many).unwrap_err(),
            RequestError::PopulationTooSmall {
                wanted: 50,
                available: 10
            }
        );
        let fraction = RequestParams {
            present_fraction: 1.5,
            ..RequestParams::default()
        };
        assert!(matches!(
            request(&pop, &fraction),
            Err(RequestError::PresentFraction(_))
        ));
        let rate = RequestParams {
            profile: CorruptionProfile {
                typo: -0.1,
                ..CorruptionProfile::CLEAN
            },
            ..RequestParams::default()
        };
        assert!(matches!(
            request(&pop, &rate),
            Err(RequestError::Rate { .. })
        ));
    }
}
