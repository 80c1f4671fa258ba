//! The whole two-party story on loopback, with the real `irs`, `ice` and `approve`
//! processes and fresh keys in a temporary directory:
//!
//! ```sh
//! cargo run --release --example demo -- [--population N] [--request M] [--keep]
//! ```
//!
//! Synthesizes a taxpayer population (default 200,000) and a request list (default
//! 2,000) with ground truth, sets up the holder (keys, encoded set, policy) and the
//! requester, approves and runs one request, reports linkage quality, timings and bytes
//! on the wire, then shows the holder refusing requests it must refuse, and verifies
//! both audit logs. Every expected outcome is checked: anything else ends the demo with
//! a one-line error and a non-zero exit status.

#[path = "demo/logs.rs"]
mod logs;
#[path = "demo/quality.rs"]
mod quality;
#[path = "demo/refusals.rs"]
mod refusals;
#[path = "demo/report.rs"]
mod report;
#[path = "demo/rogue.rs"]
mod rogue;
#[path = "demo/stage.rs"]
mod stage;

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use blindlink_testkit::{
    Approver, Binaries, Holder, PolicySpec, RequestSpec, Requester, synth_population, synth_request,
};
use clap::Parser;

use quality::Quality;
use report::{Timings, bytes, percent, section, table};
use stage::{REQUESTER_ID, Stage};

/// The whole two-party story on loopback: synthetic data, the holder's encoded set, one
/// approved request, linkage quality, cost, the holder's refusals and both audit logs.
#[derive(Debug, Parser)]
#[command(name = "demo")]
struct Options {
    /// Taxpayers in the synthetic population (at least 1000; `_` separators allowed).
    #[arg(long, default_value_t = 200_000, value_parser = count)]
    population: usize,
    /// Rows in the request list (at least 20; `_` separators allowed).
    #[arg(long, default_value_t = 2_000, value_parser = count)]
    request: usize,
    /// Keep the working directory instead of removing it at the end.
    #[arg(long)]
    keep: bool,
}

/// A count, with optional `_` separators (`200_000`).
fn count(value: &str) -> Result<usize, String> {
    value
        .replace('_', "")
        .parse()
        .map_err(|_| format!("{value:?} is not a count"))
}

impl Options {
    /// Checks the sizes the story needs.
    fn validate(&self) -> Result<()> {
        if self.population < 1_000 || self.request < 20 {
            bail!("use at least 1000 people and 20 request rows");
        }
        Ok(())
    }
}

fn main() -> ExitCode {
    let opts = Options::parse();
    blindlink_testkit::example_main("demo", || opts.validate().and_then(|()| run(&opts)))
}

