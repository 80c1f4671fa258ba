//! Match keys, rule set v1: the byte strings derived from a [`NormalizedRecord`] that
//! become OPRF inputs. Two records match on a rule when they share a key of that rule
//! (exact byte equality), so everything a rule tolerates is decided here and in
//! normalization.
//!
//! # Encoding
//!
//! ```text
//! key     = "blindlink/v1/" || rule_id || field_1 || ... || field_n
//! rule_id = "R1" | "R2" | "R3" | "R4"                   (2 ASCII bytes, no separator)
//! field_i = I2OSP(len(value_i), 2) || value_i           (2-byte big-endian byte length)
//! ```
//!
//! `value_i` is the normalized field as ASCII bytes (uppercase letters, digits, and in
//! addresses/dates also space, `-`, `/`). Every rule has a fixed number `n` of fields in a
//! fixed order; an absent optional part is the empty value (length `0x0000`). With fixed
//! `n`, length prefixes and distinct rule ids, the encoding is injective: different field
//! tuples or rules never give the same bytes. A field longer than 65535 bytes gives no key.
//!
//! | rule | n | fields, in order |
//! |---|---|---|
//! | R1 | 11 | name_lo, name_hi, house_number, predir, street_name, street_suffix, postdir, unit, po_box, zip5, gen_suffix |
//! | R2 | 6 | name_lo, name_hi, house_number, po_box, zip5, gen_suffix |
//! | R3 | 6 | code_lo, code_hi, house_number, po_box, zip5, gen_suffix |
//! | R4 | 4 | name_lo, name_hi, dob, gen_suffix |
//!
//! `{name_lo, name_hi}` is an unordered name pair written in bytewise ascending order, so
//! a given/family order swap gives the same key with no extra key:
//! - R1, R4: {all given names concatenated without separator (`MARIAGUADALUPE`), the full
//!   surname (all family names concatenated, `GARCIALOPEZ`)};
//! - R2: {first given name, surname}; R3: {NYSIIS(first given name), NYSIIS(surname)}
//!   (see [`nysiis`]).
//!
//! Directionals are USPS abbreviations (`N`, `SW`), the street suffix the USPS standard
//! abbreviation (`AVE`), `gen_suffix` one of `JR SR II III IV V` or empty, `dob`
//! `YYYY-MM-DD`. A street address has an empty `po_box`; a PO box address has empty street
//! parts and its box number in `po_box`.
//!
//! ## When a key exists
//!
//! No key at all unless the record has a first given name that is not an initial and a
//! surname of two letters or more: a key on initials and an address would link relatives.
//! R1 also needs ZIP5 and either house number + street name or a PO box; R2 and R3 need
//! ZIP5 and a house number or PO box; R4 needs a valid date of birth.
//!
//! ## Name variants (extra keys of the same rule)
//!
//! Every combination of: the first given name as written and its nickname-canonical form
//! (`BILL` -> `WILLIAM`, also replacing it inside the R1/R4 given-names field), and each
//! surname variant (the full surname, the first surname, the last surname, for
//! double surnames). A variant that repeats another key is not repeated.
//!
//! ## Generational suffixes: asymmetric keys
//!
//! A suffix conflict (JR vs SR, II vs III) must never match, while a suffix missing on the
//! requester side may. Every key carries `gen_suffix` (empty when none), and:
//! - the [`KeySide::Requester`] emits only keys with its own suffix field;
//! - the [`KeySide::Holder`] emits the same keys and, for a record with a suffix, also a
//!   copy of each with an empty suffix field.
//!
//! So a requester `JOHN SMITH` matches a holder `JOHN SMITH JR` (through the holder's
//! suffix-less copy), a requester `JOHN SMITH JR` matches only a holder `JOHN SMITH JR`,
//! and JR never meets SR. A holder record without suffix does not match a requester with
//! one (the conservative direction). When a holder file has both `JOHN SMITH JR` and
//! `JOHN SMITH SR` at one address, their suffix-less copies collide and
//! [`retain_locally_unique`] removes them, so a suffix-less request matches neither.
//!
//! ## Middle names: asymmetric R1 keys
//!
//! Requesters often drop middle names. For a record with several given names, the
//! [`KeySide::Holder`] also emits R1 keys on the first given name alone (`BRIAN SCOTT
//! JONES` -> also `BRIAN` + `JONES`); the requester emits only the names it has. So a
//! requester `BRIAN JONES` matches a holder `BRIAN SCOTT JONES` at R1, and when the holder
//! file also has a `BRIAN JONES` at the same address, the two R1 keys collide and
//! [`retain_locally_unique`] removes both: the requester's row, which could be either
//! person, matches neither (measured in docs/QUALITY.md: without this, every wrong-person
//! match on the `realistic` profile was this pattern). R4 is not given the copy: a date of
//! birth already separates such namesakes.

