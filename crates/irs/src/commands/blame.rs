//! Whose fault an error of the holder's own concerns is: the state directory
//! ([`StateError`]) and the ingest pipeline ([`IngestError`], [`InputError`]). Errors
//! that are always one kind are blamed where they happen with
//! [`blindlink_cli::Blame`] or [`Failure::input`] / [`Failure::other`]; these types mix
//! both kinds, so each variant is classified here, once.
//!
//! Input (exit code 2): what the operator asked for cannot be done as asked (run
//! `irs keygen` first, `--force`, an unknown epoch), or the taxpayer file or shard files
//! named are unusable, a secret file readable by others (as in every binary). Other
//! (exit code 1): everything else, including key files that exist but cannot be read.

use blindlink_cli::Failure;
use blindlink_ingest::{IngestError, InputError};
use irs::error::StateError;

/// A state-directory error: input when [`StateError::is_usage`], else other.
pub fn state(error: StateError) -> Failure {
    Failure::blamed(error.is_usage(), error)
}

/// An ingest error: the input file, the shard files and their rule sets are the
/// input's fault; evaluation, encoding, temporary runs and writes are not.
pub fn ingest(error: IngestError) -> Failure {
    match error {
        IngestError::Input(_) | IngestError::Shard(_) | IngestError::UnknownRules(_) => {
            Failure::input(error)
        }
        IngestError::Oprf(_)
        | IngestError::Encode(_)
        | IngestError::Spill { .. }
        | IngestError::Store(_)
        | IngestError::Unsorted { .. }
        | IngestError::RowOutOfRange { .. }
        | IngestError::RowsUntrackable { .. }
        | IngestError::TooManyRows => Failure::other(error),
    }
}

/// The taxpayer file cannot be opened or read as one: always the input's fault.
pub fn input(error: InputError) -> Failure {
    Failure::input(error)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use blindlink_cli::Kind;
    use blindlink_ingest::ShardError;

    use super::*;

    #[test]
    fn usage_errors_of_the_state_directory_are_input() {
        let dir = PathBuf::from("irs-state");
        let missing = state(StateError::NoEpoch { dir: dir.clone() });
        assert_eq!(missing.kind(), Kind::Input);
        assert!(missing.message().contains("irs keygen"));
        let unreadable = state(StateError::BadCurrentEpoch {
            path: dir.join("current-epoch"),
        });
        assert_eq!(unreadable.kind(), Kind::Other);
    }

    #[test]
    fn bad_input_files_are_input_and_pipeline_failures_are_not() {
        assert_eq!(ingest(IngestError::UnknownRules(0x80)).kind(), Kind::Input);
        let shard = ShardError::NotAShard(PathBuf::from("shard-0-of-2.bin"));
        assert_eq!(ingest(IngestError::Shard(shard)).kind(), Kind::Input);
        assert_eq!(ingest(IngestError::TooManyRows).kind(), Kind::Other);
        let spill = IngestError::Spill {
            op: "write",
            path: PathBuf::from("run-0"),
            source: std::io::Error::other("disk full"),
        };
        assert_eq!(ingest(spill).kind(), Kind::Other);
    }
}
