//! Signed checkpoints of a party's own audit log (`irs audit checkpoint`,
//! `ice audit checkpoint`), and the check of a log against a checkpoint given out earlier
//! (`audit verify --checkpoint`): whoever holds a checkpoint can later tell whether the
//! log was cut or rewritten since.

use std::path::Path;

use blindlink_protocol::identity::{IdentityKey, IdentityPublicKey};
use blindlink_protocol::transparency::{Checkpoint, LogTree, SignedCheckpoint, verify_consistency};
use serde::Serialize;

use super::log::{AuditError, scan_file};

/// The verified tree of the log at `path`; a broken or torn chain is an error.
fn intact_tree(path: &Path) -> Result<LogTree, AuditError> {
    let verifier = scan_file(path, |_, _| {})?;
    let (report, tree) = verifier.finish_with_tree();
    if report.broken.is_some() || report.torn_tail.is_some() {
        return Err(AuditError::Broken {
            path: path.to_path_buf(),
            report: Box::new(report),
        });
    }
    Ok(tree)
}

/// A checkpoint of the log at `path` as it is now, signed with `key` at `time`.
pub fn sign_checkpoint(
    path: &Path,
    key: &IdentityKey,
    time: u64,
) -> Result<SignedCheckpoint, AuditError> {
    Ok(Checkpoint::sign(intact_tree(path)?.head(), time, key))
}

/// What a log is, compared with a checkpoint of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum CheckpointStatus {
    /// The log is the checkpointed one, or extends it unchanged.
    Extends {
        /// Entries in the checkpoint.
        checkpoint_size: u64,
        /// Entries in the log now.
        log_size: u64,
    },
    /// The log has fewer entries than the checkpoint: it was cut.
    Cut {
        /// Entries in the checkpoint.
        checkpoint_size: u64,
        /// Entries in the log now.
        log_size: u64,
    },
    /// The log's first `checkpoint_size` entries are not the checkpointed ones.
    Rewritten {
        /// Entries in the checkpoint.
        checkpoint_size: u64,
        /// Entries in the log now.
        log_size: u64,
    },
    /// The checkpoint is not signed by the expected key.
    NotSigned {
        /// Why.
        why: String,
    },
}

impl CheckpointStatus {
    /// Whether the log still holds what the checkpoint signed.
    pub fn holds(&self) -> bool {
        matches!(self, CheckpointStatus::Extends { .. })
    }

    /// One line for `audit checkpoint --check`.
    pub fn text(&self) -> String {
        match self {
            CheckpointStatus::Extends {
                checkpoint_size,
                log_size,
            } => format!(
                "holds: the log's {log_size} entries extend the {checkpoint_size} checkpointed, unchanged"
            ),
            CheckpointStatus::Cut {
                checkpoint_size,
                log_size,
            } => format!(
                "CUT: the checkpoint signs {checkpoint_size} entries, the log has {log_size}"
            ),
            CheckpointStatus::Rewritten {
                checkpoint_size,
                log_size,
            } => format!(
                "REWRITTEN: the log's first {checkpoint_size} entries (of {log_size}) are not the checkpointed ones"
            ),
            CheckpointStatus::NotSigned { why } => format!("NOT SIGNED by this party: {why}"),
        }
    }
}

/// Writes `checkpoint` as pretty JSON to `path` (atomically, 0644: it is public).
pub fn write_checkpoint(path: &Path, checkpoint: &SignedCheckpoint) -> std::io::Result<()> {
    let bytes = serde_json::to_vec_pretty(&checkpoint.to_json()).map_err(std::io::Error::other)?;
    crate::write_atomic(path, &bytes, 0o644).map_err(std::io::Error::other)
}

/// Checks the log at `log` against the checkpoint file `file`, signed by `signer`
/// (`audit checkpoint --check`). `Err` is a file that cannot be read or a log that
/// cannot be checked, in words.
pub fn check_checkpoint_file(
    log: &Path,
    file: &Path,
    signer: &IdentityPublicKey,
) -> Result<CheckpointStatus, String> {
    let checkpoint = read_checkpoint(file)?;
    check_checkpoint(log, &checkpoint, signer).map_err(|e| e.to_string())
}

/// Reads a checkpoint file (`blindlink.checkpoint/1` JSON).
pub fn read_checkpoint(path: &Path) -> Result<SignedCheckpoint, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    SignedCheckpoint::from_json(&value).map_err(|e| format!("{}: {e}", path.display()))
}

/// Checks the log at `path` against `checkpoint`, which `signer` must have signed.
pub fn check_checkpoint(
    path: &Path,
    checkpoint: &SignedCheckpoint,
    signer: &IdentityPublicKey,
) -> Result<CheckpointStatus, AuditError> {
    if let Err(e) = checkpoint.verify(signer) {
        return Ok(CheckpointStatus::NotSigned { why: e.to_string() });
    }
    let tree = intact_tree(path)?;
    let head = checkpoint.checkpoint.head;
    let (checkpoint_size, log_size) = (head.size, tree.size());
    if checkpoint_size > log_size {
        return Ok(CheckpointStatus::Cut {
            checkpoint_size,
            log_size,
        });
    }
    let consistent = tree
        .consistency_proof(checkpoint_size)
        .and_then(|proof| verify_consistency(&head, &tree.head(), &proof));
    Ok(match consistent {
        Ok(()) => CheckpointStatus::Extends {
            checkpoint_size,
            log_size,
        },
        Err(_) => CheckpointStatus::Rewritten {
            checkpoint_size,
            log_size,
        },
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::audit::{AuditEvent, AuditLog, EventKind};

    fn append(path: &Path, n: u64, time: u64) {
        let log = AuditLog::open(path).unwrap();
        for i in 0..n {
            let mut details = serde_json::Map::new();
            details.insert("i".into(), i.into());
            log.append(&AuditEvent {
                time,
                kind: EventKind::KeyGenerated,
                details,
            })
            .unwrap();
        }
    }

    #[test]
    fn a_log_checked_against_its_checkpoint_extends_or_is_caught_cut_or_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.log");
        let key = IdentityKey::from_secret_bytes(&[9; 32]);
        append(&path, 3, 1);
        let checkpoint = sign_checkpoint(&path, &key, 100).unwrap();
        let me = key.public_key();
        append(&path, 2, 1);
        let status = check_checkpoint(&path, &checkpoint, &me).unwrap();
        assert_eq!(
            status,
            CheckpointStatus::Extends {
                checkpoint_size: 3,
                log_size: 5
            }
        );
        let other = IdentityKey::from_secret_bytes(&[8; 32]).public_key();
        assert!(matches!(
            check_checkpoint(&path, &checkpoint, &other).unwrap(),
            CheckpointStatus::NotSigned { .. }
        ));

        let bytes = std::fs::read(&path).unwrap();
        let first: Vec<u8> = bytes
            .split_inclusive(|&b| b == b'\n')
            .take(2)
            .flatten()
            .copied()
            .collect();
        std::fs::write(&path, &first).unwrap();
        assert!(matches!(
            check_checkpoint(&path, &checkpoint, &me).unwrap(),
            CheckpointStatus::Cut { .. }
        ));
        // Rebuilt from scratch with other entries (a chain that verifies on its own).
        std::fs::remove_file(&path).unwrap();
        append(&path, 4, 2);
        assert!(matches!(
            check_checkpoint(&path, &checkpoint, &me).unwrap(),
            CheckpointStatus::Rewritten { .. }
        ));
    }
}
