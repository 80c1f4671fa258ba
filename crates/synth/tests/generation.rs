#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Population and request generation: determinism, counts, ground truth, CSV.

use std::collections::{HashMap, HashSet};

use blindlink_synth::{
    Corruption, CorruptionProfile, RequestParams, SynthRecord, TruthRow, population,
    read_population, read_request, read_truth, request, write_population, write_request,
    write_truth,
};

fn population_csv(records: &[SynthRecord]) -> Vec<u8> {
    let mut out = Vec::new();
    write_population(&mut out, records).unwrap();
    out
}

#[test]
fn population_is_deterministic_and_seed_dependent() {
    let a = population(42, 10_000);
    let b = population(42, 10_000);
    let c = population(43, 10_000);
    assert_eq!(population_csv(&a), population_csv(&b));
    assert_ne!(population_csv(&a), population_csv(&c));
    let same_rows = a.iter().zip(&c).filter(|(x, y)| x == y).count();
    assert_eq!(same_rows, 0);
}

#[test]
fn population_does_not_depend_on_the_thread_count() {
    let single = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let one_thread = single.install(|| population(5, 20_000));
    let many = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap();
    let four_threads = many.install(|| population(5, 20_000));
    assert_eq!(one_thread, four_threads);
}

#[test]
fn population_has_the_promised_variety() {
    let pop = population(1, 50_000);
    assert_eq!(pop.len(), 50_000);
    let ids: HashSet<&str> = pop.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), pop.len());
    let share = |f: &dyn Fn(&SynthRecord) -> bool| {
        pop.iter().filter(|r| f(r)).count() as f64 / pop.len() as f64
    };
    let with_dob = share(&|r| r.dob.is_some());
    assert!((0.90..0.96).contains(&with_dob), "dob {with_dob}");
    let double_surname = share(&|r| {
        let f = &r.family_names;
        f.split([' ', '-']).count() == 2 && !f.contains("DE ") && !f.contains("VAN ")
    });
    assert!(double_surname > 0.03, "double surnames {double_surname}");
    let accented = share(&|r| !r.given_names.is_ascii() || !r.family_names.is_ascii());
    assert!(accented > 0.005 && accented < 0.10, "accents {accented}");
    let suffixed = share(&|r| !r.suffix.is_empty() || r.family_names.ends_with(" JR"));
    assert!(suffixed > 0.005 && suffixed < 0.06, "suffixes {suffixed}");
    let units =
        share(&|r| !r.unit.is_empty() || r.street.contains(" APT ") || r.street.contains('#'));
    assert!(units > 0.15 && units < 0.45, "units {units}");
    let po_box = share(&|r| r.street.contains("BOX"));
    assert!(po_box > 0.01 && po_box < 0.06, "po boxes {po_box}");
    let short_zip = share(&|r| r.zip.len() < 5);
    assert!(short_zip > 0.001, "zips without leading zeros {short_zip}");
    let zip4 = share(&|r| r.zip.len() > 5);
    assert!(zip4 > 0.08 && zip4 < 0.2, "zip+4 {zip4}");
    let spelled = share(&|r| r.street.contains(" STREET") || r.street.contains(" AVENUE"));
    let abbreviated = share(&|r| r.street.contains(" ST") || r.street.contains(" AVE"));
    assert!(
        spelled > 0.02 && abbreviated > spelled,
        "{spelled} {abbreviated}"
    );
    assert!(pop.iter().any(|r| r.family_names == "NGUYEN"));
    assert!(pop.iter().any(|r| r.given_names.starts_with("MARIA ")));
    assert!(
        pop.iter()
            .any(|r| r.street.split(' ').any(|w| w == "FIRST" || w == "42ND"))
    );

    // Father/son pairs: a JR and a same-named elder at the same address.
    let mut by_address: HashMap<(&str, &str, &str), Vec<&SynthRecord>> = HashMap::new();
    for r in &pop {
        by_address
            .entry((&r.street, &r.unit, &r.zip))
            .or_default()
            .push(r);
    }
    let pairs = by_address
        .values()
        .filter(|people| {
            people.iter().any(|son| {
                son.suffix == "JR"
                    && people.iter().any(|f| {
                        f.id != son.id
                            && f.given_names == son.given_names
                            && f.family_names == son.family_names
                    })
            })
        })
        .count();
    assert!(pairs > 50, "father/son pairs {pairs}");
    let shared = by_address.values().filter(|p| p.len() > 1).count();
    assert!(
        shared * 3 > by_address.len(),
        "households {shared}/{}",
        by_address.len()
    );
}

