//! The rules themselves: which header is accepted, how long a field may be, what makes a
//! row bad, and what happens to a bad row. The module documentation of [`super`] states
//! them in prose; this file is where they are decided.

use ::csv::ByteRecord;
use thiserror::Error;

use super::CsvError;

/// Longest field, in bytes, in every column of every blindlink CSV file except
/// `record_id` (the request bundle stores fields up to this length, so a row the CSV
/// rules accept is never refused for length later).
pub use blindlink_protocol::bundle::MAX_FIELD_BYTES;
/// Longest `record_id`, in bytes (the bundle's limit; record ids are shown to approvers).
pub use blindlink_protocol::bundle::MAX_RECORD_ID_BYTES;

/// Most columns a [`Schema`] may name, required and optional together.
pub const MAX_SCHEMA_COLUMNS: usize = 16;

/// How many line numbers of skipped rows [`BadRows`] keeps.
pub const KEPT_BAD_LINES: usize = 10;

/// The longest field, in bytes, allowed in `column`: [`MAX_RECORD_ID_BYTES`] for
/// `record_id`, [`MAX_FIELD_BYTES`] for every other column.
pub fn max_field_bytes(column: &str) -> usize {
    if column == "record_id" {
        MAX_RECORD_ID_BYTES
    } else {
        MAX_FIELD_BYTES
    }
}

/// The columns one kind of file has: the header must name every `required` column and
/// may name each `optional` one, once each, in any order; other columns are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schema {
    /// Columns every file of this kind has, in the order writers put them.
    pub required: &'static [&'static str],
    /// Columns a file of this kind may have, after the required ones when written.
    pub optional: &'static [&'static str],
}

impl Schema {
    /// Every column the schema names, required then optional; a column's index here is
    /// the index [`Row::field`](super::Row::field) takes.
    pub fn columns(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.required.iter().chain(self.optional).copied()
    }
}

/// Why a data row is bad. The same classification applies to every file and every
/// caller: the holder's ingest and the requester's `ice prepare` judge a row alike.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RowProblem {
    /// The row has a different number of fields than the header (an unquoted comma in
    /// a name, a missing trailing field, a row cut short).
    #[error("expected {expected} fields (as many as the header), found {found}")]
    FieldCount {
        /// Fields in the header.
        expected: usize,
        /// Fields in the row.
        found: usize,
    },
    /// A field of a used column is not valid UTF-8.
    #[error("column {column} is not valid UTF-8")]
    InvalidUtf8 {
        /// The column.
        column: &'static str,
    },
    /// A field of a used column is longer than [`max_field_bytes`] allows.
    #[error("column {column} is {len} bytes, over the limit of {max}")]
    FieldTooLong {
        /// The column.
        column: &'static str,
        /// The field's length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
}

/// What a reader does with a bad row. Every caller chooses one explicitly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadRowPolicy {
    /// The first bad row refuses the whole file ([`CsvError::BadRow`], with its line).
    Refuse,
    /// Bad rows are skipped and counted, and the line numbers of the first
    /// [`KEPT_BAD_LINES`] are kept ([`BadRows`]); at the end, the file is refused
    /// ([`CsvError::TooManyBadRows`]) if more than `max_percent` percent of its data rows
    /// were bad.
    Skip {
        /// Largest tolerated share of bad rows, in percent of all data rows.
        max_percent: u8,
    },
}

/// The bad rows a reader skipped under [`BadRowPolicy::Skip`], by problem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BadRows {
    /// Rows with the wrong number of fields.
    pub field_count: u64,
    /// Rows with a used field that is not valid UTF-8.
    pub invalid_utf8: u64,
    /// Rows with a used field over its length limit.
    pub too_long: u64,
    /// Line numbers of the first [`KEPT_BAD_LINES`] bad rows, in file order.
    pub first_lines: Vec<u64>,
}

impl BadRows {
    /// All skipped rows.
    pub fn total(&self) -> u64 {
        self.field_count + self.invalid_utf8 + self.too_long
    }

    /// Counts one bad row starting on `line`.
    pub fn count(&mut self, line: u64, problem: &RowProblem) {
        match problem {
            RowProblem::FieldCount { .. } => self.field_count += 1,
            RowProblem::InvalidUtf8 { .. } => self.invalid_utf8 += 1,
            RowProblem::FieldTooLong { .. } => self.too_long += 1,
        }
        if self.first_lines.len() < KEPT_BAD_LINES {
            self.first_lines.push(line);
        }
    }

    /// Whether `self` bad rows out of `rows` exceed what `policy` tolerates.
    pub(crate) fn check(&self, rows: u64, policy: BadRowPolicy) -> Result<(), CsvError> {
        let max_percent = match policy {
            BadRowPolicy::Refuse => 0,
            BadRowPolicy::Skip { max_percent } => max_percent,
        };
        let bad = self.total();
        if bad > 0 && u128::from(bad) * 100 > u128::from(rows) * u128::from(max_percent) {
            return Err(CsvError::TooManyBadRows {
                bad,
                rows,
                max_percent,
                first_lines: self.first_lines.clone(),
            });
        }
        Ok(())
    }
}

