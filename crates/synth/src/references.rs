//! Case and final order references for request rows.
//!
//! Rows are grouped into cases of one to four people (a case reference such as
//! `CI-2026-000123`); every person has their own final order reference (`FO-A123456789`).
//! Both are drawn at random, unique within one request.

use std::collections::HashSet;

use crate::draw::{Draw, Stream};

/// Years case references are drawn from.
const CASE_YEARS: (u32, u32) = (2024, 2026);

/// The case and final order reference of one request row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct References {
    pub(crate) case_ref: String,
    pub(crate) final_order_ref: String,
}

/// References for `rows` request rows, in row order.
pub(crate) fn draw_references(seed: u64, rows: usize) -> Vec<References> {
    let mut d = Draw::new(seed, Stream::References, 0);
    let mut cases = HashSet::new();
    let mut orders = HashSet::new();
    let mut out = Vec::with_capacity(rows);
    while out.len() < rows {
        let case_size = match d.below(100) {
            0..=54 => 1,
            55..=79 => 2,
            80..=91 => 3,
            _ => 4,
        };
        let case_ref = loop {
            let year = d.between(CASE_YEARS.0, CASE_YEARS.1);
            let candidate = format!("CI-{year}-{:06}", d.between(1, 999_999));
            if cases.insert(candidate.clone()) {
                break candidate;
            }
        };
        for _ in 0..case_size {
            if out.len() == rows {
                break;
            }
            let final_order_ref = loop {
                let letter = char::from(b'A' + d.below(26) as u8);
                let candidate = format!("FO-{letter}{:09}", d.below(1_000_000_000));
                if orders.insert(candidate.clone()) {
                    break candidate;
                }
            };
            out.push(References {
                case_ref: case_ref.clone(),
                final_order_ref,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_well_formed_and_unique_per_person() {
        let refs = draw_references(3, 5_000);
        assert_eq!(refs.len(), 5_000);
        let orders: HashSet<&str> = refs.iter().map(|r| r.final_order_ref.as_str()).collect();
        assert_eq!(orders.len(), 5_000);
        let cases: HashSet<&str> = refs.iter().map(|r| r.case_ref.as_str()).collect();
        assert!(cases.len() > 2_000 && cases.len() < 5_000);
        for r in &refs {
            let (year, number) = r.case_ref["CI-".len()..].split_once('-').unwrap();
            assert!(
                ("2024"..="2026").contains(&year) && number.len() == 6,
                "{r:?}"
            );
            let order = &r.final_order_ref["FO-".len()..];
            assert!(
                order.len() == 10 && order.as_bytes()[0].is_ascii_uppercase(),
                "{r:?}"
            );
            assert!(order[1..].bytes().all(|b| b.is_ascii_digit()), "{r:?}");
        }
    }
}
