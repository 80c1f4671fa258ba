//! The budgets the holder enforces (step 10 of the check order) and the arithmetic behind
//! their defaults (PROTOCOL.md, "Budget arithmetic").
//!
//! - **Per request**: `max_records_per_request`, `max_elements_per_request`.
//! - **Per record**: `element_count ≤ max_keys_per_record(rules_used) × record_count`, the
//!   bound derived from the v1 rule definitions
//!   ([`max_keys_per_record`](blindlink_core::match_key::max_keys_per_record), requester
//!   side: 6 per rule, 12 under the default R1+R2). A request over it was not derived
//!   from its records by the rules, whatever its approvers signed. A rule id that is not
//!   a v1 rule yields no keys, so it adds nothing to the bound.
//! - **Per requester, rolling 24 hours**: `max_records_per_day` and
//!   `max_elements_per_day` over the accepted requests of the last 86,400 seconds (not a
//!   calendar day, which would let twice the limit through across midnight).
//! - **Per OPRF key (epoch), all requesters together**: `max_elements_per_epoch`, from
//!   the static-DH bound of PROTOCOL.md §9.4. With q evaluations under one key the
//!   generic attacks leave about `126 − log2(q)/2` bits of security (ristretto255's
//!   `log2(sqrt(l)) = 126`, RFC 9497 §7.2.3); keeping at least
//!   [`RETAINED_SECURITY_BITS`] = 112 bits allows `log2 q ≤ 2 · (126 − 112) = 28`, so
//!   [`DEFAULT_MAX_ELEMENTS_PER_EPOCH`] = 2^28 = 268,435,456. After it the holder
//!   refuses `epoch-exhausted` until `irs epoch rotate` draws a fresh key. A policy may
//!   lower the cap, never raise it.

use blindlink_core::match_key::{KeySide, MatchRule, RuleSet, max_keys_per_record};

use super::{Limits, RefusalReason, RequestContext};
use crate::manifest::{ManifestFields, RuleId};

/// Generic security of ristretto255 in bits: `log2(sqrt(l))` with `l ≈ 2^252`.
pub const GROUP_SECURITY_BITS: u32 = 126;

/// Security the holder's OPRF key keeps at least after the static-DH loss of
/// `log2(q)/2` bits (the 112-bit floor of NIST SP 800-57 Part 1).
pub const RETAINED_SECURITY_BITS: u32 = 112;

/// Most elements evaluated under one OPRF key: the q with
/// `GROUP_SECURITY_BITS − log2(q)/2 = RETAINED_SECURITY_BITS`, i.e. `2^28`.
pub const DEFAULT_MAX_ELEMENTS_PER_EPOCH: u64 =
    1 << (2 * (GROUP_SECURITY_BITS - RETAINED_SECURITY_BITS));

/// Default records per requester per rolling 24 hours.
pub const DEFAULT_MAX_RECORDS_PER_DAY: u64 = 50_000;

/// Default elements per requester per rolling 24 hours: the default records per day at
/// the most keys a record yields under the default rules (50,000 × 12 = 600,000).
pub fn default_max_elements_per_day() -> u64 {
    let per_record = max_keys_per_record(RuleSet::default_policy(), KeySide::Requester);
    DEFAULT_MAX_RECORDS_PER_DAY.saturating_mul(per_record)
}

/// Bits of security left after `queries` evaluations under one key (the generic bound
/// `126 − log2(q)/2`), for reports and tests.
pub fn retained_security_bits(queries: u64) -> f64 {
    f64::from(GROUP_SECURITY_BITS) - (queries.max(1) as f64).log2() / 2.0
}

/// The most elements a request with these rules may carry per record: the requester-side
/// bound of the v1 rules it names (ids that are not v1 rules add nothing).
pub fn max_elements_per_record(rules: &[RuleId]) -> u64 {
    let set: RuleSet = rules
        .iter()
        .filter_map(|rule| MatchRule::from_id(rule.as_str()).ok())
        .collect();
    max_keys_per_record(set, KeySide::Requester)
}

/// Step 10, in order: `over-record-limit`, `over-element-limit`,
/// `over-elements-per-record`, `over-daily-limit`, `over-daily-element-limit`,
/// `epoch-exhausted`.
pub(super) fn check(
    limits: &Limits,
    fields: &ManifestFields,
    context: &RequestContext,
) -> Result<(), RefusalReason> {
    let (records, elements) = (fields.record_count, fields.element_count);
    if records > limits.max_records_per_request {
        return Err(RefusalReason::OverRecordLimit {
            requested: records,
            max: limits.max_records_per_request,
        });
    }
    if elements > limits.max_elements_per_request {
        return Err(RefusalReason::OverElementLimit {
            requested: elements,
            max: limits.max_elements_per_request,
        });
    }
    let per_record = max_elements_per_record(&fields.rules_used);
    if elements > per_record.saturating_mul(records) {
        return Err(RefusalReason::OverElementsPerRecord {
            elements,
            records,
            per_record,
        });
    }
    let records_today = context.records_served_today;
    if records_today.saturating_add(records) > limits.max_records_per_day {
        return Err(RefusalReason::OverDailyLimit {
            served_today: records_today,
            requested: records,
            max: limits.max_records_per_day,
        });
    }
    let elements_today = context.elements_served_today;
    if elements_today.saturating_add(elements) > limits.max_elements_per_day {
        return Err(RefusalReason::OverDailyElementLimit {
            served_today: elements_today,
            requested: elements,
            max: limits.max_elements_per_day,
        });
    }
    let in_epoch = context.elements_evaluated_in_epoch;
    if in_epoch.saturating_add(elements) > limits.max_elements_per_epoch {
        return Err(RefusalReason::EpochExhausted {
            evaluated: in_epoch,
            requested: elements,
            max: limits.max_elements_per_epoch,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_follow_from_the_arithmetic() {
        assert_eq!(DEFAULT_MAX_ELEMENTS_PER_EPOCH, 268_435_456);
        assert_eq!(
            retained_security_bits(DEFAULT_MAX_ELEMENTS_PER_EPOCH),
            112.0
        );
        assert_eq!(default_max_elements_per_day(), 600_000);
        // One requester at the full daily rate takes 447 days to exhaust a key.
        assert_eq!(
            DEFAULT_MAX_ELEMENTS_PER_EPOCH / default_max_elements_per_day(),
            447
        );
        let rules = |ids: &[&str]| -> Vec<RuleId> {
            ids.iter().map(|id| RuleId::new(*id).unwrap()).collect()
        };
        assert_eq!(max_elements_per_record(&rules(&["R1", "R2"])), 12);
        assert_eq!(max_elements_per_record(&rules(&["R1", "R1"])), 6);
        assert_eq!(
            max_elements_per_record(&rules(&["R1", "R2", "R3", "R4"])),
            24
        );
        assert_eq!(max_elements_per_record(&rules(&["R9"])), 0);
    }
}
