//! Append-only files shared by the replay store and the audit log: open or create, and
//! fsync the directory when the file is new.

use std::fs::{File, OpenOptions};
use std::io::ErrorKind;
use std::path::Path;

use crate::atomic::sync_parent;

/// Opens `path` for reading and appending, creating it (and fsyncing its directory)
/// if it does not exist. Returns the file and whether it was created.
pub(crate) fn open_append(path: &Path) -> std::io::Result<(File, bool)> {
    let mut options = OpenOptions::new();
    options.read(true).append(true);
    match options.clone().create_new(true).open(path) {
        Ok(file) => {
            sync_parent(path)?;
            Ok((file, true))
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok((options.open(path)?, false)),
        Err(e) => Err(e),
    }
}
