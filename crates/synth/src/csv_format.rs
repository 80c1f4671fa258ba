//! CSV files: the population, the request, and the ground truth.
//!
//! Writers take any [`std::io::Write`] and readers any [`std::io::Read`], so callers can
//! work in memory or on files. Every file follows the rules of
//! [`blindlink_store::csv`], the same rules `irs ingest` and `ice prepare` read by
//! (columns by name, bad rows refused here, line numbers in every error); the population
//! and request files are read and written by its [`records`](blindlink_store::csv::records)
//! and [`request`](blindlink_store::csv::request) modules.
//!
//! | file | columns |
//! |---|---|
//! | population | [`RECORD_COLUMNS`] |
//! | request | [`RECORD_COLUMNS`] then [`REQUEST_EXTRA_COLUMNS`] |
//! | truth | [`TRUTH_COLUMNS`]: `present` is `true`/`false`; `address_current` is `true`/`false`, empty for absent people; `corruptions` is a `;`-joined list of [`Corruption`] names |
//!
//! [`RECORD_COLUMNS`]: crate::RECORD_COLUMNS
//! [`REQUEST_EXTRA_COLUMNS`]: crate::REQUEST_EXTRA_COLUMNS

use std::io::{Read, Write};

pub use blindlink_store::csv::CsvError;
use blindlink_store::csv::records::{RecordWriter, read_records};
use blindlink_store::csv::{BadRowPolicy, Schema, TableWriter, read_table};

use crate::corruption::Corruption;
use crate::record::{RequestRecord, SynthRecord};
use crate::request::TruthRow;

/// Columns of the ground-truth file.
pub const TRUTH_COLUMNS: [&str; 5] = [
    "request_record_id",
    "holder_record_id",
    "present",
    "address_current",
    "corruptions",
];

const TRUTH_SCHEMA: Schema = Schema {
    required: &TRUTH_COLUMNS,
    optional: &[],
};

/// Writes a population file.
pub fn write_population<W: Write>(out: W, records: &[SynthRecord]) -> Result<(), CsvError> {
    let mut w = PopulationWriter::new(out)?;
    w.write(records)?;
    w.finish()
}

/// Writes a population file in pieces (for populations too large to hold in memory,
/// with [`crate::population_in_batches`]).
#[derive(Debug)]
pub struct PopulationWriter<W: Write> {
    records: RecordWriter<W>,
}

impl<W: Write> PopulationWriter<W> {
    /// Starts the file with its header row.
    pub fn new(out: W) -> Result<PopulationWriter<W>, CsvError> {
        Ok(PopulationWriter {
            records: RecordWriter::new(out)?,
        })
    }

    /// Appends records.
    pub fn write(&mut self, records: &[SynthRecord]) -> Result<(), CsvError> {
        self.records.write(records)
    }

    /// Flushes everything to the underlying writer.
    pub fn finish(self) -> Result<(), CsvError> {
        self.records.finish().map(drop)
    }
}

/// Writes a request file.
pub fn write_request<W: Write>(out: W, records: &[RequestRecord]) -> Result<(), CsvError> {
    blindlink_store::csv::request::write_request(out, records).map(drop)
}

/// Writes a ground-truth file.
pub fn write_truth<W: Write>(out: W, rows: &[TruthRow]) -> Result<(), CsvError> {
    let mut w = TableWriter::new(out, &TRUTH_COLUMNS)?;
    for t in rows {
        let corruptions: Vec<&str> = t.corruptions.iter().map(|c| c.name()).collect();
        w.write_row([
            t.request_record_id.as_str(),
            t.holder_record_id.as_deref().unwrap_or(""),
            bool_text(t.present),
            t.address_current.map_or("", bool_text),
            &corruptions.join(";"),
        ])?;
    }
    w.finish().map(drop)
}

fn bool_text(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// Reads a population file (a bad row refuses it).
pub fn read_population<R: Read>(input: R) -> Result<Vec<SynthRecord>, CsvError> {
    Ok(read_records(input, BadRowPolicy::Refuse)?.rows)
}

/// Reads a request file (a bad row refuses it).
pub fn read_request<R: Read>(input: R) -> Result<Vec<RequestRecord>, CsvError> {
    Ok(blindlink_store::csv::request::read_request(input, BadRowPolicy::Refuse)?.rows)
}

/// Reads a ground-truth file (a bad row refuses it).
pub fn read_truth<R: Read>(input: R) -> Result<Vec<TruthRow>, CsvError> {
    let table = read_table(input, TRUTH_SCHEMA, BadRowPolicy::Refuse, |row| {
        let line = row.line();
        let parse_bool = |column: &'static str, text: &str| match text {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(CsvError::Value {
                line,
                column,
                problem: format!("column {column}: expected true or false, found {other:?}"),
            }),
        };
        let holder = row.field(1);
        let address_current = match row.field(3) {
            "" => None,
            text => Some(parse_bool("address_current", text)?),
        };
        let corruptions = row
            .field(4)
            .split(';')
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<Corruption>().map_err(|e| CsvError::Value {
                    line,
                    column: "corruptions",
                    problem: format!("column corruptions: {e}"),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TruthRow {
            request_record_id: row.field(0).to_owned(),
            holder_record_id: (!holder.is_empty()).then(|| holder.to_owned()),
            present: parse_bool("present", row.field(2))?,
            address_current,
            corruptions,
        })
    })?;
    Ok(table.rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_header_is_refused() {
        let err = read_population("a,b\n1,2\n".as_bytes()).unwrap_err();
        assert!(matches!(err, CsvError::MissingColumns { .. }), "{err}");
    }

    #[test]
    fn bad_truth_fields_name_line_and_column() {
        let text = "request_record_id,holder_record_id,present,address_current,corruptions\n\
                    RQ-1,,maybe,,\n";
        let err = read_truth(text.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("line 2: column present"), "{err}");
        let text = "request_record_id,holder_record_id,present,address_current,corruptions\n\
                    RQ-1,TP-1,true,true,typo;sneezed\n";
        let err = read_truth(text.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("sneezed"), "{err}");
    }

    #[test]
    fn short_rows_are_refused() {
        let text = format!("{}\nTP-1,A,B\n", crate::RECORD_COLUMNS.join(","));
        assert!(read_population(text.as_bytes()).is_err());
    }
}
