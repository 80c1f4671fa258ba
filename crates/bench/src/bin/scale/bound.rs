//! The bound: the raw curve25519-dalek / sha2 primitives each phase cannot avoid, timed
//! per element on a sample with the harness's own thread pool, right before and after
//! each phase (the VM drifts ~10% over minutes, so a phase is compared with adjacent
//! measurements only), and at the phase's own batch size ([`BatchShape`]): the batched
//! primitives (double-and-compress, inversion) on the chunks the core cuts that phase's
//! call into (`codec::par_chunk_len`), the multiscalar points on the phase's own proof
//! tiles split as the core splits them (`proof::composite_chunk_len`), and every
//! primitive over the call's own `elements` (at most `--bound-sample`), so the bound pays
//! the same per-call overheads as the phase: the fork-join, and the tail where one thread
//! finishes its last task while the other idles (with 16 tasks per pass that tail was ~4%
//! of a 16,384-element sample, against ~2% of the holder's 49,000-key calls).
//!
//! # What each phase must do, per element (read from the core crate)
//!
//! | phase | primitives per element |
//! |---|---|
//! | holder encoding (`evaluate_batch`) | HashToGroup + var-base mul (by k/2) + batched double-and-compress + Finalize hash |
//! | holder evaluation + proofs (`BlindedBatch::decode`, `blind_evaluate_and_prove`) | decompress + var-base mul + batched double-and-compress + HashToScalar (composite weight) + 1 point of a vartime multiscalar mul |
//! | request blinding (`blind_batch_additive`: `H(x) + r·G`) | HashToGroup + fixed-base mul + add-and-compress |
//! | finalize (`verify_and_finalize` of additive blinds: `E − r·pkS`) | 2 decompress + HashToScalar + 2 multiscalar points + fixed-base mul + add-and-compress + Finalize hash |
//!
//! Per-proof constants (one proof per 65,535 elements: a few fixed-base and 2-point
//! multiplications), the requester's `pkS` table (built once per finalize call), and the
//! per-request work (signatures, digests) are left out of the bound: they are below 0.1%
//! at these sizes. Text work (normalization, keys) and
//! sorting/coding have no curve primitive and are counted in the measurement, not in the
//! bound.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use blindlink_core::oprf::codec::{decode_elements, par_chunk_len};
use blindlink_core::oprf::proof::composite_chunk_len;
use blindlink_core::oprf::suite::finalize_hash;
use blindlink_core::oprf::{MAX_PROOF_BATCH, Mode, Suite};
use curve25519_dalek::ristretto::{RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use rayon::prelude::*;
use serde::Serialize;

pub use crate::counts::{PerPrimitive, PrimitiveCounts};

/// Seconds per element of each primitive, on the harness's pool (so already divided by
/// the threads the pool keeps busy).
pub type PrimitiveCosts = PerPrimitive;

/// The batch sizes a phase's primitives run at: the elements of one call into the core
/// (the whole request; one ingest chunk's keys for the holder), from which the core's
/// chunking and proof tiling follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BatchShape {
    /// Elements per core call.
    pub elements: usize,
}

impl BatchShape {
    /// A phase whose core call covers `elements`.
    pub fn of(elements: usize) -> BatchShape {
        BatchShape {
            elements: elements.max(1),
        }
    }

    /// Elements per parallel task of the batched primitives, as the core cuts them.
    fn chunk(&self) -> usize {
        par_chunk_len(self.elements)
    }

    /// The proof tiles of the call: `(full tiles of MAX_PROOF_BATCH, the last one's size)`.
    fn proof_tiles(&self) -> (usize, usize) {
        let full = self.elements / MAX_PROOF_BATCH;
        (full, self.elements - full * MAX_PROOF_BATCH)
    }
}

/// Inputs for the primitive timings, built once.
#[derive(Debug)]
pub struct BoundSample {
    inputs: Vec<Vec<u8>>,
    points: Vec<RistrettoPoint>,
    compressed: Vec<[u8; 32]>,
    scalars: Vec<Scalar>,
    transcript: [u8; 150],
    msm_points: Vec<RistrettoPoint>,
    msm_scalars: Vec<Scalar>,
}

