//! The requester's request bundle: `RequestBundle::from_bytes` (magic, version, rules,
//! manifest JSON, records, element owners, blinded elements, blinds). Checked: an
//! accepted bundle re-encodes to bytes that decode again to the same encoding, and the
//! approver's independent `check` never panics.
#![no_main]

use blindlink_protocol::bundle::RequestBundle;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(bundle) = RequestBundle::from_bytes(data) else {
        return;
    };
    let encoded = bundle.to_bytes();
    let again = RequestBundle::from_bytes(&encoded).expect("a bundle's own encoding decodes");
    assert_eq!(*again.to_bytes(), *encoded);
    let _ = bundle.check();
    let _ = bundle.summary();
});
