//! `irs serve`: the holder's server. A thin I/O shell around the sans-IO holder session
//! of `blindlink-protocol`:
//!
//! - [`state`]: what every session shares: the current epoch's key and encoded set, the
//!   policy, the Noise key and the allowed requesters, the audit log, the replay store and
//!   the daily usage counters.
//! - [`usage`]: records served per requester and day, rebuilt from the audit log at start.
//! - [`connection`]: one TCP connection: handshake, session, audit entries.
//! - [`listener`]: the accept loop with a bound on concurrent sessions.
//! - [`deadline`]: the whole-session deadline (per-read timeouts alone do not bound a
//!   client that trickles bytes).
//! - [`failure`]: the stable reason code of a session that ended in an error, for its
//!   `session-error` audit entry.
//!
//! Ordering guarantees: every decision (accepted or refused) is appended to the audit log
//! and fsynced before the refusal is sent or anything is evaluated; an accepted request
//! id is inserted into the durable replay store before evaluation; a connection that
//! fails mid-session leaves nothing behind but its audit entries, and is closed only
//! after its `session-error` entry (with a reason code) is fsynced.

pub mod connection;
pub mod deadline;
pub mod failure;
pub mod listener;
pub mod state;
pub mod usage;

pub use listener::serve;
pub use state::{ServeConfig, ServeError, ServedState};
