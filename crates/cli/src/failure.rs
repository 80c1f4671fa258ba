//! How a command fails: a one-line message and an exit code, the same in every binary
//! (the README's "Exit codes" table is this one):
//!
//! | exit | [`Kind`] | `code` in JSON | when |
//! |---|---|---|---|
//! | 0 | | | success (also when stdout's reader left early, as in `… \| head`) |
//! | 1 | [`Kind::Other`] | `failed` | the work could not be done: I/O, network, a peer's answer rejected, a broken audit chain |
//! | 2 | [`Kind::Input`] | `bad-input` | usage and flag values, input files, missing or unreadable state (an absent audit log), keys with a wider mode than 0600, the policy |
//! | 3 | [`Kind::Refused`] | `refused` | the holder's policy refused the request (the refusal's own code is in `refusal`) |
//! | 101 | | | internal error (a bug): a panic, reported on one line |
//!
//! With `--json` a failure is one JSON object on stdout: `{"format": "blindlink.error/1",
//! "program", "code", "refusal" (only for code `refused`), "exit_code", "message"}`.

use std::fmt::Display;
use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

/// The `format` of a failure printed as JSON.
pub const ERROR_FORMAT: &str = "blindlink.error/1";

/// Whose fault a failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Bad arguments or input files (exit code 2).
    Input,
    /// Anything else: I/O while writing, internal errors (exit code 1).
    Other,
    /// The other party's policy refused (exit code 3).
    Refused,
}

impl Kind {
    /// The exit code (see the module doc).
    pub fn exit_code(self) -> u8 {
        match self {
            Kind::Other => 1,
            Kind::Input => 2,
            Kind::Refused => 3,
        }
    }

    /// The stable code in JSON errors.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Other => "failed",
            Kind::Input => "bad-input",
            Kind::Refused => "refused",
        }
    }
}

/// A failed command.
#[derive(Debug)]
pub struct Failure {
    kind: Kind,
    refusal: Option<String>,
    error: anyhow::Error,
}

impl Failure {
    /// A failure caused by the input.
    pub fn input(error: impl Into<anyhow::Error>) -> Failure {
        Failure {
            kind: Kind::Input,
            refusal: None,
            error: error.into(),
        }
    }

    /// Any other failure.
    pub fn other(error: impl Into<anyhow::Error>) -> Failure {
        Failure {
            kind: Kind::Other,
            refusal: None,
            error: error.into(),
        }
    }

    /// Bad input when `is_input`, else any other failure: for error types that know which
    /// of their variants are the caller's fault (`RepairError::is_input`, ...).
    pub fn blamed(is_input: bool, error: impl Into<anyhow::Error>) -> Failure {
        if is_input {
            Failure::input(error)
        } else {
            Failure::other(error)
        }
    }

    /// The other party refused, with its stable refusal code (e.g. `too-many-records`).
    pub fn refused(code: impl Into<String>, error: impl Into<anyhow::Error>) -> Failure {
        Failure {
            kind: Kind::Refused,
            refusal: Some(code.into()),
            error: error.into(),
        }
    }

    /// The same failure, of the same [`Kind`], with `context` in front of its message
    /// (for a caller that knows more about what was being done).
    pub fn context(self, context: impl Display + Send + Sync + 'static) -> Failure {
        Failure {
            kind: self.kind,
            refusal: self.refusal,
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

    /// The refusal code, for a [`Kind::Refused`] failure.
    pub fn refusal(&self) -> Option<&str> {
        self.refusal.as_deref()
    }

    /// Prints `<program>: <message>` on one line on stderr and returns the exit code.
    pub fn report(&self, program: &str) -> ExitCode {
        write_stderr(&format!("{program}: {}", self.message()));
        ExitCode::from(self.kind.exit_code())
    }

    /// The failure as the JSON object `--json` prints (see the module doc).
    pub fn to_json(&self, program: &str) -> serde_json::Value {
        #[derive(Serialize)]
        struct Shown<'a> {
            format: &'static str,
            program: &'a str,
            code: &'static str,
            #[serde(skip_serializing_if = "Option::is_none")]
            refusal: Option<&'a str>,
            exit_code: u8,
            message: String,
        }
        serde_json::json!(Shown {
            format: ERROR_FORMAT,
            program,
            code: self.kind.code(),
            refusal: self.refusal(),
            exit_code: self.kind.exit_code(),
            message: self.message(),
        })
    }

    /// Prints the failure as one JSON object on stdout and returns the exit code.
    pub fn print_json(&self, program: &str) -> ExitCode {
        crate::outln!("{}", self.to_json(program));
        ExitCode::from(self.kind.exit_code())
    }
}

/// Writes one line on stderr; a closed stderr is ignored (never a panic).
pub(crate) fn write_stderr(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
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
        let failure = Failure::refused("too-many-records", anyhow::anyhow!("no")).context("x");
        assert_eq!(failure.refusal(), Some("too-many-records"));
    }

    #[test]
    fn json_carries_the_format_and_the_stable_codes() {
        let failure = Failure::input(anyhow::anyhow!("bad\nflag"));
        let shown = failure.to_json("ice");
        assert_eq!(shown["format"], ERROR_FORMAT);
        assert_eq!(shown["program"], "ice");
        assert_eq!(shown["code"], "bad-input");
        assert_eq!(shown["exit_code"], 2);
        assert_eq!(shown["message"], "bad flag");
        assert!(shown.get("refusal").is_none());
        let shown = Failure::refused("expired", anyhow::anyhow!("too late")).to_json("ice");
        assert_eq!(shown["code"], "refused");
        assert_eq!(shown["refusal"], "expired");
        assert_eq!(shown["exit_code"], 3);
    }
}
