//! The state directory: where each file lives (see the crate docs for the layout), which
//! key epochs exist, and which one is current.
//!
//! Key files are in [`keys`](self) (`StateDir::save_noise_key`, `StateDir::new_epoch`, ...),
//! making an epoch current in `StateDir::activate`.

mod activate;
mod keys;
mod statement;

pub use activate::SetFileInfo;
pub use statement::{AppliedPolicy, RENEW_WHEN_LEFT_SECS, STATEMENT_VALIDITY_SECS};

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use blindlink_protocol::manifest::KeyEpoch;
use blindlink_store::write_atomic;

use crate::error::StateError;

/// Default state directory.
pub const DEFAULT_DIR: &str = "irs-state";

/// Files `irs` replaces atomically; a leftover `.<name>.<pid>.tmp` of one of them is a
/// write interrupted by a crash.
const ATOMIC_FILES: [&str; 10] = [
    "set.bin",
    "ingest.json",
    "oprf.key",
    "noise.key",
    "noise.pub",
    "identity.key",
    "identity.pub",
    "policy.toml",
    "holder.json",
    "current-epoch",
];

/// The data holder's state directory.
#[derive(Debug, Clone)]
pub struct StateDir {
    root: PathBuf,
}

/// One key epoch found in the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpochStatus {
    /// Its id.
    pub epoch: KeyEpoch,
    /// Whether `set.bin` exists.
    pub has_set: bool,
    /// When `oprf.key` was last written (orders "newest").
    pub key_written: SystemTime,
}

impl StateDir {
    /// The directory at `root` (nothing is created or read yet).
    pub fn new(root: impl Into<PathBuf>) -> StateDir {
        StateDir { root: root.into() }
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `noise.key`: the Noise static secret key.
    pub fn noise_key_path(&self) -> PathBuf {
        self.root.join("noise.key")
    }

    /// `noise.pub`: the Noise static public key.
    pub fn noise_public_path(&self) -> PathBuf {
        self.root.join("noise.pub")
    }

    /// `identity.key`: the holder's Ed25519 identity secret key (signs `holder.json`).
    pub fn identity_key_path(&self) -> PathBuf {
        self.root.join("identity.key")
    }

    /// `identity.pub`: the identity public key, which requesters pin.
    pub fn identity_public_path(&self) -> PathBuf {
        self.root.join("identity.pub")
    }

    /// `policy.toml`: the policy applied with `irs policy apply`.
    pub fn policy_path(&self) -> PathBuf {
        self.root.join("policy.toml")
    }

    /// `epochs/`.
    pub fn epochs_dir(&self) -> PathBuf {
        self.root.join("epochs")
    }

    /// `epochs/<epoch-hex>/`.
    pub fn epoch_dir(&self, epoch: KeyEpoch) -> PathBuf {
        self.epochs_dir().join(epoch.to_hex())
    }

    /// `epochs/<epoch-hex>/oprf.key`.
    pub fn oprf_key_path(&self, epoch: KeyEpoch) -> PathBuf {
        self.epoch_dir(epoch).join("oprf.key")
    }

    /// `epochs/<epoch-hex>/set.bin`.
    pub fn set_path(&self, epoch: KeyEpoch) -> PathBuf {
        self.epoch_dir(epoch).join("set.bin")
    }

    /// `epochs/<epoch-hex>/ingest.json`.
    pub fn ingest_summary_path(&self, epoch: KeyEpoch) -> PathBuf {
        self.epoch_dir(epoch).join("ingest.json")
    }

    /// `current-epoch`.
    pub fn current_epoch_path(&self) -> PathBuf {
        self.root.join("current-epoch")
    }

    /// `holder.json`.
    pub fn holder_info_path(&self) -> PathBuf {
        self.root.join("holder.json")
    }

    /// `audit.log`.
    pub fn audit_log_path(&self) -> PathBuf {
        self.root.join("audit.log")
    }

    /// Creates the directory and `epochs/` (mode 0700) if missing.
    pub fn create(&self) -> Result<(), StateError> {
        create_private_dir(&self.root)?;
        create_private_dir(&self.epochs_dir())
    }

    /// Every epoch directory that holds an `oprf.key`, in no particular order.
    pub fn epochs(&self) -> Result<Vec<EpochStatus>, StateError> {
        let dir = self.epochs_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StateError::io("list", &dir)(e)),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(StateError::io("list", &dir))?;
            let Some(epoch) = entry.file_name().to_str().and_then(parse_epoch) else {
                continue;
            };
            let Ok(meta) = std::fs::metadata(self.oprf_key_path(epoch)) else {
                continue;
            };
            out.push(EpochStatus {
                epoch,
                has_set: self.set_path(epoch).is_file(),
                key_written: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            });
        }
        Ok(out)
    }

    /// The epoch named in `current-epoch`, if the file exists.
    pub fn current_epoch(&self) -> Result<Option<KeyEpoch>, StateError> {
        let path = self.current_epoch_path();
        match std::fs::read_to_string(&path) {
            Ok(text) => parse_epoch(text.trim_end())
                .map(Some)
                .ok_or(StateError::BadCurrentEpoch { path }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StateError::io("read", &path)(e)),
        }
    }

    /// Replaces `current-epoch` atomically. Use [`StateDir::activate`] to switch epochs
    /// (it also rewrites `holder.json`).
    pub(crate) fn write_current_epoch(&self, epoch: KeyEpoch) -> Result<(), StateError> {
        let line = format!("{}\n", epoch.to_hex());
        Ok(write_atomic(
            &self.current_epoch_path(),
            line.as_bytes(),
            0o644,
        )?)
    }

    /// The epoch `ingest` writes into: `requested` if given (its key must exist); else the
    /// newest epoch with a key but no set yet; else the current epoch.
    pub fn choose_ingest_epoch(&self, requested: Option<KeyEpoch>) -> Result<KeyEpoch, StateError> {
        if let Some(epoch) = requested {
            let path = self.oprf_key_path(epoch);
            if !path.is_file() {
                return Err(StateError::UnknownEpoch { epoch, path });
            }
            return Ok(epoch);
        }
        let newest_unset = self
            .epochs()?
            .into_iter()
            .filter(|e| !e.has_set)
            .max_by(|a, b| (a.key_written, a.epoch).cmp(&(b.key_written, b.epoch)));
        if let Some(status) = newest_unset {
            return Ok(status.epoch);
        }
        self.current_epoch()?.ok_or_else(|| StateError::NoEpoch {
            dir: self.root.clone(),
        })
    }

    /// Removes temporary files left in `dir` by an interrupted atomic write of one of
    /// `irs`'s files (`.set.bin.<pid>.tmp`, ...) whose process is no longer running.
    /// Returns what was removed.
    pub fn remove_stale_temp_files(&self, dir: &Path) -> Result<Vec<PathBuf>, StateError> {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StateError::io("list", dir)(e)),
        };
        let mut removed = Vec::new();
        for entry in entries {
            let entry = entry.map_err(StateError::io("list", dir))?;
            let name = entry.file_name();
            let Some(pid) = name.to_str().and_then(stale_temp_pid) else {
                continue;
            };
            if pid != std::process::id() && Path::new("/proc").join(pid.to_string()).exists() {
                continue;
            }
            let path = entry.path();
            std::fs::remove_file(&path).map_err(StateError::io("remove", &path))?;
            removed.push(path);
        }
        Ok(removed)
    }
}

