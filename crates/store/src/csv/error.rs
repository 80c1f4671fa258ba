//! The one error type of every CSV file: each variant about a place in the file names
//! its line.

use thiserror::Error;

use super::RowProblem;

/// A CSV file that could not be read or written.
#[derive(Debug, Error)]
pub enum CsvError {
    /// The input or output failed.
    #[error("line {line}: {source}")]
    Io {
        /// The line being read or written (1-based).
        line: u64,
        /// The failure.
        source: std::io::Error,
    },
    /// The file is empty: no header row.
    #[error("line 1: no header row")]
    NoHeader,
    /// The header lacks required columns.
    #[error(
        "line {line}: the header must be {expected} (in any order; other columns are ignored); \
         missing {}", missing.join(",")
    )]
    MissingColumns {
        /// The header's line.
        line: u64,
        /// The required columns, comma-joined.
        expected: String,
        /// The required columns not found.
        missing: Vec<String>,
    },
    /// A column the file uses appears twice in the header.
    #[error("line {line}: column {column} appears twice in the header")]
    DuplicateColumn {
        /// The header's line.
        line: u64,
        /// The column.
        column: String,
    },
    /// The header is followed by no data row.
    #[error("line {line}: no data rows after the header")]
    NoRows {
        /// The header's line.
        line: u64,
    },
    /// A bad row, under [`BadRowPolicy::Refuse`](super::BadRowPolicy::Refuse).
    #[error("line {line}: {problem}")]
    BadRow {
        /// The line the row starts on.
        line: u64,
        /// What is wrong with it.
        problem: RowProblem,
    },
    /// More bad rows than [`BadRowPolicy::Skip`](super::BadRowPolicy::Skip) tolerates.
    #[error(
        "{bad} of {rows} data rows are malformed (more than {max_percent}%); first at lines {}",
        lines(first_lines)
    )]
    TooManyBadRows {
        /// Bad rows.
        bad: u64,
        /// All data rows.
        rows: u64,
        /// The tolerated share, percent.
        max_percent: u8,
        /// Lines of the first bad rows.
        first_lines: Vec<u64>,
    },
    /// A field holds a value its column does not allow (a file kind's own rule, such as
    /// `matched` being `yes` or `no` in a results file).
    #[error("line {line}: {problem}")]
    Value {
        /// The line the row starts on.
        line: u64,
        /// The column.
        column: &'static str,
        /// What is wrong, naming the column.
        problem: String,
    },
    /// The file is larger than files of its kind can be.
    #[error("the file is {len} bytes, over the limit of {max}")]
    TooLarge {
        /// Its size.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A schema names more columns than [`MAX_SCHEMA_COLUMNS`](super::MAX_SCHEMA_COLUMNS)
    /// (a programming error, never caused by a file).
    #[error("a CSV schema has {columns} columns, more than the supported maximum")]
    SchemaTooWide {
        /// Columns in the schema.
        columns: usize,
    },
}

fn lines(lines: &[u64]) -> String {
    let shown: Vec<String> = lines.iter().map(u64::to_string).collect();
    shown.join(", ")
}

impl CsvError {
    /// The line the error is about, if it is about one.
    pub fn line(&self) -> Option<u64> {
        match self {
            CsvError::Io { line, .. }
            | CsvError::MissingColumns { line, .. }
            | CsvError::DuplicateColumn { line, .. }
            | CsvError::NoRows { line }
            | CsvError::BadRow { line, .. }
            | CsvError::Value { line, .. } => Some(*line),
            CsvError::NoHeader => Some(1),
            CsvError::TooManyBadRows { first_lines, .. } => first_lines.first().copied(),
            CsvError::TooLarge { .. } | CsvError::SchemaTooWide { .. } => None,
        }
    }

    /// A [`CsvError::Io`] from the CSV layer's error, at `line`.
    pub(crate) fn from_csv(line: u64, error: ::csv::Error) -> CsvError {
        let message = error.to_string();
        let source = match error.into_kind() {
            ::csv::ErrorKind::Io(e) => e,
            _ => std::io::Error::other(message),
        };
        CsvError::Io { line, source }
    }
}