mod encoding;
mod phonetic;
mod rule;
mod uniqueness;

pub use encoding::KEY_DOMAIN;
pub use phonetic::nysiis;
pub use rule::{
    MAX_FIRST_VARIANTS, MAX_SURNAME_VARIANTS, MatchRule, RuleParseError, RuleSet,
    max_keys_for_rule, max_keys_per_record,
};
pub use uniqueness::{UniquenessReport, retain_locally_unique};

use std::fmt;

use crate::normalize::{Directional, NormalizedRecord, Suffix};
use encoding::encode_key;

/// One match key: the rule it belongs to and its encoded bytes (an OPRF input).
///
/// Ordered by rule (strongest first), then bytes. `Debug` shows the rule and length only:
/// the bytes spell out a person's name and address.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MatchKey {
    /// The rule the key was derived for.
    pub rule: MatchRule,
    /// The encoded key (see the module docs).
    pub bytes: Vec<u8>,
}

impl fmt::Debug for MatchKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MatchKey({}, {} bytes)", self.rule, self.bytes.len())
    }
}

/// Which party derives the keys; decides how generational suffixes are keyed (see the
/// module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeySide {
    /// The data holder (its whole file): also emits suffix-less copies.
    Holder,
    /// The requester: keys with its own suffix field only.
    Requester,
}

