//! How many of each primitive one element of a phase costs (the counts of the bound,
//! read from the core crate; see `bound.rs` for the table and the timings).

use serde::Serialize;

use crate::bound::PrimitiveCosts;

/// One number per primitive: how many of it one element of a phase costs
/// ([`PrimitiveCounts`]), or seconds per element of it ([`crate::bound::PrimitiveCosts`]).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct PerPrimitive {
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
pub type PrimitiveCounts = PerPrimitive;

impl PrimitiveCounts {
    /// Holder encoding: Evaluate of its own keys.
    pub const HOLDER_ENCODING: PrimitiveCounts = PrimitiveCounts {
        hash_to_group: 1.0,
        variable_base_mul: 1.0,
        batched_compress: 1.0,
        finalize_hash: 1.0,
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
