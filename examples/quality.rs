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

use anyhow::{Context, Result, bail};
use blindlink_core::match_key::RuleSet;
use blindlink_synth::evaluate::{evaluate, write_results};
use blindlink_synth::{
    CorruptionProfile, RequestParams, population, profile_rates_markdown, request, write_truth,
};

use plaintext::{HolderKeys, Variants};

const USAGE: &str = "usage: cargo run --release --example quality -- [--profile clean|realistic|hard] \
[--population N] [--request M] [--present-fraction F] [--population-seed S] [--request-seed S] \
[--rules R1,R2] [--no-uniqueness] [--no-nickname-variant] [--no-surname-variants] \
[--no-suffix-copies] [--no-middle-copies] [--json] [--write DIR] [--ablation] [--rates]";

/// Command-line options.
#[derive(Debug)]
struct Options {
    profile: String,
    population: usize,
    request: usize,
    present_fraction: f64,
    population_seed: u64,
    request_seed: u64,
    rules: RuleSet,
    uniqueness: bool,
    variants: Variants,
    json: bool,
    write: Option<PathBuf>,
    ablation: bool,
}

fn parse_args() -> Result<Option<Options>> {
    let mut o = Options {
        profile: "realistic".into(),
        population: 200_000,
        request: 10_000,
        present_fraction: 0.6,
        population_seed: 1,
        request_seed: 2,
        rules: RuleSet::default_policy(),
        uniqueness: true,
        variants: Variants::CORE,
        json: false,
        write: None,
        ablation: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().with_context(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--profile" => o.profile = value("--profile")?,
            "--population" => o.population = value("--population")?.parse()?,
            "--request" => o.request = value("--request")?.parse()?,
            "--present-fraction" => o.present_fraction = value("--present-fraction")?.parse()?,
            "--population-seed" => o.population_seed = value("--population-seed")?.parse()?,
            "--request-seed" => o.request_seed = value("--request-seed")?.parse()?,
            "--rules" => o.rules = value("--rules")?.parse()?,
            "--write" => o.write = Some(value("--write")?.into()),
            "--no-uniqueness" => o.uniqueness = false,
            "--no-nickname-variant" => o.variants.nickname = false,
            "--no-surname-variants" => o.variants.surname_parts = false,
            "--no-suffix-copies" => o.variants.suffix_copies = false,
            "--no-middle-copies" => o.variants.middle_copies = false,
            "--json" => o.json = true,
            "--ablation" => o.ablation = true,
            "--rates" => {
                print!("{}", profile_rates_markdown());
                return Ok(None);
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            other => bail!("unknown argument {other:?}; {USAGE}"),
        }
    }
    Ok(Some(o))
}

fn main() -> ExitCode {
    match parse_args().and_then(|o| o.map_or(Ok(()), |o| run(&o))) {
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
    let holder = HolderKeys::build(&people, o.uniqueness, o.variants);
    let results = holder.match_requests(&people, &requests, o.rules, o.variants);
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
            if o.uniqueness { "on" } else { "off" },
            o.variants
        );
        print!("{report}");
    }
    eprintln!("quality: done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