fn run(opts: &Options) -> Result<()> {
    let started = Instant::now();
    let mut t = Timings::default();
    println!("blindlink demo: a data holder (irs) and a requester (ice) link records by");
    println!("OPRF-based private set intersection, on loopback, with synthetic people only.");

    let bins = t.step("build the binaries (cargo, release)", || {
        Binaries::build(true)
    })?;
    let tmp = tempfile::Builder::new()
        .prefix("blindlink-demo-")
        .tempdir()
        .context("creating the working directory")?;
    let dir = tmp.path().to_path_buf();
    println!(
        "working directory: {} ({})",
        dir.display(),
        if opts.keep {
            "kept"
        } else {
            "removed at the end; --keep keeps it"
        }
    );

    section("1. Synthetic data");
    let population = dir.join("population.csv");
    let request = dir.join("request.csv");
    let truth = dir.join("truth.csv");
    t.step("synth population", || {
        synth_population(&bins, opts.population, 1, &population)
    })?;
    t.step("synth request", || {
        synth_request(
            &bins,
            &RequestSpec {
                population: &population,
                count: opts.request,
                seed: 2,
                profile: "realistic",
                present_fraction: 0.6,
                out: &request,
                truth: &truth,
            },
        )
    })?;
    println!(
        "  holder's file: {} taxpayers; requester's list: {} people, about 60% of them on file,",
        opts.population, opts.request
    );
    println!("  with realistic differences (nicknames, typos, dropped units and suffixes, moves).");

    section("2. Keys, the holder's encoded set, the policy");
    let holder = Holder::new(&bins, dir.join("irs"));
    t.step("irs keygen", || holder.keygen())?;
    let ingest = t.step("irs ingest (OPRF over every key)", || {
        holder.ingest(&population)
    })?;
    let set = &ingest["summary"]["set"];
    println!(
        "  encoded set: {} fingerprints of {} bits, {} (rules R1 exact name+address, R2 name+house+ZIP)",
        set["size"],
        set["fingerprint_bits"],
        bytes(set["bytes"].as_u64().unwrap_or(0))
    );
    let phases = &ingest["summary"]["seconds"];
    println!(
        "  ingest on {} threads: read and keys {:.2} s, uniqueness {:.2} s, OPRF {:.2} s, encode and write {:.2} s",
        ingest["summary"]["threads"],
        phases["read_and_keys"].as_f64().unwrap_or(0.0),
        phases["uniqueness"].as_f64().unwrap_or(0.0),
        phases["evaluate"].as_f64().unwrap_or(0.0),
        phases["encode"].as_f64().unwrap_or(0.0) + phases["write"].as_f64().unwrap_or(0.0),
    );
    let ice = Requester::new(&bins, dir.join("ice"), REQUESTER_ID);
    let approvers = dir.join("approvers");
    let (secretary, counsel, outsider) =
        t.step("ice keygen + pin-holder, approve keygen x3", || {
            ice.keygen()?;
            // The holder's identity.pub reaches the requester out of band; it must sign
            // every holder.json the requester uses.
            ice.pin(&holder)?;
            Ok::<_, anyhow::Error>((
                Approver::keygen(&bins, "dhs-secretary", &approvers)?,
                Approver::keygen(&bins, "irs-counsel", &approvers)?,
                Approver::keygen(&bins, "dhs-secretary", &dir.join("outsider"))?,
            ))
        })?;
    let stage = Stage {
        holder_json: holder.holder_json(),
        dir,
        population,
        request,
        bins,
        holder,
        ice,
        secretary,
        counsel,
        outsider,
        request_limit: opts.request as u64,
    };
    let policy = stage.path("policy.toml");
    stage.policy(PolicySpec::new()).write(&policy)?;
    println!("  policy.toml:");
    for line in std::fs::read_to_string(&policy)?.lines() {
        println!("{}", format!("    {line}").trim_end());
    }

    section("3. One approved request");
    let server = t.step("irs serve (start)", || {
        stage.holder.serve(&policy, &[&stage.ice])
    })?;
    println!("  irs serve listening on {}", server.addr());
    let prepared = t.step("ice prepare (normalize, keys, blind)", || {
        stage.prepare("request.bundle")
    })?;
    println!(
        "  bundle: request {}, {} records, {} blinded elements",
        prepared.request_id, prepared.records, prepared.elements
    );
    let approval = stage.path("request.approval.json");
    t.step("approve sign (recheck bundle, sign)", || {
        stage.secretary.sign(&prepared.bundle, &approval, None)
    })?;
    println!(
        "  approved by dhs-secretary {}",
        stage.secretary.public_key()
    );
    let outcome = t.step("ice query (whole session)", || {
        stage.query(server.addr(), &prepared.bundle, &[&approval], "results.csv")
    })?;
    let report = outcome.answered()?;
    println!(
        "  {} of {} records matched; the holder learned how many were asked ({} records,",
        report.matched_records, report.records, report.records
    );
    println!("  {} blinded elements), not who", report.elements);

    section("4. Results against the ground truth");
    let q = Quality::measure(&stage.path("results.csv"), &truth)?;
    println!(
        "  {} people asked about, {} of them on file ({} at their current address)",
        q.rows, q.present, q.present_current
    );
    let mut rows: Vec<Vec<String>> = q
        .by_rule
        .iter()
        .map(|(rule, matched, present)| {
            vec![
                format!("strongest rule {rule}"),
                matched.to_string(),
                present.to_string(),
                percent(*present, *matched),
            ]
        })
        .collect();
    rows.push(vec![
        "all matches".into(),
        q.matched.to_string(),
        q.true_matches.to_string(),
        percent(q.true_matches, q.matched),
    ]);
    table(&["", "matched", "on file", "precision"], &rows);
    println!();
    table(
        &["recall", "found", "of", "recall"],
        &[
            vec![
                "people on file".into(),
                q.true_matches.to_string(),
                q.present.to_string(),
                percent(q.true_matches, q.present),
            ],
            vec![
                "... at their current address".into(),
                q.true_matches_current.to_string(),
                q.present_current.to_string(),
                percent(q.true_matches_current, q.present_current),
            ],
        ],
    );
    println!("  (people who moved cannot match: the holder has them at another address)");

    section("5. Cost");
    table(&["step", "seconds"], &t.rows());
    println!();
    let order = [
        "connect",
        "send_request",
        "holder_evaluation",
        "verify_finalize",
        "set_transfer",
        "lookup",
    ];
    let mut phases: Vec<(&String, &f64)> = report.seconds.iter().collect();
    phases.sort_by_key(|(phase, _)| order.iter().position(|o| o == phase).unwrap_or(order.len()));
    let phases: Vec<Vec<String>> = phases
        .into_iter()
        .map(|(phase, s)| vec![phase.replace('_', " "), format!("{s:.3}")])
        .collect();
    table(&["ice query phase", "seconds"], &phases);
    println!();
    table(
        &["on the wire", "bytes", "size"],
        &[
            vec![
                "requester -> holder".into(),
                report.bytes_sent.to_string(),
                bytes(report.bytes_sent),
            ],
            vec![
                "holder -> requester".into(),
                report.bytes_received.to_string(),
                bytes(report.bytes_received),
            ],
        ],
    );
    println!(
        "  (the holder's set, {} fingerprints, is most of what comes back; a requester that",
        report.set_size
    );
    println!("   cached it for this key epoch gets a confirmation instead)");

    section("6. Requests the holder refuses");
    let server = refusals::show(&stage, server, &approval, &prepared.bundle)?;
    drop(server);

    section("7. A holder that does not play along");
    rogue::show(&stage)?;

    section("8. Audit logs");
    audit_summary(&stage)?;
    logs::show(&stage)?;
    println!();
    println!(
        "demo finished in {:.1} s{}",
        started.elapsed().as_secs_f64(),
        if opts.keep {
            format!("; files kept in {}", stage.dir.display())
        } else {
            String::new()
        }
    );
    if opts.keep {
        let _ = tmp.keep();
    }
    Ok(())
}

