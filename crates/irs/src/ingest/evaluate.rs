//! Phase 3, evaluate: `F(k, x) = Evaluate(x)` in VOPRF mode for every kept key, in
//! batches, keeping only the `L`-bit fingerprints.
//!
//! The VOPRF context string matters: the requester finalizes in VOPRF mode, and the
//! holder's own evaluation must use the same suite (`Mode::Voprf`), or no fingerprint
//! would ever match. Batches of [`DEFAULT_BATCH`] keys bound the memory for the 64-byte
//! outputs (4 MiB per batch) and let a progress bar move; inside a batch the core
//! evaluates in parallel (rayon). Key lists are consumed as they are evaluated, so their
//! memory is released during the phase.

use blindlink_core::fingerprint::{Fingerprint, fingerprint};
use blindlink_core::match_key::MatchKey;
use blindlink_core::oprf::{Mode, OprfError, SecretKey, evaluate_batch};

/// Keys evaluated per batch.
pub const DEFAULT_BATCH: usize = 65_536;

/// The fingerprints (`bits` long) of every key in `keys`, in order. `on_keys` is called
/// with the number of keys after each batch.
pub fn evaluate_fingerprints(
    sk: &SecretKey,
    keys: Vec<Vec<MatchKey>>,
    bits: u32,
    batch: usize,
    on_keys: &(dyn Fn(u64) + Sync),
) -> Result<Vec<Fingerprint>, OprfError> {
    let total: usize = keys.iter().map(Vec::len).sum();
    let batch = batch.max(1);
    let mut fingerprints = Vec::with_capacity(total);
    let mut pending: Vec<MatchKey> = Vec::with_capacity(batch.min(total));
    for key in keys.into_iter().flatten() {
        pending.push(key);
        if pending.len() == batch {
            evaluate_into(sk, &pending, bits, &mut fingerprints)?;
            on_keys(pending.len() as u64);
            pending.clear();
        }
    }
    if !pending.is_empty() {
        evaluate_into(sk, &pending, bits, &mut fingerprints)?;
        on_keys(pending.len() as u64);
    }
    Ok(fingerprints)
}

fn evaluate_into(
    sk: &SecretKey,
    keys: &[MatchKey],
    bits: u32,
    out: &mut Vec<Fingerprint>,
) -> Result<(), OprfError> {
    let inputs: Vec<&[u8]> = keys.iter().map(|k| k.bytes.as_slice()).collect();
    let outputs = evaluate_batch(Mode::Voprf, sk, &inputs)?;
    out.extend(outputs.iter().map(|o| fingerprint(o, bits)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use blindlink_core::match_key::MatchRule;

    #[test]
    fn batching_does_not_change_the_result_and_uses_voprf_mode() {
        let sk = SecretKey::from_bytes(&[3; 32]).unwrap();
        let keys: Vec<Vec<MatchKey>> = (0..7u8)
            .map(|i| {
                vec![MatchKey {
                    rule: MatchRule::R1Exact,
                    bytes: vec![i; 5],
                }]
            })
            .collect();
        let calls = std::sync::atomic::AtomicU64::new(0);
        let small = evaluate_fingerprints(&sk, keys.clone(), 60, 3, &|n| {
            calls.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        })
        .unwrap();
        assert_eq!(calls.into_inner(), 7);
        let whole = evaluate_fingerprints(&sk, keys.clone(), 60, 1000, &|_| {}).unwrap();
        assert_eq!(small, whole);
        let inputs: Vec<Vec<u8>> = (0..7u8).map(|i| vec![i; 5]).collect();
        let voprf = evaluate_batch(Mode::Voprf, &sk, &inputs).unwrap();
        let oprf = evaluate_batch(Mode::Oprf, &sk, &inputs).unwrap();
        assert_eq!(whole[6], fingerprint(&voprf[6], 60));
        assert_ne!(whole[6], fingerprint(&oprf[6], 60));
    }
}
