//! Turns criterion's saved estimates (`target/criterion`) into the per-element table and
//! the ratios of docs/BENCHMARKS.md: every number printed comes from the last
//! `cargo bench --bench oprf` / `--bench encoded_set` run on this machine.
//!
//! ```text
//! cargo bench -p blindlink-core --bench oprf && cargo bench -p blindlink-core --bench encoded_set
//! cargo run --release -p blindlink-bench --bin bench_report [-- target/criterion]
//! ```
//!
//! Criterion writes to `criterion/` under the workspace's target directory whichever
//! crate the bench belongs to; that is where this looks unless given a directory.
//!
//! Bounds are sums of the raw primitives measured in the same run (group `bound`, one
//! thread): e.g. the holder's full Evaluate is bounded by HashToGroup + variable-base
//! multiplication + batched double-and-compress + the Finalize hash. A ratio of 1.00
//! means the operation costs exactly its primitives; on `tN` the bound is divided by N.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Parser;
use serde_json::Value;

/// Prints criterion's saved estimates as microseconds per element, and the ratios of each
/// operation to the sum of its primitives measured in the same run.
#[derive(Debug, Parser)]
#[command(name = "bench_report")]
struct Options {
    /// Criterion's output directory (default: where criterion writes, `$CRITERION_HOME`
    /// or `criterion` in the workspace's target directory, `$CARGO_TARGET_DIR` if set).
    dir: Option<PathBuf>,
}

/// Where criterion puts its estimates: `$CRITERION_HOME`, else
/// `$CARGO_TARGET_DIR/criterion`, else the workspace's `target/criterion` (this crate sits
/// at `crates/bench`).
fn default_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
            manifest
                .parent()
                .and_then(Path::parent)
                .unwrap_or(manifest)
                .join("target")
        })
        .join("criterion")
}

/// Per-element microseconds by criterion id (`group/function/value`).
type Table = BTreeMap<String, f64>;

fn collect(dir: &Path, table: &mut Table) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if !path.is_dir() {
            continue;
        }
        let bench = path.join("new").join("benchmark.json");
        if bench.is_file() {
            let meta: Value = serde_json::from_slice(&std::fs::read(&bench)?)?;
            let est: Value =
                serde_json::from_slice(&std::fs::read(path.join("new").join("estimates.json"))?)?;
            let elements = meta["throughput"]["Elements"].as_f64().unwrap_or(1.0);
            let ns = est["slope"]["point_estimate"]
                .as_f64()
                .or_else(|| est["mean"]["point_estimate"].as_f64())
                .context("no estimate")?;
            let id = meta["full_id"].as_str().unwrap_or_default().to_owned();
            table.insert(id, ns / elements / 1000.0);
        } else {
            collect(&path, table)?;
        }
    }
    Ok(())
}

fn get(t: &Table, id: &str) -> Option<f64> {
    t.get(id).copied()
}

fn ratio_line(t: &Table, label: &str, id: &str, bound: Option<f64>, threads: f64) {
    if let (Some(v), Some(b)) = (get(t, id), bound) {
        blindlink_cli::outln!(
            "| {label} | `{id}` | {v:.2} | {:.2} | {:.3} |",
            b / threads,
            v / (b / threads)
        );
    }
}

fn main() -> std::process::ExitCode {
    blindlink_cli::program::install_panic_hook("bench_report");
    let outcome = report().map_err(blindlink_cli::Failure::other);
    blindlink_cli::program::finish("bench_report", false, outcome)
}

