//! blindlink-core: the pure (no I/O) heart of blindlink.
//!
//! - [`oprf`]: RFC 9497 OPRF(ristretto255, SHA-512) in base and verifiable (VOPRF) modes,
//!   with batch APIs for throughput.
//! - [`record`], [`normalize`], [`match_key`]: taxpayer and request records, their
//!   normalization, and the versioned match-key rule set (v1) whose keys are the OPRF inputs.
//! - [`fingerprint`]: truncated OPRF outputs and the holder's compressed [`fingerprint::EncodedSet`].
//!
//! Nothing here touches sockets, files or clocks; callers pass bytes and an RNG.

pub mod fingerprint;
pub mod match_key;
pub mod normalize;
pub mod oprf;
pub mod record;
