//! Reading: the taxpayer CSV, row by row, into chunks of records handed to a callback.
//!
//! The file is read under the CSV rules every blindlink file follows
//! ([`blindlink_store::csv`], the same rules `ice prepare` reads a request by): the
//! header names the ten [`RECORD_COLUMNS`](blindlink_core::record::RECORD_COLUMNS) (any
//! order and ASCII case, extra columns ignored and reported), and a row is bad for one
//! [`RowProblem`](blindlink_store::csv::RowProblem): a field count other than the
//! header's, a used field that is not UTF-8, or one over its length limit. The holder's
//! policy is [`BAD_ROWS`]: a bad row is skipped and counted (by problem, with the lines of
//! the first ones in [`ReadStats`] and so in the ingest summary, and each line logged at
//! debug); more than 1% of bad rows aborts the run (checked at the end, over the whole
//! file; the file-based runs check it first too, before any OPRF work:
//! [`check_file`](crate::check_file)). A skipped row only costs a match; the requester refuses a file with such a row,
//! so the same row never yields keys on one side only.
//!
//! Every data row has a 0-based row number, bad rows included; a [`Slice`] selects the
//! rows `row % count == index` for keying, while the checks and counts of [`ReadStats`]
//! always cover the whole file, so every shard of one input reports the same
//! [`ReadStats`]. The whole input is hashed (SHA-256) on the way. Memory: one row and
//! the CSV reader's buffer, besides the chunk being filled.

use std::io::Read;
use std::path::Path;

use blindlink_core::record::Record;
use blindlink_store::csv::records::{RECORD_SCHEMA, record_of};
use blindlink_store::csv::{BadRowPolicy, CsvError, RowRead, TableReader};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::IngestError;
use super::InputError;

/// Records per chunk handed to the callback.
pub const CHUNK_ROWS: usize = 16_384;

/// The holder's bad-row policy: skip and count, refuse the file above 1% of bad rows.
pub const BAD_ROWS: BadRowPolicy = BadRowPolicy::Skip { max_percent: 1 };

/// The rows one run keys: those with `row % count == index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slice {
    /// This slice, `0..count`.
    pub index: u32,
    /// Number of slices, at least 1.
    pub count: u32,
}

impl Slice {
    /// All rows.
    pub const WHOLE: Slice = Slice { index: 0, count: 1 };

    /// Whether `row` belongs to the slice.
    pub fn contains(&self, row: u64) -> bool {
        row % u64::from(self.count.max(1)) == u64::from(self.index)
    }
}

/// Counts over the whole input file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadStats {
    /// Data rows (the header excluded), good or bad.
    pub rows: u64,
    /// Rows turned into records.
    pub records: u64,
    /// Rows skipped: field count differs from the header's.
    pub wrong_field_count: u64,
    /// Rows skipped: a used field is not valid UTF-8.
    pub invalid_utf8: u64,
    /// Rows skipped: a used field is over its length limit (absent in shard files
    /// written before the limit: 0).
    #[serde(default)]
    pub field_too_long: u64,
    /// Line numbers of the first skipped rows (at most
    /// [`KEPT_BAD_LINES`](blindlink_store::csv::KEPT_BAD_LINES)).
    pub first_bad_lines: Vec<u64>,
    /// Header columns that are not record columns (ignored).
    pub ignored_columns: Vec<String>,
    /// Bytes of input read.
    pub input_bytes: u64,
    /// SHA-256 of the input bytes.
    pub input_sha256: [u8; 32],
}

impl ReadStats {
    /// Skipped rows, all reasons (saturating: shard files' counts are checked with it).
    pub fn skipped(&self) -> u64 {
        self.wrong_field_count
            .saturating_add(self.invalid_utf8)
            .saturating_add(self.field_too_long)
    }
}

/// Passes bytes through, hashing and counting them.
struct Tap<'p, R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
    on_bytes: &'p (dyn Fn(u64) + Sync),
}

