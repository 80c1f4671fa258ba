//! blindlink: privacy-preserving record linkage between a data holder (`irs`) and a
//! requester (`ice`), over RFC 9497 OPRF(ristretto255, SHA-512).
//!
//! This crate is a facade over the product's library crates, re-exported under short
//! names:
//!
//! - [`core`] (`blindlink-core`): the OPRF suite, record normalization, match keys and
//!   the holder's encoded fingerprint set. Pure, no I/O.
//! - [`protocol`] (`blindlink-protocol`): messages, the Noise channel, manifests,
//!   approvals, policy, audit log, replay store and both parties' session state machines.
//! - [`store`] (`blindlink-store`): atomic writes with fsync and 0600 secret files.
//!
//! The binaries are their own packages (`irs`, `ice`, `approve`, `synth`). The root
//! package also hosts the demo (`cargo run --release --example demo`) and the end-to-end
//! tests (`tests/`), which drive the binaries through the dev-only `blindlink-testkit`;
//! the scale harness and `bench_report` are `blindlink-bench`; the criterion benches sit
//! next to the crate they measure (`crates/core/benches/`).

pub use blindlink_core as core;
pub use blindlink_protocol as protocol;
pub use blindlink_store as store;
