//! The command line (clap derive). Every subcommand has `--help`.

use std::path::PathBuf;

use blindlink_core::match_key::{MatchRule, RuleSet};
use blindlink_ingest::{DEFAULT_MAX_REQUEST_ELEMENTS, DEFAULT_MEMORY_BUDGET, Slice};
use blindlink_protocol::manifest::KeyEpoch;
use clap::{Args, Parser, Subcommand};
use irs::state::DEFAULT_DIR;

/// blindlink data holder: keys, encoded fingerprint sets per key epoch, audit log.
#[derive(Debug, Parser)]
#[command(name = "irs", version, propagate_version = true)]
pub struct Cli {
    /// State directory (keys, epochs, holder.json, audit.log).
    #[arg(long, global = true, value_name = "DIR", default_value = DEFAULT_DIR)]
    pub dir: PathBuf,

    /// Print a machine-readable JSON summary on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    /// More log output on stderr (-v info, -vv debug, -vvv trace); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the Noise static key pair, the identity key pair and an OPRF key for a new epoch.
    ///
    /// The identity key (DIR/identity.key, 0600; DIR/identity.pub) signs holder.json;
    /// requesters pin its public key. It is created once and kept by --force. The epoch
    /// becomes current only after `irs ingest`. Prints public keys and the epoch id,
    /// never secrets.
    Keygen(KeygenArgs),
    /// Encode the taxpayer CSV into the fingerprint set of an epoch and make it current.
    ///
    /// With `--shard i/n`, key and evaluate only the rows `row % n == i` and write a
    /// shard file instead (nothing is activated); `irs merge` combines all n shards into
    /// the same set an unsharded ingest writes.
    Ingest(IngestArgs),
    /// Combine the shard files of `irs ingest --shard i/n` (all n of them) into the
    /// epoch's set, and make the epoch current.
    ///
    /// Checks that every shard 0..n is there exactly once, that all were made with the
    /// same epoch, rules, --max-request-elements and input file, and each file's
    /// checksum. The epoch's OPRF key and the Noise key must be in DIR.
    Merge(MergeArgs),
    /// Key epochs.
    #[command(subcommand)]
    Epoch(EpochCommand),
    /// The holder's policy: approvers, required roles, limits, rules.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Serve requests: the Noise channel, the policy, the VOPRF evaluation, the set.
    ///
    /// Loads the current epoch (key and encoded set), the applied policy (DIR/policy.toml,
    /// refused if it differs from the last one `irs policy apply` audited) and the allowed
    /// requesters, audits their digests, prints `listening on ADDR` and serves until killed. Every request,
    /// decision and answer is appended to DIR/audit.log (fsynced before the holder acts);
    /// accepted request ids go to DIR/replay.log and are never served twice.
    Serve(ServeArgs),
    /// The hash-chained audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
}

/// `irs policy ...`.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Apply a policy file: validate it, copy it to DIR/policy.toml, audit its digest and
    /// re-sign holder.json, whose published limits and policy digest change with it.
    ///
    /// Editing DIR/policy.toml by hand is refused by `irs serve`: a policy change is an
    /// audited act.
    Apply(PolicyApplyArgs),
}

/// `irs policy apply`.
#[derive(Debug, Args)]
pub struct PolicyApplyArgs {
    /// The policy (TOML): approvers by role, required roles, limits, rules.
    #[arg(value_name = "TOML")]
    pub policy: PathBuf,
}

/// `irs serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// A requester allowed to connect: its id and Noise public key (hex, or a
    /// noise.pub file written by `ice keygen`). Repeat for several.
    #[arg(long = "allow-requester", value_name = "ID=KEY", required = true)]
    pub requesters: Vec<String>,
    /// Address to listen on (port 0 picks a free port; the address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7700")]
    pub listen: String,
    /// Most sessions at once; further connections wait in the listen backlog until one ends.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub max_sessions: usize,
    /// Timeout of every read and write on a connection.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = humantime::parse_duration)]
    pub io_timeout: std::time::Duration,
    /// Longest a whole session may take; the connection is closed when it is up.
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = humantime::parse_duration)]
    pub session_timeout: std::time::Duration,
}

