//! The audit log file: open (verifying), append (fsynced), verify and repair.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use blindlink_protocol::identity::IdentityKey;
use blindlink_protocol::transparency::{LogTree, ProofError, TreeHead, make_receipt};
use blindlink_protocol::wire::DecisionReceipt;
use thiserror::Error;

use super::chain::{ChainVerifier, VerifyReport};
use super::entry::{AuditEntry, AuditEvent, EntryError, MAX_LINE_BYTES, encode_line, line_hash};
use crate::append::open_append;
use crate::group_sync::{GroupCommit, GroupSync};

/// Errors of the audit log file.
#[derive(Debug, Error)]
pub enum AuditError {
    /// A file operation failed.
    #[error("audit log {}: cannot {action}: {source}", path.display())]
    Io {
        /// The log file.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The OS error.
        source: std::io::Error,
    },
    /// The chain is broken: the log was altered or corrupted.
    #[error("audit log {} is broken: {report}", path.display())]
    Broken {
        /// The log file.
        path: PathBuf,
        /// What verification found.
        report: Box<VerifyReport>,
    },
    /// The log ends in a torn line (an interrupted append); `repair` removes it.
    #[error("audit log {} ends in a torn line: {report}", path.display())]
    Torn {
        /// The log file.
        path: PathBuf,
        /// What verification found.
        report: Box<VerifyReport>,
    },
    /// Another open `AuditLog` (in this or another process) holds the log's lock.
    #[error("audit log {} is in use by another process (only one writer at a time)", path.display())]
    InUse {
        /// The log file.
        path: PathBuf,
    },
    /// The event cannot be written (bad refusal code, too large).
    #[error("invalid audit event: {0}")]
    InvalidEvent(#[from] EntryError),
    /// A receipt could not be made for an entry just appended (cannot happen for an
    /// entry of this log; reported rather than trusted).
    #[error("audit log {}: no receipt for entry {seq}: {source}", path.display())]
    Receipt {
        /// The log file.
        path: PathBuf,
        /// The entry.
        seq: u64,
        /// Why.
        source: ProofError,
    },
    /// An earlier append failed, so the file state is unknown; reopen the log.
    #[error("audit log {}: an earlier append failed; reopen the log", path.display())]
    Failed {
        /// The log file.
        path: PathBuf,
    },
}

fn io_error(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> AuditError {
    let path = path.to_path_buf();
    move |source| AuditError::Io {
        path,
        action,
        source,
    }
}

/// Reads up to and including the next `\n`. Keeps the bytes in `line` only if the
/// piece is at most `MAX_LINE_BYTES + 1` long. Returns (length, ended in `\n`, kept).
fn read_piece(reader: &mut impl BufRead, line: &mut Vec<u8>) -> std::io::Result<(u64, bool, bool)> {
    line.clear();
    let mut total = 0u64;
    let mut kept = true;
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok((total, false, kept));
        }
        let (chunk, newline) = match buffer.iter().position(|&b| b == b'\n') {
            Some(end) => (buffer.get(..=end).unwrap_or(buffer), true),
            None => (buffer, false),
        };
        let used = chunk.len();
        total += used as u64;
        if kept && line.len() + used <= MAX_LINE_BYTES + 1 {
            line.extend_from_slice(chunk);
        } else {
            kept = false;
            line.clear();
        }
        reader.consume(used);
        if newline {
            return Ok((total, true, kept));
        }
    }
}

/// Verifies the chain of everything `reader` yields.
fn scan(reader: &mut impl BufRead) -> std::io::Result<ChainVerifier> {
    scan_each(reader, |_, _| {})
}

/// [`scan`], giving `each` every entry that chains correctly with its raw line (without
/// the `\n`), in order.
pub(crate) fn scan_each(
    reader: &mut impl BufRead,
    mut each: impl FnMut(&AuditEntry, &[u8]),
) -> std::io::Result<ChainVerifier> {
    let mut verifier = ChainVerifier::new();
    let mut line = Vec::new();
    loop {
        let (len, newline, kept) = read_piece(reader, &mut line)?;
        if len == 0 {
            return Ok(verifier);
        }
        if !newline {
            verifier.feed_torn_tail(len);
            return Ok(verifier);
        }
        let content = line.strip_suffix(b"\n").filter(|_| kept);
        if let (Some(entry), Some(content)) = (verifier.feed_line(content, len), content) {
            each(&entry, content);
        }
    }
}

