//! blindlink-cli: what the command-line tools (`irs`, `ice`, `approve`) share, so each
//! behaves the same way: a failure is one line `<program>: <message>` on stderr with exit
//! code 2 for bad input and 1 otherwise ([`failure`]); logs go to stderr through
//! `tracing` (`-v` info, `-vv` debug, `-vvv` trace, `RUST_LOG` overrides) ([`logging`]);
//! `--json` output and the clock ([`output`]).

pub mod args;
pub mod failure;
pub mod logging;
pub mod output;
pub mod program;
pub mod reference;
pub mod stdout;

pub use failure::{Blame, Failure, Kind};
