//! `irs`: the blindlink data holder (the tax side).
//!
//! The binary has subcommands `keygen`, `ingest`, `merge`, `epoch rotate` and `audit verify|repair`
//! and `serve` ([`serve`]). This library holds the parts worth testing on
//! their own: the state directory and its key files ([`state`]), the public
//! [`holder_info::HolderInfo`] file, and the audit events `irs` writes ([`audit_events`]).
//! The ingest pipeline that turns a taxpayer CSV into an encoded fingerprint set is the
//! `blindlink-ingest` crate; `irs ingest` and `irs merge` are thin commands over it.
//!
//! # State directory (`--dir DIR`, default `./irs-state`)
//!
//! ```text
//! DIR/                          mode 0700 when irs creates it
//!   noise.key                   secret 0600: "blindlink-noise-secret-key-v1 <64 hex>\n"
//!   noise.pub                   0644:        "blindlink-noise-public-key-v1 <64 hex>\n"
//!   epochs/<epoch-hex>/         one directory per OPRF key epoch (32 hex digits), 0700
//!     oprf.key                  secret 0600: "blindlink-oprf-secret-key-v1 <64 hex>\n"
//!     set.bin                   0644: the serialized EncodedSet of this epoch
//!     ingest.json               0644: the IngestSummary of the run that wrote set.bin
//!     shard-<i>-of-<n>.bin      0600: `ingest --shard i/n` output (default place), for `merge`
//!     .ingest-spill.<host>.<pid>/ sorted runs of an ingest over its memory budget (temporary)
//!   current-epoch               0644: "<epoch-hex>\n", the epoch being served
//!   holder.json                 0644: HolderInfo of the current epoch (public)
//!   audit.log                   hash-chained JSON lines (blindlink-store audit log)
//! ```
//!
//! Every file is replaced atomically (temporary file, fsync, rename, directory fsync), and
//! secret files are created with mode 0600 and refused on load when group or others have
//! any access. An epoch becomes current only once its `set.bin` is complete:
//! `holder.json` is rewritten first and `current-epoch` last, and `keygen`, `ingest` and
//! `epoch rotate` rewrite `holder.json` if it disagrees with `current-epoch` (a crash
//! between the two renames, or a replaced Noise key). A crash while `set.bin` is written
//! leaves a `.set.bin.<pid>.tmp` beside the intact old file; the next ingest removes it. Old epoch directories are kept after a rotation, so a
//! requester that cached an old set is refused with a wrong-epoch reason instead of
//! getting answers under the wrong key.

pub mod audit_events;
pub mod error;
/// `holder.json`, shared with the requester through the protocol crate.
pub use blindlink_protocol::holder_info;
pub mod serve;
pub mod state;
