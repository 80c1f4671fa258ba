//! Blocking session drivers: the one loop per party that every caller runs.
//!
//! The state machines in [`crate::session`] say what each message means; a driver moves
//! them over a [`Channel`](crate::wire::Channel) on any `Read + Write` stream (TCP in the
//! binaries, a Unix socket or a pipe in tests), writes the holder's ledger in the right
//! order, and reports its progress to an [`Observer`]. `irs serve`, `ice query`, the test
//! kit, the load test and the scale harness all use these two drivers, so what is
//! measured and tested is what ships.
//!
//! - [`holder`]: [`HolderService::serve`], one requester session; the ledger
//!   ([`Ledger`]: audit log + replay journal) gets each decision before it is acted on,
//!   and evaluation needs the [`Durable`] receipt of the accepted decision.
//! - [`requester`]: [`run`], one request to an answer or a refusal.
//! - [`usage`]: the budgets' counters (rolling 24 hours per requester, elements per
//!   epoch), seeded from the ledger.
//! - [`failure`]: stable reason codes of failed holder sessions.
//! - [`observe`]: the points a session passes, for measurements.

mod error;
mod failure;
pub mod holder;
mod ledger;
mod observe;
pub mod requester;
mod usage;

pub use error::{HolderError, RequesterError};
pub use failure::failure_code;
pub use holder::{HolderService, Served, ServedEpoch};
pub use ledger::{
    Commit, Durable, HolderEvent, Ledger, RequestSummary, ServedRecords, SignedScope,
    commit_acceptance,
};
pub use observe::{LedgerOp, Observer, Point, Traffic, Unobserved};
pub use requester::{Answer, RequesterJob, RequesterOutcome, SetCheck, run};
pub use usage::{DailyUsage, UsageGuard, Used, WINDOW_SECS};
