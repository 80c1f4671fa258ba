//! The synthetic record: the ten columns every record file shares, which are exactly
//! `blindlink_core::record::Record` (same type, so files written here load there
//! unchanged), plus the two references a request row carries (the protocol's
//! `RequestRow`).

/// Column names of a record row, in file order. A request file appends
/// [`REQUEST_EXTRA_COLUMNS`].
pub use blindlink_core::record::RECORD_COLUMNS;

/// One synthetic person at one address, as it would appear in a source file: the core
/// crate's raw [`Record`](blindlink_core::record::Record). Fields hold text as written
/// (uppercase in the population, possibly mixed case, accented or abbreviated
/// differently in a request); empty means missing.
pub type SynthRecord = blindlink_core::record::Record;

/// Columns a request file adds after [`RECORD_COLUMNS`].
pub use blindlink_store::csv::request::REFERENCE_COLUMNS as REQUEST_EXTRA_COLUMNS;

/// A requested record: the person as the requester knows them (`record`), with the
/// references every request row must carry (`case_ref`, "CI-2026-000123";
/// `final_order_ref`, "FO-A123456789"). The protocol's own request row, so that what
/// synth writes is what `ice prepare` reads.
pub type RequestRecord = blindlink_store::csv::request::RequestRow;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip() {
        let r = SynthRecord::from_fields([
            "TP-1",
            "JOSÉ LUIS",
            "MUÑOZ PEÑA",
            "JR",
            "12 N 42ND ST",
            "APT 4B",
            "BOSTON",
            "MA",
            "2134",
            "",
        ]);
        assert_eq!(r.dob, None);
        assert_eq!(SynthRecord::from_fields(r.to_fields()), r);
    }
}
