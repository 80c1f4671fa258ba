//! Phase 1, read + keys: the taxpayer CSV, row by row, into per-record match keys.
//!
//! The header must name the ten [`RECORD_COLUMNS`] (any order, case-insensitive, extra
//! columns ignored). A row with the wrong number of fields or with invalid UTF-8 in a
//! used field is skipped and counted, its line number logged at debug; more than 1%
//! of such rows aborts the run with [`InputError::TooManyBadRows`]. Rows are normalized
//! and keyed ([`KeySide::Holder`]) in parallel chunks; the raw rows are dropped as soon
//! as their keys exist, so memory holds keys only. The whole input is hashed (SHA-256)
//! on the way, for the audit log.

use std::io::Read;
use std::path::Path;

use blindlink_core::match_key::{KeySide, MatchKey, RuleSet, match_keys};
use blindlink_core::normalize::normalize;
use blindlink_core::record::{RECORD_COLUMNS, Record};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::InputError;

/// Rows normalized and keyed per parallel chunk.
const CHUNK_ROWS: usize = 8192;
/// How many bad line numbers are kept for messages and the summary.
const KEPT_BAD_LINES: usize = 10;

/// What phase 1 produced.
#[derive(Debug, Default)]
pub struct KeyedRecords {
    /// One key list per record that has at least one key, in file order.
    pub keys: Vec<Vec<MatchKey>>,
    /// Counts for the summary.
    pub stats: ReadStats,
}

/// Counts of phase 1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    /// Records from which no key could be derived (e.g. no usable name or ZIP).
    pub without_keys: u64,
    /// Keys derived per rule, indexed by [`MatchRule::index`](blindlink_core::match_key::MatchRule::index).
    pub keys_per_rule: [u64; 4],
    /// Header columns that are not record columns (ignored).
    pub ignored_columns: Vec<String>,
    /// Bytes of input read.
    pub input_bytes: u64,
    /// SHA-256 of the input bytes.
    pub input_sha256: [u8; 32],
}

impl ReadStats {
    /// Skipped rows, all reasons.
    pub fn skipped(&self) -> u64 {
        self.wrong_field_count + self.invalid_utf8
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

/// Reads the CSV from `input` (named `path` in messages) and derives the holder-side
/// keys of `rules` for every good row. `on_bytes` is called with each amount of input
/// read (for a progress bar).
pub fn read_keyed_records<R: Read>(
    input: R,
    path: &Path,
    rules: RuleSet,
    on_bytes: &(dyn Fn(u64) + Sync),
) -> Result<KeyedRecords, InputError> {
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

    let mut out = KeyedRecords::default();
    out.stats.ignored_columns = ignored_columns;
    let mut row = csv::ByteRecord::new();
    let mut chunk: Vec<Record> = Vec::with_capacity(CHUNK_ROWS);
    loop {
        let line = row.position().map_or(1, |p| p.line()) + 1;
        let more = reader
            .read_byte_record(&mut row)
            .map_err(|e| read_error(line, e))?;
        if !more {
            break;
        }
        out.stats.rows += 1;
        let line = row.position().map_or(0, |p| p.line());
        match record_of(&row, header.len(), &columns) {
            Ok(record) => chunk.push(record),
            Err(reason) => {
                tracing::debug!(line, reason = reason.as_str(), "skipping malformed row");
                match reason {
                    RowDefect::FieldCount => out.stats.wrong_field_count += 1,
                    RowDefect::Utf8 => out.stats.invalid_utf8 += 1,
                }
                if out.stats.first_bad_lines.len() < KEPT_BAD_LINES {
                    out.stats.first_bad_lines.push(line);
                }
            }
        }
        if chunk.len() == CHUNK_ROWS {
            derive_keys(&mut chunk, rules, &mut out);
        }
    }
    derive_keys(&mut chunk, rules, &mut out);

    let tap = reader.into_inner();
    out.stats.input_bytes = tap.bytes;
    out.stats.input_sha256 = tap.hasher.finalize().into();
    let stats = &out.stats;
    if stats.rows == 0 {
        return Err(InputError::NoRows {
            path: path.to_path_buf(),
        });
    }
    if stats.skipped() > 0 && stats.skipped() * 100 > stats.rows {
        return Err(InputError::TooManyBadRows {
            path: path.to_path_buf(),
            bad: stats.skipped(),
            rows: stats.rows,
            first_lines: stats.first_bad_lines.clone(),
        });
    }
    Ok(out)
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

fn record_of(
    row: &csv::ByteRecord,
    width: usize,
    columns: &[usize; 10],
) -> Result<Record, RowDefect> {
    if row.len() != width {
        return Err(RowDefect::FieldCount);
    }
    let mut fields = [""; 10];
    for (slot, &index) in fields.iter_mut().zip(columns) {
        let raw = row.get(index).ok_or(RowDefect::FieldCount)?;
        *slot = std::str::from_utf8(raw).map_err(|_| RowDefect::Utf8)?;
    }
    Ok(Record::from_fields(fields))
}

/// Normalizes and keys a chunk of records in parallel, appending to `out`.
fn derive_keys(chunk: &mut Vec<Record>, rules: RuleSet, out: &mut KeyedRecords) {
    let keyed: Vec<Vec<MatchKey>> = chunk
        .par_iter()
        .map(|record| {
            let mut keys = match_keys(&normalize(record), rules, KeySide::Holder);
            keys.shrink_to_fit();
            keys
        })
        .collect();
    out.stats.records += chunk.len() as u64;
    chunk.clear();
    for keys in keyed {
        if keys.is_empty() {
            out.stats.without_keys += 1;
            continue;
        }
        for key in &keys {
            if let Some(n) = out.stats.keys_per_rule.get_mut(key.rule.index()) {
                *n += 1;
            }
        }
        out.keys.push(keys);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob\n";

    fn read(text: &str) -> Result<KeyedRecords, InputError> {
        read_keyed_records(
            text.as_bytes(),
            Path::new("t.csv"),
            RuleSet::default_policy(),
            &|_| {},
        )
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
    fn counts_keys_and_hashes_input() {
        let text = rows(50);
        let out = read(&text).unwrap();
        assert_eq!(out.stats.rows, 50);
        assert_eq!(out.stats.records, 50);
        assert_eq!(out.keys.len(), 50);
        assert_eq!(out.stats.keys_per_rule[0], 50);
        assert_eq!(out.stats.keys_per_rule[1], 50);
        assert_eq!(out.stats.input_bytes, text.len() as u64);
        assert_eq!(
            out.stats.input_sha256,
            <[u8; 32]>::from(Sha256::digest(text.as_bytes()))
        );
    }

    #[test]
    fn columns_in_any_order_with_extras() {
        let text = "zip,dob,case_ref,Record_ID,given_names,family_names,suffix,street,unit,city,state\n\
                    62701,,X-1,1,Ada,Lovelace,,12 Oak Ave,,Springfield,IL\n";
        let out = read(text).unwrap();
        assert_eq!(out.stats.ignored_columns, vec!["case_ref".to_owned()]);
        assert_eq!(out.keys.len(), 1);
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
        let out = read_keyed_records(
            bytes.as_slice(),
            Path::new("t.csv"),
            RuleSet::default_policy(),
            &|_| {},
        )
        .unwrap();
        assert_eq!((out.stats.rows, out.stats.skipped()), (202, 2));
        assert_eq!(out.stats.wrong_field_count, 1);
        assert_eq!(out.stats.invalid_utf8, 1);
        assert_eq!(out.stats.first_bad_lines, vec![201, 203]);

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
