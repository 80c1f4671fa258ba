//! Linkage quality of the results against the synthetic ground truth.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use blindlink_store::csv::results::results_from_csv;
use blindlink_synth::read_truth;

/// Counts behind precision and recall.
#[derive(Debug, Default)]
pub struct Quality {
    /// Rows in the request.
    pub rows: usize,
    /// Rows truth says are on file.
    pub present: usize,
    /// ... of which the requested address is the holder's current one.
    pub present_current: usize,
    /// Rows that matched.
    pub matched: usize,
    /// Matched rows that are on file.
    pub true_matches: usize,
    /// Matched rows on file at the current address.
    pub true_matches_current: usize,
    /// Per strongest rule: (matched, of which on file).
    pub by_rule: Vec<(String, usize, usize)>,
}

impl Quality {
    /// Reads the results CSV and the truth CSV and counts.
    pub fn measure(results: &Path, truth: &Path) -> Result<Quality> {
        let results_bytes =
            std::fs::read(results).with_context(|| format!("reading {}", results.display()))?;
        let results = results_from_csv(&results_bytes).context("reading the results")?;
        let truth_file =
            std::fs::File::open(truth).with_context(|| format!("reading {}", truth.display()))?;
        let truth = read_truth(truth_file).context("reading the ground truth")?;
        let by_id: HashMap<&str, _> = truth
            .iter()
            .map(|t| (t.request_record_id.as_str(), t))
            .collect();
        if by_id.len() != results.len() {
            bail!(
                "{} result rows for {} truth rows",
                results.len(),
                by_id.len()
            );
        }
        let mut q = Quality {
            rows: results.len(),
            ..Quality::default()
        };
        let mut by_rule: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
        for r in &results {
            let Some(t) = by_id.get(r.record_id.as_str()) else {
                bail!("result for {} which the truth does not list", r.record_id);
            };
            let current = t.present && t.address_current == Some(true);
            q.present += usize::from(t.present);
            q.present_current += usize::from(current);
            if let Some(rule) = r.matched_rule {
                q.matched += 1;
                q.true_matches += usize::from(t.present);
                q.true_matches_current += usize::from(current);
                let e = by_rule.entry(rule.id().to_owned()).or_default();
                e.0 += 1;
                e.1 += usize::from(t.present);
            }
        }
        q.by_rule = by_rule.into_iter().map(|(r, (m, p))| (r, m, p)).collect();
        Ok(q)
    }
}
