//! The shard file: what `irs ingest --shard i/n` writes and `irs merge` reads.
//!
//! ```text
//! offset size  field
//!      0    8  magic "BLSHARD\0"
//!      8    2  format version (u16 big-endian, 1)
//!     10    1  rule set bits
//!     11    1  reserved, 0
//!     12    4  shard index i (u32 BE)
//!     16    4  shard count n (u32 BE), i < n
//!     20   16  key epoch
//!     36    8  max_request_elements (u64 BE)
//!     44    8  data rows of the whole input (u64 BE)
//!     52    8  entry count E (u64 BE)
//!     60    4  metadata length M (u32 BE, at most 1 MiB)
//!     64    M  metadata, JSON: input path, whole-file ReadStats, the slice's KeyingStats
//!   64+M 24*E  entries, ascending (KeyEntry::to_bytes), every row r with r % n == i, r < rows
//!    end   32  SHA-256 of everything before
//! ```
//!
//! The entries are *all* evaluated keys of the slice, before uniqueness: a value can be
//! shared with a row of another shard, so only the merge can decide. The file length is
//! checked against the header before any entry is read, and the checksum, order and rows
//! while reading; a reader never trusts a count to allocate.

use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use blindlink_store::AtomicFile;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::entry::{ENTRY_LEN, KeyEntry};
use super::evaluate::KeyingStats;
use super::read::{ReadStats, Slice};
use super::shard_error::ShardError;
use super::{IngestError, merge::EntryStream};

/// First bytes of a shard file.
pub const SHARD_MAGIC: [u8; 8] = *b"BLSHARD\0";
/// Format version written and accepted.
pub const SHARD_VERSION: u16 = 1;
/// Fixed header length.
pub const SHARD_HEADER_LEN: usize = 64;
/// Largest metadata block accepted.
const MAX_META_LEN: u32 = 1 << 20;

/// The fixed header fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardHeader {
    /// Rule set bits.
    pub rule_set: u8,
    /// Which slice.
    pub slice: Slice,
    /// Key epoch.
    pub epoch: [u8; 16],
    /// Request size the set is sized for.
    pub max_request_elements: u64,
    /// Data rows of the whole input.
    pub rows: u64,
    /// Entries in the file.
    pub entries: u64,
}

/// The metadata block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardMeta {
    /// The input path as given to the shard run.
    pub input: String,
    /// Counts over the whole input (the same in every shard of one input).
    pub read: ReadStats,
    /// Counts over the slice.
    pub keying: KeyingStats,
}

impl ShardHeader {
    fn to_bytes(self, meta_len: u32) -> [u8; SHARD_HEADER_LEN] {
        let mut out = [0u8; SHARD_HEADER_LEN];
        out[..8].copy_from_slice(&SHARD_MAGIC);
        out[8..10].copy_from_slice(&SHARD_VERSION.to_be_bytes());
        out[10] = self.rule_set;
        out[12..16].copy_from_slice(&self.slice.index.to_be_bytes());
        out[16..20].copy_from_slice(&self.slice.count.to_be_bytes());
        out[20..36].copy_from_slice(&self.epoch);
        out[36..44].copy_from_slice(&self.max_request_elements.to_be_bytes());
        out[44..52].copy_from_slice(&self.rows.to_be_bytes());
        out[52..60].copy_from_slice(&self.entries.to_be_bytes());
        out[60..64].copy_from_slice(&meta_len.to_be_bytes());
        out
    }

    fn parse(b: &[u8; SHARD_HEADER_LEN], path: &Path) -> Result<(ShardHeader, u32), ShardError> {
        let take = |at: usize, len: usize| b.get(at..at + len).unwrap_or_default();
        let u32_at = |at| u32::from_be_bytes(take(at, 4).try_into().unwrap_or_default());
        let u64_at = |at| u64::from_be_bytes(take(at, 8).try_into().unwrap_or_default());
        if take(0, 8) != SHARD_MAGIC {
            return Err(ShardError::NotAShard(path.to_path_buf()));
        }
        let version = u16::from_be_bytes(take(8, 2).try_into().unwrap_or_default());
        if version != SHARD_VERSION {
            return Err(ShardError::Version {
                path: path.to_path_buf(),
                found: version,
            });
        }
        let slice = Slice {
            index: u32_at(12),
            count: u32_at(16),
        };
        if slice.count == 0 || slice.index >= slice.count || b[11] != 0 {
            return Err(ShardError::corrupt(
                path,
                "bad shard index or count in the header",
            ));
        }
        let header = ShardHeader {
            rule_set: b[10],
            slice,
            epoch: take(20, 16).try_into().unwrap_or_default(),
            max_request_elements: u64_at(36),
            rows: u64_at(44),
            entries: u64_at(52),
        };
        Ok((header, u32_at(60)))
    }
}

