//! The file-backed replay store.

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{ReplayError, TornTail, journal_line, parse_journal};
use crate::append::open_append;
use crate::group_sync::{GroupCommit, GroupSync};
use blindlink_protocol::manifest::RequestId;

/// A durable set of used request ids, backed by an append-only journal file.
///
/// `ReplayStore` is `Send + Sync`: share it with `Arc` between server threads; inserts
/// are serialized by an internal mutex, so of two concurrent `insert_if_new` calls
/// with the same id exactly one returns `true`. Concurrent inserts share fdatasyncs
/// (group commit, [`GroupCommit`]). Only one process may use a journal at
/// a time (no file lock is taken).
#[derive(Debug)]
pub struct ReplayStore {
    path: PathBuf,
    recovery: Option<TornTail>,
    state: Mutex<State>,
    sync: GroupSync,
}

#[derive(Debug)]
struct State {
    file: File,
    ids: HashSet<RequestId>,
    failed: bool,
}

fn io_error(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> ReplayError {
    let path = path.to_path_buf();
    move |source| ReplayError::Io {
        path,
        action,
        source,
    }
}

impl ReplayStore {
    /// Opens (or creates) the journal at `path`, loading every id and recovering a
    /// torn last line (see the module doc). Inserts use the default [`GroupCommit`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, ReplayError> {
        Self::open_with(path, GroupCommit::default())
    }

    /// [`open`](Self::open) with the given group commit settings.
    pub fn open_with(path: impl AsRef<Path>, group: GroupCommit) -> Result<Self, ReplayError> {
        let path = path.as_ref().to_path_buf();
        let (mut file, _created) =
            open_append(&path).map_err(io_error(&path, "open or create the file"))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(io_error(&path, "read the file"))?;
        let journal = parse_journal(&bytes).map_err(|corrupt| ReplayError::Corrupt {
            path: path.clone(),
            line: corrupt.line,
        })?;
        let mut ids = journal.ids;
        match journal.torn_tail {
            Some(TornTail::CompleteId { id, .. }) => {
                file.write_all(b"\n")
                    .and_then(|()| file.sync_data())
                    .map_err(io_error(&path, "complete a torn last line"))?;
                ids.insert(id);
            }
            Some(TornTail::Fragment { offset, .. }) => {
                file.set_len(offset)
                    .and_then(|()| file.sync_data())
                    .map_err(io_error(&path, "cut a torn last line"))?;
            }
            None => {}
        }
        let sync = GroupSync::new(&file, group).map_err(io_error(&path, "open the file"))?;
        Ok(Self {
            sync,
            recovery: journal.torn_tail,
            state: Mutex::new(State {
                file,
                ids,
                failed: false,
            }),
            path,
        })
    }

    /// The torn last line found (and repaired) by [`open`](Self::open), if any.
    pub fn recovery(&self) -> Option<TornTail> {
        self.recovery
    }

    /// The journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, State>, ReplayError> {
        let failed = || ReplayError::Failed {
            path: self.path.clone(),
        };
        let state = self.state.lock().map_err(|_| failed())?;
        if state.failed || self.sync.failed() {
            return Err(failed());
        }
        Ok(state)
    }

    /// True if `id` was used.
    pub fn contains(&self, id: &RequestId) -> Result<bool, ReplayError> {
        Ok(self.lock()?.ids.contains(id))
    }

    /// Number of used ids.
    pub fn len(&self) -> Result<usize, ReplayError> {
        Ok(self.lock()?.ids.len())
    }

    /// True if no id was used yet.
    pub fn is_empty(&self) -> Result<bool, ReplayError> {
        Ok(self.len()? == 0)
    }

    /// Records `id` as used. Returns `Ok(true)` once the id is durably on disk (a sync
    /// covering its line succeeded), `Ok(false)` if it was used before, also while the
    /// first insert is still waiting for its sync: of two inserts of one id exactly one
    /// returns `true`. After a write or sync error every later call fails with
    /// [`ReplayError::Failed`] until the store is reopened.
    pub fn insert_if_new(&self, id: &RequestId) -> Result<bool, ReplayError> {
        let mut state = self.lock()?;
        if state.ids.contains(id) {
            return Ok(false);
        }
        let ticket = state
            .file
            .write_all(&journal_line(id))
            .and_then(|()| self.sync.written());
        let ticket = match ticket {
            Ok(ticket) => ticket,
            Err(source) => {
                state.failed = true;
                return Err(io_error(&self.path, "append a request id")(source));
            }
        };
        state.ids.insert(*id);
        drop(state);
        self.sync
            .wait(ticket)
            .map_err(io_error(&self.path, "sync a request id"))?;
        Ok(true)
    }

    /// Records every id of `ids` not yet in the journal with one write and one sync, and
    /// returns how many were added (used to rebuild a missing or shorter journal from the
    /// audit log).
    pub fn restore(&self, ids: &[RequestId]) -> Result<usize, ReplayError> {
        let mut state = self.lock()?;
        let mut lines = Vec::new();
        let mut added = HashSet::new();
        for id in ids {
            if !state.ids.contains(id) && added.insert(*id) {
                lines.extend_from_slice(&journal_line(id));
            }
        }
        if added.is_empty() {
            return Ok(0);
        }
        let written = state
            .file
            .write_all(&lines)
            .and_then(|()| state.file.sync_data());
        if let Err(source) = written {
            state.failed = true;
            return Err(io_error(&self.path, "restore request ids")(source));
        }
        let count = added.len();
        state.ids.extend(added);
        Ok(count)
    }

    /// The fdatasyncs inserts have issued since the store was opened.
    pub fn syncs(&self) -> u64 {
        self.sync.syncs()
    }
}
