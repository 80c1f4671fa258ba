//! RFC 9497 OPRF(ristretto255, SHA-512), base (`OPRF`) and verifiable (`VOPRF`) modes,
//! implemented directly on curve25519-dalek and sha2 with batch APIs.
//!
//! | RFC 9497 function | here |
//! |---|---|
//! | `DeriveKeyPair`, `GenerateKeyPair` | [`SecretKey::derive`], [`SecretKey::generate`] |
//! | `Blind` | [`blind_batch`], [`blind_batch_with`]; VOPRF additive: [`blind_batch_additive`] |
//! | `BlindEvaluate` | [`blind_evaluate_batch`] (OPRF), [`blind_evaluate_and_prove`] (VOPRF) |
//! | `Finalize` | [`finalize_batch`] (OPRF), [`verify_and_finalize`] (VOPRF) |
//! | `Evaluate` | [`evaluate_batch`] |
//! | `GenerateProof`, `VerifyProof` | [`proof::generate_proof`], [`proof::verify_proof`] |
//!
//! Speed: every serialization of a product `s·P` is done as `(s/2)·P` followed by one
//! batched double-and-compress per chunk; unblinding inverts blinds with one batched
//! inversion per chunk; chunks run in parallel with rayon. Randomness is always a
//! parameter (`R: CryptoRng`), so tests can replay the RFC's blinds and proof nonces.

mod additive;
mod client;
pub mod codec;
mod error;
mod key;
pub mod proof;
mod server;
pub mod suite;

pub use additive::{Blinding, blind_batch_additive};
pub use client::{Blinds, blind_batch, blind_batch_with, finalize_batch, verify_and_finalize};
pub use codec::{ELEMENT_LEN, ElementBytes};
pub use error::OprfError;
pub use key::{PublicKey, SecretKey};
pub use proof::{BatchProof, MAX_PROOF_BATCH, PROOF_LEN, Proof};
pub use server::{BlindedBatch, blind_evaluate_and_prove, blind_evaluate_batch, evaluate_batch};
pub use suite::{Mode, OUTPUT_LEN, Suite};

/// Longest OPRF input accepted: RFC 9497 prefixes inputs with a 2-byte length.
pub const MAX_INPUT_LEN: usize = u16::MAX as usize;
