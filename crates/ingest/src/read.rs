//! Reading: the taxpayer CSV, row by row, into chunks of records handed to a callback.
//!
//! The header must name the ten [`RECORD_COLUMNS`] (any order, case-insensitive, extra
//! columns ignored). A row with the wrong number of fields or with invalid UTF-8 in a
//! used field is skipped and counted, its line number logged at debug; more than 1%
//! of such rows aborts the run with [`InputError::TooManyBadRows`] (checked at the end,
//! over the whole file). Every data row has a 0-based row number, bad rows included; a
//! [`Slice`] selects the rows `row % count == index` for keying, while the checks and
//! counts of [`ReadStats`] always cover the whole file, so every shard of one input
//! reports the same [`ReadStats`]. The whole input is hashed (SHA-256) on the way.

use std::io::Read;
use std::path::Path;

use blindlink_core::record::{RECORD_COLUMNS, Record};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::IngestError;
use super::InputError;

/// Records per chunk handed to the callback.
pub const CHUNK_ROWS: usize = 16_384;
/// How many bad line numbers are kept for messages and the summary.
const KEPT_BAD_LINES: usize = 10;

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
    /// Line numbers of the first skipped rows (at most 10).
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
        self.wrong_field_count.saturating_add(self.invalid_utf8)
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
    let tap = Tap {
        inner: input,
        hasher: Sha256::new(),
        bytes: 0,
        on_bytes,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(tap);
    let read_error = |line: u64, e: csv::Error| InputError::Read {
        path: path.to_path_buf(),
        line,
        message: e.to_string(),
    };
    let header = reader.byte_headers().map_err(|e| read_error(1, e))?.clone();
    let (columns, ignored_columns) = map_columns(&header, path)?;

    let mut stats = ReadStats {
        ignored_columns,
        ..ReadStats::default()
    };
    let mut row = csv::ByteRecord::new();
    let mut chunk: RecordChunk = Vec::with_capacity(CHUNK_ROWS);
    loop {
        let line = row.position().map_or(1, |p| p.line()) + 1;
        let more = reader
            .read_byte_record(&mut row)
            .map_err(|e| read_error(line, e))?;
        if !more {
            break;
        }
        let number = stats.rows;
        stats.rows += 1;
        let line = row.position().map_or(0, |p| p.line());
        match record_of(&row, header.len(), &columns, slice.contains(number)) {
            Ok(Some(record)) => chunk.push((number, record)),
            Ok(None) => {}
            Err(reason) => {
                tracing::debug!(line, reason = reason.as_str(), "skipping malformed row");
                match reason {
                    RowDefect::FieldCount => stats.wrong_field_count += 1,
                    RowDefect::Utf8 => stats.invalid_utf8 += 1,
                }
                if stats.first_bad_lines.len() < KEPT_BAD_LINES {
                    stats.first_bad_lines.push(line);
                }
                continue;
            }
        }
        stats.records += 1;
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

    let tap = reader.into_inner();
    stats.input_bytes = tap.bytes;
    stats.input_sha256 = tap.hasher.finalize().into();
    if stats.rows == 0 {
        return Err(InputError::NoRows {
            path: path.to_path_buf(),
        }
        .into());
    }
    if stats.skipped() > 0 && stats.skipped() * 100 > stats.rows {
        return Err(InputError::TooManyBadRows {
            path: path.to_path_buf(),
            bad: stats.skipped(),
            rows: stats.rows,
            first_lines: stats.first_bad_lines.clone(),
        }
        .into());
    }
    Ok(stats)
}

/// Positions of the [`RECORD_COLUMNS`] in the header, and the names of other columns.
fn map_columns(
    header: &csv::ByteRecord,
    path: &Path,
) -> Result<([usize; 10], Vec<String>), InputError> {
    if header.is_empty() || (header.len() == 1 && header.get(0).is_some_and(<[u8]>::is_empty)) {
        return Err(InputError::NoHeader {
            path: path.to_path_buf(),
        });
    }
    let mut found: [Option<usize>; 10] = [None; 10];
    let mut ignored = Vec::new();
    for (i, raw) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(raw);
        let name = name.trim_start_matches('\u{feff}').trim();
        match RECORD_COLUMNS
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
        {
            Some(c) => {
                let slot = found.get_mut(c).ok_or_else(|| InputError::NoHeader {
                    path: path.to_path_buf(),
                })?;
                if slot.replace(i).is_some() {
                    return Err(InputError::DuplicateColumn {
                        path: path.to_path_buf(),
                        column: name.to_owned(),
                    });
                }
            }
            None => ignored.push(name.chars().take(64).collect()),
        }
    }
    let missing: Vec<String> = RECORD_COLUMNS
        .iter()
        .zip(&found)
        .filter(|(_, f)| f.is_none())
        .map(|(c, _)| (*c).to_owned())
        .collect();
    if !missing.is_empty() {
        return Err(InputError::MissingColumns {
            path: path.to_path_buf(),
            missing,
        });
    }
    Ok((found.map(|f| f.unwrap_or(0)), ignored))
}

/// Why a row was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowDefect {
    FieldCount,
    Utf8,
}

impl RowDefect {
    fn as_str(self) -> &'static str {
        match self {
            RowDefect::FieldCount => "wrong field count",
            RowDefect::Utf8 => "invalid UTF-8",
        }
    }
}

/// Checks a row and, when `wanted`, builds its record.
fn record_of(
    row: &csv::ByteRecord,
    width: usize,
    columns: &[usize; 10],
    wanted: bool,
) -> Result<Option<Record>, RowDefect> {
    if row.len() != width {
        return Err(RowDefect::FieldCount);
    }
    let mut fields = [""; 10];
    for (slot, &index) in fields.iter_mut().zip(columns) {
        let raw = row.get(index).ok_or(RowDefect::FieldCount)?;
        *slot = std::str::from_utf8(raw).map_err(|_| RowDefect::Utf8)?;
    }
    Ok(wanted.then(|| Record::from_fields(fields)))
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

    #[test]
    fn header_problems() {
        assert!(matches!(read(""), Err(InputError::NoHeader { .. })));
        let no_zip = HEADER.replace(",zip", "");
        let err = read(&no_zip).unwrap_err();
        assert!(matches!(&err, InputError::MissingColumns { missing, .. } if missing == &["zip"]));
        let twice = HEADER.replace("unit", "zip");
        assert!(matches!(
            read(&twice),
            Err(InputError::DuplicateColumn { .. })
        ));
        assert!(matches!(read(HEADER), Err(InputError::NoRows { .. })));
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
        match read(&worse) {
            Err(InputError::TooManyBadRows {
                bad,
                rows,
                first_lines,
                ..
            }) => {
                assert_eq!((bad, rows), (2, 101));
                assert_eq!(first_lines, vec![101, 102]);
            }
            other => panic!("accepted: {other:?}"),
        }
    }
}
