//! `approve`: the approver's tool. See `approve --help`.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    blindlink_cli::logging::init(cli.verbose);
    let outcome = match cli.command {
        Command::Keygen(args) => commands::keygen::run(&args),
        Command::Review(args) => commands::review::run(&args),
        Command::Sign(args) => commands::sign::run(&args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report("approve"),
    }
}
