//! The requester's cache of the holder's encoded set: `DIR/sets/<epoch-hex>.bin`, one per
//! key epoch, reused while the holder confirms (by content hash) that it is current.

use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use blindlink_core::fingerprint::EncodedSet;
use blindlink_protocol::wire::{CachedSet, KeyEpoch};

use blindlink_cli::failure::{Blame, Failure};

/// Largest set accepted from the cache (as from the wire: 2^32 fingerprints at most).
const MAX_CACHED_COUNT: u64 = u32::MAX as u64;

/// The cache file for `epoch` in the state directory.
pub fn path(dir: &Path, epoch: &KeyEpoch) -> PathBuf {
    dir.join("sets").join(format!("{}.bin", hex::encode(epoch)))
}

/// Loads and validates the cached set for `epoch`, if there is a usable one. A corrupt
/// cache file is reported in the log and ignored (the holder then sends the set again).
pub fn load(dir: &Path, epoch: &KeyEpoch) -> Option<(EncodedSet, CachedSet)> {
    let path = path(dir, epoch);
    let bytes = std::fs::read(&path).ok()?;
    match EncodedSet::from_bytes(&bytes, MAX_CACHED_COUNT) {
        Ok(set) if &set.params().key_epoch == epoch => {
            let cached = CachedSet {
                epoch: *epoch,
                set_hash: set.content_hash(),
            };
            Some((set, cached))
        }
        Ok(_) => {
            tracing::warn!(path = %path.display(), "cached set is for another epoch; ignoring it");
            None
        }
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "cached set is corrupt; ignoring it");
            None
        }
    }
}

/// Stores a freshly received set atomically, private to the requester (mode 0600 in a
/// 0700 directory): which sets it fetched, and when, derive from its requests.
pub fn store(dir: &Path, epoch: &KeyEpoch, bytes: &[u8]) -> Result<(), Failure> {
    let path = path(dir, epoch);
    if let Some(parent) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(parent)
            .other(format!("cannot create {}", parent.display()))?;
        // A directory made by an older version (0755) is narrowed too.
        std::fs::set_permissions(parent, std::fs::Permissions::from_mode(0o700))
            .other(format!("cannot restrict {}", parent.display()))?;
    }
    blindlink_store::write_atomic(&path, bytes, 0o600).other("cannot cache the encoded set")
}
