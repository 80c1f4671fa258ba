//! Shared code of the stateful fuzz targets: the parties' setup for the session targets
//! ([`session_setup`]), the reader that turns fuzz input into a message sequence
//! ([`script`]), and the in-memory Noise pair of the record-layer target ([`noise_pair`]).
//! The stateless targets need none of it.

pub mod noise_pair;
pub mod script;
pub mod session_setup;
