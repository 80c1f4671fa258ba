//! The canonical byte encoding of a manifest: what approvers sign.
//!
//! All integers are big-endian. `LP(x)` is `u32_be(len(x)) || x`. Fields appear in this
//! fixed order; fixed-width fields carry no length prefix:
//!
//! | # | field            | encoding                                                      |
//! |---|------------------|---------------------------------------------------------------|
//! | 0 | domain tag       | the 22 bytes `"blindlink/v2/manifest\0"` (ASCII, NUL-terminated) |
//! | 1 | request_id       | 16 bytes                                                      |
//! | 2 | requester_id     | `LP(UTF-8 bytes)` (1..=128 bytes)                             |
//! | 3 | purpose          | `LP(ASCII name)`, e.g. `LP("criminal-investigation")`         |
//! | 4 | legal_basis      | `LP(UTF-8 bytes)` (1..=4096 bytes)                            |
//! | 5 | record_count     | `u64_be`                                                      |
//! | 6 | element_count    | `u64_be`                                                      |
//! | 7 | rules_used       | `u32_be(n) || LP(rule_1) || ... || LP(rule_n)`, ascending byte order, distinct |
//! | 8 | blinded_digest   | 64 bytes (SHA-512, see [`super::digest`])                     |
//! | 9 | references_root  | 32 bytes (SHA-256 Merkle root, see [`super::merkle`])         |
//! | 10| issued_at        | `u64_be` unix seconds                                         |
//! | 11| expires_at       | `u64_be` unix seconds                                         |
//! | 12| key_epoch        | 16 bytes                                                      |
//! | 13| oprf_public_key  | 32 bytes (compressed ristretto255)                            |
//! | 14| set_hash         | 32 bytes (SHA-256)                                            |
//!
//! The encoding is injective: reading left to right, every length is either fixed or
//! given by a prefix, and the text fields are exactly the validated strings (no
//! normalization happens between validation and encoding). Approvals sign a message
//! that binds the role in front of these bytes (see [`crate::approval`]).

use super::ManifestFields;

/// Domain tag that starts the canonical encoding.
pub const MANIFEST_DOMAIN_TAG: &[u8] = b"blindlink/v2/manifest\0";

/// Appends `u32_be(len) || bytes`. Every caller passes a validated field whose length
/// is far below `u32::MAX`.
pub(crate) fn put_lp(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// Encodes validated fields (see the module doc).
pub(crate) fn encode(fields: &ManifestFields) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 + fields.legal_basis.as_str().len());
    out.extend_from_slice(MANIFEST_DOMAIN_TAG);
    out.extend_from_slice(fields.request_id.as_bytes());
    put_lp(&mut out, fields.requester_id.as_str().as_bytes());
    put_lp(&mut out, fields.purpose.as_str().as_bytes());
    put_lp(&mut out, fields.legal_basis.as_str().as_bytes());
    out.extend_from_slice(&fields.record_count.to_be_bytes());
    out.extend_from_slice(&fields.element_count.to_be_bytes());
    out.extend_from_slice(&(fields.rules_used.len() as u32).to_be_bytes());
    for rule in &fields.rules_used {
        put_lp(&mut out, rule.as_str().as_bytes());
    }
    out.extend_from_slice(fields.blinded_digest.as_bytes());
    out.extend_from_slice(fields.references_root.as_bytes());
    out.extend_from_slice(&fields.issued_at.to_be_bytes());
    out.extend_from_slice(&fields.expires_at.to_be_bytes());
    out.extend_from_slice(fields.key_epoch.as_bytes());
    out.extend_from_slice(fields.oprf_public_key.as_bytes());
    out.extend_from_slice(fields.set_hash.as_bytes());
    out
}
