//! blindlink: privacy-preserving record linkage between a data holder (`irs`) and a
//! requester (`ice`), over RFC 9497 OPRF(ristretto255, SHA-512).
//!
//! This root package hosts the demo (`examples/demo.rs`), the end-to-end tests
//! (`tests/`) and the benchmarks (`benches/`). Its library only helps them drive the
//! real binaries: [`local`] builds and finds `irs`, `ice`, `approve` and `synth`, runs
//! commands with one-line failures, starts `irs serve` on a loopback port, drives each
//! party through its binary, writes holder policies, and (in [`local::rogue`]) plays a
//! requester that bypasses `ice` to show what the holder refuses on its own.
//!
//! The protocol itself lives in the workspace crates: `blindlink-core` (OPRF,
//! normalization, match keys, encoded set), `blindlink-protocol` (messages, Noise channel,
//! manifests, approvals, policy, audit, sessions) and `blindlink-store` (files).

