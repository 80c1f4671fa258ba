//! The online part: the requester prepares (normalize, keys, blind, manifest) and an
//! approver signs, then one session over a loopback TCP socket and the real Noise
//! channel, the holder driver in its own thread ([`crate::holder_side`]) and the
//! requester driver here (the one `ice query` runs), down to the lookup of the finalized
//! outputs in the set.
//!
//! Bound samples are taken where the other party is idle: before and after blinding,
//! by the holder between its decision and its evaluation (the requester waits for the
//! answer), and after finalize (the holder waits on the socket with the set).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, anyhow, bail};
use blindlink_core::fingerprint::EncodedSet;
use blindlink_core::match_key::RuleSet;
use blindlink_core::oprf::Blinds;
use blindlink_protocol::approval::{ApproverSigningKey, Role};
use blindlink_protocol::bundle::{BundleContents, PrepareParams, RequestBundle, RequestRow};
use blindlink_protocol::driver::{self, Observer, Point, RequesterJob, RequesterOutcome, Traffic};
use blindlink_protocol::identity::IdentityKey;
use blindlink_protocol::manifest::{LegalBasis, RequesterId};
use blindlink_protocol::policy::Policy;
use blindlink_protocol::session::requester::RequesterParams;
use blindlink_protocol::transparency::ReceiptExpectation;
use blindlink_protocol::wire::{Channel, Metered, NoiseStaticKey};

use crate::bound::{BatchShape, PrimitiveCounts, Samples};
use crate::data::HolderSet;
use crate::holder_side::{HolderConfig, limits_for, serve_one};
use crate::phases::{PhaseClock, PhaseResult};

const REQUESTER_ID: &str = "ice-scale";
const ROLE: &str = "dhs-secretary";

/// Everything measured in the online part.
#[derive(Debug)]
pub struct OnlineReport {
    /// `RequestBundle::prepare`: normalize + keys of the request, Blind, manifest.
    pub blinding: PhaseResult,
    /// The holder's evaluation with proofs (holder thread).
    pub holder_evaluation: PhaseResult,
    /// The holder's ledger writes (audit log and replay journal, fsynced).
    pub holder_ledger: PhaseResult,
    /// Verify the proofs, unblind, Finalize hash.
    pub finalize: PhaseResult,
    /// The encoded set over the channel, decoded and indexed.
    pub set_transfer: PhaseResult,
    /// Fingerprints of the outputs looked up in the set.
    pub lookup: PhaseResult,
    /// Request records.
    pub records: u64,
    /// Request records that matched on some rule.
    pub matched_records: u64,
    /// Bytes of the handshake, `Hello` and `Welcome`.
    pub setup_bytes: u64,
    /// Holder seconds writing the set (overlapping the requester's finalize).
    pub holder_set_send_seconds: f64,
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn policy(approver: &ApproverSigningKey, records: u64, elements: u64) -> anyhow::Result<Policy> {
    let text = format!(
        "[approvers]\n{ROLE} = [\"{}\"]\n[required_roles]\nany_of = [\"{ROLE}\"]\n\
         [limits]\nmax_records_per_request = {records}\nmax_elements_per_request = {elements}\n\
         max_records_per_day = {records}\nmax_elements_per_day = {elements}\n",
        approver.public_key().to_hex()
    );
    Ok(Policy::from_toml_str(&text)?)
}

/// Runs the requester's preparation and one full session against `set`.
pub fn run_online(
    rows: Vec<RequestRow>,
    set: Arc<HolderSet>,
    samples: &Samples,
    max_request_elements: u64,
) -> anyhow::Result<OnlineReport> {
    let now = unix_now();
    let records = rows.len() as u64;
    let pinned = set.key.public_key().to_bytes();
    let clock = PhaseClock::start();
    let bundle = RequestBundle::prepare(
        rows,
        PrepareParams {
            requester_id: RequesterId::new(REQUESTER_ID)?,
            legal_basis: LegalBasis::new("scale harness, synthetic data")?,
            rules: RuleSet::default_policy(),
            key_epoch: set.epoch,
            holder_oprf_public_key: pinned,
            set_hash: set.hash,
            issued_at: now - 60,
            expires_at: now + 24 * 3600,
        },
        &mut rand::rng(),
    )?;
    let elements = bundle.element_count() as u64;
    let blinding = clock.finish(
        "request blinding",
        elements,
        "request elements",
        PrimitiveCounts::BLIND_ADDITIVE,
        None,
    );
    // The request's size is known only now: its bound is the two samples after it (the
    // second is the holder's, taken while the requester waits for the evaluation).
    let request_shape = BatchShape::of(elements as usize);
    samples.take(request_shape);
    if elements > max_request_elements {
        bail!(
            "the request has {elements} elements, more than the set's fingerprint length \
             allows ({max_request_elements}); raise --max-request-elements"
        );
    }

    let approver = ApproverSigningKey::generate(&mut rand::rng());
    let approval = approver.approve(&Role::new(ROLE)?, bundle.manifest());
    let policy = policy(&approver, records, max_request_elements)?;
    let (contents, blinds) = bundle.into_parts();
    let limits = limits_for(elements);
    let identity = IdentityKey::generate(&mut rand::rng());
    let params = RequesterParams {
        requester_id: REQUESTER_ID.into(),
        manifest_json: contents.manifest().to_json_pretty().into_bytes(),
        approvals_json: vec![serde_json::to_vec(&approval)?],
        key_epoch: set.epoch,
        pinned_public_key: pinned,
        approved_set_hash: set.hash,
        cached: None,
        receipt: ReceiptExpectation {
            holder: identity.public_key(),
            requester_id: REQUESTER_ID.into(),
            request_id: contents.manifest().request_id(),
            manifest_sha256: contents.manifest().sha256(),
            last_seen: None,
        },
        limits,
    };
    let holder_noise = NoiseStaticKey::generate()?;
    let requester_noise = NoiseStaticKey::generate()?;
    let holder_public = holder_noise.public_key();
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let cfg = HolderConfig {
        set: Arc::clone(&set),
        noise: holder_noise,
        identity,
        requester: (requester_noise.public_key(), REQUESTER_ID.into()),
        policy,
        now,
        limits,
    };
    let (holder, requester) = std::thread::scope(|s| {
        let holder = s.spawn(|| serve_one(&listener, cfg, samples, elements));
        let requester = requester_session(
            addr,
            &requester_noise,
            &holder_public,
            params,
            &contents,
            blinds,
            samples,
        );
        (holder.join(), requester)
    });
    let holder = holder.map_err(|_| anyhow!("the holder thread panicked"))??;
    let requester = requester?;
    let matched = contents.results(&requester.matched)?;
    Ok(OnlineReport {
        blinding,
        holder_evaluation: holder.evaluation,
        holder_ledger: holder.ledger,
        finalize: requester.finalize,
        set_transfer: requester.set_transfer,
        lookup: requester.lookup,
        records,
        matched_records: matched.iter().filter(|r| r.matched_rule.is_some()).count() as u64,
        setup_bytes: requester.setup_bytes,
        holder_set_send_seconds: holder.set_send_seconds,
    })
}

struct RequesterReport {
    finalize: PhaseResult,
    set_transfer: PhaseResult,
    lookup: PhaseResult,
    matched: Vec<bool>,
    setup_bytes: u64,
}

/// Times the requester driver's points: finalize, then (after a bound sample while the
/// holder is busy sending) the set transfer with its bytes, then the lookup.
struct RequesterTimer<'a> {
    samples: &'a Samples,
    elements: u64,
    clock: Option<PhaseClock>,
    setup_bytes: u64,
    finalize: Option<PhaseResult>,
    set_transfer: Option<(PhaseClock, u64)>,
    set_done: Option<PhaseResult>,
    lookup: Option<PhaseResult>,
    set_len: u64,
}

