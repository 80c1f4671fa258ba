//! Preparing a bundle from request rows: normalize, derive keys, blind, commit, and
//! build the manifest.

use std::collections::HashSet;

use blindlink_core::match_key::{MatchRule, RuleSet};
use blindlink_core::oprf::{PublicKey, blind_batch_additive};
use blindlink_core::record::Record;
use rand_core::CryptoRng;

use super::record::{RecordProblem, check_record, references_root};
use super::{BundleContents, BundleError, BundleRecord, ElementOwner, RequestBundle};
use crate::manifest::{
    BlindedDigest, KeyEpoch, LegalBasis, MAX_RECORD_COUNT, Manifest, ManifestFields, OprfKeyHex,
    Purpose, RecordReferences, ReferenceSalt, RequestId, RequesterId, RuleId, SetHash,
};

/// One row of a request file: a record and its two references.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRow {
    /// The person and address asked about.
    pub record: Record,
    /// The criminal investigation case reference (required).
    pub case_ref: String,
    /// The final order reference (required).
    pub final_order_ref: String,
}

/// Everything [`RequestBundle::prepare`] needs besides the rows and an RNG.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrepareParams {
    /// The requesting office.
    pub requester_id: RequesterId,
    /// The legal basis shown to approvers.
    pub legal_basis: LegalBasis,
    /// The rules to derive keys for (typically those the holder answers).
    pub rules: RuleSet,
    /// The holder's key epoch.
    pub key_epoch: [u8; 16],
    /// The holder's OPRF public key for that epoch.
    pub holder_oprf_public_key: [u8; 32],
    /// The content hash of the holder's encoded set (from its signed statement).
    pub set_hash: [u8; 32],
    /// Issue time, unix seconds.
    pub issued_at: u64,
    /// Expiry time, unix seconds (exclusive).
    pub expires_at: u64,
}

/// The rules that produced at least one key, as sorted manifest rule ids.
pub(super) fn rules_used(owners: &[ElementOwner]) -> RuleSet {
    owners.iter().map(|owner| owner.rule).collect()
}

/// Manifest rule ids of a rule set, ascending (`R1` < `R2` < ...).
pub(super) fn rule_ids(rules: RuleSet) -> Result<Vec<RuleId>, BundleError> {
    rules
        .iter()
        .map(|rule: MatchRule| RuleId::new(rule.id()).map_err(BundleError::Manifest))
        .collect()
}

/// Maps a record problem found while preparing to its error.
fn row_error(row: usize, record: &Record, problem: RecordProblem) -> BundleError {
    match problem {
        RecordProblem::MissingId => BundleError::MissingRecordId { row },
        RecordProblem::UnsafeId => BundleError::UnsafeRecordId { row },
        RecordProblem::DuplicateId => BundleError::DuplicateRecordId {
            row,
            record_id: record.id.clone(),
        },
        RecordProblem::TooLong { field, len, max } => BundleError::FieldTooLong {
            row,
            field,
            len,
            max,
        },
    }
}

impl RequestBundle {
    /// Prepares a request: checks every row (record id present and unique, both
    /// references present and well-formed), normalizes each record and derives its
    /// requester-side keys for `params.rules`, blinds all keys (VOPRF mode, additive) with
    /// fresh blinds, commits to each record's references with a fresh salt, and builds the
    /// manifest (random request id, purpose `criminal-investigation`, `rules_used` =
    /// the rules that produced keys).
    ///
    /// A record that yields no key is kept (it counts in `record_count` and appears in
    /// the summary's `records_without_keys`) but can never match. Fails if no record
    /// yields a key at all.
    pub fn prepare<R: CryptoRng + ?Sized>(
        rows: Vec<RequestRow>,
        params: PrepareParams,
        rng: &mut R,
    ) -> Result<RequestBundle, BundleError> {
        if rows.is_empty() {
            return Err(BundleError::NoRecords);
        }
        if rows.len() as u64 > MAX_RECORD_COUNT {
            return Err(BundleError::TooManyRecords {
                count: rows.len(),
                max: MAX_RECORD_COUNT,
            });
        }
        if params.rules.is_empty() {
            return Err(BundleError::NoRules);
        }
        PublicKey::from_bytes(&params.holder_oprf_public_key)
            .map_err(BundleError::InvalidHolderKey)?;

        let mut seen = HashSet::with_capacity(rows.len());
        let mut records = Vec::with_capacity(rows.len());
        let mut owners = Vec::new();
        let mut keys = Vec::new();
        for (index, row) in rows.into_iter().enumerate() {
            let row_number = index + 1;
            check_record(&row.record, &mut seen)
                .map_err(|problem| row_error(row_number, &row.record, problem))?;
            for (field, value) in [
                ("case_ref", &row.case_ref),
                ("final_order_ref", &row.final_order_ref),
            ] {
                if value.trim().is_empty() {
                    return Err(BundleError::MissingReference {
                        row: row_number,
                        record_id: row.record.id.clone(),
                        field,
                    });
                }
            }
            let mut salt = [0u8; 32];
            rng.fill_bytes(&mut salt);
            // Validate the references exactly as the commitment will use them.
            RecordReferences::new(
                index as u64,
                row.case_ref.as_str(),
                row.final_order_ref.as_str(),
                ReferenceSalt::from_bytes(salt),
            )
            .map_err(|problem| BundleError::InvalidReference {
                row: row_number,
                record_id: row.record.id.clone(),
                problem,
            })?;
            let record = BundleRecord {
                record: row.record,
                case_ref: row.case_ref,
                final_order_ref: row.final_order_ref,
                salt,
            };
            for key in record.derive_keys(params.rules) {
                owners.push(ElementOwner {
                    // At most MAX_RECORD_COUNT (2^24) records, so the index fits.
                    record: index as u32,
                    rule: key.rule,
                });
                keys.push(key.bytes);
            }
            records.push(record);
        }
        if keys.is_empty() {
            return Err(BundleError::NoElements {
                rules: params.rules.to_string(),
            });
        }

        // Additive, fixed-base blinding (VOPRF mode; PROTOCOL.md §2.7): the session
        // unblinds only after the holder's proofs verify.
        let (blinds, blinded) = blind_batch_additive(&keys, rng).map_err(BundleError::Oprf)?;
        let references_root = references_root(&records).map_err(|(index, problem)| {
            BundleError::InvalidReference {
                row: index + 1,
                record_id: records
                    .get(index)
                    .map(|r| r.record_id().to_owned())
                    .unwrap_or_default(),
                problem,
            }
        })?;
        let manifest = Manifest::new(ManifestFields {
            request_id: RequestId::random(rng),
            requester_id: params.requester_id,
            purpose: Purpose::CriminalInvestigation,
            legal_basis: params.legal_basis,
            record_count: records.len() as u64,
            element_count: keys.len() as u64,
            rules_used: rule_ids(rules_used(&owners))?,
            blinded_digest: BlindedDigest::digest_all(&blinded),
            references_root,
            issued_at: params.issued_at,
            expires_at: params.expires_at,
            key_epoch: KeyEpoch::from_bytes(params.key_epoch),
            oprf_public_key: OprfKeyHex::from_bytes(params.holder_oprf_public_key),
            set_hash: SetHash::from_bytes(params.set_hash),
        })
        .map_err(BundleError::Manifest)?;

        Ok(RequestBundle {
            contents: BundleContents {
                manifest,
                requested_rules: params.rules,
                key_epoch: KeyEpoch::from_bytes(params.key_epoch),
                holder_public_key: params.holder_oprf_public_key,
                records,
                owners,
                keys,
                blinded,
            },
            blinds,
        })
    }
}
