//! End to end, real binaries: a holder that does not play along. Each case is caught by
//! the side that must catch it, with a clear error, and no results file is written.
//!
//! Before the signed statement, `ice` took holder.json as given: a substituted OPRF key,
//! an unsigned file or another holder's file were all accepted, and an edited policy file
//! was served without a trace.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::Output;

use blindlink_testkit::rogue::{HolderAnswer, RogueRequester};
use common::{REQUESTER_ID, World, answered, failed};

/// `ice prepare` of `request` against `holder_json`, as the requester runs it.
fn prepare_with(w: &World, request: &Path, holder_json: &Path) -> Output {
    let bundle = w.path("rogue.bundle");
    let mut cmd = w.bins.command("ice");
    cmd.args(["prepare", "--dir"])
        .arg(w.ice.dir())
        .arg("--request")
        .arg(request)
        .arg("--holder")
        .arg(holder_json)
        .args([
            "--requester-id",
            REQUESTER_ID,
            "--legal-basis",
            "test",
            "--force",
        ])
        .arg("--out")
        .arg(&bundle)
        .arg("--manifest-out")
        .arg(w.path("rogue.manifest.json"));
    let out = cmd.output().unwrap();
    assert!(
        !bundle.exists() || out.status.success(),
        "a bundle was written"
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn refused_by_ice(out: &Output, needle: &str) {
    assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
    assert!(stderr(out).contains(needle), "{}", stderr(out));
}

/// holder.json with `edit` applied to its JSON.
fn edited_statement(
    w: &World,
    name: &str,
    edit: impl FnOnce(&mut serde_json::Value),
) -> std::path::PathBuf {
    let mut value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.holder.holder_json()).unwrap()).unwrap();
    edit(&mut value);
    let path = w.path(name);
    std::fs::write(&path, serde_json::to_vec_pretty(&value).unwrap()).unwrap();
    path
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// holder.json re-signed with the holder's identity key, valid until an hour ago.
fn expired_statement(w: &World) -> std::path::PathBuf {
    use blindlink_protocol::statement::{HolderStatement, UnverifiedStatement};
    use blindlink_store::key_file::{self, IdentityPublic, IdentitySecret};
    let dir = w.holder.dir();
    let key = key_file::read::<IdentitySecret>(&dir.join("identity.key")).unwrap();
    let public = key_file::read::<IdentityPublic>(&dir.join("identity.pub")).unwrap();
    let current = UnverifiedStatement::from_json(&std::fs::read(w.holder.holder_json()).unwrap())
        .unwrap()
        .verify(&public, now(), 0)
        .unwrap();
    let mut body = current.body().clone();
    body.issued_at = now() - 40 * 86_400;
    body.valid_until = now() - 3_600;
    let path = w.path("expired.json");
    std::fs::write(&path, HolderStatement::sign(body, &key).to_json()).unwrap();
    path
}

#[test]
fn ice_refuses_a_statement_the_pinned_holder_key_did_not_sign() {
    let w = World::new();
    let (request, _) = w.request("r", 20, 3, "realistic");

    // A substituted OPRF key (another valid point: the epoch key of a second holder).
    let other = World::new();
    let other_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(other.holder.holder_json()).unwrap()).unwrap();
    let substituted = edited_statement(&w, "substituted.json", |v| {
        v["epoch"]["oprf_public_key"] = other_json["epoch"]["oprf_public_key"].clone();
    });
    refused_by_ice(
        &prepare_with(&w, &request, &substituted),
        "signature does not verify",
    );

    // A shorter fingerprint length, or a smaller set, announced by an edited file.
    let short = edited_statement(&w, "short.json", |v| {
        v["epoch"]["fingerprint_bits"] = 1.into()
    });
    refused_by_ice(
        &prepare_with(&w, &request, &short),
        "signature does not verify",
    );

    // Another holder's correctly signed statement: not the pinned key.
    refused_by_ice(
        &prepare_with(&w, &request, &other.holder.holder_json()),
        "not by the pinned holder key",
    );

    // The unsigned holder.json of before (format 1).
    let unsigned = edited_statement(&w, "unsigned.json", |v| *v = v["epoch"].clone());
    refused_by_ice(
        &prepare_with(&w, &request, &unsigned),
        "not a signed holder statement",
    );

    // Expired: a statement the holder's own key signed, whose validity ended an hour ago.
    let expired = expired_statement(&w);
    refused_by_ice(&prepare_with(&w, &request, &expired), "expired");

    // Nothing was prepared from any of them; the genuine statement still works.
    assert!(!w.path("rogue.bundle").exists());
    let out = prepare_with(&w, &request, &w.holder.holder_json());
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_set_changed_after_approval_is_refused_by_ice_and_by_the_holder() {
    let w = World::new();
    let (request, _) = w.request("r", 30, 4, "realistic");
    let bundle = w.prepare(&request, "before.bundle");
    let approval = w.sign(&w.secretary, &bundle.bundle);
    // The holder re-encodes its set under the same epoch and key after the approval.
    let smaller = w.path("smaller.csv");
    let text = std::fs::read_to_string(&w.population).unwrap();
    let keep: Vec<&str> = text.lines().take(2_000).collect();
    std::fs::write(&smaller, keep.join("\n") + "\n").unwrap();
    let mut cmd = w.bins.command("irs");
    cmd.arg("--dir")
        .arg(w.holder.dir())
        .args(["ingest", "--force", "--input"])
        .arg(&smaller);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let server = w.serve();

    // ice compares the new signed statement with what the approvers signed.
    let results = w.path("before.results.csv");
    let line = failed(w.query(&server, &bundle.bundle, &[&approval]));
    assert!(line.contains("set hash"), "{line}");
    assert!(!results.exists());
    // Sent anyway, the holder refuses a manifest for a set it no longer serves.
    let rogue = RogueRequester::from_ice_dir(w.ice.dir(), REQUESTER_ID).unwrap();
    match rogue
        .submit(
            server.addr(),
            &w.holder.holder_json(),
            &bundle.bundle,
            &[&approval],
        )
        .unwrap()
    {
        HolderAnswer::Refused { code, .. } => assert_eq!(code, "stale-set"),
        other => panic!("expected a stale-set refusal, got {other:?}"),
    }
    // Prepared again from the new statement, it is answered.
    let fresh = w.prepare(&request, "after.bundle");
    let approval = w.sign(&w.secretary, &fresh.bundle);
    answered(w.query(&server, &fresh.bundle, &[&approval]));
    w.assert_audits_intact();
}

#[test]
fn a_policy_edited_outside_policy_apply_is_refused_and_every_apply_is_audited() {
    let w = World::new();
    let policy_path = w.holder.dir().join("policy.toml");
    let statement: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.holder.holder_json()).unwrap()).unwrap();
    let applied = statement["policy"]["digest"].as_str().unwrap().to_owned();
    assert!(
        w.holder_audit()
            .iter()
            .any(|e| e["kind"] == "policy-applied"
                && e["details"]["action"] == "policy-apply"
                && e["details"]["policy_sha256"] == applied.as_str()),
        "the applied policy's digest is in the log and in holder.json"
    );

    // Raise a limit by editing the file: serve refuses to start on it.
    let text = std::fs::read_to_string(&policy_path).unwrap();
    std::fs::write(&policy_path, format!("{text}\n# edited\n")).unwrap();
    let mut cmd = w.bins.command("irs");
    cmd.arg("--dir")
        .arg(w.holder.dir())
        .args(["serve", "--listen", "127.0.0.1:0", "--allow-requester"])
        .arg(format!(
            "{REQUESTER_ID}={}",
            w.ice.noise_public_key_file().display()
        ));
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("edited outside `irs policy apply`"),
        "{}",
        stderr(&out)
    );
    // holder.json was not re-signed with the edited policy.
    let after: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.holder.holder_json()).unwrap()).unwrap();
    assert_eq!(after["policy"]["digest"], applied.as_str());

    // Applying it is the audited way; then it serves.
    let server = w.serve();
    let serve_starts: Vec<_> = w
        .holder_audit()
        .into_iter()
        .filter(|e| e["details"]["action"] == "serve-start")
        .collect();
    assert_eq!(
        serve_starts.len(),
        1,
        "one start was audited, the refused one was not"
    );
    assert_eq!(
        serve_starts[0]["details"]["requesters"][0]["id"],
        REQUESTER_ID
    );
    drop(server);
    w.assert_audits_intact();
}