impl Observer for RequesterTimer<'_> {
    fn at(&mut self, point: Point, traffic: Traffic) {
        match point {
            Point::WelcomeReceived => self.setup_bytes = traffic.read + traffic.written,
            Point::EvaluationReceived => self.clock = Some(PhaseClock::start()),
            Point::Finalized => {
                if let Some(clock) = self.clock.take() {
                    self.finalize = Some(clock.finish(
                        "finalize (verify + unblind + hash)",
                        self.elements,
                        "request elements",
                        PrimitiveCounts::VERIFY_AND_FINALIZE_ADDITIVE,
                        None,
                    ));
                }
                self.samples.take(BatchShape::of(self.elements as usize));
                self.set_transfer = Some((PhaseClock::start(), traffic.read));
            }
            Point::SetReceived => {
                if let Some((clock, read0)) = self.set_transfer.take() {
                    self.set_done = Some(clock.finish(
                        "set transfer + decode",
                        0,
                        "set fingerprints",
                        PrimitiveCounts::NONE,
                        Some(traffic.read - read0),
                    ));
                }
                self.clock = Some(PhaseClock::start());
            }
            Point::LookedUp => {
                if let Some(clock) = self.clock.take() {
                    self.lookup = Some(clock.finish(
                        "lookup",
                        self.elements,
                        "request elements",
                        PrimitiveCounts::NONE,
                        None,
                    ));
                }
            }
            _ => {}
        }
    }
}

fn requester_session(
    addr: SocketAddr,
    key: &NoiseStaticKey,
    holder_public: &[u8; 32],
    params: RequesterParams,
    contents: &BundleContents,
    blinds: Blinds,
    samples: &Samples,
) -> anyhow::Result<RequesterReport> {
    let stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(Duration::from_secs(600)))?;
    let limits = params.limits;
    let mut channel = Channel::connect(Metered::new(stream), key, holder_public)
        .context("requester handshake")?;
    channel.set_limits(limits);

    let blinded = contents.blinded_elements();
    let mut timer = RequesterTimer {
        samples,
        elements: blinded.len() as u64,
        clock: None,
        setup_bytes: 0,
        finalize: None,
        set_transfer: None,
        set_done: None,
        lookup: None,
        set_len: 0,
    };
    let any_valid_set = |_: &EncodedSet| Ok(());
    let job = RequesterJob {
        params,
        blinded,
        inputs: contents.element_inputs(),
        blinds,
        cached_set: None,
        check_set: &any_valid_set,
        keep_receipt: &|_| Ok(()),
    };
    let answer = match driver::run(&mut channel, job, &mut timer)? {
        RequesterOutcome::Answered(answer) => answer,
        RequesterOutcome::Refused(r) => bail!("the holder refused: {} ({})", r.message, r.code),
    };
    if answer.downloaded.is_none() {
        bail!("the holder confirmed a cache this requester lacks");
    }
    timer.set_len = answer.set.len() as u64;
    let missing = || anyhow!("the requester driver skipped a phase");
    let mut set_transfer = timer.set_done.ok_or_else(missing)?;
    set_transfer.set_elements(timer.set_len);
    Ok(RequesterReport {
        finalize: timer.finalize.ok_or_else(missing)?,
        set_transfer,
        lookup: timer.lookup.ok_or_else(missing)?,
        matched: answer.matched,
        setup_bytes: timer.setup_bytes,
    })
}
