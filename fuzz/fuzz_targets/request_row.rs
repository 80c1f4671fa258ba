//! Request CSV rows: the request file reader `ice prepare` uses
//! (`blindlink_store::csv::request::read_request`, bad rows refused).
//!
//! Input layout: byte 0 is a mode; bit 0 set prepends the standard header line so the
//! fuzzer spends its time on rows. Checked on success: at least one row, one line number
//! per row, line numbers never decreasing (not strictly increasing: rows ended by a bare
//! CR share a line, see regressions/request_row-bare-cr-shares-line.bin), and every
//! field within the length limits.
#![no_main]

use blindlink_store::csv::request::read_request;
use blindlink_store::csv::{BadRowPolicy, max_field_bytes};
use libfuzzer_sys::fuzz_target;

const HEADER: &[u8] = b"record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob,case_ref,final_order_ref\n";

fuzz_target!(|data: &[u8]| {
    let [mode, rest @ ..] = data else {
        return;
    };
    let mut csv = Vec::with_capacity(HEADER.len() + rest.len());
    if mode & 1 == 1 {
        csv.extend_from_slice(HEADER);
    }
    csv.extend_from_slice(rest);
    let Ok(file) = read_request(csv.as_slice(), BadRowPolicy::Refuse) else {
        return;
    };
    assert!(!file.rows.is_empty());
    assert_eq!(file.rows.len(), file.lines.len());
    assert!(file.lines.windows(2).all(|w| w[0] <= w[1]));
    for row in &file.rows {
        if let Some(dob) = &row.record.dob {
            assert!(!dob.is_empty() && dob.trim() == dob);
        }
        assert!(row.record.id.len() <= max_field_bytes("record_id"));
        assert!(row.case_ref.len() <= max_field_bytes("case_ref"));
    }
});
