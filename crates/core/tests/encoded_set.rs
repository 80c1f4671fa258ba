//! Properties of the encoded fingerprint set: round trips, exact lookups against a model,
//! rejection of corrupted input without panics, and the wire-size bound.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use blindlink_core::fingerprint::{
    CHECKSUM_LEN, EncodedSet, EncodedSetHeader, EncodedSetWriter, HEADER_LEN, SetDecodeError,
    SetParams, fingerprint, fingerprint_bits,
};
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sha2::{Digest, Sha256};

fn mask(bits: u32) -> u128 {
    u128::MAX >> (128 - bits)
}

fn params(bits: u32) -> SetParams {
    SetParams {
        bits,
        rule_set: 0b11,
        key_epoch: *b"epoch/2026-01/01",
    }
}

/// A fingerprint length and up to `max_len` raw values masked to it.
fn set_strategy(max_len: usize) -> impl Strategy<Value = (u32, Vec<u128>)> {
    (1u32..=128).prop_flat_map(move |bits| {
        let values =
            prop::collection::vec(any::<u128>().prop_map(move |v| v & mask(bits)), 0..max_len);
        (Just(bits), values)
    })
}

proptest! {
    #[test]
    fn round_trip_matches_model((bits, values) in set_strategy(300)) {
        let model: BTreeSet<u128> = values.iter().copied().collect();
        let set = EncodedSet::from_fingerprints(values, params(bits)).unwrap();
        // The hash of a freshly built set, asked before it was ever serialized.
        let fresh_hash = set.content_hash();
        let bytes = set.to_bytes();
        prop_assert_eq!(&fresh_hash[..], &bytes[bytes.len() - CHECKSUM_LEN..]);
        let header = EncodedSetHeader::parse(&bytes).unwrap();
        prop_assert_eq!(header.count(), model.len() as u64);
        prop_assert_eq!(header.expected_total_len(), bytes.len() as u64);

        let decoded = EncodedSet::from_bytes(&bytes, model.len() as u64).unwrap();
        let expected: Vec<u128> = model.iter().copied().collect();
        prop_assert_eq!(decoded.fingerprints(), expected.as_slice());
        prop_assert_eq!(decoded.params(), params(bits));
        prop_assert_eq!(decoded.rice_parameter(), set.rice_parameter());
        prop_assert_eq!(decoded.to_bytes(), bytes.clone());
        prop_assert_eq!(decoded.content_hash(), set.content_hash());
        prop_assert_eq!(&decoded.content_hash()[..], &bytes[bytes.len() - CHECKSUM_LEN..]);
    }

    #[test]
    fn writer_and_batch_builder_agree((bits, values) in set_strategy(200)) {
        let model: BTreeSet<u128> = values.iter().copied().collect();
        let mut w = EncodedSetWriter::new(params(bits), model.len() as u64).unwrap();
        // Feed duplicates too: the writer skips repeats of the previous value.
        for &v in &model {
            w.push(v).unwrap();
            w.push(v).unwrap();
        }
        prop_assert_eq!(w.count(), model.len() as u64);
        let streamed = w.finish();
        let built = EncodedSet::from_fingerprints(values, params(bits)).unwrap().to_bytes();
        prop_assert_eq!(streamed, built);
    }

    #[test]
    fn lookups_agree_with_model(
        (bits, values) in set_strategy(300),
        probes in prop::collection::vec(any::<u128>(), 0..200),
    ) {
        let model: BTreeSet<u128> = values.iter().copied().collect();
        let built = EncodedSet::from_fingerprints(values, params(bits)).unwrap();
        let set = EncodedSet::from_bytes(&built.to_bytes(), u64::MAX).unwrap();
        for &v in &model {
            prop_assert!(set.contains(v), "member {v:#x} missing");
        }
        // Probes both raw (often wider than L bits) and masked (inside the value space),
        // plus each member's neighbours.
        let mut all: Vec<u128> = probes.clone();
        all.extend(probes.iter().map(|p| p & mask(bits)));
        all.extend(model.iter().flat_map(|&v| [v.wrapping_sub(1), v.wrapping_add(1)]));
        let expected: Vec<bool> = all.iter().map(|p| model.contains(p)).collect();
        let single: Vec<bool> = all.iter().map(|&p| set.contains(p)).collect();
        prop_assert_eq!(&single, &expected);
        prop_assert_eq!(set.contains_all(&all), expected);
    }

    #[test]
    fn any_flipped_byte_is_rejected(
        (bits, values) in set_strategy(100),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let mut bytes = EncodedSet::from_fingerprints(values, params(bits)).unwrap().to_bytes();
        let i = at.index(bytes.len());
        bytes[i] ^= flip;
        prop_assert!(EncodedSet::from_bytes(&bytes, u64::MAX).is_err());
    }

    #[test]
    fn any_truncation_is_rejected((bits, values) in set_strategy(60)) {
        let bytes = EncodedSet::from_fingerprints(values, params(bits)).unwrap().to_bytes();
        for cut in 0..bytes.len() {
            prop_assert!(EncodedSet::from_bytes(&bytes[..cut], u64::MAX).is_err());
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = EncodedSetHeader::parse(&bytes);
        let _ = EncodedSet::from_bytes(&bytes, u64::MAX);
    }

    /// Random payloads behind a plausible header and a valid checksum reach the Rice
    /// decoder; it must return (Ok or Err) without panicking, and anything it accepts must
    /// re-encode to the same bytes (the encoding is canonical).
    #[test]
    fn random_sealed_payloads_never_panic(
        bits in 1u8..=128,
        k_seed in any::<u8>(),
        count in 0u64..64,
        payload in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        let k = k_seed % bits;
        let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len() + CHECKSUM_LEN);
        bytes.extend_from_slice(b"BLSET\r\n\x1a");
        bytes.extend_from_slice(&1u16.to_be_bytes());
        bytes.extend_from_slice(&[0b11, bits, k, 0, 0, 0]);
        bytes.extend_from_slice(b"epoch/2026-01/01");
        bytes.extend_from_slice(&count.to_be_bytes());
        bytes.extend_from_slice(&(payload.len() as u64).to_be_bytes());
        bytes.extend_from_slice(&payload);
        let checksum = Sha256::digest(&bytes);
        bytes.extend_from_slice(&checksum);
        if let Ok(set) = EncodedSet::from_bytes(&bytes, u64::MAX) {
            prop_assert_eq!(set.len() as u64, count);
            prop_assert_eq!(set.to_bytes(), bytes);
        }
    }
}

