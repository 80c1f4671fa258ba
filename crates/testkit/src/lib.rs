//! Running the real binaries on one machine: build them once, run a command and capture
//! its output, start `irs serve` on a loopback port and stop it.
//!
//! On top of that, each party is driven through its binary (a [`Holder`] is an
//! `irs` state directory, a [`Requester`] an `ice` one, an [`Approver`] an `approve` key)
//! and writes holder policies ([`PolicySpec`]); [`rogue`] speaks the protocol directly,
//! as a requester that skips `ice`'s own checks or hangs up mid-request, to show what the
//! holder does then. For the adversarial tests, [`hostile`] puts arbitrary bytes on the
//! wire after a real handshake, [`forge`] builds manifests and approvals by hand, and
//! [`honest`] answers an honest request in-process between hostile ones.
//!
//! Used by the demo and the end-to-end tests; nothing here is part of the protocol.

pub mod forge;
mod holder;
pub mod honest;
pub mod hostile;
mod policy;
mod requester;
pub mod rogue;
pub mod tamper;

pub use holder::{Holder, RequestSpec, synth_population, synth_request};
pub use policy::PolicySpec;
pub use requester::{Approver, Prepare, Prepared, Query, QueryOutcome, QueryReport, Requester};

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde::Deserialize;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use thiserror::Error;

/// The four binaries of the system.
pub const BINARIES: [&str; 4] = ["irs", "ice", "approve", "synth"];

/// A failure to build, find or run a binary.
#[derive(Debug, Error)]
pub enum LocalError {
    /// `cargo build` failed.
    #[error("building the binaries failed: {0}")]
    Build(String),
    /// A command could not be started.
    #[error("cannot run {program}: {source}")]
    Spawn {
        /// The program.
        program: String,
        /// Why.
        source: std::io::Error,
    },
    /// A command exited unsuccessfully.
    #[error("`{command}` failed ({status}): {stderr}")]
    Failed {
        /// The command line.
        command: String,
        /// Its exit status.
        status: String,
        /// Its standard error, trimmed.
        stderr: String,
    },
    /// `irs serve` did not report its address in time.
    #[error("irs serve did not start: {0}")]
    ServeStart(String),
    /// A command succeeded but its output is not what it documents.
    #[error("unexpected output from `{command}`: {message}")]
    Unexpected {
        /// The command line.
        command: String,
        /// What is wrong.
        message: String,
    },
    /// A file the harness reads or writes.
    #[error("{}: {source}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Where the binaries are, built for one profile.
#[derive(Clone, Debug)]
pub struct Binaries {
    dir: PathBuf,
}

static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();

impl Binaries {
    /// Builds `irs`, `ice`, `approve` and `synth` (with the cargo that runs this process,
    /// in the same profile) and returns where they are. Cheap when they are up to date.
    pub fn build(release: bool) -> Result<Binaries, LocalError> {
        let dir = BUILT.get_or_init(|| build_all(release));
        match dir {
            Ok(dir) => Ok(Binaries { dir: dir.clone() }),
            Err(e) => Err(LocalError::Build(e.clone())),
        }
    }

    /// The path of one binary.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A command for one binary.
    pub fn command(&self, name: &str) -> Command {
        Command::new(self.path(name))
    }
}

/// The workspace root: this crate sits at `crates/testkit`.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn build_all(release: bool) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(workspace_root()).args(["build", "--quiet"]);
    for package in ["irs", "ice", "approve", "blindlink-synth"] {
        cmd.args(["-p", package]);
    }
    if release {
        cmd.arg("--release");
    }
    let out = cmd.output().map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    Ok(target.join(if release { "release" } else { "debug" }))
}

/// An example's `main`: runs `body`, prints an error as one line `<name>: error: ...` on
/// stderr (with its causes, for `anyhow` errors) and turns it into a failure exit code.
pub fn example_main<E: std::fmt::Display>(
    name: &str,
    body: impl FnOnce() -> Result<(), E>,
) -> std::process::ExitCode {
    match body() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{name}: error: {}", format!("{e:#}").replace('\n', " "));
            std::process::ExitCode::FAILURE
        }
    }
}

