//! How many keys one record can yield at most, per rule and per rule set, derived from
//! the rule definitions in [`match_keys`](super::match_keys).
//!
//! The data holder cannot see a requester's records, only the counts in the signed
//! manifest, so this bound is what it can enforce: a request with more elements than
//! `max_keys_per_record(rules, KeySide::Requester) × record_count` was not derived from
//! its records by the v1 rules (PROTOCOL.md, "Budget arithmetic").
//!
//! Derivation, per rule, for one record:
//!
//! - name pairs: every combination of a first-given-name variant (as written, and its
//!   nickname-canonical form when different: at most [`MAX_FIRST_VARIANTS`] = 2) with a
//!   surname variant (full, first, last: at most [`MAX_SURNAME_VARIANTS`] = 3), so at most
//!   2 · 3 = 6 pairs. R1 and R4 use the all-given-names field, one per first-name variant,
//!   so still 6; R3 uses the NYSIIS codes of the same pairs (deduplicated, so at most 6);
//! - the holder's extra R1 pairs on the first given name alone (records with several given
//!   names): 6 more, holder side only;
//! - generational suffix: the holder emits every key also with an empty suffix field
//!   (× 2); the requester never does (× 1).
//!
//! | rule | requester | holder |
//! |---|---|---|
//! | R1 | 6 | (6 + 6) · 2 = 24 |
//! | R2, R3, R4 | 6 each | 6 · 2 = 12 each |
//!
//! So a requester record yields at most 12 keys under the default rules {R1, R2} and 24
//! under all four. The constants are enforced in code (`NameVariants::of` keeps at most
//! [`MAX_SURNAME_VARIANTS`] surnames even for a record built by hand), and
//! `crates/core/tests/key_bound.rs` checks that adversarial records reach the bound and a
//! proptest that no record exceeds it.

use super::{KeySide, MatchRule, RuleSet};

/// Most first-given-name variants of a record: as written, and its nickname-canonical
/// form when that differs.
pub const MAX_FIRST_VARIANTS: u64 = 2;

/// Most surname variants of a record: the full surname, the first and the last.
pub const MAX_SURNAME_VARIANTS: usize = 3;

/// Most keys of `rule` that one record yields on `side`.
pub const fn max_keys_for_rule(rule: MatchRule, side: KeySide) -> u64 {
    let pairs = MAX_FIRST_VARIANTS * MAX_SURNAME_VARIANTS as u64;
    let (name_pairs, suffix_copies) = match (rule, side) {
        (MatchRule::R1Exact, KeySide::Holder) => (2 * pairs, 2),
        (_, KeySide::Holder) => (pairs, 2),
        (_, KeySide::Requester) => (pairs, 1),
    };
    name_pairs * suffix_copies
}

/// Most keys one record yields on `side` under `rules` (the sum over the rules: keys of
/// different rules never coincide, their encodings carry the rule id).
pub fn max_keys_per_record(rules: RuleSet, side: KeySide) -> u64 {
    rules.iter().map(|rule| max_keys_for_rule(rule, side)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_of_the_module_doc() {
        let r = KeySide::Requester;
        assert_eq!(max_keys_per_record(RuleSet::default_policy(), r), 12);
        assert_eq!(max_keys_per_record(RuleSet::all(), r), 24);
        assert_eq!(max_keys_per_record(RuleSet::empty(), r), 0);
        assert_eq!(max_keys_for_rule(MatchRule::R1Exact, KeySide::Holder), 24);
        assert_eq!(max_keys_for_rule(MatchRule::R4NameDob, KeySide::Holder), 12);
        assert_eq!(max_keys_per_record(RuleSet::all(), KeySide::Holder), 60);
    }
}
