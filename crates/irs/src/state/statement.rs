//! The holder's signed statement (`holder.json`) and the policy it publishes: signing
//! it for an epoch, reading the applied `policy.toml`, and re-signing `holder.json` when
//! it no longer says what is served (a crash between writes, a new Noise key, an applied
//! policy) or when it is close to expiry.

use std::path::PathBuf;

use blindlink_protocol::manifest::KeyEpoch;
use blindlink_protocol::policy::{MAX_POLICY_BYTES, Policy};
use blindlink_protocol::statement::{
    HolderStatement, PublishedPolicy, StatementBody, UnverifiedStatement,
};
use blindlink_store::audit::EventKind;
use blindlink_store::write_atomic;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::StateDir;
use crate::audit_events::POLICY_APPLY;
use crate::error::StateError;

/// How long a signed statement is valid (30 days).
pub const STATEMENT_VALIDITY_SECS: u64 = 30 * 86_400;
/// A statement with less than this left (15 days) is re-signed by the next command that
/// checks it (`irs serve` at start, ingest, merge, keygen, `policy apply`).
pub const RENEW_WHEN_LEFT_SECS: u64 = 15 * 86_400;

/// The policy applied with `irs policy apply`, as `policy.toml` holds it.
#[derive(Debug, Clone)]
pub struct AppliedPolicy {
    /// The file's bytes.
    pub text: String,
    /// Parsed and validated.
    pub policy: Policy,
    /// SHA-256 of the bytes.
    pub digest: [u8; 32],
}

impl AppliedPolicy {
    /// Parses policy text (as `irs policy apply` reads it); `path` names it in errors.
    pub fn parse(path: &std::path::Path, text: String) -> Result<AppliedPolicy, StateError> {
        let bad = |message: String| StateError::Policy {
            path: path.to_path_buf(),
            message,
        };
        if text.len() > MAX_POLICY_BYTES {
            return Err(bad(format!("over {MAX_POLICY_BYTES} bytes")));
        }
        let policy = Policy::from_toml_str(&text).map_err(|e| bad(e.to_string()))?;
        let digest = Sha256::digest(text.as_bytes()).into();
        Ok(AppliedPolicy {
            text,
            policy,
            digest,
        })
    }

    /// What the statement publishes about it.
    pub fn published(&self) -> PublishedPolicy {
        PublishedPolicy {
            digest: self.digest,
            limits: *self.policy.limits(),
        }
    }
}

impl StateDir {
    /// `policy.toml`, if a policy was applied.
    pub fn applied_policy(&self) -> Result<Option<AppliedPolicy>, StateError> {
        let path = self.policy_path();
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes).map_err(|_| StateError::Policy {
                    path: path.clone(),
                    message: "not UTF-8 text".into(),
                })?;
                AppliedPolicy::parse(&path, text).map(Some)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StateError::io("read", &path)(e)),
        }
    }

    /// The digest of the last `policy-apply` entry in the audit log, if any.
    pub fn last_applied_digest(&self) -> Result<Option<String>, StateError> {
        let path = self.audit_log_path();
        let entries = blindlink_store::read_entries(&path).map_err(|e| StateError::Policy {
            path: path.clone(),
            message: e.to_string(),
        })?;
        Ok(entries
            .iter()
            .rev()
            .filter(|e| e.event.kind == EventKind::PolicyApplied)
            .filter(|e| e.event.details.get("action").and_then(Value::as_str) == Some(POLICY_APPLY))
            .find_map(|e| {
                let digest = e.event.details.get("policy_sha256")?.as_str()?;
                Some(digest.to_owned())
            }))
    }

    /// `policy.toml` if it is the policy `irs policy apply` last audited; `None` if no
    /// policy was applied; refused if the file was edited (or replaced, or removed) since.
    pub fn audited_policy(&self) -> Result<Option<AppliedPolicy>, StateError> {
        let applied = self.applied_policy()?;
        let audited = self.last_applied_digest()?;
        let found = applied.as_ref().map(|p| hex::encode(p.digest));
        if found == audited {
            return Ok(applied);
        }
        Err(StateError::PolicyNotApplied {
            path: self.policy_path(),
            found: found.unwrap_or_else(|| "missing".into()),
            audited,
        })
    }

    /// Writes `policy.toml` (0644, atomically).
    pub fn write_policy(&self, policy: &AppliedPolicy) -> Result<(), StateError> {
        Ok(write_atomic(
            &self.policy_path(),
            policy.text.as_bytes(),
            0o644,
        )?)
    }

    /// The statement `epoch` would publish now: its facts, the applied policy, valid for
    /// [`STATEMENT_VALIDITY_SECS`], signed with `identity.key`.
    pub fn statement_for(&self, epoch: KeyEpoch, now: u64) -> Result<HolderStatement, StateError> {
        let key = self.load_identity_key()?;
        let body = StatementBody {
            identity_public_key: key.public_key(),
            epoch: self.holder_info_for(epoch)?,
            policy: self.audited_policy()?.map(|p| p.published()),
            issued_at: now,
            valid_until: now.saturating_add(STATEMENT_VALIDITY_SECS),
        };
        Ok(HolderStatement::sign(body, &key))
    }

    /// `holder.json` as written, verified against this holder's own identity key at
    /// `now`; `None` if it is missing.
    pub fn read_statement(&self, now: u64) -> Result<Option<HolderStatement>, StateError> {
        let path = self.holder_info_path();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StateError::io("read", &path)(e)),
        };
        let own = self.load_identity_key()?.public_key();
        UnverifiedStatement::from_json(&bytes)
            .and_then(|s| s.verify(&own, now, 0))
            .map(Some)
            .map_err(|e| StateError::Json {
                path,
                message: e.to_string(),
            })
    }

    /// If there is a current epoch and `holder.json` does not verify, does not describe
    /// it and the applied policy exactly, or has less than [`RENEW_WHEN_LEFT_SECS`] left,
    /// signs and writes a fresh one. Returns the path and statement written, if any.
    pub fn reconcile_holder_info(
        &self,
        now: u64,
    ) -> Result<Option<(PathBuf, HolderStatement)>, StateError> {
        let Some(current) = self.current_epoch()? else {
            return Ok(None);
        };
        let expected = self.statement_for(current, now)?;
        let found = self.read_statement(now).ok().flatten();
        let still_good = found.is_some_and(|found| {
            let (f, e) = (found.body(), expected.body());
            f.epoch == e.epoch
                && f.policy == e.policy
                && f.identity_public_key == e.identity_public_key
                && f.valid_until.saturating_sub(now) >= RENEW_WHEN_LEFT_SECS
        });
        if still_good {
            return Ok(None);
        }
        let path = self.holder_info_path();
        write_atomic(&path, &expected.to_json(), 0o644)?;
        Ok(Some((path, expected)))
    }
}
