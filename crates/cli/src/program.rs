//! What every binary's `main` does around its command, so that all of them start and end
//! alike: a panic is reported as a bug on one line (exit 101), clap's usage errors exit 2,
//! the command's output is flushed through [`crate::stdout`], and a failure is printed as
//! one line (or, with `--json`, one JSON object on stdout) with the exit code of the
//! table in [`crate::failure`].

use std::process::ExitCode;

use clap::Parser;

use crate::failure::Failure;

/// Reports a panic as `<program>: internal error (a bug): …` on one line. The process
/// then exits with code 101, as Rust does for a panic.
pub fn install_panic_hook(program: &'static str) {
    std::panic::set_hook(Box::new(move |info| {
        let text = info.to_string().replace(['\n', '\r'], " ");
        crate::failure::write_stderr(&format!("{program}: internal error (a bug): {text}"));
    }));
}

/// Parses the command line; `--help` and `--version` print and exit 0, a usage error
/// prints clap's message and exits 2. Neither panics on a closed stdout or stderr.
pub fn parse<C: Parser>() -> Result<C, ExitCode> {
    C::try_parse().map_err(|e| {
        let _ = e.print();
        ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
    })
}

/// Ends the program: flushes stdout (a write error other than a reader that left makes a
/// succeeded command fail), then reports `outcome`'s failure, as JSON on stdout when
/// `json` is set and the command printed nothing yet (stdout is one JSON document), else
/// as one line on stderr.
pub fn finish(program: &str, json: bool, outcome: Result<(), Failure>) -> ExitCode {
    let outcome = outcome.and(crate::stdout::finish());
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) if json && !crate::stdout::anything_written() => {
            let code = failure.print_json(program);
            // What could not be written here is lost either way; the exit code says it.
            let _ = crate::stdout::finish();
            code
        }
        Err(failure) => failure.report(program),
    }
}