/// Where the schema's columns are in a file, from its header.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// `positions[c]`: the header index of schema column `c`, if present.
    positions: [Option<usize>; MAX_SCHEMA_COLUMNS],
    /// `names[c]`: the name of schema column `c`.
    names: [&'static str; MAX_SCHEMA_COLUMNS],
    /// Number of schema columns.
    used: usize,
    /// Number of fields in the header; every row must have as many.
    width: usize,
    /// Bit `c` set when schema column `c` is in the file.
    present: u32,
    /// Header names that are not schema columns, as found (at most 64 characters each).
    pub(crate) ignored: Vec<String>,
}

/// The fields of a good row, by schema column (empty for an absent optional column).
pub(crate) type Fields<'r> = [&'r str; MAX_SCHEMA_COLUMNS];

impl Layout {
    /// Maps `header` (the file's first row, on `line`) onto `schema`.
    pub(crate) fn from_header(
        header: &ByteRecord,
        schema: Schema,
        line: u64,
    ) -> Result<Layout, CsvError> {
        if header.is_empty() || (header.len() == 1 && header.get(0).is_some_and(<[u8]>::is_empty)) {
            return Err(CsvError::NoHeader);
        }
        let mut names = [""; MAX_SCHEMA_COLUMNS];
        let mut used = 0;
        for (slot, name) in names.iter_mut().zip(schema.columns()) {
            *slot = name;
            used += 1;
        }
        if schema.columns().count() != used {
            return Err(CsvError::SchemaTooWide {
                columns: schema.columns().count(),
            });
        }
        let mut positions = [None; MAX_SCHEMA_COLUMNS];
        let mut ignored = Vec::new();
        for (index, raw) in header.iter().enumerate() {
            let text = String::from_utf8_lossy(raw);
            let name = text.trim();
            let known = names
                .iter()
                .take(used)
                .position(|c| c.eq_ignore_ascii_case(name));
            match known.and_then(|c| positions.get_mut(c).map(|slot| (c, slot))) {
                Some((c, slot)) => {
                    if slot.replace(index).is_some() {
                        return Err(CsvError::DuplicateColumn {
                            line,
                            column: names.get(c).copied().unwrap_or_default().to_owned(),
                        });
                    }
                }
                None => ignored.push(name.chars().take(64).collect()),
            }
        }
        let missing: Vec<String> = schema
            .required
            .iter()
            .zip(&positions)
            .filter(|(_, p)| p.is_none())
            .map(|(c, _)| (*c).to_owned())
            .collect();
        if !missing.is_empty() {
            return Err(CsvError::MissingColumns {
                line,
                expected: schema.required.join(","),
                missing,
            });
        }
        let present = positions
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_some())
            .fold(0, |mask, (c, _)| mask | (1 << c));
        Ok(Layout {
            positions,
            names,
            used,
            width: header.len(),
            present,
            ignored,
        })
    }

    /// Bit `c` set when schema column `c` is in the file (always for required ones).
    pub(crate) fn present(&self) -> u32 {
        self.present
    }

    /// Checks a data row and returns its fields by schema column, or the first problem:
    /// the field count, then each used column in schema order (length, then UTF-8).
    pub(crate) fn classify<'r>(&self, row: &'r ByteRecord) -> Result<Fields<'r>, RowProblem> {
        if row.len() != self.width {
            return Err(RowProblem::FieldCount {
                expected: self.width,
                found: row.len(),
            });
        }
        let mut fields: Fields<'r> = [""; MAX_SCHEMA_COLUMNS];
        for ((slot, position), &column) in fields
            .iter_mut()
            .zip(&self.positions)
            .zip(&self.names)
            .take(self.used)
        {
            let Some(index) = *position else { continue };
            let raw = row.get(index).ok_or(RowProblem::FieldCount {
                expected: self.width,
                found: row.len(),
            })?;
            let max = max_field_bytes(column);
            if raw.len() > max {
                return Err(RowProblem::FieldTooLong {
                    column,
                    len: raw.len(),
                    max,
                });
            }
            *slot = std::str::from_utf8(raw).map_err(|_| RowProblem::InvalidUtf8 { column })?;
        }
        Ok(fields)
    }
}

/// Concatenates two column lists at compile time (`C` must be `A + B`; anything else
/// fails to compile).
pub const fn concat_columns<const A: usize, const B: usize, const C: usize>(
    a: [&'static str; A],
    b: [&'static str; B],
) -> [&'static str; C] {
    assert!(A + B == C, "concat_columns: C must be A + B");
    let mut out = [""; C];
    let mut i = 0;
    while i < A {
        out[i] = a[i];
        i += 1;
    }
    while i < C {
        out[i] = b[i - A];
        i += 1;
    }
    out
}
