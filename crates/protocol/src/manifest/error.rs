//! Errors of manifest fields, manifests and their JSON form.

use thiserror::Error;

/// A manifest or one of its fields is malformed or over a limit.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ManifestError {
    /// A required text field is empty or blank.
    #[error("{field} is empty")]
    Empty {
        /// Field name as in JSON.
        field: &'static str,
    },
    /// A text field is longer than its limit.
    #[error("{field} is {len} bytes, over the limit of {max}")]
    TooLong {
        /// Field name as in JSON.
        field: &'static str,
        /// Actual length in bytes.
        len: usize,
        /// Limit in bytes.
        max: usize,
    },
    /// A text field holds a control or bidirectional-override character.
    #[error("{field} contains a control or bidirectional-override character")]
    ForbiddenCharacter {
        /// Field name as in JSON.
        field: &'static str,
    },
    /// The purpose is not one this version knows.
    #[error("unknown purpose {0:?} (known: criminal-investigation)")]
    UnknownPurpose(String),
    /// A rule id is malformed.
    #[error("rule id {0:?} is not 1 to 16 ASCII letters, digits, '-' or '_'")]
    InvalidRuleId(String),
    /// `rules_used` is empty, too long, unsorted or has duplicates.
    #[error("rules_used must list 1 to {max} distinct rule ids in ascending byte order")]
    RulesNotCanonical {
        /// Maximum number of rules.
        max: usize,
    },
    /// A count is zero or above its hard limit.
    #[error("{field} = {value} is outside 1..={max}")]
    CountOutOfRange {
        /// Field name as in JSON.
        field: &'static str,
        /// The value given.
        value: u64,
        /// The hard limit.
        max: u64,
    },
    /// The validity window is empty or inverted.
    #[error("expires_at ({expires_at}) must be later than issued_at ({issued_at})")]
    ExpiresNotAfterIssued {
        /// Issue time, unix seconds.
        issued_at: u64,
        /// Expiry time, unix seconds.
        expires_at: u64,
    },
    /// A hex field has the wrong length or a non-hex digit.
    #[error("{field} must be exactly {digits} hex digits")]
    BadHex {
        /// Field name as in JSON.
        field: &'static str,
        /// Number of hex digits expected.
        digits: usize,
    },
    /// The JSON text is larger than a manifest can be.
    #[error("manifest JSON is {len} bytes, over the limit of {max}")]
    JsonTooLarge {
        /// Size given.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// The JSON is malformed or a field fails validation.
    #[error("manifest JSON invalid at `{path}`: {message}")]
    Json {
        /// Path of the offending field (`.` for the document).
        path: String,
        /// What is wrong.
        message: String,
    },
}
