//! How a command fails: a one-line message and an exit code (2 for bad input, 1 for
//! everything else).

use std::fmt::Display;
use std::process::ExitCode;

/// Whose fault a failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Bad arguments or input files (exit code 2).
    Input,
    /// Anything else: I/O while writing, internal errors (exit code 1).
    Other,
}

/// A failed command.
#[derive(Debug)]
pub struct Failure {
    kind: Kind,
    error: anyhow::Error,
}

impl Failure {
    /// A failure caused by the input.
    pub fn input(error: impl Into<anyhow::Error>) -> Failure {
        Failure {
            kind: Kind::Input,
            error: error.into(),
        }
    }

    /// Any other failure.
    pub fn other(error: impl Into<anyhow::Error>) -> Failure {
        Failure {
            kind: Kind::Other,
            error: error.into(),
        }
    }

    /// The message: the context chain joined by `: `, on one line, leaving out a cause
    /// whose text the message already shows (errors that print their source).
    pub fn message(&self) -> String {
        let mut message = String::new();
        for cause in self.error.chain() {
            let text = cause.to_string().replace('\n', " ");
            if message.contains(&text) {
                continue;
            }
            if !message.is_empty() {
                message.push_str(": ");
            }
            message.push_str(&text);
        }
        message
    }

    /// Prints `<program>: <message>` on one line and returns the exit code.
    pub fn report(&self, program: &str) -> ExitCode {
        eprintln!("{program}: {}", self.message());
        match self.kind {
            Kind::Input => ExitCode::from(2),
            Kind::Other => ExitCode::from(1),
        }
    }
}

/// Attaches context and a [`Kind`] to errors.
pub trait Blame<T> {
    /// The error is the input's fault.
    fn input(self, context: impl Display + Send + Sync + 'static) -> Result<T, Failure>;
    /// The error is not the input's fault.
    fn other(self, context: impl Display + Send + Sync + 'static) -> Result<T, Failure>;
}

impl<T, E: Into<anyhow::Error>> Blame<T> for Result<T, E> {
    fn input(self, context: impl Display + Send + Sync + 'static) -> Result<T, Failure> {
        self.map_err(|e| Failure::input(e.into().context(context)))
    }

    fn other(self, context: impl Display + Send + Sync + 'static) -> Result<T, Failure> {
        self.map_err(|e| Failure::other(e.into().context(context)))
    }
}
