//! Reading and writing a table under the [rules](super): a streaming reader that hands
//! out one checked row at a time (memory: one row), a collecting reader on top of it,
//! and a writer that refuses to write what the reader would refuse.

use std::io::{Read, Write};

use ::csv::ByteRecord;

use super::lines::{LineTap, PARSER_BUFFER};
use super::rules::{Fields, Layout, MAX_SCHEMA_COLUMNS, max_field_bytes};
use super::{BadRowPolicy, BadRows, CsvError, RowProblem, Schema};

/// A good data row: its fields by schema column.
#[derive(Debug, Clone, Copy)]
pub struct Row<'r> {
    index: u64,
    line: u64,
    fields: Fields<'r>,
    present: u32,
}

impl<'r> Row<'r> {
    /// 0-based number of the data row, counting bad rows too (the header is not a row).
    pub fn index(&self) -> u64 {
        self.index
    }

    /// The line the row starts on (1-based; the header is line 1 in most files).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The field of schema column `column` (its index in [`Schema::columns`]); empty for
    /// an optional column the file does not have.
    pub fn field(&self, column: usize) -> &'r str {
        self.fields.get(column).copied().unwrap_or("")
    }

    /// Whether the file has schema column `column` (always true for required ones).
    pub fn has_column(&self, column: usize) -> bool {
        column < MAX_SCHEMA_COLUMNS && self.present & (1 << column) != 0
    }
}

/// A bad data row that was skipped under [`BadRowPolicy::Skip`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRow {
    /// 0-based number of the data row.
    pub index: u64,
    /// The line the row starts on.
    pub line: u64,
    /// What is wrong with it.
    pub problem: RowProblem,
}

/// One data row as read: good, or skipped (only under [`BadRowPolicy::Skip`]).
// A good row is the common case and lives on the stack; boxing it would allocate once
// per row of a file with millions of rows.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum RowRead<'r> {
    /// A row that passed every rule.
    Good(Row<'r>),
    /// A bad row, already counted in the reader's [`BadRows`].
    Skipped(SkippedRow),
}

/// What remains when a table has been read to its end.
#[derive(Debug)]
pub struct Finished<R> {
    /// The input, handed back (for example to take a hash computed on the way).
    pub input: R,
    /// Data rows, good and bad.
    pub rows: u64,
    /// The bad rows that were skipped.
    pub bad_rows: BadRows,
    /// Header columns that are not in the schema (ignored), as found.
    pub ignored_columns: Vec<String>,
}

/// Reads a CSV table row by row under a [`Schema`] and a [`BadRowPolicy`].
#[derive(Debug)]
pub struct TableReader<R> {
    csv: ::csv::Reader<LineTap<R>>,
    layout: Layout,
    policy: BadRowPolicy,
    header_line: u64,
    record: ByteRecord,
    rows: u64,
    bad: BadRows,
}

impl<R: Read> TableReader<R> {
    /// Reads and checks the header.
    pub fn new(input: R, schema: Schema, policy: BadRowPolicy) -> Result<Self, CsvError> {
        let mut csv = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(PARSER_BUFFER)
            .from_reader(LineTap::new(input));
        let mut header = ByteRecord::new();
        if !csv
            .read_byte_record(&mut header)
            .map_err(|e| CsvError::from_csv(1, e))?
        {
            return Err(CsvError::NoHeader);
        }
        let header_line = csv.get_ref().line_at(0).unwrap_or(1);
        let layout = Layout::from_header(&header, schema, header_line)?;
        Ok(TableReader {
            csv,
            layout,
            policy,
            header_line,
            record: ByteRecord::new(),
            rows: 0,
            bad: BadRows::default(),
        })
    }

    /// Header columns that are not in the schema (ignored), as found.
    pub fn ignored_columns(&self) -> &[String] {
        &self.layout.ignored
    }

    /// Whether the file has schema column `column` (always true for required ones).
    pub fn has_column(&self, column: usize) -> bool {
        column < MAX_SCHEMA_COLUMNS && self.layout.present() & (1 << column) != 0
    }

