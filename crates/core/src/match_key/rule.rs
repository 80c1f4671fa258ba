//! The v1 match rules and sets of them (a holder's policy, a request's rules), and how
//! many keys one record can yield under them at most.

use std::fmt;
use std::str::FromStr;

use super::KeySide;

/// A match rule of rule set v1, ordered strongest first: `R1Exact < R2NameHouseZip <
/// R3Phonetic < R4NameDob`, so the strongest of several matched rules is the minimum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchRule {
    /// R1: all given names, all family names, full street address (or PO box), unit, ZIP5.
    R1Exact,
    /// R2: first given name (as written or nickname form) and each surname variant (as an
    /// unordered pair), house number (or PO box), ZIP5.
    R2NameHouseZip,
    /// R3: phonetic codes (NYSIIS) of the R2 names, house number (or PO box), ZIP5.
    R3Phonetic,
    /// R4: all given names, all family names, date of birth.
    R4NameDob,
}

impl MatchRule {
    /// Every rule, strongest first.
    pub const ALL: [MatchRule; 4] = [
        MatchRule::R1Exact,
        MatchRule::R2NameHouseZip,
        MatchRule::R3Phonetic,
        MatchRule::R4NameDob,
    ];

    /// The rule id used in key bytes, policies and reports: `R1`, `R2`, `R3`, `R4`.
    pub fn id(self) -> &'static str {
        match self {
            MatchRule::R1Exact => "R1",
            MatchRule::R2NameHouseZip => "R2",
            MatchRule::R3Phonetic => "R3",
            MatchRule::R4NameDob => "R4",
        }
    }

    /// Parses a rule id (`R1`..`R4`, case-insensitive, surrounding spaces ignored).
    pub fn from_id(id: &str) -> Result<MatchRule, RuleParseError> {
        let id = id.trim();
        MatchRule::ALL
            .into_iter()
            .find(|r| r.id().eq_ignore_ascii_case(id))
            .ok_or_else(|| RuleParseError::UnknownRule(id.chars().take(16).collect()))
    }

    /// A short human description of what the rule compares.
    pub fn description(self) -> &'static str {
        match self {
            MatchRule::R1Exact => "exact: all names, full address, unit, ZIP5",
            MatchRule::R2NameHouseZip => "first given name + surname, house number, ZIP5",
            MatchRule::R3Phonetic => "phonetic first given name + surname, house number, ZIP5",
            MatchRule::R4NameDob => "all names, date of birth",
        }
    }

    /// Position in [`MatchRule::ALL`] (0 for R1).
    pub fn index(self) -> usize {
        self as usize
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for MatchRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for MatchRule {
    type Err = RuleParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MatchRule::from_id(s)
    }
}

/// Why a rule or rule list did not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RuleParseError {
    /// Not one of `R1`..`R4`.
    #[error("unknown match rule {0:?} (expected R1, R2, R3 or R4)")]
    UnknownRule(String),
    /// An empty list or an empty item in a list (`""`, `"R1,,R2"`).
    #[error("empty match rule in list (expected e.g. \"R1,R2\")")]
    Empty,
    /// A bit set outside the four rules.
    #[error("rule set bits {0:#04x} name rules that do not exist (only 0x01..0x0f)")]
    UnknownBits(u8),
}

/// A set of match rules (a 4-bit set). Iterates strongest first.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RuleSet(u8);

impl RuleSet {
    const MASK: u8 = 0b1111;

    /// No rule.
    pub const fn empty() -> RuleSet {
        RuleSet(0)
    }

    /// All four rules.
    pub const fn all() -> RuleSet {
        RuleSet(Self::MASK)
    }

    /// The data holder's default policy: {R1, R2}.
    pub const fn default_policy() -> RuleSet {
        RuleSet(0b0011)
    }

    /// Whether `rule` is in the set.
    pub fn contains(self, rule: MatchRule) -> bool {
        self.0 & rule.bit() != 0
    }

    /// Adds `rule`.
    pub fn insert(&mut self, rule: MatchRule) {
        self.0 |= rule.bit();
    }

    /// Removes `rule`.
    pub fn remove(&mut self, rule: MatchRule) {
        self.0 &= !rule.bit();
    }

    /// The rules in both sets (e.g. requested rules allowed by the holder's policy).
    pub fn intersection(self, other: RuleSet) -> RuleSet {
        RuleSet(self.0 & other.0)
    }

    /// Number of rules in the set.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set has no rule.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The strongest rule in the set.
    pub fn strongest(self) -> Option<MatchRule> {
        self.iter().next()
    }

    /// The rules, strongest first.
    pub fn iter(self) -> impl Iterator<Item = MatchRule> {
        MatchRule::ALL
            .into_iter()
            .filter(move |r| self.contains(*r))
    }