impl<R: Read> Read for Tap<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(read) = buf.get(..n) {
            self.hasher.update(read);
        }
        self.bytes += n as u64;
        (self.on_bytes)(n as u64);
        Ok(n)
    }
}

/// Records of the slice with their row numbers, in file order.
pub type RecordChunk = Vec<(u64, Record)>;

/// Reads the CSV from `input` (named `path` in messages), hands the good rows of `slice`
/// to `on_chunk` in chunks of at most [`CHUNK_ROWS`], and returns the counts of the whole
/// file. `on_bytes` is called with each amount of input read (for a progress bar).
pub fn read_records<R: Read>(
    input: R,
    path: &Path,
    slice: Slice,
    on_bytes: &(dyn Fn(u64) + Sync),
    on_chunk: &mut dyn FnMut(RecordChunk) -> Result<(), IngestError>,
) -> Result<ReadStats, IngestError> {
    let csv_error = |source: CsvError| InputError::Csv {
        path: path.to_path_buf(),
        source,
    };
    let tap = Tap {
        inner: input,
        hasher: Sha256::new(),
        bytes: 0,
        on_bytes,
    };
    let mut reader = TableReader::new(tap, RECORD_SCHEMA, BAD_ROWS).map_err(csv_error)?;
    let mut records = 0u64;
    let mut chunk: RecordChunk = Vec::with_capacity(CHUNK_ROWS);
    while let Some(row) = reader.next_row().map_err(csv_error)? {
        match row {
            RowRead::Good(row) => {
                records += 1;
                if slice.contains(row.index()) {
                    chunk.push((row.index(), record_of(&row)));
                }
            }
            RowRead::Skipped(skipped) => {
                tracing::debug!(line = skipped.line, reason = %skipped.problem, "skipping malformed row");
                continue;
            }
        }
        if chunk.len() == CHUNK_ROWS {
            on_chunk(std::mem::replace(
                &mut chunk,
                Vec::with_capacity(CHUNK_ROWS),
            ))?;
        }
    }
    if !chunk.is_empty() {
        on_chunk(chunk)?;
    }
    let finished = reader.finish().map_err(csv_error)?;
    let bad = finished.bad_rows;
    Ok(ReadStats {
        rows: finished.rows,
        records,
        wrong_field_count: bad.field_count,
        invalid_utf8: bad.invalid_utf8,
        field_too_long: bad.too_long,
        first_bad_lines: bad.first_lines,
        ignored_columns: finished.ignored_columns,
        input_bytes: finished.input.bytes,
        input_sha256: finished.input.hasher.finalize().into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob\n";

    fn read_slice(bytes: &[u8], slice: Slice) -> Result<(ReadStats, RecordChunk), InputError> {
        let mut all = Vec::new();
        let mut chunks = 0;
        let stats = read_records(bytes, Path::new("t.csv"), slice, &|_| {}, &mut |chunk| {
            assert!(chunk.len() <= CHUNK_ROWS && !chunk.is_empty());
            chunks += 1;
            all.extend(chunk);
            Ok(())
        });
        match stats {
            Ok(stats) => Ok((stats, all)),
            Err(IngestError::Input(e)) => Err(e),
            Err(other) => panic!("unexpected {other}"),
        }
    }

    fn read(text: &str) -> Result<(ReadStats, RecordChunk), InputError> {
        read_slice(text.as_bytes(), Slice::WHOLE)
    }

    fn rows(n: usize) -> String {
        let mut s = String::from(HEADER);
        for i in 0..n {
            s.push_str(&format!(
                "{i},Alma{i},Quist,,{} Elm St,,Springfield,IL,62701,\n",
                100 + i
            ));
        }
        s
    }

    #[test]
    fn numbers_rows_and_hashes_input() {
        let text = rows(CHUNK_ROWS + 50);
        let (stats, records) = read(&text).unwrap();
        assert_eq!(stats.rows, CHUNK_ROWS as u64 + 50);
        assert_eq!(stats.records, stats.rows);
        assert_eq!(records.len() as u64, stats.rows);
        for (i, (row, record)) in records.iter().enumerate() {
            assert_eq!(*row, i as u64);
            assert_eq!(record.id, i.to_string());
        }
        assert_eq!(stats.input_bytes, text.len() as u64);
        assert_eq!(
            stats.input_sha256,
            <[u8; 32]>::from(Sha256::digest(text.as_bytes()))
        );
    }

    #[test]
    fn slices_partition_the_rows_and_share_the_file_counts() {
        let mut text = rows(300);
        text.push_str("x,too,few\n");
        text.push_str(&rows(20)[HEADER.len()..]);
        let (whole, all) = read(&text).unwrap();
        let mut seen = Vec::new();
        for index in 0..3 {
            let (stats, part) = read_slice(text.as_bytes(), Slice { index, count: 3 }).unwrap();
            assert_eq!(stats, whole);
            assert!(part.iter().all(|(row, _)| row % 3 == u64::from(index)));
            seen.extend(part.into_iter().map(|(row, r)| (row, r.id)));
        }
        seen.sort();
        let all: Vec<(u64, String)> = all.into_iter().map(|(row, r)| (row, r.id)).collect();
        assert_eq!(seen, all);
        // The bad row has a number too: row 300 is missing, 301 follows.
        assert!(!all.iter().any(|(row, _)| *row == 300));
        assert!(all.iter().any(|(row, _)| *row == 301));
    }

    #[test]
    fn columns_in_any_order_with_extras() {
        let text = "zip,dob,case_ref,Record_ID,given_names,family_names,suffix,street,unit,city,state\n\
                    62701,,X-1,1,Ada,Lovelace,,12 Oak Ave,,Springfield,IL\n";
        let (stats, records) = read(text).unwrap();
        assert_eq!(stats.ignored_columns, vec!["case_ref".to_owned()]);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].1.family_names, "Lovelace");
    }

    /// The CSV-rules error under an input error, if that is what it is.
    fn csv(result: Result<(ReadStats, RecordChunk), InputError>) -> CsvError {
        match result {
            Err(InputError::Csv { source, path }) => {
                assert_eq!(path, Path::new("t.csv"));
                source
            }
            other => panic!("not a CSV error: {other:?}"),
        }
    }

    #[test]
    fn header_problems() {
        assert!(matches!(csv(read("")), CsvError::NoHeader));
        let no_zip = HEADER.replace(",zip", "");
        let err = csv(read(&no_zip));
        assert!(matches!(&err, CsvError::MissingColumns { missing, .. } if missing == &["zip"]));
        let twice = HEADER.replace("unit", "zip");
        assert!(matches!(
            csv(read(&twice)),
            CsvError::DuplicateColumn { .. }
        ));
        assert!(matches!(csv(read(HEADER)), CsvError::NoRows { .. }));
        let message = read(&no_zip).unwrap_err().to_string();
        assert!(message.starts_with("input t.csv: line 1: "), "{message}");
    }

    #[test]
    fn one_percent_of_bad_rows_is_tolerated_more_is_not() {
        let mut text = rows(199);
        text.push_str("x,too,few\n");
        text.push_str("1,Ab,Cd,,1 A St,,C,S,62701,\n");
        let mut bytes = text.into_bytes();
        // One more bad row with invalid UTF-8 in the family name.
        bytes.extend_from_slice(b"2,Ab,C\xffd,,1 A St,,C,S,62701,\n");
        let (stats, _) = read_slice(&bytes, Slice::WHOLE).unwrap();
        assert_eq!((stats.rows, stats.skipped()), (202, 2));
        assert_eq!(stats.wrong_field_count, 1);
        assert_eq!(stats.invalid_utf8, 1);
        assert_eq!(stats.first_bad_lines, vec![201, 203]);

        let mut worse = rows(99);
        worse.push_str("x,too,few\n");
        worse.push_str("y,too,few\n");
        match csv(read(&worse)) {
            CsvError::TooManyBadRows {
                bad,
                rows,
                first_lines,
                ..
            } => {
                assert_eq!((bad, rows), (2, 101));
                assert_eq!(first_lines, vec![101, 102]);
            }
            other => panic!("accepted: {other:?}"),
        }
    }

    #[test]
    fn a_field_over_its_limit_is_skipped_and_counted_with_its_line() {
        let long = "E".repeat(blindlink_store::csv::MAX_FIELD_BYTES + 1);
        let mut text = rows(150);
        text.push_str(&format!("x,Ab,Cd,,1 {long} St,,C,S,62701,\n"));
        text.push_str(&rows(50)[HEADER.len()..]);
        let (stats, records) = read(&text).unwrap();
        assert_eq!((stats.rows, stats.records, stats.skipped()), (201, 200, 1));
        assert_eq!(stats.field_too_long, 1);
        assert_eq!(stats.first_bad_lines, [152]);
        assert!(!records.iter().any(|(row, _)| *row == 150));
    }

    #[test]
    fn crlf_files_give_the_same_records_and_right_lines() {
        let text = rows(300);
        let (lf, lf_records) = read(&text).unwrap();
        let mut crlf = text.replace('\n', "\r\n");
        crlf.push_str("x,too,few\r\n");
        let (stats, records) = read(&crlf).unwrap();
        assert_eq!(records, lf_records);
        assert_eq!(stats.records, lf.records);
        assert_eq!(stats.first_bad_lines, [302]);
    }

    /// The requester's reader refuses exactly the rows the holder skips, for the same
    /// reason: one classification on both sides.
    #[test]
    fn the_rows_skipped_here_are_the_rows_ice_prepare_refuses() {
        use blindlink_store::csv::request::{REQUEST_COLUMNS, read_request};
        let long = "N".repeat(blindlink_store::csv::MAX_FIELD_BYTES + 1);
        let bad_rows: [Vec<u8>; 4] = [
            b"x,Ab,Cd, JR,,1 A St,,C,S,62701,".to_vec(),
            b"x,Ab,Cd".to_vec(),
            b"x,Ab,C\xffd,,1 A St,,C,S,62701,".to_vec(),
            format!("x,{long},Cd,,1 A St,,C,S,62701,").into_bytes(),
        ];
        for bad in bad_rows {
            let mut holder = rows(200).into_bytes();
            holder.extend_from_slice(&bad);
            holder.push(b'\n');
            let (stats, _) = read_slice(&holder, Slice::WHOLE).unwrap();
            assert_eq!(
                (stats.skipped(), stats.first_bad_lines.clone()),
                (1, vec![202])
            );

            let mut request = format!("{}\n", REQUEST_COLUMNS.join(",")).into_bytes();
            request.extend_from_slice(b"r,Ab,Cd,,1 A St,,C,S,62701,,C-1,F-1\n");
            request.extend_from_slice(&bad);
            request.extend_from_slice(b",C-2,F-2\n");
            let refused = read_request(request.as_slice(), BadRowPolicy::Refuse).unwrap_err();
            assert_eq!(refused.line(), Some(3), "{refused}");
            let CsvError::BadRow { problem, .. } = refused else {
                panic!("not a bad row: {refused}");
            };
            let holder_reason = [
                stats.wrong_field_count,
                stats.invalid_utf8,
                stats.field_too_long,
            ];
            let request_reason = match problem {
                blindlink_store::csv::RowProblem::FieldCount { .. } => [1, 0, 0],
                blindlink_store::csv::RowProblem::InvalidUtf8 { .. } => [0, 1, 0],
                blindlink_store::csv::RowProblem::FieldTooLong { .. } => [0, 0, 1],
            };
            assert_eq!(holder_reason, request_reason);
        }
    }
}
