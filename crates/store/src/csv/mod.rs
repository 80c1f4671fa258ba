//! CSV files: one set of rules for the holder's record file, the requester's request
//! file and the results file, on both sides.
//!
//! | file | module | columns | bad rows |
//! |---|---|---|---|
//! | taxpayer file, synth population | [`records`] | [`RECORD_COLUMNS`](blindlink_core::record::RECORD_COLUMNS) | caller's policy (`irs ingest` skips and counts) |
//! | request (`ice prepare`) | [`request`] | record columns, then `case_ref,final_order_ref` | caller's policy (`ice prepare` refuses) |
//! | results (`ice query`, `synth evaluate`) | [`results`] | `record_id,matched,rule`, optionally `holder_record_ids` | always refused |
//!
//! # The rules
//!
//! **Syntax.** RFC 4180: fields separated by `,`, quoted with `"` when they hold a comma,
//! a quote (doubled) or a line break. Rows end with LF or CRLF (a bare CR also ends a
//! row). A UTF-8 byte order mark at the very start of the file is skipped; anywhere else
//! it is an ordinary character. Blank lines are not rows.
//!
//! **Header.** The first row names the columns. Names are trimmed and compared without
//! regard to ASCII case; columns may come in any order. Every required column must be
//! present ([`CsvError::MissingColumns`]) and no used column may appear twice
//! ([`CsvError::DuplicateColumn`]). Other columns are allowed, ignored and reported
//! (`ignored_columns`), so that a taxpayer extract with extra columns can be read
//! as it is; an ignored column's content is never checked.
//!
//! **Rows.** Every data row must have exactly as many fields as the header; each field of
//! a used column must be valid UTF-8 and at most [`max_field_bytes`] long
//! ([`MAX_RECORD_ID_BYTES`] for `record_id`, [`MAX_FIELD_BYTES`] for every other column,
//! the request bundle's own limits). A row that breaks a rule is bad, for one
//! [`RowProblem`]; the classification is the same for every file and every caller, so
//! the holder and the requester judge the same row alike. Fields are never trimmed,
//! truncated or repaired here: guessing what a malformed row meant could turn it into
//! another person's keys, and a false match is worse than a refused file. (Normalization
//! decides later what spaces and case mean; a file kind may add its own value checks,
//! such as `matched` being `yes` or `no`, reported as [`CsvError::Value`].)
//!
//! **Bad rows.** The caller chooses a [`BadRowPolicy`]: [`BadRowPolicy::Refuse`] (the
//! first bad row refuses the file) or [`BadRowPolicy::Skip`] (bad rows are skipped and
//! counted in [`BadRows`], each handed to the caller with its line as a [`SkippedRow`],
//! the first [`KEPT_BAD_LINES`] lines kept; more than `max_percent` percent of bad rows
//! refuses the file at the end). A file without data rows is refused
//! ([`CsvError::NoRows`]).
//!
//! **Line numbers.** Every error about a place in the file names its line (1-based;
//! [`CsvError::line`]). A row's line is the line its first byte is on, blank lines
//! before it skipped; lines are counted at LF, so a quoted field with line breaks moves
//! the next row's line on, and rows ended by a bare CR share a line. (They are counted
//! here: the `csv` crate's own numbers are one short in CRLF files and after blank
//! lines.)
//!
//! **Writing.** [`TableWriter`] writes the header, quotes only where needed, ends lines
//! with LF and writes no byte order mark; it refuses a row the reader would refuse
//! (field count, length), so every file written here can be read back.

mod error;
mod lines;
pub mod records;
pub mod request;
pub mod results;
mod rules;
mod table;

pub use error::CsvError;
pub use rules::{
    BadRowPolicy, BadRows, KEPT_BAD_LINES, MAX_FIELD_BYTES, MAX_RECORD_ID_BYTES,
    MAX_SCHEMA_COLUMNS, RowProblem, Schema, concat_columns, max_field_bytes,
};
pub use table::{Finished, Row, RowRead, SkippedRow, Table, TableReader, TableWriter, read_table};
