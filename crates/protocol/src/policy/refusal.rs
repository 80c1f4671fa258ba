//! Why the data holder refuses a request: one variant per reason, each with a stable
//! short code (for audit logs and the wire) and a human message (its `Display`).

use thiserror::Error;

use crate::approval::{ApproverPublicKey, Role};
use crate::manifest::{KeyEpoch, OprfKeyHex, Purpose, RequestId, RuleId, SetHash};

/// The reason a request is refused. [`code`](RefusalReason::code) is stable across
/// versions; the message may be reworded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RefusalReason {
    /// More approvals than the policy will look at.
    #[error("{count} approvals attached, more than the {max} accepted")]
    TooManyApprovals {
        /// Approvals given.
        count: usize,
        /// Limit.
        max: usize,
    },
    /// The approving key is not registered (for the role it claims).
    #[error("approver {public_key} is not registered for role {role}")]
    UnknownApprover {
        /// The role claimed.
        role: Role,
        /// The approving key.
        public_key: ApproverPublicKey,
    },
    /// The signature does not verify for this manifest under the claimed role.
    #[error("the {role} approval by {public_key} has a bad signature")]
    BadSignature {
        /// The role claimed.
        role: Role,
        /// The approving key.
        public_key: ApproverPublicKey,
    },
    /// A valid approval given under one role was relabelled as another.
    #[error("approval by {public_key} is presented as {claimed} but was signed as {signed_as}")]
    ApprovalForOtherRole {
        /// The role the approval claims.
        claimed: Role,
        /// The role it was actually signed under.
        signed_as: Role,
        /// The approving key.
        public_key: ApproverPublicKey,
    },
    /// A role of `all_of` has no valid approval.
    #[error("no valid approval from required role {role}")]
    MissingRole {
        /// The missing role.
        role: Role,
    },
    /// None of the `any_of` roles has a valid approval.
    #[error("no valid approval from any of the roles {}", join(roles))]
    MissingAnyOfRoles {
        /// The roles of which at least one is needed.
        roles: Vec<Role>,
    },
    /// The request id was used before.
    #[error("request id {request_id} was already used")]
    Replayed {
        /// The reused id.
        request_id: RequestId,
    },
    /// The purpose is not allowed by the policy.
    #[error("purpose {purpose} is not allowed")]
    WrongPurpose {
        /// The purpose given.
        purpose: Purpose,
    },
    /// The manifest is for another key epoch.
    #[error("manifest is for key epoch {manifest}, the current epoch is {current}")]
    WrongEpoch {
        /// Epoch named by the manifest.
        manifest: KeyEpoch,
        /// The holder's current epoch.
        current: KeyEpoch,
    },
    /// The manifest names another OPRF public key than the current epoch's.
    #[error("manifest is for OPRF key {manifest}, the current epoch's key is {current}")]
    WrongOprfKey {
        /// Key named by the manifest.
        manifest: OprfKeyHex,
        /// The current epoch's key.
        current: OprfKeyHex,
    },
    /// The manifest names another set than the one served now (the set was re-encoded
    /// after the request was prepared: prepare it again from the new statement).
    #[error(
        "manifest is for set {manifest}, the set served now is {current}: prepare the request again"
    )]
    StaleSet {
        /// Set hash named by the manifest.
        manifest: SetHash,
        /// The set served now.
        current: SetHash,
    },
    /// `expires_at - issued_at` is longer than the policy allows.
    #[error("manifest is valid for {validity} s, more than the {max} s allowed")]
    ValidityTooLong {
        /// The manifest's validity in seconds.
        validity: u64,
        /// Limit in seconds.
        max: u64,
    },
    /// Issued in the future beyond the allowed clock skew.
    #[error("manifest issued at {issued_at} is in the future (now {now}, skew {skew} s)")]
    NotYetValid {
        /// Issue time.
        issued_at: u64,
        /// Holder time.
        now: u64,
        /// Allowed skew in seconds.
        skew: u64,
    },
    /// Past its expiry (plus the allowed skew).
    #[error("manifest expired at {expires_at} (now {now})")]
    Expired {
        /// Expiry time.
        expires_at: u64,
        /// Holder time.
        now: u64,
    },
    /// Issued longer ago than the maximum request age.
    #[error("manifest issued at {issued_at} is older than {max_age} s (now {now})")]
    TooOld {
        /// Issue time.
        issued_at: u64,
        /// Holder time.
        now: u64,
        /// Limit in seconds.
        max_age: u64,
    },
    /// A rule the holder does not answer.
    #[error("match rule {rule} is not allowed")]
    DisallowedRule {
        /// The first disallowed rule.
        rule: RuleId,
    },
    /// More records than one request may carry.
    #[error("{requested} records requested, over the per-request limit of {max}")]
    OverRecordLimit {
        /// Records in the manifest.
        requested: u64,
        /// Limit.
        max: u64,
    },
    /// More elements than one request may carry.
    #[error("{requested} elements requested, over the per-request limit of {max}")]
    OverElementLimit {
        /// Elements in the manifest.
        requested: u64,
        /// Limit.
        max: u64,
    },
    /// More elements than the request's rules let its records yield (at most
    /// `per_record` keys per record, derived from the rule definitions).
    #[error(
        "{elements} elements for {records} records: the rules used yield at most {per_record} per record"
    )]
    OverElementsPerRecord {
        /// Elements in the manifest.
        elements: u64,
        /// Records in the manifest.
        records: u64,
        /// Most keys one record yields under the manifest's rules.
        per_record: u64,
    },
    /// Serving the request would exceed the requester's record limit for any 24 hours.
    #[error(
        "{served_today} records served in the last 24 hours plus {requested} requested exceeds the daily limit of {max}"
    )]
    OverDailyLimit {
        /// Already served today to this requester.
        served_today: u64,
        /// Records in the manifest.
        requested: u64,
        /// Limit.
        max: u64,
    },
    /// Serving the request would exceed the requester's element limit for any 24 hours.
    #[error(
        "{served_today} elements served in the last 24 hours plus {requested} requested exceeds the daily limit of {max}"
    )]
    OverDailyElementLimit {
        /// Already served to this requester in the last 24 hours.
        served_today: u64,
        /// Elements in the manifest.
        requested: u64,
        /// Limit.
        max: u64,
    },
    /// The current OPRF key has evaluated as many elements as the policy allows under one
    /// key: nothing more is served until the key is rotated (`irs epoch rotate`).
    #[error(
        "{evaluated} elements evaluated under the current key plus {requested} requested exceeds the per-epoch cap of {max}: the key must be rotated"
    )]
    EpochExhausted {
        /// Elements evaluated under the current key, for every requester.
        evaluated: u64,
        /// Elements in the manifest.
        requested: u64,
        /// Cap.
        max: u64,
    },
    /// The number of elements received differs from the manifest.
    #[error("manifest announces {manifest} elements but {received} were received")]
    ElementCountMismatch {
        /// Count in the manifest.
        manifest: u64,
        /// Count received.
        received: u64,
    },
    /// The received elements do not hash to the manifest's digest.
    #[error("the received elements do not match the approved digest")]
    DigestMismatch,
    /// A received element is not a canonical, non-identity ristretto255 encoding (checked
    /// after the digest, so the approvers signed it as it is).
    #[error("blinded element {index} is not a valid group element")]
    InvalidElement {
        /// Position of the first invalid element.
        index: u64,
    },
    /// The manifest names another requester than the one authenticated on the channel.
    #[error("the manifest names requester {manifest:?} but the channel authenticated {channel:?}")]
    WrongRequester {
        /// Requester id in the manifest.
        manifest: String,
        /// Requester id bound to the channel's static key.
        channel: String,
    },
}

