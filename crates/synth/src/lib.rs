//! Deterministic synthetic taxpayer populations and request lists with ground truth.
//!
//! Everything here is random and synthetic: names, streets and cities come from embedded
//! frequency tables of common words, combined at random. No record describes a real
//! person.
//!
//! - [`population`] draws a taxpayer file: US-style names with realistic frequencies
//!   (general, Hispanic with compound given names and double surnames, Vietnamese,
//!   Chinese, Korean, Arabic, Eastern European, South Asian; some accented spellings),
//!   middle names and initials, generational suffixes including father/son JR/SR pairs at
//!   the same address, households sharing an address and mostly a surname, neighbours in
//!   the same apartment building, house numbers, directionals, named and numbered
//!   streets, USPS suffixes in mixed spellings, units, PO boxes, consistent city, state and
//!   ZIP, some ZIP+4 and some ZIPs without leading zeros, and dates of birth for ~93%.
//! - [`request`] draws a requester's list from a population: a fraction of people on
//!   file, corrupted per a [`CorruptionProfile`], and people absent from it, each row with
//!   a case reference and a final order reference, plus a [`TruthRow`] per row.
//! - [`write_population`], [`write_request`], [`write_truth`] and the matching readers
//!   move these through CSV; [`write_atomically`] puts them on disk safely.
//! - [`evaluate`] judges a requester's results (as `ice query` writes them) against the
//!   truth: precision, recall and false flags per match rule and cumulatively, and
//!   present people found per corruption (`synth evaluate`; docs/QUALITY.md).
//!
//! Output is a function of the seed and the arguments only: ChaCha20 streams keyed by
//! the seed and a chunk or row number, draws defined in this crate, fixed chunking. The
//! same seed gives byte-identical files on any machine and any thread count.
//!
//! ```
//! use blindlink_synth::{CorruptionProfile, RequestParams, population, request};
//!
//! let taxpayers = population(7, 2_000);
//! let params = RequestParams {
//!     seed: 7,
//!     count: 100,
//!     present_fraction: 0.6,
//!     profile: CorruptionProfile::REALISTIC,
//! };
//! let (rows, truth) = request(&taxpayers, &params)?;
//! assert_eq!(rows.len(), 100);
//! assert_eq!(truth.iter().filter(|t| t.present).count(), 60);
//! # Ok::<(), blindlink_synth::RequestError>(())
//! ```
//!
//! # Corruption profiles
//!
//! Rates are probabilities per *eligible* record (a unit can only go missing if there is
//! one). Corruptions are tried in this order and listed in the truth file only when they
//! changed the row. Absent people get the same treatment except `moved_address`.
//! The share of absent people is not part of a profile: it is `1 - present_fraction` of
//! [`RequestParams`] (`synth request --present-fraction`), 0.40 by default.
//! The table is [`profile_rates_markdown`]'s output; a test keeps it equal.
//!
//! | corruption | eligible when | `clean` | `realistic` (default) | `hard` |
//! |---|---|---|---|---|
//! | `moved_address` | always (present people only) | 0 | 0.05 | 0.20 |
//! | `unit_missing` | the address has a unit | 0 | 0.25 | 0.50 |
//! | `suffix_dropped` | a JR/SR/II/III/IV suffix | 0 | 0.40 | 0.70 |
//! | `surname_part_dropped` | two or more surnames (particles stay attached: DE LA CRUZ is one) | 0 | 0.35 | 0.60 |
//! | `middle_name_dropped` | two or more given names | 0 | 0.30 | 0.60 |
//! | `nickname` | the first given name has an unambiguous nickname (`NICKNAMES` table) | 0 | 0.15 | 0.35 |
//! | `typo` | a name with two or more letters | 0 | 0.08 | 0.20 |
//! | `name_order_swapped` | both name fields present | 0 | 0.03 | 0.10 |
//! | `abbreviation` | a suffix, directional, unit designator, ordinal or state with another spelling | 0 | 0.40 | 0.80 |
//! | `zip_format` | a ZIP | 0 | 0.10 | 0.30 |
//! | `dob_missing` | a date of birth | 0 | 0.15 | 0.40 |
//! | `case_accents_punctuation` | always | 0 | 0.30 | 0.70 |
//!
//! With `clean`, a present row is the holder's record exactly (new id, added references).

mod absent;
mod address;
mod corruption;
mod csv_format;
mod draw;
pub mod evaluate;
mod household;
mod name;
mod output;
mod population;
mod record;
mod references;
mod request;
mod tables;

pub use corruption::{Corruption, CorruptionProfile, UnknownCorruption, profile_rates_markdown};
pub use csv_format::{
    CsvError, PopulationWriter, TRUTH_COLUMNS, read_population, read_request, read_truth,
    write_population, write_request, write_truth,
};
pub use output::{OutputError, write_atomically};
pub use population::{CHUNK_SIZE, population, population_id, population_in_batches};
pub use record::{RECORD_COLUMNS, REQUEST_EXTRA_COLUMNS, RequestRecord, SynthRecord};
pub use request::{RequestError, RequestParams, TruthRow, request, request_id};
pub use tables::nicknames::{ACCENTED, NICKNAMES};
pub use tables::places::STATES;
