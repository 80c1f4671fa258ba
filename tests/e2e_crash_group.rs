//! Crash consistency under group commit, real binaries: `irs serve` is killed with
//! SIGKILL while many requesters run sessions at once (so their ledger writes share
//! fdatasyncs), and after every kill every request a requester saw answered has its
//! `decision-accepted` entry in the holder's log, every accepted id is in the replay
//! journal, and the log verifies (or only its torn last line is repaired).
//!
//! `BLINDLINK_CRASH_ITERATIONS` (default 10) sets the number of kills and
//! `BLINDLINK_CRASH_SEED` the RNG seed (default: from the clock).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "crash/serving.rs"]
mod serving;
#[path = "crash/state.rs"]
#[allow(dead_code)]
mod state;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use blindlink_testkit::{QueryOutcome, Requester};
use common::World;
use rand::RngExt;
use serving::{Approved, accepted_ids, approve, journal_ids, query};
use state::{LogAfterKill, Observed, check_log_after_kill, iterations, seeded_rng};

/// Concurrent requesters (each its own identity and thread).
const REQUESTERS: usize = 12;
/// Sessions each requester runs one after the other per iteration.
const ROUNDS: usize = 2;

#[test]
fn serve_killed_during_many_concurrent_sessions_loses_no_accepted_request() {
    let (mut rng, seed) = seeded_rng("group commit crash");
    let w = World::new();
    let requesters: Vec<Requester> = (0..REQUESTERS)
        .map(|i| w.requester(&format!("ice-group-{i}")))
        .collect();
    let refs: Vec<&Requester> = requesters.iter().collect();
    let policy = w.policy();
    let (request, _) = w.request("group", 40, 12, "realistic");

    // Every requester runs its rounds in order; all requesters at once.
    let (world, people) = (&w, &requesters);
    let run = |rounds: &[Vec<Approved>], addr: &str| -> Vec<(String, QueryOutcome)> {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..REQUESTERS)
                .map(|r| {
                    s.spawn(move || {
                        rounds
                            .iter()
                            .map(|round| {
                                let a = &round[r];
                                let outcome = query(world, &people[a.requester], addr, a);
                                (a.request_id.clone(), outcome)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        })
    };
    let prepare = |name: &str| -> Vec<Vec<Approved>> {
        (0..ROUNDS)
            .map(|round| approve(&w, &requesters, &request, &format!("{name}-{round}")))
            .collect()
    };

    // One undisturbed run: times it and fills the requesters' set caches.
    let warm = prepare("warm");
    let server = w.serve_to(&policy, &refs, &[]);
    let start = Instant::now();
    for (_, outcome) in run(&warm, server.addr()) {
        common::answered(outcome);
    }
    let longest = start.elapsed();
    drop(server);
    let mut answered: HashSet<String> = warm
        .iter()
        .flatten()
        .map(|a| a.request_id.clone())
        .collect();

    let mut seen = Observed::default();
    for i in 0..iterations() {
        let context = format!("seed {seed}, run {i}");
        let rounds = prepare(&format!("run{i}"));
        let mut server = w.serve_to(&policy, &refs, &[]);
        let addr = server.addr().to_owned();
        let delay = rng.random_range(0..=longest.as_micros() as u64 * 6 / 5);
        let outcomes = std::thread::scope(|s| {
            let running = s.spawn(|| run(&rounds, &addr));
            std::thread::sleep(Duration::from_micros(delay));
            assert!(server.is_running(), "{context}: the server died on its own");
            drop(server);
            running.join().unwrap()
        });
        for (id, outcome) in outcomes {
            match outcome {
                QueryOutcome::Answered(report) => {
                    assert_eq!(report.request_id, id, "{context}");
                    answered.insert(id);
                    seen.add("session answered");
                }
                QueryOutcome::Failed(_) => seen.add("session cut off by the kill"),
                QueryOutcome::Refused { code, message } => {
                    panic!("{context}: refused {code}: {message}")
                }
            }
        }

        match check_log_after_kill(&w.holder, &context) {
            LogAfterKill::Intact => seen.add("audit log intact"),
            LogAfterKill::TornLineRepaired => seen.add("audit torn line repaired"),
        }
        let accepted = accepted_ids(&w);
        let journal = journal_ids(&w);
        let missing: Vec<_> = answered.difference(&accepted).collect();
        assert!(
            missing.is_empty(),
            "{context}: answered, not in the log: {missing:?}"
        );
        let unjournaled: Vec<_> = accepted.difference(&journal).collect();
        assert!(
            unjournaled.is_empty(),
            "{context}: accepted, not journaled: {unjournaled:?}"
        );
    }
    assert_eq!(
        check_log_after_kill(&w.holder, "final"),
        LogAfterKill::Intact
    );
    eprintln!(
        "group commit crash: seed {seed}: {} answered, {} accepted, {} journaled; {:?}",
        answered.len(),
        accepted_ids(&w).len(),
        journal_ids(&w).len(),
        seen.0
    );
}