/// Runs `cmd`, returning its output if it succeeded and a one-line error otherwise.
pub fn run(cmd: &mut Command) -> Result<Output, LocalError> {
    let out = output(cmd)?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(LocalError::Failed {
            command: describe(cmd),
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        })
    }
}

/// Runs `cmd` and returns its output whatever the exit status.
pub fn output(cmd: &mut Command) -> Result<Output, LocalError> {
    cmd.stdin(Stdio::null())
        .output()
        .map_err(|source| LocalError::Spawn {
            program: describe(cmd),
            source,
        })
}

/// The command line of `cmd` (program name and arguments), for messages.
pub fn describe(cmd: &Command) -> String {
    let program = Path::new(cmd.get_program())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let args: Vec<String> = cmd
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    format!("{program} {}", args.join(" "))
}

/// What `audit verify` found in a party's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditCheck {
    /// The chain verifies to its end.
    pub intact: bool,
    /// Entries that chain correctly.
    pub entries: u64,
    /// The tool's one-line complaint when the log is not intact.
    pub problem: Option<String>,
}

pub(crate) fn audit_check(cmd: &mut Command) -> Result<AuditCheck, LocalError> {
    #[derive(Deserialize)]
    struct Verify {
        intact: bool,
        entries: u64,
    }
    let out = output(cmd)?;
    let verify: Verify = parse_json(cmd, &out)?;
    let problem = (!out.status.success()).then(|| first_line(&out.stderr));
    Ok(AuditCheck {
        intact: verify.intact && out.status.success(),
        entries: verify.entries,
        problem,
    })
}

pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    cmd: &Command,
    out: &Output,
) -> Result<T, LocalError> {
    serde_json::from_slice(&out.stdout).map_err(|e| LocalError::Unexpected {
        command: describe(cmd),
        message: format!(
            "{e} (stdout {:?}, stderr {:?})",
            String::from_utf8_lossy(&out.stdout).trim(),
            first_line(&out.stderr)
        ),
    })
}

/// The first line of a command's standard error, without the program's `name: ` prefix.
pub(crate) fn first_line(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let line = text.lines().next().unwrap_or("").trim();
    ["ice: ", "irs: ", "approve: "]
        .iter()
        .find_map(|prefix| line.strip_prefix(prefix))
        .unwrap_or(line)
        .to_owned()
}

/// A running `irs serve`, killed when dropped.
#[derive(Debug)]
pub struct Server {
    child: Child,
    addr: String,
}

impl Server {
    /// Starts `cmd` (an `irs serve ... --listen 127.0.0.1:0` command) and waits until it
    /// prints `listening on ADDR` on stdout.
    pub fn start(cmd: Command, timeout: Duration) -> Result<Server, LocalError> {
        Server::start_with_stderr(cmd, timeout, Stdio::inherit())
    }

    /// Like [`Server::start`], with the server's standard error going to `stderr` (for
    /// example a file a test reads afterwards).
    pub fn start_with_stderr(
        mut cmd: Command,
        timeout: Duration,
        stderr: Stdio,
    ) -> Result<Server, LocalError> {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .map_err(|source| LocalError::Spawn {
                program: describe(&cmd),
                source,
            })?;
        let Some(stdout) = child.stdout.take() else {
            return Err(LocalError::ServeStart("no stdout".into()));
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            while let Some(Ok(line)) = lines.next() {
                if let Some(addr) = line.strip_prefix("listening on ") {
                    let _ = tx.send(addr.trim().to_owned());
                    break;
                }
            }
            // Keep draining so the server never blocks on a full pipe.
            for _ in lines {}
        });
        let deadline = Instant::now() + timeout;
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(addr) => Ok(Server { child, addr }),
            Err(_) => {
                let _ = child.kill();
                let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
                Err(LocalError::ServeStart(format!(
                    "no address within {timeout:?} ({status})"
                )))
            }
        }
    }

    /// The address it listens on (`127.0.0.1:PORT`).
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_drops_the_program_prefix() {
        assert_eq!(first_line(b"ice: bad thing\nmore\n"), "bad thing");
        assert_eq!(first_line(b"other\n"), "other");
        assert_eq!(first_line(b""), "");
    }
}
