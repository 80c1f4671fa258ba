//! The holder's blocking session driver: one requester session over an authenticated
//! channel, from `Hello` to `Goodbye`, with every decision in the ledger before it is
//! acted on. `irs serve`, the load test and the scale harness all serve through
//! [`HolderService::serve`].
//!
//! Order per session: `request-received` -> authorize (refusal: `decision-refused`, then
//! its receipt and the refusal) -> elements -> decide and reserve the records under the
//! usage lock (in memory) -> claim the id and `decision-accepted` (both durable, outside
//! the lock) -> the decision's receipt -> evaluate -> `evaluated` -> set -> `set-sent`.

use std::io::{Read, Write};

use blindlink_core::oprf::SecretKey;
use rand_core::CryptoRng;

use super::error::{HolderError, abort_for};
use super::ledger::{Commit, HolderEvent, Ledger, RequestSummary, SignedScope, commit_acceptance};
use super::observe::{LedgerOp, Observer, Point, Traffic};
use super::usage::{DailyUsage, Used};
use crate::manifest::{KeyEpoch, OprfKeyHex, SetHash};
use crate::policy::{Policy, RefusalReason, RequestContext};
use crate::session::holder::{AwaitHello, HolderParams, Receiving, Refused};
use crate::session::{SetOffer, set_messages};
use crate::wire::{Channel, ChannelError, Message, Metered};

type Conn<T> = Channel<Metered<T>>;

/// How a session ended well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Served {
    /// The request was refused (the refusal recorded, then sent); its code.
    Refused(String),
    /// The request was evaluated and the set sent (or confirmed cached).
    Answered,
}

/// The epoch a holder serves: its key, what `Welcome` announces, and its encoded set.
#[derive(Debug)]
pub struct ServedEpoch {
    /// The epoch's OPRF key.
    pub key: SecretKey,
    /// What `Welcome` announces (epoch, public key, set size, L, rules, limits).
    pub params: HolderParams,
    /// The serialized encoded set.
    pub set_bytes: Vec<u8>,
    /// Its content hash.
    pub set_hash: [u8; 32],
}

/// What every session of one holder shares: the epoch, the policy, the ledger, the usage
/// counters and the clock. Sessions may run on many threads at once.
pub struct HolderService<L> {
    epoch: ServedEpoch,
    policy: Policy,
    ledger: L,
    usage: DailyUsage,
    clock: Box<dyn Fn() -> u64 + Send + Sync>,
}

impl<L> std::fmt::Debug for HolderService<L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HolderService")
            .field("epoch", &hex::encode(self.epoch.params.key_epoch))
            .field("usage", &self.usage)
            .finish_non_exhaustive()
    }
}

impl<L: Ledger> HolderService<L> {
    /// A service over `ledger`, with the daily counters seeded from its history. `clock`
    /// gives unix seconds (a parameter, so tests and harnesses can fix it).
    pub fn new(
        epoch: ServedEpoch,
        policy: Policy,
        ledger: L,
        clock: Box<dyn Fn() -> u64 + Send + Sync>,
    ) -> Result<HolderService<L>, L::Error> {
        let key_epoch = KeyEpoch::from_bytes(epoch.params.key_epoch);
        let usage = DailyUsage::from_history(ledger.served_history()?, key_epoch, clock());
        Ok(HolderService {
            epoch,
            policy,
            ledger,
            usage,
            clock,
        })
    }

    /// The ledger (for entries outside a session, such as a failed handshake).
    pub fn ledger(&self) -> &L {
        &self.ledger
    }

    /// The epoch served.
    pub fn epoch(&self) -> &ServedEpoch {
        &self.epoch
    }

    /// The clock's unix seconds now.
    pub fn now(&self) -> u64 {
        (self.clock)()
    }

    /// Records a `session-error` entry (reason code from
    /// [`failure_code`](super::failure_code) or the caller's own, e.g. `session-deadline`).
    pub fn record_failure(
        &self,
        peer: Option<&str>,
        requester: Option<&str>,
        reason: &str,
        error: &str,
    ) -> Result<(), L::Error> {
        let event = HolderEvent::SessionError {
            peer,
            requester,
            reason,
            error,
        };
        self.ledger.record(self.now(), &event)
    }

    /// Serves one session to `requester` (the id bound to the channel's peer key) and
    /// sends an `Abort` if it ends in a protocol error while the channel still works.
    /// Never panics on peer input.
    pub fn serve<T: Read + Write, R: CryptoRng + ?Sized>(
        &self,
        channel: &mut Conn<T>,
        requester: &str,
        rng: &mut R,
        observer: &mut dyn Observer,
    ) -> Result<Served, HolderError<L::Error>> {
        let mut session = Session {
            service: self,
            channel,
            observer,
        };
        let result = session.run(requester, rng);
        if let Some(abort) = result.as_ref().err().and_then(abort_for) {
            let _ = session.channel.send(&Message::Abort(abort));
        }
        result
    }

