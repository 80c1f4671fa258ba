//! The bound: the raw curve25519-dalek / sha2 primitives each phase cannot avoid, timed
//! per element on a sample with the harness's own thread pool, right before and after
//! each phase (the VM drifts ~10% over minutes, so a phase is compared with adjacent
//! measurements only).
//!
//! # What each phase must do, per element (read from the core crate)
//!
//! | phase | primitives per element |
//! |---|---|
//! | holder encoding (`evaluate_batch`) | HashToGroup + var-base mul (by k/2) + batched double-and-compress + Finalize hash |
//! | request blinding (`blind_batch`) | HashToGroup + var-base mul (by r/2) + batched double-and-compress |
//! | holder evaluation + proofs (`BlindedBatch::decode`, `blind_evaluate_and_prove`) | decompress + var-base mul + batched double-and-compress + HashToScalar (composite weight) + 1 point of a vartime multiscalar mul |
//! | request blinding, additive (`blind_batch_additive`, shipped) | HashToGroup + fixed-base mul + add-and-compress |
//! | finalize, additive (`verify_and_finalize`, shipped) | 2 decompress + HashToScalar + 2 multiscalar points + fixed-base mul + add-and-compress + Finalize hash |
//! | finalize (`verify_and_finalize`) | 2 decompress + HashToScalar + 2 multiscalar points + batched inversion + var-base mul + batched double-and-compress + Finalize hash |
//!
//! The multiscalar point is timed on one full proof batch (65,535 points) split across the
//! pool, since its per-point cost falls with the batch size; for requests far smaller
//! than that the bound slightly understates the proof cost (ratio a little high).
//!
//! Per-proof constants (one proof per 65,535 elements: a few fixed-base and 2-point
//! multiplications) and the per-request work (signatures, digests) are left out of the
//! bound: they are below 0.01% at these sizes. Text work (normalization, keys) and
//! sorting/coding have no curve primitive and are counted in the measurement, not in the
//! bound.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use blindlink_core::oprf::codec::decode_elements;
use blindlink_core::oprf::suite::finalize_hash;
use blindlink_core::oprf::{Mode, Suite};
use curve25519_dalek::ristretto::{RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use rayon::prelude::*;
use serde::Serialize;

/// Seconds per element of each primitive, on the harness's pool (so already divided by
/// the threads the pool keeps busy).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct PrimitiveCosts {
    /// HashToGroup (expand_message_xmd + from_uniform_bytes).
    pub hash_to_group: f64,
    /// Variable-base scalar multiplication.
    pub variable_base_mul: f64,
    /// `double_and_compress_batch`, per point.
    pub batched_compress: f64,
    /// Strict decompression.
    pub decompress: f64,
    /// Finalize hash (SHA-512).
    pub finalize_hash: f64,
    /// HashToScalar over a ~150-byte transcript (composite weight).
    pub hash_to_scalar: f64,
    /// One point of a vartime multiscalar multiplication.
    pub multiscalar_point: f64,
    /// Batched scalar inversion, per scalar.
    pub batched_inversion: f64,
    /// Constant-time fixed-base multiplication (a `RistrettoBasepointTable`).
    pub fixed_base_mul: f64,
    /// One point addition plus a single (unbatched) compression.
    pub add_and_compress: f64,
}

/// How many of each primitive one element of a phase costs.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct PrimitiveCounts {
    /// HashToGroup.
    pub hash_to_group: f64,
    /// Variable-base multiplication.
    pub variable_base_mul: f64,
    /// Batched double-and-compress.
    pub batched_compress: f64,
    /// Decompression.
    pub decompress: f64,
    /// Finalize hash.
    pub finalize_hash: f64,
    /// HashToScalar.
    pub hash_to_scalar: f64,
    /// Multiscalar points.
    pub multiscalar_point: f64,
    /// Batched inversion.
    pub batched_inversion: f64,
    /// Fixed-base multiplication.
    pub fixed_base_mul: f64,
    /// Point addition + single compression.
    pub add_and_compress: f64,
}

