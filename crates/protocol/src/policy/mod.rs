//! The data holder's policy (TOML) and its evaluation of a request.
//!
//! ```toml
//! allowed_purposes = ["criminal-investigation"]   # default
//! allowed_rules = ["R1", "R2"]                     # default
//!
//! [approvers]                  # role = [hex Ed25519 public keys]
//! dhs-secretary = ["3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"]
//! ice-director = ["..."]
//! irs-counsel = ["..."]
//!
//! [required_roles]
//! any_of = ["dhs-secretary", "ice-director"]   # at least one of these
//! all_of = ["irs-counsel"]                     # each of these (dual control)
//!
//! [limits]                     # every key optional; defaults shown
//! max_records_per_request = 5000
//! max_elements_per_request = 20000
//! max_records_per_day = 50000       # per requester, any 24 hours (rolling)
//! max_elements_per_day = 600000     # per requester, any 24 hours (rolling)
//! max_elements_per_epoch = 268435456  # under one OPRF key, all requesters; at most 2^28
//! max_request_age_secs = 86400      # how far issued_at may lie in the past
//! max_validity_secs = 604800        # expires_at - issued_at
//! clock_skew_secs = 300             # tolerance for issued_at in the future / expiry
//! ```
//!
//! An empty `allowed_purposes` list is allowed and refuses every request
//! (`wrong-purpose`): a way to pause serving without removing keys.
//!
//! A key may be registered under one role only, so one person cannot satisfy two
//! roles of a dual-control rule. Every role named in `required_roles` must have keys,
//! and at least one role must be required. Errors name the offending field.

pub mod budget;
mod evaluate;
mod refusal;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::approval::{ApproverPublicKey, Role};
use crate::manifest::{MAX_ELEMENT_COUNT, MAX_RECORD_COUNT, Purpose, RuleId};

pub use evaluate::{
    Acceptance, Authorized, Decision, EvaluationContext, ReceivedElements, RequestContext,
};
pub use refusal::RefusalReason;

/// Largest policy file accepted.
pub const MAX_POLICY_BYTES: usize = 1024 * 1024;

/// The policy text is not a valid policy.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PolicyError {
    /// Larger than any sensible policy.
    #[error("policy is {len} bytes, over the limit of {max}")]
    TooLarge {
        /// Size given.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// Not valid TOML.
    #[error("policy is not valid TOML: {message}")]
    Syntax {
        /// What is wrong (one line).
        message: String,
    },
    /// A field is missing, unknown, of the wrong type or has an invalid value.
    #[error("policy field `{field}`: {message}")]
    Field {
        /// Dotted path of the field (`.` for the document itself).
        field: String,
        /// What is wrong.
        message: String,
    },
}

fn field_error(field: &str, message: impl Into<String>) -> PolicyError {
    PolicyError::Field {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// Numeric limits of the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Most records in one request.
    pub max_records_per_request: u64,
    /// Most blinded elements in one request.
    pub max_elements_per_request: u64,
    /// Most records served to one requester in any 24 hours.
    pub max_records_per_day: u64,
    /// Most elements served to one requester in any 24 hours.
    pub max_elements_per_day: u64,
    /// Most elements evaluated under one OPRF key (epoch), for every requester together;
    /// at most [`budget::DEFAULT_MAX_ELEMENTS_PER_EPOCH`].
    pub max_elements_per_epoch: u64,
    /// How far in the past `issued_at` may lie, in seconds.
    pub max_request_age_secs: u64,
    /// Longest allowed `expires_at - issued_at`, in seconds.
    pub max_validity_secs: u64,
    /// Clock skew tolerated for `issued_at` in the future and for expiry, in seconds.
    pub clock_skew_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_records_per_request: 5_000,
            max_elements_per_request: 20_000,
            max_records_per_day: budget::DEFAULT_MAX_RECORDS_PER_DAY,
            max_elements_per_day: budget::default_max_elements_per_day(),
            max_elements_per_epoch: budget::DEFAULT_MAX_ELEMENTS_PER_EPOCH,
            max_request_age_secs: 86_400,
            max_validity_secs: 7 * 86_400,
            clock_skew_secs: 300,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequiredRoles {
    #[serde(default)]
    any_of: Vec<Role>,
    #[serde(default)]
    all_of: Vec<Role>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(default = "default_purposes")]
    allowed_purposes: Vec<Purpose>,
    #[serde(default = "default_rules")]
    allowed_rules: Vec<RuleId>,
    approvers: BTreeMap<Role, Vec<ApproverPublicKey>>,
    required_roles: RawRequiredRoles,
    #[serde(default)]
    limits: Limits,
}

fn default_purposes() -> Vec<Purpose> {
    vec![Purpose::CriminalInvestigation]
}

fn default_rules() -> Vec<RuleId> {
    ["R1", "R2"]
        .into_iter()
        .filter_map(|id| RuleId::new(id).ok())
        .collect()
}

/// A validated holder policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    key_roles: BTreeMap<ApproverPublicKey, Role>,
    any_of: Vec<Role>,
    all_of: Vec<Role>,
    allowed_purposes: BTreeSet<Purpose>,
    allowed_rules: BTreeSet<RuleId>,
    limits: Limits,
}

