//! `irs ingest --shard i/n` and `irs merge` through the real binary: shards activate
//! nothing, the merge activates the same set (and holder.json) as an unsharded ingest
//! under the same key, logs it, and refuses an incomplete set with a one-line error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{Workspace, assert_one_line_error, csv_text, people};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// 240 people, then copies of every 7th (shared keys that span shards).
fn rows() -> Vec<Vec<String>> {
    let mut rows = people(240, 3);
    let copies: Vec<Vec<String>> = rows.iter().step_by(7).cloned().collect();
    rows.extend(copies);
    rows
}

#[test]
fn a_merge_of_all_shards_activates_the_unsharded_set() {
    let whole = Workspace::new();
    whole.irs_ok(&["keygen"]);
    let sharded = Workspace::new();
    copy_dir(&whole.state(), &sharded.state());
    let text = csv_text(&rows());
    let input = whole.write("taxpayers.csv", &text);
    let input2 = sharded.write("taxpayers.csv", &text);

    let out = whole.irs_json(&["ingest", "--input", input.to_str().unwrap()]);
    assert!(
        out["summary"]["keys"]["dropped_values"]["R1"]
            .as_u64()
            .unwrap()
            >= 30
    );
    let epoch = whole.current_epoch();

    let mut shard_paths = Vec::new();
    for i in [2, 0, 1] {
        let shard = format!("{i}/3");
        let report = sharded.irs_json(&[
            "ingest",
            "--input",
            input2.to_str().unwrap(),
            "--shard",
            &shard,
        ]);
        assert_eq!(report["shard"], i);
        let path = report["path"].as_str().unwrap().to_owned();
        assert!(path.ends_with(&format!("shard-{i}-of-3.bin")), "{path}");
        shard_paths.push(path);
    }
    // Shards activate nothing.
    assert!(!sharded.state().join("current-epoch").exists());
    assert!(!sharded.epoch_dir(epoch).join("set.bin").exists());

    // An incomplete set is refused, and still nothing is active.
    let err = assert_one_line_error(
        &sharded.irs(&["merge", &shard_paths[0], &shard_paths[1]]),
        2,
    );
    assert!(err.contains("1 of 3 shards missing: 1"), "{err}");
    assert!(!sharded.state().join("current-epoch").exists());

    let mut args = vec!["merge"];
    args.extend(shard_paths.iter().map(String::as_str));
    let merged = sharded.irs_json(&args);
    assert_eq!(sharded.current_epoch(), epoch);
    assert_eq!(merged["summary"]["pipeline"]["shards"], 3);
    let set = |ws: &Workspace| std::fs::read(ws.epoch_dir(epoch).join("set.bin")).unwrap();
    assert_eq!(set(&sharded), set(&whole));
    assert_eq!(sharded.holder_json(), whole.holder_json());
    for field in ["keys", "records", "set"] {
        assert_eq!(merged["summary"][field], out["summary"][field], "{field}");
    }
    let log = std::fs::read_to_string(sharded.state().join("audit.log")).unwrap();
    assert!(log.contains("\"action\":\"ingest\""), "{log}");
    sharded.irs_ok(&["audit", "verify"]);
}
