//! Manifest decoding: `Manifest::from_json` (and the digest/merkle byte decoders it
//! feeds). Checked: an accepted manifest survives `to_json_pretty` -> `from_json`
//! unchanged, with identical canonical bytes, and its canonical bytes start with the
//! domain tag.
#![no_main]

use blindlink_protocol::manifest::{MANIFEST_DOMAIN_TAG, Manifest};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(manifest) = Manifest::from_json(data) else {
        return;
    };
    let canonical = manifest.canonical_bytes();
    assert!(canonical.starts_with(MANIFEST_DOMAIN_TAG));
    let again = Manifest::from_json(manifest.to_json_pretty().as_bytes())
        .expect("a manifest's own JSON parses");
    assert_eq!(again.canonical_bytes(), canonical);
    assert_eq!(again, manifest);
});