/// [`scan_each`] over the log file at `path` (read only, no lock).
pub(crate) fn scan_file(
    path: &Path,
    each: impl FnMut(&AuditEntry, &[u8]),
) -> Result<ChainVerifier, AuditError> {
    let file = File::open(path).map_err(io_error(path, "open the file"))?;
    scan_each(&mut BufReader::new(file), each).map_err(io_error(path, "read the file"))
}

/// Verifies the log at `path` without changing it.
pub fn verify(path: impl AsRef<Path>) -> Result<VerifyReport, AuditError> {
    Ok(scan_file(path.as_ref(), |_, _| {})?.finish())
}

/// What [`repair`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairOutcome {
    /// Bytes of the torn last line that were removed (0 if there was none).
    pub removed_bytes: u64,
    /// Verification of the log after the repair (a broken chain is left as it is).
    pub report: VerifyReport,
}

/// Truncates a torn last line, and nothing else, then fsyncs. Ask the operator first:
/// the fragment is an append that never completed.
pub fn repair(path: impl AsRef<Path>) -> Result<RepairOutcome, AuditError> {
    let path = path.as_ref();
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(io_error(path, "open the file"))?;
    lock_exclusive(&file, path)?;
    let mut report = scan(&mut BufReader::new(&file))
        .map_err(io_error(path, "read the file"))?
        .finish();
    let Some(torn) = report.torn_tail.take() else {
        return Ok(RepairOutcome {
            removed_bytes: 0,
            report,
        });
    };
    file.set_len(torn.offset)
        .and_then(|()| file.sync_data())
        .map_err(io_error(path, "truncate the torn line"))?;
    Ok(RepairOutcome {
        removed_bytes: torn.len,
        report,
    })
}

/// Takes the exclusive writer lock on an open log file.
fn lock_exclusive(file: &File, path: &Path) -> Result<(), AuditError> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(AuditError::InUse {
            path: path.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(io_error(path, "lock the file")(source)),
    }
}

/// An open, verified audit log positioned at its end.
///
/// `AuditLog` is `Send + Sync`: share one instance with `Arc` between server threads.
/// Appends go through one internal mutex, so entries get consecutive `seq` numbers in
/// the order the appends take the lock, and each append returns only after its line
/// was written and a `sync_data` covering it succeeded; concurrent appends share those
/// syncs (group commit, [`GroupCommit`]). After a failed write or sync the log refuses
/// every later append. Only one writer may append to a log: `open`
/// takes an exclusive advisory lock on the file for the life of the `AuditLog` and
/// fails with [`AuditError::InUse`] if another holds it (e.g. `irs ingest` while
/// `irs serve` runs, or two `ice query` on one state directory).
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    writer: Mutex<Writer>,
    sync: GroupSync,
}

#[derive(Debug)]
struct Writer {
    file: File,
    next_seq: u64,
    head: [u8; 32],
    tree: LogTree,
    failed: bool,
}

