//! The quality report as text tables (what `synth evaluate` prints without `--json`).

use std::fmt;

use super::{QualityReport, RuleFigures};

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{:.2}%", v * 100.0))
}

fn per_10k(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"))
}

fn rule_table(f: &mut fmt::Formatter<'_>, title: &str, rows: &[RuleFigures]) -> fmt::Result {
    writeln!(
        f,
        "{title:<10} {:>8} {:>8} {:>7} {:>6} {:>9} {:>8} {:>8} {:>12}",
        "matched", "correct", "absent", "wrong", "precision", "recall", "current", "false/10k"
    )?;
    for r in rows {
        let c = &r.counts;
        writeln!(
            f,
            "{:<10} {:>8} {:>8} {:>7} {:>6} {:>9} {:>8} {:>8} {:>12}",
            r.label,
            c.matched,
            c.correct,
            c.absent_flagged,
            c.wrong_person,
            percent(r.precision),
            percent(r.recall),
            percent(r.recall_current),
            per_10k(r.false_flags_per_10k),
        )?;
    }
    Ok(())
}

impl fmt::Display for QualityReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} requested rows: {} present in the holder's file ({} at their current address), {} absent",
            self.rows,
            self.present,
            self.present_current,
            self.rows - self.present
        )?;
        if self.wrong_person_checked {
            writeln!(
                f,
                "the results name holder records: a match to the wrong holder record counts as false"
            )?;
        } else {
            writeln!(
                f,
                "the results name no holder record (as ice writes them): a present person's match \
                 counts as correct, so precision is an upper bound"
            )?;
        }
        if self.per_rule.is_empty() {
            writeln!(f, "\nno row matched")?;
        } else {
            writeln!(f)?;
            rule_table(f, "rule", &self.per_rule)?;
            writeln!(f)?;
            rule_table(f, "rules", &self.cumulative)?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "{:<26} {:>8} {:>8} {:>8} {:>8} {:>12}",
            "corruption", "present", "found", "missed", "recall", "false flags"
        )?;
        for c in self
            .by_corruption
            .iter()
            .filter(|c| c.present > 0 || c.false_flags > 0)
        {
            writeln!(
                f,
                "{:<26} {:>8} {:>8} {:>8} {:>8} {:>12}",
                c.corruption,
                c.present,
                c.found,
                c.missed,
                percent(c.recall),
                c.false_flags
            )?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "precision = correct / matched; recall = correct / present; current = recall among \
             present people at their current address; false/10k = (absent + wrong) per 10,000 \
             requested rows. A row counts in every corruption it carries."
        )
    }
}
