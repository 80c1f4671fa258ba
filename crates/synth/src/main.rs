//! `synth`: write a synthetic taxpayer population, or a request list with ground truth,
//! or judge a requester's results against that truth.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use blindlink_synth::evaluate::{evaluate, read_results};
use blindlink_synth::{
    CorruptionProfile, PopulationWriter, RequestParams, population_in_batches, read_population,
    read_truth, request, write_atomically, write_request, write_truth,
};
use clap::{Parser, Subcommand, ValueEnum};

/// Deterministic synthetic data for blindlink: a taxpayer population, and request lists
/// drawn from it with realistic corruption and a ground-truth file. All data is random.
#[derive(Debug, Parser)]
#[command(name = "synth", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a synthetic taxpayer population CSV.
    Population(PopulationArgs),
    /// Write a request CSV drawn from a population, and its ground-truth CSV.
    Request(RequestArgs),
    /// Judge a requester's results against the ground truth: precision, recall and false
    /// flags per match rule and cumulatively, and present people found per corruption.
    Evaluate(EvaluateArgs),
}

#[derive(Debug, clap::Args)]
struct EvaluateArgs {
    /// Ground-truth CSV written by `synth request`.
    #[arg(long)]
    truth: PathBuf,
    /// Results CSV as `ice query` writes it (record_id,matched,rule), optionally with a
    /// fourth column holder_record_ids.
    #[arg(long)]
    results: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct PopulationArgs {
    /// Number of records.
    #[arg(long)]
    count: usize,
    /// Seed; the same seed and count give byte-identical files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output CSV path (written atomically).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
struct RequestArgs {
    /// Population CSV to draw present people from.
    #[arg(long)]
    population: PathBuf,
    /// Number of request rows.
    #[arg(long)]
    count: usize,
    /// Share of rows that are people from the population (0 to 1).
    #[arg(long, default_value_t = 0.6, value_parser = blindlink_cli::args::fraction)]
    present_fraction: f64,
    /// Corruption profile (rates are listed in the crate documentation).
    #[arg(long, value_enum, default_value_t = Profile::Realistic)]
    profile: Profile,
    /// Seed; the same seed, population and arguments give byte-identical files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output request CSV path (written atomically).
    #[arg(long)]
    out: PathBuf,
    /// Output ground-truth CSV path (written atomically).
    #[arg(long)]
    truth: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Profile {
    /// No corruption at all.
    Clean,
    /// Typical differences between an agency's list and the holder's file.
    Realistic,
    /// Many and heavy differences.
    Hard,
}

impl Profile {
    fn rates(self) -> CorruptionProfile {
        match self {
            Profile::Clean => CorruptionProfile::CLEAN,
            Profile::Realistic => CorruptionProfile::REALISTIC,
            Profile::Hard => CorruptionProfile::HARD,
        }
    }
}

fn main() -> ExitCode {
    blindlink_cli::program::install_panic_hook("synth");
    let cli: Cli = match blindlink_cli::program::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let outcome = run(cli).map_err(blindlink_cli::Failure::other);
    blindlink_cli::program::finish("synth", false, outcome)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Population(args) => run_population(&args),
        Command::Request(args) => run_request(&args),
        Command::Evaluate(args) => run_evaluate(&args),
    }
}

fn run_evaluate(args: &EvaluateArgs) -> anyhow::Result<()> {
    let open = |path: &Path| {
        File::open(path)
            .map(BufReader::new)
            .with_context(|| format!("cannot open {}", path.display()))
    };
    let truth = read_truth(open(&args.truth)?)
        .with_context(|| format!("cannot read the truth file {}", args.truth.display()))?;
    let results = read_results(open(&args.results)?)
        .with_context(|| format!("cannot read the results file {}", args.results.display()))?;
    let report = evaluate(&truth, &results).with_context(|| {
        format!(
            "cannot judge {} against {}",
            args.results.display(),
            args.truth.display()
        )
    })?;
    let text = if args.json {
        format!("{}\n", serde_json::to_string_pretty(&report)?)
    } else {
        report.to_string()
    };
    blindlink_cli::out!("{text}");
    Ok(())
}

fn run_population(args: &PopulationArgs) -> anyhow::Result<()> {
    write_atomically(&args.out, |w| {
        let mut csv = PopulationWriter::new(w)?;
        population_in_batches(args.seed, args.count, |records| csv.write(records))?;
        csv.finish()
    })?;
    blindlink_cli::outln!("wrote {} records to {}", args.count, args.out.display());
    Ok(())
}

fn run_request(args: &RequestArgs) -> anyhow::Result<()> {
    if same_file(&args.out, &args.truth) {
        anyhow::bail!(
            "--out and --truth name the same file {}",
            args.out.display()
        );
    }
    let file = File::open(&args.population)
        .with_context(|| format!("cannot open {}", args.population.display()))?;
    let pop = read_population(BufReader::new(file))
        .with_context(|| format!("cannot read {}", args.population.display()))?;
    let params = RequestParams {
        seed: args.seed,
        count: args.count,
        present_fraction: args.present_fraction,
        profile: args.profile.rates(),
    };
    let (records, truth) = request(&pop, &params)?;
    write_atomically(&args.out, |w| write_request(w, &records))?;
    write_atomically(&args.truth, |w| write_truth(w, &truth))?;
    let present = truth.iter().filter(|t| t.present).count();
    blindlink_cli::outln!(
        "wrote {} request rows ({present} present) to {} and truth to {}",
        records.len(),
        args.out.display(),
        args.truth.display()
    );
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}
