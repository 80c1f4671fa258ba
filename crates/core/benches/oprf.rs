//! Per-element cost of the OPRF suite, against the raw curve25519-dalek primitives (the
//! bound) and the `voprf` crate (the peer). Every group reports throughput in elements, so
//! criterion prints time per batch and elements per second; docs/BENCHMARKS.md turns them
//! into microseconds per element and the two ratios.
//!
//! Run: `cargo bench --bench oprf` (all), or e.g. `cargo bench --bench oprf -- holder_evaluate`.
//! Threads: groups named `.../t1` run on a one-thread rayon pool, `.../tN` on all cores.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use blindlink_core::oprf::codec::decode_elements;
use blindlink_core::oprf::{
    BlindedBatch, Blinding, Blinds, Mode, SecretKey, Suite, blind_batch, blind_batch_additive,
    blind_batch_with, blind_evaluate_and_prove, blind_evaluate_batch, evaluate_batch,
    verify_and_finalize,
};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use curve25519_dalek::ristretto::{RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use rayon::ThreadPool;
use rayon::prelude::*;
use std::hint::black_box;
use std::time::Duration;

const SIZES: [usize; 3] = [1 << 10, 1 << 13, 1 << 16];

fn pools() -> Vec<(String, ThreadPool)> {
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut threads = vec![1];
    if all > 1 {
        threads.push(all);
    }
    threads
        .into_iter()
        .map(|t| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .unwrap();
            (format!("t{t}"), pool)
        })
        .collect()
}

fn inputs(n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| format!("blindlink/v1/R1/bench-record-{i:08}").into_bytes())
        .collect()
}

fn configure(c: &mut Criterion) -> Criterion {
    std::mem::take(c)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
}

