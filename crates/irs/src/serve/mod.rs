//! `irs serve`: the holder's server. A thin TCP shell around the holder driver of
//! `blindlink-protocol` ([`blindlink_protocol::driver::HolderService`]), which runs the
//! session, writes the ledger and keeps the daily usage counters:
//!
//! - [`state`]: what every session shares: the driver's service over this directory's
//!   ledger (`blindlink_store::FileLedger`: audit log and replay journal), the Noise key
//!   and the allowed requesters.
//! - [`connection`]: one TCP connection: timeouts, handshake, the driver, the
//!   `session-error` entry.
//! - [`listener`]: the accept loop with a bound on concurrent sessions.
//! - [`deadline`]: the whole-session deadline (per-read timeouts alone do not bound a
//!   client that trickles bytes).
//!
//! Ordering guarantees: every decision (accepted or refused) is appended to the audit log
//! and fsynced before the refusal is sent or anything is evaluated; an accepted request
//! id is inserted into the durable replay store before evaluation; a connection that
//! fails mid-session leaves nothing behind but its audit entries, and is closed only
//! after its `session-error` entry (with a reason code) is fsynced.

pub mod connection;
pub mod deadline;
pub mod listener;
pub mod state;

pub use listener::serve;
pub use state::{ServeConfig, ServeError, ServedState};
