//! Section 7 of the demo: a holder that does not play along. `ice` verifies every
//! holder.json against the identity key it pinned, and the approvers sign the OPRF key
//! and the set, so a substituted key is refused before anything is prepared or sent.

use anyhow::{Result, bail};
use blindlink_testkit::{LocalError, Prepare};

use super::stage::{LEGAL_BASIS, Stage};

/// Shows `ice` refusing a holder.json whose OPRF key was replaced by another valid one.
pub fn show(stage: &Stage) -> Result<()> {
    let mut statement: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&stage.holder_json)?)?;
    // Another valid ristretto255 element: the generator's encoding (RFC 9496).
    statement["epoch"]["oprf_public_key"] =
        "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76".into();
    let rogue = stage.path("rogue-holder.json");
    std::fs::write(&rogue, serde_json::to_vec_pretty(&statement)?)?;
    println!("  a holder.json whose OPRF public key was swapped for another valid key");
    println!("  (a holder minting a key per requester would do this to tell requesters apart):");
    let outcome = stage.ice.prepare(&Prepare {
        request: &stage.request,
        holder_json: &rogue,
        bundle: &stage.path("rogue.bundle"),
        legal_basis: LEGAL_BASIS,
        now: None,
        valid_for: None,
    });
    match outcome {
        Err(LocalError::Failed { stderr, .. }) if stderr.contains("signature does not verify") => {
            println!(
                "      ice prepare: {}",
                stderr.lines().next().unwrap_or("").trim()
            );
        }
        Err(other) => bail!("ice failed for another reason: {other}"),
        Ok(_) => bail!("ice prepared a request from a holder.json the holder did not sign"),
    }
    if stage.path("rogue.bundle").exists() {
        bail!("a bundle was written from the rogue holder.json");
    }
    println!("      nothing was prepared; the manifest of every approved request names the");
    println!("      OPRF key and set hash, so the holder cannot answer it with another key either");
    Ok(())
}
