//! `irs`: the blindlink data holder's command line. See the library docs (`irs` crate) for
//! the state directory layout and `irs --help` for the commands.
//!
//! Errors print as one line `irs: <message>` on stderr; the exit code is 2 for usage and
//! input errors, 1 for anything else.

mod cli;
mod commands;
mod progress;

use std::process::ExitCode;

use blindlink_ingest::{IngestError, InputError};
use clap::Parser;
use irs::error::StateError;

use cli::Cli;
use commands::UsageError;

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
        Err(err) => {
            eprintln!("irs: {}", one_line(&err));
            ExitCode::from(exit_code(&err))
        }
    }
}

/// The error and its causes on one line, skipping a cause whose text is already shown.
fn one_line(err: &anyhow::Error) -> String {
    let mut out = err.to_string();
    for cause in err.chain().skip(1) {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
    }
    out.replace(['\n', '\r'], " ")
}

/// 2 for usage and input errors, 1 otherwise.
fn exit_code(err: &anyhow::Error) -> u8 {
    let usage = err.chain().any(|cause| {
        cause.is::<InputError>()
            || cause.is::<UsageError>()
            || matches!(
                cause.downcast_ref::<IngestError>(),
                Some(IngestError::Input(_) | IngestError::Shard(_) | IngestError::UnknownRules(_))
            )
            || cause
                .downcast_ref::<StateError>()
                .is_some_and(StateError::is_usage)
    });
    if usage { 2 } else { 1 }
}
