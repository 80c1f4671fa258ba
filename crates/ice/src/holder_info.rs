//! `holder.json`: what the data holder publishes for requesters (written by `irs`).
//!
//! ```json
//! {
//!   "key_epoch": "<32 hex digits>",
//!   "oprf_public_key": "<64 hex digits>",
//!   "noise_public_key": "<64 hex digits>",
//!   "set_size": 5000000,
//!   "fingerprint_bits": 67,
//!   "rules": ["R1", "R2"],
//!   "set_hash": "<64 hex digits>"
//! }
//! ```
//!
//! Unknown fields are accepted (newer holders may add some); the listed ones are
//! required. The requester pins `oprf_public_key` for the epoch in its bundle and
//! `noise_public_key` for the channel.

use anyhow::{Context, bail};
use blindlink_core::match_key::{MatchRule, RuleSet};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Largest holder.json read.
const MAX_HOLDER_JSON_BYTES: usize = 64 * 1024;

/// The holder's published parameters for one key epoch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderInfo {
    /// Key epoch id.
    #[serde(with = "hex_bytes")]
    pub key_epoch: [u8; 16],
    /// OPRF public key of the epoch (ristretto255).
    #[serde(with = "hex_bytes")]
    pub oprf_public_key: [u8; 32],
    /// The holder's Noise static public key (X25519).
    #[serde(with = "hex_bytes")]
    pub noise_public_key: [u8; 32],
    /// Elements in the holder's encoded set.
    pub set_size: u64,
    /// Fingerprint length in bits.
    pub fingerprint_bits: u32,
    /// Rules the holder answers, e.g. `["R1", "R2"]`.
    pub rules: Vec<String>,
    /// Hash of the encoded set.
    #[serde(with = "hex_bytes")]
    pub set_hash: [u8; 32],
}

impl HolderInfo {
    /// Parses holder.json.
    pub fn from_json(bytes: &[u8]) -> anyhow::Result<HolderInfo> {
        if bytes.len() > MAX_HOLDER_JSON_BYTES {
            bail!(
                "{} bytes, over the limit of {MAX_HOLDER_JSON_BYTES}",
                bytes.len()
            );
        }
        serde_json::from_slice(bytes).context("invalid holder information")
    }

    /// The rules the holder answers, as a set; unknown rule names are an error.
    pub fn rule_set(&self) -> anyhow::Result<RuleSet> {
        let rules = self
            .rules
            .iter()
            .map(|id| MatchRule::from_id(id))
            .collect::<Result<RuleSet, _>>()
            .context("holder rules")?;
        if rules.is_empty() {
            bail!("the holder answers no match rule");
        }
        Ok(rules)
    }
}

/// `[u8; N]` as lowercase hex in JSON (either case accepted).
mod hex_bytes {
    use super::*;

    pub fn serialize<S: Serializer, const N: usize>(
        bytes: &[u8; N],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&hex::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        deserializer: D,
    ) -> Result<[u8; N], D::Error> {
        let text = String::deserialize(deserializer)?;
        let mut out = [0u8; N];
        hex::decode_to_slice(&text, &mut out)
            .map_err(|_| D::Error::custom(format!("expected {} hex digits", 2 * N)))?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> String {
        format!(
            r#"{{"key_epoch":"{}","oprf_public_key":"{}","noise_public_key":"{}","set_size":10,
               "fingerprint_bits":60,"rules":["R1","R2"],"set_hash":"{}","comment":"extra"}}"#,
            "ab".repeat(16),
            "cd".repeat(32),
            "ef".repeat(32),
            "01".repeat(32)
        )
    }

    #[test]
    fn parses_and_accepts_unknown_fields() {
        let info = HolderInfo::from_json(sample().as_bytes()).unwrap();
        assert_eq!(info.key_epoch, [0xab; 16]);
        assert_eq!(info.set_size, 10);
        assert_eq!(info.rule_set().unwrap(), RuleSet::default_policy());
        let again = HolderInfo::from_json(&serde_json::to_vec(&info).unwrap()).unwrap();
        assert_eq!(again, info);
    }

    #[test]
    fn rejects_bad_hex_missing_fields_and_unknown_rules() {
        let short = sample().replace(&"ab".repeat(16), "abab");
        let err = HolderInfo::from_json(short.as_bytes()).unwrap_err();
        assert!(format!("{err:#}").contains("32 hex digits"), "{err:#}");
        let missing = sample().replace("\"set_size\":10,", "");
        assert!(HolderInfo::from_json(missing.as_bytes()).is_err());
        let rules = sample().replace("\"R2\"", "\"R9\"");
        let info = HolderInfo::from_json(rules.as_bytes()).unwrap();
        assert!(info.rule_set().is_err());
    }
}
