//! External sort of [`KeyEntry`]s under a memory budget.
//!
//! Entries accumulate in one buffer of at most `budget / 24` entries. When it is full it
//! is sorted (in parallel, in place) and written as a *run* to a temporary file in a
//! private spill directory; at the end the last buffer is sorted and kept in memory, and
//! [`SortedEntries::merged`] k-way merges it with the runs, as often as asked (the
//! pipeline reads the sorted stream twice). Runs are plain concatenated entries: they
//! are read only by the process that wrote them, so they carry no header, checksum or
//! fsync. The spill directory (`.ingest-spill.<host>.<pid>` in the epoch directory, or
//! beside a shard file) is removed when the [`SortedEntries`] or [`EntrySorter`] is
//! dropped, on success and on error; a directory left by a killed process is removed by
//! the next run on the same host ([`remove_stale_spill_dirs`]; the host name keeps shard
//! tasks of several machines sharing one directory from removing each other's runs).

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::IngestError;
use super::entry::{ENTRY_LEN, KeyEntry};
use super::merge::{EntryStream, MergedEntries};

/// Name prefix of spill directories.
const SPILL_PREFIX: &str = ".ingest-spill.";
/// Read buffer per run during the merge.
const RUN_READ_BUFFER: usize = 1 << 16;

/// A spill directory, removed with its contents on drop.
#[derive(Debug)]
struct SpillDir {
    path: PathBuf,
    created: bool,
}

impl SpillDir {
    fn create_if_needed(&mut self) -> Result<(), IngestError> {
        if !self.created {
            std::fs::create_dir_all(&self.path)
                .map_err(IngestError::spill("create", &self.path))?;
            self.created = true;
        }
        Ok(())
    }
}

impl Drop for SpillDir {
    fn drop(&mut self) {
        if self.created
            && let Err(e) = std::fs::remove_dir_all(&self.path)
        {
            tracing::warn!("cannot remove {}: {e}", self.path.display());
        }
    }
}

/// Collects entries, spilling sorted runs when the budget is reached.
#[derive(Debug)]
pub struct EntrySorter {
    buffer: Vec<KeyEntry>,
    capacity: usize,
    dir: SpillDir,
    pub(crate) runs: Vec<PathBuf>,
    written: usize,
}

impl EntrySorter {
    /// A sorter holding at most `budget_bytes` of entries in memory (at least 1024
    /// entries), spilling into a new directory under `parent`.
    pub fn new(budget_bytes: u64, parent: &Path) -> EntrySorter {
        let capacity = usize::try_from(budget_bytes / ENTRY_LEN as u64)
            .unwrap_or(usize::MAX)
            .max(1024);
        EntrySorter {
            buffer: Vec::new(),
            capacity,
            dir: SpillDir {
                path: parent.join(format!("{SPILL_PREFIX}{}.{}", host(), std::process::id())),
                created: false,
            },
            runs: Vec::new(),
            written: 0,
        }
    }

    /// Whether the buffer is full (the caller then calls [`EntrySorter::spill`]).
    pub fn is_full(&self) -> bool {
        self.buffer.len() >= self.capacity
    }

    /// Room left in the buffer.
    pub fn room(&self) -> usize {
        self.capacity.saturating_sub(self.buffer.len())
    }

    /// Adds entries; spills whenever the buffer fills.
    pub fn extend(&mut self, mut entries: Vec<KeyEntry>) -> Result<(), IngestError> {
        while !entries.is_empty() {
            let take = self.room().min(entries.len());
            // Grow by doubling, but never past the budget.
            let want = (self.buffer.len() + take)
                .max(self.buffer.capacity().saturating_mul(2))
                .min(self.capacity);
            if want > self.buffer.capacity() {
                self.buffer.reserve_exact(want - self.buffer.len());
            }
            self.buffer.extend(entries.drain(..take));
            if self.is_full() {
                self.spill()?;
            }
        }
        Ok(())
    }

    /// Sorts the buffer and writes it as a run.
    pub fn spill(&mut self) -> Result<(), IngestError> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        self.buffer.par_sort_unstable();
        let buffer = std::mem::take(&mut self.buffer);
        self.spill_sorted(buffer.iter().map(|e| Ok(*e)))?;
        self.buffer = buffer;
        self.buffer.clear();
        Ok(())
    }

    /// Writes an already sorted stream as one more run, without holding it in memory.
    pub(crate) fn spill_sorted(
        &mut self,
        entries: impl Iterator<Item = Result<KeyEntry, IngestError>>,
    ) -> Result<(), IngestError> {
        self.dir.create_if_needed()?;
        let path = self.dir.path.join(format!("run-{}", self.written));
        self.written += 1;
        let file = File::create(&path).map_err(IngestError::spill("create", &path))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let mut count = 0u64;
        for entry in entries {
            out.write_all(&entry?.to_bytes())
                .map_err(IngestError::spill("write", &path))?;
            count += 1;
        }
        out.flush().map_err(IngestError::spill("write", &path))?;
        tracing::debug!(
            run = self.runs.len(),
            entries = count,
            "spilled a sorted run"
        );
        self.runs.push(path);
        Ok(())
    }

    /// Sorts what is left; the result can be merged any number of times.
    pub fn finish(mut self) -> SortedEntries {
        self.buffer.par_sort_unstable();
        self.buffer.shrink_to_fit();
        SortedEntries {
            memory: std::mem::take(&mut self.buffer),
            runs: std::mem::take(&mut self.runs),
            _dir: std::mem::replace(
                &mut self.dir,
                SpillDir {
                    path: PathBuf::new(),
                    created: false,
                },
            ),
        }
    }
}

