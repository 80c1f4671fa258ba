//! `irs ingest`: the set holds the holder-side fingerprints of the file, shared keys are
//! dropped, bad input is refused, and `set.bin` is never left half written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::{Command, Stdio};

use blindlink_core::fingerprint::{EncodedSet, fingerprint};
use blindlink_core::match_key::{KeySide, MatchKey, RuleSet, match_keys};
use blindlink_core::normalize::normalize;
use blindlink_core::oprf::{
    BlindedBatch, Mode, PublicKey, SecretKey, blind_batch, blind_evaluate_and_prove,
    evaluate_batch, verify_and_finalize,
};
use blindlink_core::record::Record;
use common::{Workspace, assert_one_line_error, csv_text, people, temp_files};

fn record(row: &[String]) -> Record {
    let fields: Vec<&str> = row.iter().map(String::as_str).collect();
    Record::from_fields(fields.try_into().unwrap())
}

fn keys(row: &[String], side: KeySide) -> Vec<MatchKey> {
    match_keys(&normalize(&record(row)), RuleSet::default_policy(), side)
}

/// The holder's own evaluation of `keys`, as fingerprints of the set's length.
fn holder_fingerprints(sk: &SecretKey, keys: &[MatchKey], set: &EncodedSet) -> Vec<u128> {
    let inputs: Vec<&[u8]> = keys.iter().map(|k| k.bytes.as_slice()).collect();
    evaluate_batch(Mode::Voprf, sk, &inputs)
        .unwrap()
        .iter()
        .map(|o| fingerprint(o, set.bits()))
        .collect()
}

#[test]
fn the_set_holds_the_fingerprints_of_the_file() {
    let ws = Workspace::new();
    let rows = people(300, 0);
    let out = ws.setup(&rows);
    let epoch = ws.current_epoch();
    let set = ws.set(epoch);
    let summary = &out["summary"];

    assert_eq!(summary["set"]["size"].as_u64().unwrap(), set.len() as u64);
    assert_eq!(summary["records"]["read"], 300);
    assert_eq!(summary["records"]["skipped"], 0);
    assert_eq!(summary["keys"]["kept"]["R1"], 300);
    assert_eq!(set.params().key_epoch, *epoch.as_bytes());
    assert_eq!(set.params().rule_set, RuleSet::default_policy().bits());
    assert_eq!(
        set.bits(),
        blindlink_core::fingerprint::fingerprint_bits(1 << 20, set.len() as u64)
    );
    // ingest.json on disk is the summary printed.
    let on_disk: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.epoch_dir(epoch).join("ingest.json")).unwrap())
            .unwrap();
    assert_eq!(&on_disk, summary);
    assert_eq!(summary["set"]["hash"], ws.holder_json()["set_hash"]);
    assert_eq!(
        summary["set"]["hash"].as_str().unwrap(),
        hex::encode(set.content_hash())
    );

    let sk = ws.oprf_key(epoch);
    let mut all = 0;
    for row in rows.iter().step_by(37) {
        let keys = keys(row, KeySide::Holder);
        assert!(!keys.is_empty());
        for fp in holder_fingerprints(&sk, &keys, &set) {
            assert!(set.contains(fp), "record {} missing", row[0]);
            all += 1;
        }
    }
    assert!(all >= 16);
    // A person not in the file is not in the set.
    let stranger = &people(1, 5_000)[0];
    let mut stranger = stranger.clone();
    stranger[1] = "Zebulon".to_owned();
    for fp in holder_fingerprints(&sk, &keys(&stranger, KeySide::Holder), &set) {
        assert!(!set.contains(fp));
    }
}

