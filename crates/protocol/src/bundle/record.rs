//! One requested record as the bundle keeps it, and the checks and derivations that
//! preparation and [`check`](super::RequestBundle::check) share.

use core::fmt;
use std::collections::HashSet;

use blindlink_core::match_key::{KeySide, MatchKey, RuleSet, match_keys};
use blindlink_core::normalize::normalize;
use blindlink_core::record::{RECORD_COLUMNS, Record};
use zeroize::Zeroize;

use crate::manifest::{ManifestError, MerkleHash, MerkleTree, RecordReferences, ReferenceSalt};

/// Longest record field a bundle stores, in bytes (every column but `record_id`).
pub const MAX_FIELD_BYTES: usize = 1024;
/// Longest record id, in bytes.
pub const MAX_RECORD_ID_BYTES: usize = 256;

/// A requested record: the raw [`Record`] as read, its case reference and final order
/// reference, and the random salt of its commitment. Wiped on drop; `Debug` shows the
/// record id only.
pub struct BundleRecord {
    pub(super) record: Record,
    pub(super) case_ref: String,
    pub(super) final_order_ref: String,
    pub(super) salt: [u8; 32],
}

impl BundleRecord {
    /// The raw record.
    pub fn record(&self) -> &Record {
        &self.record
    }

    /// The record's id (the first CSV column).
    pub fn record_id(&self) -> &str {
        &self.record.id
    }

    /// The criminal investigation case reference.
    pub fn case_ref(&self) -> &str {
        &self.case_ref
    }

    /// The final order reference.
    pub fn final_order_ref(&self) -> &str {
        &self.final_order_ref
    }

    /// The references with their salt as record `index` of the request: open a record
    /// to a reviewer with this and an inclusion proof of the manifest's Merkle tree.
    pub fn references(&self, index: u64) -> Result<RecordReferences, ManifestError> {
        RecordReferences::new(
            index,
            self.case_ref.as_str(),
            self.final_order_ref.as_str(),
            ReferenceSalt::from_bytes(self.salt),
        )
    }

    /// The match keys the requester derives from the record for `rules`.
    pub(super) fn derive_keys(&self, rules: RuleSet) -> Vec<MatchKey> {
        match_keys(&normalize(&self.record), rules, KeySide::Requester)
    }
}

impl fmt::Debug for BundleRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BundleRecord")
            .field("record_id", &self.record.id)
            .finish_non_exhaustive()
    }
}

impl Drop for BundleRecord {
    fn drop(&mut self) {
        let r = &mut self.record;
        for field in [
            &mut r.id,
            &mut r.given_names,
            &mut r.family_names,
            &mut r.suffix,
            &mut r.street,
            &mut r.unit,
            &mut r.city,
            &mut r.state,
            &mut r.zip,
            &mut self.case_ref,
            &mut self.final_order_ref,
        ] {
            field.zeroize();
        }
        if let Some(dob) = r.dob.as_mut() {
            dob.zeroize();
        }
        self.salt.zeroize();
    }
}

/// What is wrong with a record's own fields (not its references).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum RecordProblem {
    /// Empty record id.
    MissingId,
    /// Record id with control or bidirectional-override characters.
    UnsafeId,
    /// Record id seen before.
    DuplicateId,
    /// A field over its limit.
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
}

/// Checks field lengths and the record id (non-empty, displayable, not in `seen`),
/// and adds the id to `seen`.
pub(super) fn check_record(
    record: &Record,
    seen: &mut HashSet<String>,
) -> Result<(), RecordProblem> {
    for (field, value) in RECORD_COLUMNS.iter().zip(record.to_fields()) {
        let max = if *field == "record_id" {
            MAX_RECORD_ID_BYTES
        } else {
            MAX_FIELD_BYTES
        };
        if value.len() > max {
            return Err(RecordProblem::TooLong {
                field,
                len: value.len(),
                max,
            });
        }
    }
    let id = record.id.as_str();
    if id.trim().is_empty() {
        return Err(RecordProblem::MissingId);
    }
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
    };
    if id.chars().any(unsafe_char) {
        return Err(RecordProblem::UnsafeId);
    }
    if !seen.insert(id.to_owned()) {
        return Err(RecordProblem::DuplicateId);
    }
    Ok(())
}

/// The Merkle root over the records' reference commitments (record `i` committed at
/// index `i`). Fails on the first record whose references are invalid, with its index.
pub(super) fn references_root(
    records: &[BundleRecord],
) -> Result<MerkleHash, (usize, ManifestError)> {
    let mut commitments = Vec::with_capacity(records.len());
    for (index, record) in records.iter().enumerate() {
        let references = record
            .references(index as u64)
            .map_err(|problem| (index, problem))?;
        commitments.push(references.commitment());
    }
    // An empty request has no root; callers refuse empty requests before this.
    MerkleTree::new(&commitments)
        .map(|tree| tree.root())
        .map_err(|_| (0, ManifestError::Empty { field: "records" }))
}
