//! The holder's encoded fingerprint set: encode (sort + Golomb-Rice), decode (validate +
//! index), and lookups, per element, at 2^10 to 2^20 fingerprints. Also prints the wire
//! size in bits per element next to the `L - log2(N) + 2.5` target.
//!
//! Run: `cargo bench --bench encoded_set`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use blindlink_core::fingerprint::{EncodedSet, SetParams, fingerprint, fingerprint_bits};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use sha2::{Digest, Sha512};
use std::hint::black_box;
use std::time::Duration;

const SIZES: [usize; 3] = [1 << 10, 1 << 16, 1 << 20];
/// Request elements assumed when sizing fingerprints (a 100,000-record request has up to
/// about 2^19 keys).
const MAX_REQUEST_ELEMENTS: u64 = 1 << 19;

/// Fingerprints of pseudo-random 64-byte outputs (SHA-512 of a counter), as the holder
/// would derive them from OPRF outputs.
fn fingerprints(n: usize, salt: u64, bits: u32) -> Vec<u128> {
    (0..n as u64)
        .map(|i| {
            let out: [u8; 64] =
                Sha512::digest([salt.to_le_bytes(), i.to_le_bytes()].concat()).into();
            fingerprint(&out, bits)
        })
        .collect()
}

fn encoded_set(c: &mut Criterion) {
    for n in SIZES {
        let bits = fingerprint_bits(MAX_REQUEST_ELEMENTS, n as u64);
        let params = SetParams {
            bits,
            rule_set: 0b11,
            key_epoch: [1; 16],
        };
        let fps = fingerprints(n, 0, bits);
        let set = EncodedSet::from_fingerprints(fps.clone(), params).unwrap();
        let bytes = set.to_bytes();
        let per_element = (bytes.len() * 8) as f64 / n as f64;
        let target = f64::from(bits) - (n as f64).log2() + 2.5;
        println!(
            "encoded_set n={n} L={bits} k={}: {per_element:.2} bits/element on the wire (target <= {target:.2})",
            set.rice_parameter()
        );
        let members: Vec<u128> = fps.iter().step_by(7).take(4096).copied().collect();
        let strangers = fingerprints(4096, 1, bits);

        let mut g = c.benchmark_group("encoded_set");
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("encode", n), &fps, |b, fps| {
            b.iter(|| {
                EncodedSet::from_fingerprints(fps.clone(), params)
                    .unwrap()
                    .to_bytes()
            })
        });
        g.bench_with_input(BenchmarkId::new("decode", n), &bytes, |b, bytes| {
            b.iter(|| EncodedSet::from_bytes(black_box(bytes), u64::MAX).unwrap())
        });
        g.throughput(Throughput::Elements(8192));
        g.bench_function(BenchmarkId::new("lookup", n), |b| {
            b.iter(|| {
                let hits = members.iter().filter(|f| set.contains(**f)).count();
                let misses = strangers.iter().filter(|f| set.contains(**f)).count();
                (hits, misses)
            })
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = encoded_set
}
criterion_main!(benches);
