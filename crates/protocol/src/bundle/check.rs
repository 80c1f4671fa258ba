//! The approver's independent recomputation of a bundle.

use std::collections::HashSet;

use blindlink_core::oprf::{Mode, PublicKey, blind_batch_with};

use super::prepare::{rule_ids, rules_used};
use super::record::{RecordProblem, check_record, references_root};
use super::{BundleError, BundleSummary, RequestBundle};
use crate::manifest::{BlindedDigest, Purpose, RuleId};

fn join_rules(rules: &[RuleId]) -> String {
    rules
        .iter()
        .map(RuleId::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

impl RequestBundle {
    /// Recomputes everything derived in the bundle and compares it with what is stored
    /// and with the manifest, in this order, stopping at the first difference:
    ///
    /// 1. manifest purpose, record and element counts, key epoch; the pinned holder key
    ///    decodes;
    /// 2. every record: id present, displayable and unique, fields within limits, case
    ///    and final order references present and well-formed;
    /// 3. elements are grouped by record in record order;
    /// 4. each record, re-normalized, yields exactly the stored keys (count, rule and
    ///    bytes, in order) for the requested rules;
    /// 5. each key blinded with its stored blind gives the stored blinded element;
    /// 6. the digest over the blinded elements equals the manifest's;
    /// 7. the Merkle root over the reference commitments equals the manifest's;
    /// 8. the manifest's `rules_used` are the rules of the stored keys.
    ///
    /// Time is not checked here: see [`validity_at`](super::BundleContents::validity_at).
    /// Costs one normalization per record and one blinding per element.
    pub fn check(&self) -> Result<BundleSummary, BundleError> {
        let c = &self.contents;
        let manifest = c.manifest.fields();

        // 1. Manifest against the bundle.
        if manifest.purpose != Purpose::CriminalInvestigation {
            return Err(BundleError::WrongPurpose(manifest.purpose.to_string()));
        }
        for (field, stated, held) in [
            ("record_count", manifest.record_count, c.records.len()),
            ("element_count", manifest.element_count, c.keys.len()),
        ] {
            if stated != held as u64 {
                return Err(BundleError::CountMismatch {
                    field,
                    manifest: stated,
                    bundle: held as u64,
                });
            }
        }
        if manifest.key_epoch != c.key_epoch {
            return Err(BundleError::EpochMismatch {
                manifest: manifest.key_epoch.to_hex(),
                bundle: c.key_epoch.to_hex(),
            });
        }
        PublicKey::from_bytes(&c.holder_public_key).map_err(BundleError::InvalidHolderKey)?;

        // 2. Records and their references.
        let mut seen = HashSet::with_capacity(c.records.len());
        for (index, record) in c.records.iter().enumerate() {
            check_record(record.record(), &mut seen).map_err(|problem| match problem {
                RecordProblem::TooLong { field, len, max } => BundleError::LimitExceeded {
                    what: field,
                    value: len as u64,
                    max: max as u64,
                },
                _ => BundleError::BadRecordId {
                    record: index,
                    record_id: record.record_id().to_owned(),
                },
            })?;
            record
                .references(index as u64)
                .map_err(|problem| BundleError::BadReference {
                    record: index,
                    record_id: record.record_id().to_owned(),
                    problem,
                })?;
        }

        // 3. Element order.
        let mut previous = 0u32;
        for (element, owner) in c.owners.iter().enumerate() {
            if owner.record < previous || owner.record as usize >= c.records.len() {
                return Err(BundleError::ElementOrder {
                    element,
                    record: u64::from(owner.record),
                });
            }
            previous = owner.record;
        }

        // 4. Keys re-derived from the records.
        let mut next = 0usize;
        for (index, record) in c.records.iter().enumerate() {
            let derived = record.derive_keys(c.requested_rules);
            let stored = c
                .owners
                .iter()
                .skip(next)
                .take_while(|owner| owner.record as usize == index)
                .count();
            if derived.len() != stored {
                return Err(BundleError::KeyCountMismatch {
                    record: index,
                    record_id: record.record_id().to_owned(),
                    derived: derived.len(),
                    stored,
                });
            }
            for (offset, key) in derived.iter().enumerate() {
                let element = next + offset;
                let same_rule = c.owners.get(element).map(|o| o.rule) == Some(key.rule);
                let same_bytes = c.keys.get(element) == Some(&key.bytes);
                if !(same_rule && same_bytes) {
                    return Err(BundleError::KeyMismatch {
                        element,
                        record: index,
                        record_id: record.record_id().to_owned(),
                    });
                }
            }
            next += stored;
        }

        // 5. Blinded elements recomputed with the stored blinds.
        let reblinded =
            blind_batch_with(Mode::Voprf, &c.keys, &self.blinds).map_err(BundleError::Oprf)?;
        if let Some(element) = reblinded
            .iter()
            .zip(&c.blinded)
            .position(|(again, stored)| again != stored)
        {
            return Err(BundleError::BlindedMismatch { element });
        }

        // 6. Digest.
        if BlindedDigest::digest_all(&c.blinded) != manifest.blinded_digest {
            return Err(BundleError::DigestMismatch);
        }

        // 7. References root.
        let root =
            references_root(&c.records).map_err(|(index, problem)| BundleError::BadReference {
                record: index,
                record_id: c
                    .records
                    .get(index)
                    .map(|r| r.record_id().to_owned())
                    .unwrap_or_default(),
                problem,
            })?;
        if root != manifest.references_root {
            return Err(BundleError::ReferencesRootMismatch);
        }

        // 8. Rules.
        let derived = rule_ids(rules_used(&c.owners))?;
        if derived != manifest.rules_used {
            return Err(BundleError::RulesMismatch {
                manifest: join_rules(&manifest.rules_used),
                derived: join_rules(&derived),
            });
        }

        Ok(BundleSummary::of(c))
    }
}