/// `irs keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Replace an existing Noise key and start a new OPRF epoch (old epochs are kept).
    #[arg(long)]
    pub force: bool,
}

/// Options shared by `ingest` and `epoch rotate`.
#[derive(Debug, Args)]
pub struct EncodeArgs {
    /// Taxpayer CSV with header record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob.
    #[arg(long, value_name = "CSV")]
    pub input: PathBuf,

    /// Match rules to encode, comma separated.
    #[arg(long, value_name = "R1,R2", default_value = "R1,R2", value_parser = parse_rules)]
    pub rules: RuleSet,

    /// Largest request (in blinded elements) the fingerprint length is sized for.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_REQUEST_ELEMENTS,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_request_elements: u64,

    /// Worker threads (default: one per core).
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Memory for evaluated keys (24 bytes each) before a sorted run is spilled to a
    /// temporary file in the epoch directory; suffixes K, M, G (powers of 1024).
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MEMORY_BUDGET, value_parser = parse_bytes)]
    pub memory_budget: u64,

    /// When the new set may replace the served one.
    #[command(flatten)]
    pub shrink: ShrinkArgs,
}

/// The rail on making a new set current (`ingest`, `merge`, `epoch rotate`).
#[derive(Debug, Clone, Args)]
pub struct ShrinkArgs {
    /// Make the new set current even when it is empty or below --min-share of the
    /// served set.
    #[arg(long)]
    pub force: bool,

    /// Smallest size of the new set, as a share of the served set's, made current
    /// without --force.
    #[arg(long, value_name = "FRACTION", default_value_t = 0.5, value_parser = blindlink_cli::args::fraction)]
    pub min_share: f64,
}

/// `irs ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Shared encoding options.
    #[command(flatten)]
    pub encode: EncodeArgs,

    /// Epoch to encode under (32 hex digits). Default: the newest key without a set,
    /// else the current epoch.
    #[arg(long, value_name = "HEX", value_parser = parse_epoch)]
    pub epoch: Option<KeyEpoch>,

    /// Encode only shard I of N (the rows whose 0-based number modulo N is I) into a
    /// shard file for `irs merge`; nothing is activated.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<Slice>,

    /// Where the shard file goes (default: DIR/epochs/<epoch>/shard-<I>-of-<N>.bin).
    #[arg(long, value_name = "PATH", requires = "shard")]
    pub shard_out: Option<PathBuf>,
}

/// `irs merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard files, all N of them, in any order.
    #[arg(value_name = "SHARD", required = true)]
    pub shards: Vec<PathBuf>,

    /// Worker threads (default: one per core).
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// When the merged set may replace the served one.
    #[command(flatten)]
    pub shrink: ShrinkArgs,
}

/// `irs epoch ...`.
#[derive(Debug, Subcommand)]
pub enum EpochCommand {
    /// New OPRF key and epoch id, ingest under it, then make it current.
    ///
    /// The old epoch directory is kept, so requesters holding a set of the old epoch
    /// are refused with a wrong-epoch reason instead of getting wrong answers.
    Rotate(EncodeArgs),
}

/// `irs audit ...`.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify the hash chain; exit 0 only if it is intact.
    Verify(AuditLogArg),
    /// Remove a torn final line (an interrupted append), and nothing else.
    Repair(RepairArgs),
    /// Check this holder's log against a requester's log and the receipts it kept:
    /// every receipt must verify and be consistent with the log as it is now (not cut,
    /// not rewritten), every decision about that requester must be receipted, the
    /// counts must agree. Exit 0 only if they do.
    Reconcile(ReconcileArgs),
    /// Sign a checkpoint of the log as it is now (tree size, Merkle root, time) with the
    /// identity key and print it (or write --out); with --check FILE, check the log
    /// against a checkpoint given out earlier instead: exit 0 only if the log still
    /// holds it (not cut, not rewritten).
    Checkpoint(CheckpointArgs),
}

