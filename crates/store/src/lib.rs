//! blindlink-store: how blindlink puts bytes on disk.
//!
//! - [`AtomicFile`]: write to a temporary file beside the target, fsync it, rename it over
//!   the target, fsync the directory. A crash leaves either the old file or the new one,
//!   never a half-written file.
//! - [`write_secret`] / [`read_secret`]: secrets (OPRF keys, blinds in request bundles,
//!   approver signing keys, Noise static keys) are written with mode 0600 from creation
//!   on, and a secret file whose mode grants anything to group or others is refused on load.
//! - [`key_file`]: one-line key files (`<label> <64 hex>\n`) of every kind, one parser
//!   for all of them.
//! - [`audit`]: the hash-chained, fsynced JSON-lines audit log of both parties, and its
//!   `verify` / `repair`.
//! - [`replay`]: the holder's durable single-use set of request ids (an append-only
//!   journal, fsynced before a request is served).
//! - [`FileLedger`]: the two together as the holder driver's
//!   [`Ledger`](blindlink_protocol::driver::Ledger): which audit entry each holder event
//!   becomes, and the served-records history the daily limit is seeded from.
//! - [`GroupCommit`]: concurrent appends to the audit log or the replay journal share
//!   fdatasyncs, and each still returns only once a sync covering it succeeded.
//! - [`csv`]: the record, request and results CSV files, under one set of rules (header,
//!   field limits, bad rows, line numbers) for the holder and the requester.
//!
//! The formats' pure parts (a key line, an audit line, a journal line, chain checking)
//! do no I/O; the files around them are opened, appended and fsynced here, so the
//! protocol crate stays sans-IO.
//!
//! Unix only (the prototype's target); modes are enforced with `std::os::unix`.

mod append;
mod atomic;
pub mod audit;
pub mod csv;
mod group_sync;
pub mod key_file;
mod ledger;
pub mod replay;
mod secret;

pub use atomic::{AtomicFile, sync_dir, write_atomic};
pub use group_sync::GroupCommit;
pub use ledger::{FileLedger, LedgerError, read_entries};
pub use secret::{read_secret, write_secret};

use std::path::PathBuf;
use thiserror::Error;

/// A persistence failure, naming the file.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The operating system refused an operation.
    #[error("{op} {path}: {source}")]
    Io {
        /// What was being done ("create", "write", "fsync", "rename", "read", ...).
        op: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A secret file is readable or writable by group or others.
    #[error(
        "{path} has mode {mode:04o}; secret files must not be accessible to group or others (chmod 600 it)"
    )]
    PermissionsTooOpen {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The target path has no file name or parent directory.
    #[error("{0} is not a file path")]
    NotAFilePath(PathBuf),
}

pub(crate) fn io_err(
    op: &'static str,
    path: &std::path::Path,
) -> impl FnOnce(std::io::Error) -> StoreError {
    let path = path.to_path_buf();
    move |source| StoreError::Io { op, path, source }
}
