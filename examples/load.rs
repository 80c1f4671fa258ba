//! Load: N concurrent honest requesters (default 32) against one `irs serve` on
//! loopback for a bounded time.
//!
//! ```sh
//! cargo run --release --example load -- [--seconds S] [--requesters N] [--records R]
//!                                       [--population P] [--max-sessions M] [--tmpfs]
//!                                       [--json]
//! ```
//!
//! The holder, the approver and the requester identities are set up with the real
//! binaries (`synth`, `irs keygen/ingest`, `approve keygen`, `ice keygen`), and the
//! real `irs serve` runs as a child process with `--max-sessions M` (default N: a
//! connection beyond the limit waits in the listen backlog until a session ends, so with
//! M < N requesters queue, and latency shows it). Each requester is a
//! thread of this process: in a loop until the time is up, it prepares a fresh request
//! (new request id and blinds) and approves it with the protocol crate's code (what
//! `ice prepare` and `approve sign` run), then runs the requester session over the real
//! Noise channel and checks proofs, set and results as `ice query` does. Its first
//! session downloads the set; later ones use the cache, as `ice` does. Preparation is
//! timed apart from the session latency (connect to checked results).
//!
//! The state directories (holder, requesters) live in the system's temporary directory,
//! or on tmpfs (`/dev/shm`) with `--tmpfs`, to compare the cost of fsync back to back.
//!
//! Reports sessions, sessions/s, elements/s, latency percentiles, the server's peak RSS
//! (`VmHWM`) and CPU time (`/proc/<pid>/stat`), the holder ledger's fdatasyncs per
//! session (from the `ledger_syncs` count `irs serve` writes into each `set-sent` audit
//! entry), and checks that no session failed and that the holder's audit log verifies
//! and holds one `decision-accepted` entry per answered session. Exits non-zero if not.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "load/report.rs"]
mod report;
#[path = "load/session.rs"]
mod session;
#[path = "load/setup.rs"]
mod setup;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use blindlink_testkit::Binaries;
use clap::Parser;
use report::{Percentiles, Summary, ThreadTally, print_table};
use session::{LoadRequester, Shared};
use setup::{ServerProcess, World};

/// N concurrent honest requesters against one `irs serve` on loopback for a bounded
/// time; reports throughput and latency, and checks every session and the audit log.
#[derive(Debug, Parser)]
#[command(name = "load")]
struct Options {
    /// How long the requesters keep sending requests.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Concurrent requesters (threads, each its own identity).
    #[arg(long, default_value_t = 32)]
    requesters: usize,
    /// Records per request.
    #[arg(long, default_value_t = 20)]
    records: usize,
    /// Taxpayers in the holder's synthetic population.
    #[arg(long, default_value_t = 10_000)]
    population: usize,
    /// `irs serve --max-sessions` (default: the number of requesters).
    #[arg(long)]
    max_sessions: Option<usize>,
    /// Put the state directories on tmpfs (`/dev/shm`) instead of the temporary directory.
    #[arg(long)]
    tmpfs: bool,
    /// Print the summary as JSON instead of a table.
    #[arg(long)]
    json: bool,
}

impl Options {
    /// Checks the counts clap cannot.
    fn validate(&self) -> Result<()> {
        if self.requesters == 0 || self.records == 0 || self.seconds == 0 {
            bail!("--seconds, --requesters and --records must be at least 1");
        }
        Ok(())
    }
}

fn main() -> ExitCode {
    let opts = Options::parse();
    blindlink_testkit::example_main("load", || opts.validate().and_then(|()| run(&opts)))
}

/// One requester's loop until `end` (or until `stop` is raised by a dead server).
fn drive(
    mut requester: LoadRequester,
    shared: &Shared,
    addr: &str,
    end: Instant,
    stop: &AtomicBool,
) -> ThreadTally {
    let mut tally = ThreadTally::default();
    while Instant::now() < end && !stop.load(Ordering::Relaxed) {
        let t = Instant::now();
        let approved = match requester.prepare(shared) {
            Ok(a) => a,
            Err(e) => {
                tally.failures.push(format!("prepare: {e:#}"));
                continue;
            }
        };
        tally.prepare += t.elapsed();
        match requester.query(shared, addr, approved) {
            Ok(answer) => {
                tally.latencies.push(answer.latency);
                tally.elements += answer.elements as u64;
                tally.matched += answer.matched as u64;
                tally.from_cache += u64::from(answer.from_cache);
            }
            Err(e) => tally.failures.push(format!("{e:#}")),
        }
    }
    tally
}

