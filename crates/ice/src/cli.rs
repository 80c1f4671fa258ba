//! Command-line interface of `ice`.

use std::path::PathBuf;
use std::time::Duration;

use blindlink_core::match_key::RuleSet;
use clap::{Args, Parser, Subcommand};

/// The requester's tool for blindlink: keys, request preparation, audit log.
#[derive(Debug, Parser)]
#[command(name = "ice", version, propagate_version = true)]
pub struct Cli {
    /// More log output on stderr (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the requester's Noise static key pair.
    ///
    /// Writes DIR/noise.key (secret, mode 0600) and DIR/noise.pub, and prints the
    /// public key in hex (the data holder lists it among its allowed requesters).
    Keygen(KeygenArgs),
    /// Pin the holder's identity key: the key that must sign every holder.json used.
    ///
    /// Takes the key as 64 hex digits or the holder's identity.pub file, obtained from
    /// the holder out of band; writes DIR/holder-identity.pub and audits it. Replacing a
    /// different pinned key needs --force.
    PinHolder(PinHolderArgs),
    /// Prepare a request bundle from a request CSV and the holder's published keys.
    ///
    /// Normalizes every record, derives its match keys, blinds them, commits to the
    /// case and final order references, and writes the secret bundle (mode 0600) and
    /// the public manifest for the approvers. Appends a `request-prepared` entry to
    /// DIR/audit.log.
    Prepare(PrepareArgs),
    /// Send an approved request to the holder and write which records matched.
    ///
    /// Connects over TCP, runs the Noise XX handshake pinning the holder's static key
    /// (from holder.json), sends the manifest, the approvals and the blinded elements,
    /// verifies the holder's VOPRF proofs against the OPRF key pinned in the bundle,
    /// finalizes, fetches the encoded set (or reuses DIR/sets/<epoch>.bin when the holder
    /// confirms it is current) and writes the results CSV (record_id,matched,rule).
    /// Every step is written to DIR/audit.log.
    Query(QueryArgs),
    /// Verify or repair the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
}

/// Arguments of `ice query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The secret request bundle written by `ice prepare`.
    #[arg(long, value_name = "FILE")]
    pub bundle: PathBuf,
    /// An approval written by `approve sign` (repeat for dual control).
    #[arg(long = "approval", value_name = "FILE", required = true)]
    pub approvals: Vec<PathBuf>,
    /// The holder's signed statement (holder.json): its Noise key, epoch, OPRF key and set
    /// must be the ones the request was approved for.
    #[arg(long, value_name = "FILE")]
    pub holder: PathBuf,
    /// The holder's address.
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:7700")]
    pub connect: String,
    /// Where to write the results CSV.
    #[arg(long, value_name = "FILE", default_value = "results.csv")]
    pub results: PathBuf,
    /// Per-read and connect timeout.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = humantime::parse_duration)]
    pub timeout: Duration,
    /// Do not use or update the cached encoded set.
    #[arg(long)]
    pub no_cache: bool,
    #[command(flatten)]
    pub state: StateDir,
    /// Replace an existing results file.
    #[arg(long)]
    pub force: bool,
    /// Print a JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The state directory option shared by the subcommands.
#[derive(Debug, Args)]
pub struct StateDir {
    /// State directory (keys, audit log); created with mode 0700 if missing.
    #[arg(long, value_name = "DIR", default_value = "./ice-state")]
    pub dir: PathBuf,
}

