//! `ice`: the requester's tool. See `ice --help`.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

use cli::{AuditCommand, Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    blindlink_cli::logging::init(cli.verbose);
    let outcome = match cli.command {
        Command::Keygen(args) => commands::keygen::run(&args),
        Command::Prepare(args) => commands::prepare::run(&args),
        Command::Query(args) => commands::query::run(&args),
        Command::Audit(AuditCommand::Verify(args)) => commands::audit::verify(&args),
        Command::Audit(AuditCommand::Repair(args)) => commands::audit::repair(&args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report("ice"),
    }
}