fn params(
    seed: u64,
    count: usize,
    present_fraction: f64,
    profile: CorruptionProfile,
) -> RequestParams {
    RequestParams {
        seed,
        count,
        present_fraction,
        profile,
    }
}

#[test]
fn request_is_deterministic_and_complete() {
    let pop = population(3, 20_000);
    let p = params(9, 2_001, 0.6, CorruptionProfile::REALISTIC);
    let (records, truth) = request(&pop, &p).unwrap();
    let (records2, truth2) = request(&pop, &p).unwrap();
    assert_eq!(records, records2);
    assert_eq!(truth, truth2);
    let (records3, _) = request(&pop, &RequestParams { seed: 10, ..p }).unwrap();
    assert_ne!(records, records3);

    assert_eq!(records.len(), 2_001);
    assert_eq!(truth.len(), 2_001);
    assert_eq!(truth.iter().filter(|t| t.present).count(), 1_201);
    let by_id: HashMap<&str, &SynthRecord> = pop.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut holders = HashSet::new();
    for (r, t) in records.iter().zip(&truth) {
        assert_eq!(r.record.id, t.request_record_id);
        assert!(
            r.case_ref.starts_with("CI-") && r.final_order_ref.starts_with("FO-"),
            "{r:?}"
        );
        match (&t.holder_record_id, t.present) {
            (Some(h), true) => {
                assert!(by_id.contains_key(h.as_str()), "{h}");
                assert!(holders.insert(h.clone()), "{h} requested twice");
                assert_eq!(
                    t.address_current,
                    Some(!t.corruptions.contains(&Corruption::MovedAddress))
                );
            }
            (None, false) => {
                assert_eq!(t.address_current, None);
                assert!(!t.corruptions.contains(&Corruption::MovedAddress));
            }
            other => panic!("inconsistent truth {other:?}"),
        }
    }
    let orders: HashSet<&str> = records.iter().map(|r| r.final_order_ref.as_str()).collect();
    assert_eq!(orders.len(), records.len());
}

#[test]
fn clean_requests_copy_holders_and_absent_people_are_new() {
    let pop = population(4, 30_000);
    let (records, truth) = request(&pop, &params(2, 3_000, 0.5, CorruptionProfile::CLEAN)).unwrap();
    let by_id: HashMap<&str, &SynthRecord> = pop.iter().map(|r| (r.id.as_str(), r)).collect();
    let zip5 = |z: &str| {
        format!(
            "{:0>5}",
            z.split('-')
                .next()
                .unwrap()
                .chars()
                .take(5)
                .collect::<String>()
        )
    };
    let name_zip: HashSet<(String, String, String)> = pop
        .iter()
        .map(|r| (r.given_names.clone(), r.family_names.clone(), zip5(&r.zip)))
        .collect();
    let name_dob: HashSet<(&str, &str, &str)> = pop
        .iter()
        .filter_map(|r| {
            Some((
                r.given_names.as_str(),
                r.family_names.as_str(),
                r.dob.as_deref()?,
            ))
        })
        .collect();
    let name_address: HashSet<(&str, &str, &str, &str)> = pop
        .iter()
        .map(|r| {
            (
                r.given_names.as_str(),
                r.family_names.as_str(),
                r.street.as_str(),
                r.zip.as_str(),
            )
        })
        .collect();
    for (r, t) in records.iter().zip(&truth) {
        assert!(t.corruptions.is_empty(), "{t:?}");
        let rec = &r.record;
        match &t.holder_record_id {
            Some(h) => {
                let holder = by_id[h.as_str()];
                assert_eq!(
                    SynthRecord {
                        id: holder.id.clone(),
                        ..rec.clone()
                    },
                    *holder,
                    "clean copy"
                );
            }
            None => {
                let key = (
                    rec.given_names.clone(),
                    rec.family_names.clone(),
                    zip5(&rec.zip),
                );
                assert!(
                    !name_zip.contains(&key),
                    "namesake in the same ZIP: {rec:?}"
                );
                if let Some(dob) = rec.dob.as_deref() {
                    assert!(!name_dob.contains(&(&rec.given_names, &rec.family_names, dob)));
                }
                let copy = (
                    &*rec.given_names,
                    &*rec.family_names,
                    &*rec.street,
                    &*rec.zip,
                );
                assert!(!name_address.contains(&copy), "copied: {rec:?}");
            }
        }
    }
}