    /// The next data row, `None` at the end. A bad row is an error under
    /// [`BadRowPolicy::Refuse`] and a [`RowRead::Skipped`] under [`BadRowPolicy::Skip`].
    pub fn next_row(&mut self) -> Result<Option<RowRead<'_>>, CsvError> {
        let start = self.csv.position().byte();
        let more = self.csv.read_byte_record(&mut self.record).map_err(|e| {
            let line = self.csv.get_ref().current_line();
            CsvError::from_csv(line, e)
        })?;
        if !more {
            return Ok(None);
        }
        let index = self.rows;
        self.rows += 1;
        let tap = self.csv.get_ref();
        let line = tap.line_at(start).unwrap_or_else(|| tap.current_line());
        match self.layout.classify(&self.record) {
            Ok(fields) => Ok(Some(RowRead::Good(Row {
                index,
                line,
                fields,
                present: self.layout.present(),
            }))),
            Err(problem) => match self.policy {
                BadRowPolicy::Refuse => Err(CsvError::BadRow { line, problem }),
                BadRowPolicy::Skip { .. } => {
                    self.bad.count(line, &problem);
                    Ok(Some(RowRead::Skipped(SkippedRow {
                        index,
                        line,
                        problem,
                    })))
                }
            },
        }
    }

    /// Ends the reading: refuses a file without data rows, and one with more bad rows
    /// than the policy tolerates.
    pub fn finish(self) -> Result<Finished<R>, CsvError> {
        if self.rows == 0 {
            return Err(CsvError::NoRows {
                line: self.header_line,
            });
        }
        self.bad.check(self.rows, self.policy)?;
        Ok(Finished {
            input: self.csv.into_inner().into_inner(),
            rows: self.rows,
            bad_rows: self.bad,
            ignored_columns: self.layout.ignored,
        })
    }
}

/// A whole table, read into memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table<T> {
    /// The good rows, in file order.
    pub rows: Vec<T>,
    /// `lines[i]` is the line `rows[i]` starts on.
    pub lines: Vec<u64>,
    /// The bad rows that were skipped.
    pub bad_rows: BadRows,
    /// Header columns that are not in the schema (ignored), as found.
    pub ignored_columns: Vec<String>,
}

/// Reads a whole table; `build` turns each good row into a `T` (and may refuse it with a
/// [`CsvError::Value`]).
pub fn read_table<R: Read, T>(
    input: R,
    schema: Schema,
    policy: BadRowPolicy,
    mut build: impl FnMut(&Row<'_>) -> Result<T, CsvError>,
) -> Result<Table<T>, CsvError> {
    let mut reader = TableReader::new(input, schema, policy)?;
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    while let Some(read) = reader.next_row()? {
        if let RowRead::Good(row) = read {
            rows.push(build(&row)?);
            lines.push(row.line());
        }
    }
    let finished = reader.finish()?;
    Ok(Table {
        rows,
        lines,
        bad_rows: finished.bad_rows,
        ignored_columns: finished.ignored_columns,
    })
}

/// Writes a CSV table: RFC 4180 quoting where needed, `\n` line ends, no byte order
/// mark. Refuses a row with the wrong number of fields or a field over its column's
/// limit, so that every file written can be read back.
#[derive(Debug)]
pub struct TableWriter<W: Write> {
    csv: ::csv::Writer<W>,
    columns: Vec<&'static str>,
    /// The line the next row starts on.
    line: u64,
}

impl<W: Write> TableWriter<W> {
    /// Starts the file with its header row, `columns` in order.
    pub fn new(out: W, columns: &[&'static str]) -> Result<Self, CsvError> {
        if columns.len() > MAX_SCHEMA_COLUMNS {
            return Err(CsvError::SchemaTooWide {
                columns: columns.len(),
            });
        }
        let mut csv = ::csv::Writer::from_writer(out);
        csv.write_record(columns)
            .map_err(|e| CsvError::from_csv(1, e))?;
        Ok(TableWriter {
            csv,
            columns: columns.to_vec(),
            line: 2,
        })
    }

    /// Appends one row, its fields in header order.
    pub fn write_row<'f>(
        &mut self,
        fields: impl IntoIterator<Item = &'f str>,
    ) -> Result<(), CsvError> {
        let mut row = [""; MAX_SCHEMA_COLUMNS];
        let mut found = 0;
        for field in fields {
            if let Some(slot) = row.get_mut(found) {
                *slot = field;
            }
            found += 1;
        }
        let line = self.line;
        if found != self.columns.len() {
            return Err(CsvError::BadRow {
                line,
                problem: RowProblem::FieldCount {
                    expected: self.columns.len(),
                    found,
                },
            });
        }
        let row = row.get(..found).unwrap_or_default();
        for (&column, field) in self.columns.iter().zip(row) {
            let max = max_field_bytes(column);
            if field.len() > max {
                return Err(CsvError::BadRow {
                    line,
                    problem: RowProblem::FieldTooLong {
                        column,
                        len: field.len(),
                        max,
                    },
                });
            }
        }
        self.csv
            .write_record(row)
            .map_err(|e| CsvError::from_csv(line, e))?;
        let newlines: usize = row
            .iter()
            .map(|f| f.bytes().filter(|&b| b == b'\n').count())
            .sum();
        self.line += 1 + newlines as u64;
        Ok(())
    }

    /// Flushes everything and hands back the output.
    pub fn finish(self) -> Result<W, CsvError> {
        let line = self.line;
        self.csv.into_inner().map_err(|e| CsvError::Io {
            line,
            source: e.into_error(),
        })
    }
}
