//! The one writer for a command's standard output. `println!` panics when stdout is
//! closed (`irs audit verify | head`); every command prints through [`outln!`] /
//! [`out!`] instead, which never panic.
//!
//! A reader that left early (`EPIPE`, [`std::io::ErrorKind::BrokenPipe`]) is what
//! `rg … | head` treats as normal: the rest of the output is dropped quietly and the
//! command finishes its work (a set being written is still written, an audit entry still
//! appended), then exits as it would have. Any other write error (a full disk behind a
//! redirect) is kept, the output stops, and [`finish`] turns it into a failure when the
//! command is done, so it is never lost and never a panic.
//!
//! [`outln!`]: crate::outln
//! [`out!`]: crate::out

use std::fmt::Arguments;
use std::io::{ErrorKind, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::failure::{Blame, Failure};

/// What happened to stdout so far.
#[derive(Debug)]
enum State {
    Open,
    /// The reader left: the rest is dropped, and that is fine.
    Closed,
    /// Another write error: the rest is dropped and the command fails at the end.
    Failed(std::io::Error),
}

static STATE: Mutex<State> = Mutex::new(State::Open);

/// Whether anything was written to stdout (or tried to be) since the program started.
static WRITTEN: AtomicBool = AtomicBool::new(false);

/// Writes formatted text to stdout (what [`outln!`](crate::outln) and
/// [`out!`](crate::out) expand to).
pub fn write_fmt(args: Arguments<'_>) {
    WRITTEN.store(true, Ordering::Relaxed);
    let mut state = STATE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !matches!(*state, State::Open) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        *state = classify(e);
    }
}

fn classify(e: std::io::Error) -> State {
    if e.kind() == ErrorKind::BrokenPipe {
        State::Closed
    } else {
        State::Failed(e)
    }
}

/// Whether the command printed anything on stdout. With `--json`, a command that printed
/// its own report before failing (`audit verify` of a broken log) has said what it had
/// to say: stdout stays one JSON document, and the failure goes to stderr only.
pub fn anything_written() -> bool {
    WRITTEN.load(Ordering::Relaxed)
}

/// Whether the reader of stdout has left (output since then was dropped).
pub fn reader_left() -> bool {
    matches!(
        *STATE
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()),
        State::Closed
    )
}

/// Flushes stdout and returns the write error kept, if any (a reader that left is not
/// one). Called once by every binary after its command has run.
pub fn finish() -> Result<(), Failure> {
    let mut state = STATE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if matches!(*state, State::Open)
        && let Err(e) = std::io::stdout().lock().flush()
    {
        *state = classify(e);
    }
    match std::mem::replace(&mut *state, State::Closed) {
        State::Failed(e) => Err(e).other("cannot write to stdout"),
        open_or_closed => {
            *state = open_or_closed;
            Ok(())
        }
    }
}

/// Like `println!`, but a closed stdout never panics (see the [module](crate::stdout)).
#[macro_export]
macro_rules! outln {
    () => {
        $crate::stdout::write_fmt(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::stdout::write_fmt(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Like `print!`, but a closed stdout never panics (see the [module](crate::stdout)).
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::stdout::write_fmt(format_args!($($arg)*))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_that_left_is_not_a_failure_but_a_full_disk_is() {
        assert!(matches!(
            classify(std::io::Error::from(ErrorKind::BrokenPipe)),
            State::Closed
        ));
        assert!(matches!(
            classify(std::io::Error::from(ErrorKind::StorageFull)),
            State::Failed(_)
        ));
    }
}
