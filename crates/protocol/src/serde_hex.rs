//! `[u8; N]` as `2N` lowercase hex digits in JSON (read in either case), for
//! `#[serde(with = "crate::serde_hex")]` on fixed-size byte fields.

use serde::{Deserialize, Deserializer, Serializer, de::Error};

/// Writes the bytes as lowercase hex.
pub fn serialize<S: Serializer, const N: usize>(bytes: &[u8; N], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(bytes))
}

/// Reads exactly `2N` hex digits.
pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(d: D) -> Result<[u8; N], D::Error> {
    let text = String::deserialize(d)?;
    let mut out = [0u8; N];
    hex::decode_to_slice(&text, &mut out)
        .map_err(|_| D::Error::custom(format!("expected {} hex digits", 2 * N)))?;
    Ok(out)
}
