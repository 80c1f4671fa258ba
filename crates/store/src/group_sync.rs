//! Group commit for the append-only files (audit log, replay journal): concurrent
//! appends to one file share `fdatasync`s, and each append still returns only after a
//! sync that covers its bytes has returned successfully.
//!
//! Leader/follower, no extra thread. A writer appends its line under the file's own
//! mutex (so the file order, and the audit chain, are the order of that mutex), takes a
//! *ticket* (the number of lines written so far, which its line completes) and calls
//! [`GroupSync::wait`]. There, if a sync that started after its line was written has
//! already succeeded, it is done; if a sync is running it waits for it; otherwise it
//! becomes the syncer for everything written so far. While one sync runs, the next
//! lines pile up and the next syncer covers them all at once.
//!
//! Under load, a syncer first *gathers* for [`GroupCommit::gather`] (only when the last
//! sync covered more than one line, that is, when appends overlap; a lone writer such
//! as `ice` or `irs ingest` never waits). That trades a little latency per append for
//! far fewer syncs: with 32 concurrent sessions the holder makes about one sync per
//! session instead of five.
//!
//! A failed sync is final: every waiter whose line it would have covered gets the
//! error, and every later append is refused, since the file's durable state is unknown.
//! Every sync issued is counted ([`GroupSync::syncs`]).

use std::fs::File;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// How a file's appends are synced.
type SyncFn = Arc<dyn Fn(&File) -> io::Result<()> + Send + Sync>;

/// The group commit settings of one append-only file.
#[derive(Clone)]
pub struct GroupCommit {
    /// How long a syncer waits for more lines before it syncs, when appends overlap.
    pub gather: Duration,
    sync: SyncFn,
}

impl std::fmt::Debug for GroupCommit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit")
            .field("gather", &self.gather)
            .finish_non_exhaustive()
    }
}

impl GroupCommit {
    /// The gather window used by [`Default`]: long enough that 32 concurrent holder
    /// sessions share about one sync per session (docs/BENCHMARKS.md), short next to a
    /// session's latency.
    pub const DEFAULT_GATHER: Duration = Duration::from_millis(8);

    /// Group commit that gathers for `gather` when appends overlap.
    pub fn with_gather(gather: Duration) -> GroupCommit {
        GroupCommit {
            gather,
            sync: Arc::new(File::sync_data),
        }
    }

    /// The same settings with `sync` in place of `fdatasync` (tests inject failures).
    #[cfg(test)]
    pub(crate) fn with_sync(
        mut self,
        sync: impl Fn(&File) -> io::Result<()> + Send + Sync + 'static,
    ) -> GroupCommit {
        self.sync = Arc::new(sync);
        self
    }
}

impl Default for GroupCommit {
    fn default() -> GroupCommit {
        GroupCommit::with_gather(GroupCommit::DEFAULT_GATHER)
    }
}

/// The sync state shared by one file's writers.
#[derive(Debug)]
struct Progress {
    /// Lines written so far (the last ticket handed out).
    written: u64,
    /// Lines covered by a sync that returned successfully.
    synced: u64,
    /// Whether a writer is syncing (or gathering before it syncs).
    syncing: bool,
    /// Lines the last successful sync covered.
    last_group: u64,
    /// The error of the sync that failed, if one did.
    failed: Option<(io::ErrorKind, String)>,
}

/// Shares fdatasyncs between the concurrent appenders of one file (module doc).
pub(crate) struct GroupSync {
    file: File,
    settings: GroupCommit,
    progress: Mutex<Progress>,
    changed: Condvar,
    syncs: AtomicU64,
}

impl std::fmt::Debug for GroupSync {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupSync")
            .field("settings", &self.settings)
            .field("syncs", &self.syncs())
            .finish_non_exhaustive()
    }
}

fn poisoned() -> io::Error {
    io::Error::other("a writer panicked while syncing")
}

impl GroupSync {
    /// Group commit for the appends to `file` (synced through a clone of its handle).
    pub(crate) fn new(file: &File, settings: GroupCommit) -> io::Result<GroupSync> {
        Ok(GroupSync {
            file: file.try_clone()?,
            settings,
            progress: Mutex::new(Progress {
                written: 0,
                synced: 0,
                syncing: false,
                last_group: 0,
                failed: None,
            }),
            changed: Condvar::new(),
            syncs: AtomicU64::new(0),
        })
    }

    fn lock(&self) -> io::Result<MutexGuard<'_, Progress>> {
        self.progress.lock().map_err(|_| poisoned())
    }

    /// Whether a sync failed (the file then takes no more appends).
    pub(crate) fn failed(&self) -> bool {
        self.lock().map_or(true, |p| p.failed.is_some())
    }

    /// Notes that one more line was written in full; call it under the file's mutex,
    /// after the write, so tickets follow the file's order. Returns the line's ticket.
    pub(crate) fn written(&self) -> io::Result<u64> {
        let mut progress = self.lock()?;
        progress.written += 1;
        Ok(progress.written)
    }

    /// Returns once a sync covering `ticket` has succeeded (syncing itself if no sync is
    /// running), or the error of the sync that failed first.
    pub(crate) fn wait(&self, ticket: u64) -> io::Result<()> {
        let mut progress = self.lock()?;
        loop {
            if progress.synced >= ticket {
                return Ok(());
            }
            if let Some((kind, message)) = &progress.failed {
                return Err(io::Error::new(*kind, message.clone()));
            }
            if progress.syncing {
                progress = self.changed.wait(progress).map_err(|_| poisoned())?;
                continue;
            }
            progress.syncing = true;
            if progress.last_group > 1 && !self.settings.gather.is_zero() {
                drop(progress);
                std::thread::sleep(self.settings.gather);
                progress = self.lock()?;
            }
            let target = progress.written;
            let covered = target - progress.synced;
            drop(progress);
            let result = (self.settings.sync)(&self.file);
            self.syncs.fetch_add(1, Ordering::Relaxed);
            progress = self.lock()?;
            progress.syncing = false;
            match result {
                Ok(()) => {
                    progress.synced = target;
                    progress.last_group = covered;
                }
                Err(e) => progress.failed = Some((e.kind(), e.to_string())),
            }
            self.changed.notify_all();
        }
    }

    /// Syncs issued so far (successful or not).
    pub(crate) fn syncs(&self) -> u64 {
        self.syncs.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests;
