//! The request file: a CSV with the ten record columns, then `case_ref` and
//! `final_order_ref`.
//!
//! ```text
//! record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob,case_ref,final_order_ref
//! A-0001,Maria Guadalupe,Garcia Lopez,,100 N Main St Apt 4B,,Boston,MA,02134,1980-02-29,CASE-0001,FO-000001
//! ```
//!
//! The [rules](super) of every blindlink CSV apply: the header names these twelve
//! columns (any order, other columns ignored), every row has as many fields as the
//! header, fields are UTF-8 and within their length limits. Fields may be empty here;
//! missing references and record ids are refused when the request is prepared
//! (`RequestBundle::prepare`), with the row's line.

use std::io::{Read, Write};

use blindlink_core::record::RECORD_COLUMNS;
pub use blindlink_protocol::bundle::RequestRow;

use super::records::record_of;
use super::{BadRowPolicy, BadRows, CsvError, Schema, TableWriter, concat_columns, read_table};

/// The two reference columns after the record columns.
pub const REFERENCE_COLUMNS: [&str; 2] = ["case_ref", "final_order_ref"];

/// Every column of a request file, in the order writers put them.
pub const REQUEST_COLUMNS: [&str; 12] = concat_columns(RECORD_COLUMNS, REFERENCE_COLUMNS);

/// The columns of a request file.
pub const REQUEST_SCHEMA: Schema = Schema {
    required: &REQUEST_COLUMNS,
    optional: &[],
};

/// Rows of a request file, with the file line each row starts on.
#[derive(Debug)]
pub struct RequestFile {
    /// The rows, in file order.
    pub rows: Vec<RequestRow>,
    /// `lines[i]` is the 1-based line of `rows[i]`.
    pub lines: Vec<u64>,
    /// Rows skipped as bad (none under [`BadRowPolicy::Refuse`]).
    pub bad_rows: BadRows,
    /// Header columns that are not request columns (ignored), as found.
    pub ignored_columns: Vec<String>,
}

/// Reads a request CSV under `policy` (`ice prepare` refuses bad rows).
pub fn read_request<R: Read>(input: R, policy: BadRowPolicy) -> Result<RequestFile, CsvError> {
    let table = read_table(input, REQUEST_SCHEMA, policy, |row| {
        Ok(RequestRow {
            record: record_of(row),
            case_ref: row.field(10).to_owned(),
            final_order_ref: row.field(11).to_owned(),
        })
    })?;
    Ok(RequestFile {
        rows: table.rows,
        lines: table.lines,
        bad_rows: table.bad_rows,
        ignored_columns: table.ignored_columns,
    })
}

