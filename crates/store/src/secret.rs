//! Secret files: created 0600, refused on load when group or others have any access.

use crate::{StoreError, io_err, write_atomic};
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use zeroize::Zeroizing;

/// Largest secret file read (keys and bundles' secret parts are far smaller; request
/// bundles with blinds for 10^6 elements are about 32 MiB).
const MAX_SECRET_BYTES: u64 = 1 << 30;

/// Writes a secret atomically with mode 0600 (set at creation, before any byte).
pub fn write_secret(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    write_atomic(path, bytes, 0o600)
}

/// Reads a secret file, refusing it if its mode grants group or others any access.
/// The contents come back in a buffer that zeroizes itself.
pub fn read_secret(path: &Path) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    let file = std::fs::File::open(path).map_err(io_err("open", path))?;
    let meta = file.metadata().map_err(io_err("stat", path))?;
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(StoreError::PermissionsTooOpen {
            path: path.to_path_buf(),
            mode,
        });
    }
    let mut out = Zeroizing::new(Vec::with_capacity(meta.len().min(MAX_SECRET_BYTES) as usize));
    file.take(MAX_SECRET_BYTES)
        .read_to_end(&mut out)
        .map_err(io_err("read", path))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_0600_and_wider_modes_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("oprf.key");
        write_secret(&path, b"secret bytes").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(read_secret(&path).unwrap().as_slice(), b"secret bytes");

        for wide in [0o640, 0o604, 0o644, 0o666] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(wide)).unwrap();
            match read_secret(&path) {
                Err(StoreError::PermissionsTooOpen { mode, .. }) => assert_eq!(mode, wide),
                other => panic!("mode {wide:o} accepted: {other:?}"),
            }
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
        assert!(read_secret(&path).is_ok());
    }
}