impl PrimitiveCounts {
    /// Holder encoding: Evaluate of its own keys.
    pub const HOLDER_ENCODING: PrimitiveCounts = PrimitiveCounts {
        hash_to_group: 1.0,
        variable_base_mul: 1.0,
        batched_compress: 1.0,
        finalize_hash: 1.0,
        ..Self::NONE
    };
    /// Requester Blind.
    pub const BLIND: PrimitiveCounts = PrimitiveCounts {
        hash_to_group: 1.0,
        variable_base_mul: 1.0,
        batched_compress: 1.0,
        ..Self::NONE
    };
    /// Holder BlindEvaluate with the VOPRF proof.
    pub const BLIND_EVALUATE_AND_PROVE: PrimitiveCounts = PrimitiveCounts {
        decompress: 1.0,
        variable_base_mul: 1.0,
        batched_compress: 1.0,
        hash_to_scalar: 1.0,
        multiscalar_point: 1.0,
        ..Self::NONE
    };
    /// Requester Blind, additive (PROTOCOL.md §2.7): `H1(x) + r·G`, compressed.
    pub const BLIND_ADDITIVE: PrimitiveCounts = PrimitiveCounts {
        hash_to_group: 1.0,
        fixed_base_mul: 1.0,
        add_and_compress: 1.0,
        ..Self::NONE
    };
    /// Requester verify + Finalize, additive: `N = E − r·pk`, compressed.
    pub const VERIFY_AND_FINALIZE_ADDITIVE: PrimitiveCounts = PrimitiveCounts {
        decompress: 2.0,
        hash_to_scalar: 1.0,
        multiscalar_point: 2.0,
        fixed_base_mul: 1.0,
        add_and_compress: 1.0,
        finalize_hash: 1.0,
        ..Self::NONE
    };
    /// Requester verify + Finalize.
    pub const VERIFY_AND_FINALIZE: PrimitiveCounts = PrimitiveCounts {
        decompress: 2.0,
        hash_to_scalar: 1.0,
        multiscalar_point: 2.0,
        batched_inversion: 1.0,
        variable_base_mul: 1.0,
        batched_compress: 1.0,
        finalize_hash: 1.0,
        ..Self::NONE
    };
    /// No curve work.
    pub const NONE: PrimitiveCounts = PrimitiveCounts {
        hash_to_group: 0.0,
        variable_base_mul: 0.0,
        batched_compress: 0.0,
        decompress: 0.0,
        finalize_hash: 0.0,
        hash_to_scalar: 0.0,
        multiscalar_point: 0.0,
        batched_inversion: 0.0,
        fixed_base_mul: 0.0,
        add_and_compress: 0.0,
    };

    /// Seconds per element under `costs`.
    pub fn seconds_per_element(&self, c: &PrimitiveCosts) -> f64 {
        self.hash_to_group * c.hash_to_group
            + self.variable_base_mul * c.variable_base_mul
            + self.batched_compress * c.batched_compress
            + self.decompress * c.decompress
            + self.finalize_hash * c.finalize_hash
            + self.hash_to_scalar * c.hash_to_scalar
            + self.multiscalar_point * c.multiscalar_point
            + self.batched_inversion * c.batched_inversion
            + self.fixed_base_mul * c.fixed_base_mul
            + self.add_and_compress * c.add_and_compress
    }

