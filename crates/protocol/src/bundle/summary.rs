//! What an approver is shown: the [`BundleSummary`] of a checked bundle.

use core::fmt;

use blindlink_core::match_key::{MatchRule, RuleSet};
use serde::{Serialize, Serializer};

use super::BundleContents;
use crate::manifest::{
    BlindedElementsDigest, KeyEpoch, LegalBasis, MerkleHash, Purpose, RequestId, RequesterId,
    SetHash,
};

fn rule_id<S: Serializer>(rule: &MatchRule, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(rule.id())
}

fn rule_set<S: Serializer>(rules: &RuleSet, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(rules.iter().map(MatchRule::id))
}

/// Elements and records per match rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    /// The rule.
    #[serde(serialize_with = "rule_id")]
    pub rule: MatchRule,
    /// Elements (keys) of this rule.
    pub elements: u64,
    /// Records with at least one key of this rule.
    pub records: u64,
}

/// One record as shown to an approver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordSummary {
    /// 0-based position in the request.
    pub index: u64,
    /// The record's id.
    pub record_id: String,
    /// Case reference.
    pub case_ref: String,
    /// Final order reference.
    pub final_order_ref: String,
    /// Elements (keys) the record contributes; 0 means it can never match.
    pub elements: u64,
}

/// The summary of a bundle, produced by [`check`](super::RequestBundle::check) and
/// shown to approvers (`Display` gives the text form, `Serialize` the JSON form).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BundleSummary {
    /// Request id.
    pub request_id: RequestId,
    /// Requesting office.
    pub requester_id: RequesterId,
    /// Purpose.
    pub purpose: Purpose,
    /// Legal basis text.
    pub legal_basis: LegalBasis,
    /// Records in the request.
    pub record_count: u64,
    /// Elements (blinded match keys) sent.
    pub element_count: u64,
    /// Rules the requester asked for.
    #[serde(serialize_with = "rule_set")]
    pub requested_rules: RuleSet,
    /// Per rule that produced keys: its elements and records.
    pub rules: Vec<RuleCount>,
    /// Records that yielded no key (they can never match).
    pub records_without_keys: u64,
    /// Issue time, unix seconds.
    pub issued_at: u64,
    /// Expiry time, unix seconds.
    pub expires_at: u64,
    /// Holder key epoch.
    pub key_epoch: KeyEpoch,
    /// Holder OPRF public key pinned for the epoch.
    #[serde(serialize_with = "crate::serde_hex::serialize")]
    pub holder_public_key: [u8; 32],
    /// Content hash of the holder's encoded set the request is for (as in the manifest).
    pub set_hash: SetHash,
    /// Digest over the blinded elements (as in the manifest).
    pub blinded_digest: BlindedElementsDigest,
    /// Merkle root over the reference commitments (as in the manifest).
    pub references_root: MerkleHash,
    /// Every record with its references.
    pub records: Vec<RecordSummary>,
}

impl BundleSummary {
    /// Summarizes bundle contents (meaningful once they were checked).
    pub(super) fn of(c: &BundleContents) -> BundleSummary {
        let m = c.manifest.fields();
        let mut per_record = vec![0u64; c.records.len()];
        let mut rules: Vec<RuleCount> = Vec::new();
        let mut last: Option<(u32, MatchRule)> = None;
        for owner in &c.owners {
            if let Some(count) = per_record.get_mut(owner.record as usize) {
                *count += 1;
            }
            let index = match rules.iter().position(|r| r.rule == owner.rule) {
                Some(index) => index,
                None => {
                    rules.push(RuleCount {
                        rule: owner.rule,
                        elements: 0,
                        records: 0,
                    });
                    rules.len() - 1
                }
            };
            if let Some(count) = rules.get_mut(index) {
                count.elements += 1;
                // Keys of a record are sorted by rule, so a new (record, rule) pair
                // starts a new run.
                if last != Some((owner.record, owner.rule)) {
                    count.records += 1;
                }
            }
            last = Some((owner.record, owner.rule));
        }
        rules.sort_by_key(|r| r.rule);
        let records: Vec<RecordSummary> = c
            .records
            .iter()
            .zip(&per_record)
            .enumerate()
            .map(|(index, (record, &elements))| RecordSummary {
                index: index as u64,
                record_id: record.record_id().to_owned(),
                case_ref: record.case_ref().to_owned(),
                final_order_ref: record.final_order_ref().to_owned(),
                elements,
            })
            .collect();
        BundleSummary {
            request_id: m.request_id,
            requester_id: m.requester_id.clone(),
            purpose: m.purpose,
            legal_basis: m.legal_basis.clone(),
            record_count: m.record_count,
            element_count: m.element_count,
            requested_rules: c.requested_rules,
            rules,
            records_without_keys: per_record.iter().filter(|&&n| n == 0).count() as u64,
            issued_at: m.issued_at,
            expires_at: m.expires_at,
            key_epoch: m.key_epoch,
            holder_public_key: c.holder_public_key,
            set_hash: m.set_hash,
            blinded_digest: m.blinded_digest,
            references_root: m.references_root,
            records,
        }
    }
}

impl fmt::Display for BundleSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "request id        {}", self.request_id)?;
        writeln!(f, "requester         {}", self.requester_id)?;
        writeln!(f, "purpose           {}", self.purpose)?;
        let mut basis = self.legal_basis.as_str().lines();
        writeln!(f, "legal basis       {}", basis.next().unwrap_or(""))?;
        for line in basis {
            writeln!(f, "                  {line}")?;
        }
        writeln!(
            f,
            "valid             from {} until {} (unix seconds)",
            self.issued_at, self.expires_at
        )?;
        writeln!(f, "holder key epoch  {}", self.key_epoch)?;
        writeln!(
            f,
            "holder OPRF key   {}",
            hex::encode(self.holder_public_key)
        )?;
        writeln!(f, "holder set hash   {}", self.set_hash)?;
        writeln!(f, "records           {}", self.record_count)?;
        writeln!(f, "elements          {}", self.element_count)?;
        writeln!(f, "rules requested   {}", self.requested_rules)?;
        for rule in &self.rules {
            writeln!(
                f,
                "  {}  {:>8} elements from {:>6} records  ({})",
                rule.rule,
                rule.elements,
                rule.records,
                rule.rule.description()
            )?;
        }
        writeln!(
            f,
            "without keys      {} records (they cannot match)",
            self.records_without_keys
        )?;
        writeln!(f, "blinded digest    {}", self.blinded_digest)?;
        writeln!(f, "references root   {}", self.references_root)?;
        writeln!(
            f,
            "records (index, record_id, case_ref, final_order_ref, elements):"
        )?;
        for r in &self.records {
            writeln!(
                f,
                "  {:>6}  {}  {}  {}  {}",
                r.index, r.record_id, r.case_ref, r.final_order_ref, r.elements
            )?;
        }
        Ok(())
    }
}
