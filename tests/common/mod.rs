//! Shared setup of the end-to-end tests: a fresh two-party world in a temporary
//! directory (synthetic population, holder keys and encoded set, a requester, an
//! approver, a policy), run through the real debug binaries on loopback.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use blindlink_core::match_key::{
    KeySide, MatchKey, MatchRule, RuleSet, match_keys, retain_locally_unique,
};
use blindlink_core::normalize::normalize;
use blindlink_core::record::Record;
use blindlink_protocol::bundle::RecordResult;
use blindlink_store::csv::results::results_from_csv;
use blindlink_testkit::{
    Approver, AuditCheck, Binaries, Holder, PolicySpec, Prepare, Prepared, Query, QueryOutcome,
    QueryReport, RequestSpec, Requester, Server, synth_population, synth_request,
};
use tempfile::TempDir;

/// People in every test's population.
pub const POPULATION: usize = 3_000;
/// The requester id of the default requester.
pub const REQUESTER_ID: &str = "ice-ero";

/// The debug binaries, built once per test process.
pub fn bins() -> Binaries {
    Binaries::build(false).unwrap()
}

/// A fresh holder, requester and approver in their own temporary directory.
pub struct World {
    pub tmp: TempDir,
    pub bins: Binaries,
    pub population: PathBuf,
    pub holder: Holder,
    pub ice: Requester,
    pub secretary: Approver,
}