/// Verifies both audit logs and counts the holder's entries by kind.
fn audit_summary(stage: &Stage) -> Result<()> {
    let irs = stage.holder.verify_audit()?;
    let ice = stage.ice.verify_audit()?;
    for (who, check) in [("irs", &irs), ("ice", &ice)] {
        if !check.intact {
            bail!(
                "{who} audit log is not intact: {}",
                check.problem.as_deref().unwrap_or("?")
            );
        }
    }
    table(
        &["audit log", "entries", "chain"],
        &[
            vec![
                "irs (holder)".into(),
                irs.entries.to_string(),
                "intact".into(),
            ],
            vec![
                "ice (requester)".into(),
                ice.entries.to_string(),
                "intact".into(),
            ],
        ],
    );
    let text = std::fs::read_to_string(stage.holder.audit_log())?;
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for line in text.lines() {
        let entry: serde_json::Value = serde_json::from_str(line)?;
        let kind = entry["kind"].as_str().unwrap_or("?");
        let key = match entry["reason"].as_str() {
            Some(reason) => format!("{kind} ({reason})"),
            None => kind.to_owned(),
        };
        *kinds.entry(key).or_default() += 1;
    }
    println!();
    let rows: Vec<Vec<String>> = kinds
        .into_iter()
        .map(|(k, n)| vec![k, n.to_string()])
        .collect();
    table(&["irs audit entries by kind", "count"], &rows);
    Ok(())
}