/// The raw primitives every OPRF step is made of, one thread, 4,096 elements per batch.
fn bound(c: &mut Criterion) {
    let n = 1 << 12;
    let xs = inputs(n);
    let suite = Suite::get(Mode::Oprf);
    let points: Vec<RistrettoPoint> = xs.iter().map(|x| suite.hash_to_group(x)).collect();
    let compressed: Vec<[u8; 32]> = points.iter().map(|p| p.compress().to_bytes()).collect();
    let k = Scalar::from_bytes_mod_order([7u8; 32]);
    let scalars: Vec<Scalar> = (0..n as u64).map(|i| k + Scalar::from(i)).collect();
    let mut g = c.benchmark_group("bound");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("hash_to_group", |b| {
        b.iter(|| {
            xs.iter()
                .map(|x| suite.hash_to_group(x))
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("variable_base_mul", |b| {
        b.iter(|| points.iter().map(|p| p * k).collect::<Vec<_>>())
    });
    g.bench_function("compress", |b| {
        b.iter(|| points.iter().map(|p| p.compress()).collect::<Vec<_>>())
    });
    g.bench_function("double_and_compress_batch", |b| {
        b.iter(|| RistrettoPoint::double_and_compress_batch(black_box(&points)))
    });
    g.bench_function("decompress", |b| {
        b.iter(|| decode_elements(black_box(&compressed)).unwrap())
    });
    g.bench_function("batch_invert", |b| {
        b.iter(|| {
            let mut s = scalars.clone();
            Scalar::invert_batch_alloc(&mut s)
        })
    });
    // ComputeComposites costs one HashToScalar over a ~150-byte transcript per element
    // and a variable-time multiscalar multiplication (public inputs).
    let transcript = [0x5au8; 150];
    g.bench_function("hash_to_scalar", |b| {
        b.iter(|| {
            (0..n)
                .map(|_| suite.hash_to_scalar(&[black_box(&transcript)]))
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("vartime_multiscalar_mul", |b| {
        b.iter(|| {
            <RistrettoPoint as VartimeMultiscalarMul>::vartime_multiscalar_mul(
                black_box(&scalars),
                black_box(&points),
            )
        })
    });
    g.bench_function("finalize_hash", |b| {
        b.iter(|| {
            xs.iter()
                .zip(&compressed)
                .map(|(x, e)| blindlink_core::oprf::suite::finalize_hash(x, e))
                .collect::<Vec<_>>()
        })
    });
    g.finish();
}

/// The holder's full Evaluate over its own records (set encoding), and the peer.
/// HashToGroup, multiplication by `k/2`, batched double-and-compress, Finalize hash:
/// the holder's Evaluate reduced to its primitives, split across the pool like the real one.
fn primitive_evaluate(half_k: &Scalar, xs: &[Vec<u8>]) -> Vec<[u8; 64]> {
    let suite = Suite::get(Mode::Voprf);
    let chunk = (xs.len() / (4 * rayon::current_num_threads())).clamp(64, 1024);
    xs.par_chunks(chunk)
        .flat_map_iter(|c| {
            let points: Vec<RistrettoPoint> =
                c.iter().map(|x| suite.hash_to_group(x) * half_k).collect();
            let encoded = RistrettoPoint::double_and_compress_batch(&points);
            c.iter()
                .zip(encoded)
                .map(|(x, e)| blindlink_core::oprf::suite::finalize_hash(x, e.as_bytes()))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn holder_evaluate(c: &mut Criterion) {
    let sk = SecretKey::generate(&mut rand::rng());
    let k = Scalar::from_bytes_mod_order([9u8; 32]);
    for (label, pool) in pools() {
        let mut g = c.benchmark_group(format!("holder_evaluate/{label}"));
        for n in SIZES {
            let xs = inputs(n);
            g.throughput(Throughput::Elements(n as u64));
            g.bench_with_input(BenchmarkId::from_parameter(n), &xs, |b, xs| {
                b.iter(|| pool.install(|| evaluate_batch(Mode::Voprf, &sk, xs).unwrap()))
            });
            // The same primitives with nothing around them (no identity check, no error
            // path, no index bookkeeping), measured right after, on the same inputs and
            // pool: the adjacent bound that the run-to-run drift of the VM cannot skew.
            g.bench_with_input(BenchmarkId::new("adjacent_bound", n), &xs, |b, xs| {
                b.iter(|| pool.install(|| primitive_evaluate(&k, xs)))
            });
        }
        g.finish();
    }
    let mut g = c.benchmark_group("peer_voprf_evaluate/t1");
    let server =
        voprf::VoprfServer::<voprf::Ristretto255>::new_from_seed(&[3u8; 32], b"bench").unwrap();
    let n = 1 << 10;
    let xs = inputs(n);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(BenchmarkId::from_parameter(n), |b| {
        b.iter(|| {
            xs.iter()
                .map(|x| server.evaluate(x).unwrap())
                .collect::<Vec<_>>()
        })
    });
    g.finish();
}

/// The online phase: requester blinds, holder evaluates and proves, requester verifies and
/// finalizes.
fn online(c: &mut Criterion) {
    let sk = SecretKey::generate(&mut rand::rng());
    let pk = sk.public_key();
    for (label, pool) in pools() {
        for n in SIZES {
            let xs = inputs(n);
            let (blinds, blinded) = blind_batch(Mode::Voprf, &xs, &mut rand::rng()).unwrap();
            let blind_bytes = blinds.to_bytes();
            let (evaluated, proofs) = blind_evaluate_and_prove(
                &sk,
                &BlindedBatch::decode(blinded.clone()).unwrap(),
                &mut rand::rng(),
            )
            .unwrap();
            let mut g = c.benchmark_group(format!("online/{label}"));
            g.throughput(Throughput::Elements(n as u64));
            g.bench_with_input(BenchmarkId::new("blind", n), &xs, |b, xs| {
                let blinds = Blinds::from_bytes(&blind_bytes).unwrap();
                b.iter(|| pool.install(|| blind_batch_with(Mode::Voprf, xs, &blinds).unwrap()))
            });
            // The holder's online step as the session runs it: strict decoding of what
            // arrived, evaluation, and (VOPRF) the proofs.
            g.bench_with_input(BenchmarkId::new("blind_evaluate", n), &blinded, |b, bl| {
                b.iter(|| {
                    pool.install(|| {
                        let batch = BlindedBatch::decode(bl.clone()).unwrap();
                        blind_evaluate_batch(&sk, &batch)
                    })
                })
            });
            g.bench_with_input(
                BenchmarkId::new("blind_evaluate_and_prove", n),
                &blinded,
                |b, bl| {
                    b.iter(|| {
                        pool.install(|| {
                            let batch = BlindedBatch::decode(bl.clone()).unwrap();
                            blind_evaluate_and_prove(&sk, &batch, &mut rand::rng()).unwrap()
                        })
                    })
                },
            );
            g.bench_with_input(BenchmarkId::new("verify_and_finalize", n), &xs, |b, xs| {
                b.iter(|| {
                    pool.install(|| {
                        let blinds = Blinds::from_bytes(&blind_bytes).unwrap();
                        verify_and_finalize(&pk, xs, blinds, &blinded, &evaluated, &proofs).unwrap()
                    })
                })
            });
            g.finish();
        }
    }
}

/// The requester's two steps with additive, fixed-base blinding (PROTOCOL.md §2.7), to
/// compare with `online/*/blind` and `online/*/verify_and_finalize`.
fn online_additive(c: &mut Criterion) {
    let sk = SecretKey::generate(&mut rand::rng());
    let pk = sk.public_key();
    for (label, pool) in pools() {
        for n in SIZES {
            let xs = inputs(n);
            let (blinds, blinded) = blind_batch_additive(&xs, &mut rand::rng()).unwrap();
            let blind_bytes = blinds.to_bytes();
            let again = || Blinds::from_bytes_as(Blinding::Additive, &blind_bytes).unwrap();
            let batch = BlindedBatch::decode(blinded.clone()).unwrap();
            let (evaluated, proofs) =
                blind_evaluate_and_prove(&sk, &batch, &mut rand::rng()).unwrap();
            let mut g = c.benchmark_group(format!("online/{label}"));
            g.throughput(Throughput::Elements(n as u64));
            g.bench_with_input(BenchmarkId::new("blind_additive", n), &xs, |b, xs| {
                let blinds = again();
                b.iter(|| pool.install(|| blind_batch_with(Mode::Voprf, xs, &blinds).unwrap()))
            });
            g.bench_with_input(
                BenchmarkId::new("verify_and_finalize_additive", n),
                &xs,
                |b, xs| {
                    b.iter(|| {
                        pool.install(|| {
                            verify_and_finalize(&pk, xs, again(), &blinded, &evaluated, &proofs)
                                .unwrap()
                        })
                    })
                },
            );
            g.finish();
        }
    }
}

/// Which table pays: building the constant-time table for `pkS` against the per-element
/// saving of a table multiplication over a variable-base one.
fn fixed_base(c: &mut Criterion) {
    let p = RistrettoPoint::random(&mut rand::rng());
    let s = Scalar::random(&mut rand::rng());
    let table = RistrettoBasepointTable::create(&p);
    let mut g = c.benchmark_group("fixed_base");
    g.bench_function("table_create", |b| {
        b.iter(|| RistrettoBasepointTable::create(&p))
    });
    g.bench_function("table_mul", |b| b.iter(|| &table * &s));
    g.bench_function("static_basepoint_mul", |b| {
        b.iter(|| RistrettoPoint::mul_base(&s))
    });
    g.bench_function("variable_base_mul", |b| b.iter(|| p * s));
    g.bench_function("compress", |b| b.iter(|| p.compress()));
    g.finish();
}

criterion_group! {
    name = benches;
    config = configure(&mut Criterion::default());
    targets = bound, holder_evaluate, online, online_additive, fixed_base
}
criterion_main!(benches);
