//! What the ledger-receipt and reconcile tests share: the holder's identity key and a
//! request summary whose manifest hash is derived from its number.
#![allow(dead_code)]

use blindlink_protocol::driver::{RequestSummary, SignedScope};
use blindlink_protocol::identity::IdentityKey;
use blindlink_protocol::manifest::{KeyEpoch, OprfKeyHex, RequestId, SetHash};

pub const NOW: u64 = 1_800_000_000;

/// The holder's identity key.
pub fn holder_key() -> IdentityKey {
    IdentityKey::from_secret_bytes(&[0x42; 32])
}

/// Request `n` of `requester`: id `[n; 16]`, manifest hash `[n; 32]`.
pub fn summary(requester: &str, n: u8) -> RequestSummary {
    RequestSummary {
        requester: requester.into(),
        request_id: RequestId::from_bytes([n; 16]),
        records: 1,
        elements: 6,
        rules: vec!["R1".into()],
        approvals: 1,
        signed: SignedScope {
            manifest_sha256: [n; 32],
            key_epoch: KeyEpoch::from_bytes([1; 16]),
            oprf_public_key: OprfKeyHex::from_bytes([2; 32]),
            set_hash: SetHash::from_bytes([3; 32]),
            approvals: Vec::new(),
        },
    }
}
