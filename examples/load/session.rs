//! An honest requester in process: prepares and approves a fresh request with the
//! protocol crate's own code (what `ice prepare` and `approve sign` run), then runs the
//! requester driver `ice query` runs over a real Noise channel, with the same check of
//! the set against holder.json.

use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use blindlink_core::fingerprint::EncodedSet;
use blindlink_protocol::approval::{ApproverSigningKey, Role};
use blindlink_protocol::bundle::{PrepareParams, RequestBundle, RequestRow};
use blindlink_protocol::driver::{self, RequesterJob, RequesterOutcome, Unobserved};
use blindlink_protocol::holder_info::HolderInfo;
use blindlink_protocol::identity::IdentityPublicKey;
use blindlink_protocol::manifest::{LegalBasis, RequesterId};
use blindlink_protocol::session::requester::RequesterParams;
use blindlink_protocol::statement::UnverifiedStatement;
use blindlink_protocol::transparency::{ReceiptExpectation, TreeHead};
use blindlink_protocol::wire::{CachedSet, Channel, Limits, Metered, NoiseStaticKey};
use blindlink_store::key_file::{self, ApproverSecret, IdentityPublic, NoiseSecret};

/// What every requester shares: the holder's public info, the approver and the rows.
#[derive(Debug)]
pub struct Shared {
    /// `holder.json`.
    pub holder: HolderInfo,
    /// The holder's identity key (pinned from `identity.pub`): receipts are checked
    /// against it.
    pub identity: IdentityPublicKey,
    /// The approver's signing key and role.
    pub approver: (ApproverSigningKey, Role),
    /// The request list every request is prepared from.
    pub rows: Vec<RequestRow>,
}

impl Shared {
    /// Reads `holder.json`, the approver's key file and the request CSV.
    pub fn load(
        holder_json: &Path,
        approver_key: &Path,
        role: &str,
        request: &Path,
    ) -> Result<Shared> {
        // Verified as `ice` does, against the holder's identity.pub (next to holder.json).
        let identity =
            key_file::read::<IdentityPublic>(&holder_json.with_file_name("identity.pub"))?;
        let holder = UnverifiedStatement::from_json(&std::fs::read(holder_json)?)?
            .verify(&identity, now(), 0)?
            .body()
            .epoch
            .clone();
        let key = key_file::read::<ApproverSecret>(approver_key)?;
        let file = std::fs::File::open(request)?;
        let rows = blindlink_synth::read_request(file)?
            .into_iter()
            .map(|r| RequestRow {
                record: blindlink_core::record::Record::from_fields(r.record.to_fields()),
                case_ref: r.case_ref,
                final_order_ref: r.final_order_ref,
            })
            .collect();
        Ok(Shared {
            holder,
            identity,
            approver: (key, Role::new(role)?),
            rows,
        })
    }
}

/// An approved request, ready to send.
#[derive(Debug)]
pub struct Approved {
    bundle: RequestBundle,
    approval: Vec<u8>,
}

/// One session's outcome.
#[derive(Debug, Clone, Copy)]
pub struct Answered {
    /// Blinded elements sent and evaluated.
    pub elements: usize,
    /// Request records that matched.
    pub matched: usize,
    /// Whether the holder confirmed the cached set instead of sending it.
    pub from_cache: bool,
    /// Connect to results.
    pub latency: Duration,
}

