//! Errors of the data holder's state directory: a [`StateError`] (exit code 2 when it is
//! a usage error, see [`StateError::is_usage`], else 1). Errors of the taxpayer input are
//! `blindlink_ingest::InputError` (exit code 2).

use std::path::PathBuf;

use blindlink_protocol::manifest::KeyEpoch;
use blindlink_store::StoreError;
use thiserror::Error;

use blindlink_store::key_file::KeyFileError;

/// The state directory is missing something, holds something it should not, or a file
/// in it cannot be read or written.
#[derive(Debug, Error)]
pub enum StateError {
    /// `policy.toml` is not the policy the audit log says was applied last.
    #[error(
        "{} (sha256 {found}) is not the policy last applied ({}): it was edited outside \
         `irs policy apply`; apply the intended policy with `irs policy apply`",
        path.display(),
        audited.as_deref().map_or("none was".to_owned(), |d| format!("sha256 {d}"))
    )]
    PolicyNotApplied {
        /// The policy file.
        path: PathBuf,
        /// Its digest.
        found: String,
        /// The digest of the last `policy-apply` entry, if any.
        audited: Option<String>,
    },
    /// `policy.toml` is unreadable or not a valid policy.
    #[error("{}: {message}", path.display())]
    Policy {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// No Noise key: `irs keygen` has not run in this directory.
    #[error("{} not found: run `irs keygen --dir {}` first", path.display(), dir.display())]
    NotInitialized {
        /// The state directory.
        dir: PathBuf,
        /// The missing key file.
        path: PathBuf,
    },
    /// `keygen` would overwrite keys.
    #[error("{} already exists; use --force to replace the Noise key and start a new OPRF epoch (old epochs are kept)", path.display())]
    KeysExist {
        /// The existing key file.
        path: PathBuf,
    },
    /// The epoch named with `--epoch` has no key in this directory.
    #[error("no OPRF key for epoch {epoch} (expected {})", path.display())]
    UnknownEpoch {
        /// The epoch asked for.
        epoch: KeyEpoch,
        /// Where its key would be.
        path: PathBuf,
    },
    /// Nothing to ingest into: no epoch without a set and no current epoch.
    #[error("no OPRF key epoch in {}: run `irs keygen` first", dir.display())]
    NoEpoch {
        /// The state directory.
        dir: PathBuf,
    },
    /// A key file cannot be read or is malformed (the error names the file).
    #[error(transparent)]
    KeyFile(#[from] KeyFileError),
    /// `current-epoch` does not hold an epoch id.
    #[error("{} does not hold a 32-hex-digit epoch id", path.display())]
    BadCurrentEpoch {
        /// The file.
        path: PathBuf,
    },
    /// The current epoch has no usable `set.bin`.
    #[error("{}: {reason}", path.display())]
    BadSetFile {
        /// The set file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A JSON file of the state directory cannot be (de)serialized.
    #[error("{}: {message}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The serde message.
        message: String,
    },
    /// A file operation failed (including secret files with too wide a mode).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A directory could not be listed or created.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The Noise library could not generate a key.
    #[error(transparent)]
    NoiseKey(#[from] blindlink_protocol::wire::KeyError),
}

impl StateError {
    /// Whether the operator asked for something the directory cannot give (run keygen
    /// first, --force, an unknown epoch): exit code 2 rather than 1.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            StateError::NotInitialized { .. }
                | StateError::Policy { .. }
                | StateError::PolicyNotApplied { .. }
                | StateError::KeysExist { .. }
                | StateError::UnknownEpoch { .. }
                | StateError::NoEpoch { .. }
                | StateError::KeyFile(KeyFileError::Store(StoreError::PermissionsTooOpen { .. }))
                | StateError::Store(StoreError::PermissionsTooOpen { .. })
        )
    }

    pub(crate) fn io(
        action: &'static str,
        path: &std::path::Path,
    ) -> impl FnOnce(std::io::Error) -> StateError {
        let path = path.to_path_buf();
        move |source| StateError::Io {
            action,
            path,
            source,
        }
    }
}