fn join(roles: &[Role]) -> String {
    roles
        .iter()
        .map(Role::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

impl RefusalReason {
    /// The stable short code, e.g. `"expired"`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooManyApprovals { .. } => "too-many-approvals",
            Self::UnknownApprover { .. } => "unknown-approver",
            Self::BadSignature { .. } => "bad-signature",
            Self::ApprovalForOtherRole { .. } => "approval-for-other-role",
            Self::MissingRole { .. } => "missing-role",
            Self::MissingAnyOfRoles { .. } => "missing-any-of-roles",
            Self::Replayed { .. } => "replayed",
            Self::WrongPurpose { .. } => "wrong-purpose",
            Self::WrongEpoch { .. } => "wrong-epoch",
            Self::WrongOprfKey { .. } => "wrong-oprf-key",
            Self::StaleSet { .. } => "stale-set",
            Self::ValidityTooLong { .. } => "validity-too-long",
            Self::NotYetValid { .. } => "not-yet-valid",
            Self::Expired { .. } => "expired",
            Self::TooOld { .. } => "too-old",
            Self::DisallowedRule { .. } => "disallowed-rule",
            Self::OverRecordLimit { .. } => "over-record-limit",
            Self::OverElementLimit { .. } => "over-element-limit",
            Self::OverElementsPerRecord { .. } => "over-elements-per-record",
            Self::OverDailyLimit { .. } => "over-daily-limit",
            Self::OverDailyElementLimit { .. } => "over-daily-element-limit",
            Self::EpochExhausted { .. } => "epoch-exhausted",
            Self::ElementCountMismatch { .. } => "element-count-mismatch",
            Self::DigestMismatch => "digest-mismatch",
            Self::InvalidElement { .. } => "invalid-element",
            Self::WrongRequester { .. } => "wrong-requester",
        }
    }
}