    /// Most keys one record yields on `side` under these rules (the sum over the rules:
    /// keys of different rules never coincide, their encodings carry the rule id), derived
    /// from the rule definitions in [`match_keys`](super::match_keys).
    ///
    /// The data holder cannot see a requester's records, only the counts in the signed
    /// manifest, so this bound is what it can enforce: a request with more elements than
    /// `max_keys_per_record(rules, KeySide::Requester) × record_count` was not derived from
    /// its records by the v1 rules (PROTOCOL.md, "Budget arithmetic").
    ///
    /// Derivation, per rule, for one record:
    ///
    /// - name pairs: every combination of a first-given-name variant (as written, and its
    ///   nickname-canonical form when different: at most [`MAX_FIRST_VARIANTS`] = 2) with a
    ///   surname variant (full, first, last: at most [`MAX_SURNAME_VARIANTS`] = 3), so at most
    ///   2 · 3 = 6 pairs. R1 and R4 use the all-given-names field, one per first-name variant,
    ///   so still 6; R3 uses the NYSIIS codes of the same pairs (deduplicated, so at most 6);
    /// - the holder's extra R1 pairs on the first given name alone (records with several given
    ///   names): 6 more, holder side only;
    /// - generational suffix: the holder emits every key also with an empty suffix field
    ///   (× 2); the requester never does (× 1).
    ///
    /// | rule | requester | holder |
    /// |---|---|---|
    /// | R1 | 6 | (6 + 6) · 2 = 24 |
    /// | R2, R3, R4 | 6 each | 6 · 2 = 12 each |
    ///
    /// So a requester record yields at most 12 keys under the default rules {R1, R2} and 24
    /// under all four. The constants are enforced in code (`NameVariants::of` keeps at most
    /// [`MAX_SURNAME_VARIANTS`] surnames even for a record built by hand), and
    /// `crates/core/tests/key_bound.rs` checks that adversarial records reach the bound and a
    /// proptest that no record exceeds it.
    pub fn max_keys_per_record(self, side: KeySide) -> u64 {
        self.iter().map(|rule| max_keys_for_rule(rule, side)).sum()
    }

    /// The set as bits (bit 0 = R1 ... bit 3 = R4), for compact encodings.
    pub fn bits(self) -> u8 {
        self.0
    }

    /// The set from [`RuleSet::bits`]; rejects bits above bit 3.
    pub fn from_bits(bits: u8) -> Result<RuleSet, RuleParseError> {
        if bits & !Self::MASK == 0 {
            Ok(RuleSet(bits))
        } else {
            Err(RuleParseError::UnknownBits(bits))
        }
    }
}

impl FromIterator<MatchRule> for RuleSet {
    fn from_iter<I: IntoIterator<Item = MatchRule>>(iter: I) -> Self {
        let mut set = RuleSet::empty();
        for rule in iter {
            set.insert(rule);
        }
        set
    }
}

/// Parses a comma-separated list (`"R1,R2"`, `"r2, r4"`); duplicates are allowed, empty
/// items are not.
impl FromStr for RuleSet {
    type Err = RuleParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split(',')
            .map(|item| match item.trim() {
                "" => Err(RuleParseError::Empty),
                id => MatchRule::from_id(id),
            })
            .collect()
    }
}

/// Formats as the comma-separated list `R1,R2` (empty string for the empty set).
impl fmt::Display for RuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, rule) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(rule.id())?;
        }
        Ok(())
    }
}

impl fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RuleSet({self})")
    }
}

// How many keys one record can yield at most (see `RuleSet::max_keys_per_record`).

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

/// [`RuleSet::max_keys_per_record`] as a function.
pub fn max_keys_per_record(rules: RuleSet, side: KeySide) -> u64 {
    rules.max_keys_per_record(side)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_order_strongest_first_and_round_trip_ids() {
        assert!(MatchRule::R1Exact < MatchRule::R4NameDob);
        let matched = [MatchRule::R3Phonetic, MatchRule::R2NameHouseZip];
        assert_eq!(matched.iter().min(), Some(&MatchRule::R2NameHouseZip));
        for r in MatchRule::ALL {
            assert_eq!(r.id().parse::<MatchRule>(), Ok(r));
            assert_eq!(MatchRule::ALL.get(r.index()), Some(&r));
        }
        assert_eq!(" r3 ".parse::<MatchRule>(), Ok(MatchRule::R3Phonetic));
        assert!(matches!(
            "R5".parse::<MatchRule>(),
            Err(RuleParseError::UnknownRule(_))
        ));
    }

    #[test]
    fn rule_sets() {
        let set: RuleSet = "R1,R2".parse().unwrap();
        assert_eq!(set, RuleSet::default_policy());
        assert_eq!(set.to_string(), "R1,R2");
        assert_eq!("r4, R2,R2".parse::<RuleSet>().unwrap().to_string(), "R2,R4");
        assert_eq!("R1,,R2".parse::<RuleSet>(), Err(RuleParseError::Empty));
        assert_eq!("".parse::<RuleSet>(), Err(RuleParseError::Empty));
        assert_eq!(RuleSet::all().len(), 4);
        assert_eq!(RuleSet::all().iter().collect::<Vec<_>>(), MatchRule::ALL);
        let mut s = RuleSet::empty();
        assert!(s.is_empty() && s.strongest().is_none());
        s.insert(MatchRule::R4NameDob);
        s.insert(MatchRule::R2NameHouseZip);
        assert_eq!(s.strongest(), Some(MatchRule::R2NameHouseZip));
        s.remove(MatchRule::R2NameHouseZip);
        assert_eq!(s.to_string(), "R4");
        assert_eq!(RuleSet::from_bits(s.bits()), Ok(s));
        assert_eq!(
            RuleSet::from_bits(0x10),
            Err(RuleParseError::UnknownBits(0x10))
        );
        assert_eq!(
            RuleSet::all().intersection(RuleSet::default_policy()),
            RuleSet::default_policy()
        );
        assert_eq!(format!("{:?}", RuleSet::default_policy()), "RuleSet(R1,R2)");
    }

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
