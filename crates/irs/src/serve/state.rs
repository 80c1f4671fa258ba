//! What all sessions of one `irs serve` share, loaded once at start.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use blindlink_core::fingerprint::{EncodedSet, max_request_elements};
use blindlink_core::match_key::{MatchRule, RuleSet};
use blindlink_protocol::driver::{HolderService, ServedEpoch};
use blindlink_protocol::manifest::KeyEpoch;
use blindlink_protocol::policy::Policy;
use blindlink_protocol::session::holder::HolderParams;
use blindlink_protocol::wire::{Limits, NoiseStaticKey};
use thiserror::Error;

use super::connection::unix_now;
use crate::error::StateError;
use crate::state::StateDir;
use blindlink_store::{FileLedger, LedgerError};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Requesters allowed to connect: id and Noise static public key.
    pub requesters: Vec<(String, [u8; 32])>,
    /// Most sessions served at once; further connections are closed at once.
    pub max_sessions: usize,
    /// Timeout of every read and write on a connection.
    pub io_timeout: Duration,
    /// Longest a whole session may take, handshake to set transfer.
    pub session_timeout: Duration,
    /// Wire limits.
    pub limits: Limits,
}

/// Why the server cannot start.
#[derive(Debug, Error)]
pub enum ServeError {
    /// The state directory is incomplete or unreadable.
    #[error(transparent)]
    State(#[from] StateError),
    /// No epoch has been ingested yet.
    #[error("no current epoch in {0}: run `irs ingest` first")]
    NoCurrentEpoch(PathBuf),
    /// The current epoch's set is unreadable or invalid.
    #[error("{path}: {message}")]
    Set {
        /// The set file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The audit log or the replay journal is unreadable or broken.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The policy allows larger requests than the set's fingerprint length was sized for,
    /// which would break the false-match bound.
    #[error(
        "the policy allows {policy} elements per request but the current set (L = {bits} bits, \
         {set_size} fingerprints) keeps false matches below 2^-40 only up to {max}: \
         lower limits.max_elements_per_request or re-ingest with --max-request-elements {policy}"
    )]
    FalseMatchBound {
        /// The policy's per-request element limit.
        policy: u64,
        /// Largest request the set supports.
        max: u64,
        /// The set's fingerprint length.
        bits: u32,
        /// Its size.
        set_size: u64,
    },
    /// The policy allows a rule whose keys are not in the set: requests naming it would be
    /// answered, and could never match.
    #[error(
        "the policy allows rule {rule} but the current set holds only {set_rules} keys: \
         remove it from allowed_rules or re-ingest with that rule"
    )]
    RuleNotInSet {
        /// The rule id.
        rule: String,
        /// The set's rules, comma-separated.
        set_rules: String,
    },
    /// No policy was applied.
    #[error("no policy in {0}: run `irs policy apply <policy.toml>` first")]
    NoPolicy(PathBuf),
    /// An allowed requester is listed twice.
    #[error("requester {0} is listed more than once")]
    DuplicateRequester(String),
    /// Socket setup failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl ServeError {
    /// Whether the operator's input is at fault (exit code 2): the state directory as
    /// [`StateError::is_usage`] says, no epoch yet, or a policy the set cannot serve.
    pub fn is_usage(&self) -> bool {
        match self {
            ServeError::State(e) => e.is_usage(),
            ServeError::NoCurrentEpoch(_)
            | ServeError::FalseMatchBound { .. }
            | ServeError::RuleNotInSet { .. }
            | ServeError::DuplicateRequester(_)
            | ServeError::NoPolicy(_) => true,
            ServeError::Set { .. } | ServeError::Ledger(_) | ServeError::Io(_) => false,
        }
    }
}

/// Everything sessions share: the driver's service (epoch, policy, ledger, usage) and
/// who may connect.
#[derive(Debug)]
pub struct ServedState {
    /// The epoch served.
    pub epoch: KeyEpoch,
    /// The holder driver's shared state, over this directory's ledger.
    pub service: HolderService<FileLedger>,
    /// The holder's Noise static key.
    pub noise_key: NoiseStaticKey,
    /// Allowed requesters' Noise keys, in the order given.
    pub allowed: Vec<[u8; 32]>,
    requesters: HashMap<[u8; 32], String>,
    /// Server configuration.
    pub config: ServeConfig,
}

