//! Approval decoding: the signed-manifest file (`SignedManifest::from_json`), a single
//! approval as it travels in a `Request` (JSON), and approver key files
//! (`blindlink_store::key_file`). Checked: an
//! accepted signed manifest or approval survives its own JSON unchanged; verifying the
//! approvals never panics.
#![no_main]

use std::path::Path;

use blindlink_protocol::approval::{Approval, SignedManifest};
use blindlink_store::key_file::{self, ApproverPublic, ApproverSecret};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(signed) = SignedManifest::from_json(data) {
        let again = SignedManifest::from_json(signed.to_json_pretty().as_bytes())
            .expect("a signed manifest's own JSON parses");
        assert_eq!(again, signed);
        for approval in &signed.approvals {
            let _ = approval.verify(&signed.manifest);
        }
    }
    if let Ok(approval) = serde_json::from_slice::<Approval>(data) {
        let json = serde_json::to_vec(&approval).expect("an approval serializes");
        let again: Approval = serde_json::from_slice(&json).expect("its own JSON parses");
        assert_eq!(again, approval);
    }
    let path = Path::new("fuzz input");
    if let Ok(key) = key_file::parse::<ApproverPublic>(path, data) {
        assert_eq!(
            key_file::parse::<ApproverPublic>(path, &key_file::encode::<ApproverPublic>(&key)).ok(),
            Some(key)
        );
    }
    if let Ok(key) = key_file::parse::<ApproverSecret>(path, data) {
        let again =
            key_file::parse::<ApproverSecret>(path, &key_file::encode::<ApproverSecret>(&key))
                .expect("a key file's own encoding parses");
        assert_eq!(again.public_key(), key.public_key());
    }
});