/// Sorted entries: the runs on disk and a sorted tail in memory.
#[derive(Debug)]
pub struct SortedEntries {
    memory: Vec<KeyEntry>,
    runs: Vec<PathBuf>,
    _dir: SpillDir,
}

impl SortedEntries {
    /// Number of runs written to disk.
    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    /// All entries in ascending order.
    pub fn merged(&self) -> Result<MergedEntries<'_>, IngestError> {
        let mut streams = open_runs(&self.runs)?;
        streams.push(Box::new(self.memory.iter().map(|e| Ok(*e))));
        MergedEntries::new(streams)
    }
}

/// Opens the runs at `paths` for reading, in order.
pub(crate) fn open_runs(paths: &[PathBuf]) -> Result<Vec<EntryStream<'_>>, IngestError> {
    let mut streams: Vec<EntryStream<'_>> = Vec::with_capacity(paths.len() + 1);
    for path in paths {
        let file = File::open(path).map_err(IngestError::spill("open", path))?;
        streams.push(Box::new(RunReader {
            reader: BufReader::with_capacity(RUN_READ_BUFFER, file),
            path,
        }));
    }
    Ok(streams)
}

/// Reads a run back.
struct RunReader<'a> {
    reader: BufReader<File>,
    path: &'a Path,
}

impl Iterator for RunReader<'_> {
    type Item = Result<KeyEntry, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut buf = [0u8; ENTRY_LEN];
        match read_full(&mut self.reader, &mut buf) {
            Ok(true) => Some(Ok(KeyEntry::from_bytes(&buf))),
            Ok(false) => None,
            Err(e) => Some(Err(IngestError::spill("read", self.path)(e))),
        }
    }
}

/// Fills `buf`; `Ok(false)` at a clean end of file, an error at a partial entry.
pub(crate) fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<bool> {
    let mut filled = 0;
    while filled < buf.len() {
        let slot = buf.get_mut(filled..).unwrap_or_default();
        match reader.read(slot) {
            Ok(0) if filled == 0 => return Ok(false),
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// This machine's name as a file name component (`/proc/sys/kernel/hostname`, letters,
/// digits and `-` kept), or `host` when unknown.
fn host() -> String {
    let name: String = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap_or_default()
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if name.is_empty() {
        "host".to_owned()
    } else {
        name
    }
}

/// Removes spill directories under `parent` left by processes of this host that no
/// longer run.
pub fn remove_stale_spill_dirs(parent: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let host = host();
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(SPILL_PREFIX))
            .and_then(|rest| rest.rsplit_once('.'))
            .filter(|(h, _)| *h == host)
            .and_then(|(_, p)| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && Path::new("/proc").join(pid.to_string()).exists() {
            continue;
        }
        if std::fs::remove_dir_all(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;
    use blindlink_core::match_key::MatchRule;

    fn entries(n: u64, seed: u64) -> Vec<KeyEntry> {
        (0..n)
            .map(|i| {
                let v = u128::from((i * 7919 + seed) % 1000) << 100 | u128::from(i);
                KeyEntry::new(v, i, MatchRule::R1Exact).unwrap()
            })
            .collect()
    }

    #[test]
    fn spilled_and_unspilled_sorts_agree_and_clean_up() {
        let dir = tempfile::tempdir().unwrap();
        let input = entries(10_000, 3);
        let mut expected = input.clone();
        expected.sort();

        let mut big = EntrySorter::new(1 << 30, dir.path());
        big.extend(input.clone()).unwrap();
        let big = big.finish();
        assert_eq!(big.runs(), 0);
        let got: Vec<KeyEntry> = big.merged().unwrap().map(Result::unwrap).collect();
        assert_eq!(got, expected);

        let mut small = EntrySorter::new(0, dir.path());
        for part in input.chunks(777) {
            small.extend(part.to_vec()).unwrap();
        }
        let small = small.finish();
        assert_eq!(small.runs(), 9);
        for _ in 0..2 {
            let got: Vec<KeyEntry> = small.merged().unwrap().map(Result::unwrap).collect();
            assert_eq!(got, expected);
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        drop(small);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn stale_dirs_of_this_host_go_live_and_foreign_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let mine_dead = dir
            .path()
            .join(format!("{SPILL_PREFIX}{}.{}", host(), u32::MAX - 1));
        let mine_live = dir.path().join(format!("{SPILL_PREFIX}{}.1", host()));
        let foreign = dir
            .path()
            .join(format!("{SPILL_PREFIX}elsewhere.{}", u32::MAX - 1));
        for d in [&mine_dead, &mine_live, &foreign] {
            std::fs::create_dir(d).unwrap();
        }
        assert_eq!(remove_stale_spill_dirs(dir.path()), vec![mine_dead.clone()]);
        assert!(!mine_dead.exists() && mine_live.exists() && foreign.exists());
    }

    #[test]
    fn a_truncated_run_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut sorter = EntrySorter::new(0, dir.path());
        sorter.extend(entries(2048, 1)).unwrap();
        let sorted = sorter.finish();
        let run = dir
            .path()
            .join(format!("{SPILL_PREFIX}{}.{}", host(), std::process::id()))
            .join("run-0");
        let len = std::fs::metadata(&run).unwrap().len();
        let file = std::fs::OpenOptions::new().write(true).open(&run).unwrap();
        file.set_len(len - 5).unwrap();
        assert!(sorted.merged().unwrap().any(|e| e.is_err()));
    }
}
