//! Writing a file atomically: a temporary file in the same directory, fsync, rename.
//!
//! A reader never sees a half-written file: either the old file (or none) or the whole
//! new one. On failure the temporary file is removed.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::csv_format::CsvError;

/// A file that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The path has no file name (a directory or `..`).
    #[error("{} is not a file path", .0.display())]
    NotAFile(PathBuf),
    /// Creating, flushing, syncing or renaming failed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The destination path.
        path: PathBuf,
        /// The I/O failure.
        source: io::Error,
    },
    /// Producing the content failed.
    #[error("cannot write {}: {source}", path.display())]
    Content {
        /// The destination path.
        path: PathBuf,
        /// The content failure.
        source: CsvError,
    },
}

/// Writes `path` with the content `fill` produces, atomically.
pub fn write_atomically<F>(path: &Path, fill: F) -> Result<(), OutputError>
where
    F: FnOnce(&mut BufWriter<File>) -> Result<(), CsvError>,
{
    let name = path
        .file_name()
        .ok_or_else(|| OutputError::NotAFile(path.to_owned()))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let io_err = |source| OutputError::Io {
        path: path.to_owned(),
        source,
    };
    let result = (|| {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(io_err)?;
        let mut out = BufWriter::new(file);
        fill(&mut out).map_err(|source| OutputError::Content {
            path: path.to_owned(),
            source,
        })?;
        out.flush().map_err(io_err)?;
        let file = out.into_inner().map_err(|e| io_err(e.into_error()))?;
        file.sync_all().map_err(io_err)?;
        drop(file);
        fs::rename(&temp, path).map_err(io_err)?;
        sync_dir(&dir).map_err(io_err)
    })();
    if result.is_err() {
        // Best effort: the temporary file may not exist or may already be renamed.
        let _ = fs::remove_file(&temp);
    }
    result
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_atomically(&path, |w| {
            w.write_all(b"first")
                .map_err(|source| CsvError::Io { line: 1, source })
        })
        .unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"first");

        let failed = write_atomically(&path, |w| {
            w.write_all(b"half")
                .map_err(|source| CsvError::Io { line: 1, source })?;
            Err(CsvError::NoHeader)
        });
        assert!(matches!(failed, Err(OutputError::Content { .. })));
        assert_eq!(fs::read(&path).unwrap(), b"first");
        assert_eq!(entries(dir.path()), ["out.csv"]);

        let no_dir = write_atomically(&dir.path().join("missing/out.csv"), |_| Ok(()));
        assert!(matches!(no_dir, Err(OutputError::Io { .. })));
        assert!(matches!(
            write_atomically(Path::new(".."), |_| Ok(())),
            Err(OutputError::NotAFile(_))
        ));
    }
}
