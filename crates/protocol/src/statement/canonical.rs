//! The bytes a holder statement's signature covers.
//!
//! All integers are big-endian; every field has a fixed width, so the encoding is
//! injective:
//!
//! | # | field                          | encoding                                   |
//! |---|--------------------------------|--------------------------------------------|
//! | 0 | domain tag                     | `"blindlink/v2/holder-statement\0"` (30 bytes) |
//! | 1 | identity_public_key            | 32 bytes                                   |
//! | 2 | epoch.key_epoch                | 16 bytes                                   |
//! | 3 | epoch.oprf_public_key          | 32 bytes                                   |
//! | 4 | epoch.noise_public_key         | 32 bytes                                   |
//! | 5 | epoch.set_size                 | `u64`                                      |
//! | 6 | epoch.fingerprint_bits         | `u32`                                      |
//! | 7 | epoch.rules                    | `u8` rule-set bits (bit i = R(i+1))        |
//! | 8 | epoch.set_hash                 | 32 bytes                                   |
//! | 9 | policy present                 | `u8` 0 or 1; if 1, fields 10-11            |
//! | 10| policy.digest                  | 32 bytes                                   |
//! | 11| policy.limits                  | `u64` each: max_records_per_request, max_elements_per_request, max_records_per_day, max_request_age_secs, max_validity_secs, clock_skew_secs, max_elements_per_day, max_elements_per_epoch |
//! | 12| issued_at                      | `u64`                                      |
//! | 13| valid_until                    | `u64`                                      |

use sha2::{Digest, Sha256};

use super::StatementBody;

/// Domain tag that starts the signed bytes.
pub const STATEMENT_DOMAIN_TAG: &[u8] = b"blindlink/v2/holder-statement\0";

/// The signed bytes of `body` (see the module doc).
pub fn encode(body: &StatementBody) -> Vec<u8> {
    let e = &body.epoch;
    let mut out = Vec::with_capacity(320);
    out.extend_from_slice(STATEMENT_DOMAIN_TAG);
    out.extend_from_slice(&body.identity_public_key.to_bytes());
    out.extend_from_slice(e.key_epoch.as_bytes());
    out.extend_from_slice(&e.oprf_public_key);
    out.extend_from_slice(&e.noise_public_key);
    out.extend_from_slice(&e.set_size.to_be_bytes());
    out.extend_from_slice(&e.fingerprint_bits.to_be_bytes());
    out.push(e.rules.bits());
    out.extend_from_slice(&e.set_hash);
    match &body.policy {
        None => out.push(0),
        Some(policy) => {
            out.push(1);
            out.extend_from_slice(&policy.digest);
            let l = &policy.limits;
            for value in [
                l.max_records_per_request,
                l.max_elements_per_request,
                l.max_records_per_day,
                l.max_request_age_secs,
                l.max_validity_secs,
                l.clock_skew_secs,
                l.max_elements_per_day,
                l.max_elements_per_epoch,
            ] {
                out.extend_from_slice(&value.to_be_bytes());
            }
        }
    }
    out.extend_from_slice(&body.issued_at.to_be_bytes());
    out.extend_from_slice(&body.valid_until.to_be_bytes());
    out
}

/// SHA-256 of [`encode`].
pub fn digest(body: &StatementBody) -> [u8; 32] {
    Sha256::digest(encode(body)).into()
}
