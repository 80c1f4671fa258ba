//! Evaluation of a request against the policy.
//!
//! Checks run in this order and the first failure is the [`RefusalReason`]:
//!
//! 1. number of approvals (at most [`MAX_APPROVALS`]): a count, no parsing;
//! 2. every approving key is registered (a map lookup, no cryptography):
//!    `unknown-approver`;
//! 3. every signature, with `verify_strict` over the role-bound message: a signature
//!    that fails under the claimed role but verifies under the role the key is
//!    registered for is `approval-for-other-role`; a valid signature under a role the
//!    key is not registered for is `unknown-approver`; otherwise `bad-signature`;
//! 4. required roles: each `all_of` role (`missing-role`), then one of `any_of`
//!    (`missing-any-of-roles`).
//!
//! Only now is the manifest content trusted, since the approvers vouch for it:
//!
//! 5. `replayed` (the context says whether the request id was seen);
//! 6. `wrong-purpose`, 7. `wrong-epoch`;
//! 8. time, with `now` from the context: `validity-too-long`
//!    (`expires_at - issued_at > max_validity`), `not-yet-valid`
//!    (`issued_at > now + skew`), `expired` (`now >= expires_at + skew`), `too-old`
//!    (`now - issued_at > max_request_age`);
//! 9. `disallowed-rule` (first rule of `rules_used` not allowed);
//! 10. the budgets ([`budget`](super::budget)): `over-record-limit`,
//!     `over-element-limit`, `over-elements-per-record` (more elements than the rules
//!     let its records yield), `over-daily-limit` and `over-daily-element-limit` (rolling
//!     24 hours per requester), `epoch-exhausted` (elements under the current key).
//!
//! Steps 1-10 are [`Policy::authorize`], which the holder can run before it accepts
//! the element stream. The elements are then checked by
//! [`Authorized::check_elements`]: 11. `element-count-mismatch`, 12. `digest-mismatch`.
//! [`Policy::evaluate`] runs both.
//!
//! Every approval must be valid: one bad approval refuses the request even if the
//! others suffice. Several approvals by the same key count once.
//!
//! The replay check is only as good as the flag passed in: the holder reads it from
//! its replay store (`blindlink_store::replay::ReplayStore`) and, on acceptance, must still win
//! `insert_if_new` (refusing as replayed if it returns `false`) before serving.

use crate::approval::{Approval, ApproverPublicKey, MAX_APPROVALS, Role};
use crate::manifest::{BlindedElementsDigest, KeyEpoch, Manifest, OprfKeyHex, RequestId, SetHash};

use super::{Policy, RefusalReason};

/// What the holder knows about a request apart from its manifest and approvals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestContext {
    /// The holder's current time, unix seconds.
    pub now: u64,
    /// The holder's current key epoch.
    pub current_epoch: KeyEpoch,
    /// The current epoch's OPRF public key.
    pub current_oprf_public_key: OprfKeyHex,
    /// The content hash of the set served now.
    pub current_set_hash: SetHash,
    /// Records served to this requester in the last 24 hours (a rolling window).
    pub records_served_today: u64,
    /// Elements served to this requester in the last 24 hours (a rolling window).
    pub elements_served_today: u64,
    /// Elements evaluated under the current OPRF key so far, for every requester.
    pub elements_evaluated_in_epoch: u64,
    /// Whether this request id was seen before.
    pub request_id_seen: bool,
}

/// What the holder actually received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceivedElements {
    /// Number of blinded elements received.
    pub count: u64,
    /// Their digest, computed by the holder with
    /// [`BlindedDigest`](crate::manifest::BlindedDigest) over `count` elements.
    pub digest: BlindedElementsDigest,
}

/// Everything [`Policy::evaluate`] needs besides the manifest and approvals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvaluationContext {
    /// Time, epoch, usage and replay state.
    pub request: RequestContext,
    /// The elements received.
    pub received: ReceivedElements,
}

/// A request that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    /// The request id (to insert into the replay store).
    pub request_id: RequestId,
    /// Records to count against the daily limit.
    pub record_count: u64,
    /// The valid approvals, one per key, ordered by role then key.
    pub approved_by: Vec<(Role, ApproverPublicKey)>,
}

/// The outcome of evaluating a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Serve the request.
    Accept(Acceptance),
    /// Refuse it, for this reason.
    Refuse(RefusalReason),
}

impl Decision {
    /// True for [`Decision::Accept`].
    pub fn is_accepted(&self) -> bool {
        matches!(self, Decision::Accept(_))
    }

    /// The refusal reason, if refused.
    pub fn refusal(&self) -> Option<&RefusalReason> {
        match self {
            Decision::Accept(_) => None,
            Decision::Refuse(reason) => Some(reason),
        }
    }

    /// `"accepted"` or the refusal code.
    pub fn code(&self) -> &'static str {
        match self {
            Decision::Accept(_) => "accepted",
            Decision::Refuse(reason) => reason.code(),
        }
    }
}

/// A request whose approvals, time, limits and replay state passed (steps 1-10);
/// only the elements remain to be checked. Consumed by the check.
#[derive(Debug)]
pub struct Authorized<'a> {
    manifest: &'a Manifest,
    approved_by: Vec<(Role, ApproverPublicKey)>,
}

impl<'a> Authorized<'a> {
    /// The authorized manifest.
    pub fn manifest(&self) -> &'a Manifest {
        self.manifest
    }

    /// Steps 11-12: the received elements must be the approved ones.
    pub fn check_elements(self, received: &ReceivedElements) -> Decision {
        let fields = self.manifest.fields();
        if received.count != fields.element_count {
            return Decision::Refuse(RefusalReason::ElementCountMismatch {
                manifest: fields.element_count,
                received: received.count,
            });
        }
        if received.digest != fields.blinded_digest {
            return Decision::Refuse(RefusalReason::DigestMismatch);
        }
        Decision::Accept(Acceptance {
            request_id: fields.request_id,
            record_count: fields.record_count,
            approved_by: self.approved_by,
        })
    }
}

