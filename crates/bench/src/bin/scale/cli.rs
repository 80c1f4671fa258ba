//! Command-line options of the scale harness.

use std::path::PathBuf;

use clap::Parser;

/// Runs the whole protocol at scale through the real session code over loopback and
/// reports each phase against the primitive bound measured in the same run.
#[derive(Debug, Clone, Parser)]
#[command(name = "scale")]
pub struct Options {
    /// Synthetic holder records.
    #[arg(long = "holder", default_value_t = 1_000_000)]
    pub holder: usize,
    /// Synthetic request records (half of them drawn from the holder's file).
    #[arg(long = "request", default_value_t = 100_000)]
    pub request: usize,
    /// Rayon threads for every phase and for the bound (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Write the measurements as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Sweep holder sizes 2^sweep-min..=2^sweep-max (holder encoding throughput, plus a
    /// small fixed request per size).
    #[arg(long)]
    pub sweep: bool,
    /// Smallest holder size of the sweep, log2.
    #[arg(long, default_value_t = 14)]
    pub sweep_min: u32,
    /// Largest holder size of the sweep, log2.
    #[arg(long, default_value_t = 23)]
    pub sweep_max: u32,
    /// Request records per sweep point.
    #[arg(long, default_value_t = 4_096)]
    pub sweep_request: usize,
    /// Write the SVG plots into this directory (`scale-phases.svg`, or for `--sweep`
    /// `scale-throughput.svg` and `scale-sweep-phases.svg`); no plots unless given.
    #[arg(long)]
    pub svg_dir: Option<PathBuf>,
    /// Sizes (log2 elements) for the side-by-side runs of the `voprf` crate; empty to skip.
    #[arg(long, value_delimiter = ',', default_value = "16,20")]
    pub peer_sizes: Vec<u32>,
    /// Skip the `voprf` comparison.
    #[arg(long)]
    pub no_peers: bool,
    /// Rounds of the peer comparison (steps interleaved, order alternating; fastest kept).
    #[arg(long, default_value_t = 3)]
    pub peer_rounds: usize,
    /// OpenMined PSI results (JSON written by the OpenMined benchmark script).
    #[arg(long)]
    pub openmined: Option<PathBuf>,
    /// Most elements per bound sample: each primitive is timed on the phase's own batch
    /// (one core call), up to this many.
    #[arg(long, default_value_t = 131_072)]
    pub bound_sample: usize,
    /// Largest request (elements) the fingerprint length is sized for (as `irs ingest`).
    #[arg(long, default_value_t = 1 << 20)]
    pub max_request_elements: u64,
    /// Share of request records drawn from the holder's file.
    #[arg(long, default_value_t = 0.5)]
    pub present_fraction: f64,
    /// Seed of the synthetic data.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Holder records of the re-encoding comparison.
    #[arg(long, default_value_t = 5_500_000)]
    pub compare_holder: u64,
    /// Request records of the re-encoding comparison.
    #[arg(long, default_value_t = 100_000)]
    pub compare_request: u64,
}

impl Options {
    /// The thread count to use.
    pub fn thread_count(&self) -> usize {
        self.threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1)
    }

    /// Checks the combinations clap cannot.
    pub fn validate(&self) -> anyhow::Result<()> {
        anyhow::ensure!(self.holder >= 16, "--holder must be at least 16");
        anyhow::ensure!(self.request >= 1, "--request must be at least 1");
        anyhow::ensure!(
            (0.0..=1.0).contains(&self.present_fraction),
            "--present-fraction must be within 0..=1"
        );
        anyhow::ensure!(
            self.sweep_min <= self.sweep_max && self.sweep_max <= 26,
            "--sweep-min must not exceed --sweep-max, which must be at most 26"
        );
        anyhow::ensure!(
            self.bound_sample >= 64,
            "--bound-sample must be at least 64"
        );
        anyhow::ensure!(
            self.peer_sizes.iter().all(|&s| (4..=24).contains(&s)),
            "--peer-sizes are log2 sizes within 4..=24"
        );
        Ok(())
    }
}
