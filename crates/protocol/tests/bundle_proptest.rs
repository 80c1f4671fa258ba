#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Decoding a bundle never panics, whatever the bytes; a mutated bundle never passes
//! decoding and checking unless the mutation left its meaning unchanged.

mod bundle_support;

use std::sync::OnceLock;

use blindlink_protocol::bundle::RequestBundle;
use proptest::prelude::*;

fn valid() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| bundle_support::prepared(42).to_bytes().to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = RequestBundle::from_bytes(&bytes);
        let mut framed = valid()[..18].to_vec();
        framed.extend_from_slice(&bytes);
        if let Ok(bundle) = RequestBundle::from_bytes(&framed) {
            let _ = bundle.check();
        }
    }

    #[test]
    fn mutated_bundles_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)
    ) {
        let mut bytes = valid().to_vec();
        for (at, value) in &edits {
            let i = at.index(bytes.len());
            bytes[i] = *value;
        }
        let checked = RequestBundle::from_bytes(&bytes)
            .ok()
            .filter(|bundle| bundle.check().is_ok());
        if let Some(bundle) = checked {
            // Only edits that do not change the meaning survive: the re-encoded
            // bundle checks too, and it sends the same elements for the same keys.
            let again = RequestBundle::from_bytes(&bundle.to_bytes()).unwrap();
            prop_assert!(again.check().is_ok());
            let original = RequestBundle::from_bytes(valid()).unwrap();
            prop_assert_eq!(again.blinded_elements(), original.blinded_elements());
            prop_assert_eq!(again.element_inputs(), original.element_inputs());
        }
    }

    #[test]
    fn cut_and_spliced_bundles_never_panic(
        cut in any::<prop::sample::Index>(),
        insert in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let bytes = valid();
        let at = cut.index(bytes.len());
        let mut spliced = bytes[..at].to_vec();
        spliced.extend_from_slice(&insert);
        spliced.extend_from_slice(&bytes[at..]);
        if let Ok(bundle) = RequestBundle::from_bytes(&spliced) {
            let _ = bundle.check();
        }
    }
}