impl Policy {
    /// Runs every check (see the module doc for the order).
    pub fn evaluate(
        &self,
        manifest: &Manifest,
        approvals: &[Approval],
        context: &EvaluationContext,
    ) -> Decision {
        match self.authorize(manifest, approvals, &context.request) {
            Ok(authorized) => authorized.check_elements(&context.received),
            Err(reason) => Decision::Refuse(reason),
        }
    }

    /// Steps 1-10: everything but the elements.
    pub fn authorize<'a>(
        &self,
        manifest: &'a Manifest,
        approvals: &[Approval],
        context: &RequestContext,
    ) -> Result<Authorized<'a>, RefusalReason> {
        let approved_by = self.check_approvals(manifest, approvals)?;
        self.check_content(manifest, context)?;
        Ok(Authorized {
            manifest,
            approved_by,
        })
    }

    /// Steps 1-4.
    fn check_approvals(
        &self,
        manifest: &Manifest,
        approvals: &[Approval],
    ) -> Result<Vec<(Role, ApproverPublicKey)>, RefusalReason> {
        if approvals.len() > MAX_APPROVALS {
            return Err(RefusalReason::TooManyApprovals {
                count: approvals.len(),
                max: MAX_APPROVALS,
            });
        }
        for approval in approvals {
            if self.role_of(approval.public_key()).is_none() {
                return Err(RefusalReason::UnknownApprover {
                    role: approval.role().clone(),
                    public_key: *approval.public_key(),
                });
            }
        }
        let mut approved_by = Vec::with_capacity(approvals.len());
        for approval in approvals {
            let key = *approval.public_key();
            let claimed = approval.role();
            let registered =
                self.role_of(&key)
                    .cloned()
                    .ok_or_else(|| RefusalReason::UnknownApprover {
                        role: claimed.clone(),
                        public_key: key,
                    })?;
            if approval.verifies_as(claimed, manifest) {
                if registered != *claimed {
                    return Err(RefusalReason::UnknownApprover {
                        role: claimed.clone(),
                        public_key: key,
                    });
                }
                approved_by.push((registered, key));
            } else if registered != *claimed && approval.verifies_as(&registered, manifest) {
                return Err(RefusalReason::ApprovalForOtherRole {
                    claimed: claimed.clone(),
                    signed_as: registered,
                    public_key: key,
                });
            } else {
                return Err(RefusalReason::BadSignature {
                    role: claimed.clone(),
                    public_key: key,
                });
            }
        }
        approved_by.sort();
        approved_by.dedup();
        let has = |role: &Role| approved_by.iter().any(|(r, _)| r == role);
        if let Some(role) = self.required_all_of().iter().find(|role| !has(role)) {
            return Err(RefusalReason::MissingRole { role: role.clone() });
        }
        let any_of = self.required_any_of();
        if !any_of.is_empty() && !any_of.iter().any(has) {
            return Err(RefusalReason::MissingAnyOfRoles {
                roles: any_of.to_vec(),
            });
        }
        Ok(approved_by)
    }

    /// Steps 5-10.
    fn check_content(
        &self,
        manifest: &Manifest,
        context: &RequestContext,
    ) -> Result<(), RefusalReason> {
        let fields = manifest.fields();
        let limits = self.limits();
        if context.request_id_seen {
            return Err(RefusalReason::Replayed {
                request_id: fields.request_id,
            });
        }
        if !self.allowed_purposes().contains(&fields.purpose) {
            return Err(RefusalReason::WrongPurpose {
                purpose: fields.purpose,
            });
        }
        if fields.key_epoch != context.current_epoch {
            return Err(RefusalReason::WrongEpoch {
                manifest: fields.key_epoch,
                current: context.current_epoch,
            });
        }
        // What the approvers signed must be the key and the set served, so a request is
        // answered only against the holder state its officials saw.
        if fields.oprf_public_key != context.current_oprf_public_key {
            return Err(RefusalReason::WrongOprfKey {
                manifest: fields.oprf_public_key,
                current: context.current_oprf_public_key,
            });
        }
        if fields.set_hash != context.current_set_hash {
            return Err(RefusalReason::StaleSet {
                manifest: fields.set_hash,
                current: context.current_set_hash,
            });
        }
        let now = context.now;
        let skew = limits.clock_skew_secs;
        // Manifest::new guarantees expires_at > issued_at.
        let validity = fields.expires_at.saturating_sub(fields.issued_at);
        if validity > limits.max_validity_secs {
            return Err(RefusalReason::ValidityTooLong {
                validity,
                max: limits.max_validity_secs,
            });
        }
        if fields.issued_at > now.saturating_add(skew) {
            return Err(RefusalReason::NotYetValid {
                issued_at: fields.issued_at,
                now,
                skew,
            });
        }
        if now >= fields.expires_at.saturating_add(skew) {
            return Err(RefusalReason::Expired {
                expires_at: fields.expires_at,
                now,
            });
        }
        if now.saturating_sub(fields.issued_at) > limits.max_request_age_secs {
            return Err(RefusalReason::TooOld {
                issued_at: fields.issued_at,
                now,
                max_age: limits.max_request_age_secs,
            });
        }
        if let Some(rule) = fields
            .rules_used
            .iter()
            .find(|rule| !self.allowed_rules().contains(*rule))
        {
            return Err(RefusalReason::DisallowedRule { rule: rule.clone() });
        }
        super::budget::check(limits, fields, context)
    }
}