impl BoundSample {
    /// A sample of up to `n` elements per primitive, and one full proof tile of
    /// multiscalar points.
    pub fn new(n: usize) -> BoundSample {
        let suite = Suite::get(Mode::Voprf);
        let inputs: Vec<Vec<u8>> = (0..n)
            .map(|i| format!("blindlink/v1/R1/bound-sample-{i:08}").into_bytes())
            .collect();
        let points: Vec<RistrettoPoint> =
            inputs.par_iter().map(|x| suite.hash_to_group(x)).collect();
        let compressed = points.par_iter().map(|p| p.compress().to_bytes()).collect();
        let k = Scalar::from_bytes_mod_order([7u8; 32]);
        let scalars = (0..n as u64).map(|i| k + Scalar::from(i)).collect();
        let msm_points: Vec<RistrettoPoint> = (0..MAX_PROOF_BATCH)
            .into_par_iter()
            .map(|i| suite.hash_to_group(format!("msm-sample-{i}").as_bytes()))
            .collect();
        let msm_scalars = (0..MAX_PROOF_BATCH as u64)
            .map(|i| k * Scalar::from(i + 3))
            .collect();
        BoundSample {
            msm_points,
            msm_scalars,
            inputs,
            points,
            compressed,
            scalars,
            transcript: [0x5a; 150],
        }
    }

    /// Times every primitive (median of three runs each) at `shape`, on the pool.
    pub fn measure(&self, shape: BatchShape) -> PrimitiveCosts {
        let n = shape.elements.min(self.inputs.len()).max(1);
        let chunk = shape.chunk();
        let (inputs, points) = (&self.inputs[..n], &self.points[..n]);
        let (compressed, scalars) = (&self.compressed[..n], &self.scalars[..n]);
        let suite = Suite::get(Mode::Voprf);
        let k = Scalar::from_bytes_mod_order([9u8; 32]);
        let per = |f: &dyn Fn()| median3(f) / n as f64;
        // A table for a public key, as the requester builds for `pkS` (not timed: once
        // per finalize call).
        let table = &RistrettoBasepointTable::create(&RistrettoPoint::mul_base(&k));
        PrimitiveCosts {
            hash_to_group: per(&|| {
                let _: Vec<Vec<RistrettoPoint>> = inputs
                    .par_chunks(chunk)
                    .map(|c| c.iter().map(|x| suite.hash_to_group(x)).collect())
                    .collect();
            }),
            variable_base_mul: per(&|| {
                let _: Vec<Vec<RistrettoPoint>> = points
                    .par_chunks(chunk)
                    .map(|c| c.iter().map(|p| p * k).collect())
                    .collect();
            }),
            batched_compress: per(&|| {
                let _: Vec<_> = points
                    .par_chunks(chunk)
                    .map(RistrettoPoint::double_and_compress_batch)
                    .collect();
            }),
            decompress: per(&|| {
                let _: Vec<_> = compressed.par_chunks(chunk).map(decode_elements).collect();
            }),
            finalize_hash: per(&|| {
                let _: Vec<Vec<[u8; 64]>> = inputs
                    .par_chunks(chunk)
                    .zip(compressed.par_chunks(chunk))
                    .map(|(x, e)| x.iter().zip(e).map(|(x, e)| finalize_hash(x, e)).collect())
                    .collect();
            }),
            hash_to_scalar: per(&|| {
                let _: Vec<Scalar> = (0..n)
                    .into_par_iter()
                    .with_min_len(composite_chunk_len(n.min(MAX_PROOF_BATCH)))
                    .map(|_| suite.hash_to_scalar(&[&self.transcript]))
                    .collect();
            }),
            multiscalar_point: self.multiscalar_point(shape),
            batched_inversion: per(&|| {
                let _: Vec<Scalar> = scalars
                    .par_chunks(chunk)
                    .map(|s| {
                        let mut s = s.to_vec();
                        Scalar::invert_batch_alloc(&mut s)
                    })
                    .collect();
            }),
            fixed_base_mul: per(&|| {
                let _: Vec<Vec<RistrettoPoint>> = scalars
                    .par_chunks(chunk)
                    .map(|c| c.iter().map(|r| table * r).collect())
                    .collect();
            }),
            add_and_compress: per(&|| {
                let _: Vec<Vec<[u8; 32]>> = points
                    .par_chunks(chunk)
                    .map(|c| c.iter().map(|p| (p + p).compress().to_bytes()).collect())
                    .collect();
            }),
        }
    }

