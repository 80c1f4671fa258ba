//! The load run's figures: what was measured per session, and the summary table.

use std::time::Duration;

use serde::Serialize;

/// What one requester thread measured.
#[derive(Debug, Default)]
pub struct ThreadTally {
    /// Latency of each answered session (connect to checked results).
    pub latencies: Vec<Duration>,
    /// Blinded elements evaluated over all answered sessions.
    pub elements: u64,
    /// Records matched over all answered sessions.
    pub matched: u64,
    /// Sessions answered from the requester's cached set.
    pub from_cache: u64,
    /// Time spent preparing and approving requests (outside the latencies).
    pub prepare: Duration,
    /// Sessions that failed, with why.
    pub failures: Vec<String>,
}

/// The summary printed as a table or JSON.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// Concurrent requesters.
    pub requesters: usize,
    /// The server's `--max-sessions`.
    pub max_sessions: usize,
    /// Records per request.
    pub records_per_request: usize,
    /// Elements per request.
    pub elements_per_request: u64,
    /// Fingerprints in the holder's set.
    pub set_size: u64,
    /// How long the load ran, seconds.
    pub seconds: f64,
    /// Sessions answered.
    pub sessions: u64,
    /// Sessions that failed (must be 0).
    pub failed: u64,
    /// The first failures, if any.
    pub failures: Vec<String>,
    /// Sessions answered from the requester's cached set.
    pub sessions_from_cache: u64,
    /// Answered sessions per second.
    pub sessions_per_second: f64,
    /// Evaluated elements per second.
    pub elements_per_second: f64,
    /// Latency percentiles, milliseconds.
    pub latency_ms: Percentiles,
    /// Requester-side preparation (blinding and signing) per request, milliseconds.
    pub prepare_ms_mean: f64,
    /// Peak resident memory of `irs serve`, KiB.
    pub server_peak_rss_kib: u64,
    /// CPU time (user + system) of `irs serve` during the load, seconds.
    pub server_cpu_seconds: f64,
    /// `server_cpu_seconds` over the load's wall time (1.0 = one core busy).
    pub server_cpu_share: f64,
    /// Where the state directories were: `disk` or `tmpfs`, and the directory.
    pub state: String,
    /// The holder ledger's fdatasyncs (audit log and replay journal) up to the last
    /// `set-sent` entry of the run (its `ledger_syncs`).
    pub ledger_syncs: u64,
    /// Fdatasyncs per answered session: the growth of `ledger_syncs` from the run's
    /// first `set-sent` entry to its last, over the sessions between them.
    pub fdatasyncs_per_session: f64,
    /// `decision-accepted` entries the holder's audit log gained.
    pub audit_accepted: u64,
    /// Whether `irs audit verify` passed afterwards.
    pub audit_intact: bool,
    /// Build profile of the binaries and the load generator.
    pub profile: &'static str,
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Default, Serialize)]
pub struct Percentiles {
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest.
    pub max: f64,
}

impl Percentiles {
    /// Nearest-rank percentiles of `latencies`.
    pub fn of(latencies: &mut [Duration]) -> Percentiles {
        latencies.sort_unstable();
        let ms = |d: &Duration| d.as_secs_f64() * 1e3;
        let at = |q: f64| {
            let rank = ((q * latencies.len() as f64).ceil() as usize).max(1);
            latencies.get(rank - 1).map_or(0.0, ms)
        };
        Percentiles {
            p50: at(0.50),
            p90: at(0.90),
            p99: at(0.99),
            max: latencies.last().map_or(0.0, ms),
        }
    }
}

/// Prints the summary as a two-column table.
pub fn print_table(s: &Summary) {
    let rows = [
        ("requesters (concurrent)", s.requesters.to_string()),
        ("irs serve --max-sessions", s.max_sessions.to_string()),
        (
            "request size",
            format!(
                "{} records, {} elements",
                s.records_per_request, s.elements_per_request
            ),
        ),
        ("holder set", format!("{} fingerprints", s.set_size)),
        ("duration", format!("{:.1} s", s.seconds)),
        ("sessions answered", s.sessions.to_string()),
        ("sessions failed", s.failed.to_string()),
        (
            "  of which set from cache",
            s.sessions_from_cache.to_string(),
        ),
        ("sessions/s", format!("{:.1}", s.sessions_per_second)),
        ("elements/s", format!("{:.0}", s.elements_per_second)),
        (
            "latency p50 / p90 / p99 / max",
            format!(
                "{:.1} / {:.1} / {:.1} / {:.1} ms",
                s.latency_ms.p50, s.latency_ms.p90, s.latency_ms.p99, s.latency_ms.max
            ),
        ),
        (
            "prepare+approve per request",
            format!("{:.1} ms (client side, not in latency)", s.prepare_ms_mean),
        ),
        (
            "irs serve peak RSS",
            format!("{:.1} MiB", s.server_peak_rss_kib as f64 / 1024.0),
        ),
        (
            "irs serve CPU",
            format!(
                "{:.1} s ({:.2} of one core)",
                s.server_cpu_seconds, s.server_cpu_share
            ),
        ),
        ("state directories", s.state.clone()),
        (
            "ledger fdatasyncs",
            format!(
                "{} ({:.2} per session)",
                s.ledger_syncs, s.fdatasyncs_per_session
            ),
        ),
        (
            "holder audit log",
            format!(
                "{} accepted entries, {}",
                s.audit_accepted,
                if s.audit_intact {
                    "intact"
                } else {
                    "NOT INTACT"
                }
            ),
        ),
        ("build profile", s.profile.to_owned()),
    ];
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in rows {
        println!("  {k:<width$}  {v}");
    }
    for failure in &s.failures {
        println!("  failure: {failure}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut l: Vec<Duration> = (1..=100).rev().map(Duration::from_millis).collect();
        let p = Percentiles::of(&mut l);
        assert_eq!((p.p50, p.p90, p.p99, p.max), (50.0, 90.0, 99.0, 100.0));
        assert_eq!(Percentiles::of(&mut []).max, 0.0);
    }
}
