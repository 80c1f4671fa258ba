//! `--version`, `completions` and `man`, the same in every binary (real binaries).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Stdio;

use blindlink_testkit::Binaries;

const BINARIES: [&str; 4] = ["irs", "ice", "approve", "synth"];

fn stdout_of(bins: &Binaries, name: &str, args: &[&str]) -> String {
    let out = bins
        .command(name)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{name} {args:?}: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_binary_names_its_commit_protocol_and_rules() {
    let bins = Binaries::build(false).unwrap();
    for name in BINARIES {
        let text = stdout_of(&bins, name, &["--version"]);
        assert!(text.starts_with(&format!("{name} 0.")), "{text}");
        for part in ["commit ", "protocol 2", "match keys blindlink/v1"] {
            assert!(text.contains(part), "{name}: {text}");
        }
    }
}

#[test]
fn every_binary_writes_completions_and_man_pages() {
    let bins = Binaries::build(false).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    for name in BINARIES {
        let script = stdout_of(&bins, name, &["completions", "bash"]);
        assert!(script.contains(&format!("_{name}()")), "{name}: {script}");
        let zsh = stdout_of(&bins, name, &["completions", "zsh"]);
        assert!(zsh.starts_with(&format!("#compdef {name}")), "{name}");
        let page = stdout_of(&bins, name, &["man"]);
        assert!(page.contains(&format!(".TH {name} 1")), "{name}: {page}");
        let dir = tmp.path().join(name);
        stdout_of(&bins, name, &["man", "--out-dir", dir.to_str().unwrap()]);
        assert!(dir.join(format!("{name}.1")).exists(), "{name}");
        assert!(!dir.join(format!("{name}-man.1")).exists(), "{name}");
    }
    let dir = tmp.path().join("irs");
    assert!(dir.join("irs-serve.1").exists());
    assert!(dir.join("irs-audit-verify.1").exists());
}
