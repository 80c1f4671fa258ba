//! Shared fixtures for the bundle tests: three synthetic request rows and a holder key.

use blindlink_core::match_key::RuleSet;
use blindlink_core::oprf::SecretKey;
use blindlink_core::record::Record;
use blindlink_protocol::bundle::{PrepareParams, RequestBundle, RequestRow};
use blindlink_protocol::manifest::{LegalBasis, RequesterId};
use rand::SeedableRng;
use rand::rngs::StdRng;

pub const ISSUED_AT: u64 = 1_700_000_000;
pub const EXPIRES_AT: u64 = 1_700_086_400;

pub fn row(fields: [&str; 10], case_ref: &str, final_order_ref: &str) -> RequestRow {
    RequestRow {
        record: Record::from_fields(fields),
        case_ref: case_ref.to_owned(),
        final_order_ref: final_order_ref.to_owned(),
    }
}

/// Record 0 yields R1, R2 and R4 keys, record 1 R1 and R2 keys, record 2 none (its
/// given name is an initial).
pub fn rows() -> Vec<RequestRow> {
    vec![
        row(
            [
                "A-0001",
                "Maria Guadalupe",
                "Garcia Lopez",
                "",
                "100 N Main St Apt 4B",
                "",
                "Boston",
                "MA",
                "02134-1234",
                "1980-02-29",
            ],
            "CASE-0001",
            "FO-000001",
        ),
        row(
            [
                "A-0002",
                "John",
                "Smith",
                "Jr",
                "12 Park Avenue",
                "",
                "Albany",
                "NY",
                "12207",
                "",
            ],
            "CASE-0002",
            "FO-000002",
        ),
        row(
            [
                "A-0003", "J.", "Doe", "", "7 Elm St", "", "Austin", "TX", "73301", "",
            ],
            "CASE-0003",
            "FO-000003",
        ),
    ]
}

pub fn holder_public_key(seed: u64) -> [u8; 32] {
    SecretKey::generate(&mut StdRng::seed_from_u64(seed))
        .public_key()
        .to_bytes()
}

pub fn params(rules: RuleSet) -> PrepareParams {
    PrepareParams {
        requester_id: RequesterId::new("ice-hsi-newark").unwrap(),
        legal_basis: LegalBasis::new("26 U.S.C. 6103(i)(2); ex parte order 24-MJ-0001").unwrap(),
        rules,
        key_epoch: [7; 16],
        holder_oprf_public_key: holder_public_key(1),
        set_hash: [0x5e; 32],
        issued_at: ISSUED_AT,
        expires_at: EXPIRES_AT,
    }
}

pub fn prepared(seed: u64) -> RequestBundle {
    RequestBundle::prepare(
        rows(),
        params(RuleSet::all()),
        &mut StdRng::seed_from_u64(seed),
    )
    .unwrap()
}
