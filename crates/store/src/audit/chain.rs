//! Chain verification over lines, independent of where the bytes come from.

use core::fmt;
use std::collections::HashMap;

use blindlink_protocol::transparency::{LogTree, TreeHead};
use serde_json::Value;

use super::entry::{AuditEntry, EntryError, EventKind, GENESIS_PREV, line_hash, parse_line};

/// Why the chain breaks at a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BreakReason {
    /// The line is not a well-formed entry (bad JSON, unknown kind, over-long, ...).
    BadEntry(EntryError),
    /// `seq` is not the previous one plus one (the first is 1).
    SeqGap {
        /// The seq expected.
        expected: u64,
        /// The seq found.
        found: u64,
    },
    /// `prev` is not the hash of the previous line.
    WrongPrev {
        /// Hash of the previous line (zeros for the first entry).
        expected: [u8; 32],
        /// The `prev` found.
        found: [u8; 32],
    },
}

impl fmt::Display for BreakReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BreakReason::BadEntry(e) => write!(f, "{e}"),
            BreakReason::SeqGap { expected, found } => {
                write!(f, "seq {found} where {expected} was expected")
            }
            BreakReason::WrongPrev { expected, found } => write!(
                f,
                "prev {} does not match the previous line's hash {}",
                hex::encode(found),
                hex::encode(expected)
            ),
        }
    }
}

/// The first line at which the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// 1-based line number.
    pub line: u64,
    /// What is wrong.
    pub reason: BreakReason,
}

/// Bytes after the last `\n`: a write that did not complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TornLine {
    /// 1-based line number of the fragment.
    pub line: u64,
    /// Byte offset where it starts (the length to truncate the file to).
    pub offset: u64,
    /// Its length in bytes.
    pub len: u64,
}

/// A request id with more than one `decision-accepted` entry: one approval was served
/// twice (e.g. after the replay journal was deleted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateAccepted {
    /// The request id, as logged (32 hex digits).
    pub request_id: String,
    /// 1-based line of its first `decision-accepted` entry.
    pub first_line: u64,
    /// 1-based line of this later one.
    pub line: u64,
}

/// Result of verifying a whole log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Entries that chain correctly from the start, up to the first break.
    pub entries: u64,
    /// SHA-256 of the last of those lines ([`GENESIS_PREV`] if none): anchor it
    /// elsewhere to detect truncation of the log's end.
    pub head: [u8; 32],
    /// The Merkle tree head (RFC 9162 hashing) over those entries: what a checkpoint of
    /// the log signs and what receipts prove consistency with.
    pub tree: TreeHead,
    /// The first broken link, if any (lines after it are not checked).
    pub broken: Option<BrokenLink>,
    /// A torn last line, if any; reported even when the chain broke earlier.
    pub torn_tail: Option<TornLine>,
    /// Request ids accepted more than once (among the entries that chain correctly).
    pub duplicate_accepted: Vec<DuplicateAccepted>,
}

impl VerifyReport {
    /// True if the chain is unbroken, no line is torn and no request id was accepted
    /// twice.
    pub fn is_intact(&self) -> bool {
        self.broken.is_none() && self.torn_tail.is_none() && self.duplicate_accepted.is_empty()
    }
}

impl fmt::Display for VerifyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} entries chain correctly (head {}, tree root {})",
            self.entries,
            hex::encode(self.head),
            hex::encode(self.tree.root)
        )?;
        if let Some(broken) = &self.broken {
            write!(
                f,
                "; chain broken at line {}: {}",
                broken.line, broken.reason
            )?;
        }
        if let Some(torn) = &self.torn_tail {
            write!(
                f,
                "; torn last line {} ({} bytes without a newline)",
                torn.line, torn.len
            )?;
        }
        for dup in &self.duplicate_accepted {
            write!(
                f,
                "; request {} accepted again at line {} (first at line {})",
                dup.request_id, dup.line, dup.first_line
            )?;
        }
        Ok(())
    }
}

/// Checks lines one by one, in order, and builds the [`VerifyReport`].
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    lines: u64,
    offset: u64,
    entries: u64,
    head: [u8; 32],
    broken: Option<BrokenLink>,
    torn_tail: Option<TornLine>,
    accepted: HashMap<String, u64>,
    duplicate_accepted: Vec<DuplicateAccepted>,
    tree: LogTree,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self::new()
    }
}

