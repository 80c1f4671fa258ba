//! Plaintext matching on the same match keys the protocol blinds.
//!
//! The holder side keys its whole file ([`KeySide::Holder`]) and, by default, keeps
//! only locally unique key values, as `irs ingest` does. The requester side keys each
//! requested record ([`KeySide::Requester`]), as `ice prepare` does. A requested record
//! matches at the strongest rule of its keys that the holder kept, as `ice query`
//! reports it. The OPRF changes none of this: a blinded key is found in the holder's set
//! exactly when the plain key is among the holder's kept keys, except for fingerprint
//! false matches (at most 2^-40 per lookup by construction of the set).

use std::collections::HashMap;

use blindlink_core::match_key::{
    KeySide, MatchKey, MatchRule, RuleSet, match_keys, retain_locally_unique,
};
use blindlink_core::normalize::{NormalizedRecord, normalize};
use blindlink_core::record::Record;
use blindlink_synth::RequestRecord;
use blindlink_synth::evaluate::MatchResult;
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
    /// Not in the core (a candidate): the holder also drops the R1 keys of a record that
    /// has no middle name and whose R2 key another record shares (a namesake in the same
    /// house), so that a requester row missing the other's middle name cannot match it
    /// exactly.
    pub namesake_guard: bool,
}

impl Variants {
    /// What the core derives: every variant on, no namesake guard.
    pub const CORE: Variants = Variants {
        nickname: true,
        surname_parts: true,
        suffix_copies: true,
        namesake_guard: false,
    };
}

/// For each record, whether another record shares one of its R2 keys.
fn namesakes(keys: &[Vec<MatchKey>]) -> Vec<bool> {
    const SHARED: usize = usize::MAX;
    let r2 = |list: &'_ [MatchKey]| {
        list.iter()
            .filter(|k| k.rule == MatchRule::R2NameHouseZip)
            .map(|k| k.bytes.clone())
            .collect::<Vec<_>>()
    };
    let mut owner: HashMap<Vec<u8>, usize> = HashMap::new();
    for (i, list) in keys.iter().enumerate() {
        for bytes in r2(list) {
            let o = owner.entry(bytes).or_insert(i);
            if *o != i {
                *o = SHARED;
            }
        }
    }
    keys.iter()
        .map(|list| r2(list).iter().any(|b| owner.get(b) == Some(&SHARED)))
        .collect()
}

/// The keys of `record` for `side`, with the variants that are off removed by editing
/// the normalized record before keying (the core has no switch for them).
fn keys_of(record: &Record, rules: RuleSet, side: KeySide, variants: Variants) -> Vec<MatchKey> {
    let mut n: NormalizedRecord = normalize(record);
    if !variants.nickname {
        n.first_given_canonical = n.first_given.clone();
    }
    if !variants.surname_parts {
        n.surname_variants.truncate(1);
    }
    let side = match side {
        KeySide::Holder if !variants.suffix_copies => KeySide::Requester,
        other => other,
    };
    match_keys(&n, rules, side)
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
        if variants.namesake_guard {
            let guarded = namesakes(&keys);
            for ((list, guarded), record) in keys.iter_mut().zip(guarded).zip(population) {
                if guarded && normalize(record).given_names.len() < 2 {
                    list.retain(|k| k.rule != MatchRule::R1Exact);
                }
            }
        }
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
    ) -> Vec<MatchResult> {
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
                MatchResult {
                    record_id: request.record.id.clone(),
                    rule,
                    holder_record_ids: Some(holders),
                }
            })
            .collect()
    }
}