impl World {
    /// Population of [`POPULATION`] people (seed 1), holder keygen and ingest, requester
    /// keygen, a `dhs-secretary` approver.
    pub fn new() -> World {
        let bins = bins();
        let tmp = tempfile::tempdir().unwrap();
        let population = tmp.path().join("population.csv");
        synth_population(&bins, POPULATION, 1, &population).unwrap();
        let holder = Holder::new(&bins, tmp.path().join("irs"));
        holder.keygen().unwrap();
        holder.ingest(&population).unwrap();
        let ice = Requester::new(&bins, tmp.path().join("ice"), REQUESTER_ID);
        ice.keygen().unwrap();
        ice.pin(&holder).unwrap();
        let secretary =
            Approver::keygen(&bins, "dhs-secretary", &tmp.path().join("approvers")).unwrap();
        let world = World {
            tmp,
            bins,
            population,
            holder,
            ice,
            secretary,
        };
        // The default policy is published before anything is prepared (requests are
        // checked against its limits); `serve_to` applies the one it serves.
        let policy = world.path("policy-default.toml");
        world.policy().write(&policy).unwrap();
        world.holder.apply_policy(&policy).unwrap();
        world
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// A request of `count` rows (its CSV and truth), drawn with `seed` and `profile`.
    pub fn request(
        &self,
        name: &str,
        count: usize,
        seed: u64,
        profile: &str,
    ) -> (PathBuf, PathBuf) {
        let out = self.path(&format!("{name}.csv"));
        let truth = self.path(&format!("{name}.truth.csv"));
        synth_request(
            &self.bins,
            &RequestSpec {
                population: &self.population,
                count,
                seed,
                profile,
                present_fraction: 0.6,
                out: &out,
                truth: &truth,
            },
        )
        .unwrap();
        (out, truth)
    }

    /// Another requester with its own state directory and key.
    pub fn requester(&self, id: &str) -> Requester {
        let ice = Requester::new(&self.bins, self.path(id), id);
        ice.keygen().unwrap();
        ice.pin(&self.holder).unwrap();
        ice
    }

    /// Another approver.
    pub fn approver(&self, role: &str, dir: &str) -> Approver {
        Approver::keygen(&self.bins, role, &self.path(dir)).unwrap()
    }

    /// `by` prepares `request` into the bundle `name`.
    pub fn prepare_by(&self, by: &Requester, request: &Path, name: &str) -> Prepared {
        by.prepare(&Prepare {
            request,
            holder_json: &self.holder.holder_json(),
            bundle: &self.path(name),
            legal_basis: "8 U.S.C. 1231 (test)",
            now: None,
            valid_for: None,
        })
        .unwrap()
    }

    /// The default requester prepares `request` into the bundle `name`.
    pub fn prepare(&self, request: &Path, name: &str) -> Prepared {
        self.prepare_by(&self.ice, request, name)
    }

    /// `approver` signs `bundle`; returns the approval file.
    pub fn sign(&self, approver: &Approver, bundle: &Path) -> PathBuf {
        let out = bundle.with_extension(format!("{}.approval.json", approver.role()));
        approver.sign(bundle, &out, None).unwrap();
        out
    }

    /// The default policy: `dhs-secretary` approves.
    pub fn policy(&self) -> PolicySpec {
        PolicySpec::new()
            .approver(&self.secretary)
            .any_of(&["dhs-secretary"])
    }

    /// Writes `policy` and serves it to `requesters` (the default requester if empty).
    pub fn serve_to(
        &self,
        policy: &PolicySpec,
        requesters: &[&Requester],
        extra: &[&str],
    ) -> Server {
        let cmd = self.serve_command(policy, requesters, extra);
        Server::start(cmd, Duration::from_secs(60)).unwrap()
    }

    /// The `irs serve` command of [`World::serve_to`], not started.
    pub fn serve_command(
        &self,
        policy: &PolicySpec,
        requesters: &[&Requester],
        extra: &[&str],
    ) -> std::process::Command {
        let file = self.path(&format!("policy-{}.toml", unique()));
        policy.write(&file).unwrap();
        let requesters = if requesters.is_empty() {
            vec![&self.ice]
        } else {
            requesters.to_vec()
        };
        let mut cmd = self.holder.serve_command(&file, &requesters).unwrap();
        cmd.args(extra);
        cmd
    }

    /// Serves the default policy to the default requester.
    pub fn serve(&self) -> Server {
        self.serve_to(&self.policy(), &[], &[])
    }

    /// `by` queries `bundle` with `approvals` at `server`; results go to `RESULTS`.
    pub fn query_by(
        &self,
        by: &Requester,
        server: &Server,
        bundle: &Path,
        approvals: &[&Path],
    ) -> QueryOutcome {
        by.query(&Query {
            addr: server.addr(),
            holder_json: &self.holder.holder_json(),
            bundle,
            approvals: approvals.to_vec(),
            results: &bundle.with_extension("results.csv"),
            no_cache: false,
        })
        .unwrap()
    }

    /// The default requester queries.
    pub fn query(&self, server: &Server, bundle: &Path, approvals: &[&Path]) -> QueryOutcome {
        self.query_by(&self.ice, server, bundle, approvals)
    }

    /// The holder's audit entries, parsed.
    pub fn holder_audit(&self) -> Vec<serde_json::Value> {
        audit_entries(&self.holder.audit_log())
    }

    /// How many holder audit entries have `kind`.
    pub fn holder_audit_count(&self, kind: &str) -> usize {
        count(&self.holder_audit(), kind)
    }

    /// The holder's audit entries once at least `at_least` have `kind`. The holder
    /// audits the end of a session (`set-sent`, `session-error`) after the requester may
    /// already have finished, so a test waits for those entries instead of racing them;
    /// panics if they do not appear within 20 s.
    pub fn holder_audit_after(&self, kind: &str, at_least: usize) -> Vec<serde_json::Value> {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let entries = self.holder_audit();
            if count(&entries, kind) >= at_least {
                return entries;
            }
            if std::time::Instant::now() > deadline {
                panic!(
                    "{} `{kind}` audit entries, expected {at_least}",
                    count(&entries, kind)
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Both audit logs verify (once every accepted session has audited its end).
    pub fn assert_audits_intact(&self) {
        let accepted = self.holder_audit_count("decision-accepted");
        self.holder_audit_after("set-sent", accepted);
        assert_intact(&self.holder.verify_audit().unwrap(), "irs");
        assert_intact(&self.ice.verify_audit().unwrap(), "ice");
    }
}

pub fn assert_intact(check: &AuditCheck, who: &str) {
    assert!(check.intact, "{who} audit log: {check:?}");
    assert!(check.entries > 0, "{who} audit log is empty");
    assert_eq!(check.problem, None);
}

/// A counter for file names.
pub fn unique() -> usize {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The complete lines of an audit log, parsed (a line being appended is left out).
pub fn audit_entries(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .split_inclusive('\n')
        .filter(|l| l.ends_with('\n'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// How many `entries` have `kind`.
pub fn count(entries: &[serde_json::Value], kind: &str) -> usize {
    entries.iter().filter(|e| e["kind"] == kind).count()
}

/// The report of an answered query, or a panic naming what happened instead.
pub fn answered(outcome: QueryOutcome) -> QueryReport {
    match outcome {
        QueryOutcome::Answered(report) => report,
        other => panic!("expected an answer, got {other:?}"),
    }
}

/// The holder's message for a refusal with `code`, or a panic naming what happened.
pub fn refused(outcome: QueryOutcome, code: &str) -> String {
    match outcome {
        QueryOutcome::Refused { code: got, message } if got == code => message,
        other => panic!("expected a `{code}` refusal, got {other:?}"),
    }
}

/// `ice`'s error line for a failure that is not a refusal.
pub fn failed(outcome: QueryOutcome) -> String {
    match outcome {
        QueryOutcome::Failed(line) => line,
        other => panic!("expected ice to fail, got {other:?}"),
    }
}

/// The results CSV of `report`.
pub fn results(report: &QueryReport) -> Vec<RecordResult> {
    results_from_csv(&std::fs::read(&report.results).unwrap()).unwrap()
}

/// What plaintext matching predicts, record by record: the holder keeps the keys of its
/// file that no two records share, and a request record matches at the strongest rule
/// of its own keys that the holder kept. The encrypted protocol must reproduce this.
pub fn plaintext_matches(population: &Path, request: &Path) -> Vec<Option<MatchRule>> {
    let rules = RuleSet::from_bits(0b11).unwrap();
    let holder_records = blindlink_synth::read_population(File::open(population).unwrap()).unwrap();
    let mut holder_keys: Vec<Vec<MatchKey>> = holder_records
        .iter()
        .map(|r| {
            match_keys(
                &normalize(&Record::from_fields(r.to_fields())),
                rules,
                KeySide::Holder,
            )
        })
        .collect();
    retain_locally_unique(&mut holder_keys);
    let kept: HashSet<Vec<u8>> = holder_keys.into_iter().flatten().map(|k| k.bytes).collect();
    let requested = blindlink_synth::read_request(File::open(request).unwrap()).unwrap();
    requested
        .iter()
        .map(|r| {
            match_keys(
                &normalize(&Record::from_fields(r.record.to_fields())),
                rules,
                KeySide::Requester,
            )
            .into_iter()
            .find(|k| kept.contains(&k.bytes))
            .map(|k| k.rule)
        })
        .collect()
}
