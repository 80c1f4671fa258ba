//! Single-use request ids: the journal format (this module, pure) and the durable
//! file-backed set ([`ReplayStore`], in `store`).
//!
//! The journal is append-only ASCII: one request id per line, 32 lowercase hex digits
//! followed by `\n`. An insert appends its line and fsyncs before it reports success,
//! so a request is served only after its id is durable. After a crash the file may end
//! in a torn line (no `\n`). On open:
//!
//! * a torn tail that still holds a whole id (only the `\n` is missing) is treated as
//!   used and its line completed: erring towards refusing a request is safe;
//! * any shorter fragment is cut off (that insert never returned, so nothing was
//!   served under it).
//!
//! Either case is reported by [`ReplayStore::recovery`]. Any malformed complete line
//! is corruption and makes open fail with its line number.

mod store;

use std::collections::HashSet;
use std::path::PathBuf;

use thiserror::Error;

use blindlink_protocol::manifest::RequestId;

pub use store::ReplayStore;

/// Length of one journal line: 32 hex digits and `\n`.
pub const JOURNAL_LINE_LEN: usize = 33;

/// Errors of the replay store.
#[derive(Debug, Error)]
pub enum ReplayError {
    /// A file operation failed.
    #[error("replay store {}: cannot {action}: {source}", path.display())]
    Io {
        /// The journal file.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The OS error.
        source: std::io::Error,
    },
    /// A complete line of the journal is not a request id.
    #[error("replay store {}: line {line} is not a request id", path.display())]
    Corrupt {
        /// The journal file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
    },
    /// An earlier write failed, so the file state is unknown; reopen the store.
    #[error("replay store {}: an earlier write failed; reopen the store", path.display())]
    Failed {
        /// The journal file.
        path: PathBuf,
    },
}

/// What [`parse_journal`] found after the last complete line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TornTail {
    /// A whole id without its `\n`, starting at byte `offset`: counted as used.
    CompleteId {
        /// The id.
        id: RequestId,
        /// Byte offset of the line.
        offset: u64,
    },
    /// A partial line of `len` bytes at byte `offset`: to be cut off.
    Fragment {
        /// Byte offset of the fragment.
        offset: u64,
        /// Its length.
        len: u64,
    },
}

/// A parsed journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    /// Ids on complete lines.
    pub ids: HashSet<RequestId>,
    /// A torn last line, if any.
    pub torn_tail: Option<TornTail>,
}

/// A complete line is not a request id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("journal line {line} is not a request id")]
pub struct CorruptLine {
    /// 1-based line number.
    pub line: u64,
}

/// The journal line for `id`.
pub fn journal_line(id: &RequestId) -> [u8; JOURNAL_LINE_LEN] {
    let mut line = [b'\n'; JOURNAL_LINE_LEN];
    // 16 bytes always fit 32 hex digits.
    let _ = hex::encode_to_slice(id.as_bytes(), &mut line[..32]);
    line
}

fn parse_id(text: &[u8]) -> Option<RequestId> {
    if text.len() != 32 || !text.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut bytes = [0u8; 16];
    hex::decode_to_slice(text, &mut bytes).ok()?;
    Some(RequestId::from_bytes(bytes))
}

/// Parses journal bytes (see the module doc).
pub fn parse_journal(bytes: &[u8]) -> Result<Journal, CorruptLine> {
    let mut ids = HashSet::new();
    let mut offset = 0u64;
    let lines = bytes.split_inclusive(|&b| b == b'\n');
    let mut torn_tail = None;
    for (index, line) in lines.enumerate() {
        let line_number = index as u64 + 1;
        match line.strip_suffix(b"\n") {
            Some(text) => {
                let id = parse_id(text).ok_or(CorruptLine { line: line_number })?;
                ids.insert(id);
            }
            // Only the last piece can lack its newline.
            None => {
                torn_tail = Some(match parse_id(line) {
                    Some(id) => TornTail::CompleteId { id, offset },
                    None => TornTail::Fragment {
                        offset,
                        len: line.len() as u64,
                    },
                });
            }
        }
        offset += line.len() as u64;
    }
    Ok(Journal { ids, torn_tail })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> RequestId {
        RequestId::from_bytes([n; 16])
    }

    #[test]
    fn lines_round_trip() {
        let bytes = [journal_line(&id(1)), journal_line(&id(2))].concat();
        assert_eq!(&bytes[..33], b"01010101010101010101010101010101\n");
        let journal = parse_journal(&bytes).unwrap();
        assert_eq!(journal.ids, HashSet::from([id(1), id(2)]));
        assert_eq!(journal.torn_tail, None);
        assert_eq!(parse_journal(b"").unwrap().ids.len(), 0);
    }

    #[test]
    fn torn_tails_are_classified() {
        let mut bytes = journal_line(&id(1)).to_vec();
        bytes.extend_from_slice(b"0202");
        let journal = parse_journal(&bytes).unwrap();
        assert_eq!(
            journal.torn_tail,
            Some(TornTail::Fragment { offset: 33, len: 4 })
        );

        let mut bytes = journal_line(&id(1)).to_vec();
        bytes.extend_from_slice(&journal_line(&id(2))[..32]);
        let journal = parse_journal(&bytes).unwrap();
        assert_eq!(
            journal.torn_tail,
            Some(TornTail::CompleteId {
                id: id(2),
                offset: 33
            })
        );
        assert!(!journal.ids.contains(&id(2)));
    }

    #[test]
    fn corrupt_lines_are_located() {
        let mut bytes = journal_line(&id(1)).to_vec();
        bytes.extend_from_slice(b"0202020202020202020202020202020G\n");
        bytes.extend_from_slice(&journal_line(&id(3)));
        assert_eq!(parse_journal(&bytes), Err(CorruptLine { line: 2 }));
        let upper = b"ABABABABABABABABABABABABABABABAB\n";
        assert_eq!(parse_journal(upper), Err(CorruptLine { line: 1 }));
    }
}
