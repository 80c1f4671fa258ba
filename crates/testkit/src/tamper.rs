//! What a holder that controls its own disk can do to its audit log between runs, for
//! the tests that check the requester's receipts and the reconcile catch it: cut the log
//! back, or edit an entry and recompute the hash chain after it, so that `audit verify`
//! on the log alone still says intact.

use std::path::Path;

use blindlink_store::audit::{AuditEvent, GENESIS_PREV, encode_line, line_hash, parse_line};
use thiserror::Error;

/// Why the log could not be tampered with.
#[derive(Debug, Error)]
pub enum TamperError {
    /// The file.
    #[error("audit log: {0}")]
    Io(#[from] std::io::Error),
    /// A line is not an entry.
    #[error("line {line}: {why}")]
    Entry {
        /// 1-based line.
        line: usize,
        /// Why.
        why: String,
    },
}

/// Keeps only the first `entries` lines of the log at `path`.
pub fn cut_log(path: &Path, entries: usize) -> Result<(), TamperError> {
    let bytes = std::fs::read(path)?;
    let kept: Vec<u8> = bytes
        .split_inclusive(|&b| b == b'\n')
        .take(entries)
        .flatten()
        .copied()
        .collect();
    std::fs::write(path, kept)?;
    Ok(())
}

/// Applies `edit` to the first entry for which it returns `true`, then re-chains every
/// line after it (new `prev` hashes), so the edited log verifies on its own. Returns the
/// edited entry's seq, if any entry was edited.
pub fn rewrite_entry(
    path: &Path,
    mut edit: impl FnMut(&mut AuditEvent) -> bool,
) -> Result<Option<u64>, TamperError> {
    let bytes = std::fs::read(path)?;
    let mut out = Vec::with_capacity(bytes.len());
    let mut prev = GENESIS_PREV;
    let mut edited = None;
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let mut entry = parse_line(line).map_err(|e| TamperError::Entry {
            line: index + 1,
            why: e.to_string(),
        })?;
        if edited.is_none() && edit(&mut entry.event) {
            edited = Some(entry.seq);
        }
        let encoded =
            encode_line(entry.seq, &prev, &entry.event).map_err(|e| TamperError::Entry {
                line: index + 1,
                why: e.to_string(),
            })?;
        prev = line_hash(&encoded);
        out.extend_from_slice(&encoded);
        out.push(b'\n');
    }
    std::fs::write(path, out)?;
    Ok(edited)
}
