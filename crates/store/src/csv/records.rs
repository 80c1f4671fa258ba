//! Record files: the holder's taxpayer file and synth's population, one person at one
//! address per row, in the ten [`RECORD_COLUMNS`].
//!
//! ```text
//! record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob
//! TP-0000001,MARIA GUADALUPE,GARCIA LOPEZ,,100 N MAIN ST APT 4B,,BOSTON,MA,02134,1980-02-29
//! ```
//!
//! Large files are read with a [`TableReader`](super::TableReader) under
//! [`RECORD_SCHEMA`] and turned into records with [`record_of`]; [`read_records`] reads
//! a whole file into memory.

use std::io::{Read, Write};

use blindlink_core::record::{RECORD_COLUMNS, Record};

use super::{BadRowPolicy, CsvError, Row, Schema, Table, TableWriter, read_table};

/// The columns of a record file: the ten [`RECORD_COLUMNS`], nothing optional.
pub const RECORD_SCHEMA: Schema = Schema {
    required: &RECORD_COLUMNS,
    optional: &[],
};

/// The record in a row read under [`RECORD_SCHEMA`] (or a schema starting with the
/// record columns, like the request's).
pub fn record_of(row: &Row<'_>) -> Record {
    Record::from_fields(std::array::from_fn(|column| row.field(column)))
}

/// Reads a whole record file under `policy`.
pub fn read_records<R: Read>(input: R, policy: BadRowPolicy) -> Result<Table<Record>, CsvError> {
    read_table(input, RECORD_SCHEMA, policy, |row| Ok(record_of(row)))
}

/// Writes a record file, in pieces if need be.
#[derive(Debug)]
pub struct RecordWriter<W: Write> {
    table: TableWriter<W>,
}

impl<W: Write> RecordWriter<W> {
    /// Starts the file with its header row.
    pub fn new(out: W) -> Result<Self, CsvError> {
        Ok(RecordWriter {
            table: TableWriter::new(out, &RECORD_COLUMNS)?,
        })
    }

    /// Appends records.
    pub fn write<'r>(
        &mut self,
        records: impl IntoIterator<Item = &'r Record>,
    ) -> Result<(), CsvError> {
        for record in records {
            self.table.write_row(record.to_fields())?;
        }
        Ok(())
    }

    /// Flushes everything and hands back the output.
    pub fn finish(self) -> Result<W, CsvError> {
        self.table.finish()
    }
}
