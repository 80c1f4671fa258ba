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

use clap::Parser;

use cli::Cli;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("irs: internal error (a bug): {info}");
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    blindlink_cli::logging::init(cli.verbose);
    match commands::run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report("irs"),
    }
}
