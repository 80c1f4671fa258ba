//! Errors of the OPRF suite.
//!
//! Variants carry the index of the offending element where there is one, so a caller can
//! log precisely; what is sent to a peer should stay coarse (see the protocol crate).

use thiserror::Error;

/// Everything that can go wrong in the OPRF suite.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum OprfError {
    /// A 32-byte string is not the canonical encoding of a ristretto255 element.
    #[error("element {index} is not a canonical ristretto255 encoding")]
    NonCanonicalElement {
        /// Position in the batch (0 for a single element).
        index: usize,
    },
    /// An element decoded to the identity, which RFC 9497 forbids on the wire.
    #[error("element {index} is the identity element")]
    IdentityElement {
        /// Position in the batch (0 for a single element).
        index: usize,
    },
    /// A 32-byte string is not the canonical little-endian encoding of a scalar below the
    /// group order.
    #[error("scalar is not canonically encoded")]
    NonCanonicalScalar,
    /// A scalar that must be non-zero (key, blind) is zero.
    #[error("scalar is zero")]
    ZeroScalar,
    /// An input hashed to the identity element (probability about 2^-252; RFC 9497
    /// `InvalidInputError`).
    #[error("input {index} hashes to the identity element")]
    InvalidInput {
        /// Position in the batch.
        index: usize,
    },
    /// An input is longer than the 2-byte length prefix of RFC 9497 allows (65,535 bytes).
    #[error("input {index} is longer than 65535 bytes")]
    InputTooLong {
        /// Position in the batch.
        index: usize,
    },
    /// DeriveKeyPair found no non-zero scalar in 256 attempts (RFC 9497 `DeriveKeyPairError`).
    #[error("DeriveKeyPair failed to find a non-zero scalar")]
    DeriveKeyPair,
    /// The key info string is longer than the 2-byte length prefix allows.
    #[error("key info is {len} bytes; at most 65535 allowed")]
    InfoTooLong {
        /// Its length.
        len: usize,
    },
    /// Two batches that must be of equal length are not.
    #[error("batch length mismatch: expected {expected}, got {got}")]
    LengthMismatch {
        /// Length required.
        expected: usize,
        /// Length given.
        got: usize,
    },
    /// A batch covered by one proof exceeds the 2-byte index of RFC 9497 (65,535 elements),
    /// or is empty.
    #[error("a proof covers 1 to 65535 elements, not {count}")]
    ProofBatchSize {
        /// Number of elements offered.
        count: usize,
    },
    /// The proofs do not tile the batch: they overlap, leave gaps or run past its end.
    #[error("proof {proof} does not cover the expected element range")]
    ProofLayout {
        /// Index of the first misplaced proof.
        proof: usize,
    },
    /// A VOPRF proof did not verify (RFC 9497 `VerifyError`).
    #[error("VOPRF proof {proof} does not verify")]
    ProofInvalid {
        /// Index of the failing proof in the list.
        proof: usize,
    },
    /// Additive blinds can only be removed after a VOPRF proof verified: they are refused
    /// in OPRF mode and by the unverified `finalize_batch`.
    #[error("additive blinds need VOPRF mode and a verified proof")]
    AdditiveNeedsProof,
}