/// Parses a directory name or file line as an epoch id (exactly 32 hex digits).
pub fn parse_epoch(text: &str) -> Option<KeyEpoch> {
    if text.len() != 2 * KeyEpoch::LEN {
        return None;
    }
    KeyEpoch::from_hex(text).ok()
}

/// The pid of `.<file>.<pid>.tmp` for a file in [`ATOMIC_FILES`].
fn stale_temp_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (file, pid) = rest.rsplit_once('.')?;
    if !ATOMIC_FILES.contains(&file) || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

fn create_private_dir(path: &Path) -> Result<(), StateError> {
    use std::os::unix::fs::DirBuilderExt;
    match std::fs::DirBuilder::new().mode(0o700).create(path) {
        Ok(()) => blindlink_store::sync_dir(path).map_err(StateError::from),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && path.is_dir() => Ok(()),
        Err(e) => Err(StateError::io("create directory", path)(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names() {
        assert_eq!(stale_temp_pid(".set.bin.1234.tmp"), Some(1234));
        assert_eq!(stale_temp_pid(".holder.json.7.tmp"), Some(7));
        assert_eq!(stale_temp_pid(".other.bin.7.tmp"), None);
        assert_eq!(stale_temp_pid("set.bin.7.tmp"), None);
        assert_eq!(stale_temp_pid(".set.bin..tmp"), None);
        assert_eq!(stale_temp_pid(".set.bin.x1.tmp"), None);
    }

    #[test]
    fn epoch_ids() {
        assert!(parse_epoch(&"ab".repeat(16)).is_some());
        assert!(parse_epoch(&"ab".repeat(15)).is_none());
        assert!(parse_epoch("current").is_none());
    }

    #[test]
    fn choosing_the_ingest_epoch() {
        let tmp = tempfile::tempdir().unwrap();
        let state = StateDir::new(tmp.path().join("s"));
        state.create().unwrap();
        assert!(matches!(
            state.choose_ingest_epoch(None),
            Err(StateError::NoEpoch { .. })
        ));
        let mut rng = rand::rng();
        let (a, _) = state.new_epoch(&mut rng).unwrap();
        assert_eq!(state.choose_ingest_epoch(None).unwrap(), a);
        std::fs::write(state.set_path(a), b"x").unwrap();
        state.write_current_epoch(a).unwrap();
        assert_eq!(state.choose_ingest_epoch(None).unwrap(), a);
        let (b, _) = state.new_epoch(&mut rng).unwrap();
        assert_eq!(state.choose_ingest_epoch(None).unwrap(), b);
        assert_eq!(state.choose_ingest_epoch(Some(a)).unwrap(), a);
        let unknown = KeyEpoch::from_bytes([0; 16]);
        assert!(matches!(
            state.choose_ingest_epoch(Some(unknown)),
            Err(StateError::UnknownEpoch { .. })
        ));
    }
}
