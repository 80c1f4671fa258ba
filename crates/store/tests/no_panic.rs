#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Property tests: the audit log and replay journal parsers never panic on arbitrary input.

use blindlink_store::audit::{parse_line, verify_bytes};
use blindlink_store::replay::parse_journal;
use proptest::prelude::*;

proptest! {
    #[test]
    fn logs_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_line(&bytes);
        let _ = verify_bytes(&bytes);
        let _ = parse_journal(&bytes);
    }
}
