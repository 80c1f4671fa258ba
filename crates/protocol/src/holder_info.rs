//! `holder.json`: what the data holder publishes about its current key epoch, for the
//! requester, which pins the keys and checks the received set against it. (Approvers
//! name the epoch in a manifest but take it from the bundle, not from this file.)
//!
//! ```json
//! {
//!   "key_epoch": "<32 hex digits>",
//!   "oprf_public_key": "<64 hex digits>",
//!   "noise_public_key": "<64 hex digits>",
//!   "set_size": 1843022,
//!   "fingerprint_bits": 81,
//!   "rules": ["R1", "R2"],
//!   "set_hash": "<64 hex digits>"
//! }
//! ```
//!
//! `set_hash` is the SHA-256 content hash of the encoded set (its trailing checksum,
//! [`EncodedSet::content_hash`]); `rules` are the rule ids of the set's rule-set bits.
//! Unknown fields are ignored (a newer holder may add some); otherwise parsing is
//! strict (bad hex, an OPRF key that is not a valid ristretto255 element, an empty rule
//! list, `fingerprint_bits` outside 1..=128 are refused), and [`HolderInfo::check_set`]
//! lets a requester confirm that a received set is the one announced. `irs` writes it;
//! `ice` reads it.

use crate::manifest::KeyEpoch;
use blindlink_core::fingerprint::{EncodedSet, EncodedSetHeader};
use blindlink_core::match_key::{MatchRule, RuleSet};
use blindlink_core::oprf::PublicKey;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The public description of the holder's current epoch (the `holder.json` file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderInfo {
    /// The OPRF key epoch being served.
    pub key_epoch: KeyEpoch,
    /// The epoch's OPRF public key `pkS` (VOPRF proofs are checked against it).
    #[serde(with = "crate::serde_hex")]
    pub oprf_public_key: [u8; 32],
    /// The holder's Noise static public key (the requester pins it).
    #[serde(with = "crate::serde_hex")]
    pub noise_public_key: [u8; 32],
    /// Number of fingerprints in the encoded set.
    pub set_size: u64,
    /// Fingerprint length `L` in bits.
    pub fingerprint_bits: u32,
    /// Match rules whose keys are in the set, strongest first.
    #[serde(with = "rule_list")]
    pub rules: RuleSet,
    /// SHA-256 content hash of the encoded set.
    #[serde(with = "crate::serde_hex")]
    pub set_hash: [u8; 32],
}

/// Why a `holder.json` was refused, or a set does not match it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HolderInfoError {
    /// Not JSON of the expected shape.
    #[error("holder info is not valid: {0}")]
    Json(String),
    /// The OPRF public key is not a valid ristretto255 element.
    #[error("holder info oprf_public_key is not a valid ristretto255 element")]
    BadOprfKey,
    /// `fingerprint_bits` is outside 1..=128.
    #[error("holder info fingerprint_bits {0} is outside 1..=128")]
    BadBits(u32),
    /// A set's field differs from the announced one.
    #[error("the encoded set's {field} ({found}) differs from holder info ({expected})")]
    SetMismatch {
        /// Which field.
        field: &'static str,
        /// Announced in holder info.
        expected: String,
        /// Found in the set.
        found: String,
    },
}

impl HolderInfo {
    /// Parses and validates `holder.json` bytes.
    pub fn from_json(bytes: &[u8]) -> Result<HolderInfo, HolderInfoError> {
        let info: HolderInfo =
            serde_json::from_slice(bytes).map_err(|e| HolderInfoError::Json(e.to_string()))?;
        info.validate()?;
        Ok(info)
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }

    pub(crate) fn validate(&self) -> Result<(), HolderInfoError> {
        self.oprf_public_key()?;
        if !(1..=128).contains(&self.fingerprint_bits) {
            return Err(HolderInfoError::BadBits(self.fingerprint_bits));
        }
        Ok(())
    }

    /// The OPRF public key, decoded strictly.
    pub fn oprf_public_key(&self) -> Result<PublicKey, HolderInfoError> {
        PublicKey::from_bytes(&self.oprf_public_key).map_err(|_| HolderInfoError::BadOprfKey)
    }

    /// Checks that a set header announces this epoch, length, rules and size.
    pub fn check_header(&self, header: &EncodedSetHeader) -> Result<(), HolderInfoError> {
        let params = header.params();
        let epoch = KeyEpoch::from_bytes(params.key_epoch);
        mismatch("key_epoch", &self.key_epoch, &epoch)?;
        mismatch("fingerprint_bits", &self.fingerprint_bits, &params.bits)?;
        mismatch("rule set bits", &self.rules.bits(), &params.rule_set)?;
        mismatch("set size", &self.set_size, &header.count())
    }

    /// Checks that a decoded set is the one announced: header fields and content hash.
    pub fn check_set(&self, set: &EncodedSet) -> Result<(), HolderInfoError> {
        let params = set.params();
        mismatch(
            "key_epoch",
            &self.key_epoch,
            &KeyEpoch::from_bytes(params.key_epoch),
        )?;
        mismatch("fingerprint_bits", &self.fingerprint_bits, &params.bits)?;
        mismatch("rule set bits", &self.rules.bits(), &params.rule_set)?;
        mismatch("set size", &self.set_size, &(set.len() as u64))?;
        let hash = set.content_hash();
        if hash != self.set_hash {
            return Err(HolderInfoError::SetMismatch {
                field: "set_hash",
                expected: hex::encode(self.set_hash),
                found: hex::encode(hash),
            });
        }
        Ok(())
    }
}

