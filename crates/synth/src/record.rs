//! The synthetic record: the ten columns every record file shares, which are exactly
//! `blindlink_core::record::Record` (same type, so files written here load there
//! unchanged), plus the two references a request row carries.

/// Column names of a record row, in file order. A request file appends
/// [`REQUEST_EXTRA_COLUMNS`].
pub use blindlink_core::record::RECORD_COLUMNS;

/// One synthetic person at one address, as it would appear in a source file: the core
/// crate's raw [`Record`](blindlink_core::record::Record). Fields hold text as written
/// (uppercase in the population, possibly mixed case, accented or abbreviated
/// differently in a request); empty means missing.
pub type SynthRecord = blindlink_core::record::Record;

/// Columns a request file adds after [`RECORD_COLUMNS`].
pub const REQUEST_EXTRA_COLUMNS: [&str; 2] = ["case_ref", "final_order_ref"];

/// A requested record: the person as the requester knows them, with the references every
/// request row must carry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestRecord {
    /// The ten record columns.
    pub record: SynthRecord,
    /// Criminal investigation case reference ("CI-2026-000123").
    pub case_ref: String,
    /// Final order reference ("FO-A123456789").
    pub final_order_ref: String,
}

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
