//! What the pipeline reads: a taxpayer CSV, from any reader ([`IngestInput`]) or from a
//! file by its path ([`IngestInput::open`], what `irs ingest` does), and why it cannot be
//! used ([`InputError`]: the operator's input, exit code 2 in `irs`).

use std::fs::File;
use std::path::{Path, PathBuf};

use thiserror::Error;

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
    /// Reading the input failed part way (an I/O error, not a malformed row).
    #[error("cannot read input {} near line {line}: {message}", path.display())]
    Read {
        /// The input file.
        path: PathBuf,
        /// Line being read.
        line: u64,
        /// What the CSV reader said.
        message: String,
    },
    /// The file has no header line.
    #[error("input {} is empty: a header line with the columns {} is required", path.display(), columns())]
    NoHeader {
        /// The input file.
        path: PathBuf,
    },
    /// Required columns are missing from the header.
    #[error("input {} header lacks column(s) {} (required: {})", path.display(), missing.join(", "), columns())]
    MissingColumns {
        /// The input file.
        path: PathBuf,
        /// The required columns not found.
        missing: Vec<String>,
    },
    /// A required column appears twice in the header.
    #[error("input {} header has column {column:?} twice", path.display())]
    DuplicateColumn {
        /// The input file.
        path: PathBuf,
        /// The repeated column.
        column: String,
    },
    /// More than 1% of the data rows are malformed.
    #[error(
        "input {}: {bad} of {rows} data rows are malformed (more than 1%), first at line(s) {}",
        path.display(),
        lines_list(first_lines)
    )]
    TooManyBadRows {
        /// The input file.
        path: PathBuf,
        /// Malformed rows.
        bad: u64,
        /// All data rows.
        rows: u64,
        /// Line numbers of the first malformed rows.
        first_lines: Vec<u64>,
    },
    /// The header is there but no data row follows.
    #[error("input {} has a header but no data rows", path.display())]
    NoRows {
        /// The input file.
        path: PathBuf,
    },
}

fn columns() -> String {
    blindlink_core::record::RECORD_COLUMNS.join(",")
}

fn lines_list(lines: &[u64]) -> String {
    let list: Vec<String> = lines.iter().map(u64::to_string).collect();
    list.join(", ")
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
}
