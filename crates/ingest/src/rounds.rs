//! Merging many shard files with a bounded number of files open: the shards are merged
//! in batches of at most `max_open` into sorted runs in a private spill directory (the
//! shards' checksums are checked on the way), and runs again in batches while there are
//! more than `max_open`; the sorted stream is then the merge of at most `max_open` runs.
//! Memory: one read buffer per open file, independent of the set size. Each shard is read
//! once; the runs are read by both passes of the pipeline.

use std::path::Path;

use super::IngestError;
use super::merge::{EntryStream, MergedEntries};
use super::shard_file::ShardFile;
use super::spill::{EntrySorter, SortedEntries, open_runs};

/// The most shard or run files the merge keeps open at once.
pub const MAX_OPEN_SHARDS: usize = 64;

/// Merges `shards` (each sorted) into at most `max_open` (at least 2) sorted runs under
/// `scratch`, opening at most `max_open` files at once.
pub(crate) fn merge_in_rounds(
    shards: &[ShardFile],
    max_open: usize,
    scratch: &Path,
) -> Result<SortedEntries, IngestError> {
    let max_open = max_open.max(2);
    let mut sorter = EntrySorter::new(0, scratch);
    for batch in shards.chunks(max_open) {
        let streams = batch
            .iter()
            .map(ShardFile::entries)
            .collect::<Result<Vec<EntryStream<'_>>, _>>()?;
        sorter.spill_sorted(MergedEntries::new(streams)?)?;
    }
    while sorter.runs.len() > max_open {
        let batch: Vec<_> = sorter.runs.drain(..max_open).collect();
        let merged = MergedEntries::new(open_runs(&batch)?)?;
        sorter.spill_sorted(merged)?;
        for path in &batch {
            std::fs::remove_file(path).map_err(IngestError::spill("remove", path))?;
        }
    }
    Ok(sorter.finish())
}
