//! The online part: the requester prepares (normalize, keys, blind, manifest) and an
//! approver signs, then one session over a loopback TCP socket and the real Noise
//! channel, the holder in its own thread ([`crate::holder_side`]) and the requester
//! session state machine here, down to the lookup of the finalized outputs in the set.
//!
//! Bound samples are taken where the other party is idle: before and after blinding,
//! by the holder between its decision and its evaluation (the requester waits for the
//! answer), and after finalize (the holder waits on the socket with the set).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, anyhow, bail};
use blindlink_core::match_key::RuleSet;
use blindlink_core::oprf::Blinds;
use blindlink_protocol::approval::{ApproverSigningKey, Role};
use blindlink_protocol::bundle::{BundleContents, PrepareParams, RequestBundle, RequestRow};
use blindlink_protocol::manifest::{LegalBasis, RequesterId};
use blindlink_protocol::policy::Policy;
use blindlink_protocol::session::requester::{
    EvaluationStep, RequesterParams, RequesterSession, SetStep, lookup,
};
use blindlink_protocol::wire::{Channel, Message, Metered, NoiseStaticKey};

use crate::bound::{PrimitiveCounts, Samples};
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
         max_records_per_day = {records}\n",
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
    samples.take();
    let clock = PhaseClock::start();
    let bundle = RequestBundle::prepare(
        rows,
        PrepareParams {
            requester_id: RequesterId::new(REQUESTER_ID)?,
            legal_basis: LegalBasis::new("scale harness, synthetic data")?,
            rules: RuleSet::default_policy(),
            key_epoch: set.epoch,
            holder_oprf_public_key: pinned,
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
        PrimitiveCounts::BLIND,
        None,
    );
    samples.take();
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
    let params = RequesterParams {
        requester_id: REQUESTER_ID.into(),
        manifest_json: contents.manifest().to_json_pretty().into_bytes(),
        approvals_json: vec![serde_json::to_vec(&approval)?],
        key_epoch: set.epoch,
        pinned_public_key: pinned,
        cached: None,
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
        requester: (requester_noise.public_key(), REQUESTER_ID.into()),
        policy,
        now,
        limits,
    };
    let (holder, requester) = std::thread::scope(|s| {
        let holder = s.spawn(|| serve_one(&listener, cfg, samples));
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
    let metered =
        |c: &Channel<Metered<TcpStream>>| (c.get_ref().bytes_read(), c.get_ref().bytes_written());

    let (await_welcome, hello) = RequesterSession::start(params);
    channel.send(&hello)?;
    let welcome = channel.recv()?;
    let (r0, w0) = metered(&channel);
    let blinded = contents.blinded_elements();
    let (mut evaluation, messages) = await_welcome.on_welcome(welcome, blinded)?;
    for message in &messages {
        channel.send(message)?;
    }
    drop(messages);
    let received = loop {
        match evaluation.on_message(channel.recv()?)? {
            EvaluationStep::More(next) => evaluation = next,
            EvaluationStep::Refused(r) => bail!("the holder refused: {} ({})", r.message, r.code),
            EvaluationStep::Done(done) => break done,
        }
    };

    let elements = blinded.len() as u64;
    let clock = PhaseClock::start();
    let (mut await_set, outputs) = received.finalize(contents.element_inputs(), blinds, blinded)?;
    let finalize = clock.finish(
        "finalize (verify + unblind + hash)",
        elements,
        "request elements",
        PrimitiveCounts::VERIFY_AND_FINALIZE,
        None,
    );
    samples.take();

    let clock = PhaseClock::start();
    let (r1, _) = metered(&channel);
    let set = loop {
        match await_set.on_message(channel.recv()?)? {
            SetStep::More(next) => await_set = next,
            SetStep::Received { set, .. } => break set,
            SetStep::UseCached(_) => bail!("the holder confirmed a cache this requester lacks"),
        }
    };
    let set_bytes = metered(&channel).0 - r1;
    let set_transfer = clock.finish(
        "set transfer + decode",
        set.len() as u64,
        "set fingerprints",
        PrimitiveCounts::NONE,
        Some(set_bytes),
    );

    let clock = PhaseClock::start();
    let matched = lookup(&set, &outputs);
    let lookup_phase = clock.finish(
        "lookup",
        elements,
        "request elements",
        PrimitiveCounts::NONE,
        None,
    );
    channel.send(&Message::Goodbye)?;
    Ok(RequesterReport {
        finalize,
        set_transfer,
        lookup: lookup_phase,
        matched,
        setup_bytes: r0 + w0,
    })
}
