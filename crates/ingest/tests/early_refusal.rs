//! A file with more than 1% of bad rows is refused before any OPRF work: the keying
//! phase never starts, for the whole-file ingest and for a shard.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::Mutex;

use blindlink_core::match_key::RuleSet;
use blindlink_core::oprf::SecretKey;
use blindlink_ingest::{
    Encoding, IngestError, IngestOptions, IngestProgress, InputError, Phase, check_file,
    encode_file,
};
use blindlink_protocol::manifest::KeyEpoch;
use blindlink_store::csv::CsvError;

/// Records the phases begun.
#[derive(Default)]
struct Phases(Mutex<Vec<Phase>>);

impl IngestProgress for Phases {
    fn begin(&self, phase: Phase, _: Option<u64>) {
        self.0.lock().unwrap().push(phase);
    }
    fn advance(&self, _: u64) {}
    fn end(&self) {}
}

/// 300 good rows, then `bad` rows with too few fields at the end of the file (where a
/// check at the end of the keying pass would find them only after evaluating the rest).
fn population_with_bad_tail(bad: usize) -> Vec<u8> {
    let records = blindlink_synth::population(5, 300);
    let mut csv = Vec::new();
    blindlink_synth::write_population(&mut csv, &records).unwrap();
    for i in 0..bad {
        csv.extend_from_slice(format!("bad-{i},too,few\n").as_bytes());
    }
    csv
}

fn too_many_bad_rows(result: Result<impl std::fmt::Debug, IngestError>) -> (u64, u64) {
    match result {
        Err(IngestError::Input(InputError::Csv {
            source: CsvError::TooManyBadRows { bad, rows, .. },
            ..
        })) => (bad, rows),
        other => panic!("not refused for bad rows: {other:?}"),
    }
}

#[test]
fn too_many_bad_rows_are_refused_before_the_keying_phase() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("population.csv");
    std::fs::write(&path, population_with_bad_tail(4)).unwrap();
    let key = SecretKey::from_bytes(&[3; 32]).unwrap();
    let options = IngestOptions {
        rules: RuleSet::default_policy(),
        max_request_elements: 1 << 16,
        memory_budget: 1 << 20,
    };
    let phases = Phases::default();
    let job = Encoding {
        key: &key,
        epoch: KeyEpoch::from_bytes([7; 16]),
        options: &options,
        scratch: dir.path(),
        progress: &phases,
    };
    assert_eq!(too_many_bad_rows(encode_file(&path, &job)), (4, 304));
    assert!(
        phases.0.lock().unwrap().is_empty(),
        "phases begun before the refusal: {:?}",
        phases.0.lock().unwrap()
    );
    // The pre-check alone (what `irs ingest --shard` runs before loading the key).
    assert_eq!(too_many_bad_rows(check_file(&path)), (4, 304));
}

#[test]
fn up_to_one_percent_passes_the_pre_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("population.csv");
    std::fs::write(&path, population_with_bad_tail(3)).unwrap();
    check_file(&path).unwrap();
    assert!(matches!(
        check_file(Path::new("/nonexistent/population.csv")),
        Err(IngestError::Input(InputError::Open { .. }))
    ));
}
