#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Property tests: reading a taxpayer CSV never panics on arbitrary bytes, with or
//! without a valid header, and the row counts it reports add up. The fuzz target
//! `taxpayer_row` drives the same entry point.

use std::path::Path;

use blindlink_ingest::{ReadStats, Slice, read_records};
use proptest::prelude::*;

const HEADER: &[u8] = b"record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob\n";

/// The stats and the row numbers handed over, if the file is readable at all.
fn read(bytes: &[u8]) -> Option<(ReadStats, Vec<u64>)> {
    let mut rows = Vec::new();
    let stats = read_records(
        bytes,
        Path::new("p.csv"),
        Slice::WHOLE,
        &|_| {},
        &mut |chunk| {
            rows.extend(chunk.iter().map(|(row, _)| *row));
            Ok(())
        },
    )
    .ok()?;
    Some((stats, rows))
}

fn counts_add_up((s, rows): &(ReadStats, Vec<u64>), input_len: usize) -> bool {
    s.rows == s.records + s.skipped()
        && s.records == rows.len() as u64
        && rows.windows(2).all(|w| w[0] < w[1])
        && s.input_bytes == input_len as u64
}

/// One CSV field: mostly name- and address-like text, sometimes quotes, commas, line
/// breaks or arbitrary characters.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9 .'-]{0,20}",
        "\"[^\"]{0,12}\"",
        "[,\"\r\n]{1,3}",
        "\\PC{0,12}",
    ]
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Some(read) = read(&bytes) {
            prop_assert!(counts_add_up(&read, bytes.len()));
        }
    }

    #[test]
    fn arbitrary_rows_under_a_valid_header_never_panic(
        body in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        let bytes = [HEADER, &body].concat();
        if let Some(read) = read(&bytes) {
            prop_assert!(counts_add_up(&read, bytes.len()));
        }
    }

    #[test]
    fn row_like_text_never_panics(
        rows in proptest::collection::vec(proptest::collection::vec(field(), 8..12), 1..6),
    ) {
        let mut text = String::from_utf8(HEADER.to_vec()).unwrap();
        for row in &rows {
            text.push_str(&row.join(","));
            text.push('\n');
        }
        if let Some(read) = read(text.as_bytes()) {
            prop_assert!(counts_add_up(&read, text.len()));
        }
    }
}