/// All keys of `rec` for the rules in `rules`, deduplicated, sorted by rule then bytes.
pub fn match_keys(rec: &NormalizedRecord, rules: RuleSet, side: KeySide) -> Vec<MatchKey> {
    let Some(names) = NameVariants::of(rec) else {
        return Vec::new();
    };
    let own_suffix = rec.suffix.map_or("", Suffix::as_str);
    let both = [own_suffix, ""];
    let suffixes = match (side, rec.suffix) {
        (KeySide::Holder, Some(_)) => &both[..],
        _ => &both[..1],
    };
    let a = &rec.address;
    let dir = |d: Option<Directional>| d.map_or("", Directional::as_str);
    let (house, po_box) = (text(&a.house_number), text(&a.po_box));
    let zip = rec.zip5.as_deref().filter(|z| !z.is_empty());
    let anchored = !house.is_empty() || !po_box.is_empty();

    let mut out = Vec::new();
    for rule in rules.iter() {
        match (rule, zip) {
            (MatchRule::R1Exact, Some(zip))
                if !po_box.is_empty() || (!house.is_empty() && a.street_name.is_some()) =>
            {
                let street_name = text(&a.street_name);
                let street_suffix = a.street_suffix.unwrap_or("");
                let (predir, postdir, unit) = (dir(a.predir), dir(a.postdir), text(&a.unit));
                for (lo, hi) in names.full_pairs().chain(names.holder_first_only(side)) {
                    for s in suffixes {
                        let fields = [
                            lo,
                            hi,
                            house,
                            predir,
                            street_name,
                            street_suffix,
                            postdir,
                            unit,
                            po_box,
                            zip,
                            s,
                        ];
                        push_key(&mut out, rule, &fields);
                    }
                }
            }
            (MatchRule::R2NameHouseZip, Some(zip)) if anchored => {
                for (lo, hi) in names.first_pairs() {
                    for s in suffixes {
                        push_key(&mut out, rule, &[lo, hi, house, po_box, zip, s]);
                    }
                }
            }
            (MatchRule::R3Phonetic, Some(zip)) if anchored => {
                for (lo, hi) in names.phonetic_pairs() {
                    for s in suffixes {
                        push_key(&mut out, rule, &[&lo, &hi, house, po_box, zip, s]);
                    }
                }
            }
            (MatchRule::R4NameDob, _) => {
                let Some(dob) = rec.dob.as_deref().filter(|d| !d.is_empty()) else {
                    continue;
                };
                for (lo, hi) in names.full_pairs() {
                    for s in suffixes {
                        push_key(&mut out, rule, &[lo, hi, dob, s]);
                    }
                }
            }
            _ => {}
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn text(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

fn push_key(out: &mut Vec<MatchKey>, rule: MatchRule, fields: &[&str]) {
    if let Some(bytes) = encode_key(rule, fields) {
        out.push(MatchKey { rule, bytes });
    }
}

/// The name fields of a record's keys, with their variants.
struct NameVariants<'a> {
    /// First given name as written, then its canonical form when different.
    first: Vec<&'a str>,
    /// All given names concatenated, one per entry of `first`.
    all_given: Vec<String>,
    /// Surname variants of two letters or more.
    surnames: Vec<&'a str>,
}

impl<'a> NameVariants<'a> {
    fn of(rec: &'a NormalizedRecord) -> Option<NameVariants<'a>> {
        let raw = rec.first_given.as_deref().filter(|g| g.len() >= 2)?;
        let mut first = vec![raw];
        if let Some(canonical) = rec.first_given_canonical.as_deref()
            && canonical != raw
            && canonical.len() >= 2
        {
            first.push(canonical);
        }
        // At most MAX_SURNAME_VARIANTS, whatever the record holds: `normalize` never makes
        // more, and a record built by hand must not yield more keys than
        // `max_keys_per_record` says (the holder refuses requests over it).
        let surnames: Vec<&str> = rec
            .surname_variants
            .iter()
            .map(String::as_str)
            .filter(|s| s.len() >= 2)
            .take(MAX_SURNAME_VARIANTS)
            .collect();
        if surnames.is_empty() {
            return None;
        }
        let all_given = first
            .iter()
            .map(|f| given_with_first(&rec.given_names, raw, f))
            .collect();
        Some(NameVariants {
            first,
            all_given,
            surnames,
        })
    }

    fn full_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.all_given
            .iter()
            .flat_map(|g| self.surnames.iter().map(move |s| sorted(g, s)))
    }

    /// For the holder's R1 keys of a record with several given names: the pairs on the
    /// first given name only (see "Middle names: asymmetric R1 keys" in the module docs).
    fn holder_first_only(&self, side: KeySide) -> impl Iterator<Item = (&str, &str)> {
        let several = self
            .all_given
            .iter()
            .zip(&self.first)
            .any(|(all, f)| all != f);
        let wanted = side == KeySide::Holder && several;
        self.first_pairs().filter(move |_| wanted)
    }

    fn first_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.first
            .iter()
            .flat_map(|g| self.surnames.iter().map(move |s| sorted(g, s)))
    }

    fn phonetic_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        for g in &self.first {
            let g = nysiis(g);
            for s in &self.surnames {
                let s = nysiis(s);
                if !g.is_empty() && !s.is_empty() {
                    let (lo, hi) = sorted(&g, &s);
                    pairs.push((lo.to_owned(), hi.to_owned()));
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }
}

fn sorted<'s>(a: &'s str, b: &'s str) -> (&'s str, &'s str) {
    if a <= b { (a, b) } else { (b, a) }
}

/// The given names concatenated, with the first occurrence of `raw` replaced by `first`.
fn given_with_first(given: &[String], raw: &str, first: &str) -> String {
    let mut out = String::new();
    let mut replaced = false;
    for g in given {
        if !replaced && g == raw {
            out.push_str(first);
            replaced = true;
        } else {
            out.push_str(g);
        }
    }
    if !replaced {
        // The record's fields disagree (built by hand): key on the first name alone.
        out.clear();
        out.push_str(first);
    }
    out
}
