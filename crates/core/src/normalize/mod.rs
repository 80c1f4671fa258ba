//! Record normalization: from a raw [`Record`] to the canonical parts that match keys are
//! built from.
//!
//! - [`normalize_text`] is the character-level normalizer (NFKD, accents stripped, special
//!   Latin letters mapped, uppercase, apostrophes and periods deleted, punctuation to space,
//!   whitespace collapsed); every field goes through it first.
//! - Names: null markers, honorifics, generational [`Suffix`]es, post-nominals,
//!   surname particles, Hispanic double surnames, nicknames.
//! - Addresses ([`Address`]): house number, directionals, street name, USPS Publication 28
//!   street suffix, unit, PO box.
//! - ZIP5 (leading zeros restored, ZIP+4 cut) and date of birth (validated `YYYY-MM-DD`).
//!
//! City and state are not normalized: no v1 match key uses them (the ZIP5 carries the
//! locality).
//!
//! The function is total: any input, however malformed, gives a [`NormalizedRecord`]
//! (missing parts are `None` or empty), never a panic.

mod address;
mod birth_date;
mod name;
mod postal;
mod suffix;
mod tables;
mod text;

pub use address::{Address, Directional};
pub use suffix::Suffix;
pub use text::normalize_text;

use crate::record::Record;

/// A record after normalization. Every string is folded text (`[A-Z0-9]` tokens).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NormalizedRecord {
    /// All given names in order, honorifics, null markers and suffixes removed
    /// (`["MARIA", "GUADALUPE"]`).
    pub given_names: Vec<String>,
    /// The first given name that is not an initial, as written (`PEGGY`); `None` when the
    /// given names are missing or only initials.
    pub first_given: Option<String>,
    /// [`Self::first_given`] with a nickname replaced by its formal name (`MARGARET`);
    /// equal to `first_given` for names that are not listed nicknames.
    pub first_given_canonical: Option<String>,
    /// Family names after particle joining, one token per surname
    /// (`["GARCIA", "LOPEZ"]`, `["VANDERBERG"]`).
    pub family_names: Vec<String>,
    /// Surname variants, deduplicated: the full surname (all family names concatenated,
    /// `GARCIALOPEZ`) first, then the first surname (`GARCIA`) and the last (`LOPEZ`).
    /// Empty when the family name is missing.
    pub surname_variants: Vec<String>,
    /// Generational suffix, from the suffix column or parsed out of the names.
    pub suffix: Option<Suffix>,
    /// The street address or PO box.
    pub address: Address,
    /// Five-digit ZIP.
    pub zip5: Option<String>,
    /// Date of birth, `YYYY-MM-DD`, only when it is a valid calendar date.
    pub dob: Option<String>,
}

/// Normalizes one raw record. Never panics.
pub fn normalize(record: &Record) -> NormalizedRecord {
    let mut buf = String::with_capacity(64);
    let name::ParsedName {
        given,
        family,
        suffix,
    } = name::parse_name(
        &record.given_names,
        &record.family_names,
        &record.suffix,
        &mut buf,
    );
    let first_given = name::first_given(&given).map(str::to_owned);
    let first_given_canonical = first_given.as_deref().map(name::canonical_given);
    let surname_variants = name::surname_variants(&family);
    NormalizedRecord {
        given_names: given,
        first_given,
        first_given_canonical,
        family_names: family,
        surname_variants,
        suffix,
        address: address::parse_address(&record.street, &record.unit, &mut buf),
        zip5: postal::zip5(&record.zip),
        dob: record.dob.as_deref().and_then(birth_date::birth_date),
    }
}