    /// Seconds per multiscalar point over the phase's proof tiles: each tile size timed
    /// once (split across the pool as `proof::weighted_sum` splits it), weighted by the
    /// elements it covers.
    fn multiscalar_point(&self, shape: BatchShape) -> f64 {
        let tile = |len: usize| {
            let split = composite_chunk_len(len);
            median3(&|| {
                let _: Vec<RistrettoPoint> = self.msm_scalars[..len]
                    .par_chunks(split)
                    .zip(self.msm_points[..len].par_chunks(split))
                    .map(|(s, p)| RistrettoPoint::vartime_multiscalar_mul(s, p))
                    .collect();
            })
        };
        let (full, last) = shape.proof_tiles();
        let mut seconds = 0.0;
        if full > 0 {
            seconds += full as f64 * tile(MAX_PROOF_BATCH);
        }
        if last > 0 {
            seconds += tile(last);
        }
        seconds / shape.elements as f64
    }
}

fn median3(f: &dyn Fn()) -> f64 {
    let mut t: Vec<f64> = (0..3)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t.get(1).copied().unwrap_or(0.0)
}

/// Bound measurements taken during a run: when, and at which shape.
#[derive(Debug)]
pub struct Samples {
    sample: BoundSample,
    taken: Mutex<Vec<(Instant, BatchShape, PrimitiveCosts)>>,
}

impl Samples {
    /// Ready to measure on up to `n` elements per primitive.
    pub fn new(n: usize) -> Samples {
        Samples {
            sample: BoundSample::new(n),
            taken: Mutex::new(Vec::new()),
        }
    }

    /// Measures the primitives now at `shape`; returns how long it took (to leave out of
    /// phases).
    pub fn take(&self, shape: BatchShape) -> Duration {
        let start = Instant::now();
        let costs = self.sample.measure(shape);
        if let Ok(mut list) = self.taken.lock() {
            list.push((Instant::now(), shape, costs));
        }
        start.elapsed()
    }

    /// The bound for a phase at `shape` that ran from `start` to `end`: the mean of the
    /// samples at that shape that bracket it: the last one before it, those taken during
    /// it, and the first one after it (the first two after it when none was taken before).
    pub fn around(&self, start: Instant, end: Instant, shape: BatchShape) -> PrimitiveCosts {
        let Ok(list) = self.taken.lock() else {
            return PrimitiveCosts::default();
        };
        let at: Vec<&(Instant, BatchShape, PrimitiveCosts)> =
            list.iter().filter(|(_, s, _)| *s == shape).collect();
        let before = at.iter().rev().find(|(t, _, _)| *t <= start);
        let during = at.iter().filter(|(t, _, _)| *t > start && *t < end);
        let after_count = if before.is_some() { 1 } else { 2 };
        let after = at.iter().filter(|(t, _, _)| *t >= end).take(after_count);
        let chosen: Vec<&PrimitiveCosts> = before
            .into_iter()
            .chain(during)
            .chain(after)
            .map(|(_, _, c)| c)
            .collect();
        mean(&chosen)
    }
}

fn mean(costs: &[&PrimitiveCosts]) -> PrimitiveCosts {
    let n = costs.len().max(1) as f64;
    let sum = |f: fn(&PrimitiveCosts) -> f64| costs.iter().map(|c| f(c)).sum::<f64>() / n;
    PrimitiveCosts {
        hash_to_group: sum(|c| c.hash_to_group),
        variable_base_mul: sum(|c| c.variable_base_mul),
        batched_compress: sum(|c| c.batched_compress),
        decompress: sum(|c| c.decompress),
        finalize_hash: sum(|c| c.finalize_hash),
        hash_to_scalar: sum(|c| c.hash_to_scalar),
        multiscalar_point: sum(|c| c.multiscalar_point),
        batched_inversion: sum(|c| c.batched_inversion),
        fixed_base_mul: sum(|c| c.fixed_base_mul),
        add_and_compress: sum(|c| c.add_and_compress),
    }
}
