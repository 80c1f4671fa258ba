//! What the pipeline reads: a taxpayer CSV, from any reader ([`IngestInput`]) or from a
//! file by its path ([`IngestInput::open`], what `irs ingest` does), or records already
//! in memory ([`read_in_memory`], for [`run_records`](crate::run_records)); and why a CSV
//! cannot be used ([`InputError`]: the operator's input, exit code 2 in `irs`).

use std::fs::File;
use std::path::{Path, PathBuf};

use blindlink_core::record::Record;
use thiserror::Error;

use super::IngestError;
use super::read::{CHUNK_ROWS, ReadStats, RecordChunk};

/// The taxpayer CSV to ingest.
#[derive(Debug)]
pub struct IngestInput<'p, R> {
    /// The bytes.
    pub reader: R,
    /// Its path, for messages.
    pub path: &'p Path,
    /// Its length in bytes, if known (for progress).
    pub len: Option<u64>,
}

impl<'p> IngestInput<'p, File> {
    /// Opens the CSV file at `path`; its length (for progress) is taken from the file's
    /// metadata when available.
    pub fn open(path: &'p Path) -> Result<IngestInput<'p, File>, InputError> {
        let reader = File::open(path).map_err(|source| InputError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let len = reader.metadata().ok().map(|m| m.len());
        Ok(IngestInput { reader, path, len })
    }
}

/// Records in memory as the pipeline's input, the way [`read_records`] hands over a
/// file's rows: in chunks of at most [`CHUNK_ROWS`] to `on_chunk`, record `i` as data row
/// `i`, with `on_records` told each chunk's length. Returns the counts of a file of these
/// rows, all good: nothing is read, so `input_bytes` is 0 and `input_sha256` all zero.
///
/// [`read_records`]: crate::read_records
pub(crate) fn read_in_memory(
    records: impl IntoIterator<Item = Record>,
    on_records: &(dyn Fn(u64) + Sync),
    on_chunk: &mut dyn FnMut(RecordChunk) -> Result<(), IngestError>,
) -> Result<ReadStats, IngestError> {
    let mut rows = 0u64;
    let mut chunk: RecordChunk = Vec::with_capacity(CHUNK_ROWS);
    let mut hand_over = |chunk: RecordChunk| -> Result<(), IngestError> {
        on_records(chunk.len() as u64);
        on_chunk(chunk)
    };
    for record in records {
        chunk.push((rows, record));
        rows += 1;
        if chunk.len() == CHUNK_ROWS {
            hand_over(std::mem::replace(
                &mut chunk,
                Vec::with_capacity(CHUNK_ROWS),
            ))?;
        }
    }
    if !chunk.is_empty() {
        hand_over(chunk)?;
    }
    Ok(ReadStats {
        rows,
        records: rows,
        ..ReadStats::default()
    })
}

/// The taxpayer CSV cannot be used.
#[derive(Debug, Error)]
pub enum InputError {
    /// The input file cannot be opened.
    #[error("cannot open input {}: {source}", path.display())]
    Open {
        /// The input file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The input breaks the CSV rules (`blindlink_store::csv`): no header, missing or
    /// repeated columns, no data rows, more than 1% of bad rows, or a read failure; the
    /// error names the line.
    #[error("input {}: {source}", path.display())]
    Csv {
        /// The input file.
        path: PathBuf,
        /// What is wrong, and where.
        source: blindlink_store::csv::CsvError,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_a_file_with_its_length_and_names_a_missing_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "record_id\n1\n").unwrap();
        let input = IngestInput::open(&path).unwrap();
        assert_eq!((input.path, input.len), (path.as_path(), Some(12)));
        let missing = dir.path().join("nowhere.csv");
        match IngestInput::open(&missing) {
            Err(InputError::Open { path, .. }) => assert_eq!(path, missing),
            other => panic!("opened a missing file: {other:?}"),
        }
    }

    #[test]
    fn records_in_memory_are_numbered_rows_in_chunks() {
        let records: Vec<Record> = (0..CHUNK_ROWS + 3)
            .map(|i| Record {
                id: i.to_string(),
                ..Record::default()
            })
            .collect();
        let steps = std::sync::atomic::AtomicU64::new(0);
        let mut sizes = Vec::new();
        let mut rows = Vec::new();
        let stats = read_in_memory(
            records,
            &|n| {
                steps.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
            },
            &mut |chunk| {
                sizes.push(chunk.len());
                rows.extend(chunk.into_iter().map(|(row, r)| (row, r.id)));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(sizes, vec![CHUNK_ROWS, 3]);
        assert_eq!(steps.into_inner(), CHUNK_ROWS as u64 + 3);
        assert!(
            rows.iter()
                .enumerate()
                .all(|(i, (row, id))| *row == i as u64 && *id == i.to_string())
        );
        let whole = CHUNK_ROWS as u64 + 3;
        assert_eq!(
            (stats.rows, stats.records, stats.skipped()),
            (whole, whole, 0)
        );
        assert_eq!((stats.input_bytes, stats.input_sha256), (0, [0; 32]));
        let empty = read_in_memory(Vec::new(), &|_| {}, &mut |_| panic!("no chunk")).unwrap();
        assert_eq!(empty.rows, 0);
    }
}
