//! Message decoding, every message type.
//!
//! The first byte of a postcard-encoded `Message` is its variant tag (0 = Hello ..
//! 14 = Abort), so the fuzzer drives every decoder from the seeds (one real encoding of
//! each variant). Decoded with the default limits and with tight ones. Checked: whatever
//! decodes re-encodes to exactly the input (one canonical encoding) and passes
//! `validate`; the opaque manifest and approvals of a `Request` go through the decoders
//! the holder session uses next (`Manifest::from_json`, approval JSON).
#![no_main]

use blindlink_protocol::approval::Approval;
use blindlink_protocol::manifest::Manifest;
use blindlink_protocol::wire::{Limits, Message, validate};
use libfuzzer_sys::fuzz_target;

fn tight() -> Limits {
    Limits {
        max_message_bytes: 4096,
        max_chunk_elements: 4,
        max_total_elements: 64,
        max_manifest_bytes: 1024,
        max_approvals: 2,
        max_approval_bytes: 512,
        max_set_bytes: 4096,
        max_set_chunk_bytes: 64,
        max_text_bytes: 16,
    }
}

fuzz_target!(|data: &[u8]| {
    let default = Limits::default();
    let decoded = Message::decode(data, &default);
    if let Ok(message) = &decoded {
        assert!(validate(message, &default).is_ok());
        let encoded = message.encode(&default).expect("a decoded message encodes");
        assert_eq!(encoded, data, "decode -> encode is not the identity");
        if let Message::Request(request) = message {
            let _ = Manifest::from_json(&request.manifest);
            for approval in &request.approvals {
                let _ = serde_json::from_slice::<Approval>(approval);
            }
        }
    }
    // Tight limits accept a subset of what the defaults accept.
    if let Ok(message) = Message::decode(data, &tight()) {
        assert_eq!(decoded.ok(), Some(message), "tight limits accepted more");
    }
});
