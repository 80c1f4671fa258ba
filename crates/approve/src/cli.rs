//! Command-line interface of `approve`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Approver tool for blindlink requests: create an approver key, review a request
/// bundle, and sign its manifest under a role after checking the bundle.
#[derive(Debug, Parser)]
#[command(name = "approve", version, propagate_version = true)]
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
    /// Create an Ed25519 approver key pair for a role.
    ///
    /// Writes DIR/<role>.key (secret, mode 0600) and DIR/<role>.pub, and prints the
    /// public key in hex for the data holder's policy.toml ([approvers] section).
    Keygen(KeygenArgs),
    /// Check a request bundle and show what signing it would approve.
    ///
    /// Recomputes every match key from the records, every blinded element from the
    /// keys and blinds, the manifest digest and the Merkle root over the references;
    /// prints the summary (purpose, legal basis, validity, counts, rules, and every
    /// record with its case and final order references) or the first problem found.
    Review(ReviewArgs),
    /// Check a request bundle and sign its manifest under a role.
    ///
    /// Refuses to sign on any problem `review` would report, or when the manifest is
    /// expired (or issued in the future) at --now or the system clock.
    Sign(SignArgs),
}

/// Arguments of `approve keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Role the key approves under, e.g. dhs-secretary, ice-director, irs-counsel.
    #[arg(long)]
    pub role: String,
    /// Directory for the key files (created with mode 0700 if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Overwrite existing key files.
    #[arg(long)]
    pub force: bool,
    /// Print a JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `approve review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The request bundle (secret file, mode 0600).
    #[arg(long, value_name = "FILE")]
    pub bundle: PathBuf,
    /// Check validity at this time (unix seconds) instead of the system clock.
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub now: Option<u64>,
    /// Print a JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `approve sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// The request bundle (secret file, mode 0600).
    #[arg(long, value_name = "FILE")]
    pub bundle: PathBuf,
    /// The approver's secret key file (mode 0600; wider modes are refused).
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// Role to approve under (must be the role the holder's policy lists the key for).
    #[arg(long)]
    pub role: String,
    /// Where to write the approval (JSON).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Check validity at this time (unix seconds) instead of the system clock.
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub now: Option<u64>,
    /// Overwrite an existing approval file.
    #[arg(long)]
    pub force: bool,
    /// Print a JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}