/// One requester identity with its set cache.
#[derive(Debug)]
pub struct LoadRequester {
    id: String,
    noise_key: NoiseStaticKey,
    cached: Option<(EncodedSet, CachedSet)>,
    /// The holder log head of the last receipt verified: the next must extend it.
    last_seen: Option<TreeHead>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl LoadRequester {
    /// The requester `id` with the Noise key of its `ice` state directory.
    pub fn new(ice_dir: &Path, id: &str) -> Result<LoadRequester> {
        Ok(LoadRequester {
            id: id.to_owned(),
            noise_key: key_file::read::<NoiseSecret>(&ice_dir.join("noise.key"))?,
            cached: None,
            last_seen: None,
        })
    }

    /// A fresh request (new id, new blinds) and its approval.
    pub fn prepare(&self, shared: &Shared) -> Result<Approved> {
        let issued_at = now();
        let params = PrepareParams {
            requester_id: RequesterId::new(self.id.as_str())?,
            legal_basis: LegalBasis::new("8 U.S.C. 1231 (load test)")?,
            rules: shared.holder.rules,
            key_epoch: *shared.holder.key_epoch.as_bytes(),
            holder_oprf_public_key: shared.holder.oprf_public_key,
            set_hash: shared.holder.set_hash,
            issued_at,
            expires_at: issued_at + 3600,
        };
        let bundle = RequestBundle::prepare(shared.rows.clone(), params, &mut rand::rng())?;
        let (key, role) = &shared.approver;
        let approval = serde_json::to_vec(&key.approve(role, bundle.manifest()))?;
        Ok(Approved { bundle, approval })
    }

    /// Runs one session at `addr` and checks the answer as `ice query` does.
    pub fn query(&mut self, shared: &Shared, addr: &str, approved: Approved) -> Result<Answered> {
        let started = Instant::now();
        let Approved { bundle, approval } = approved;
        let epoch = *bundle.key_epoch().as_bytes();
        let params = RequesterParams {
            requester_id: self.id.clone(),
            manifest_json: bundle.manifest().to_json_pretty().into_bytes(),
            approvals_json: vec![approval],
            key_epoch: epoch,
            pinned_public_key: bundle.holder_public_key(),
            approved_set_hash: *bundle.manifest().fields().set_hash.as_bytes(),
            cached: self.cached.as_ref().map(|(_, c)| *c),
            receipt: ReceiptExpectation {
                holder: shared.identity,
                requester_id: self.id.clone(),
                request_id: bundle.manifest().request_id(),
                manifest_sha256: bundle.manifest().sha256(),
                last_seen: self.last_seen,
            },
            limits: Limits::default(),
        };
        let stream = TcpStream::connect(addr).context("connect")?;
        let timeout = Some(Duration::from_secs(60));
        stream.set_nodelay(true)?;
        stream.set_read_timeout(timeout)?;
        stream.set_write_timeout(timeout)?;
        let mut channel = Channel::connect(
            Metered::new(stream),
            &self.noise_key,
            &shared.holder.noise_public_key,
        )
        .context("secure channel")?;
        let (contents, blinds) = bundle.into_parts();
        let seen = std::cell::Cell::new(None);
        let announced = |set: &EncodedSet| shared.holder.check_set(set).map_err(|e| e.to_string());
        let job = RequesterJob {
            params,
            blinded: contents.blinded_elements(),
            inputs: contents.element_inputs(),
            blinds,
            cached_set: self.cached.take().map(|(set, _)| set),
            check_set: &announced,
            keep_receipt: &|receipt| {
                seen.set(Some(receipt.checkpoint.checkpoint.head));
                Ok(())
            },
        };
        let outcome = driver::run(&mut channel, job, &mut Unobserved);
        if let Some(head) = seen.get() {
            self.last_seen = Some(head);
        }
        let answer = match outcome? {
            RequesterOutcome::Answered(answer) => answer,
            RequesterOutcome::Refused(r) => bail!("refused: {} ({})", r.message, r.code),
        };
        let from_cache = answer.downloaded.is_none();
        let matched = contents.results(&answer.matched)?;
        let cached = CachedSet {
            epoch,
            set_hash: answer.set.content_hash(),
        };
        self.cached = Some((answer.set, cached));
        Ok(Answered {
            elements: answer.matched.len(),
            matched: matched.iter().filter(|r| r.matched_rule.is_some()).count(),
            from_cache,
            latency: started.elapsed(),
        })
    }
}
