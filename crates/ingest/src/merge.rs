//! K-way merge of sorted entry streams (spill runs, the in-memory tail, shard files)
//! into one ascending stream, with a binary heap holding one entry per stream.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::IngestError;
use super::entry::KeyEntry;

/// One sorted source of entries.
pub type EntryStream<'a> = Box<dyn Iterator<Item = Result<KeyEntry, IngestError>> + 'a>;

/// The ascending merge of sorted streams. A stream that is not sorted yields
/// [`IngestError::Unsorted`] rather than a wrong order; the first error ends the merge.
pub struct MergedEntries<'a> {
    streams: Vec<EntryStream<'a>>,
    heap: BinaryHeap<Reverse<(KeyEntry, usize)>>,
    failed: bool,
}

impl std::fmt::Debug for MergedEntries<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MergedEntries")
            .field("streams", &self.streams.len())
            .field("pending", &self.heap.len())
            .finish()
    }
}

impl<'a> MergedEntries<'a> {
    /// Starts the merge (reads the first entry of each stream).
    pub fn new(mut streams: Vec<EntryStream<'a>>) -> Result<MergedEntries<'a>, IngestError> {
        let mut heap = BinaryHeap::with_capacity(streams.len());
        for (i, stream) in streams.iter_mut().enumerate() {
            if let Some(first) = stream.next() {
                heap.push(Reverse((first?, i)));
            }
        }
        Ok(MergedEntries {
            streams,
            heap,
            failed: false,
        })
    }
}

impl Iterator for MergedEntries<'_> {
    type Item = Result<KeyEntry, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let Reverse((entry, i)) = self.heap.pop()?;
        match self.streams.get_mut(i).and_then(Iterator::next) {
            Some(Ok(next)) if next < entry => {
                self.failed = true;
                return Some(Err(IngestError::Unsorted { stream: i }));
            }
            Some(Ok(next)) => self.heap.push(Reverse((next, i))),
            Some(Err(e)) => {
                self.failed = true;
                return Some(Err(e));
            }
            None => {}
        }
        Some(Ok(entry))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use blindlink_core::match_key::MatchRule;
    use proptest::prelude::*;

    fn entry(v: u8, row: u64) -> KeyEntry {
        KeyEntry::new(u128::from(v), row, MatchRule::R2NameHouseZip).unwrap()
    }

    fn stream<'a>(v: Vec<KeyEntry>) -> EntryStream<'a> {
        Box::new(v.into_iter().map(Ok))
    }

    proptest! {
        #[test]
        fn merges_sorted_streams(parts in prop::collection::vec(
            prop::collection::vec((any::<u8>(), 0u64..50), 0..40), 0..6)) {
            let mut all = Vec::new();
            let mut streams = Vec::new();
            for part in parts {
                let mut part: Vec<KeyEntry> = part.into_iter().map(|(v, r)| entry(v, r)).collect();
                part.sort();
                all.extend(part.iter().copied());
                streams.push(stream(part));
            }
            all.sort();
            let merged: Vec<KeyEntry> =
                MergedEntries::new(streams).unwrap().map(Result::unwrap).collect();
            prop_assert_eq!(merged, all);
        }
    }

    #[test]
    fn an_unsorted_stream_is_refused() {
        let streams = vec![
            stream(vec![entry(1, 0), entry(9, 0)]),
            stream(vec![entry(5, 0), entry(2, 0)]),
        ];
        let out: Vec<_> = MergedEntries::new(streams).unwrap().collect();
        assert!(matches!(
            out.last(),
            Some(Err(IngestError::Unsorted { stream: 1 }))
        ));
    }
}