    fn context(&self, now: u64, used: Used, request_id_seen: bool) -> RequestContext {
        RequestContext {
            now,
            current_epoch: KeyEpoch::from_bytes(self.epoch.params.key_epoch),
            current_oprf_public_key: OprfKeyHex::from_bytes(self.epoch.params.public_key),
            current_set_hash: SetHash::from_bytes(self.epoch.set_hash),
            records_served_today: used.records,
            elements_served_today: used.elements,
            elements_evaluated_in_epoch: used.epoch_elements,
            request_id_seen,
        }
    }
}

struct Session<'a, L, T> {
    service: &'a HolderService<L>,
    channel: &'a mut Conn<T>,
    observer: &'a mut dyn Observer,
}

impl<L: Ledger, T: Read + Write> Session<'_, L, T> {
    fn traffic(&self) -> Traffic {
        let stream = self.channel.get_ref();
        Traffic {
            read: stream.bytes_read(),
            written: stream.bytes_written(),
        }
    }

    fn point(&mut self, point: Point) {
        let traffic = self.traffic();
        self.observer.at(point, traffic);
    }

    /// Runs `write` against the ledger between two observer points.
    fn ledger<V>(
        &mut self,
        op: LedgerOp,
        write: impl FnOnce(&L) -> Result<V, L::Error>,
    ) -> Result<V, HolderError<L::Error>> {
        self.point(Point::LedgerBegin(op));
        let value = write(&self.service.ledger).map_err(HolderError::Ledger)?;
        self.point(Point::LedgerEnd(op));
        Ok(value)
    }

    fn record(
        &mut self,
        op: LedgerOp,
        event: &HolderEvent<'_>,
    ) -> Result<(), HolderError<L::Error>> {
        let now = self.service.now();
        self.ledger(op, |ledger| ledger.record(now, event))
    }

    /// The next message; a frame that is not a valid message is the peer's fault and
    /// leaves the channel usable for the `Abort`.
    fn receive(&mut self) -> Result<Message, HolderError<L::Error>> {
        self.channel.recv().map_err(HolderError::from_channel)
    }

    fn send(&mut self, message: &Message) -> Result<(), HolderError<L::Error>> {
        self.channel.send(message).map_err(HolderError::Channel)
    }

    /// Records a final refusal, then sends its receipt (consistency from log size
    /// `since`) and the refusal.
    fn refuse(
        &mut self,
        request: &RequestSummary,
        refused: &Refused,
        since: u64,
    ) -> Result<Served, HolderError<L::Error>> {
        let event = HolderEvent::DecisionRefused {
            request,
            reason: &refused.reason,
        };
        let now = self.service.now();
        let receipt = self.ledger(LedgerOp::Refused, |ledger| {
            ledger.record_decision(now, &event, since)
        })?;
        self.send(&Message::Receipt(receipt))?;
        self.send(&refused.message())?;
        Ok(Served::Refused(refused.reason.code().to_owned()))
    }

    /// After a refusal sent while the requester may still be streaming its elements:
    /// reads and discards the rest (at most `announced` elements, until `ElementsDone`,
    /// another message, an error or the read timeout). Closing with unread data would
    /// reset the connection, and the reset can destroy the refusal before the requester
    /// has read it.
    fn drain_elements(&mut self, announced: u64) {
        let mut drained = 0u64;
        while drained <= announced {
            match self.channel.recv() {
                Ok(Message::ElementsChunk(chunk)) => drained += chunk.elements.len() as u64,
                _ => break,
            }
        }
    }

    fn run<R: CryptoRng + ?Sized>(
        &mut self,
        requester: &str,
        rng: &mut R,
    ) -> Result<Served, HolderError<L::Error>> {
        let service = self.service;
        let hello = self.receive()?;
        let (await_request, welcome) =
            AwaitHello::new(service.epoch.params.clone(), requester).on_hello(hello)?;
        self.send(&welcome)?;

        let request = self.receive()?;
        let review = await_request.on_request(request)?;
        self.point(Point::RequestReceived);
        let since = review.log_size_seen();
        let fields = review.manifest().fields();
        let summary = RequestSummary {
            requester: requester.to_owned(),
            request_id: fields.request_id,
            records: fields.record_count,
            elements: fields.element_count,
            rules: fields
                .rules_used
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect(),
            approvals: review.approvals().len(),
            signed: SignedScope::of(review.manifest(), review.approvals()),
        };
        self.record(
            LedgerOp::RequestReceived,
            &HolderEvent::RequestReceived(&summary),
        )?;

        let now = service.now();
        let id = summary.request_id;
        let seen = self.ledger(LedgerOp::ReplayCheck, |l| l.is_claimed(&id))?;
        let used = service.usage.lock().used(requester, now);
        let context = service.context(now, used, seen);
        let mut receiving = match review.authorize(&service.policy, &context) {
            Ok(r) => r,
            Err(refused) => {
                let served = self.refuse(&summary, &refused, since)?;
                self.drain_elements(summary.elements);
                return Ok(served);
            }
        };
        let received = loop {
            let message = self.receive()?;
            // A refusal on `ElementsDone` (too few elements) leaves nothing to drain.
            let stream_ended = matches!(message, Message::ElementsDone);
            match receiving.on_message(message)? {
                Receiving::More(next) => receiving = next,
                Receiving::Refused(refused) => {
                    let served = self.refuse(&summary, &refused, since)?;
                    if !stream_ended {
                        self.drain_elements(summary.elements);
                    }
                    return Ok(served);
                }
                Receiving::Complete(done) => break done,
            }
        };
        self.point(Point::ElementsReceived);

        // Decide and reserve the records as one step under the usage lock (in memory
        // only: the replay check is the ledger's in-memory set), so two sessions together
        // over the daily limit cannot both pass. The durable claim and `decision-accepted`
        // come after, outside the lock, so sessions do not queue behind each other's
        // fsyncs. The claim is atomic on its own: of two sessions with one id, exactly one
        // wins and the other is refused `replayed`. A reservation whose commit then fails
        // or loses the claim stays counted until the holder restarts (the counters are
        // rebuilt from `decision-accepted` entries): conservative, never over the limit.
        let accepted = {
            let mut usage = service.usage.lock();
            let now = service.now();
            let seen = self.ledger(LedgerOp::ReplayCheck, |l| l.is_claimed(&id))?;
            let context = service.context(now, usage.used(requester, now), seen);
            match received.decide(&service.policy, &context) {
                Ok(accepted) => {
                    usage.add(requester, now, summary.records, summary.elements);
                    accepted
                }
                Err(refused) => {
                    drop(usage);
                    return self.refuse(&summary, &refused, since);
                }
            }
        };
        let now = service.now();
        let commit = self.ledger(LedgerOp::Commit, |l| {
            commit_acceptance(l, now, &accepted, &summary, since)
        })?;
        let durable = match commit {
            Commit::Durable(durable, receipt) => {
                self.send(&Message::Receipt(*receipt))?;
                durable
            }
            Commit::Replayed => {
                let refused = Refused {
                    reason: RefusalReason::Replayed { request_id: id },
                };
                return self.refuse(&summary, &refused, since);
            }
        };
        self.point(Point::Committed);

        let elements = accepted.element_count() as u64;
        let evaluation = accepted.evaluate(durable, &service.epoch.key, rng)?;
        let mut proofs = 0u64;
        for message in &evaluation.messages {
            proofs += u64::from(matches!(message, Message::Proof(_)));
            self.send(message)?;
        }
        self.point(Point::EvaluationSent);
        let event = HolderEvent::Evaluated {
            request: &summary,
            elements,
            proofs,
        };
        self.record(LedgerOp::Evaluated, &event)?;

        let epoch = &service.epoch;
        let offer = SetOffer {
            epoch: epoch.params.key_epoch,
            set_hash: epoch.set_hash,
            bytes: &epoch.set_bytes,
        };
        let chunk_bytes = epoch.params.limits.set_chunk_bytes();
        let (mut set_bytes, mut cached) = (0u64, false);
        for message in set_messages(offer, evaluation.cached, chunk_bytes) {
            match &message {
                Message::SetChunk(c) => set_bytes += c.bytes.len() as u64,
                Message::SetCached(_) => cached = true,
                _ => {}
            }
            self.send(&message)?;
        }
        self.point(Point::SetSent);
        let traffic = self.traffic();
        let event = HolderEvent::SetSent {
            request: &summary,
            set_hash: epoch.set_hash,
            cached,
            set_bytes,
            wire_bytes_out: traffic.written,
            wire_bytes_in: traffic.read,
        };
        self.record(LedgerOp::SetSent, &event)?;
        self.await_goodbye()
    }

    /// The requester says Goodbye; one that just closes, or takes longer than the read
    /// timeout to check the set, is fine too. An Abort (it rejected what it got) or any
    /// other message (a second request) is the session's error.
    fn await_goodbye(&mut self) -> Result<Served, HolderError<L::Error>> {
        match self.receive() {
            Ok(Message::Goodbye)
            | Err(HolderError::Channel(ChannelError::PeerClosed | ChannelError::Timeout)) => {
                Ok(Served::Answered)
            }
            Ok(other) => Err(HolderError::Session(
                crate::session::SessionError::unexpected(&other, "waiting for Goodbye"),
            )),
            Err(e) => Err(e),
        }
    }
}
