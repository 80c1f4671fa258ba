//! The request file: a CSV with the ten record columns, then `case_ref` and
//! `final_order_ref`.
//!
//! ```text
//! record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob,case_ref,final_order_ref
//! A-0001,Maria Guadalupe,Garcia Lopez,,100 N Main St Apt 4B,,Boston,MA,02134,1980-02-29,CASE-0001,FO-000001
//! ```
//!
//! The header must be exactly these columns in this order; every row must have all
//! twelve fields (fields may be empty; missing references are refused when the
//! request is prepared).

use anyhow::{Context, bail};
use blindlink_core::record::{RECORD_COLUMNS, Record};
use blindlink_protocol::bundle::RequestRow;

/// The two reference columns after the record columns.
pub const REFERENCE_COLUMNS: [&str; 2] = ["case_ref", "final_order_ref"];

/// Rows of a request file, with the file line each row starts on.
#[derive(Debug)]
pub struct RequestFile {
    /// The rows, in file order.
    pub rows: Vec<RequestRow>,
    /// `lines[i]` is the 1-based line of `rows[i]`.
    pub lines: Vec<u64>,
}

/// Parses a request CSV.
pub fn parse(bytes: &[u8]) -> anyhow::Result<RequestFile> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let header = reader.headers().context("cannot read the header")?;
    let expected = RECORD_COLUMNS.iter().chain(REFERENCE_COLUMNS.iter());
    if !header.iter().map(str::trim).eq(expected.copied()) {
        bail!(
            "the header must be {},{}",
            RECORD_COLUMNS.join(","),
            REFERENCE_COLUMNS.join(",")
        );
    }
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for row in reader.records() {
        let row = row.context("malformed CSV")?;
        let line = row.position().map_or(0, csv::Position::line);
        let field = |i: usize| row.get(i).unwrap_or("");
        let fields: [&str; 10] = std::array::from_fn(field);
        rows.push(RequestRow {
            record: Record::from_fields(fields),
            case_ref: field(10).to_owned(),
            final_order_ref: field(11).to_owned(),
        });
        lines.push(line);
    }
    if rows.is_empty() {
        bail!("the request has no rows");
    }
    Ok(RequestFile { rows, lines })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HEADER: &str = "record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob,case_ref,final_order_ref\n";

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
