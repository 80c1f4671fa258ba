//! Plaintext matching on the same match keys the protocol blinds.
//!
//! The holder side keys its whole file ([`KeySide::Holder`]) and, by default, keeps
//! only locally unique key values, as `irs ingest` does. The requester side keys each
//! requested record ([`KeySide::Requester`]), as `ice prepare` does. A requested record
//! matches at the strongest rule of its keys that the holder kept, as `ice query`
//! reports it. The OPRF changes none of this: a blinded key is found in the holder's set
//! exactly when the plain key is among the holder's kept keys, except for fingerprint
//! false matches (at most 2^-40 per lookup by construction of the set).

use std::collections::{HashMap, HashSet};

use blindlink_core::match_key::{
    KeySide, MatchKey, MatchRule, RuleSet, match_keys, retain_locally_unique,
};
use blindlink_core::normalize::{NormalizedRecord, normalize};
use blindlink_core::record::Record;
use blindlink_synth::RequestRecord;
use blindlink_synth::evaluate::ResultRow;
use rayon::prelude::*;

/// Which extra keys of the same rule (variants, see `blindlink_core::match_key`) are
/// derived. All on is what the core does; turning one off measures what it is worth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variants {
    /// Keys on the nickname-canonical first given name (BILL -> WILLIAM) as well.
    pub nickname: bool,
    /// Keys on the first and the last of several surnames as well as the full surname.
    pub surname_parts: bool,
    /// The holder's suffix-less copies of the keys of a record with a JR/SR/II... suffix.
    pub suffix_copies: bool,
    /// The holder's R1 copies on the first given name alone of a record with several
    /// given names ("Middle names: asymmetric R1 keys" in the core's module docs).
    pub middle_copies: bool,
}

impl Variants {
    /// What the core derives: every variant on.
    pub const CORE: Variants = Variants {
        nickname: true,
        surname_parts: true,
        suffix_copies: true,
        middle_copies: true,
    };
}

/// The keys of `record` for `side`, with the variants that are off removed (the core
/// has no switch for them).
///
/// The nickname and surname-part variants are removed by editing the normalized record
/// before keying. The holder's copies are removed from the holder's keys afterwards, by
/// set difference, with these arguments (from `match_keys`):
///
/// - Suffix copies: the holder keys a record with a suffix once with its own suffix and
///   once with none; the record with its suffix cleared yields exactly the second half
///   (names and address do not depend on the suffix), and no key of the first half is
///   among them because the suffix field differs. So they are removed exactly.
/// - Middle-name copies: the holder's R1 keys are (full given names ∪, for several given
///   names, the first given name alone) × surnames × suffixes; the requester keys only
///   the full given names with its own suffix. So the holder's R1 keys without the copies
///   are those in the requester's R1 keys of the record and of the record with its
///   suffix cleared (the "no suffix" half), and only those are kept. This is exact even
///   when a copy equals a full-name key (given names `WILL IAM` concatenate to the
///   canonical `WILLIAM`): such a key stays, as the core would emit it without copies.
///   (Subtracting the keys of the record with `given_names` cut to the first one would
///   remove that key too.) A record with one given name has no copies and loses nothing.
///   Keying the holder like a requester, as this example once did for suffix copies,
///   would now remove both kinds of copies at once.
///
/// Checked on the data: with `--no-middle-copies` the example reproduces, on all three
/// profiles, the figures docs/QUALITY.md had before the core gained the copies.
fn keys_of(record: &Record, rules: RuleSet, side: KeySide, variants: Variants) -> Vec<MatchKey> {
    let mut n: NormalizedRecord = normalize(record);
    if !variants.nickname {
        n.first_given_canonical = n.first_given.clone();
    }
    if !variants.surname_parts {
        n.surname_variants.truncate(1);
    }
    let mut keys = match_keys(&n, rules, side);
    if side == KeySide::Requester {
        return keys;
    }
    let suffixless = NormalizedRecord {
        suffix: None,
        ..n.clone()
    };
    if !variants.suffix_copies && n.suffix.is_some() {
        let copies: HashSet<MatchKey> = match_keys(&suffixless, rules, KeySide::Holder)
            .into_iter()
            .collect();
        keys.retain(|k| !copies.contains(k));
    }
    if !variants.middle_copies {
        let r1 = RuleSet::from_iter([MatchRule::R1Exact]);
        let full: HashSet<MatchKey> = match_keys(&n, r1, KeySide::Requester)
            .into_iter()
            .chain(match_keys(&suffixless, r1, KeySide::Requester))
            .collect();
        keys.retain(|k| k.rule != MatchRule::R1Exact || full.contains(k));
    }
    keys
}

/// The holder's kept keys, each with the population records that carry it.
#[derive(Debug)]
pub struct HolderKeys {
    owners: HashMap<Vec<u8>, Vec<u32>>,
    /// Key values kept, per rule (indexed by [`MatchRule::index`]).
    pub kept_per_rule: [u64; 4],
    /// Distinct key values dropped by the uniqueness filter, per rule.
    pub dropped_per_rule: [u64; 4],
}

impl HolderKeys {
    /// Keys the whole population for every rule (a request's rules are chosen at match
    /// time: the rule id is part of each key, so uniqueness is per rule either way).
    pub fn build(population: &[Record], uniqueness: bool, variants: Variants) -> HolderKeys {
        let mut keys: Vec<Vec<MatchKey>> = population
            .par_iter()
            .map(|r| keys_of(r, RuleSet::all(), KeySide::Holder, variants))
            .collect();
        let mut dropped_per_rule = [0u64; 4];
        if uniqueness {
            let report = retain_locally_unique(&mut keys);
            for rule in MatchRule::ALL {
                dropped_per_rule[rule.index()] = report.dropped_values(rule);
            }
        }
        let mut owners: HashMap<Vec<u8>, Vec<u32>> = HashMap::new();
        let mut kept_per_rule = [0u64; 4];
        for (i, list) in keys.into_iter().enumerate() {
            for key in list {
                let holders = owners.entry(key.bytes).or_default();
                if holders.is_empty() {
                    kept_per_rule[key.rule.index()] += 1;
                }
                holders.push(i as u32);
            }
        }
        HolderKeys {
            owners,
            kept_per_rule,
            dropped_per_rule,
        }
    }

    /// The result for each requested record under `rules`: the strongest rule with a
    /// key the holder kept, and the holder records carrying that rule's matched keys.
    pub fn match_requests(
        &self,
        population: &[Record],
        requests: &[RequestRecord],
        rules: RuleSet,
        variants: Variants,
    ) -> Vec<ResultRow> {
        requests
            .par_iter()
            .map(|request| {
                let keys = keys_of(&request.record, rules, KeySide::Requester, variants);
                let rule = keys
                    .iter()
                    .find(|k| self.owners.contains_key(&k.bytes))
                    .map(|k| k.rule);
                let mut holders: Vec<String> = keys
                    .iter()
                    .filter(|k| Some(k.rule) == rule)
                    .filter_map(|k| self.owners.get(&k.bytes))
                    .flatten()
                    .filter_map(|&i| population.get(i as usize))
                    .map(|r| r.id.clone())
                    .collect();
                holders.sort_unstable();
                holders.dedup();
                ResultRow {
                    record_id: request.record.id.clone(),
                    matched_rule: rule,
                    holder_record_ids: Some(holders),
                }
            })
            .collect()
    }
}
