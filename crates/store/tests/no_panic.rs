#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Property tests: the key file, audit log and replay journal parsers never panic on
//! arbitrary input.

use std::path::Path;

use blindlink_store::audit::{parse_line, verify_bytes};
use blindlink_store::key_file::{self, ApproverPublic, ApproverSecret, NoiseSecret, OprfSecret};
use blindlink_store::replay::parse_journal;
use proptest::prelude::*;

proptest! {
    #[test]
    fn key_files_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let path = Path::new("fuzzed.key");
        let _ = key_file::parse::<ApproverSecret>(path, &bytes);
        let _ = key_file::parse::<ApproverPublic>(path, &bytes);
        let _ = key_file::parse::<NoiseSecret>(path, &bytes);
        let _ = key_file::parse::<OprfSecret>(path, &bytes);
    }

    #[test]
    fn logs_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_line(&bytes);
        let _ = verify_bytes(&bytes);
        let _ = parse_journal(&bytes);
    }
}
