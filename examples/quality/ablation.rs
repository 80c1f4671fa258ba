//! `--ablation`: Markdown tables for docs/QUALITY.md over one generated data set: each
//! rule and the rules cumulatively, rule sets, the uniqueness filter, the key variants,
//! and the misses of the default policy by corruption.

use anyhow::Result;
use blindlink_core::match_key::{MatchRule, RuleSet};
use blindlink_core::record::Record;
use blindlink_synth::evaluate::{QualityReport, RuleFigures, evaluate};
use blindlink_synth::{RequestRecord, TruthRow};

use super::plaintext::{HolderKeys, Variants};

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| format!("{:.2}%", v * 100.0))
}

fn per_10k(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"))
}

const HEADER: &str = "| matched | correct | absent flagged | wrong person | precision | recall | recall (current address) | false flags / 10k |";
const RULE: &str = "|---:|---:|---:|---:|---:|---:|---:|---:|";

fn row(label: &str, f: &RuleFigures) -> String {
    let c = &f.counts;
    format!(
        "| {label} | {} | {} | {} | {} | {} | {} | {} | {} |",
        c.matched,
        c.correct,
        c.absent_flagged,
        c.wrong_person,
        percent(f.precision),
        percent(f.recall),
        percent(f.recall_current),
        per_10k(f.false_flags_per_10k)
    )
}

fn overall_row(label: &str, report: &QualityReport) -> String {
    match report.overall() {
        Some(f) => row(label, f),
        None => format!("| {label} | 0 | 0 | 0 | 0 | - | 0.00% | 0.00% | 0.0 |"),
    }
}

fn table_head(first: &str) {
    println!("| {first} {HEADER}");
    println!("|---{RULE}");
}

/// Prints every table for one profile.
pub fn print(
    people: &[Record],
    requests: &[RequestRecord],
    truth: &[TruthRow],
    profile: &str,
) -> Result<()> {
    let run = |holder: &HolderKeys, rules: RuleSet, variants: Variants| {
        evaluate(
            truth,
            &holder.match_requests(people, requests, rules, variants),
        )
    };
    let unique = HolderKeys::build(people, true, Variants::CORE);
    let shared = HolderKeys::build(people, false, Variants::CORE);
    let all = run(&unique, RuleSet::all(), Variants::CORE)?;
    let default = run(&unique, RuleSet::default_policy(), Variants::CORE)?;

    println!(
        "### Profile `{profile}`: {} rows, {} present ({} at their current address)\n",
        all.rows, all.present, all.present_current
    );
    println!("Holder keys kept (locally unique) / distinct values dropped as shared, per rule:");
    for rule in MatchRule::ALL {
        println!(
            "{}: {} kept, {} dropped;",
            rule,
            unique.kept_per_rule[rule.index()],
            unique.dropped_per_rule[rule.index()]
        );
    }
    println!("\nAll four rules answered; a row counts at its strongest matching rule:\n");
    table_head("rule");
    for f in &all.per_rule {
        println!("{}", row(&f.label, f));
    }
    for f in &all.cumulative {
        println!("{}", row(&format!("{} cumulative", f.label), f));
    }

    println!("\nRule sets (each row: a holder answering exactly these rules):\n");
    table_head("rules");
    for rules in [
        "R1",
        "R2",
        "R3",
        "R4",
        "R1,R2",
        "R1,R2,R3",
        "R1,R2,R4",
        "R1,R2,R3,R4",
    ] {
        let set: RuleSet = rules.parse()?;
        let report = run(&unique, set, Variants::CORE)?;
        let label = if set == RuleSet::default_policy() {
            format!("{rules} (default)")
        } else {
            rules.to_owned()
        };
        println!("{}", overall_row(&label, &report));
    }

    println!("\nLocal uniqueness filter:\n");
    table_head("configuration");
    for (label, holder, rules) in [
        (
            "R1,R2 with uniqueness (default)",
            &unique,
            RuleSet::default_policy(),
        ),
        (
            "R1,R2 without uniqueness",
            &shared,
            RuleSet::default_policy(),
        ),
        ("R1..R4 with uniqueness", &unique, RuleSet::all()),
        ("R1..R4 without uniqueness", &shared, RuleSet::all()),
    ] {
        println!(
            "{}",
            overall_row(label, &run(holder, rules, Variants::CORE)?)
        );
    }
    drop(shared);

    println!("\nKey variants (default rules R1,R2, uniqueness on; one variant off per row):\n");
    table_head("variants");
    println!("{}", overall_row("all on (default)", &default));
    for (label, variants) in [
        (
            "no nickname variant",
            Variants {
                nickname: false,
                ..Variants::CORE
            },
        ),
        (
            "no surname-part variants",
            Variants {
                surname_parts: false,
                ..Variants::CORE
            },
        ),
        (
            "no suffix-less holder copies",
            Variants {
                suffix_copies: false,
                ..Variants::CORE
            },
        ),
        (
            "no first-given-name-only holder R1 copies",
            Variants {
                middle_copies: false,
                ..Variants::CORE
            },
        ),
    ] {
        let holder = HolderKeys::build(people, true, variants);
        let report = run(&holder, RuleSet::default_policy(), variants)?;
        println!("{}", overall_row(label, &report));
    }

    println!(
        "\nPresent people by corruption, default rules R1,R2 (a row counts in each corruption it carries):\n"
    );
    println!(
        "| corruption | present | found | missed or wrong person | recall | false flags (all rows) |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for c in default
        .by_corruption
        .iter()
        .filter(|c| c.present > 0 || c.false_flags > 0)
    {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            c.corruption,
            c.present,
            c.found,
            c.missed,
            percent(c.recall),
            c.false_flags
        );
    }
    println!();
    Ok(())
}
