//! blindlink-protocol: what the requester (`ice`) and the data holder (`irs`) say to each
//! other, and the trust layer around it.
//!
//! * [`wire`]: versioned messages with hard limits, framing, and the Noise XX channel with
//!   pinned static keys.
//! * [`manifest`]: what approvers sign: a [`Manifest`](manifest::Manifest) with a
//!   canonical, domain-separated byte encoding, the streaming
//!   [`BlindedDigest`](manifest::BlindedDigest) over the blinded elements, and the
//!   Merkle tree over per-record commitments to (case reference, final order reference).
//! * [`approval`]: Ed25519 approvals bound to a role, approver signing keys.
//! * [`policy`]: the data holder's TOML policy and its evaluation into a
//!   [`Decision`](policy::Decision), every refusal naming a
//!   [`RefusalReason`](policy::RefusalReason).
//! * [`session`]: sans-IO state machines of both parties' sessions.
//! * [`driver`]: the blocking driver of each party's session over any `Read + Write`
//!   channel, with the holder's ledger (audit log + replay journal) as a trait.
//! * [`bundle`]: the requester's secret request bundle (records, keys, blinds,
//!   manifest) and the approver's independent check of it.
//! * [`holder_info`]: the facts of the holder's served epoch; [`statement`]: the signed
//!   statement (`holder.json`) that carries them, with the published policy.
//! * [`identity`]: a party's long-term Ed25519 identity key.
//! * [`transparency`]: the audit logs as RFC 9162 Merkle trees, signed checkpoints, and
//!   the holder's receipt for every decision.
//!
//! The whole crate is sans-IO: bytes in, bytes out, no files, no sockets (the channel
//! runs over any `Read + Write` the caller gives it), and the current time is always a
//! parameter (unix seconds), never read from a clock. What lives on disk (the audit log,
//! the replay journal, key files) belongs to `blindlink-store`.

pub mod approval;
pub mod bundle;
pub mod driver;
pub mod holder_info;
pub mod identity;
pub mod manifest;
pub mod policy;
pub mod serde_hex;
pub mod session;
pub mod statement;
pub mod transparency;
pub mod wire;