    /// Whether the phase has any curve work (a bound to compare with).
    pub fn is_none(&self) -> bool {
        self.seconds_per_element(&PrimitiveCosts {
            hash_to_group: 1.0,
            variable_base_mul: 1.0,
            batched_compress: 1.0,
            decompress: 1.0,
            finalize_hash: 1.0,
            hash_to_scalar: 1.0,
            multiscalar_point: 1.0,
            batched_inversion: 1.0,
            fixed_base_mul: 1.0,
            add_and_compress: 1.0,
        }) == 0.0
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

/// Points per multiscalar sample: one full proof batch (65,535 elements), which is what
/// a proof over a large request multiplies (split across the pool as the core splits it);
/// Pippenger's per-point cost falls with the size, so a smaller sample would overstate it.
const MSM_SAMPLE: usize = 65_535;

impl BoundSample {
    /// A sample of `n` elements.
    pub fn new(n: usize) -> BoundSample {
        let suite = Suite::get(Mode::Voprf);
        let inputs: Vec<Vec<u8>> = (0..n)
            .map(|i| format!("blindlink/v1/R1/bound-sample-{i:08}").into_bytes())
            .collect();
        let points: Vec<RistrettoPoint> = inputs.iter().map(|x| suite.hash_to_group(x)).collect();
        let compressed = points.iter().map(|p| p.compress().to_bytes()).collect();
        let k = Scalar::from_bytes_mod_order([7u8; 32]);
        let scalars = (0..n as u64).map(|i| k + Scalar::from(i)).collect();
        let msm_points: Vec<RistrettoPoint> = (0..MSM_SAMPLE)
            .into_par_iter()
            .map(|i| suite.hash_to_group(format!("msm-sample-{i}").as_bytes()))
            .collect();
        let msm_scalars = (0..MSM_SAMPLE as u64)
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

    /// Times every primitive (median of three runs each), split across the pool.
    pub fn measure(&self) -> PrimitiveCosts {
        let n = self.inputs.len();
        let chunk = n.div_ceil(rayon::current_num_threads()).max(1);
        let suite = Suite::get(Mode::Voprf);
        let k = Scalar::from_bytes_mod_order([9u8; 32]);
        let per = |f: &dyn Fn()| median3(f) / n as f64;
        let table = RistrettoBasepointTable::create(&RistrettoPoint::mul_base(&k));
        PrimitiveCosts {
            hash_to_group: per(&|| {
                let _: Vec<RistrettoPoint> = self
                    .inputs
                    .par_chunks(chunk)
                    .flat_map_iter(|c| c.iter().map(|x| suite.hash_to_group(x)))
                    .collect();
            }),
            variable_base_mul: per(&|| {
                let _: Vec<RistrettoPoint> = self
                    .points
                    .par_chunks(chunk)
                    .flat_map_iter(|c| c.iter().map(|p| p * k))
                    .collect();
            }),
            batched_compress: per(&|| {
                let _: Vec<_> = self
                    .points
                    .par_chunks(chunk)
                    .map(RistrettoPoint::double_and_compress_batch)
                    .collect();
            }),
            decompress: per(&|| {
                let _: Vec<_> = self
                    .compressed
                    .par_chunks(chunk)
                    .map(decode_elements)
                    .collect();
            }),
            finalize_hash: per(&|| {
                let _: Vec<[u8; 64]> = self
                    .inputs
                    .par_chunks(chunk)
                    .zip(self.compressed.par_chunks(chunk))
                    .flat_map_iter(|(x, e)| x.iter().zip(e).map(|(x, e)| finalize_hash(x, e)))
                    .collect();
            }),
            hash_to_scalar: per(&|| {
                let _: Vec<Scalar> = (0..n)
                    .into_par_iter()
                    .with_min_len(chunk)
                    .map(|_| suite.hash_to_scalar(&[&self.transcript]))
                    .collect();
            }),
            multiscalar_point: median3(&|| {
                let chunk = MSM_SAMPLE.div_ceil(rayon::current_num_threads()).max(256);
                let _: Vec<RistrettoPoint> = self
                    .msm_scalars
                    .par_chunks(chunk)
                    .zip(self.msm_points.par_chunks(chunk))
                    .map(|(s, p)| RistrettoPoint::vartime_multiscalar_mul(s, p))
                    .collect();
            }) / MSM_SAMPLE as f64,
            batched_inversion: per(&|| {
                let _: Vec<Scalar> = self
                    .scalars
                    .par_chunks(chunk)
                    .map(|s| {
                        let mut s = s.to_vec();
                        Scalar::invert_batch_alloc(&mut s)
                    })
                    .collect();
            }),
            fixed_base_mul: per(&|| {
                let _: Vec<RistrettoPoint> = self
                    .scalars
                    .par_chunks(chunk)
                    .flat_map_iter(|c| c.iter().map(|r| &table * r))
                    .collect();
            }),
            add_and_compress: per(&|| {
                let _: Vec<[u8; 32]> = self
                    .points
                    .par_chunks(chunk)
                    .flat_map_iter(|c| c.iter().map(|p| (p + p).compress().to_bytes()))
                    .collect();
            }),
        }
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

/// Bound measurements taken during a run, with their time.
#[derive(Debug)]
pub struct Samples {
    sample: BoundSample,
    taken: Mutex<Vec<(Instant, PrimitiveCosts)>>,
}

impl Samples {
    /// Ready to measure on `n` elements.
    pub fn new(n: usize) -> Samples {
        Samples {
            sample: BoundSample::new(n),
            taken: Mutex::new(Vec::new()),
        }
    }

    /// Measures the primitives now; returns how long it took (to leave out of phases).
    pub fn take(&self) -> Duration {
        let start = Instant::now();
        let costs = self.sample.measure();
        if let Ok(mut list) = self.taken.lock() {
            list.push((Instant::now(), costs));
        }
        start.elapsed()
    }

    /// The bound for a phase that ran from `start` to `end`: the mean of the last
    /// measurement before it, those taken during it, and the first one after it.
    pub fn around(&self, start: Instant, end: Instant) -> PrimitiveCosts {
        let Ok(list) = self.taken.lock() else {
            return PrimitiveCosts::default();
        };
        let before = list.iter().rev().find(|(t, _)| *t <= start);
        let during = list.iter().filter(|(t, _)| *t > start && *t < end);
        let after = list.iter().find(|(t, _)| *t >= end);
        let chosen: Vec<&PrimitiveCosts> = before
            .into_iter()
            .chain(during)
            .chain(after)
            .map(|(_, c)| c)
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
