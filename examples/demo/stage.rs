//! What the demo's steps share: the parties, the files, and shortcuts for preparing
//! and querying.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Result;
use blindlink_testkit::{
    Approver, Binaries, Holder, PolicySpec, Prepare, Prepared, Query, QueryOutcome, Requester,
};

/// The requester id of the demo's immigration office.
pub const REQUESTER_ID: &str = "ice-ero";
/// The legal basis the demo's requests cite.
pub const LEGAL_BASIS: &str = "8 U.S.C. 1231; criminal investigation, final orders of removal";

/// Unix seconds now.
pub fn unix_now() -> Result<u64> {
    Ok(SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs())
}

/// Everything the steps share: binaries, files and parties.
#[derive(Debug)]
pub struct Stage {
    /// Where every file goes.
    pub dir: PathBuf,
    /// The synthetic population (the holder's file).
    pub population: PathBuf,
    /// The request list.
    pub request: PathBuf,
    /// The binaries.
    pub bins: Binaries,
    /// The data holder.
    pub holder: Holder,
    /// Its published `holder.json`.
    pub holder_json: PathBuf,
    /// The requester.
    pub ice: Requester,
    /// An approver registered as `dhs-secretary`.
    pub secretary: Approver,
    /// The holder's co-signer, `irs-counsel`.
    pub counsel: Approver,
    /// A `dhs-secretary` key the holder's policy does not list.
    pub outsider: Approver,
    /// The policy's `max_records_per_request`: the size of the demo's request.
    pub request_limit: u64,
}

impl Stage {
    /// The demo's policy on top of `spec`: dhs-secretary approves, limits sized to the
    /// request.
    pub fn policy(&self, spec: PolicySpec) -> PolicySpec {
        spec.approver(&self.secretary)
            .any_of(&["dhs-secretary"])
            .limit("max_records_per_request", self.request_limit)
            .limit("max_elements_per_request", 16 * self.request_limit)
            .limit("max_records_per_day", 100 * self.request_limit)
    }

    /// A file in the working directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// `ice prepare` of `request` into the bundle file `name`, valid from `now` (the
    /// clock when `None`) for `valid_for` (24 h when `None`).
    pub fn prepare_at(
        &self,
        request: &Path,
        name: &str,
        now: Option<u64>,
        valid_for: Option<&str>,
    ) -> Result<Prepared> {
        Ok(self.ice.prepare(&Prepare {
            request,
            holder_json: &self.holder_json,
            bundle: &self.path(name),
            legal_basis: LEGAL_BASIS,
            now,
            valid_for,
        })?)
    }

    /// `ice prepare` of the demo's request list into the bundle file `name`.
    pub fn prepare(&self, name: &str) -> Result<Prepared> {
        self.prepare_at(&self.request, name, None, None)
    }

    /// `ice query` of `bundle` with `approvals` against the holder at `addr`.
    pub fn query(
        &self,
        addr: &str,
        bundle: &Path,
        approvals: &[&Path],
        results: &str,
    ) -> Result<QueryOutcome> {
        Ok(self.ice.query(&Query {
            addr,
            holder_json: &self.holder_json,
            bundle,
            approvals: approvals.to_vec(),
            results: &self.path(results),
            no_cache: false,
        })?)
    }
}
