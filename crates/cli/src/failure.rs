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

    /// The same failure, of the same [`Kind`], with `context` in front of its message
    /// (for a caller that knows more about what was being done).
    pub fn context(self, context: impl Display + Send + Sync + 'static) -> Failure {
        Failure {
            kind: self.kind,
            error: self.error.context(context),
        }
    }

    /// Whose fault it is.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The message: the context chain joined by `: `, on one line (line breaks and
    /// carriage returns become spaces), leaving out a cause whose text the message
    /// already shows (errors that print their source).
    pub fn message(&self) -> String {
        let mut message = String::new();
        for cause in self.error.chain() {
            let text = cause.to_string().replace(['\n', '\r'], " ");
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An error that prints its source, as many `thiserror` errors do.
    #[derive(Debug)]
    struct Shows(&'static str, std::io::Error);

    impl std::fmt::Display for Shows {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "cannot read {}: {}", self.0, self.1)
        }
    }

    impl std::error::Error for Shows {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.1)
        }
    }

    #[test]
    fn the_message_is_one_line_without_repeated_causes() {
        let io = std::io::Error::other("no such\r\nfile");
        let failure = Failure::input(Shows("a.csv", io));
        assert_eq!(failure.message(), "cannot read a.csv: no such  file");
        let failure: Result<(), _> = Err(std::io::Error::other("disk full"));
        let failure = failure.other("cannot write set.bin").unwrap_err();
        assert_eq!(failure.message(), "cannot write set.bin: disk full");
    }

    #[test]
    fn context_keeps_the_kind() {
        let failure = Failure::input(anyhow::anyhow!("bad row")).context("rotation failed");
        assert_eq!(failure.kind(), Kind::Input);
        assert_eq!(failure.message(), "rotation failed: bad row");
        let failure = Failure::other(anyhow::anyhow!("disk full")).context("rotation failed");
        assert_eq!(failure.kind(), Kind::Other);
    }
}