/// Observed rate of each corruption among eligible present rows.
fn observed_rates(pop: &[SynthRecord], truth: &[TruthRow]) -> HashMap<Corruption, (usize, usize)> {
    let by_id: HashMap<&str, &SynthRecord> = pop.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut counts: HashMap<Corruption, (usize, usize)> = HashMap::new();
    for t in truth.iter().filter(|t| t.present) {
        let holder = by_id[t.holder_record_id.as_deref().unwrap()];
        let moved = t.corruptions.contains(&Corruption::MovedAddress);
        for c in Corruption::ALL {
            // A move replaces the unit, so unit_missing is judged on unmoved rows only.
            if c == Corruption::UnitMissing && moved {
                continue;
            }
            if c.is_eligible(holder) {
                let entry = counts.entry(c).or_default();
                entry.0 += 1;
                entry.1 += usize::from(t.corruptions.contains(&c));
            }
        }
    }
    counts
}

#[test]
fn corruption_rates_match_the_profiles() {
    let pop = population(8, 60_000);
    for profile in [CorruptionProfile::REALISTIC, CorruptionProfile::HARD] {
        let (_, truth) = request(&pop, &params(21, 20_000, 1.0, profile)).unwrap();
        let counts = observed_rates(&pop, &truth);
        for c in Corruption::ALL {
            let (eligible, hit) = counts.get(&c).copied().unwrap_or_default();
            assert!(eligible >= 100, "{c}: only {eligible} eligible rows");
            let rate = profile.rate(c);
            let observed = hit as f64 / eligible as f64;
            let tolerance = 0.02 + 4.0 * (rate * (1.0 - rate) / eligible as f64).sqrt();
            assert!(
                (observed - rate).abs() < tolerance,
                "{c}: observed {observed:.3} over {eligible} rows, configured {rate}"
            );
        }
    }
}

#[test]
fn csv_round_trips() {
    let pop = population(6, 3_000);
    let bytes = population_csv(&pop);
    assert_eq!(read_population(bytes.as_slice()).unwrap(), pop);

    let (records, truth) = request(&pop, &params(6, 800, 0.6, CorruptionProfile::HARD)).unwrap();
    let mut out = Vec::new();
    write_request(&mut out, &records).unwrap();
    assert!(out.starts_with(
        b"record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob,case_ref,final_order_ref\n"
    ));
    assert_eq!(read_request(out.as_slice()).unwrap(), records);

    let mut out = Vec::new();
    write_truth(&mut out, &truth).unwrap();
    assert!(
        out.starts_with(
            b"request_record_id,holder_record_id,present,address_current,corruptions\n"
        )
    );
    assert_eq!(read_truth(out.as_slice()).unwrap(), truth);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn any_record() -> impl Strategy<Value = SynthRecord> {
        // Any text, including commas, quotes, newlines and non-ASCII; an empty dob is None.
        (
            proptest::collection::vec(".*", 9),
            proptest::option::of("[0-9-]{1,10}"),
        )
            .prop_map(|(f, dob)| SynthRecord {
                id: f[0].clone(),
                given_names: f[1].clone(),
                family_names: f[2].clone(),
                suffix: f[3].clone(),
                street: f[4].clone(),
                unit: f[5].clone(),
                city: f[6].clone(),
                state: f[7].clone(),
                zip: f[8].clone(),
                dob,
            })
    }

    proptest! {
        #[test]
        fn any_population_round_trips(records in proptest::collection::vec(any_record(), 1..8)) {
            let bytes = population_csv(&records);
            prop_assert_eq!(read_population(bytes.as_slice()).unwrap(), records);
        }

        #[test]
        fn readers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = read_population(bytes.as_slice());
            let _ = read_request(bytes.as_slice());
            let _ = read_truth(bytes.as_slice());
        }
    }
}
