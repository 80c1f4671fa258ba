//! The printed tables, the re-encoding comparison, the OpenMined ratios, and the JSON.

use std::path::Path;

use serde::Serialize;

use crate::peers::{OpenMined, PeerStep};
use crate::phases::PhaseResult;
use crate::run::{HOLDER_TOTAL, ONLINE_CACHED, RunResult};

/// Everything the harness writes to `--json`.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// Command line.
    pub command: Vec<String>,
    /// Rayon threads.
    pub threads: usize,
    /// CPU model.
    pub cpu: String,
    /// `/proc/loadavg` when the run started (other agents share the machine).
    pub load_average_at_start: String,
    /// Unix seconds at start.
    pub started_unix: u64,
    /// Whether per-phase peak RSS could be reset (otherwise peaks are the process peak).
    pub peak_rss_per_phase: bool,
    /// Elements per bound sample.
    pub bound_sample_elements: usize,
    /// How the bound counts primitives per phase.
    pub bound_counting: Vec<(&'static str, &'static str)>,
    /// The main run.
    pub run: Option<RunResult>,
    /// The re-encoding comparison, from the main run's per-element costs.
    pub comparison: Option<Comparison>,
    /// `voprf` crate side by side.
    pub peers: Vec<PeerStep>,
    /// OpenMined PSI ratios.
    pub openmined: Vec<OpenMinedRatio>,
    /// Sweep runs, smallest first.
    pub sweep: Vec<RunResult>,
}

/// Primitive counts per phase, as documented in `bound.rs`.
pub const BOUND_COUNTING: [(&str, &str); 5] = [
    (
        crate::run::HOLDER_OPRF,
        "per key evaluated (keys later dropped as shared included): HashToGroup + var-base mul + batched double-and-compress + Finalize hash",
    ),
    (
        "request blinding",
        "per element: HashToGroup + var-base mul + batched double-and-compress",
    ),
    (
        "holder evaluation + proofs",
        "per element: decompress + var-base mul + batched double-and-compress + HashToScalar + 1 multiscalar point",
    ),
    (
        "finalize + lookup",
        "per element: 2 decompress + HashToScalar + 2 multiscalar points + batched inversion + var-base mul + batched double-and-compress + Finalize hash",
    ),
    (
        "all",
        "each primitive timed on the harness's pool (already divided by threads), before/after (and inside) each phase",
    ),
];

/// Online cost of one request against a big holder, ours vs a protocol that re-encodes
/// the holder's set for every request.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Holder records.
    pub holder_records: u64,
    /// Request records.
    pub request_records: u64,
    /// Holder encoding, seconds per holder record (measured).
    pub holder_seconds_per_record: f64,
    /// Online part (cached set), seconds per request record (measured).
    pub online_seconds_per_request_record: f64,
    /// The holder's share of it, seconds per request record.
    pub holder_online_seconds_per_request_record: f64,
    /// Re-encoding protocol: holder encoding of all records + the online part.
    pub reencode_seconds: f64,
    /// blindlink: the online part only.
    pub ours_seconds: f64,
    /// `reencode_seconds / ours_seconds` (target: at least 50).
    pub ratio: f64,
    /// The same for the holder's work only.
    pub holder_ratio: f64,
}

/// Computes the comparison from a run's per-record costs.
pub fn compare(run: &RunResult, holder_records: u64, request_records: u64) -> Option<Comparison> {
    let holder = run.find(HOLDER_TOTAL)?;
    let online = run.find(ONLINE_CACHED)?;
    let evaluation = run.find("holder evaluation + proofs")?;
    let per_holder = holder.seconds / run.holder_records.max(1) as f64;
    let per_request = online.seconds / run.request_records.max(1) as f64;
    let per_request_holder = evaluation.seconds / run.request_records.max(1) as f64;
    let encode = per_holder * holder_records as f64;
    let ours = per_request * request_records as f64;
    let ours_holder = per_request_holder * request_records as f64;
    Some(Comparison {
        holder_records,
        request_records,
        holder_seconds_per_record: per_holder,
        online_seconds_per_request_record: per_request,
        holder_online_seconds_per_request_record: per_request_holder,
        reencode_seconds: encode + ours,
        ours_seconds: ours,
        ratio: (encode + ours) / ours.max(f64::MIN_POSITIVE),
        holder_ratio: (encode + ours_holder) / ours_holder.max(f64::MIN_POSITIVE),
    })
}

/// blindlink against one OpenMined size.
#[derive(Debug, Clone, Serialize)]
pub struct OpenMinedRatio {
    /// OpenMined's server set size.
    pub n: u64,
    /// OpenMined server setup, microseconds per element.
    pub openmined_setup_us_per_element: f64,
    /// blindlink holder encoding (total), microseconds per set element.
    pub blindlink_encoding_us_per_element: f64,
    /// OpenMined / blindlink (above 1: blindlink is faster).
    pub setup_ratio: f64,
    /// OpenMined setup message, bits per element.
    pub openmined_setup_bits_per_element: f64,
    /// blindlink set on the wire, bits per element.
    pub blindlink_wire_bits_per_element: f64,
    /// OpenMined / blindlink bits.
    pub bits_ratio: f64,
}

