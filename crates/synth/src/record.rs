//! The synthetic record: the ten columns every record file shares.
//!
//! The layout is the same as `blindlink_core::record::Record` (same columns, same order,
//! `dob` as `YYYY-MM-DD` or empty) without depending on the core crate, so that files
//! written here load there unchanged.

/// Column names of a record row, in file order. A request file appends
/// [`REQUEST_EXTRA_COLUMNS`].
pub const RECORD_COLUMNS: [&str; 10] = [
    "record_id",
    "given_names",
    "family_names",
    "suffix",
    "street",
    "unit",
    "city",
    "state",
    "zip",
    "dob",
];

/// Columns a request file adds after [`RECORD_COLUMNS`].
pub const REQUEST_EXTRA_COLUMNS: [&str; 2] = ["case_ref", "final_order_ref"];

/// One synthetic person at one address, as it would appear in a source file.
///
/// Fields hold text as written (uppercase in the population, possibly mixed case,
/// accented or abbreviated differently in a request); empty means missing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SynthRecord {
    /// The file's own identifier for the row ("TP-000000001", "RQ-0000001").
    pub id: String,
    /// All given names, space separated ("MARIA GUADALUPE").
    pub given_names: String,
    /// All family names ("GARCIA LOPEZ"); occasionally with a generational suffix
    /// appended ("SMITH JR") as some sources do.
    pub family_names: String,
    /// Generational suffix (JR, SR, II, III, IV) or empty.
    pub suffix: String,
    /// Street line: house number, directionals, street name, suffix, and sometimes the
    /// unit ("100 N MAIN ST APT 4B", "PO BOX 17").
    pub street: String,
    /// Unit when the source keeps it in its own column ("APT 4B", "#12", "4B").
    pub unit: String,
    /// City name.
    pub city: String,
    /// Two-letter state code (a request may spell it out).
    pub state: String,
    /// ZIP, ZIP+4, or a ZIP that lost its leading zeros ("2134").
    pub zip: String,
    /// Date of birth, `YYYY-MM-DD`, if known.
    pub dob: Option<String>,
}

impl SynthRecord {
    /// The ten fields in [`RECORD_COLUMNS`] order (`dob` empty when absent).
    pub fn to_fields(&self) -> [&str; 10] {
        [
            &self.id,
            &self.given_names,
            &self.family_names,
            &self.suffix,
            &self.street,
            &self.unit,
            &self.city,
            &self.state,
            &self.zip,
            self.dob.as_deref().unwrap_or(""),
        ]
    }

    /// Builds a record from the ten [`RECORD_COLUMNS`] fields in order; an empty `dob`
    /// becomes `None`.
    pub fn from_fields(fields: [&str; 10]) -> SynthRecord {
        let [
            id,
            given,
            family,
            suffix,
            street,
            unit,
            city,
            state,
            zip,
            dob,
        ] = fields;
        SynthRecord {
            id: id.to_owned(),
            given_names: given.to_owned(),
            family_names: family.to_owned(),
            suffix: suffix.to_owned(),
            street: street.to_owned(),
            unit: unit.to_owned(),
            city: city.to_owned(),
            state: state.to_owned(),
            zip: zip.to_owned(),
            dob: (!dob.is_empty()).then(|| dob.to_owned()),
        }
    }
}

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