fn report() -> Result<()> {
    let dir = Options::parse().dir.unwrap_or_else(default_dir);
    let mut t = Table::new();
    collect(&dir, &mut t)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());

    blindlink_cli::outln!("## Per element (microseconds), from {}\n", dir.display());
    blindlink_cli::outln!("| benchmark | us/element |\n|---|---:|");
    for (id, us) in &t {
        blindlink_cli::outln!("| `{id}` | {us:.3} |");
    }

    let p = |name: &str| get(&t, &format!("bound/{name}"));
    let sum = |names: &[&str]| -> Option<f64> { names.iter().map(|n| p(n)).sum() };
    let evaluate = sum(&[
        "hash_to_group",
        "variable_base_mul",
        "double_and_compress_batch",
        "finalize_hash",
    ]);
    let blind = sum(&[
        "hash_to_group",
        "variable_base_mul",
        "double_and_compress_batch",
    ]);
    let blind_evaluate = sum(&[
        "decompress",
        "variable_base_mul",
        "double_and_compress_batch",
    ]);
    let prove_share = sum(&["hash_to_scalar", "vartime_multiscalar_mul"]);
    let evaluate_and_prove = blind_evaluate.zip(prove_share).map(|(a, b)| a + b);
    let verify_finalize = sum(&[
        "decompress",
        "decompress",
        "hash_to_scalar",
        "vartime_multiscalar_mul",
        "vartime_multiscalar_mul",
        "batch_invert",
        "variable_base_mul",
        "double_and_compress_batch",
        "finalize_hash",
    ]);

    blindlink_cli::outln!("\n## Ratios to the primitive bound\n");
    blindlink_cli::outln!(
        "| operation | benchmark | us/element | bound us/element | ratio |\n|---|---|---:|---:|---:|"
    );
    let tn = format!("t{threads}");
    for n in [1024, 8192, 65536] {
        for (tl, th) in [("t1", 1.0), (tn.as_str(), threads as f64)] {
            let id = |op: &str| format!("online/{tl}/{op}/{n}");
            ratio_line(
                &t,
                "holder Evaluate",
                &format!("holder_evaluate/{tl}/{n}"),
                evaluate,
                th,
            );
            ratio_line(&t, "requester Blind", &id("blind"), blind, th);
            ratio_line(
                &t,
                "holder BlindEvaluate",
                &id("blind_evaluate"),
                blind_evaluate,
                th,
            );
            ratio_line(
                &t,
                "holder BlindEvaluate + proof",
                &id("blind_evaluate_and_prove"),
                evaluate_and_prove,
                th,
            );
            ratio_line(
                &t,
                "requester verify + Finalize",
                &id("verify_and_finalize"),
                verify_finalize,
                th,
            );
        }
    }

    blindlink_cli::outln!(
        "\n## Holder Evaluate against its adjacent bound (same group, same inputs)\n"
    );
    blindlink_cli::outln!(
        "| benchmark | us/element | adjacent bound | ratio |\n|---|---:|---:|---:|"
    );
    for tl in ["t1", tn.as_str()] {
        for n in [1024, 8192, 65536] {
            let op = get(&t, &format!("holder_evaluate/{tl}/{n}"));
            let bound = get(&t, &format!("holder_evaluate/{tl}/adjacent_bound/{n}"));
            if let (Some(op), Some(bound)) = (op, bound) {
                blindlink_cli::outln!(
                    "| `holder_evaluate/{tl}/{n}` | {op:.2} | {bound:.2} | {:.3} |",
                    op / bound
                );
            }
        }
    }

    blindlink_cli::outln!("\n## Scaling and peer\n");
    for n in [1024, 8192, 65536] {
        let one = get(&t, &format!("holder_evaluate/t1/{n}"));
        let all = get(&t, &format!("holder_evaluate/{tn}/{n}"));
        if let (Some(a), Some(b)) = (one, all) {
            blindlink_cli::outln!(
                "- holder Evaluate at {n}: {tn} is {:.2}x faster than t1",
                a / b
            );
        }
    }
    if let (Some(peer), Some(ours)) = (
        get(&t, "peer_voprf_evaluate/t1/1024"),
        get(&t, "holder_evaluate/t1/1024"),
    ) {
        blindlink_cli::outln!(
            "- voprf crate `evaluate`, one thread: {peer:.2} us/element; blindlink {ours:.2} us/element: {:.2}x faster",
            peer / ours
        );
    }
    Ok(())
}
