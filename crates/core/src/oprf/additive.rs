//! Additive, fixed-base blinding for VOPRF mode (see `docs/PROTOCOL.md` section 2.7).
//!
//! RFC 9497 blinds multiplicatively, `B = r · HashToGroup(x)`, and unblinds with
//! `N = r⁻¹ · E`: two variable-base multiplications per element. In VOPRF mode the
//! requester verifies a DLEQ proof for `pkS` anyway, so it can instead blind as
//! `B = HashToGroup(x) + r · G` and unblind as `N = E − r · pkS`; both products are
//! fixed-base (the static table for `G`, one [`RistrettoBasepointTable`] for `pkS` per
//! finalize). The holder still computes `E = skS · B`, and when the proof verifies,
//! `N = skS · HashToGroup(x)` exactly, so outputs are byte-identical to RFC 9497's.
//!
//! Without a verified proof the additive unblinding is unsafe (the holder could shift `N`
//! by an offset of its choice), so [`super::finalize_batch`] refuses additive blinds and
//! only [`super::verify_and_finalize`] unblinds them, after the proofs check.
//!
//! Both tables are constant-time in the scalar: `r` is secret, so the variable-time
//! precomputation (`VartimeRistrettoPrecomputation`) must not be used here.

use super::client::{Blinds, blind_chunks};
use super::codec::ElementBytes;
use super::suite::Mode;
use super::{OprfError, PublicKey};
use curve25519_dalek::ristretto::{RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;
use rand_core::CryptoRng;

/// How a set of [`Blinds`] was applied, which decides how it is removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Blinding {
    /// RFC 9497: `B = r · HashToGroup(x)`, `N = r⁻¹ · E`. Both modes; the RFC vectors.
    Multiplicative,
    /// `B = HashToGroup(x) + r · G`, `N = E − r · pkS`. VOPRF mode only, and only through
    /// [`super::verify_and_finalize`].
    Additive,
}

/// Additive blinding with fresh random blinds (VOPRF mode):
/// `BlindedElement_i = HashToGroup(input_i) + blind_i · G`, serialized.
pub fn blind_batch_additive<I: AsRef<[u8]> + Sync, R: CryptoRng + ?Sized>(
    inputs: &[I],
    rng: &mut R,
) -> Result<(Blinds, Vec<ElementBytes>), OprfError> {
    let blinds = Blinds::random_as(Blinding::Additive, inputs.len(), rng);
    let elements = blind_additive_with(inputs, &blinds)?;
    Ok((blinds, elements))
}

/// `HashToGroup(input_i) + blind_i · G` for every input, serialized (called by
/// [`super::blind_batch_with`] for additive blinds; the caller checked the lengths).
pub(crate) fn blind_additive_with<I: AsRef<[u8]> + Sync>(
    inputs: &[I],
    blinds: &Blinds,
) -> Result<Vec<ElementBytes>, OprfError> {
    blind_chunks(
        Mode::Voprf,
        inputs,
        blinds.scalars(),
        |first, points, blinds| {
            let mut out = Vec::with_capacity(points.len());
            for (j, (p, r)) in points.iter().zip(blinds).enumerate() {
                let b = p + RistrettoPoint::mul_base(r);
                // Refused on the wire like the identity `H(x)` (probability 2^-252).
                if b.is_identity() {
                    return Err(OprfError::InvalidInput { index: first + j });
                }
                out.push(b.compress().to_bytes());
            }
            Ok(out)
        },
    )
}

/// `N_i = E_i − blind_i · pkS`, serialized, for a chunk of verified evaluated elements.
pub(crate) fn unblind_additive(
    table: &RistrettoBasepointTable,
    blinds: &[Scalar],
    evaluated: &[RistrettoPoint],
) -> Vec<ElementBytes> {
    blinds
        .iter()
        .zip(evaluated)
        .map(|(r, e)| (e - table * r).compress().to_bytes())
        .collect()
}

/// The fixed-base table for `pkS` (about 30 KiB; built once per finalize call, so its cost
/// is paid once per session and set, not per element).
pub(crate) fn public_key_table(pk: &PublicKey) -> RistrettoBasepointTable {
    RistrettoBasepointTable::create(pk.point())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oprf::{SecretKey, Suite};

    #[test]
    fn additive_unblinding_recovers_the_unblinded_evaluation() {
        let sk = SecretKey::from_bytes(&[5u8; 32]).unwrap();
        let pk = sk.public_key();
        let (blinds, blinded) = blind_batch_additive(&[b"x"], &mut rand::rng()).unwrap();
        let b = crate::oprf::codec::decode_element(&blinded[0], 0).unwrap();
        let e = b * sk.scalar();
        let n = unblind_additive(&public_key_table(&pk), blinds.scalars(), &[e]);
        let direct = Suite::get(Mode::Voprf).hash_to_group(b"x") * sk.scalar();
        assert_eq!(n[0], direct.compress().to_bytes());
    }
}
