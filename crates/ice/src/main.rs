//! `ice`: the requester's tool. See `ice --help`.

mod cli;
mod commands;
mod failure;
mod holder_info;
mod noise_key;
mod request_csv;

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use cli::{AuditCommand, Cli, Command};

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    // Initialized once, here; a failure would only mean logs are not shown.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
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
