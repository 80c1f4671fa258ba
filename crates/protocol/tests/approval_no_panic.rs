#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Property tests: a single approval as it travels in a `Request` (JSON, decoded by the
//! holder session) never panics on arbitrary bytes, and whatever is accepted survives
//! its own JSON unchanged. The fuzz target `approval` drives the same entry point.

use blindlink_protocol::approval::Approval;
use proptest::prelude::*;

/// A valid approval's JSON with the given strings spliced in as role and hex fields.
fn approval_like(role: &str, key: &str, signature: &str) -> String {
    serde_json::json!({ "role": role, "public_key": key, "signature": signature }).to_string()
}

proptest! {
    #[test]
    fn approval_json_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        if let Ok(approval) = serde_json::from_slice::<Approval>(&bytes) {
            let json = serde_json::to_vec(&approval).unwrap();
            prop_assert_eq!(serde_json::from_slice::<Approval>(&json).unwrap(), approval);
        }
    }

    #[test]
    fn approval_like_json_never_panics(
        role in prop_oneof!["[a-z][a-z0-9-]{0,20}", "\\PC{0,80}"],
        key in prop_oneof!["[0-9a-f]{64}", "[0-9a-fA-F]{0,70}"],
        signature in prop_oneof!["[0-9a-f]{128}", "[0-9a-fA-F]{0,140}"],
    ) {
        let json = approval_like(&role, &key, &signature);
        if let Ok(approval) = serde_json::from_str::<Approval>(&json) {
            prop_assert_eq!(approval.role().as_str(), role.as_str());
            prop_assert_eq!(approval.public_key().to_hex(), key.to_ascii_lowercase());
        }
    }
}
