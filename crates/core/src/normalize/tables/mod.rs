//! Static vocabularies used by normalization: street suffixes (USPS Publication 28
//! Appendix C1), directionals, unit designators and ordinals, name particles, honorifics,
//! null markers and nicknames. Small sets are `match` expressions; the two large tables
//! are hash maps built once on first use.

pub(crate) mod address_words;
pub(crate) mod name_words;
pub(crate) mod nicknames;
pub(crate) mod street_suffix;
