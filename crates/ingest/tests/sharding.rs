//! The bounded-memory pipeline and sharding give exactly the bytes of the straightforward
//! in-memory pipeline (plaintext uniqueness, evaluate the kept keys, sort, encode), and
//! `merge_shards` refuses incomplete, mixed or damaged shard sets.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use blindlink_core::fingerprint::{EncodedSetWriter, SetParams, fingerprint, fingerprint_bits};
use blindlink_core::match_key::{KeySide, MatchKey, RuleSet, match_keys, retain_locally_unique};
use blindlink_core::normalize::normalize;
use blindlink_core::oprf::{Mode, SecretKey, evaluate_batch};
use blindlink_ingest::{
    Encoding, IngestError, IngestInput, IngestOptions, NoProgress, ShardError, Slice, merge_shards,
    merge_shards_opening, read_records, run, run_shard,
};
use blindlink_protocol::manifest::KeyEpoch;

const EPOCH: [u8; 16] = [7; 16];

fn key() -> SecretKey {
    SecretKey::from_bytes(&[3; 32]).unwrap()
}

/// A synthetic population with extra copies of some rows spread through the file, so
/// that shared key values span shards.
fn population(count: usize) -> Vec<u8> {
    let records = blindlink_synth::population(11, count);
    let mut csv = Vec::new();
    blindlink_synth::write_population(&mut csv, &records).unwrap();
    let text = String::from_utf8(csv).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let copies: Vec<&str> = lines.iter().skip(1).step_by(41).copied().collect();
    lines.extend(copies);
    let mut out = lines.join("\n");
    out.push('\n');
    out.into_bytes()
}

fn options(rules: RuleSet, memory_budget: u64) -> IngestOptions {
    IngestOptions {
        rules,
        max_request_elements: 1 << 16,
        memory_budget,
    }
}

fn input(bytes: &[u8]) -> IngestInput<'_, &[u8]> {
    IngestInput {
        reader: bytes,
        path: Path::new("population.csv"),
        len: Some(bytes.len() as u64),
    }
}

/// The pipeline as it was before streaming: all keys in memory, plaintext uniqueness,
/// evaluate the kept keys, sort, encode. Returns the set bytes and the kept-key count.
fn reference(csv: &[u8], rules: RuleSet, max_request_elements: u64) -> (Vec<u8>, u64) {
    let mut keys: Vec<Vec<MatchKey>> = Vec::new();
    read_records(
        csv,
        Path::new("r.csv"),
        Slice::WHOLE,
        &|_| {},
        &mut |chunk| {
            for (_, record) in chunk {
                let k = match_keys(&normalize(&record), rules, KeySide::Holder);
                if !k.is_empty() {
                    keys.push(k);
                }
            }
            Ok(())
        },
    )
    .unwrap();
    retain_locally_unique(&mut keys);
    let kept: Vec<&[u8]> = keys.iter().flatten().map(|k| k.bytes.as_slice()).collect();
    let bits = fingerprint_bits(max_request_elements, kept.len() as u64);
    let outputs = evaluate_batch(Mode::Voprf, &key(), &kept).unwrap();
    let mut fps: Vec<u128> = outputs.iter().map(|o| fingerprint(o, bits)).collect();
    fps.sort_unstable();
    let params = SetParams {
        bits,
        rule_set: rules.bits(),
        key_epoch: EPOCH,
    };
    let mut writer = EncodedSetWriter::new(params, fps.len() as u64).unwrap();
    for fp in fps {
        writer.push(fp).unwrap();
    }
    (writer.finish(), kept.len() as u64)
}

fn shards(csv: &[u8], rules: RuleSet, n: u32, budget: u64, dir: &Path) -> Vec<PathBuf> {
    (0..n)
        .map(|index| {
            let out = dir.join(format!("shard-{index}-of-{n}.bin"));
            let slice = Slice { index, count: n };
            let epoch = KeyEpoch::from_bytes(EPOCH);
            let job = Encoding {
                key: &key(),
                epoch,
                options: &options(rules, budget),
                scratch: dir,
                progress: &NoProgress,
            };
            run_shard(input(csv), slice, &out, &job).unwrap();
            out
        })
        .collect()
}

