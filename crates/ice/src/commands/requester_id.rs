//! The requester id this state directory is configured with (DIR/requester-id, written
//! by `ice keygen --requester-id`): the id the holder binds to this Noise key. A request
//! prepared under another id would be approved and then refused `wrong-requester`, so
//! `ice prepare` refuses it first, before anything reaches an approver.

use std::path::{Path, PathBuf};

use anyhow::anyhow;
use blindlink_protocol::manifest::RequesterId;

use blindlink_cli::failure::{Blame, Failure};

/// The file in the state directory.
pub fn path(dir: &Path) -> PathBuf {
    dir.join("requester-id")
}

/// Writes `id` (one line) to the state directory.
pub fn write(dir: &Path, id: &RequesterId) -> Result<(), Failure> {
    let line = format!("{}\n", id.as_str());
    blindlink_store::write_atomic(&path(dir), line.as_bytes(), 0o644)
        .other("cannot write the requester id")
}

/// The configured id, if the state directory has one.
pub fn configured(dir: &Path) -> Result<Option<RequesterId>, Failure> {
    let file = path(dir);
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Failure::input(
                anyhow!(e).context(format!("cannot read {}", file.display())),
            ));
        }
    };
    RequesterId::new(text.trim_end_matches('\n'))
        .map(Some)
        .input(format!(
            "{} does not hold a valid requester id",
            file.display()
        ))
}

/// `given` must be the configured id, when there is one.
pub fn check(dir: &Path, given: &RequesterId) -> Result<(), Failure> {
    match configured(dir)? {
        Some(configured) if configured != *given => Err(Failure::input(anyhow!(
            "--requester-id {given} is not this requester's id: {} says {configured}, the id the \
             holder allows this key under (the holder would refuse the request as \
             wrong-requester after approval); nothing was written",
            path(dir).display(),
            given = given.as_str(),
            configured = configured.as_str(),
        ))),
        Some(_) => Ok(()),
        None => {
            tracing::info!(
                "{} is missing: cannot check --requester-id against the id the holder allows \
                 (run `ice keygen --requester-id ID` to record it)",
                path(dir).display()
            );
            Ok(())
        }
    }
}
