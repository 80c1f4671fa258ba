//! `ice`: the requester's tool. See `ice --help`.

mod cli;
mod commands;

use std::process::ExitCode;

use cli::{AuditCommand, Cli, Command};

fn main() -> ExitCode {
    blindlink_cli::program::install_panic_hook("ice");
    let cli: Cli = match blindlink_cli::program::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    blindlink_cli::logging::init(cli.verbose);
    let outcome = match cli.command {
        Command::Keygen(args) => commands::keygen::run(&args),
        Command::PinHolder(args) => commands::pin::run(&args),
        Command::Prepare(args) => commands::prepare::run(&args),
        Command::Query(args) => commands::query::run(&args),
        Command::Audit(AuditCommand::Verify(args)) => commands::audit::verify(&args),
        Command::Audit(AuditCommand::Repair(args)) => commands::audit::repair(&args),
        Command::Audit(AuditCommand::Reconcile(args)) => commands::audit::reconcile(&args),
        Command::Audit(AuditCommand::Checkpoint(args)) => commands::audit::checkpoint(&args),
    };
    blindlink_cli::program::finish("ice", false, outcome)
}
