//! The scale harness: the whole protocol at realistic sizes, through the real session
//! state machines and the real Noise channel over loopback, each phase against the
//! primitive bound measured next to it in the same run.
//!
//! ```sh
//! cargo run --release -p blindlink-bench --bin scale -- [--holder N] [--request M] [--threads T] [--json out.json] [--svg-dir DIR]
//! cargo run --release -p blindlink-bench --bin scale -- --sweep --sweep-max 20 --json sweep.json
//! ```
//!
//! It writes files only where it is told: the measurements with `--json FILE`, the SVG
//! plots with `--svg-dir DIR`.
//!
//! Per phase (holder normalize + keys, holder encoding, request blinding, holder
//! evaluation + proofs, set transfer, finalize + lookup) it prints wall time, elements per
//! second, peak resident memory, bytes on the wire per element and the ratio to the bound
//! (see `bound.rs` for what is counted). Then the re-encoding comparison, the `voprf`
//! crate side by side (`--peer-sizes`), and OpenMined PSI ratios (`--openmined FILE`).
//! Both parties run in this one process (the holder in a thread), so resident memory is
//! the two parties' together.

mod bound;
mod cli;
mod data;
mod holder_side;
mod memory;
mod online;
mod peers;
mod phases;
mod plot;
mod report;
mod run;

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Parser;

use crate::bound::Samples;
use crate::cli::Options;
use crate::report::{BOUND_COUNTING, Report};
use crate::run::{HOLDER_TOTAL, RunSpec};

fn main() -> ExitCode {
    blindlink_cli::program::install_panic_hook("scale");
    let outcome = real_main().map_err(blindlink_cli::Failure::other);
    blindlink_cli::program::finish("scale", false, outcome)
}

fn real_main() -> anyhow::Result<()> {
    let opts = Options::parse();
    opts.validate()?;
    let threads = opts.thread_count();
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()?;
    let samples = Samples::new(opts.bound_sample);
    let mut report = Report {
        command: std::env::args().collect(),
        threads,
        cpu: report::cpu_model(),
        load_average_at_start: std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
            .to_owned(),
        started_unix: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        bound_sample_elements: opts.bound_sample,
        bound_counting: BOUND_COUNTING.to_vec(),
        ..Report::default()
    };
    eprintln!(
        "scale: {threads} threads, load average {}",
        report.load_average_at_start
    );
    if opts.sweep {
        sweep(&opts, &samples, &mut report)?;
    } else {
        main_run(&opts, &samples, &mut report)?;
    }
    report.peak_rss_per_phase = memory::resets_work();
    if !report.peak_rss_per_phase {
        blindlink_cli::outln!(
            "\nnote: /proc/self/clear_refs refused; peak RSS figures are the process peak"
        );
    }
    if let Some(path) = &opts.json {
        report::write_json(&report, path)?;
        eprintln!("scale: wrote {}", path.display());
    }
    Ok(())
}

fn spec(opts: &Options, holder: usize, request: usize) -> RunSpec {
    RunSpec {
        holder,
        request,
        seed: opts.seed,
        present_fraction: opts.present_fraction,
        max_request_elements: opts.max_request_elements,
    }
}

fn main_run(opts: &Options, samples: &Samples, report: &mut Report) -> anyhow::Result<()> {
    eprintln!(
        "scale: {} holder records, {} request records",
        opts.holder, opts.request
    );
    let result = run::run(spec(opts, opts.holder, opts.request), samples)?;
    report::print_run(&result);
    report.comparison = report::compare(&result, opts.compare_holder, opts.compare_request);
    if let Some(c) = &report.comparison {
        report::print_comparison(c);
    }
    if let Some(path) = &opts.openmined {
        let om = peers::read_openmined(path)?;
        blindlink_cli::outln!("\nOpenMined: {} {} on {}", om.library, om.version, om.cpu);
        report.openmined = report::openmined_ratios(&result, &om);
        report::print_openmined(&report.openmined);
    }
    if let Some(dir) = &opts.svg_dir {
        std::fs::create_dir_all(dir)?;
        let svg = dir.join("scale-phases.svg");
        plot::run_phases(&svg, &result)?;
        eprintln!("scale: wrote {}", svg.display());
    }
    report.run = Some(result);
    if !opts.no_peers {
        for &log2 in &opts.peer_sizes {
            eprintln!("scale: voprf crate side by side at 2^{log2}");
            report
                .peers
                .extend(peers::compare_voprf(log2, opts.peer_rounds)?);
        }
        report::print_peers(&report.peers);
    }
    Ok(())
}

fn sweep(opts: &Options, samples: &Samples, report: &mut Report) -> anyhow::Result<()> {
    blindlink_cli::outln!(
        "| holder records | keys | holder encoding s | keys/s | ratio to bound | set bits/elem on wire | target | online (cached) s | online ratio |"
    );
    blindlink_cli::outln!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for log2 in opts.sweep_min..=opts.sweep_max {
        let holder = 1usize << log2;
        eprintln!("scale: sweep 2^{log2} holder records");
        let result = run::run(spec(opts, holder, opts.sweep_request), samples)?;
        if let (Some(h), Some(o)) = (result.find(HOLDER_TOTAL), result.find(run::ONLINE_CACHED)) {
            blindlink_cli::outln!(
                "| 2^{log2} | {} | {:.3} | {:.0} | {} | {:.2} | {:.2} | {:.3} | {} |",
                result.holder_keys,
                h.seconds,
                h.elements_per_second,
                h.ratio.map_or("-".into(), |r| format!("{r:.3}")),
                result.set_wire_bits_per_element,
                result.set_wire_target_bits,
                o.seconds,
                o.ratio.map_or("-".into(), |r| format!("{r:.3}")),
            );
        }
        report.sweep.push(result);
        if let Some(path) = &opts.json {
            report::write_json(report, path)?;
        }
    }
    let Some(dir) = &opts.svg_dir else {
        return Ok(());
    };
    std::fs::create_dir_all(dir)?;
    for (name, draw) in [
        (
            "scale-throughput.svg",
            plot::throughput as fn(&std::path::Path, &[run::RunResult]) -> anyhow::Result<()>,
        ),
        ("scale-sweep-phases.svg", plot::sweep_phases),
    ] {
        let path = dir.join(name);
        draw(&path, &report.sweep)?;
        eprintln!("scale: wrote {}", path.display());
    }
    Ok(())
}
