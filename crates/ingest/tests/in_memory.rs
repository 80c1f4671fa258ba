//! `run_records`, the pipeline over records in memory (the scale harness's entry), gives
//! the bytes and counts `run` gives for a CSV file of the same records, through the same
//! phases.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::Mutex;

use blindlink_core::fingerprint::EncodedSet;
use blindlink_core::match_key::RuleSet;
use blindlink_core::oprf::SecretKey;
use blindlink_core::record::Record;
use blindlink_ingest::{
    Encoding, IngestInput, IngestOptions, IngestProgress, NoProgress, Phase, run, run_records,
};
use blindlink_protocol::manifest::KeyEpoch;

fn key() -> SecretKey {
    SecretKey::from_bytes(&[5; 32]).unwrap()
}

/// A synthetic population with copies of some records later in the list, so that
/// uniqueness drops values.
fn records(count: usize) -> Vec<Record> {
    let mut records = blindlink_synth::population(23, count);
    let copies: Vec<Record> = records.iter().step_by(37).cloned().collect();
    records.extend(copies);
    records
}

fn csv_of(records: &[Record]) -> Vec<u8> {
    let mut csv = Vec::new();
    blindlink_synth::write_population(&mut csv, records).unwrap();
    csv
}

/// Records every phase with its total and the steps advanced in it.
#[derive(Debug, Default)]
struct Phases(Mutex<Vec<(Phase, Option<u64>, u64)>>);

impl IngestProgress for Phases {
    fn begin(&self, phase: Phase, total: Option<u64>) {
        self.0.lock().unwrap().push((phase, total, 0));
    }
    fn advance(&self, steps: u64) {
        if let Some(last) = self.0.lock().unwrap().last_mut() {
            last.2 += steps;
        }
    }
    fn end(&self) {}
}

#[test]
fn records_in_memory_give_the_bytes_of_their_csv_file() {
    let records = records(2500);
    let csv = csv_of(&records);
    let epoch = KeyEpoch::from_bytes([6; 16]);
    let dir = tempfile::tempdir().unwrap();
    for (rules, budget) in [
        (RuleSet::default_policy(), 1 << 30),
        (RuleSet::default_policy(), 0),
        (RuleSet::all(), 1 << 30),
    ] {
        let options = IngestOptions::new(rules, 1 << 16, budget);
        let input = IngestInput {
            reader: &csv[..],
            path: Path::new("population.csv"),
            len: Some(csv.len() as u64),
        };
        let sk = key();
        let job = |progress| Encoding {
            key: &sk,
            epoch,
            options: &options,
            scratch: dir.path(),
            progress,
        };
        let file = run(input, &job(&NoProgress)).unwrap();
        let phases = Phases::default();
        let memory = run_records(records.clone(), &job(&phases)).unwrap();

        assert_eq!(memory.set.bytes, file.set.bytes, "{rules:?} {budget}");
        assert_eq!(memory.set.hash, file.set.hash);
        assert_eq!(memory.bits, file.bits);
        assert_eq!(memory.uniqueness, file.uniqueness);
        assert_eq!(memory.keying, file.keying);
        assert_eq!(memory.spill_runs, file.spill_runs);
        assert_eq!(
            (memory.read.rows, memory.read.records, memory.read.skipped()),
            (file.read.rows, file.read.records, 0)
        );
        assert_eq!(memory.read.input_bytes, 0);
        // The data does exercise uniqueness, and the spilled run did spill.
        assert!(file.uniqueness.dropped_total() > 0);
        assert_eq!(budget == 0, file.spill_runs > 0);
        // Same phases; progress of the front in records.
        let n = records.len() as u64;
        assert_eq!(
            *phases.0.lock().unwrap(),
            vec![
                (Phase::ReadAndKeys, Some(n), n),
                (Phase::Uniqueness, None, 0),
                (Phase::Encode, None, 0),
            ]
        );
        let s = memory.seconds;
        assert!(s.read_and_keys >= 0.0 && s.evaluate > 0.0 && s.sort >= 0.0);
        assert!(s.uniqueness > 0.0 && s.encode > 0.0);
        assert_eq!((s.write, s.total), (0.0, 0.0));
        // Nothing left in the scratch directory.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

#[test]
fn an_iterator_of_unknown_length_and_an_empty_list_work() {
    let records = records(300);
    let epoch = KeyEpoch::from_bytes([6; 16]);
    let options = IngestOptions::default();
    let dir = tempfile::tempdir().unwrap();
    let key = key();
    let job = |progress| Encoding {
        key: &key,
        epoch,
        options: &options,
        scratch: dir.path(),
        progress,
    };
    let listed = run_records(records.clone(), &job(&NoProgress));
    let phases = Phases::default();
    let filtered = records.into_iter().filter(|_| true);
    let streamed = run_records(filtered, &job(&phases)).unwrap();
    assert_eq!(streamed.set.bytes, listed.unwrap().set.bytes);
    assert_eq!(phases.0.lock().unwrap()[0].1, None);

    let empty = run_records(Vec::new(), &job(&NoProgress)).unwrap();
    assert_eq!((empty.read.rows, empty.set.count), (0, 0));
    let set = EncodedSet::from_bytes(&empty.set.bytes, 10).unwrap();
    assert!(set.fingerprints().is_empty());
}
