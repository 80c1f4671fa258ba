//! The request bundle: the requester's secret working file.
//!
//! A [`RequestBundle`] holds everything needed to send a request, check it, finalize
//! the answer and report: the (unsigned) [`Manifest`], the data holder's OPRF public
//! key pinned for the key epoch, every requested [`Record`](blindlink_core::record::Record) with its case reference,
//! final order reference and commitment salt, every match key in send order with the
//! record and [`MatchRule`] it belongs to, the secret [`Blinds`] and the blinded
//! elements. Approvers read the same file and [`RequestBundle::check`] it before they
//! sign: the check recomputes every derived value from the records.
//!
//! Everything here is sans-IO: [`RequestBundle::prepare`] takes the time and an RNG as
//! parameters, [`RequestBundle::to_bytes`] / [`RequestBundle::from_bytes`] turn the
//! bundle into bytes and back (layout in [`encoding`]). The bytes contain the blinds,
//! so callers write them with `blindlink_store::write_secret` (mode 0600).
//!
//! [`RequestBundle::from_bytes`] only checks the structure; a bundle read from disk is
//! untrusted until [`RequestBundle::check`] succeeded.
//!
//! Send order: records in request order, and for each record its keys sorted by rule
//! (strongest first) then bytes, exactly as
//! [`match_keys`](blindlink_core::match_key::match_keys) returns them for
//! [`KeySide::Requester`](blindlink_core::match_key::KeySide::Requester).

mod check;
pub mod encoding;
mod error;
mod prepare;
mod record;
pub mod results;
mod summary;

use core::fmt;
use core::ops::Deref;

use blindlink_core::match_key::{MatchRule, RuleSet};
use blindlink_core::oprf::Blinds;
use zeroize::Zeroize;

use crate::manifest::{KeyEpoch, Manifest};

pub use error::BundleError;
pub use prepare::{PrepareParams, RequestRow};
pub use record::{BundleRecord, MAX_FIELD_BYTES, MAX_RECORD_ID_BYTES};
pub use results::RecordResult;
pub use summary::{BundleSummary, RecordSummary, RuleCount};

/// How far in the future `issued_at` may lie before [`BundleContents::validity_at`]
/// refuses the request (clock skew between the requester and the approver), seconds.
pub const MAX_CLOCK_SKEW_SECS: u64 = 300;

/// Which record and rule a blinded element (match key) belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ElementOwner {
    /// 0-based index of the record in the bundle.
    pub record: u32,
    /// The rule the key was derived for.
    pub rule: MatchRule,
}

/// Everything in a bundle except the blinds. Reached through [`RequestBundle`]
/// (which dereferences to it) or kept on its own after
/// [`RequestBundle::into_parts`] handed the blinds to finalization.
///
/// Holds personal data (records and match keys): `Debug` prints counts only, and the
/// records, keys and salts are zeroized on drop.
pub struct BundleContents {
    manifest: Manifest,
    requested_rules: RuleSet,
    key_epoch: KeyEpoch,
    holder_public_key: [u8; 32],
    records: Vec<BundleRecord>,
    owners: Vec<ElementOwner>,
    keys: Vec<Vec<u8>>,
    blinded: Vec<[u8; 32]>,
}

/// The requester's bundle: [`BundleContents`] plus the secret blinds.
///
/// Not `Clone`; `Debug` prints counts only; the blinds zeroize themselves on drop.
pub struct RequestBundle {
    contents: BundleContents,
    blinds: Blinds,
}

impl BundleContents {
    /// The manifest approvers sign.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The rules the requester asked for (the manifest lists those that produced keys).
    pub fn requested_rules(&self) -> RuleSet {
        self.requested_rules
    }

    /// The holder's key epoch the request is for.
    pub fn key_epoch(&self) -> KeyEpoch {
        self.key_epoch
    }

    /// The holder's OPRF public key pinned for the epoch (VOPRF proofs verify against it).
    pub fn holder_public_key(&self) -> [u8; 32] {
        self.holder_public_key
    }

    /// The records, in request order.
    pub fn records(&self) -> &[BundleRecord] {
        &self.records
    }

    /// Number of elements (match keys, blinded elements, blinds).
    pub fn element_count(&self) -> usize {
        self.keys.len()
    }

    /// The match keys (OPRF inputs), in send order.
    pub fn element_inputs(&self) -> &[Vec<u8>] {
        &self.keys
    }

    /// Record and rule of element `index`, if it exists.
    pub fn element_owner(&self, index: usize) -> Option<ElementOwner> {
        self.owners.get(index).copied()
    }

    /// Record and rule of every element, in send order.
    pub fn element_owners(&self) -> &[ElementOwner] {
        &self.owners
    }

    /// The blinded elements, in send order.
    pub fn blinded_elements(&self) -> &[[u8; 32]] {
        &self.blinded
    }

    /// 0-based indices of the records that yielded no match key: they are part of the
    /// request (and of its counts) but can never match.
    pub fn records_without_keys(&self) -> Vec<usize> {
        let mut has_keys = vec![false; self.records.len()];
        for owner in &self.owners {
            if let Some(flag) = has_keys.get_mut(owner.record as usize) {
                *flag = true;
            }
        }
        (0..self.records.len())
            .filter(|&i| !has_keys.get(i).copied().unwrap_or(true))
            .collect()
    }

    /// The summary of the contents as they are, without checking them: show an
    /// approver only the summary [`RequestBundle::check`] returns.
    pub fn summary(&self) -> BundleSummary {
        BundleSummary::of(self)
    }

    /// Whether the manifest is valid at `now` (unix seconds): not expired, and not
    /// issued more than [`MAX_CLOCK_SKEW_SECS`] in the future.
    pub fn validity_at(&self, now: u64) -> Result<(), BundleError> {
        let fields = self.manifest.fields();
        if now >= fields.expires_at {
            return Err(BundleError::Expired {
                expires_at: fields.expires_at,
                now,
            });
        }
        if fields.issued_at > now.saturating_add(MAX_CLOCK_SKEW_SECS) {
            return Err(BundleError::NotYetValid {
                issued_at: fields.issued_at,
                now,
            });
        }
        Ok(())
    }
}

impl RequestBundle {
    /// Splits the bundle so that finalization can consume the blinds.
    pub fn into_parts(self) -> (BundleContents, Blinds) {
        (self.contents, self.blinds)
    }

    /// The contents without the blinds.
    pub fn contents(&self) -> &BundleContents {
        &self.contents
    }
}

impl Deref for RequestBundle {
    type Target = BundleContents;
    fn deref(&self) -> &BundleContents {
        &self.contents
    }
}

impl Drop for BundleContents {
    fn drop(&mut self) {
        for key in &mut self.keys {
            key.zeroize();
        }
        // Records wipe themselves (BundleRecord implements Drop).
    }
}

impl fmt::Debug for BundleContents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BundleContents")
            .field("request_id", &self.manifest.request_id())
            .field("records", &self.records.len())
            .field("elements", &self.keys.len())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for RequestBundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBundle")
            .field("contents", &self.contents)
            .field("blinds", &self.blinds)
            .finish()
    }
}
