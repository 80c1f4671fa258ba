//! The data holder's side of one session, as `irs serve` drives it: Noise handshake
//! (the requester's static key pinned), the holder session state machine from `Hello` to
//! the evaluated elements and proofs, then the encoded set. The audit log and the replay
//! store are the binary's (one fsync and one insert per request) and are left out.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use blindlink_protocol::manifest::KeyEpoch;
use blindlink_protocol::policy::{Policy, RequestContext};
use blindlink_protocol::session::holder::{AwaitHello, HolderParams, Receiving};
use blindlink_protocol::session::{SetOffer, set_messages};
use blindlink_protocol::wire::{Channel, Limits, Metered, NoiseStaticKey};

use crate::bound::{PrimitiveCounts, Samples};
use crate::data::HolderSet;
use crate::phases::{PhaseClock, PhaseResult};

/// What the holder needs to serve one request.
#[derive(Debug)]
pub struct HolderConfig {
    /// The epoch's key and encoded set.
    pub set: Arc<HolderSet>,
    /// The holder's Noise static key.
    pub noise: NoiseStaticKey,
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
    /// decoding the blinded elements, BlindEvaluate with proofs, sending the answer.
    pub evaluation: PhaseResult,
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

/// Accepts one connection on `listener` and serves it to the end.
pub fn serve_one(
    listener: &TcpListener,
    cfg: HolderConfig,
    samples: &Samples,
) -> anyhow::Result<HolderReport> {
    let (stream, _) = listener.accept().context("accept")?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(Duration::from_secs(600)))?;
    let (mut channel, _) = Channel::accept(Metered::new(stream), &cfg.noise, &[cfg.requester.0])
        .context("holder handshake")?;
    channel.set_limits(cfg.limits);

    let (await_request, welcome) =
        AwaitHello::new(params(&cfg), cfg.requester.1.clone()).on_hello(channel.recv()?)?;
    channel.send(&welcome)?;

    let request = channel.recv()?;
    let mut clock = PhaseClock::start();
    let (read0, written0) = (
        channel.get_ref().bytes_read(),
        channel.get_ref().bytes_written(),
    );
    let context = RequestContext {
        now: cfg.now,
        current_epoch: KeyEpoch::from_bytes(cfg.set.epoch),
        records_served_today: 0,
        request_id_seen: false,
    };
    let review = await_request.on_request(request)?;
    let mut receiving = match review.authorize(&cfg.policy, &context) {
        Ok(r) => r,
        Err(refused) => {
            channel.send(&refused.message())?;
            bail!("holder refused: {}", refused.reason);
        }
    };
    let received = loop {
        match receiving.on_message(channel.recv()?)? {
            Receiving::More(next) => receiving = next,
            Receiving::Complete(done) => break done,
            Receiving::Refused(refused) => {
                channel.send(&refused.message())?;
                bail!("holder refused: {}", refused.reason);
            }
        }
    };
    let accepted = match received.decide(&cfg.policy, &context) {
        Ok(a) => a,
        Err(refused) => {
            channel.send(&refused.message())?;
            bail!("holder refused: {}", refused.reason);
        }
    };
    // Adjacent bound, while the requester waits (its thread is idle).
    clock.exclude(samples.take());
    let elements = accepted.element_count() as u64;
    let evaluation = accepted.evaluate(&cfg.set.key, &mut rand::rng())?;
    for message in &evaluation.messages {
        channel.send(message)?;
    }
    let wire =
        channel.get_ref().bytes_read() - read0 + channel.get_ref().bytes_written() - written0;
    let phase = clock.finish(
        "holder evaluation + proofs",
        elements,
        "request elements",
        PrimitiveCounts::BLIND_EVALUATE_AND_PROVE,
        Some(wire),
    );

    let set_start = std::time::Instant::now();
    let offer = SetOffer {
        epoch: cfg.set.epoch,
        set_hash: cfg.set.hash,
        bytes: &cfg.set.bytes,
    };
    for message in set_messages(offer, evaluation.cached, cfg.limits.set_chunk_bytes()) {
        channel.send(&message)?;
    }
    let set_send_seconds = set_start.elapsed().as_secs_f64();
    // The requester says Goodbye (or hangs up); either ends the session.
    let _ = channel.recv();
    Ok(HolderReport {
        evaluation: phase,
        set_send_seconds,
    })
}
