//! Typed manifest fields, each validated when it is built or parsed.

use core::fmt;
use core::str::FromStr;

use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};

use super::ManifestError;
use super::hex::hex_newtype;

/// Maximum length of [`RequesterId`] in bytes.
pub const MAX_REQUESTER_ID_BYTES: usize = 128;
/// Maximum length of [`LegalBasis`] in bytes.
pub const MAX_LEGAL_BASIS_BYTES: usize = 4096;
/// Maximum length of a [`RuleId`] in bytes.
pub const MAX_RULE_ID_BYTES: usize = 16;
/// Maximum number of rule ids in a manifest.
pub const MAX_RULES: usize = 16;
/// Hard upper bound on `record_count` (policy limits are far lower).
pub const MAX_RECORD_COUNT: u64 = 1 << 24;
/// Hard upper bound on `element_count` (policy limits are far lower).
pub const MAX_ELEMENT_COUNT: u64 = 1 << 28;

hex_newtype!(
    /// Random 128-bit request id; single use at the data holder.
    RequestId,
    16,
    "request_id"
);

impl RequestId {
    /// Draws a fresh id from `rng`.
    pub fn random<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut bytes = [0u8; 16];
        rng.fill_bytes(&mut bytes);
        Self(bytes)
    }
}

hex_newtype!(
    /// Opaque 16-byte id of the data holder's OPRF key epoch.
    KeyEpoch,
    16,
    "key_epoch"
);

hex_newtype!(
    /// The holder's OPRF public key `pkS` of the epoch (a compressed ristretto255 element,
    /// as the holder's signed statement announces it; decoded where it is used).
    OprfKeyHex,
    32,
    "oprf_public_key"
);

hex_newtype!(
    /// SHA-256 content hash of the holder's encoded set (its trailing checksum).
    SetHash,
    32,
    "set_hash"
);

/// Checks a human-readable text field: not blank, at most `max` bytes, and free of
/// control characters (other than `\n` and `\t` when `multiline`) and of Unicode
/// bidirectional overrides, so that what an approver is shown is what is signed.
pub(crate) fn check_text(
    field: &'static str,
    text: &str,
    max: usize,
    multiline: bool,
) -> Result<(), ManifestError> {
    if text.len() > max {
        return Err(ManifestError::TooLong {
            field,
            len: text.len(),
            max,
        });
    }
    if text.trim().is_empty() {
        return Err(ManifestError::Empty { field });
    }
    let forbidden = |c: char| {
        let allowed_control = multiline && (c == '\n' || c == '\t');
        (c.is_control() && !allowed_control)
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
    };
    if text.chars().any(forbidden) {
        return Err(ManifestError::ForbiddenCharacter { field });
    }
    Ok(())
}

/// Who asks: an identifier of the requesting office (1 to 128 bytes of display-safe text).
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RequesterId(String);

impl RequesterId {
    /// Validates and wraps a requester id.
    pub fn new(text: impl Into<String>) -> Result<Self, ManifestError> {
        let text = text.into();
        check_text("requester_id", &text, MAX_REQUESTER_ID_BYTES, false)?;
        Ok(Self(text))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for RequesterId {
    type Error = ManifestError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::new(text)
    }
}

impl From<RequesterId> for String {
    fn from(id: RequesterId) -> Self {
        id.0
    }
}

impl fmt::Display for RequesterId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The legal basis cited for the request (1 to 4096 bytes; may span several lines).
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LegalBasis(String);

impl LegalBasis {
    /// Validates and wraps a legal basis text.
    pub fn new(text: impl Into<String>) -> Result<Self, ManifestError> {
        let text = text.into();
        check_text("legal_basis", &text, MAX_LEGAL_BASIS_BYTES, true)?;
        Ok(Self(text))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LegalBasis {
    type Error = ManifestError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::new(text)
    }
}

impl From<LegalBasis> for String {
    fn from(text: LegalBasis) -> Self {
        text.0
    }
}

/// Why the data is requested. Unknown purpose strings are rejected on parse.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Purpose {
    /// A criminal investigation of persons with a final order (`criminal-investigation`).
    CriminalInvestigation,
}

impl Purpose {
    /// Every purpose this version knows.
    pub const ALL: [Purpose; 1] = [Purpose::CriminalInvestigation];

    /// The stable name used in JSON, TOML and the canonical encoding.
    pub const fn as_str(self) -> &'static str {
        match self {
            Purpose::CriminalInvestigation => "criminal-investigation",
        }
    }
}

impl FromStr for Purpose {
    type Err = ManifestError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Purpose::ALL
            .into_iter()
            .find(|p| p.as_str() == text)
            .ok_or_else(|| ManifestError::UnknownPurpose(text.chars().take(64).collect()))
    }
}

impl TryFrom<String> for Purpose {
    type Error = ManifestError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Purpose> for String {
    fn from(purpose: Purpose) -> Self {
        purpose.as_str().to_owned()
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A match rule id such as `R1` or `R2`: 1 to 16 ASCII letters, digits, `-` or `_`.
///
/// Rule ids order by their bytes (so `R10` sorts before `R2`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RuleId(String);

impl RuleId {
    /// Validates and wraps a rule id.
    pub fn new(text: impl Into<String>) -> Result<Self, ManifestError> {
        let text = text.into();
        let well_formed = !text.is_empty()
            && text.len() <= MAX_RULE_ID_BYTES
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !well_formed {
            return Err(ManifestError::InvalidRuleId(
                text.chars().take(32).collect(),
            ));
        }
        Ok(Self(text))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for RuleId {
    type Error = ManifestError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::new(text)
    }
}

impl From<RuleId> for String {
    fn from(id: RuleId) -> Self {
        id.0
    }
}

impl FromStr for RuleId {
    type Err = ManifestError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::new(text)
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_limits_and_characters() {
        assert!(RequesterId::new("ice-ero-hq").is_ok());
        assert!(matches!(
            RequesterId::new("x".repeat(129)),
            Err(ManifestError::TooLong { max: 128, .. })
        ));
        assert!(RequesterId::new("x".repeat(128)).is_ok());
        assert!(matches!(
            RequesterId::new("  "),
            Err(ManifestError::Empty { .. })
        ));
        assert!(matches!(
            RequesterId::new("a\nb"),
            Err(ManifestError::ForbiddenCharacter { .. })
        ));
        assert!(LegalBasis::new("line one\nline two").is_ok());
        assert!(matches!(
            LegalBasis::new("evil \u{202E}txet"),
            Err(ManifestError::ForbiddenCharacter { .. })
        ));
        assert!(matches!(
            LegalBasis::new("\u{1b}[2J"),
            Err(ManifestError::ForbiddenCharacter { .. })
        ));
    }

    #[test]
    fn purpose_and_rule_parsing() {
        assert_eq!(
            "criminal-investigation".parse::<Purpose>(),
            Ok(Purpose::CriminalInvestigation)
        );
        assert!(matches!(
            "curiosity".parse::<Purpose>(),
            Err(ManifestError::UnknownPurpose(p)) if p == "curiosity"
        ));
        assert!(RuleId::new("R1").is_ok());
        assert!(RuleId::new("").is_err());
        assert!(RuleId::new("R 1").is_err());
        assert!(RuleId::new("R".repeat(17)).is_err());
        assert!(RuleId::new("R10").unwrap() < RuleId::new("R2").unwrap());
    }
}
