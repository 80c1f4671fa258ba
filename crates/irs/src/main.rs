//! `irs`: the blindlink data holder's command line. See the library docs (`irs` crate) for
//! the state directory layout and `irs --help` for the commands.
//!
//! Errors print as one line `irs: <message>` on stderr through
//! [`blindlink_cli::Failure`], like `ice` and `approve`; the exit code is 2 for usage and
//! input errors, 1 for anything else (each command blames its errors where they happen).

mod cli;
mod commands;
mod progress;

use std::process::ExitCode;

use cli::Cli;

fn main() -> ExitCode {
    blindlink_cli::program::install_panic_hook("irs");
    let cli: Cli = match blindlink_cli::program::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    blindlink_cli::logging::init(cli.verbose);
    blindlink_cli::program::finish("irs", cli.json, commands::run(&cli))
}