impl ServedState {
    /// Loads the current epoch from `state` and opens the logs.
    pub fn load(state: &StateDir, policy: Policy, config: ServeConfig) -> Result<Self, ServeError> {
        let epoch = state
            .current_epoch()?
            .ok_or_else(|| ServeError::NoCurrentEpoch(state.root().to_path_buf()))?;
        let key = state.load_oprf_key(epoch)?;
        let noise_key = state.load_noise_key()?;
        let set_path = state.set_path(epoch);
        let set_err = |message: String| ServeError::Set {
            path: set_path.clone(),
            message,
        };
        let set_bytes = std::fs::read(&set_path).map_err(|e| set_err(e.to_string()))?;
        let set =
            EncodedSet::from_bytes(&set_bytes, u64::MAX).map_err(|e| set_err(e.to_string()))?;
        if set.params().key_epoch != *epoch.as_bytes() {
            return Err(set_err("the set was encoded under another epoch".into()));
        }
        let rules = RuleSet::from_bits(set.params().rule_set)
            .map_err(|e| set_err(format!("rule set: {e}")))?;
        let limits = policy.limits();
        let max = max_request_elements(set.bits(), set.len() as u64);
        if limits.max_elements_per_request > max {
            return Err(ServeError::FalseMatchBound {
                policy: limits.max_elements_per_request,
                max,
                bits: set.bits(),
                set_size: set.len() as u64,
            });
        }
        let allowed = allowed_rules_in_set(&policy, rules)?;
        let params = HolderParams {
            key_epoch: *epoch.as_bytes(),
            public_key: key.public_key().to_bytes(),
            set_size: set.len() as u64,
            fingerprint_bits: u8::try_from(set.bits()).unwrap_or(u8::MAX),
            rules_answered: allowed.bits(),
            max_records: u32::try_from(limits.max_records_per_request).unwrap_or(u32::MAX),
            max_elements: limits.max_elements_per_request,
            limits: config.limits,
        };
        let mut requesters = HashMap::new();
        for (id, public) in &config.requesters {
            if requesters.insert(*public, id.clone()).is_some()
                || config
                    .requesters
                    .iter()
                    .filter(|(other, _)| other == id)
                    .count()
                    > 1
            {
                return Err(ServeError::DuplicateRequester(id.clone()));
            }
        }
        // The identity key that signs holder.json also signs the receipts of decisions.
        let signer = state.load_identity_key()?;
        let ledger = FileLedger::open(
            &state.audit_log_path(),
            &state.root().join("replay.log"),
            signer,
        )?;
        let served = ServedEpoch {
            set_hash: set.content_hash(),
            key,
            params,
            set_bytes,
        };
        let service = HolderService::new(served, policy, ledger, Box::new(unix_now))?;
        Ok(ServedState {
            epoch,
            service,
            noise_key,
            allowed: config.requesters.iter().map(|(_, k)| *k).collect(),
            requesters,
            config,
        })
    }

    /// The requester id bound to a Noise public key (every key that passed the handshake
    /// is in the table).
    pub fn requester_of(&self, public: &[u8; 32]) -> Option<&str> {
        self.requesters.get(public).map(String::as_str)
    }
}

/// The rules the holder answers: the policy's allowed rules, each of which must have keys
/// in the set (a set rule the policy does not allow is simply not announced).
fn allowed_rules_in_set(policy: &Policy, set_rules: RuleSet) -> Result<RuleSet, ServeError> {
    let mut answered = RuleSet::empty();
    for id in policy.allowed_rules() {
        let rule = MatchRule::from_id(id.as_str()).ok();
        match rule.filter(|rule| set_rules.contains(*rule)) {
            Some(rule) => answered.insert(rule),
            None => {
                return Err(ServeError::RuleNotInSet {
                    rule: id.as_str().to_string(),
                    set_rules: set_rules
                        .iter()
                        .map(MatchRule::id)
                        .collect::<Vec<_>>()
                        .join(","),
                });
            }
        }
    }
    Ok(answered)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(rules: &str) -> Policy {
        let key = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
        let text = format!(
            "allowed_rules = [{rules}]\n[approvers]\nice-director = [\"{key}\"]\n\
             [required_roles]\nany_of = [\"ice-director\"]\n"
        );
        Policy::from_toml_str(&text).unwrap()
    }

    #[test]
    fn answered_rules_are_the_allowed_ones_and_must_be_in_the_set() {
        let set = RuleSet::from_bits(0b11).unwrap();
        let answered = allowed_rules_in_set(&policy("\"R1\""), set).unwrap();
        assert_eq!(
            answered.iter().collect::<Vec<_>>(),
            vec![MatchRule::R1Exact]
        );
        let err = allowed_rules_in_set(&policy("\"R1\", \"R3\""), set).unwrap_err();
        assert!(err.to_string().contains("allows rule R3"), "{err}");
    }
}
