//! Atomic replacement of a file: temp file, fsync, rename, fsync of the directory.

use crate::{StoreError, io_err};
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// A file being written that replaces `target` only when [`AtomicFile::commit`] succeeds.
/// Dropped without commit, it removes its temporary file and leaves `target` untouched.
#[derive(Debug)]
pub struct AtomicFile {
    target: PathBuf,
    temp: PathBuf,
    writer: Option<BufWriter<File>>,
}

fn temp_path(target: &Path) -> Result<PathBuf, StoreError> {
    let name = target
        .file_name()
        .ok_or_else(|| StoreError::NotAFilePath(target.to_path_buf()))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".{}.tmp", std::process::id()));
    Ok(target.with_file_name(temp_name))
}

impl AtomicFile {
    /// Starts writing a replacement for `target`, created with permission bits `mode`
    /// (e.g. `0o600` for secrets, `0o644` otherwise) before any byte is written.
    pub fn create(target: &Path, mode: u32) -> Result<AtomicFile, StoreError> {
        let temp = temp_path(target)?;
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(mode)
            .open(&temp)
            .map_err(io_err("create", &temp))?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            temp,
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    /// Flushes, fsyncs, renames over the target and fsyncs the directory.
    pub fn commit(mut self) -> Result<(), StoreError> {
        let Some(writer) = self.writer.take() else {
            return Ok(());
        };
        let file = writer
            .into_inner()
            .map_err(|e| io_err("write", &self.temp)(e.into_error()))?;
        file.sync_all().map_err(io_err("fsync", &self.temp))?;
        drop(file);
        std::fs::rename(&self.temp, &self.target).map_err(io_err("rename", &self.target))?;
        sync_dir(&self.target)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.writer.as_mut() {
            Some(w) => w.write(buf),
            None => Err(std::io::Error::other("atomic file already committed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.writer.as_mut() {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Writes `bytes` to `target` atomically with permission bits `mode`.
pub fn write_atomic(target: &Path, bytes: &[u8], mode: u32) -> Result<(), StoreError> {
    let mut file = AtomicFile::create(target, mode)?;
    file.write_all(bytes).map_err(io_err("write", target))?;
    file.commit()
}

/// The directory holding `path` (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Fsyncs the directory containing `path`, so a rename or creation in it is durable.
pub fn sync_dir(path: &Path) -> Result<(), StoreError> {
    sync_parent(path).map_err(io_err("fsync directory", parent_dir(path)))
}

/// [`sync_dir`] with the bare OS error, for callers that name the failure themselves.
pub(crate) fn sync_parent(path: &Path) -> std::io::Result<()> {
    File::open(parent_dir(path))?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn commit_replaces_and_drop_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("set.bin");
        write_atomic(&target, b"old", 0o644).unwrap();

        let mut pending = AtomicFile::create(&target, 0o644).unwrap();
        pending.write_all(b"half").unwrap();
        drop(pending);
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temp file left behind"
        );

        let mut file = AtomicFile::create(&target, 0o600).unwrap();
        file.write_all(b"new contents").unwrap();
        file.commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new contents");
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn a_missing_directory_is_a_clear_error() {
        let err = write_atomic(Path::new("/nonexistent-dir/x/y.bin"), b"x", 0o644).unwrap_err();
        assert!(err.to_string().contains("/nonexistent-dir/x"), "{err}");
    }
}
