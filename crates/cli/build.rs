//! Records the git commit (HEAD) the binaries were built from, for `--version`;
//! uncommitted changes are not marked. A build from
//! a tree without git (a source tarball) says `unknown` instead of failing.

use std::path::PathBuf;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn main() {
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=BLINDLINK_GIT_COMMIT={commit}");
    // Rebuild when HEAD moves (a commit, a checkout) but not on every build.
    if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        let dir = PathBuf::from(dir);
        println!("cargo:rerun-if-changed={}", dir.join("HEAD").display());
        let common = git(&["rev-parse", "--path-format=absolute", "--git-common-dir"]);
        if let (Some(head), Some(common)) = (git(&["symbolic-ref", "-q", "HEAD"]), common) {
            let branch = PathBuf::from(common).join(head);
            println!("cargo:rerun-if-changed={}", branch.display());
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}