fn run(opts: &Options) -> Result<()> {
    let release = !cfg!(debug_assertions);
    let bins = Binaries::build(release)?;
    eprintln!(
        "setting up: {} people, {} requesters (real binaries, {} build)...",
        opts.population,
        opts.requesters,
        if release { "release" } else { "debug" }
    );
    let base = opts.tmpfs.then(|| std::path::Path::new(TMPFS));
    let world = World::new(&bins, base, opts.population, opts.requesters, opts.records)?;
    let shared = Shared::load(
        &world.holder.holder_json(),
        &world.approver_key,
        setup::ROLE,
        &world.request,
    )?;
    let requesters = world
        .requesters
        .iter()
        .map(|r| LoadRequester::new(r.dir(), r.id()))
        .collect::<Result<Vec<_>>>()?;
    let accepted_before = accepted_entries(&world)?;
    let max_sessions = opts.max_sessions.unwrap_or(opts.requesters);
    let mut server = ServerProcess::start(&world, max_sessions)?;
    eprintln!(
        "{} requesters for {} s against {}...",
        opts.requesters, opts.seconds, server.addr
    );

    let addr = server.addr.clone();
    let stop = AtomicBool::new(false);
    let cpu_before = server.cpu_time()?;
    let start = Instant::now();
    let end = start + Duration::from_secs(opts.seconds);
    let tallies: Vec<ThreadTally> = std::thread::scope(|s| {
        let handles: Vec<_> = requesters
            .into_iter()
            .map(|r| {
                let (shared, addr, stop) = (&shared, addr.as_str(), &stop);
                s.spawn(move || drive(r, shared, addr, end, stop))
            })
            .collect();
        while Instant::now() < end && !handles.iter().all(|h| h.is_finished()) {
            if !server.is_running() {
                stop.store(true, Ordering::Relaxed);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let elapsed = start.elapsed().as_secs_f64();
    if !server.is_running() {
        bail!("irs serve exited during the load");
    }
    let peak = server.peak_rss_kib()?;
    let cpu = (server.cpu_time()? - cpu_before).as_secs_f64();
    drop(server);

    let mut summary = summarize(
        opts,
        &world,
        &shared,
        tallies,
        elapsed,
        peak,
        accepted_before,
    )?;
    summary.max_sessions = max_sessions;
    summary.server_cpu_seconds = cpu;
    summary.server_cpu_share = cpu / elapsed;
    summary.state = format!(
        "{} ({})",
        if opts.tmpfs { "tmpfs" } else { "disk" },
        base.map_or_else(std::env::temp_dir, std::path::Path::to_path_buf)
            .display()
    );
    let (syncs, per_session) = ledger_syncs(&world, accepted_before)?;
    summary.ledger_syncs = syncs;
    summary.fdatasyncs_per_session = per_session;
    if opts.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print_table(&summary);
    }
    if summary.failed > 0 {
        bail!("{} sessions failed", summary.failed);
    }
    if !summary.audit_intact || summary.audit_accepted != summary.sessions {
        bail!(
            "the holder's audit log has {} accepted entries for {} sessions (intact: {})",
            summary.audit_accepted,
            summary.sessions,
            summary.audit_intact
        );
    }
    Ok(())
}

/// Where `--tmpfs` puts the state directories.
const TMPFS: &str = "/dev/shm";

/// The run's `ledger_syncs` (from its last `set-sent` entry) and the fdatasyncs per
/// session between its first and last `set-sent` entries. `skip_accepted` is the number
/// of `decision-accepted` entries before the run (set-up writes none, so entries after
/// the last of them are the run's).
fn ledger_syncs(world: &World, skip_accepted: u64) -> Result<(u64, f64)> {
    let text = std::fs::read_to_string(world.holder.audit_log())?;
    let mut accepted = 0u64;
    let mut counts = Vec::new();
    for line in text.lines() {
        if line.contains("\"kind\":\"decision-accepted\"") {
            accepted += 1;
        }
        if accepted <= skip_accepted || !line.contains("\"kind\":\"set-sent\"") {
            continue;
        }
        let entry: serde_json::Value = serde_json::from_str(line)?;
        if let Some(n) = entry["details"]["ledger_syncs"].as_u64() {
            counts.push(n);
        }
    }
    let (Some(first), Some(last)) = (counts.first(), counts.last()) else {
        return Ok((0, 0.0));
    };
    let between = counts.len().saturating_sub(1).max(1) as f64;
    Ok((*last, (last - first) as f64 / between))
}

fn accepted_entries(world: &World) -> Result<u64> {
    let text = std::fs::read_to_string(world.holder.audit_log()).unwrap_or_default();
    Ok(text
        .lines()
        .filter(|l| l.contains("\"kind\":\"decision-accepted\""))
        .count() as u64)
}

fn summarize(
    opts: &Options,
    world: &World,
    shared: &Shared,
    tallies: Vec<ThreadTally>,
    seconds: f64,
    peak_rss_kib: u64,
    accepted_before: u64,
) -> Result<Summary> {
    let mut latencies = Vec::new();
    let (mut elements, mut from_cache, mut prepare) = (0, 0, Duration::ZERO);
    let mut failures = Vec::new();
    for t in tallies {
        latencies.extend(t.latencies);
        elements += t.elements;
        from_cache += t.from_cache;
        prepare += t.prepare;
        failures.extend(t.failures);
    }
    let sessions = latencies.len() as u64;
    let failed = failures.len() as u64;
    failures.truncate(5);
    let audit = world.holder.verify_audit()?;
    Ok(Summary {
        requesters: opts.requesters,
        max_sessions: 0,
        records_per_request: opts.records,
        elements_per_request: elements.checked_div(sessions).unwrap_or(0),
        set_size: shared.holder.set_size,
        seconds,
        sessions,
        failed,
        failures,
        sessions_from_cache: from_cache,
        sessions_per_second: sessions as f64 / seconds,
        elements_per_second: elements as f64 / seconds,
        latency_ms: Percentiles::of(&mut latencies),
        prepare_ms_mean: prepare.as_secs_f64() * 1e3 / (sessions + failed).max(1) as f64,
        server_peak_rss_kib: peak_rss_kib,
        server_cpu_seconds: 0.0,
        server_cpu_share: 0.0,
        state: String::new(),
        ledger_syncs: 0,
        fdatasyncs_per_session: 0.0,
        audit_accepted: accepted_entries(world)? - accepted_before,
        audit_intact: audit.intact,
        profile: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
    })
}
