//! `irs epoch rotate`: a new key and epoch become current, holder.json follows, the old
//! epoch stays on disk.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use blindlink_core::fingerprint::EncodedSet;
use common::{Workspace, csv_text, people};
use irs::holder_info::HolderInfo;

#[test]
fn rotate_switches_to_a_new_key_and_keeps_the_old_epoch() {
    let ws = Workspace::new();
    let rows = people(120, 0);
    ws.setup(&rows);
    let old_epoch = ws.current_epoch();
    let old_info = serde_json::from_value::<HolderInfo>(ws.holder_json()).unwrap();
    let old_set = std::fs::read(ws.epoch_dir(old_epoch).join("set.bin")).unwrap();

    let input = ws.write("t2.csv", &csv_text(&rows));
    let text = ws.irs_ok(&["epoch", "rotate", "--input", input.to_str().unwrap()]);
    let new_epoch = ws.current_epoch();
    assert_ne!(new_epoch, old_epoch);
    let old_dir = ws.epoch_dir(old_epoch);
    assert!(
        text.contains(&old_dir.display().to_string()),
        "old epoch dir not printed: {text}"
    );

    let info = serde_json::from_value::<HolderInfo>(ws.holder_json()).unwrap();
    assert_eq!(info.key_epoch, new_epoch);
    assert_ne!(info.oprf_public_key, old_info.oprf_public_key);
    assert_eq!(info.noise_public_key, old_info.noise_public_key);
    assert_eq!(
        info.oprf_public_key,
        ws.oprf_key(new_epoch).public_key().to_bytes()
    );
    // Same people, new key: same size, entirely different fingerprints.
    let new_set = ws.set(new_epoch);
    info.check_set(&new_set).unwrap();
    let old = EncodedSet::from_bytes(&old_set, u64::MAX).unwrap();
    assert_eq!(new_set.len(), old.len());
    assert!(new_set.fingerprints().iter().all(|fp| !old.contains(*fp)));
    // The old epoch's files are untouched, and the old holder info no longer matches.
    assert_eq!(std::fs::read(old_dir.join("set.bin")).unwrap(), old_set);
    assert!(old_dir.join("oprf.key").is_file());
    assert!(old_info.check_set(&new_set).is_err());

    // JSON form of a second rotation names the previous epoch directory.
    let out = ws.irs_json(&["epoch", "rotate", "--input", input.to_str().unwrap()]);
    assert_eq!(
        out["previous_epoch_dir"].as_str().unwrap(),
        ws.epoch_dir(new_epoch).display().to_string()
    );
    assert_eq!(
        out["encoded"]["previous_epoch"].as_str().unwrap(),
        new_epoch.to_hex()
    );
    assert_ne!(ws.current_epoch(), new_epoch);
    assert_eq!(
        std::fs::read_dir(ws.state().join("epochs"))
            .unwrap()
            .count(),
        3
    );
}

#[test]
fn a_failed_rotation_keeps_the_current_epoch() {
    let ws = Workspace::new();
    ws.setup(&people(50, 0));
    let epoch = ws.current_epoch();
    let holder = std::fs::read(ws.state().join("holder.json")).unwrap();
    let bad = ws.write("bad.csv", "record_id,given_names\n1,Ann\n");
    let out = ws.irs(&["epoch", "rotate", "--input", bad.to_str().unwrap()]);
    let err = common::assert_one_line_error(&out, 2);
    assert!(err.contains("irs ingest --epoch"), "{err}");
    assert_eq!(ws.current_epoch(), epoch);
    assert_eq!(
        std::fs::read(ws.state().join("holder.json")).unwrap(),
        holder
    );
}
