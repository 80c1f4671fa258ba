//! The tamper-evident audit log: append-only JSON lines, chained by SHA-256.
//!
//! Each line is one JSON object, keys in this order:
//!
//! ```text
//! {"seq":N,"time":T,"kind":"...",["reason":"<refusal code>",]"details":{...},"prev":"<64 hex>"}
//! ```
//!
//! * `seq` counts from 1 and equals the line number;
//! * `time` is unix seconds, passed in by the caller;
//! * `kind` is one of `request-received`, `decision-accepted`, `decision-refused`
//!   (which alone carries `reason`, a stable [`RefusalReason`](blindlink_protocol::policy::RefusalReason)
//!   code), `evaluated`, `set-sent`, `query-sent`, `result`, `key-generated`,
//!   `set-encoded`, `session-error`, `request-prepared`;
//! * `details` is a JSON object;
//! * `prev` is the lowercase hex SHA-256 of the previous line's bytes exactly as
//!   stored, without its `\n`; the first entry has 64 zeros.
//!
//! An entry does not carry its own hash: it would add nothing, since whoever edits a
//! line can recompute it. The chain makes any change to a line visible at the next
//! line; the hash of the last line (the *head*, reported by [`verify`] and
//! [`AuditLog::head`]) must be kept elsewhere (e.g. printed in the run's summary, or
//! logged by the peer) to also detect that the end was cut off.
//!
//! A line is written with one `write` and then `sync_data` before
//! [`AuditLog::append`] returns. A crash can leave a last line without its `\n`:
//! [`verify`] reports it as a torn line, separate from a broken chain, and only
//! [`repair`] (after the operator agrees) removes it. The pure parts (line format in
//! `entry`, chain checking in `chain`) do no I/O; the file parts live in `log`, and
//! [`report`] is `audit verify|repair` as `irs` and `ice` both run it (one JSON shape);
//! [`reconcile`] checks the holder's log against a requester's and its receipts.

mod chain;
mod checkpoints;
mod entry;
mod log;
mod receipt_entry;
mod reconcile;
mod reconcile_report;
pub mod report;

pub use chain::{
    BreakReason, BrokenLink, ChainVerifier, DuplicateAccepted, TornLine, VerifyReport, verify_bytes,
};
pub use checkpoints::{
    CheckpointStatus, check_checkpoint, check_checkpoint_file, read_checkpoint, sign_checkpoint,
    write_checkpoint,
};
pub use entry::{
    AuditEntry, AuditEvent, EntryError, EventKind, GENESIS_PREV, MAX_LINE_BYTES, encode_line,
    line_hash, parse_line,
};
pub use log::{AuditError, AuditLog, RepairOutcome, repair, verify};
pub use receipt_entry::{KeptReceipt, kept_receipt, last_seen, receipt_event};
pub use reconcile::reconcile;
pub use reconcile_report::{Counts, Disagreement, LogsDisagree, ReconcileReport};
