//! One module per subcommand; each takes the parsed arguments and a [`Context`] and
//! fails with a [`Failure`] blamed where the error happens ([`blame`] for the error
//! types that mix input and other failures).

mod audit;
mod blame;
mod encode;
mod epoch;
mod ingest;
mod keygen;
mod merge;
mod policy;
mod serve;
mod shrink;

use std::time::{SystemTime, UNIX_EPOCH};

use blindlink_cli::Failure;
use blindlink_store::audit::AuditLog;
use irs::audit_events;
use irs::state::StateDir;
use serde::Serialize;

use crate::cli::{AuditCommand, Cli, Command, EpochCommand, PolicyCommand};

/// What every command gets.
#[derive(Debug)]
pub struct Context {
    /// The state directory.
    pub state: StateDir,
    /// `--json`.
    pub json: bool,
}

impl Context {
    /// Opens (and verifies) the audit log of the state directory.
    pub fn open_audit_log(&self) -> Result<AuditLog, Failure> {
        AuditLog::open(self.state.audit_log_path()).map_err(Failure::other)
    }

    /// Prints `value` as pretty JSON on stdout.
    pub fn print_json(&self, value: &impl Serialize) -> Result<(), Failure> {
        blindlink_cli::output::print_json(value)
    }

    /// Rewrites `holder.json` if it disagrees with `current-epoch`; a failure is only
    /// logged (it must not block the command that would fix it).
    ///
    /// A rewrite is audited: it happens when a run was killed after replacing `set.bin` or
    /// `current-epoch` and before its own audit entry, so this entry is the log's only
    /// record of which set is now served.
    pub fn reconcile(&self, log: &AuditLog) -> Result<(), Failure> {
        match self.state.reconcile_holder_info(now()) {
            Ok(Some((path, statement))) => {
                tracing::info!(
                    "{} did not describe the current epoch and policy, or was near expiry; re-signed",
                    path.display()
                );
                log.append(&audit_events::holder_info_reconciled(now(), &statement))
                    .map_err(Failure::other)?;
            }
            Ok(None) => {}
            Err(e) => tracing::warn!("cannot check holder.json against current-epoch: {e}"),
        }
        Ok(())
    }
}

/// Runs the parsed command line.
pub fn run(cli: &Cli) -> Result<(), Failure> {
    let ctx = Context {
        state: StateDir::new(&cli.dir),
        json: cli.json,
    };
    match &cli.command {
        Command::Keygen(args) => keygen::run(&ctx, args),
        Command::Ingest(args) => ingest::run(&ctx, args),
        Command::Merge(args) => merge::run(&ctx, args),
        Command::Epoch(EpochCommand::Rotate(args)) => epoch::rotate(&ctx, args),
        Command::Policy(PolicyCommand::Apply(args)) => policy::apply(&ctx, args),
        Command::Serve(args) => serve::run(&ctx, args),
        Command::Audit(AuditCommand::Verify(args)) => audit::verify(&ctx, args),
        Command::Audit(AuditCommand::Repair(args)) => audit::repair(&ctx, args),
        Command::Audit(AuditCommand::Reconcile(args)) => audit::reconcile(&ctx, args),
        Command::Audit(AuditCommand::Checkpoint(args)) => audit::checkpoint(&ctx, args),
    }
}

/// Now, in unix seconds.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
