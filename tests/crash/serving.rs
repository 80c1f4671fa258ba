//! What the serving crash tests share: approved requests prepared ahead, one query, and
//! the request ids the holder's log accepted and its replay journal holds.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use blindlink_testkit::{Query, QueryOutcome, Requester};

use crate::common::{World, audit_entries};

/// One requester's approved request, kept to be replayed later.
pub struct Approved {
    pub requester: usize,
    pub bundle: PathBuf,
    pub approval: PathBuf,
    pub request_id: String,
}

pub fn approve(w: &World, requesters: &[Requester], request: &Path, name: &str) -> Vec<Approved> {
    requesters
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let prepared = w.prepare_by(r, request, &format!("{name}-{i}.bundle"));
            let approval = w.sign(&w.secretary, &prepared.bundle);
            Approved {
                requester: i,
                bundle: prepared.bundle,
                approval,
                request_id: prepared.request_id,
            }
        })
        .collect()
}

pub fn query(w: &World, r: &Requester, addr: &str, a: &Approved) -> QueryOutcome {
    r.query(&Query {
        addr,
        holder_json: &w.holder.holder_json(),
        bundle: &a.bundle,
        approvals: vec![&a.approval],
        results: &a.bundle.with_extension("results.csv"),
        no_cache: false,
    })
    .unwrap()
}

/// Request ids with a `decision-accepted` entry in the holder's log.
pub fn accepted_ids(w: &World) -> HashSet<String> {
    audit_entries(&w.holder.audit_log())
        .iter()
        .filter(|e| e["kind"] == "decision-accepted")
        .map(|e| e["details"]["request_id"].as_str().unwrap().to_owned())
        .collect()
}

/// Request ids in the holder's replay journal (complete lines).
pub fn journal_ids(w: &World) -> HashSet<String> {
    let text = std::fs::read_to_string(w.holder.dir().join("replay.log")).unwrap_or_default();
    text.split_inclusive('\n')
        .filter_map(|l| l.strip_suffix('\n'))
        .map(str::to_owned)
        .collect()
}
