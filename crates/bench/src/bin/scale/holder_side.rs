//! The data holder's side of one session: the shipped holder driver
//! ([`HolderService::serve`]), the one `irs serve` runs, over the real Noise channel and
//! the real file ledger (audit log and replay journal in a temporary directory, every
//! write fsynced). An observer on the driver's points times the evaluation and, as its
//! own line, the ledger writes the session waits on.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use blindlink_core::oprf::SecretKey;
use blindlink_protocol::driver::{
    HolderService, LedgerOp, Observer, Point, Served, ServedEpoch, Traffic,
};
use blindlink_protocol::identity::IdentityKey;
use blindlink_protocol::policy::Policy;
use blindlink_protocol::session::holder::HolderParams;
use blindlink_protocol::wire::{Channel, Limits, Metered, NoiseStaticKey};
use blindlink_store::FileLedger;

use crate::bound::{BatchShape, PrimitiveCounts, Samples};
use crate::data::HolderSet;
use crate::phases::{PhaseClock, PhaseResult};

/// What the holder needs to serve one request.
#[derive(Debug)]
pub struct HolderConfig {
    /// The epoch's key and encoded set.
    pub set: Arc<HolderSet>,
    /// The holder's Noise static key.
    pub noise: NoiseStaticKey,
    /// The holder's identity key (signs the receipt of its decision).
    pub identity: IdentityKey,
    /// The one requester allowed to connect, and its id.
    pub requester: ([u8; 32], String),
    /// The holder's policy.
    pub policy: Policy,
    /// The holder's clock, unix seconds.
    pub now: u64,
    /// Wire limits.
    pub limits: Limits,
}

/// What the holder measured.
#[derive(Debug)]
pub struct HolderReport {
    /// `Request` received to `EvaluationDone` sent: authorization, receiving and
    /// decoding the blinded elements, BlindEvaluate with proofs, sending the answer
    /// (ledger waits left out: they are [`HolderReport::ledger`]).
    pub evaluation: PhaseResult,
    /// The ledger writes of the session (audit entries and the replay claim, each
    /// fsynced), counted in fsynced writes.
    pub ledger: PhaseResult,
    /// Seconds spent writing the set messages (they overlap the requester's finalize).
    pub set_send_seconds: f64,
}

/// Wire limits that admit a request of `elements`.
pub fn limits_for(elements: u64) -> Limits {
    let mut limits = Limits::default();
    limits.max_total_elements = limits.max_total_elements.max(elements);
    limits
}

fn params(cfg: &HolderConfig) -> HolderParams {
    let limits = cfg.policy.limits();
    HolderParams {
        key_epoch: cfg.set.epoch,
        public_key: cfg.set.key.public_key().to_bytes(),
        set_size: cfg.set.count,
        fingerprint_bits: u8::try_from(cfg.set.bits).unwrap_or(u8::MAX),
        rules_answered: 0b11,
        max_records: u32::try_from(limits.max_records_per_request).unwrap_or(u32::MAX),
        max_elements: limits.max_elements_per_request,
        limits: cfg.limits,
    }
}

/// Times the driver's points: the evaluation phase from `Request` to `EvaluationDone`
/// sent, minus the ledger waits and the bound sample taken while the requester waits.
struct HolderTimer<'a> {
    samples: &'a Samples,
    evaluation: Option<PhaseClock>,
    evaluation_done: Option<PhaseResult>,
    elements: u64,
    wire_at_request: Traffic,
    ledger_since: Option<Instant>,
    ledger_total: Duration,
    ledger_writes: u64,
    set_from: Option<Instant>,
    set_send: Duration,
}

impl Observer for HolderTimer<'_> {
    fn at(&mut self, point: Point, traffic: Traffic) {
        match point {
            Point::RequestReceived => {
                self.evaluation = Some(PhaseClock::start());
                self.wire_at_request = traffic;
            }
            Point::LedgerBegin(_) => self.ledger_since = Some(Instant::now()),
            Point::LedgerEnd(op) => {
                let spent = self
                    .ledger_since
                    .take()
                    .map_or(Duration::ZERO, |t| t.elapsed());
                self.ledger_total += spent;
                // Fsyncs the op waited on: the commit claims the id and records the
                // decision; a replay check reads memory only.
                self.ledger_writes += match op {
                    LedgerOp::ReplayCheck => 0,
                    LedgerOp::Commit => 2,
                    _ => 1,
                };
                if op == LedgerOp::Evaluated {
                    self.set_from = Some(Instant::now());
                }
                if let Some(clock) = &mut self.evaluation {
                    clock.exclude(spent);
                }
            }
            // Adjacent bound, while the requester waits (its thread is idle).
            Point::Committed => {
                let sample = self.samples.take(BatchShape::of(self.elements as usize));
                if let Some(clock) = &mut self.evaluation {
                    clock.exclude(sample);
                }
            }
            Point::EvaluationSent => {
                let wire = traffic.read - self.wire_at_request.read + traffic.written
                    - self.wire_at_request.written;
                if let Some(clock) = self.evaluation.take() {
                    self.evaluation_done = Some(clock.finish(
                        "holder evaluation + proofs",
                        self.elements,
                        "request elements",
                        PrimitiveCounts::BLIND_EVALUATE_AND_PROVE,
                        Some(wire),
                    ));
                }
            }
            Point::SetSent => {
                if let Some(t) = self.set_from.take() {
                    self.set_send = t.elapsed();
                }
            }
            _ => {}
        }
    }
}

/// Accepts one connection on `listener` and serves it to the end with the shipped
/// driver and a file ledger in a fresh temporary directory.
pub fn serve_one(
    listener: &TcpListener,
    cfg: HolderConfig,
    samples: &Samples,
    elements: u64,
) -> anyhow::Result<HolderReport> {
    let dir = tempfile::tempdir().context("ledger directory")?;
    let epoch = ServedEpoch {
        key: SecretKey::from_bytes(&cfg.set.key.to_bytes())?,
        params: params(&cfg),
        set_bytes: cfg.set.bytes.clone(),
        set_hash: cfg.set.hash,
    };
    let ledger = FileLedger::open(
        &dir.path().join("audit.log"),
        &dir.path().join("replay.log"),
        cfg.identity,
    )
    .context("open the ledger")?;
    let now = cfg.now;
    let service = HolderService::new(epoch, cfg.policy, ledger, Box::new(move || now))?;

    let (stream, _) = listener.accept().context("accept")?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(Duration::from_secs(600)))?;
    let (mut channel, _) = Channel::accept(Metered::new(stream), &cfg.noise, &[cfg.requester.0])
        .context("holder handshake")?;
    channel.set_limits(cfg.limits);

    let mut timer = HolderTimer {
        samples,
        evaluation: None,
        evaluation_done: None,
        elements,
        wire_at_request: Traffic::default(),
        ledger_since: None,
        ledger_total: Duration::ZERO,
        ledger_writes: 0,
        set_from: None,
        set_send: Duration::ZERO,
    };
    match service.serve(&mut channel, &cfg.requester.1, &mut rand::rng(), &mut timer)? {
        Served::Answered => {}
        Served::Refused(code) => bail!("holder refused: {code}"),
    }
    let evaluation = timer
        .evaluation_done
        .context("the driver never reported the evaluation")?;
    let ledger = PhaseResult::timed(
        "holder ledger (audit + replay, fsync)",
        timer.ledger_total,
        timer.ledger_writes,
        "fsynced writes",
    );
    Ok(HolderReport {
        evaluation,
        ledger,
        set_send_seconds: timer.set_send.as_secs_f64(),
    })
}
