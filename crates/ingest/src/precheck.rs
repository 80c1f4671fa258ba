//! The bad-row pre-check: one pass over the taxpayer CSV under the same rules and
//! [`BAD_ROWS`] policy as [`read_records`](crate::read_records), before any key is
//! evaluated, so a file with more than 1% of bad rows is refused before the OPRF work
//! (which costs far more per row than this parse), with the same
//! [`CsvError::TooManyBadRows`](blindlink_store::csv::CsvError::TooManyBadRows) error.
//!
//! Nothing is kept: one row and the CSV reader's buffer. The keying pass that follows
//! still counts and checks everything itself (the file may change between the passes;
//! the keying pass's counts and hash are the ones recorded).

use std::io::Read;
use std::path::Path;

use blindlink_store::csv::records::RECORD_SCHEMA;
use blindlink_store::csv::{CsvError, TableReader};

use super::input::IngestInput;
use super::read::BAD_ROWS;
use super::{IngestError, InputError};

/// Reads the CSV from `input` (named `path` in messages) and refuses it for the reasons
/// the keying pass would: a bad header, no data rows, too many bad rows, an I/O error.
pub fn check_bad_rows<R: Read>(input: R, path: &Path) -> Result<(), IngestError> {
    let csv_error = |source: CsvError| InputError::Csv {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = TableReader::new(input, RECORD_SCHEMA, BAD_ROWS).map_err(csv_error)?;
    while reader.next_row().map_err(csv_error)?.is_some() {}
    reader.finish().map_err(csv_error)?;
    Ok(())
}

/// [`check_bad_rows`] on the CSV file at `path`, opened for this pass only.
pub fn check_file(path: &Path) -> Result<(), IngestError> {
    let input = IngestInput::open(path)?;
    check_bad_rows(input.reader, path)
}
