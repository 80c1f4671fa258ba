//! Making an epoch current: `holder.json` first, then `current-epoch`, both atomic (the
//! statement itself, and its repair, are in `statement`).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use blindlink_core::fingerprint::{CHECKSUM_LEN, EncodedSetHeader, HEADER_LEN};
use blindlink_core::match_key::RuleSet;
use blindlink_protocol::manifest::KeyEpoch;
use blindlink_store::write_atomic;

use super::StateDir;
use crate::error::StateError;
use crate::holder_info::HolderInfo;
use blindlink_protocol::statement::HolderStatement;

/// What `holder.json` needs from a `set.bin`, read without decoding the payload: the
/// validated header, the trailing checksum (the set's content hash) and the file length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetFileInfo {
    /// The parsed header.
    pub header: EncodedSetHeader,
    /// The content hash (the last 32 bytes).
    pub hash: [u8; 32],
    /// File length in bytes.
    pub len: u64,
}

impl SetFileInfo {
    /// Reads the header and checksum of the set file at `path` and checks that the file
    /// length is the one the header announces.
    pub fn read(path: &Path) -> Result<SetFileInfo, StateError> {
        let bad = |reason: String| StateError::BadSetFile {
            path: path.to_path_buf(),
            reason,
        };
        let mut file = File::open(path).map_err(StateError::io("open", path))?;
        let len = file.metadata().map_err(StateError::io("stat", path))?.len();
        let mut head = [0u8; HEADER_LEN];
        file.read_exact(&mut head)
            .map_err(|e| bad(format!("cannot read the header: {e}")))?;
        let header = EncodedSetHeader::parse(&head).map_err(|e| bad(e.to_string()))?;
        if header.expected_total_len() != len {
            return Err(bad(format!(
                "{len} bytes where the header announces {}",
                header.expected_total_len()
            )));
        }
        let mut hash = [0u8; CHECKSUM_LEN];
        file.seek(SeekFrom::End(-(CHECKSUM_LEN as i64)))
            .and_then(|_| file.read_exact(&mut hash))
            .map_err(|e| bad(format!("cannot read the checksum: {e}")))?;
        Ok(SetFileInfo { header, hash, len })
    }
}

impl StateDir {
    /// The holder info `epoch` would publish: its OPRF public key (from `oprf.key`), the
    /// Noise public key (from `noise.key`), and the fields of its `set.bin`.
    pub fn holder_info_for(&self, epoch: KeyEpoch) -> Result<HolderInfo, StateError> {
        let noise = self.load_noise_key()?;
        let oprf = self.load_oprf_key(epoch)?;
        let set_path = self.set_path(epoch);
        let set = SetFileInfo::read(&set_path)?;
        let params = set.header.params();
        if params.key_epoch != *epoch.as_bytes() {
            return Err(StateError::BadSetFile {
                path: set_path,
                reason: format!(
                    "encoded for epoch {}, not {epoch}",
                    KeyEpoch::from_bytes(params.key_epoch)
                ),
            });
        }
        let rules = RuleSet::from_bits(params.rule_set).map_err(|e| StateError::BadSetFile {
            path: set_path.clone(),
            reason: e.to_string(),
        })?;
        Ok(HolderInfo {
            key_epoch: epoch,
            oprf_public_key: oprf.public_key().to_bytes(),
            noise_public_key: noise.public_key(),
            set_size: set.header.count(),
            fingerprint_bits: params.bits,
            rules,
            set_hash: set.hash,
        })
    }

    /// Makes `epoch` current: writes a freshly signed `holder.json` for it, then
    /// `current-epoch`. Returns the new statement.
    pub fn activate(&self, epoch: KeyEpoch, now: u64) -> Result<HolderStatement, StateError> {
        let statement = self.statement_for(epoch, now)?;
        write_atomic(&self.holder_info_path(), &statement.to_json(), 0o644)?;
        self.write_current_epoch(epoch)?;
        Ok(statement)
    }
}