impl ChainVerifier {
    /// Starts at the genesis.
    pub fn new() -> Self {
        Self {
            lines: 0,
            offset: 0,
            entries: 0,
            head: GENESIS_PREV,
            broken: None,
            torn_tail: None,
            accepted: HashMap::new(),
            duplicate_accepted: Vec::new(),
            tree: LogTree::new(),
        }
    }

    /// The seq the next entry must have.
    pub fn next_seq(&self) -> u64 {
        self.entries + 1
    }

    /// Hash of the last valid line (the next entry's `prev`).
    pub fn head(&self) -> [u8; 32] {
        self.head
    }

    /// Feeds one complete line: `len` bytes including its `\n`; `content` is the line
    /// without the `\n`, or `None` when it was too long to keep (over
    /// [`MAX_LINE_BYTES`](super::MAX_LINE_BYTES)).
    pub fn feed_line(&mut self, content: Option<&[u8]>, len: u64) -> Option<AuditEntry> {
        self.lines += 1;
        self.offset += len;
        if self.broken.is_some() {
            return None;
        }
        let checked = match content {
            Some(line) => self.check(line),
            None => Err(BreakReason::BadEntry(EntryError::TooLong {
                len: usize::try_from(len.saturating_sub(1)).unwrap_or(usize::MAX),
            })),
        };
        match checked {
            Ok(entry) => Some(entry),
            Err(reason) => {
                self.broken = Some(BrokenLink {
                    line: self.lines,
                    reason,
                });
                None
            }
        }
    }

    fn check(&mut self, line: &[u8]) -> Result<AuditEntry, BreakReason> {
        let entry = parse_line(line).map_err(BreakReason::BadEntry)?;
        if entry.seq != self.next_seq() {
            return Err(BreakReason::SeqGap {
                expected: self.next_seq(),
                found: entry.seq,
            });
        }
        if entry.prev != self.head {
            return Err(BreakReason::WrongPrev {
                expected: self.head,
                found: entry.prev,
            });
        }
        self.entries += 1;
        self.head = line_hash(line);
        self.tree.push(self.head);
        self.note_accepted(&entry);
        Ok(entry)
    }

    /// Remembers the request id of a `decision-accepted` entry, flagging a repeat.
    fn note_accepted(&mut self, entry: &AuditEntry) {
        if entry.event.kind != EventKind::DecisionAccepted {
            return;
        }
        let Some(id) = entry
            .event
            .details
            .get("request_id")
            .and_then(Value::as_str)
        else {
            return;
        };
        let line = self.lines;
        match self.accepted.get(id) {
            Some(&first_line) => self.duplicate_accepted.push(DuplicateAccepted {
                request_id: id.to_owned(),
                first_line,
                line,
            }),
            None => {
                self.accepted.insert(id.to_owned(), line);
            }
        }
    }

    /// Records `len` bytes after the last `\n` (the end of the input).
    pub fn feed_torn_tail(&mut self, len: u64) {
        if len > 0 {
            self.torn_tail = Some(TornLine {
                line: self.lines + 1,
                offset: self.offset,
                len,
            });
        }
    }

    /// The report.
    pub fn finish(self) -> VerifyReport {
        self.finish_with_tree().0
    }

    /// The report and the Merkle tree of the entries that chain correctly.
    pub fn finish_with_tree(self) -> (VerifyReport, LogTree) {
        let report = VerifyReport {
            entries: self.entries,
            head: self.head,
            tree: self.tree.head(),
            broken: self.broken,
            torn_tail: self.torn_tail,
            duplicate_accepted: self.duplicate_accepted,
        };
        (report, self.tree)
    }
}

/// Verifies a whole log held in memory.
pub fn verify_bytes(bytes: &[u8]) -> VerifyReport {
    let mut verifier = ChainVerifier::new();
    for piece in bytes.split_inclusive(|&b| b == b'\n') {
        match piece.strip_suffix(b"\n") {
            Some(line) => {
                verifier.feed_line(Some(line), piece.len() as u64);
            }
            None => verifier.feed_torn_tail(piece.len() as u64),
        }
    }
    verifier.finish()
}
