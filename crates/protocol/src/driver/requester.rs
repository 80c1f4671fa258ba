//! The requester's blocking session driver: `Hello` to `Goodbye` over an authenticated
//! channel, everything the holder sends checked by the session state machine
//! ([`crate::session::requester`]) plus the caller's check of the set. `ice query`, the
//! test kit's honest client, the load test and the scale harness all call [`run`].

use std::io::{Read, Write};

use blindlink_core::fingerprint::EncodedSet;
use blindlink_core::oprf::Blinds;

use super::error::{RequesterError, abort};
use super::observe::{Observer, Point, Traffic};
use crate::session::SessionError;
use crate::session::requester::{
    EvaluationStep, RequesterParams, RequesterSession, SetStep, check_cached_set, lookup,
};
use crate::transparency::VerifiedReceipt;
use crate::wire::{AbortReason, Channel, ChannelError, Element, Message, Metered, Refusal};

/// The caller's check of a set the session found valid, e.g. "is it the set the holder
/// published in holder.json": `Err` says why not.
pub type SetCheck<'a> = &'a dyn Fn(&EncodedSet) -> Result<(), String>;

/// Where the caller keeps a verified receipt (e.g. its audit log) before the session goes
/// on: `Err` (it could not be kept) ends the session.
pub type ReceiptSink<'a> = &'a dyn Fn(&VerifiedReceipt) -> Result<(), String>;

/// One approved request to send.
pub struct RequesterJob<'a, I> {
    /// Who asks, what was approved, what is pinned, the cached set's identity.
    pub params: RequesterParams,
    /// The blinded elements, in the approved order.
    pub blinded: &'a [Element],
    /// The OPRF inputs behind them (the match keys), same order.
    pub inputs: &'a [I],
    /// The blinds (consumed by finalize).
    pub blinds: Blinds,
    /// The cached set `params.cached` names, if any.
    pub cached_set: Option<EncodedSet>,
    /// Checked on every set before it is used or cached.
    pub check_set: SetCheck<'a>,
    /// Given the holder's receipt as soon as it verified.
    pub keep_receipt: ReceiptSink<'a>,
}

impl<I> std::fmt::Debug for RequesterJob<'_, I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequesterJob")
            .field("requester_id", &self.params.requester_id)
            .field("elements", &self.blinded.len())
            .field("cached", &self.params.cached)
            .finish_non_exhaustive()
    }
}

/// The holder's answer to an accepted request.
#[derive(Debug)]
pub struct Answer {
    /// `matched[i]`: element `i`'s fingerprint is in the set.
    pub matched: Vec<bool>,
    /// The set the lookup ran against.
    pub set: EncodedSet,
    /// The set's bytes when it was downloaded (for the cache); `None` when the holder
    /// confirmed the cached copy.
    pub downloaded: Option<Vec<u8>>,
}

/// How a session ended well.
#[derive(Debug)]
pub enum RequesterOutcome {
    /// The holder refused the request (its code and reason).
    Refused(Refusal),
    /// The request was answered.
    Answered(Answer),
}

/// Runs one session. On a protocol error or a rejected answer the holder is sent an
/// `Abort` (best effort) before the error is returned.
pub fn run<T: Read + Write, I: AsRef<[u8]> + Sync>(
    channel: &mut Channel<Metered<T>>,
    job: RequesterJob<'_, I>,
    observer: &mut dyn Observer,
) -> Result<RequesterOutcome, RequesterError> {
    let result = drive(channel, job, observer);
    let reason = match &result {
        Err(RequesterError::Rejected(SessionError::Unexpected { .. })) => {
            Some(AbortReason::UnexpectedMessage)
        }
        Err(RequesterError::Rejected(SessionError::PeerAborted { .. })) => None,
        Err(RequesterError::Rejected(_) | RequesterError::SetRejected(_)) => {
            Some(AbortReason::Malformed)
        }
        _ => None,
    };
    if let (Some(reason), Err(error)) = (reason, &result) {
        let _ = channel.send(&Message::Abort(abort(reason, error)));
    }
    result
}

fn traffic<T: Read + Write>(channel: &Channel<Metered<T>>) -> Traffic {
    let stream = channel.get_ref();
    Traffic {
        read: stream.bytes_read(),
        written: stream.bytes_written(),
    }
}

fn drive<T: Read + Write, I: AsRef<[u8]> + Sync>(
    channel: &mut Channel<Metered<T>>,
    job: RequesterJob<'_, I>,
    observer: &mut dyn Observer,
) -> Result<RequesterOutcome, RequesterError> {
    let epoch = job.params.key_epoch;
    let (await_welcome, hello) = RequesterSession::start(job.params);
    channel.send(&hello)?;
    // The holder checks the requester's key after the handshake and closes without a
    // word if it is not allowed.
    let welcome = channel.recv().map_err(|e| match e {
        ChannelError::PeerClosed => RequesterError::ClosedAfterHandshake,
        other => RequesterError::Channel(other),
    })?;
    let (mut evaluation, messages) = await_welcome.on_welcome(welcome, job.blinded)?;
    observer.at(Point::WelcomeReceived, traffic(channel));
    for message in &messages {
        channel.send(message)?;
    }
    drop(messages);
    observer.at(Point::RequestSent, traffic(channel));

    let received = loop {
        match evaluation.on_message(channel.recv()?)? {
            EvaluationStep::More(next) => evaluation = next,
            EvaluationStep::Receipt(next, receipt) => {
                (job.keep_receipt)(&receipt).map_err(RequesterError::ReceiptNotKept)?;
                evaluation = next;
            }
            EvaluationStep::Done(done) => break done,
            EvaluationStep::Refused(refusal) => return Ok(RequesterOutcome::Refused(refusal)),
        }
    };
    observer.at(Point::EvaluationReceived, traffic(channel));
    let (mut await_set, outputs) = received.finalize(job.inputs, job.blinds, job.blinded)?;
    observer.at(Point::Finalized, traffic(channel));

    let mut cached_set = job.cached_set;
    let (set, downloaded) = loop {
        match await_set.on_message(channel.recv()?)? {
            SetStep::More(next) => await_set = *next,
            SetStep::Received { set, bytes } => break (set, Some(bytes)),
            SetStep::UseCached(_) => {
                let set = cached_set.take().ok_or_else(|| {
                    RequesterError::SetRejected(
                        "the holder confirmed a cached set this requester does not have".into(),
                    )
                })?;
                check_cached_set(&set, &epoch)?;
                break (set, None);
            }
        }
    };
    (job.check_set)(&set).map_err(RequesterError::SetRejected)?;
    observer.at(Point::SetReceived, traffic(channel));
    let _ = channel.send(&Message::Goodbye);
    let matched = lookup(&set, &outputs);
    observer.at(Point::LookedUp, traffic(channel));
    Ok(RequesterOutcome::Answered(Answer {
        matched,
        set,
        downloaded,
    }))
}