/// Arguments of `ice pin-holder`.
#[derive(Debug, Args)]
pub struct PinHolderArgs {
    /// The holder's identity public key: 64 hex digits or an identity.pub file.
    #[arg(long, value_name = "HEX|FILE")]
    pub identity: String,
    #[command(flatten)]
    pub state: StateDir,
    /// Replace a different pinned key.
    #[arg(long)]
    pub force: bool,
    /// Print a JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `ice keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    #[command(flatten)]
    pub state: StateDir,
    /// The requester id the holder allows this key under (its `--allow-requester ID=KEY`),
    /// kept in DIR/requester-id: `ice prepare` then refuses any other --requester-id.
    #[arg(long, value_name = "ID")]
    pub requester_id: Option<String>,
    /// Replace an existing key pair.
    #[arg(long)]
    pub force: bool,
    /// Print a JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `ice prepare`.
#[derive(Debug, Args)]
pub struct PrepareArgs {
    /// The request CSV (the ten record columns, then case_ref and final_order_ref).
    #[arg(long, value_name = "FILE")]
    pub request: PathBuf,
    /// The holder's signed statement (holder.json, written by `irs`), verified against the
    /// key pinned with `ice pin-holder`.
    #[arg(long, value_name = "FILE")]
    pub holder: PathBuf,
    /// The requesting office's id, e.g. ice-hsi-newark.
    #[arg(long, value_name = "ID")]
    pub requester_id: String,
    /// The legal basis shown to approvers.
    #[arg(long, value_name = "TEXT")]
    pub legal_basis: String,
    /// Match rules to ask for (default: every rule the holder answers), e.g. R1,R2.
    #[arg(long, value_name = "RULES")]
    pub rules: Option<RuleSet>,
    /// How long the request stays valid, e.g. 24h, 3d, 90m.
    #[arg(long, value_name = "DURATION", default_value = "24h", value_parser = humantime::parse_duration)]
    pub valid_for: Duration,
    /// Where to write the secret bundle (mode 0600).
    #[arg(long, value_name = "FILE", default_value = "bundle.bin")]
    pub out: PathBuf,
    /// Where to write the manifest for approvers.
    #[arg(long, value_name = "FILE", default_value = "manifest.json")]
    pub manifest_out: PathBuf,
    #[command(flatten)]
    pub state: StateDir,
    /// Issue time in unix seconds instead of the system clock (reproducible runs).
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub now: Option<u64>,
    /// Replace an existing bundle or manifest.
    #[arg(long)]
    pub force: bool,
    /// Print a JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `ice audit` subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain of DIR/audit.log: prints the entry count, the hash of the
    /// last line, and the first broken link or a torn last line (exit 1 if any).
    Verify(AuditVerifyArgs),
    /// Remove a torn last line (an append interrupted by a crash), and nothing else.
    Repair(AuditRepairArgs),
    /// Check the holder's audit log (a copy it hands over) against DIR/audit.log and the
    /// receipts kept there, under the pinned holder identity: every receipt must hold
    /// against the holder's log as it is now (not cut, not rewritten), every decision
    /// the holder logged about this requester must be receipted, the counts must agree.
    /// Exit 0 only if they do.
    Reconcile(AuditReconcileArgs),
    /// Sign a checkpoint of DIR/audit.log as it is now (tree size, Merkle root, time) with
    /// DIR/identity.key and print it (or write --out), to hand to the holder or an
    /// auditor; with --check FILE, check the log against a checkpoint given out earlier:
    /// exit 0 only if the log still holds it (not cut, not rewritten).
    Checkpoint(AuditCheckpointArgs),
}

/// Arguments of `ice audit checkpoint`.
#[derive(Debug, Args)]
pub struct AuditCheckpointArgs {
    #[command(flatten)]
    pub state: StateDir,
    /// Write the signed checkpoint here instead of printing it.
    #[arg(long, value_name = "FILE", conflicts_with = "check")]
    pub out: Option<PathBuf>,
    /// Check the log against this checkpoint (signed by DIR/identity.key).
    #[arg(long, value_name = "FILE")]
    pub check: Option<PathBuf>,
    /// Print a JSON object instead of text (with --check).
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `ice audit reconcile`.
#[derive(Debug, Args)]
pub struct AuditReconcileArgs {
    #[command(flatten)]
    pub state: StateDir,
    /// The holder's audit log.
    #[arg(long, value_name = "PATH")]
    pub holder_log: PathBuf,
    /// This requester's id (as in its requests).
    #[arg(long, value_name = "ID")]
    pub requester: String,
    /// Print a JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `ice audit verify`.
#[derive(Debug, Args)]
pub struct AuditVerifyArgs {
    #[command(flatten)]
    pub state: StateDir,
    /// Print a JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `ice audit repair`.
#[derive(Debug, Args)]
pub struct AuditRepairArgs {
    #[command(flatten)]
    pub state: StateDir,
    /// Do not ask (required when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
}