impl Policy {
    /// Parses and validates a policy; every error names the field at fault.
    pub fn from_toml_str(text: &str) -> Result<Self, PolicyError> {
        if text.len() > MAX_POLICY_BYTES {
            return Err(PolicyError::TooLarge {
                len: text.len(),
                max: MAX_POLICY_BYTES,
            });
        }
        let deserializer = toml::Deserializer::parse(text).map_err(|e| PolicyError::Syntax {
            message: one_line(e.message(), e.span(), text),
        })?;
        let raw: RawPolicy = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            PolicyError::Field {
                field: path,
                message: one_line(inner.message(), inner.span(), text),
            }
        })?;
        Self::validate(raw)
    }

    fn validate(raw: RawPolicy) -> Result<Self, PolicyError> {
        if raw.approvers.is_empty() {
            return Err(field_error("approvers", "at least one role with keys"));
        }
        let mut key_roles = BTreeMap::new();
        for (role, keys) in &raw.approvers {
            let field = format!("approvers.{role}");
            if keys.is_empty() {
                return Err(field_error(&field, "a role needs at least one key"));
            }
            for key in keys {
                if let Some(other) = key_roles.insert(*key, role.clone()) {
                    let message = format!("key {key} is already registered for role {other}");
                    return Err(field_error(&field, message));
                }
            }
        }
        let RawRequiredRoles { any_of, all_of } = raw.required_roles;
        if any_of.is_empty() && all_of.is_empty() {
            return Err(field_error(
                "required_roles",
                "any_of or all_of must name at least one role",
            ));
        }
        for (field, roles) in [
            ("required_roles.any_of", &any_of),
            ("required_roles.all_of", &all_of),
        ] {
            let mut seen = BTreeSet::new();
            for role in roles {
                if !raw.approvers.contains_key(role) {
                    return Err(field_error(field, format!("role {role} has no approvers")));
                }
                if !seen.insert(role) {
                    return Err(field_error(field, format!("role {role} is listed twice")));
                }
            }
        }
        if raw.allowed_rules.is_empty() {
            return Err(field_error("allowed_rules", "must not be empty"));
        }
        Self::validate_limits(&raw.limits)?;
        Ok(Self {
            key_roles,
            any_of,
            all_of,
            allowed_purposes: raw.allowed_purposes.into_iter().collect(),
            allowed_rules: raw.allowed_rules.into_iter().collect(),
            limits: raw.limits,
        })
    }

    fn validate_limits(limits: &Limits) -> Result<(), PolicyError> {
        let bounded = [
            (
                "limits.max_records_per_request",
                limits.max_records_per_request,
                MAX_RECORD_COUNT,
            ),
            (
                "limits.max_elements_per_request",
                limits.max_elements_per_request,
                MAX_ELEMENT_COUNT,
            ),
            (
                "limits.max_records_per_day",
                limits.max_records_per_day,
                u64::MAX,
            ),
            (
                "limits.max_elements_per_day",
                limits.max_elements_per_day,
                u64::MAX,
            ),
            (
                "limits.max_elements_per_epoch",
                limits.max_elements_per_epoch,
                budget::DEFAULT_MAX_ELEMENTS_PER_EPOCH,
            ),
            (
                "limits.max_request_age_secs",
                limits.max_request_age_secs,
                u64::MAX,
            ),
            (
                "limits.max_validity_secs",
                limits.max_validity_secs,
                u64::MAX,
            ),
        ];
        for (field, value, max) in bounded {
            if value == 0 || value > max {
                return Err(field_error(field, format!("must be in 1..={max}")));
            }
        }
        Ok(())
    }

    /// The role a key is registered for, if any.
    pub fn role_of(&self, key: &ApproverPublicKey) -> Option<&Role> {
        self.key_roles.get(key)
    }

    /// Roles of which at least one must approve (empty: no such requirement).
    pub fn required_any_of(&self) -> &[Role] {
        &self.any_of
    }

    /// Roles that must each approve.
    pub fn required_all_of(&self) -> &[Role] {
        &self.all_of
    }

    /// Purposes served.
    pub fn allowed_purposes(&self) -> &BTreeSet<Purpose> {
        &self.allowed_purposes
    }

    /// Match rules answered.
    pub fn allowed_rules(&self) -> &BTreeSet<RuleId> {
        &self.allowed_rules
    }

    /// Numeric limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
}

/// A one-line message with the line number of `span` in `text`, if known.
fn one_line(message: &str, span: Option<core::ops::Range<usize>>, text: &str) -> String {
    let message = message.lines().collect::<Vec<_>>().join("; ");
    match span.and_then(|span| text.get(..span.start)) {
        Some(before) => format!("{message} (line {})", before.matches('\n').count() + 1),
        None => message,
    }
}

#[cfg(test)]
mod tests;
