//! The load test's world, set up through the real binaries: a synthetic population
//! encoded by `irs`, one approver, N requester identities (`ice keygen`), a request list,
//! a policy that allows the load, and `irs serve` as a child process whose memory is
//! read from `/proc`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use blindlink_testkit::{
    Approver, Binaries, Holder, PolicySpec, RequestSpec, Requester, synth_population, synth_request,
};
use tempfile::TempDir;

/// The approver role of the load's policy.
pub const ROLE: &str = "dhs-secretary";

/// Everything on disk.
#[derive(Debug)]
pub struct World {
    /// Working directory, removed when the world is dropped.
    _tmp: TempDir,
    /// The holder's state directory.
    pub holder: Holder,
    /// One `ice` state directory per requester identity.
    pub requesters: Vec<Requester>,
    /// The approver's secret key file.
    pub approver_key: PathBuf,
    /// The request CSV every request is prepared from.
    pub request: PathBuf,
    /// The holder's policy.
    pub policy: PathBuf,
}

impl World {
    /// Population of `population` people, `requesters` identities, a request of
    /// `records` rows, a policy whose daily limit does not bind; all under a fresh
    /// directory in `base` (the system's temporary directory if `None`).
    pub fn new(
        bins: &Binaries,
        base: Option<&Path>,
        population: usize,
        requesters: usize,
        records: usize,
    ) -> Result<World> {
        let mut builder = tempfile::Builder::new();
        builder.prefix("blindlink-load-");
        let tmp = match base {
            Some(base) => builder.tempdir_in(base)?,
            None => builder.tempdir()?,
        };
        let path = |name: &str| tmp.path().join(name);
        let people = path("population.csv");
        synth_population(bins, population, 1, &people)?;
        let holder = Holder::new(bins, path("irs"));
        holder.keygen()?;
        holder.ingest(&people)?;
        let approver = Approver::keygen(bins, ROLE, &path("approvers"))?;
        let requesters = (0..requesters)
            .map(|i| {
                let r = Requester::new(
                    bins,
                    path(&format!("ice-{i:02}")),
                    &format!("ice-office-{i:02}"),
                );
                r.keygen().map(|()| r)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let request = path("request.csv");
        synth_request(
            bins,
            &RequestSpec {
                population: &people,
                count: records,
                seed: 2,
                profile: "realistic",
                present_fraction: 0.5,
                out: &request,
                truth: &path("truth.csv"),
            },
        )?;
        let policy = path("policy.toml");
        PolicySpec::new()
            .approver(&approver)
            .any_of(&[ROLE])
            .limit("max_records_per_day", 1_000_000_000_000)
            .limit("max_elements_per_day", 1_000_000_000_000)
            .write(&policy)?;
        Ok(World {
            approver_key: path("approvers").join(format!("{ROLE}.key")),
            _tmp: tmp,
            holder,
            requesters,
            request,
            policy,
        })
    }
}

/// `irs serve` as a child process.
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    /// The address it listens on.
    pub addr: String,
}

impl ServerProcess {
    /// Starts `irs serve` for every requester with `--max-sessions max_sessions`.
    pub fn start(world: &World, max_sessions: usize) -> Result<ServerProcess> {
        let refs: Vec<&Requester> = world.requesters.iter().collect();
        let mut cmd = world.holder.serve_command(&world.policy, &refs)?;
        cmd.args(["--max-sessions", &max_sessions.to_string()]);
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting irs serve")?;
        let stdout = child.stdout.take().ok_or_else(|| anyhow!("no stdout"))?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            while let Some(Ok(line)) = lines.next() {
                if let Some(addr) = line.strip_prefix("listening on ") {
                    let _ = tx.send(addr.trim().to_owned());
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(addr) => Ok(ServerProcess { child, addr }),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                bail!("irs serve did not print its address")
            }
        }
    }

    /// The server's peak resident set size in KiB (`VmHWM` of `/proc/<pid>/status`).
    pub fn peak_rss_kib(&self) -> Result<u64> {
        let path = format!("/proc/{}/status", self.child.id());
        let status = std::fs::read_to_string(&path).with_context(|| path.clone())?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .ok_or_else(|| anyhow!("no VmHWM in {path}"))
    }

    /// CPU time the server has used so far (user + system, from `/proc/<pid>/stat`).
    pub fn cpu_time(&self) -> Result<Duration> {
        let path = format!("/proc/{}/stat", self.child.id());
        let stat = std::fs::read_to_string(&path).with_context(|| path.clone())?;
        // Fields after the command name (which is in parentheses): state is field 3,
        // utime and stime are fields 14 and 15.
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks = |i: usize| -> Result<u64> {
            fields
                .get(i)
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| anyhow!("no field {} in {path}", i + 3))
        };
        let total = ticks(11)? + ticks(12)?;
        Ok(Duration::from_secs_f64(total as f64 / clock_ticks() as f64))
    }

    /// Whether it is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Clock ticks per second (`getconf CLK_TCK`, 100 if that fails).
fn clock_ticks() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .filter(|&t| t > 0)
        .unwrap_or(100)
}