/// `irs audit checkpoint`.
#[derive(Debug, Args)]
pub struct CheckpointArgs {
    /// Which log.
    #[command(flatten)]
    pub log: AuditLogArg,
    /// Write the signed checkpoint here instead of printing it.
    #[arg(long, value_name = "FILE", conflicts_with = "check")]
    pub out: Option<PathBuf>,
    /// Check the log against this checkpoint (signed by this holder's identity key).
    #[arg(long, value_name = "FILE")]
    pub check: Option<PathBuf>,
}

/// `irs audit reconcile`.
#[derive(Debug, Args)]
pub struct ReconcileArgs {
    /// This holder's log (default: DIR/audit.log).
    #[command(flatten)]
    pub log: AuditLogArg,
    /// The requester's audit log (its DIR/audit.log).
    #[arg(long, value_name = "PATH")]
    pub requester_log: PathBuf,
    /// The requester id whose decisions are reconciled.
    #[arg(long, value_name = "ID")]
    pub requester: String,
}

/// Which audit log.
#[derive(Debug, Args)]
pub struct AuditLogArg {
    /// Log file (default: DIR/audit.log).
    #[arg(long, value_name = "PATH")]
    pub log: Option<PathBuf>,
}

/// `irs audit repair`.
#[derive(Debug, Args)]
pub struct RepairArgs {
    /// Which log.
    #[command(flatten)]
    pub log: AuditLogArg,

    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
}

fn parse_rules(text: &str) -> Result<RuleSet, String> {
    let mut rules = RuleSet::empty();
    for id in text.split(',') {
        let rule = MatchRule::from_id(id).map_err(|e| e.to_string())?;
        rules.insert(rule);
    }
    Ok(rules)
}

fn parse_shard(text: &str) -> Result<Slice, String> {
    let usage = || format!("{text:?}: a shard is I/N with 0 <= I < N, e.g. 0/4");
    let (i, n) = text.split_once('/').ok_or_else(usage)?;
    let index: u32 = i.trim().parse().map_err(|_| usage())?;
    let count: u32 = n.trim().parse().map_err(|_| usage())?;
    if index >= count {
        return Err(usage());
    }
    Ok(Slice { index, count })
}

fn parse_bytes(text: &str) -> Result<u64, String> {
    let usage = || format!("{text:?}: a size is a number with an optional K, M or G suffix");
    let t = text.trim();
    let (digits, shift) = match t.char_indices().last() {
        Some((at, c)) if c.is_ascii_alphabetic() => {
            let shift = match c.to_ascii_uppercase() {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                _ => return Err(usage()),
            };
            (t.get(..at).unwrap_or(""), shift)
        }
        _ => (t, 0),
    };
    let n: u64 = digits.trim().parse().map_err(|_| usage())?;
    n.checked_mul(1u64 << shift).ok_or_else(usage)
}

fn parse_epoch(text: &str) -> Result<KeyEpoch, String> {
    irs::state::parse_epoch(text).ok_or_else(|| "an epoch id is 32 hex digits".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn rule_lists() {
        assert_eq!(parse_rules("R1,R2").unwrap(), RuleSet::default_policy());
        assert_eq!(parse_rules("r4").unwrap().len(), 1);
        assert!(parse_rules("R1,,R2").is_err());
        assert!(parse_rules("R5").is_err());
    }

    #[test]
    fn shards_and_sizes() {
        assert_eq!(parse_shard("2/7").unwrap(), Slice { index: 2, count: 7 });
        for bad in ["7/7", "1/0", "1", "a/2", "-1/2", "1/2/3"] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_bytes("512M").unwrap(), 512 << 20);
        assert_eq!(parse_bytes("2g").unwrap(), 2 << 30);
        assert_eq!(parse_bytes("1000").unwrap(), 1000);
        for bad in ["", "M", "12X", "99999999999G"] {
            assert!(parse_bytes(bad).is_err(), "{bad}");
        }
    }
}