/// Writes a shard file atomically (temporary file, fsync, rename, directory fsync).
/// `entries` must yield exactly `header.entries` sorted entries.
pub fn write_shard(
    path: &Path,
    header: &ShardHeader,
    meta: &ShardMeta,
    entries: EntryStream<'_>,
) -> Result<(), IngestError> {
    let meta_bytes = serde_json::to_vec(meta).map_err(|e| ShardError::Meta {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let meta_len = u32::try_from(meta_bytes.len())
        .ok()
        .filter(|&n| n <= MAX_META_LEN)
        .ok_or_else(|| ShardError::corrupt(path, "metadata too large"))?;
    let io = |e: std::io::Error| ShardError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let mut file = AtomicFile::create(path, 0o600).map_err(IngestError::Store)?;
    let mut hasher = Sha256::new();
    let mut put = |file: &mut AtomicFile, bytes: &[u8]| -> Result<(), ShardError> {
        hasher.update(bytes);
        file.write_all(bytes).map_err(io)
    };
    put(&mut file, &header.to_bytes(meta_len))?;
    put(&mut file, &meta_bytes)?;
    let mut written = 0u64;
    for entry in entries {
        put(&mut file, &entry?.to_bytes())?;
        written += 1;
    }
    if written != header.entries {
        return Err(ShardError::corrupt(path, "entry count differs from the header").into());
    }
    let digest: [u8; 32] = hasher.finalize().into();
    file.write_all(&digest).map_err(io)?;
    file.commit().map_err(IngestError::Store)
}

/// An opened shard file whose header, metadata and length were checked.
#[derive(Debug)]
pub struct ShardFile {
    /// Where it is.
    pub path: PathBuf,
    /// Its header.
    pub header: ShardHeader,
    /// Its metadata.
    pub meta: ShardMeta,
    body_offset: u64,
}

impl ShardFile {
    /// Opens `path` and checks magic, version, slice, metadata and the exact length.
    pub fn open(path: &Path) -> Result<ShardFile, ShardError> {
        let io = |e| ShardError::Io {
            path: path.to_path_buf(),
            source: e,
        };
        let mut file = File::open(path).map_err(io)?;
        let actual = file.metadata().map_err(io)?.len();
        let mut head = [0u8; SHARD_HEADER_LEN];
        if actual < SHARD_HEADER_LEN as u64 {
            return Err(ShardError::Truncated {
                path: path.to_path_buf(),
                expected: SHARD_HEADER_LEN as u64,
                actual,
            });
        }
        file.read_exact(&mut head).map_err(io)?;
        let (header, meta_len) = ShardHeader::parse(&head, path)?;
        if meta_len > MAX_META_LEN {
            return Err(ShardError::corrupt(path, "metadata length too large"));
        }
        let expected = header
            .entries
            .checked_mul(ENTRY_LEN as u64)
            .and_then(|n| n.checked_add(SHARD_HEADER_LEN as u64 + u64::from(meta_len) + 32))
            .ok_or_else(|| ShardError::corrupt(path, "entry count too large"))?;
        if expected != actual {
            return Err(ShardError::Truncated {
                path: path.to_path_buf(),
                expected,
                actual,
            });
        }
        let mut meta_bytes = vec![0u8; meta_len as usize];
        file.read_exact(&mut meta_bytes).map_err(io)?;
        let meta: ShardMeta =
            serde_json::from_slice(&meta_bytes).map_err(|e| ShardError::Meta {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
        if meta.read.rows != header.rows {
            return Err(ShardError::corrupt(
                path,
                "row count differs between header and metadata",
            ));
        }
        Ok(ShardFile {
            path: path.to_path_buf(),
            header,
            meta,
            body_offset: SHARD_HEADER_LEN as u64 + u64::from(meta_len),
        })
    }

    /// The entries, checked while read: ascending, rows in the slice, and the checksum
    /// at the end (an error item instead of the last `None` when it does not match).
    pub fn entries(&self) -> Result<EntryStream<'_>, ShardError> {
        let io = |e| ShardError::Io {
            path: self.path.clone(),
            source: e,
        };
        let mut file = BufReader::with_capacity(1 << 16, File::open(&self.path).map_err(io)?);
        let mut hasher = Sha256::new();
        let mut prefix = vec![0u8; usize::try_from(self.body_offset).unwrap_or(0)];
        file.read_exact(&mut prefix).map_err(io)?;
        hasher.update(&prefix);
        Ok(Box::new(ShardEntries {
            shard: self,
            file,
            hasher: Some(hasher),
            left: self.header.entries,
            last: None,
        }))
    }
}

/// Reads and checks the entries of a shard file.
struct ShardEntries<'a> {
    shard: &'a ShardFile,
    file: BufReader<File>,
    hasher: Option<Sha256>,
    left: u64,
    last: Option<KeyEntry>,
}

impl ShardEntries<'_> {
    fn next_checked(&mut self) -> Result<Option<KeyEntry>, ShardError> {
        let path = &self.shard.path;
        let io = |e| ShardError::Io {
            path: path.clone(),
            source: e,
        };
        let Some(hasher) = self.hasher.as_mut() else {
            return Ok(None);
        };
        if self.left == 0 {
            let mut trailer = [0u8; 32];
            self.file.read_exact(&mut trailer).map_err(io)?;
            let digest: [u8; 32] = self
                .hasher
                .take()
                .map(|h| h.finalize().into())
                .unwrap_or_default();
            if digest != trailer {
                return Err(ShardError::corrupt(path, "checksum mismatch"));
            }
            return Ok(None);
        }
        let mut buf = [0u8; ENTRY_LEN];
        self.file.read_exact(&mut buf).map_err(io)?;
        hasher.update(buf);
        self.left -= 1;
        let entry = KeyEntry::from_bytes(&buf);
        if self.last.is_some_and(|last| entry < last) {
            return Err(ShardError::corrupt(path, "entries out of order"));
        }
        let header = &self.shard.header;
        if !header.slice.contains(entry.row()) || entry.row() >= header.rows {
            return Err(ShardError::corrupt(
                path,
                "an entry's row is outside the shard",
            ));
        }
        self.last = Some(entry);
        Ok(Some(entry))
    }
}

impl Iterator for ShardEntries<'_> {
    type Item = Result<KeyEntry, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_checked() {
            Ok(entry) => entry.map(Ok),
            Err(e) => {
                self.hasher = None;
                Some(Err(e.into()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use blindlink_core::match_key::MatchRule;
    use proptest::prelude::*;

    fn sample(dir: &Path, entries: &[KeyEntry]) -> PathBuf {
        let path = dir.join("s.bin");
        let header = ShardHeader {
            rule_set: 3,
            slice: Slice { index: 1, count: 2 },
            epoch: [9; 16],
            max_request_elements: 1 << 20,
            rows: 100,
            entries: entries.len() as u64,
        };
        let meta = ShardMeta {
            input: "pop.csv".to_owned(),
            read: ReadStats {
                rows: 100,
                ..ReadStats::default()
            },
            keying: KeyingStats::default(),
        };
        let stream: EntryStream<'_> = Box::new(entries.iter().copied().map(Ok));
        write_shard(&path, &header, &meta, stream).unwrap();
        path
    }

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let entries: Vec<KeyEntry> = (0..50u64)
            .map(|i| {
                KeyEntry::new(u128::from(i) << 90, 2 * i + 1, MatchRule::R2NameHouseZip).unwrap()
            })
            .collect();
        let path = sample(dir.path(), &entries);
        let shard = ShardFile::open(&path).unwrap();
        assert_eq!(shard.header.slice, Slice { index: 1, count: 2 });
        assert_eq!(shard.meta.input, "pop.csv");
        let back: Vec<KeyEntry> = shard.entries().unwrap().map(Result::unwrap).collect();
        assert_eq!(back, entries);
        // A row of the other slice is refused while reading.
        let wrong = vec![KeyEntry::new(1, 2, MatchRule::R1Exact).unwrap()];
        let path = sample(dir.path(), &wrong);
        let shard = ShardFile::open(&path).unwrap();
        assert!(shard.entries().unwrap().any(|e| e.is_err()));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Arbitrary bytes, or a valid file with arbitrary damage, never panic.
        #[test]
        fn no_panic_on_damaged_files(junk in prop::collection::vec(any::<u8>(), 0..300),
                                     at in any::<usize>(), byte in any::<u8>()) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("junk.bin");
            std::fs::write(&path, &junk).unwrap();
            if let Ok(shard) = ShardFile::open(&path) {
                let _ = shard.entries().map(|e| e.count());
            }
            let entries = vec![KeyEntry::new(5, 1, MatchRule::R1Exact).unwrap()];
            let good = sample(dir.path(), &entries);
            let mut bytes = std::fs::read(&good).unwrap();
            let i = at % bytes.len();
            bytes[i] ^= byte.max(1);
            std::fs::write(&good, &bytes).unwrap();
            let read = ShardFile::open(&good).map(|s| {
                s.entries().map(|e| e.collect::<Result<Vec<_>, _>>().is_ok()).unwrap_or(false)
            });
            // Damage is always caught (by the header checks or the checksum).
            prop_assert!(!matches!(read, Ok(true)));
        }
    }
}