#[test]
fn header_is_checked_before_the_body_arrives() {
    let values: Vec<u128> = (0..1000u128).map(|i| i * 7919).collect();
    let bytes = EncodedSet::from_fingerprints(values, params(40))
        .unwrap()
        .to_bytes();
    // A receiver sees only the first chunk.
    let header = EncodedSetHeader::parse(&bytes[..64]).unwrap();
    assert_eq!(header.count(), 1000);
    assert_eq!(header.expected_total_len(), bytes.len() as u64);
    assert!(header.check_count(999).is_err());
    assert_eq!(
        EncodedSet::from_bytes(&bytes, 999).err(),
        Some(SetDecodeError::CountOverLimit {
            count: 1000,
            max: 999
        })
    );
}

#[test]
fn fingerprints_of_outputs_round_trip_through_the_set() {
    let bits = fingerprint_bits(1000, 1000);
    let outputs: Vec<[u8; 64]> = (0u32..1000)
        .map(|i| {
            let mut out = [0u8; 64];
            out.copy_from_slice(&sha2::Sha512::digest(i.to_be_bytes()));
            out
        })
        .collect();
    let fps: Vec<u128> = outputs.iter().map(|o| fingerprint(o, bits)).collect();
    let set = EncodedSet::from_fingerprints(fps.clone(), params(bits)).unwrap();
    let set = EncodedSet::from_bytes(&set.to_bytes(), 1000).unwrap();
    assert_eq!(set.len(), 1000);
    assert!(set.contains_all(&fps).iter().all(|&m| m));
}

/// Serialized size of `n` uniformly random `bits`-bit fingerprints, in bits per element
/// (payload only).
fn payload_bits_per_element(n: usize, bits: u32, seed: u64) -> f64 {
    let mut rng = StdRng::seed_from_u64(seed);
    let values: Vec<u128> = (0..n).map(|_| rng.random::<u128>() & mask(bits)).collect();
    let set = EncodedSet::from_fingerprints(values, params(bits)).unwrap();
    assert_eq!(
        set.len(),
        n,
        "random collision at this width is practically impossible"
    );
    let bytes = set.to_bytes();
    (bytes.len() - HEADER_LEN - CHECKSUM_LEN) as f64 * 8.0 / n as f64
}

#[test]
fn wire_size_is_within_bound() {
    for (n, bits) in [(100_000usize, 40 + 17 + 17), (1_000, 60), (20_000, 128)] {
        let per_element = payload_bits_per_element(n, bits, 7);
        let bound = f64::from(bits) - (n as f64).log2() + 2.5;
        println!("n = {n}, L = {bits}: {per_element:.3} bits/element (bound {bound:.3})");
        assert!(per_element <= bound, "{per_element} > {bound}");
    }
}
