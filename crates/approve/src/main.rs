//! `approve`: the approver's tool. See `approve --help`.

mod cli;
mod commands;

use std::process::ExitCode;

use cli::{Cli, Command};

fn main() -> ExitCode {
    blindlink_cli::program::install_panic_hook("approve");
    let cli: Cli = match blindlink_cli::program::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    blindlink_cli::logging::init(cli.verbose);
    let outcome = match cli.command {
        Command::Keygen(args) => commands::keygen::run(&args),
        Command::Review(args) => commands::review::run(&args),
        Command::Sign(args) => commands::sign::run(&args),
    };
    blindlink_cli::program::finish("approve", false, outcome)
}
