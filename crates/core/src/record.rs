//! Raw records as they arrive from a CSV row, before normalization.
//!
//! Both the holder's taxpayer file and the requester's request file share these columns;
//! the request file adds the case and final-order references (kept by the protocol crate,
//! not here). Callers (binaries) do the CSV reading; this module only names the columns and
//! holds the strings.

/// Column names of a record row, in file order. A request file appends
/// `case_ref,final_order_ref` after these.
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

/// One person at one address, as written in the source file (unnormalized).
///
/// Every field may be empty; normalization decides what is missing. `dob` is `YYYY-MM-DD`
/// when present.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Record {
    /// The file's own identifier for the row (opaque, never an OPRF input).
    pub id: String,
    /// All given names, space separated ("MARIA GUADALUPE").
    pub given_names: String,
    /// All family names ("GARCIA LOPEZ", "VAN DER BERG").
    pub family_names: String,
    /// Generational suffix if the source has a separate column (JR, SR, II, III, IV).
    pub suffix: String,
    /// Street line: house number, directionals, street name, suffix, possibly a unit
    /// ("100 N MAIN ST APT 4B", "PO BOX 17").
    pub street: String,
    /// Unit if the source has a separate column ("4B", "APT 4B").
    pub unit: String,
    /// City name.
    pub city: String,
    /// State (two-letter USPS code or full name).
    pub state: String,
    /// ZIP, ZIP+4 or a ZIP that lost its leading zeros ("2134").
    pub zip: String,
    /// Date of birth, `YYYY-MM-DD`, if known.
    pub dob: Option<String>,
}

impl Record {
    /// Builds a record from the ten [`RECORD_COLUMNS`] fields in order. An empty `dob`
    /// becomes `None`.
    pub fn from_fields(fields: [&str; 10]) -> Record {
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
        Record {
            id: id.to_owned(),
            given_names: given.to_owned(),
            family_names: family.to_owned(),
            suffix: suffix.to_owned(),
            street: street.to_owned(),
            unit: unit.to_owned(),
            city: city.to_owned(),
            state: state.to_owned(),
            zip: zip.to_owned(),
            dob: (!dob.trim().is_empty()).then(|| dob.trim().to_owned()),
        }
    }

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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip_and_empty_dob_is_none() {
        let r = Record::from_fields([
            "7",
            "José",
            "Muñoz",
            "",
            "12 Park Avenue",
            "",
            "Boston",
            "MA",
            "2134",
            " ",
        ]);
        assert_eq!(r.dob, None);
        assert_eq!(r.family_names, "Muñoz");
        let again = Record::from_fields(r.to_fields());
        assert_eq!(again, r);
        let with_dob = Record::from_fields(["1", "", "", "", "", "", "", "", "", "1980-02-29"]);
        assert_eq!(with_dob.dob.as_deref(), Some("1980-02-29"));
    }
}