impl AuditLog {
    /// Opens the log at `path`, creating an empty one if missing. The whole chain is
    /// verified first: a broken chain fails with [`AuditError::Broken`], a torn last
    /// line with [`AuditError::Torn`] (use [`repair`], after asking). Appends use the
    /// default [`GroupCommit`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, AuditError> {
        Self::open_with(path, GroupCommit::default())
    }

    /// [`open`](Self::open) with the given group commit settings.
    pub fn open_with(path: impl AsRef<Path>, group: GroupCommit) -> Result<Self, AuditError> {
        let path = path.as_ref().to_path_buf();
        let (file, _created) =
            open_append(&path).map_err(io_error(&path, "open or create the file"))?;
        lock_exclusive(&file, &path)?;
        let verifier =
            scan(&mut BufReader::new(&file)).map_err(io_error(&path, "read the file"))?;
        let next_seq = verifier.next_seq();
        let head = verifier.head();
        let (report, tree) = verifier.finish_with_tree();
        if report.broken.is_some() {
            return Err(AuditError::Broken {
                path,
                report: Box::new(report),
            });
        }
        if report.torn_tail.is_some() {
            return Err(AuditError::Torn {
                path,
                report: Box::new(report),
            });
        }
        let sync = GroupSync::new(&file, group).map_err(io_error(&path, "open the file"))?;
        Ok(Self {
            path,
            sync,
            writer: Mutex::new(Writer {
                file,
                next_seq,
                head,
                tree,
                failed: false,
            }),
        })
    }

    /// The log file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `event` and returns the entry's `seq` once a sync covering it succeeded.
    pub fn append(&self, event: &AuditEvent) -> Result<u64, AuditError> {
        self.append_then(event, |_, _, _| Ok(()))
            .map(|(seq, ())| seq)
    }

    /// Appends `event` like [`append`](Self::append) and returns, with its `seq`, the
    /// receipt of the entry signed by `signer` at `time`: a checkpoint of the log just
    /// after the entry, its inclusion proof and the consistency proof from log size
    /// `since`. Returned only once the entry is durable.
    pub fn append_with_receipt(
        &self,
        event: &AuditEvent,
        since: u64,
        signer: &IdentityKey,
        time: u64,
    ) -> Result<(u64, DecisionReceipt), AuditError> {
        self.append_then(event, |tree, seq, line| {
            make_receipt(signer, tree, seq, line, since, time).map_err(|source| {
                AuditError::Receipt {
                    path: self.path.clone(),
                    seq,
                    source,
                }
            })
        })
    }

    /// Writes the entry, adds it to the tree, runs `then` on the tree, the `seq` and the
    /// line (still under the writer lock, so the tree ends at this entry), then waits for
    /// the sync.
    fn append_then<V>(
        &self,
        event: &AuditEvent,
        then: impl FnOnce(&LogTree, u64, &[u8]) -> Result<V, AuditError>,
    ) -> Result<(u64, V), AuditError> {
        let failed = || AuditError::Failed {
            path: self.path.clone(),
        };
        let mut writer = self.writer.lock().map_err(|_| failed())?;
        if writer.failed || self.sync.failed() {
            return Err(failed());
        }
        let seq = writer.next_seq;
        let mut line = encode_line(seq, &writer.head, event)?;
        let head = line_hash(&line);
        line.push(b'\n');
        let ticket = writer
            .file
            .write_all(&line)
            .and_then(|()| self.sync.written());
        let ticket = match ticket {
            Ok(ticket) => ticket,
            Err(source) => {
                writer.failed = true;
                return Err(io_error(&self.path, "append an entry")(source));
            }
        };
        writer.next_seq = seq + 1;
        writer.head = head;
        writer.tree.push(head);
        let value = then(&writer.tree, seq, line.strip_suffix(b"\n").unwrap_or(&line));
        drop(writer);
        self.sync
            .wait(ticket)
            .map_err(io_error(&self.path, "sync an entry"))?;
        Ok((seq, value?))
    }

    /// The fdatasyncs appends have issued since the log was opened.
    pub fn syncs(&self) -> u64 {
        self.sync.syncs()
    }

    /// The `seq` the next entry will get and the hash of the last line.
    pub fn head(&self) -> Result<(u64, [u8; 32]), AuditError> {
        let writer = self.writer.lock().map_err(|_| AuditError::Failed {
            path: self.path.clone(),
        })?;
        Ok((writer.next_seq, writer.head))
    }

    /// The Merkle tree head over every entry so far.
    pub fn tree_head(&self) -> Result<TreeHead, AuditError> {
        let writer = self.writer.lock().map_err(|_| AuditError::Failed {
            path: self.path.clone(),
        })?;
        Ok(writer.tree.head())
    }
}
