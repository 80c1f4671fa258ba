//! Normalization and match-key derivation per record, on synthetic records, one thread:
//! what `irs ingest` and `ice prepare` spend before any curve arithmetic.
//!
//! Run: `cargo bench --bench normalize`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use blindlink_core::match_key::{KeySide, RuleSet, match_keys, retain_locally_unique};
use blindlink_core::normalize::normalize;
use blindlink_core::record::Record;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn records(n: usize) -> Vec<Record> {
    blindlink_synth::population(11, n)
        .iter()
        .map(|r| Record::from_fields(r.to_fields()))
        .collect()
}

fn normalize_and_keys(c: &mut Criterion) {
    let n = 4096;
    let recs = records(n);
    let mut g = c.benchmark_group("records");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("normalize", |b| {
        b.iter(|| recs.iter().map(normalize).collect::<Vec<_>>())
    });
    let normalized: Vec<_> = recs.iter().map(normalize).collect();
    for (label, rules, side) in [
        (
            "holder_keys_r1_r2",
            RuleSet::default_policy(),
            KeySide::Holder,
        ),
        (
            "requester_keys_all_rules",
            RuleSet::all(),
            KeySide::Requester,
        ),
    ] {
        g.bench_function(label, |b| {
            b.iter(|| {
                normalized
                    .iter()
                    .map(|r| match_keys(black_box(r), rules, side))
                    .collect::<Vec<_>>()
            })
        });
    }
    let keys: Vec<_> = normalized
        .iter()
        .map(|r| match_keys(r, RuleSet::default_policy(), KeySide::Holder))
        .collect();
    g.bench_function("local_uniqueness", |b| {
        b.iter(|| {
            let mut k = keys.clone();
            retain_locally_unique(&mut k)
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = normalize_and_keys
}
criterion_main!(benches);