#[test]
fn a_requester_finds_a_record_through_the_blinded_voprf_exchange() {
    let ws = Workspace::new();
    let rows = people(60, 0);
    ws.setup(&rows);
    let epoch = ws.current_epoch();
    let set = ws.set(epoch);
    let sk = ws.oprf_key(epoch);
    let holder = ws.holder_json();
    let pk_bytes: [u8; 32] = hex::decode(holder["oprf_public_key"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let pk = PublicKey::from_bytes(&pk_bytes).unwrap();

    let mut rng = rand::rng();
    let asked = keys(&rows[17], KeySide::Requester);
    let inputs: Vec<&[u8]> = asked.iter().map(|k| k.bytes.as_slice()).collect();
    let (blinds, blinded) = blind_batch(Mode::Voprf, &inputs, &mut rng).unwrap();
    let batch = BlindedBatch::decode(blinded.clone()).unwrap();
    let (evaluated, proofs) = blind_evaluate_and_prove(&sk, &batch, &mut rng).unwrap();
    let outputs = verify_and_finalize(&pk, &inputs, blinds, &blinded, &evaluated, &proofs).unwrap();
    for output in &outputs {
        assert!(set.contains(fingerprint(output, set.bits())));
    }
}

#[test]
fn keys_shared_by_two_records_are_dropped_and_reported() {
    let ws = Workspace::new();
    let mut rows = people(200, 0);
    // The same person twice (two record ids) at one address.
    let mut twin = rows[10].clone();
    twin[0] = "dup-10".to_owned();
    rows.push(twin);
    // Father and son at one address: their suffix-less holder keys collide.
    let mut senior = rows[20].clone();
    senior[0] = "sr".to_owned();
    senior[3] = "SR".to_owned();
    let mut junior = rows[20].clone();
    junior[0] = "jr".to_owned();
    junior[3] = "JR".to_owned();
    rows[20] = senior.clone();
    rows.push(junior.clone());

    let out = ws.setup(&rows);
    let keys_summary = &out["summary"]["keys"];
    // Twin: one shared value per rule. Father/son: the suffix-less R1 and R2 copies.
    assert_eq!(keys_summary["dropped_values"]["R1"], 2);
    assert_eq!(keys_summary["dropped_values"]["R2"], 2);
    assert_eq!(keys_summary["dropped_keys"]["R1"], 4);
    assert_eq!(out["summary"]["records"]["emptied_by_uniqueness"], 2);
    let kept = keys_summary["kept"]["R1"].as_u64().unwrap();
    let derived = keys_summary["derived"]["R1"].as_u64().unwrap();
    assert_eq!(derived - kept, 4);

    let epoch = ws.current_epoch();
    let (set, sk) = (ws.set(epoch), ws.oprf_key(epoch));
    let contains_all = |row: &[String], side| {
        holder_fingerprints(&sk, &keys(row, side), &set)
            .into_iter()
            .map(|fp| set.contains(fp))
            .collect::<Vec<bool>>()
    };
    // The duplicated person cannot be identified: none of their keys is in the set.
    assert!(
        contains_all(&rows[10], KeySide::Requester)
            .iter()
            .all(|c| !c)
    );
    // "JOHN SMITH" without suffix matches neither father nor son; with a suffix, each
    // still matches.
    let mut plain = junior.clone();
    plain[3] = String::new();
    assert!(contains_all(&plain, KeySide::Requester).iter().all(|c| !c));
    assert!(contains_all(&junior, KeySide::Requester).iter().all(|c| *c));
    assert!(contains_all(&senior, KeySide::Requester).iter().all(|c| *c));
}

#[test]
fn a_missing_header_column_is_an_input_error() {
    let ws = Workspace::new();
    ws.irs_ok(&["keygen"]);
    let text = csv_text(&people(10, 0)).replacen(",zip,", ",postcode,", 1);
    let input = ws.write("bad.csv", &text);
    let out = ws.irs(&["ingest", "--input", input.to_str().unwrap()]);
    let err = assert_one_line_error(&out, 2);
    assert!(err.contains("zip") && err.contains("bad.csv"), "{err}");
    assert!(!ws.state().join("current-epoch").exists());

    let missing = ws.irs(&["ingest", "--input", "nowhere.csv"]);
    let err = assert_one_line_error(&missing, 2);
    assert!(err.contains("nowhere.csv"), "{err}");
}

#[test]
fn malformed_rows_are_skipped_up_to_one_percent() {
    let ws = Workspace::new();
    ws.irs_ok(&["keygen"]);
    let mut text = csv_text(&people(300, 0));
    text.push_str("x1,only,three\n");
    text.push_str("x2,Ann,Bee,,1 Elm St,,City,IL,60000,,extra\n");
    let input = ws.write("some-bad.csv", &text);
    let out = ws.irs_json(&["ingest", "--input", input.to_str().unwrap()]);
    let records = &out["summary"]["records"];
    assert_eq!(records["rows"], 302);
    assert_eq!(records["skipped"], 2);
    assert_eq!(records["skipped_by_reason"]["wrong-field-count"], 2);
    assert_eq!(
        records["first_skipped_lines"],
        serde_json::json!([302, 303])
    );

    text.push_str("x3,a,b\nx4,c,d\n");
    let input = ws.write("too-bad.csv", &text);
    let err = assert_one_line_error(&ws.irs(&["ingest", "--input", input.to_str().unwrap()]), 2);
    assert!(err.contains("302, 303, 304, 305"), "{err}");
}

#[test]
fn a_failed_ingest_leaves_the_previous_set_intact() {
    let ws = Workspace::new();
    ws.setup(&people(300, 0));
    let epoch = ws.current_epoch();
    let set_path = ws.epoch_dir(epoch).join("set.bin");
    let before = std::fs::read(&set_path).unwrap();
    let holder_before = std::fs::read(ws.state().join("holder.json")).unwrap();

    // An input error during the run.
    let mut bad = csv_text(&people(50, 1));
    bad.push_str("a,b\nc,d\n");
    let input = ws.write("bad.csv", &bad);
    assert_one_line_error(&ws.irs(&["ingest", "--input", input.to_str().unwrap()]), 2);
    assert_eq!(std::fs::read(&set_path).unwrap(), before);
    assert!(temp_files(&ws.epoch_dir(epoch)).is_empty());

    // A crash in the middle of writing set.bin: the file size limit kills the process
    // (SIGXFSZ) after part of the temporary file is written.
    let other = ws.write("other.csv", &csv_text(&people(300, 3)));
    let crashed = Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 2 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_irs"))
        .args(["ingest", "--input", other.to_str().unwrap(), "--dir"])
        .arg(ws.state())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!crashed.status.success());
    assert_eq!(std::fs::read(&set_path).unwrap(), before, "set.bin changed");
    assert_eq!(
        std::fs::read(ws.state().join("holder.json")).unwrap(),
        holder_before
    );
    assert_eq!(ws.current_epoch(), epoch);
    let leftovers = temp_files(&ws.epoch_dir(epoch));
    assert_eq!(leftovers.len(), 1, "expected the crashed write's temp file");
    assert!(leftovers[0].starts_with(".set.bin."));

    // The next run replaces the set completely and clears the leftover.
    let out = ws.irs_json(&["ingest", "--input", other.to_str().unwrap()]);
    let after = std::fs::read(&set_path).unwrap();
    assert_ne!(after, before);
    let set = EncodedSet::from_bytes(&after, u64::MAX).unwrap();
    assert_eq!(
        out["summary"]["set"]["size"].as_u64().unwrap(),
        set.len() as u64
    );
    assert!(temp_files(&ws.epoch_dir(epoch)).is_empty());
    assert!(temp_files(&ws.state()).is_empty());
}

#[test]
fn rules_and_an_explicit_epoch() {
    let ws = Workspace::new();
    ws.irs_ok(&["keygen"]);
    let epoch = std::fs::read_dir(ws.state().join("epochs"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .file_name()
        .into_string()
        .unwrap();
    let input = ws.write("t.csv", &csv_text(&people(30, 0)));
    let input = input.to_str().unwrap();
    let out = ws.irs_json(&[
        "ingest",
        "--input",
        input,
        "--epoch",
        &epoch,
        "--rules",
        "R1,R4",
        "--max-request-elements",
        "1000",
        "--threads",
        "1",
    ]);
    assert_eq!(out["summary"]["rules"], serde_json::json!(["R1", "R4"]));
    assert_eq!(out["holder_info"]["rules"], serde_json::json!(["R1", "R4"]));
    assert_eq!(out["summary"]["keys"]["kept"]["R4"], 30);
    assert_eq!(out["summary"]["threads"], 1);
    // L = 40 + ceil(log2 1000) + ceil(log2 60).
    assert_eq!(out["summary"]["set"]["fingerprint_bits"], 40 + 10 + 6);

    let err = assert_one_line_error(
        &ws.irs(&["ingest", "--input", input, "--epoch", &"0".repeat(32)]),
        2,
    );
    assert!(err.contains("no OPRF key for epoch"), "{err}");
    let usage = ws.irs(&["ingest", "--input", input, "--rules", "R9"]);
    assert_eq!(usage.status.code(), Some(2));
}
