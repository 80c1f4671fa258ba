//! Linkage quality of the match rules, measured by plaintext matching on synthetic data
//! with ground truth:
//!
//! ```sh
//! cargo run --release --example quality -- [--profile clean|realistic|hard]
//!     [--population N] [--request M] [--present-fraction F]
//!     [--population-seed S] [--request-seed S] [--rules R1,R2] [--no-uniqueness]
//!     [--no-nickname-variant] [--no-surname-variants] [--no-suffix-copies]
//!     [--no-middle-copies]
//!     [--json] [--write DIR] [--ablation] [--rates]
//! ```
//!
//! Generates a population (default 200,000 people, seed 1) and a request (default 10,000
//! rows, 60% present, seed 2, profile `realistic`) with the synth library, derives the
//! holder's keys (locally unique) and the requester's keys with the core library,
//! matches them in plaintext (see `quality/plaintext.rs` for why this equals the
//! protocol's outcome), and judges the results with `blindlink_synth::evaluate`, the code
//! behind `synth evaluate`. The defaults are the data `cargo run --release --example
//! demo -- --request 10000` generates, so the two can be compared row by row.
//!
//! `--write DIR` writes `truth.csv`, `results.csv` (as `ice query` writes it) and
//! `results_holders.csv` (with the holder records of each match). `--ablation` prints
//! Markdown tables over rule sets, the uniqueness filter and the key variants instead;
//! `--rates` prints the profiles' corruption rates (a Markdown table) and exits.

#[path = "quality/ablation.rs"]
mod ablation;
#[path = "quality/plaintext.rs"]
mod plaintext;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use blindlink_core::match_key::RuleSet;
use blindlink_synth::evaluate::{evaluate, write_results};
use blindlink_synth::{
    CorruptionProfile, RequestParams, population, profile_rates_markdown, request, write_truth,
};
use clap::Parser;

use plaintext::{HolderKeys, Variants};

/// Linkage quality of the match rules by plaintext matching on synthetic data with
/// ground truth (the defaults are the data of `demo --request 10000`).
#[derive(Debug, Parser)]
#[command(name = "quality")]
struct Options {
    /// Corruption profile of the request: clean, realistic or hard.
    #[arg(long, default_value = "realistic")]
    profile: String,
    /// People in the synthetic population.
    #[arg(long, default_value_t = 200_000)]
    population: usize,
    /// Rows in the request.
    #[arg(long, default_value_t = 10_000)]
    request: usize,
    /// Share of request rows drawn from the population.
    #[arg(long, default_value_t = 0.6)]
    present_fraction: f64,
    /// Seed of the population.
    #[arg(long, default_value_t = 1)]
    population_seed: u64,
    /// Seed of the request.
    #[arg(long, default_value_t = 2)]
    request_seed: u64,
    /// Match rules, comma-separated (e.g. `R1,R2`).
    #[arg(long, default_value_t = RuleSet::default_policy())]
    rules: RuleSet,
    /// Turn off the holder's uniqueness filter.
    #[arg(long)]
    no_uniqueness: bool,
    /// Turn off the keys on the nickname-canonical first name.
    #[arg(long)]
    no_nickname_variant: bool,
    /// Turn off the keys on the first and the last of several surnames.
    #[arg(long)]
    no_surname_variants: bool,
    /// Turn off the holder's suffix-less copies.
    #[arg(long)]
    no_suffix_copies: bool,
    /// Turn off the holder's R1 copies on the first given name alone.
    #[arg(long)]
    no_middle_copies: bool,
    /// Print the evaluation as JSON.
    #[arg(long)]
    json: bool,
    /// Write `truth.csv`, `results.csv` and `results_holders.csv` into this directory.
    #[arg(long)]
    write: Option<PathBuf>,
    /// Print Markdown tables over rule sets, the uniqueness filter and the key variants.
    #[arg(long)]
    ablation: bool,
    /// Print the profiles' corruption rates (a Markdown table) and exit.
    #[arg(long)]
    rates: bool,
}

impl Options {
    /// Whether the holder keeps only locally unique keys.
    fn uniqueness(&self) -> bool {
        !self.no_uniqueness
    }

    /// The key variants left on.
    fn variants(&self) -> Variants {
        Variants {
            nickname: !self.no_nickname_variant,
            surname_parts: !self.no_surname_variants,
            suffix_copies: !self.no_suffix_copies,
            middle_copies: !self.no_middle_copies,
        }
    }
}

fn main() -> ExitCode {
    let opts = Options::parse();
    if opts.rates {
        print!("{}", profile_rates_markdown());
        return ExitCode::SUCCESS;
    }
    match run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("quality: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(o: &Options) -> Result<()> {
    let started = Instant::now();
    let profile = CorruptionProfile::named(&o.profile)
        .with_context(|| format!("unknown profile {:?} (clean, realistic, hard)", o.profile))?;
    let people = population(o.population_seed, o.population);
    let params = RequestParams {
        seed: o.request_seed,
        count: o.request,
        present_fraction: o.present_fraction,
        profile,
    };
    let (requests, truth) = request(&people, &params)?;
    eprintln!(
        "quality: {} population records (seed {}), {} request rows (seed {}, profile {}, {:.0}% present), {:.1} s",
        o.population,
        o.population_seed,
        o.request,
        o.request_seed,
        o.profile,
        o.present_fraction * 100.0,
        started.elapsed().as_secs_f64()
    );
    if o.ablation {
        return ablation::print(&people, &requests, &truth, &o.profile);
    }
    let holder = HolderKeys::build(&people, o.uniqueness(), o.variants());
    let results = holder.match_requests(&people, &requests, o.rules, o.variants());
    let report = evaluate(&truth, &results)?;
    if let Some(dir) = &o.write {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let file = |name: &str| -> Result<std::io::BufWriter<std::fs::File>> {
            let path = dir.join(name);
            let f = std::fs::File::create(&path)
                .with_context(|| format!("creating {}", path.display()))?;
            Ok(std::io::BufWriter::new(f))
        };
        write_truth(file("truth.csv")?, &truth)?;
        write_results(file("results.csv")?, &results, false)?;
        write_results(file("results_holders.csv")?, &results, true)?;
    }
    if o.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "rules {}, uniqueness {}, variants {:?}",
            o.rules,
            if o.uniqueness() { "on" } else { "off" },
            o.variants()
        );
        print!("{report}");
    }
    eprintln!("quality: done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
