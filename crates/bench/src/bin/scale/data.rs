//! Synthetic data (blindlink-synth) and the holder's encoding of it with the core crate:
//! normalize + keys + local uniqueness, then OPRF evaluation and the sorted Golomb-Rice
//! coded set, the way `irs ingest` does it (but in memory, without the CSV file).

use std::time::Duration;

use blindlink_core::fingerprint::{
    EncodedSetWriter, Fingerprint, SetParams, fingerprint, fingerprint_bits,
};
use blindlink_core::match_key::{KeySide, MatchKey, RuleSet, match_keys, retain_locally_unique};
use blindlink_core::normalize::normalize;
use blindlink_core::oprf::{Mode, SecretKey, evaluate_batch};
use blindlink_core::record::Record;
use blindlink_protocol::bundle::RequestRow;
use blindlink_synth::{CorruptionProfile, RequestParams};
use rayon::prelude::*;

/// Keys evaluated per OPRF batch (as `irs ingest`).
const EVALUATE_BATCH: usize = 65_536;

/// The synthetic holder file and the request drawn from it.
#[derive(Debug)]
pub struct Dataset {
    /// The holder's records.
    pub holder: Vec<Record>,
    /// The request rows (with references).
    pub request: Vec<RequestRow>,
    /// Request rows that are people on file (ground truth).
    pub present: usize,
}

/// Draws `holder` taxpayers and a `request` of which `present_fraction` are on file
/// (the `realistic` corruption profile).
pub fn dataset(
    seed: u64,
    holder: usize,
    request: usize,
    present_fraction: f64,
) -> anyhow::Result<Dataset> {
    let population = blindlink_synth::population(seed, holder);
    let params = RequestParams {
        seed: seed.wrapping_add(1),
        count: request,
        present_fraction,
        profile: CorruptionProfile::REALISTIC,
    };
    let (rows, truth) = blindlink_synth::request(&population, &params)?;
    let present = truth.iter().filter(|t| t.present).count();
    let request = rows
        .into_iter()
        .map(|r| RequestRow {
            record: r.record,
            case_ref: r.case_ref,
            final_order_ref: r.final_order_ref,
        })
        .collect();
    Ok(Dataset {
        holder: population,
        request,
        present,
    })
}

/// The holder's key lists after normalization, key derivation (rules R1+R2, the default
/// policy) and local uniqueness; records left without keys are dropped.
pub fn holder_keys(records: &[Record]) -> Vec<Vec<MatchKey>> {
    let rules = RuleSet::default_policy();
    let mut keys: Vec<Vec<MatchKey>> = records
        .par_iter()
        .map(|r| match_keys(&normalize(r), rules, KeySide::Holder))
        .collect();
    retain_locally_unique(&mut keys);
    keys.retain(|k| !k.is_empty());
    keys
}

/// The holder's encoded set for one epoch.
#[derive(Debug)]
pub struct HolderSet {
    /// The epoch's OPRF key.
    pub key: SecretKey,
    /// The epoch id.
    pub epoch: [u8; 16],
    /// The serialized set.
    pub bytes: Vec<u8>,
    /// Its content hash.
    pub hash: [u8; 32],
    /// Distinct fingerprints in it.
    pub count: u64,
    /// Keys evaluated (before fingerprint deduplication).
    pub keys: u64,
    /// Fingerprint length `L`.
    pub bits: u32,
    /// Rice parameter.
    pub rice_parameter: u32,
}

/// Batches between two bound samples inside the holder encoding (~524,000 keys): a long
/// phase on a shared machine needs the bound followed through it, not only at its ends.
const BATCHES_PER_SAMPLE: usize = 8;

/// OPRF evaluation (VOPRF mode, batches of 65,536 keys) of every key, the `L`-bit
/// fingerprints, sorted, Golomb-Rice coded. `sample` is called every
/// [`BATCHES_PER_SAMPLE`] batches and returns how long it took; the total is returned
/// with the set, to leave out of the phase's time.
pub fn encode_holder_set(
    key: SecretKey,
    epoch: [u8; 16],
    keys: Vec<Vec<MatchKey>>,
    max_request_elements: u64,
    sample: &dyn Fn() -> Duration,
) -> anyhow::Result<(HolderSet, Duration)> {
    let total: usize = keys.iter().map(Vec::len).sum();
    let bits = fingerprint_bits(max_request_elements, total as u64);
    let flat: Vec<MatchKey> = keys.into_iter().flatten().collect();
    let mut fps: Vec<Fingerprint> = Vec::with_capacity(total);
    let mut excluded = Duration::ZERO;
    for (i, batch) in flat.chunks(EVALUATE_BATCH).enumerate() {
        if i > 0 && i % BATCHES_PER_SAMPLE == 0 {
            excluded += sample();
        }
        let inputs: Vec<&[u8]> = batch.iter().map(|k| k.bytes.as_slice()).collect();
        let outputs = evaluate_batch(Mode::Voprf, &key, &inputs)?;
        fps.extend(outputs.iter().map(|o| fingerprint(o, bits)));
    }
    drop(flat);
    fps.par_sort_unstable();
    let params = SetParams {
        bits,
        rule_set: RuleSet::default_policy().bits(),
        key_epoch: epoch,
    };
    let mut writer = EncodedSetWriter::new(params, fps.len() as u64)?;
    for fp in fps {
        writer.push(fp)?;
    }
    let count = writer.count();
    let rice_parameter = writer.rice_parameter();
    let (bytes, hash) = writer.finish_with_hash();
    let set = HolderSet {
        key,
        epoch,
        bytes,
        hash,
        count,
        keys: total as u64,
        bits,
        rice_parameter,
    };
    Ok((set, excluded))
}
