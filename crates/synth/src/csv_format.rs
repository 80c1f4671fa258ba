//! CSV files: the population, the request, and the ground truth.
//!
//! Writers take any [`std::io::Write`] and readers any [`std::io::Read`], so callers can
//! work in memory or on files. Headers are checked exactly on reading.
//!
//! | file | columns |
//! |---|---|
//! | population | [`RECORD_COLUMNS`] |
//! | request | [`RECORD_COLUMNS`] then [`REQUEST_EXTRA_COLUMNS`] |
//! | truth | [`TRUTH_COLUMNS`]: `present` is `true`/`false`; `address_current` is `true`/`false`, empty for absent people; `corruptions` is a `;`-joined list of [`Corruption`] names |

use std::io::{Read, Write};

use crate::corruption::Corruption;
use crate::record::{RECORD_COLUMNS, REQUEST_EXTRA_COLUMNS, RequestRecord, SynthRecord};
use crate::request::TruthRow;

/// Columns of the ground-truth file.
pub const TRUTH_COLUMNS: [&str; 5] = [
    "request_record_id",
    "holder_record_id",
    "present",
    "address_current",
    "corruptions",
];

/// A CSV file that could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    /// The underlying reader, writer or CSV syntax failed.
    #[error(transparent)]
    Csv(#[from] csv::Error),
    /// The header row is not the expected one.
    #[error("unexpected header: expected {expected:?}, found {found:?}")]
    Header {
        /// The expected header, comma-joined.
        expected: String,
        /// The header found, comma-joined.
        found: String,
    },
    /// A field holds a value its column does not allow.
    #[error("line {line}: column {column}: {reason}")]
    Field {
        /// 1-based line number in the file.
        line: u64,
        /// Column name.
        column: &'static str,
        /// What is wrong.
        reason: String,
    },
}

fn request_columns() -> Vec<&'static str> {
    RECORD_COLUMNS
        .iter()
        .chain(&REQUEST_EXTRA_COLUMNS)
        .copied()
        .collect()
}

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
    csv: csv::Writer<W>,
}

impl<W: Write> PopulationWriter<W> {
    /// Starts the file with its header row.
    pub fn new(out: W) -> Result<PopulationWriter<W>, CsvError> {
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(RECORD_COLUMNS)?;
        Ok(PopulationWriter { csv })
    }

    /// Appends records.
    pub fn write(&mut self, records: &[SynthRecord]) -> Result<(), CsvError> {
        for r in records {
            self.csv.write_record(r.to_fields())?;
        }
        Ok(())
    }

    /// Flushes everything to the underlying writer.
    pub fn finish(mut self) -> Result<(), CsvError> {
        self.csv.flush().map_err(csv::Error::from)?;
        Ok(())
    }
}

/// Writes a request file.
pub fn write_request<W: Write>(out: W, records: &[RequestRecord]) -> Result<(), CsvError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(request_columns())?;
    for r in records {
        let fields = r.record.to_fields();
        w.write_record(
            fields
                .iter()
                .copied()
                .chain([r.case_ref.as_str(), r.final_order_ref.as_str()]),
        )?;
    }
    w.flush().map_err(csv::Error::from)?;
    Ok(())
}

/// Writes a ground-truth file.
pub fn write_truth<W: Write>(out: W, rows: &[TruthRow]) -> Result<(), CsvError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(TRUTH_COLUMNS)?;
    for t in rows {
        let corruptions: Vec<&str> = t.corruptions.iter().map(|c| c.name()).collect();
        w.write_record([
            t.request_record_id.as_str(),
            t.holder_record_id.as_deref().unwrap_or(""),
            bool_text(t.present),
            t.address_current.map_or("", bool_text),
            &corruptions.join(";"),
        ])?;
    }
    w.flush().map_err(csv::Error::from)?;
    Ok(())
}

fn bool_text(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// Reads every row after checking the header; `parse` gets each row's fields and line.
fn read_rows<R: Read, T>(
    input: R,
    expected: &[&str],
    mut parse: impl FnMut(&csv::StringRecord, u64) -> Result<T, CsvError>,
) -> Result<Vec<T>, CsvError> {
    let mut reader = csv::Reader::from_reader(input);
    let header = reader.headers()?.clone();
    if !header.iter().eq(expected.iter().copied()) {
        return Err(CsvError::Header {
            expected: expected.join(","),
            found: header.iter().collect::<Vec<_>>().join(","),
        });
    }
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row?;
        let line = row.position().map_or(0, |p| p.line());
        out.push(parse(&row, line)?);
    }
    Ok(out)
}

fn record_from(row: &csv::StringRecord) -> SynthRecord {
    let field = |i: usize| row.get(i).unwrap_or("");
    SynthRecord::from_fields(std::array::from_fn(field))
}

/// Reads a population file.
pub fn read_population<R: Read>(input: R) -> Result<Vec<SynthRecord>, CsvError> {
    read_rows(input, &RECORD_COLUMNS, |row, _| Ok(record_from(row)))
}

/// Reads a request file.
pub fn read_request<R: Read>(input: R) -> Result<Vec<RequestRecord>, CsvError> {
    read_rows(input, &request_columns(), |row, _| {
        Ok(RequestRecord {
            record: record_from(row),
            case_ref: row.get(10).unwrap_or("").to_owned(),
            final_order_ref: row.get(11).unwrap_or("").to_owned(),
        })
    })
}

/// Reads a ground-truth file.
pub fn read_truth<R: Read>(input: R) -> Result<Vec<TruthRow>, CsvError> {
    read_rows(input, &TRUTH_COLUMNS, |row, line| {
        let field = |i: usize| row.get(i).unwrap_or("");
        let parse_bool = |column: &'static str, text: &str| match text {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(CsvError::Field {
                line,
                column,
                reason: format!("expected true or false, found {other:?}"),
            }),
        };
        let holder = field(1);
        let address_current = match field(3) {
            "" => None,
            text => Some(parse_bool("address_current", text)?),
        };
        let corruptions = field(4)
            .split(';')
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<Corruption>().map_err(|e| CsvError::Field {
                    line,
                    column: "corruptions",
                    reason: e.to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TruthRow {
            request_record_id: field(0).to_owned(),
            holder_record_id: (!holder.is_empty()).then(|| holder.to_owned()),
            present: parse_bool("present", field(2))?,
            address_current,
            corruptions,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_header_is_refused() {
        let err = read_population("a,b\n1,2\n".as_bytes()).unwrap_err();
        assert!(matches!(err, CsvError::Header { .. }), "{err}");
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
        let text = format!("{}\nTP-1,A,B\n", RECORD_COLUMNS.join(","));
        assert!(read_population(text.as_bytes()).is_err());
    }
}