#[test]
fn streaming_spilling_and_sharding_give_the_reference_bytes() {
    let csv = population(3000);
    let rules = RuleSet::default_policy();
    let (expected, kept) = reference(&csv, rules, 1 << 16);
    let dir = tempfile::tempdir().unwrap();
    let epoch = KeyEpoch::from_bytes(EPOCH);

    let whole = encode_whole(&csv, &options(rules, 1 << 30), epoch, dir.path());
    assert_eq!(whole.set.bytes, expected);
    assert_eq!(whole.spill_runs, 0);
    assert_eq!(whole.uniqueness.unique_keys(), kept);
    // The test data does exercise uniqueness, across the whole file.
    assert!(whole.uniqueness.dropped_values.iter().sum::<u64>() > 60);
    assert!(whole.uniqueness.records_emptied > 0);

    // A budget of 1024 entries: several sorted runs on disk, same bytes, no leftovers.
    let spilled = encode_whole(&csv, &options(rules, 0), epoch, dir.path());
    assert!(spilled.spill_runs >= 3, "{}", spilled.spill_runs);
    assert_eq!(spilled.set.bytes, expected);
    assert_eq!(spilled.uniqueness, whole.uniqueness);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    for n in [1, 2, 3, 7] {
        let sub = dir.path().join(format!("n{n}"));
        std::fs::create_dir(&sub).unwrap();
        let budget = if n == 3 { 0 } else { 1 << 30 };
        let mut paths = shards(&csv, rules, n, budget, &sub);
        paths.reverse();
        let merged = merge_shards(&paths, &NoProgress).unwrap();
        assert_eq!(merged.outcome.set.bytes, expected, "n = {n}");
        assert_eq!(merged.outcome.uniqueness, whole.uniqueness, "n = {n}");
        assert_eq!(merged.outcome.keying, whole.keying, "n = {n}");
        assert_eq!(merged.outcome.read, whole.read, "n = {n}");
        assert_eq!(
            (merged.epoch, merged.rules, merged.shards),
            (epoch, rules, n as usize)
        );
        // With at most 2 or 3 files open: merged in rounds through spill runs, same
        // bytes, and the spill directory removed afterwards.
        for max_open in [2, 3] {
            let rounds = merge_shards_opening(&paths, max_open, &NoProgress).unwrap();
            assert_eq!(rounds.outcome.set.bytes, expected, "n = {n}, {max_open}");
            assert_eq!(rounds.outcome.uniqueness, whole.uniqueness);
            let runs = rounds.outcome.spill_runs;
            if n as usize > max_open {
                assert!(runs >= 1 && runs <= max_open, "n = {n}: {runs} runs");
            } else {
                assert_eq!(runs, 0);
            }
            assert_eq!(std::fs::read_dir(&sub).unwrap().count(), n as usize);
        }
    }
}

/// `run` on the whole CSV (no progress).
fn encode_whole(
    csv: &[u8],
    options: &IngestOptions,
    epoch: KeyEpoch,
    scratch: &Path,
) -> blindlink_ingest::IngestOutcome {
    let job = Encoding {
        key: &key(),
        epoch,
        options,
        scratch,
        progress: &NoProgress,
    };
    run(input(csv), &job).unwrap()
}

#[test]
fn other_rules_and_a_single_rule_match_the_reference() {
    let csv = population(700);
    let dir = tempfile::tempdir().unwrap();
    let epoch = KeyEpoch::from_bytes(EPOCH);
    for rules in ["R1,R2,R3,R4", "R3"] {
        let mut set = RuleSet::empty();
        for id in rules.split(',') {
            set.insert(blindlink_core::match_key::MatchRule::from_id(id).unwrap());
        }
        let (expected, _) = reference(&csv, set, 1 << 16);
        let out = encode_whole(&csv, &options(set, 0), epoch, dir.path());
        assert_eq!(out.set.bytes, expected, "{rules}");
        let merged = merge_shards(&shards(&csv, set, 2, 1 << 30, dir.path()), &NoProgress).unwrap();
        assert_eq!(merged.outcome.set.bytes, expected, "{rules}");
    }
}

fn shard_error(paths: &[PathBuf]) -> ShardError {
    match merge_shards(paths, &NoProgress) {
        Err(IngestError::Shard(e)) => e,
        other => panic!("expected a shard error, got {other:?}"),
    }
}

