//! Errors of preparing, decoding and checking a request bundle.

use blindlink_core::oprf::OprfError;
use thiserror::Error;

use crate::manifest::ManifestError;

/// Everything that can be wrong with a request bundle.
///
/// Preparation errors name the input row (1-based, in the order the rows were given)
/// and its record id; check errors name the 0-based record or element index in the
/// bundle (the index used by the manifest's commitments and by the wire order).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BundleError {
    // --- preparing -------------------------------------------------------------------
    /// No rows were given.
    #[error("the request has no records")]
    NoRecords,
    /// More rows than a manifest may count.
    #[error("the request has {count} records, over the limit of {max}")]
    TooManyRecords {
        /// Rows given.
        count: usize,
        /// Hard limit.
        max: u64,
    },
    /// The rule set is empty.
    #[error("no match rule was requested")]
    NoRules,
    /// A row has no record id.
    #[error("request row {row}: record_id is empty")]
    MissingRecordId {
        /// 1-based row.
        row: usize,
    },
    /// Two rows share a record id (results are reported by record id).
    #[error("request row {row}: record_id {record_id:?} appears more than once")]
    DuplicateRecordId {
        /// 1-based row of the second occurrence.
        row: usize,
        /// The id.
        record_id: String,
    },
    /// A record field is longer than a bundle stores.
    #[error("request row {row}: {field} is {len} bytes, over the limit of {max}")]
    FieldTooLong {
        /// 1-based row.
        row: usize,
        /// Column name.
        field: &'static str,
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A record id holds a control or bidirectional-override character.
    #[error("request row {row}: record_id contains a control or bidirectional-override character")]
    UnsafeRecordId {
        /// 1-based row.
        row: usize,
    },
    /// A row lacks its case reference or final order reference.
    #[error("request row {row} (record_id {record_id:?}): {field} is missing")]
    MissingReference {
        /// 1-based row.
        row: usize,
        /// The record's id.
        record_id: String,
        /// `case_ref` or `final_order_ref`.
        field: &'static str,
    },
    /// A reference is malformed (too long, control characters).
    #[error("request row {row} (record_id {record_id:?}): {problem}")]
    InvalidReference {
        /// 1-based row.
        row: usize,
        /// The record's id.
        record_id: String,
        /// What is wrong.
        problem: ManifestError,
    },
    /// The pinned holder OPRF public key is not a valid ristretto255 element.
    #[error("the holder's OPRF public key is invalid: {0}")]
    InvalidHolderKey(OprfError),
    /// No record produced a single match key, so there is nothing to ask.
    #[error("no record produced a match key for rules {rules}; nothing to request")]
    NoElements {
        /// The requested rules.
        rules: String,
    },
    /// The manifest could not be built (a count over its hard limit, a bad window).
    #[error("cannot build the manifest: {0}")]
    Manifest(ManifestError),
    /// Blinding failed.
    #[error("blinding failed: {0}")]
    Oprf(OprfError),

    // --- decoding --------------------------------------------------------------------
    /// The bytes do not start with the bundle magic.
    #[error("not a request bundle (bad magic)")]
    BadMagic,
    /// A bundle format version this build does not read.
    #[error("bundle format version {0} is not supported (this build reads version 1)")]
    UnsupportedVersion(u16),
    /// The bytes end inside a field.
    #[error("bundle is truncated inside {what}")]
    Truncated {
        /// The field being read.
        what: &'static str,
    },
    /// Bytes follow the last field.
    #[error("bundle has {len} unexpected bytes after its end")]
    TrailingBytes {
        /// How many.
        len: usize,
    },
    /// A count or length is over its limit.
    #[error("bundle {what} is {value}, over the limit of {max}")]
    LimitExceeded {
        /// The field.
        what: &'static str,
        /// The value read.
        value: u64,
        /// The limit.
        max: u64,
    },
    /// A text field is not UTF-8.
    #[error("bundle {what} is not valid UTF-8")]
    InvalidUtf8 {
        /// The field.
        what: &'static str,
    },
    /// A rule code or rule set byte is unknown.
    #[error("bundle holds an unknown match rule code {0:#04x}")]
    InvalidRule(u8),
    /// The stored manifest does not parse.
    #[error("bundle manifest is invalid: {0}")]
    InvalidManifest(ManifestError),
    /// A stored blind is not a canonical non-zero scalar.
    #[error("blind of element {element} is not a canonical non-zero scalar")]
    InvalidBlind {
        /// 0-based element index.
        element: usize,
    },

    // --- checking --------------------------------------------------------------------
    /// The manifest's purpose is not the one this tool prepares.
    #[error("manifest purpose is {0}, expected criminal-investigation")]
    WrongPurpose(String),
    /// A manifest count disagrees with the bundle.
    #[error("manifest {field} is {manifest} but the bundle holds {bundle}")]
    CountMismatch {
        /// `record_count` or `element_count`.
        field: &'static str,
        /// The manifest's value.
        manifest: u64,
        /// What the bundle holds.
        bundle: u64,
    },
    /// The manifest's key epoch is not the pinned one.
    #[error("manifest key epoch {manifest} differs from the bundle's pinned epoch {bundle}")]
    EpochMismatch {
        /// Manifest epoch (hex).
        manifest: String,
        /// Bundle epoch (hex).
        bundle: String,
    },
    /// The manifest's OPRF public key is not the one the bundle pins.
    #[error("manifest oprf_public_key {manifest} differs from the bundle's pinned key {bundle}")]
    OprfKeyMismatch {
        /// Manifest key (hex).
        manifest: String,
        /// Bundle key (hex).
        bundle: String,
    },
    /// Elements are not grouped by record in record order, or name a missing record.
    #[error("element {element} names record {record}, out of order or out of range")]
    ElementOrder {
        /// 0-based element index.
        element: usize,
        /// The record it claims.
        record: u64,
    },
    /// A record yields a different number of keys than the bundle stores for it.
    #[error(
        "record {record} (record_id {record_id:?}) yields {derived} match keys but the bundle stores {stored}"
    )]
    KeyCountMismatch {
        /// 0-based record index.
        record: usize,
        /// Its id.
        record_id: String,
        /// Keys re-derived from the record.
        derived: usize,
        /// Elements the bundle stores for it.
        stored: usize,
    },
    /// A stored key (or its rule) differs from the key re-derived from its record.
    #[error(
        "element {element}: the stored match key differs from the one record {record} (record_id {record_id:?}) yields"
    )]
    KeyMismatch {
        /// 0-based element index (the first that differs).
        element: usize,
        /// 0-based record index.
        record: usize,
        /// Its id.
        record_id: String,
    },
    /// A stored blinded element is not the blind of its key.
    #[error("element {element}: the stored blinded element is not its key blinded with its blind")]
    BlindedMismatch {
        /// 0-based element index (the first that differs).
        element: usize,
    },
    /// The manifest digest is not the digest of the blinded elements.
    #[error("manifest blinded_digest does not match the bundle's blinded elements")]
    DigestMismatch,
    /// The manifest references root is not the root of the records' commitments.
    #[error("manifest references_root does not match the records' case and final order references")]
    ReferencesRootMismatch,
    /// The manifest's rules are not the rules that produced keys.
    #[error(
        "manifest rules_used [{manifest}] differ from the rules that produced keys [{derived}]"
    )]
    RulesMismatch {
        /// The manifest's list.
        manifest: String,
        /// Rules of the stored keys.
        derived: String,
    },
    /// A record has no case or final order reference, or a malformed one.
    #[error("record {record} (record_id {record_id:?}): {problem}")]
    BadReference {
        /// 0-based record index.
        record: usize,
        /// Its id.
        record_id: String,
        /// What is wrong.
        problem: ManifestError,
    },
    /// A record id is empty, unsafe to display, too long, or repeated.
    #[error("record {record}: record_id {record_id:?} is empty, repeated or not displayable")]
    BadRecordId {
        /// 0-based record index.
        record: usize,
        /// The id.
        record_id: String,
    },

    // --- time and results ------------------------------------------------------------
    /// The manifest has expired.
    #[error("the request expired at {expires_at} (unix seconds; now {now})")]
    Expired {
        /// Expiry.
        expires_at: u64,
        /// The time checked.
        now: u64,
    },
    /// The manifest is issued in the future, beyond the allowed clock skew.
    #[error("the request is issued at {issued_at}, in the future (unix seconds; now {now})")]
    NotYetValid {
        /// Issue time.
        issued_at: u64,
        /// The time checked.
        now: u64,
    },
    /// A match vector does not have one entry per element.
    #[error("{got} match flags given for {expected} elements")]
    ResultLength {
        /// Elements in the bundle.
        expected: usize,
        /// Flags given.
        got: usize,
    },
}