/// Writes a request file ([`REQUEST_COLUMNS`] in order) and hands back the output.
pub fn write_request<W: Write>(out: W, rows: &[RequestRow]) -> Result<W, CsvError> {
    let mut table = TableWriter::new(out, &REQUEST_COLUMNS)?;
    for row in rows {
        table.write_row(
            row.record
                .to_fields()
                .into_iter()
                .chain([row.case_ref.as_str(), row.final_order_ref.as_str()]),
        )?;
    }
    table.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv::{MAX_FIELD_BYTES, RowProblem};
    use proptest::prelude::*;

    const HEADER: &str = "record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob,case_ref,final_order_ref\n";

    fn parse(bytes: &[u8]) -> Result<RequestFile, CsvError> {
        read_request(bytes, BadRowPolicy::Refuse)
    }

    #[test]
    fn columns_are_the_record_columns_then_the_references() {
        let expected: Vec<&str> = RECORD_COLUMNS
            .iter()
            .chain(&REFERENCE_COLUMNS)
            .copied()
            .collect();
        assert_eq!(REQUEST_COLUMNS.to_vec(), expected);
        assert_eq!(HEADER.trim_end(), REQUEST_COLUMNS.join(","));
    }

    #[test]
    fn reads_rows_and_lines() {
        let text = format!(
            "{HEADER}A-1,Ana,Silva,,5 Oak Rd,,Boston,MA,02134,,C-1,F-1\n\"A,2\",\"Wei\nJun\",Chen,,7 Elm St,,NYC,NY,10001,1990-01-02,C-2,F-2\n"
        );
        let file = parse(text.as_bytes()).unwrap();
        assert_eq!(file.rows.len(), 2);
        assert_eq!(file.rows[1].record.id, "A,2");
        assert_eq!(file.rows[1].record.dob.as_deref(), Some("1990-01-02"));
        assert_eq!(file.rows[1].final_order_ref, "F-2");
        assert_eq!(file.lines, [2, 3]);
    }

    #[test]
    fn refuses_wrong_headers_and_short_rows() {
        let wrong = HEADER.replace("case_ref,", "");
        assert!(parse(wrong.as_bytes()).is_err());
        let short = format!("{HEADER}A-1,Ana,Silva,,5 Oak Rd,,Boston,MA,02134,,C-1\n");
        assert!(parse(short.as_bytes()).is_err());
        assert!(parse(HEADER.as_bytes()).is_err());
    }

    #[test]
    fn errors_name_the_line_and_the_problem() {
        let wrong = HEADER.replace("case_ref,", "");
        let err = parse(wrong.as_bytes()).unwrap_err();
        assert!(
            matches!(&err, CsvError::MissingColumns { line: 1, missing, .. } if missing == &["case_ref"]),
            "{err}"
        );
        assert!(
            err.to_string()
                .starts_with("line 1: the header must be record_id,"),
            "{err}"
        );

        let short = format!(
            "{HEADER}A-1,Ana,Silva,,5 Oak Rd,,Boston,MA,02134,,C-1,F-1\nA-2,Ana,Silva,,5 Oak Rd,,Boston,MA,02134,,C-1\n"
        );
        let err = parse(short.as_bytes()).unwrap_err();
        assert!(matches!(
            err,
            CsvError::BadRow {
                line: 3,
                problem: RowProblem::FieldCount {
                    expected: 12,
                    found: 11
                }
            }
        ));
        assert_eq!(
            err.to_string(),
            "line 3: expected 12 fields (as many as the header), found 11"
        );

        let long = "x".repeat(MAX_FIELD_BYTES + 1);
        let text = format!("{HEADER}A-1,Ana,Silva,,{long},,Boston,MA,02134,,C-1,F-1\n");
        let err = parse(text.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "line 2: column street is {} bytes, over the limit of 1024",
                MAX_FIELD_BYTES + 1
            )
        );
        assert_eq!(err.line(), Some(2));

        let twice = HEADER.replace("unit", "ZIP");
        assert!(matches!(
            parse(twice.as_bytes()),
            Err(CsvError::DuplicateColumn { line: 1, column }) if column == "zip"
        ));
        assert!(matches!(
            parse(HEADER.as_bytes()),
            Err(CsvError::NoRows { line: 1 })
        ));
        assert!(matches!(parse(b""), Err(CsvError::NoHeader)));
    }

    #[test]
    fn same_header_rules_as_the_record_file() {
        // Any order, any ASCII case, trimmed names, a byte order mark, extra columns.
        let text = "\u{feff}Final_Order_Ref, case_ref ,note,record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob\r\n\
                    F-1,C-1,anything,A-1,Ana,Silva,,5 Oak Rd,,Boston,MA,02134,\r\n";
        let file = parse(text.as_bytes()).unwrap();
        assert_eq!(file.ignored_columns, ["note"]);
        assert_eq!(file.rows[0].record.id, "A-1");
        assert_eq!(file.rows[0].record.zip, "02134");
        assert_eq!(file.rows[0].case_ref, "C-1");
        assert_eq!(file.rows[0].final_order_ref, "F-1");
        assert_eq!(file.lines, [2]);
    }

    #[test]
    fn skip_policy_counts_bad_rows_with_their_lines() {
        let mut text = HEADER.to_owned();
        for i in 0..200 {
            text.push_str(&format!(
                "A-{i},Ana,Silva,,5 Oak Rd,,Boston,MA,02134,,C-1,F-1\n"
            ));
        }
        text.push_str("A-x,too,few\n");
        let file = read_request(text.as_bytes(), BadRowPolicy::Skip { max_percent: 1 }).unwrap();
        assert_eq!(file.rows.len(), 200);
        assert_eq!((file.bad_rows.total(), file.bad_rows.field_count), (1, 1));
        assert_eq!(file.bad_rows.first_lines, [202]);
        let err = parse(text.as_bytes()).unwrap_err();
        assert_eq!(err.line(), Some(202));
    }

    #[test]
    fn writes_what_it_reads() {
        let text = format!(
            "{HEADER}A-1,Ana,Silva,,5 Oak Rd,,Boston,MA,02134,,C-1,F-1\n\"A,2\",\"Wei\nJun\",Chen,,7 Elm St,,NYC,NY,10001,1990-01-02,C-2,F-2\n"
        );
        let file = parse(text.as_bytes()).unwrap();
        let written = write_request(Vec::new(), &file.rows).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), text);
        let mut long = file.rows.clone();
        long[1].case_ref = "c".repeat(MAX_FIELD_BYTES + 1);
        let err = write_request(Vec::new(), &long).unwrap_err();
        assert!(matches!(err, CsvError::BadRow { line: 3, .. }), "{err}");
    }

    /// Whatever is accepted has one line number per row, never decreasing.
    fn well_formed(file: &RequestFile) -> bool {
        !file.rows.is_empty()
            && file.rows.len() == file.lines.len()
            && file.lines.windows(2).all(|w| w[0] <= w[1])
    }

    /// Found by the `request_row` fuzz target (fuzz/regressions/
    /// request_row-bare-cr-shares-line.bin): a bare CR ends a row, but line numbers
    /// count LFs only, so two rows report the same line.
    #[test]
    fn rows_ended_by_a_bare_cr_share_a_line_number() {
        let text = format!(
            "{HEADER}A-1,Ana,Silva,,5 Oak Rd,,Boston,MA,02134,,C-1,F-1\rA-2,Wei,Chen,,7 Elm St,,NYC,NY,10001,,C-2,F-2\n"
        );
        let file = parse(text.as_bytes()).unwrap();
        assert_eq!(file.rows.len(), 2);
        assert_eq!(file.rows[1].record.id, "A-2");
        assert_eq!(file.lines, [2, 2]);
    }

    proptest! {
        // The fuzz target `request_row` drives the same entry point for longer.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            if let Ok(file) = parse(&bytes) {
                prop_assert!(well_formed(&file));
            }
        }

        #[test]
        fn arbitrary_rows_under_the_header_never_panic(body in proptest::collection::vec(any::<u8>(), 0..600)) {
            let bytes = [HEADER.as_bytes(), &body].concat();
            if let Ok(file) = parse(&bytes) {
                prop_assert!(well_formed(&file));
            }
        }

        #[test]
        fn row_like_text_never_panics(
            rows in proptest::collection::vec(
                proptest::collection::vec(
                    prop_oneof!["[A-Za-z0-9 .'-]{0,16}", "\"[^\"]{0,10}\"", "[,\"\r\n]{1,3}", "\\PC{0,10}"],
                    11..13,
                ),
                1..5,
            ),
        ) {
            let mut text = HEADER.to_owned();
            for row in &rows {
                text.push_str(&row.join(","));
                text.push('\n');
            }
            if let Ok(file) = parse(text.as_bytes()) {
                prop_assert!(well_formed(&file));
            }
        }
    }
}