#[test]
fn incomplete_mixed_and_damaged_shard_sets_are_refused() {
    let csv = population(300);
    let rules = RuleSet::default_policy();
    let dir = tempfile::tempdir().unwrap();
    let three = shards(&csv, rules, 3, 1 << 30, dir.path());

    assert!(matches!(shard_error(&[]), ShardError::NoShards));
    let missing = shard_error(&three[..2]);
    assert!(
        matches!(&missing, ShardError::Missing { first_missing, missing: 1, count: 3 } if first_missing == &[2]),
        "{missing:?}"
    );
    let dup = vec![
        three[0].clone(),
        three[1].clone(),
        three[1].clone(),
        three[2].clone(),
    ];
    assert!(matches!(
        shard_error(&dup),
        ShardError::Duplicate { index: 1, .. }
    ));

    // A shard of a 2-way split mixed into a 3-way one.
    let other = dir.path().join("two");
    std::fs::create_dir(&other).unwrap();
    let two = shards(&csv, rules, 2, 1 << 30, &other);
    let mixed = vec![three[0].clone(), two[1].clone(), three[2].clone()];
    assert!(matches!(
        shard_error(&mixed),
        ShardError::CountDisagrees {
            found: 2,
            expected: 3,
            ..
        }
    ));

    // Same split, other epoch / rules / input.
    let variant = |name: &str, csv: &[u8], rules: RuleSet, epoch: [u8; 16]| {
        let out = dir.path().join(name);
        let slice = Slice { index: 1, count: 3 };
        let job = Encoding {
            key: &key(),
            epoch: KeyEpoch::from_bytes(epoch),
            options: &options(rules, 1 << 30),
            scratch: dir.path(),
            progress: &NoProgress,
        };
        run_shard(input(csv), slice, &out, &job).unwrap();
        vec![three[0].clone(), out, three[2].clone()]
    };
    let field = |paths: &[PathBuf]| match shard_error(paths) {
        ShardError::Mismatch { field, .. } => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(&variant("epoch.bin", &csv, rules, [8; 16])),
        "key epoch"
    );
    assert_eq!(
        field(&variant("rules.bin", &csv, RuleSet::all(), EPOCH)),
        "rule set"
    );
    let mut edited = csv.clone();
    edited.extend_from_slice(b"TP-X,Ada,Lovelace,,12 Oak Ave,,Springfield,IL,62701,\n");
    assert_eq!(
        field(&variant("input.bin", &edited, rules, EPOCH)),
        "input file"
    );

    // Damage: a flipped entry byte, a cut, a foreign file, a newer version.
    let bytes = std::fs::read(&three[1]).unwrap();
    let damaged = |name: &str, bytes: Vec<u8>| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        vec![three[0].clone(), path, three[2].clone()]
    };
    let mut flipped = bytes.clone();
    let at = flipped.len() - 40;
    flipped[at] ^= 1;
    assert!(matches!(
        shard_error(&damaged("flip.bin", flipped)),
        ShardError::Corrupt { .. }
    ));
    let cut = bytes[..bytes.len() - 7].to_vec();
    assert!(matches!(
        shard_error(&damaged("cut.bin", cut)),
        ShardError::Truncated { .. }
    ));
    let tiny = bytes[..10].to_vec();
    assert!(matches!(
        shard_error(&damaged("tiny.bin", tiny)),
        ShardError::Truncated { .. }
    ));
    assert!(matches!(
        shard_error(&damaged("csv.bin", csv[..200].to_vec())),
        ShardError::NotAShard(_)
    ));
    let mut newer = bytes.clone();
    newer[9] = 2;
    assert!(matches!(
        shard_error(&damaged("v2.bin", newer)),
        ShardError::Version { found: 2, .. }
    ));
    let mut bad_meta = bytes.clone();
    bad_meta[64] = b'!';
    assert!(matches!(
        shard_error(&damaged("meta.bin", bad_meta)),
        ShardError::Meta { .. }
    ));
    let absent = vec![
        three[0].clone(),
        dir.path().join("nope.bin"),
        three[2].clone(),
    ];
    assert!(matches!(shard_error(&absent), ShardError::Io { .. }));
    // The intact set still merges.
    merge_shards(&three, &NoProgress).unwrap();
}
