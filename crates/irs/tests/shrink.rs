//! The rail on replacing the served set (`irs ingest`; `merge` and `epoch rotate` share
//! it): an empty set, or one below `--min-share` of the served one, is refused without
//! `--force`, and the refusal changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Workspace, assert_one_line_error, csv_text, people};

/// Fails before: an input whose rows give no keys was encoded into an empty set and made
/// current with exit code 0, replacing the served set.
#[test]
fn an_empty_or_much_smaller_set_is_not_made_current_without_force() {
    let ws = Workspace::new();
    ws.setup(&people(40, 0));
    let served = ws.set(ws.current_epoch()).len();
    assert!(served > 0);
    let set_path = ws.epoch_dir(ws.current_epoch()).join("set.bin");
    let holder_json = std::fs::read(ws.state().join("holder.json")).unwrap();
    let set_bytes = std::fs::read(&set_path).unwrap();
    let unchanged = |what: &str| {
        assert_eq!(
            std::fs::read(ws.state().join("holder.json")).unwrap(),
            holder_json,
            "{what}: holder.json"
        );
        assert_eq!(
            std::fs::read(&set_path).unwrap(),
            set_bytes,
            "{what}: set.bin"
        );
    };

    // The measured case: a ZIP column blank in every row, so no record has a key.
    let mut no_zip = people(40, 0);
    for row in &mut no_zip {
        row[8].clear();
    }
    let empty = ws.write("no-zip.csv", &csv_text(&no_zip));
    let empty = empty.to_str().unwrap();
    let err = assert_one_line_error(&ws.irs(&["ingest", "--input", empty]), 2);
    assert!(
        err.contains("empty") && err.contains("nothing changed"),
        "{err}"
    );
    unchanged("empty");

    let few = ws.write("few.csv", &csv_text(&people(8, 0)));
    let few = few.to_str().unwrap();
    let err = assert_one_line_error(&ws.irs(&["ingest", "--input", few]), 2);
    assert!(
        err.contains("--min-share") && err.contains("--force"),
        "{err}"
    );
    unchanged("smaller");

    // Asked for: a lower share, or --force.
    ws.irs_ok(&["ingest", "--input", few, "--min-share", "0.1"]);
    assert!(ws.set(ws.current_epoch()).len() < served);
    ws.irs_ok(&["ingest", "--input", empty, "--force"]);
    assert_eq!(ws.set(ws.current_epoch()).len(), 0);
}