/// The OpenMined ratios against a run.
pub fn openmined_ratios(run: &RunResult, om: &OpenMined) -> Vec<OpenMinedRatio> {
    let Some(holder) = run.find(HOLDER_TOTAL) else {
        return Vec::new();
    };
    let ours_us = holder.seconds / run.set_elements.max(1) as f64 * 1e6;
    let ours_bits = run.set_wire_bits_per_element;
    om.sizes
        .iter()
        .map(|s| {
            let n = s.n.max(1) as f64;
            let theirs_us = s.server_setup_s / n * 1e6;
            let theirs_bits = s.setup_bytes as f64 * 8.0 / n;
            OpenMinedRatio {
                n: s.n,
                openmined_setup_us_per_element: theirs_us,
                blindlink_encoding_us_per_element: ours_us,
                setup_ratio: theirs_us / ours_us.max(f64::MIN_POSITIVE),
                openmined_setup_bits_per_element: theirs_bits,
                blindlink_wire_bits_per_element: ours_bits,
                bits_ratio: theirs_bits / ours_bits.max(f64::MIN_POSITIVE),
            }
        })
        .collect()
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "-".to_owned(), |v| format!("{v:.digits$}"))
}

fn phase_row(p: &PhaseResult) -> String {
    format!(
        "| {} | {} {} | {:.3} | {:.0} | {:.0} | {} | {} | {} |",
        p.name,
        p.elements,
        p.unit,
        p.seconds,
        p.elements_per_second,
        p.memory.peak_mib,
        opt(p.wire_bytes_per_element, 2),
        opt(p.bound_seconds, 3),
        opt(p.ratio, 3),
    )
}

/// Prints a run's phase table (markdown) and its facts.
pub fn print_run(run: &RunResult) {
    blindlink_cli::outln!(
        "holder: {} records -> {} keys -> {} fingerprints, L = {}, Rice k = {}, set {} bytes",
        run.holder_records,
        run.holder_keys,
        run.set_elements,
        run.fingerprint_bits,
        run.rice_parameter,
        run.set_bytes
    );
    blindlink_cli::outln!(
        "request: {} records ({} on file) -> {} elements; {} records matched",
        run.request_records,
        run.request_present,
        run.request_elements,
        run.matched_records
    );
    blindlink_cli::outln!();
    blindlink_cli::outln!(
        "| phase | elements | seconds | elements/s | peak RSS MiB | wire bytes/element | bound s | ratio |"
    );
    blindlink_cli::outln!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for p in run.phases.iter().chain(&run.totals) {
        blindlink_cli::outln!("{}", phase_row(p));
    }
    blindlink_cli::outln!();
    blindlink_cli::outln!(
        "holder set on the wire: {:.2} bits/element (target L - log2 N + 2.5 = {:.2}); setup {} bytes; data drawn in {:.1} s",
        run.set_wire_bits_per_element,
        run.set_wire_target_bits,
        run.setup_bytes,
        run.data_seconds
    );
}

/// Prints the comparison.
pub fn print_comparison(c: &Comparison) {
    blindlink_cli::outln!(
        "\nOnline cost of a {}-record request against {} holder records (from measured per-record costs):",
        c.request_records,
        c.holder_records
    );
    blindlink_cli::outln!("| protocol | seconds | |\n|---|---:|---:|");
    blindlink_cli::outln!(
        "| re-encode the holder set per request (encoding + online) | {:.1} | |",
        c.reencode_seconds
    );
    blindlink_cli::outln!(
        "| blindlink (online only, set cached per epoch) | {:.1} | {:.1}x lower |",
        c.ours_seconds,
        c.ratio
    );
    blindlink_cli::outln!(
        "| holder's work only: re-encode + evaluate vs evaluate | | {:.1}x lower |",
        c.holder_ratio
    );
}

/// Prints the peer table.
pub fn print_peers(peers: &[PeerStep]) {
    if peers.is_empty() {
        return;
    }
    blindlink_cli::outln!("\n`voprf` crate side by side (same pool):");
    blindlink_cli::outln!(
        "| step | elements | blindlink us/elem | voprf us/elem | voprf / blindlink |"
    );
    blindlink_cli::outln!("|---|---:|---:|---:|---:|");
    for p in peers {
        let n = p.elements.max(1) as f64;
        blindlink_cli::outln!(
            "| {} | {} | {:.2} | {:.2} | {:.3} |",
            p.step,
            p.elements,
            p.blindlink_seconds / n * 1e6,
            p.voprf_seconds / n * 1e6,
            p.ratio
        );
    }
}

/// Prints the OpenMined ratios.
pub fn print_openmined(ratios: &[OpenMinedRatio]) {
    if ratios.is_empty() {
        return;
    }
    blindlink_cli::outln!("\nOpenMined PSI (server setup) vs blindlink holder encoding:");
    blindlink_cli::outln!(
        "| n | OpenMined setup us/elem | blindlink encoding us/elem | ratio | OpenMined bits/elem | blindlink bits/elem | ratio |"
    );
    blindlink_cli::outln!("|---:|---:|---:|---:|---:|---:|---:|");
    for r in ratios {
        blindlink_cli::outln!(
            "| {} | {:.2} | {:.2} | {:.2} | {:.1} | {:.1} | {:.2} |",
            r.n,
            r.openmined_setup_us_per_element,
            r.blindlink_encoding_us_per_element,
            r.setup_ratio,
            r.openmined_setup_bits_per_element,
            r.blindlink_wire_bits_per_element,
            r.bits_ratio
        );
    }
}

/// Writes the report as pretty JSON.
pub fn write_json(report: &Report, path: &Path) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(report)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)?;
    Ok(())
}

/// The CPU model from `/proc/cpuinfo`.
pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_default()
}
