//! The synthetic data ([`synth_population`], [`synth_request`]) and the data holder
//! ([`Holder`], an `irs` state directory), each driven through its binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::requester::Requester;
use super::{AuditCheck, Binaries, LocalError, Server, audit_check, parse_json, run};

/// Writes a synthetic population of `count` taxpayers to `out` (`synth population`).
pub fn synth_population(
    bins: &Binaries,
    count: usize,
    seed: u64,
    out: &Path,
) -> Result<(), LocalError> {
    let mut cmd = bins.command("synth");
    cmd.arg("population")
        .args(["--count", &count.to_string(), "--seed", &seed.to_string()])
        .arg("--out")
        .arg(out);
    run(&mut cmd).map(drop)
}

/// A request list to draw from a population (`synth request`).
#[derive(Clone, Debug)]
pub struct RequestSpec<'a> {
    /// The population CSV.
    pub population: &'a Path,
    /// Rows to draw.
    pub count: usize,
    /// Seed.
    pub seed: u64,
    /// `clean`, `realistic` or `hard`.
    pub profile: &'a str,
    /// Share of rows that are people on file.
    pub present_fraction: f64,
    /// Where the request CSV goes.
    pub out: &'a Path,
    /// Where the ground truth goes.
    pub truth: &'a Path,
}

/// Writes a request CSV and its ground truth.
pub fn synth_request(bins: &Binaries, spec: &RequestSpec<'_>) -> Result<(), LocalError> {
    let mut cmd = bins.command("synth");
    cmd.arg("request")
        .arg("--population")
        .arg(spec.population)
        .args(["--count", &spec.count.to_string()])
        .args(["--seed", &spec.seed.to_string()])
        .args(["--profile", spec.profile])
        .args(["--present-fraction", &spec.present_fraction.to_string()])
        .arg("--out")
        .arg(spec.out)
        .arg("--truth")
        .arg(spec.truth);
    run(&mut cmd).map(drop)
}

/// The data holder: one `irs` state directory.
#[derive(Clone, Debug)]
pub struct Holder {
    bins: Binaries,
    dir: PathBuf,
}

impl Holder {
    /// The holder whose state lives in `dir` (created by [`Holder::keygen`]).
    pub fn new(bins: &Binaries, dir: impl Into<PathBuf>) -> Holder {
        Holder {
            bins: bins.clone(),
            dir: dir.into(),
        }
    }

    /// The state directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `holder.json`, what the holder publishes to requesters.
    pub fn holder_json(&self) -> PathBuf {
        self.dir.join("holder.json")
    }

    /// The audit log file.
    pub fn audit_log(&self) -> PathBuf {
        self.dir.join("audit.log")
    }

    fn irs(&self) -> Command {
        let mut cmd = self.bins.command("irs");
        cmd.arg("--dir").arg(&self.dir);
        cmd
    }

    /// `identity.pub`, the identity key requesters pin.
    pub fn identity_public_key_file(&self) -> PathBuf {
        self.dir.join("identity.pub")
    }

    /// `irs policy apply POLICY`.
    pub fn apply_policy(&self, policy: &Path) -> Result<(), LocalError> {
        run(self.irs().args(["policy", "apply"]).arg(policy)).map(drop)
    }

    /// `irs keygen`: the Noise key and a first OPRF key.
    pub fn keygen(&self) -> Result<(), LocalError> {
        run(self.irs().arg("keygen")).map(drop)
    }

    /// `irs ingest`: encodes `population` under the new epoch; returns the JSON summary.
    pub fn ingest(&self, population: &Path) -> Result<serde_json::Value, LocalError> {
        let mut cmd = self.irs();
        cmd.args(["--json", "ingest", "--input"]).arg(population);
        let out = run(&mut cmd)?;
        parse_json(&cmd, &out)
    }

    /// `irs epoch rotate`: a new OPRF key and epoch, encoded from `population`.
    pub fn rotate_epoch(&self, population: &Path) -> Result<(), LocalError> {
        let mut cmd = self.irs();
        cmd.args(["epoch", "rotate", "--input"]).arg(population);
        run(&mut cmd).map(drop)
    }

    /// Applies `policy` (`irs policy apply`), then gives the `irs serve` command on a free
    /// loopback port, allowing each requester (its id and `ice` state directory) to
    /// connect; add options before starting it.
    pub fn serve_command(
        &self,
        policy: &Path,
        requesters: &[&Requester],
    ) -> Result<Command, LocalError> {
        self.apply_policy(policy)?;
        let mut cmd = self.irs();
        cmd.arg("serve");
        for requester in requesters {
            let mut allow = std::ffi::OsString::from(format!("{}=", requester.id()));
            allow.push(requester.noise_public_key_file());
            cmd.arg("--allow-requester").arg(allow);
        }
        cmd.args(["--listen", "127.0.0.1:0"]);
        Ok(cmd)
    }

    /// Starts `irs serve` (see [`Holder::serve_command`]) and waits for its address.
    pub fn serve(&self, policy: &Path, requesters: &[&Requester]) -> Result<Server, LocalError> {
        Server::start(
            self.serve_command(policy, requesters)?,
            Duration::from_secs(60),
        )
    }

    /// `irs audit verify`.
    pub fn verify_audit(&self) -> Result<AuditCheck, LocalError> {
        audit_check(self.irs().args(["--json", "audit", "verify"]))
    }
}
