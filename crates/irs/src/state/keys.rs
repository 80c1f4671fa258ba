//! Key files of the state directory: the Noise static key pair and one OPRF key per epoch.

use blindlink_core::oprf::{PublicKey, SecretKey};
use blindlink_protocol::identity::IdentityKey;
use blindlink_protocol::manifest::KeyEpoch;
use blindlink_protocol::wire::NoiseStaticKey;
use blindlink_store::key_file::{
    self, IdentityPublic, IdentitySecret, KeyKind, NoisePublic, NoiseSecret, OprfSecret,
};
use rand::CryptoRng;
use std::path::PathBuf;

use super::{StateDir, create_private_dir};
use crate::error::StateError;

impl StateDir {
    /// Whether `noise.key` exists.
    pub fn has_noise_key(&self) -> bool {
        self.noise_key_path().exists()
    }

    /// Writes `noise.key` (0600) and `noise.pub` (0644), each atomically.
    pub fn save_noise_key(&self, key: &NoiseStaticKey) -> Result<(), StateError> {
        key_file::write::<NoiseSecret>(&self.noise_key_path(), key)?;
        key_file::write::<NoisePublic>(&self.noise_public_path(), &key.public_key())?;
        Ok(())
    }

    /// Loads `noise.key`, refusing it if its mode is wider than 0600 or it is malformed.
    pub fn load_noise_key(&self) -> Result<NoiseStaticKey, StateError> {
        self.load_created_key::<NoiseSecret>(self.noise_key_path())
    }

    /// A key file `irs keygen` creates: [`StateError::NotInitialized`] when missing.
    fn load_created_key<K: KeyKind>(&self, path: PathBuf) -> Result<K::Key, StateError> {
        if !path.exists() {
            return Err(StateError::NotInitialized {
                dir: self.root.clone(),
                path,
            });
        }
        Ok(key_file::read::<K>(&path)?)
    }

    /// Whether `identity.key` exists.
    pub fn has_identity_key(&self) -> bool {
        self.identity_key_path().exists()
    }

    /// Writes `identity.key` (0600) and `identity.pub` (0644), each atomically.
    pub fn save_identity_key(&self, key: &IdentityKey) -> Result<(), StateError> {
        key_file::write::<IdentitySecret>(&self.identity_key_path(), key)?;
        key_file::write::<IdentityPublic>(&self.identity_public_path(), &key.public_key())?;
        Ok(())
    }

    /// Loads `identity.key`, refusing it if its mode is wider than 0600 or it is malformed.
    pub fn load_identity_key(&self) -> Result<IdentityKey, StateError> {
        self.load_created_key::<IdentitySecret>(self.identity_key_path())
    }

    /// Creates a new epoch: a fresh random 16-byte id not used in this directory, its
    /// directory (0700) and its `oprf.key` (0600) with a fresh random key. Returns the id
    /// and the public key.
    pub fn new_epoch<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
    ) -> Result<(KeyEpoch, PublicKey), StateError> {
        self.create()?;
        let epoch = loop {
            let mut id = [0u8; KeyEpoch::LEN];
            rng.fill_bytes(&mut id);
            let epoch = KeyEpoch::from_bytes(id);
            if !self.epoch_dir(epoch).exists() {
                break epoch;
            }
        };
        create_private_dir(&self.epoch_dir(epoch))?;
        let key = SecretKey::generate(rng);
        key_file::write::<OprfSecret>(&self.oprf_key_path(epoch), &key)?;
        Ok((epoch, key.public_key()))
    }

    /// Loads the OPRF key of `epoch`, refusing it if its mode is wider than 0600, it is
    /// malformed, or it is not a valid non-zero scalar.
    pub fn load_oprf_key(&self, epoch: KeyEpoch) -> Result<SecretKey, StateError> {
        let path = self.oprf_key_path(epoch);
        if !path.exists() {
            return Err(StateError::UnknownEpoch { epoch, path });
        }
        Ok(key_file::read::<OprfSecret>(&path)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use blindlink_store::key_file::{NOISE_SECRET_LABEL, OPRF_SECRET_LABEL, encode_key_line};
    use blindlink_store::write_secret;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn keys_round_trip_with_private_modes() {
        let tmp = tempfile::tempdir().unwrap();
        let state = StateDir::new(tmp.path().join("s"));
        state.create().unwrap();
        let noise = NoiseStaticKey::generate().unwrap();
        state.save_noise_key(&noise).unwrap();
        assert_eq!(
            state.load_noise_key().unwrap().public_key(),
            noise.public_key()
        );
        let (epoch, pk) = state.new_epoch(&mut rand::rng()).unwrap();
        assert_eq!(state.load_oprf_key(epoch).unwrap().public_key(), pk);
        for path in [state.noise_key_path(), state.oprf_key_path(epoch)] {
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", path.display());
        }
        let dir_mode = std::fs::metadata(state.epoch_dir(epoch))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dir_mode, 0o700);
    }

    #[test]
    fn swapped_or_zero_keys_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let state = StateDir::new(tmp.path());
        let (epoch, _) = state.new_epoch(&mut rand::rng()).unwrap();
        let noise_line = encode_key_line(NOISE_SECRET_LABEL, &[5; 32]);
        write_secret(&state.oprf_key_path(epoch), noise_line.as_bytes()).unwrap();
        let err = state.load_oprf_key(epoch).unwrap_err();
        assert!(err.to_string().contains("oprf.key"), "{err}");
        let zero = encode_key_line(OPRF_SECRET_LABEL, &[0; 32]);
        write_secret(&state.oprf_key_path(epoch), zero.as_bytes()).unwrap();
        assert!(matches!(
            state.load_oprf_key(epoch),
            Err(StateError::KeyFile(_))
        ));
        assert!(matches!(
            state.load_noise_key(),
            Err(StateError::NotInitialized { .. })
        ));
    }
}
