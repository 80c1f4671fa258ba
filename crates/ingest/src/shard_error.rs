//! Why a shard file, or a set of shard files, cannot be merged.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// A shard file is unreadable or corrupt, or the shards given do not form one complete,
/// consistent set.
#[derive(Debug, Error)]
pub enum ShardError {
    /// The file cannot be opened or read.
    #[error("shard {}: {source}", path.display())]
    Io {
        /// The shard file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file does not start with the shard magic.
    #[error("{} is not a blindlink shard file", .0.display())]
    NotAShard(PathBuf),
    /// A shard format this build does not read.
    #[error("shard {} has format version {found}; this irs reads version 1", path.display())]
    Version {
        /// The shard file.
        path: PathBuf,
        /// The version found.
        found: u16,
    },
    /// The file length disagrees with its header (cut short, or bytes appended).
    #[error("shard {} is {actual} bytes, its header says {expected}: truncated or damaged", path.display())]
    Truncated {
        /// The shard file.
        path: PathBuf,
        /// Length implied by the header.
        expected: u64,
        /// Actual length.
        actual: u64,
    },
    /// The metadata block is not valid.
    #[error("shard {}: bad metadata: {message}", path.display())]
    Meta {
        /// The shard file.
        path: PathBuf,
        /// What the JSON parser said.
        message: String,
    },
    /// The content is damaged (checksum, order, rows, header fields).
    #[error("shard {} is corrupt: {reason}", path.display())]
    Corrupt {
        /// The shard file.
        path: PathBuf,
        /// What is wrong.
        reason: &'static str,
    },
    /// No shard file was given.
    #[error("no shard files given")]
    NoShards,
    /// Shards disagree on how many shards there are.
    #[error("shard {} is one of {found} shards, but {first} is one of {expected}", path.display(), first = first.display())]
    CountDisagrees {
        /// The disagreeing shard.
        path: PathBuf,
        /// Its shard count.
        found: u32,
        /// The first shard.
        first: PathBuf,
        /// The first shard's count.
        expected: u32,
    },
    /// Some shards are missing.
    #[error("{missing} of {count} shards missing: {}", list(first_missing, *missing))]
    Missing {
        /// The first missing indexes (at most 20).
        first_missing: Vec<u32>,
        /// How many are missing.
        missing: u64,
        /// Shard count.
        count: u32,
    },
    /// One shard index was given twice.
    #[error("shard {index} given twice: {} and {}", first.display(), second.display())]
    Duplicate {
        /// The index.
        index: u32,
        /// One file.
        first: PathBuf,
        /// The other.
        second: PathBuf,
    },
    /// A shard was made with other settings or from another input than the first.
    #[error("shard {} has a different {field} than {}", path.display(), first.display())]
    Mismatch {
        /// The disagreeing shard.
        path: PathBuf,
        /// The first shard.
        first: PathBuf,
        /// What differs: "key epoch", "rule set", "max request elements", "input file".
        field: &'static str,
    },
}

impl ShardError {
    /// A [`ShardError::Corrupt`] for `path`.
    pub fn corrupt(path: &Path, reason: &'static str) -> ShardError {
        ShardError::Corrupt {
            path: path.to_path_buf(),
            reason,
        }
    }
}

fn list(indexes: &[u32], total: u64) -> String {
    let shown: Vec<String> = indexes.iter().map(u32::to_string).collect();
    let more = total.saturating_sub(indexes.len() as u64);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}
