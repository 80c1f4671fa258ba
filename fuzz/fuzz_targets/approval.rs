//! Approval decoding: the signed-manifest file (`SignedManifest::from_json`), a single
//! approval as it travels in a `Request` (JSON), and approver key files. Checked: an
//! accepted signed manifest or approval survives its own JSON unchanged; verifying the
//! approvals never panics.
#![no_main]

use blindlink_protocol::approval::{
    Approval, ApproverPublicKey, ApproverSigningKey, SignedManifest,
};
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
    if let Ok(key) = ApproverPublicKey::from_key_file(data) {
        assert_eq!(
            ApproverPublicKey::from_key_file(&key.to_key_file()).ok(),
            Some(key)
        );
    }
    if let Ok(key) = ApproverSigningKey::from_key_file(data) {
        let again = ApproverSigningKey::from_key_file(&key.to_key_file())
            .expect("a key file's own encoding parses");
        assert_eq!(again.public_key(), key.public_key());
    }
});