fn mismatch<T: PartialEq + std::fmt::Display>(
    field: &'static str,
    expected: &T,
    found: &T,
) -> Result<(), HolderInfoError> {
    if expected == found {
        Ok(())
    } else {
        Err(HolderInfoError::SetMismatch {
            field,
            expected: expected.to_string(),
            found: found.to_string(),
        })
    }
}

/// Rule ids of a rule set, strongest first (`["R1", "R2"]`).
pub fn rule_ids(rules: RuleSet) -> Vec<&'static str> {
    rules.iter().map(MatchRule::id).collect()
}

/// A [`RuleSet`] as a non-empty list of distinct rule ids.
mod rule_list {
    use blindlink_core::match_key::{MatchRule, RuleSet};
    use serde::{Deserialize, Deserializer, Serializer, de::Error, ser::SerializeSeq};

    pub fn serialize<S: Serializer>(rules: &RuleSet, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(rules.len()))?;
        for rule in rules.iter() {
            seq.serialize_element(rule.id())?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<RuleSet, D::Error> {
        let ids = Vec::<String>::deserialize(d)?;
        let mut rules = RuleSet::empty();
        for id in &ids {
            let rule = MatchRule::from_id(id).map_err(D::Error::custom)?;
            if rules.contains(rule) {
                return Err(D::Error::custom(format!("rule {rule} listed twice")));
            }
            rules.insert(rule);
        }
        if rules.is_empty() {
            return Err(D::Error::custom("rules must name at least one rule"));
        }
        Ok(rules)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use blindlink_core::fingerprint::SetParams;
    use blindlink_core::oprf::SecretKey;

    /// A set as a requester has it (decoded). `content_hash` on a set fresh from
    /// `from_fingerprints` deadlocks in blindlink-core (reentrant OnceLock init).
    fn decoded(fps: Vec<u128>, params: SetParams) -> EncodedSet {
        let set = EncodedSet::from_fingerprints(fps, params).unwrap();
        EncodedSet::from_bytes(&set.to_bytes(), 100).unwrap()
    }

    fn sample() -> (HolderInfo, EncodedSet) {
        let params = SetParams {
            bits: 50,
            rule_set: RuleSet::default_policy().bits(),
            key_epoch: [7; 16],
        };
        let set = decoded(vec![3, 99, 1 << 40], params);
        let sk = SecretKey::from_bytes(&[9; 32]).unwrap();
        let info = HolderInfo {
            key_epoch: KeyEpoch::from_bytes([7; 16]),
            oprf_public_key: sk.public_key().to_bytes(),
            noise_public_key: [4; 32],
            set_size: 3,
            fingerprint_bits: 50,
            rules: RuleSet::default_policy(),
            set_hash: set.content_hash(),
        };
        (info, set)
    }

    #[test]
    fn json_round_trip_has_the_documented_shape() {
        let (info, set) = sample();
        let json = info.to_json();
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(value["rules"], serde_json::json!(["R1", "R2"]));
        assert_eq!(value["key_epoch"], "07".repeat(16));
        assert_eq!(value["set_size"], 3);
        assert_eq!(value["set_hash"].as_str().unwrap().len(), 64);
        let back = HolderInfo::from_json(&json).unwrap();
        assert_eq!(back, info);
        back.check_set(&set).unwrap();
        let bytes = set.to_bytes();
        back.check_header(&EncodedSetHeader::parse(&bytes).unwrap())
            .unwrap();
    }

    #[test]
    fn strict_parsing() {
        let (info, _) = sample();
        let good: serde_json::Value = serde_json::from_slice(&info.to_json()).unwrap();
        let edits: [(&str, serde_json::Value); 6] = [
            ("rules", serde_json::json!([])),
            ("rules", serde_json::json!(["R1", "R1"])),
            ("rules", serde_json::json!(["R9"])),
            ("oprf_public_key", serde_json::json!("00".repeat(32))),
            ("fingerprint_bits", serde_json::json!(0)),
            ("set_hash", serde_json::json!("zz")),
        ];
        for (field, value) in edits {
            let mut bad = good.clone();
            bad[field] = value;
            let bytes = serde_json::to_vec(&bad).unwrap();
            assert!(HolderInfo::from_json(&bytes).is_err(), "{field} accepted");
        }
        // A newer holder may add fields: they are ignored, the known ones still checked.
        let mut extra = good.clone();
        extra["surprise"] = serde_json::json!(1);
        let parsed = HolderInfo::from_json(&serde_json::to_vec(&extra).unwrap()).unwrap();
        assert_eq!(serde_json::to_value(&parsed).unwrap(), good);
    }

    #[test]
    fn a_different_set_is_detected() {
        let (info, _) = sample();
        let params = SetParams {
            bits: 50,
            rule_set: RuleSet::default_policy().bits(),
            key_epoch: [7; 16],
        };
        let other = decoded(vec![4, 99, 1 << 40], params);
        let err = info.check_set(&other).unwrap_err();
        assert!(matches!(
            err,
            HolderInfoError::SetMismatch {
                field: "set_hash",
                ..
            }
        ));
        let wrong_epoch = decoded(
            vec![3, 99, 1 << 40],
            SetParams {
                key_epoch: [8; 16],
                ..params
            },
        );
        assert!(matches!(
            info.check_set(&wrong_epoch),
            Err(HolderInfoError::SetMismatch {
                field: "key_epoch",
                ..
            })
        ));
    }
}
