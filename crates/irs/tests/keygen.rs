//! `irs keygen`: files, modes, refusal to overwrite, refusal of widened key files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{Workspace, assert_one_line_error, people};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn keygen_writes_private_secrets_and_prints_only_public_keys() {
    let ws = Workspace::new();
    let out = ws.irs_json(&["keygen"]);
    let state = ws.state();
    let epoch = out["key_epoch"].as_str().unwrap();
    let epoch_dir = state.join("epochs").join(epoch);

    assert_eq!(mode(&state.join("noise.key")), 0o600);
    assert_eq!(mode(&epoch_dir.join("oprf.key")), 0o600);
    assert_eq!(mode(&state.join("noise.pub")), 0o644);
    assert_eq!(mode(&state), 0o700);

    let noise_pub = std::fs::read_to_string(state.join("noise.pub")).unwrap();
    let noise_public = out["noise_public_key"].as_str().unwrap();
    assert_eq!(
        noise_pub,
        format!("blindlink-noise-public-key-v1 {noise_public}\n")
    );
    // The secret key files hold the secrets; stdout must not.
    let stdout = serde_json::to_string(&out).unwrap();
    for secret_file in [state.join("noise.key"), epoch_dir.join("oprf.key")] {
        let line = std::fs::read_to_string(&secret_file).unwrap();
        let hex = line.split_whitespace().nth(1).unwrap();
        assert_eq!(hex.len(), 64);
        assert!(!stdout.contains(hex));
    }
    // The OPRF public key printed is the one of the stored secret key.
    let sk = ws.oprf_key(blindlink_protocol::manifest::KeyEpoch::from_hex(epoch).unwrap());
    assert_eq!(
        out["oprf_public_key"].as_str().unwrap(),
        hex::encode(sk.public_key().to_bytes())
    );
    // Not current until ingested.
    assert!(!state.join("current-epoch").exists());
    assert!(out["current_epoch"].is_null());
}

#[test]
fn keygen_refuses_to_overwrite_without_force() {
    let ws = Workspace::new();
    ws.irs_ok(&["keygen"]);
    let before = std::fs::read(ws.state().join("noise.key")).unwrap();
    let err = assert_one_line_error(&ws.irs(&["keygen"]), 2);
    assert!(
        err.contains("noise.key") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read(ws.state().join("noise.key")).unwrap(), before);
}

#[test]
fn keygen_force_replaces_the_noise_key_keeps_epochs_and_updates_holder_info() {
    let ws = Workspace::new();
    ws.setup(&people(40, 0));
    let first_epoch = ws.current_epoch();
    let old_noise = ws.holder_json()["noise_public_key"].clone();

    let out = ws.irs_json(&["keygen", "--force"]);
    assert_ne!(out["noise_public_key"], old_noise);
    assert_ne!(out["key_epoch"].as_str().unwrap(), first_epoch.to_hex());
    // The served epoch stays; holder.json now announces the new Noise key.
    assert_eq!(ws.current_epoch(), first_epoch);
    assert_eq!(out["current_epoch"].as_str().unwrap(), first_epoch.to_hex());
    assert_eq!(
        ws.holder_json()["noise_public_key"],
        out["noise_public_key"]
    );
    assert!(ws.epoch_dir(first_epoch).join("set.bin").is_file());
}

#[test]
fn a_widened_key_file_is_refused_by_name() {
    let ws = Workspace::new();
    ws.irs_ok(&["keygen"]);
    let input = ws.write("t.csv", &common::csv_text(&people(20, 0)));
    let input = input.to_str().unwrap();

    let noise_key = ws.state().join("noise.key");
    std::fs::set_permissions(&noise_key, std::fs::Permissions::from_mode(0o644)).unwrap();
    // Exit code 2, as for a widened key in every binary (README "Exit codes").
    let err = assert_one_line_error(&ws.irs(&["ingest", "--input", input]), 2);
    assert!(err.contains(&noise_key.display().to_string()), "{err}");
    assert!(err.contains("0644"), "{err}");
    std::fs::set_permissions(&noise_key, std::fs::Permissions::from_mode(0o600)).unwrap();

    let epoch_dir = std::fs::read_dir(ws.state().join("epochs"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let oprf_key = epoch_dir.join("oprf.key");
    std::fs::set_permissions(&oprf_key, std::fs::Permissions::from_mode(0o640)).unwrap();
    let err = assert_one_line_error(&ws.irs(&["ingest", "--input", input]), 2);
    assert!(err.contains(&oprf_key.display().to_string()), "{err}");
    assert!(!epoch_dir.join("set.bin").exists());

    std::fs::set_permissions(&oprf_key, std::fs::Permissions::from_mode(0o600)).unwrap();
    ws.irs_ok(&["ingest", "--input", input]);
}

#[test]
fn commands_before_keygen_say_what_to_do() {
    let ws = Workspace::new();
    let input = ws.write("t.csv", &common::csv_text(&people(5, 0)));
    let err = assert_one_line_error(&ws.irs(&["ingest", "--input", input.to_str().unwrap()]), 2);
    assert!(err.contains("irs keygen"), "{err}");
    let err = assert_one_line_error(
        &ws.irs(&["epoch", "rotate", "--input", input.to_str().unwrap()]),
        2,
    );
    assert!(err.contains("irs keygen"), "{err}");
}
