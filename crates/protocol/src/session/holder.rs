//! The data holder's session: from `Hello` to the evaluated elements, with the policy
//! decision in between.
//!
//! The driver ([`crate::driver::holder`]) owns the clock, the ledger (audit log and
//! replay journal) and the daily usage counters. This module tells it when a decision is
//! final ([`Refused`] or [`Accepted`]); an accepted request is evaluated only with the
//! [`Durable`] receipt the ledger commit hands out, so evaluating before the decision is
//! recorded does not compile.

use super::SessionError;
use crate::approval::Approval;
use crate::driver::Durable;
use crate::manifest::{BlindedDigest, Manifest};
use crate::policy::{
    Acceptance, Decision, EvaluationContext, Policy, ReceivedElements, RefusalReason,
    RequestContext,
};
use crate::wire::{
    self, CachedSet, Element, Evaluated, Hello, KeyEpoch, Limits, Message, PROTOCOL_VERSION,
    Refusal, SUITE, Welcome,
};
use blindlink_core::oprf::{BlindedBatch, OprfError, SecretKey, blind_evaluate_and_prove};
use rand_core::CryptoRng;

/// What the holder announces in `Welcome` for the current key epoch.
#[derive(Clone, Debug)]
pub struct HolderParams {
    /// Current key epoch.
    pub key_epoch: KeyEpoch,
    /// OPRF public key of the epoch.
    pub public_key: [u8; 32],
    /// Number of fingerprints in the epoch's encoded set.
    pub set_size: u64,
    /// Fingerprint length `L` of the set.
    pub fingerprint_bits: u8,
    /// Match rules the set answers (bit i = rule R(i+1)).
    pub rules_answered: u8,
    /// Most records per request (policy).
    pub max_records: u32,
    /// Most blinded elements per request (policy).
    pub max_elements: u64,
    /// Wire limits for this session.
    pub limits: Limits,
}

/// Waiting for the requester's `Hello`. `requester` is the id bound to the peer's Noise
/// static key by the holder's configuration: the channel, not the peer, says who it is.
#[derive(Debug)]
pub struct AwaitHello {
    params: HolderParams,
    requester: String,
}

/// Waiting for the `Request`.
#[derive(Debug)]
pub struct AwaitRequest {
    params: HolderParams,
    requester: String,
    cached: Option<CachedSet>,
    log_size_seen: u64,
}

/// A parsed request, before the policy has looked at it.
#[derive(Debug)]
pub struct ReviewRequest {
    params: HolderParams,
    requester: String,
    cached: Option<CachedSet>,
    log_size_seen: u64,
    manifest: Manifest,
    approvals: Vec<Approval>,
    declared_count: u64,
}

/// Receiving blinded elements of an authorized request.
#[derive(Debug)]
pub struct ReceivingElements {
    review: ReviewRequest,
    digest: BlindedDigest,
    elements: Vec<Element>,
    next_chunk: u32,
}

/// What one elements message led to.
#[derive(Debug)]
pub enum Receiving {
    /// More chunks expected.
    More(ReceivingElements),
    /// `ElementsDone` arrived with every element.
    Complete(ElementsReceived),
    /// The requester sent more elements than approved: refused without reading on.
    Refused(Refused),
}

/// All elements received; the final decision is next.
#[derive(Debug)]
pub struct ElementsReceived {
    review: ReviewRequest,
    received: ReceivedElements,
    elements: Vec<Element>,
}

/// A final refusal. The caller writes it to the audit log, then sends [`Refused::message`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// Why.
    pub reason: RefusalReason,
}

/// An accepted request, decoded and ready to evaluate once it is durable: the request id
/// claimed and the decision recorded ([`Durable`]).
#[derive(Debug)]
pub struct Accepted {
    /// What the policy accepted (request id, record count, approvers).
    pub acceptance: Acceptance,
    batch: BlindedBatch,
    cached: Option<CachedSet>,
    limits: Limits,
}

/// The holder's answer: evaluated elements in chunks, the proofs, `EvaluationDone`.
#[derive(Debug)]
pub struct Evaluation {
    /// Messages to send, in order.
    pub messages: Vec<Message>,
    /// The requester's cached set, to decide whether the set must be sent.
    pub cached: Option<CachedSet>,
}

impl AwaitHello {
    /// A new session with an authenticated requester.
    pub fn new(params: HolderParams, requester: impl Into<String>) -> AwaitHello {
        AwaitHello {
            params,
            requester: requester.into(),
        }
    }

    /// Checks version, suite and requester id; answers with `Welcome`.
    pub fn on_hello(self, msg: Message) -> Result<(AwaitRequest, Message), SessionError> {
        let Message::Hello(Hello {
            version,
            suite,
            requester_id,
            cached_set,
            holder_log_size,
        }) = msg
        else {
            return Err(SessionError::unexpected(&msg, "waiting for Hello"));
        };
        if version != PROTOCOL_VERSION {
            return Err(SessionError::Unsupported(format!(
                "protocol version {version}, this holder speaks {PROTOCOL_VERSION}"
            )));
        }
        if suite != SUITE {
            return Err(SessionError::Unsupported(format!("suite {suite:?}")));
        }
        if requester_id != self.requester {
            return Err(SessionError::malformed(
                "Hello.requester_id",
                format!(
                    "{requester_id:?} is not the requester authenticated on this channel ({:?})",
                    self.requester
                ),
            ));
        }
        let p = &self.params;
        let welcome = Message::Welcome(Welcome {
            version: PROTOCOL_VERSION,
            key_epoch: p.key_epoch,
            public_key: p.public_key,
            set_size: p.set_size,
            fingerprint_bits: p.fingerprint_bits,
            rules_answered: p.rules_answered,
            max_records: p.max_records,
            max_elements: p.max_elements,
            max_chunk_elements: p.limits.max_chunk_elements,
        });
        Ok((
            AwaitRequest {
                params: self.params,
                requester: self.requester,
                cached: cached_set,
                log_size_seen: holder_log_size,
            },
            welcome,
        ))
    }
}

impl AwaitRequest {
    /// Parses the manifest and approvals. Malformed JSON ends the session; everything
    /// about whether the request may be served is left to [`ReviewRequest::authorize`].
    pub fn on_request(self, msg: Message) -> Result<ReviewRequest, SessionError> {
        let Message::Request(request) = msg else {
            return Err(SessionError::unexpected(&msg, "waiting for Request"));
        };
        let manifest = Manifest::from_json(&request.manifest)
            .map_err(|e| SessionError::malformed("manifest", e.to_string()))?;
        let approvals = request
            .approvals
            .iter()
            .map(|a| serde_json::from_slice::<Approval>(a))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| SessionError::malformed("approval", e.to_string()))?;
        Ok(ReviewRequest {
            params: self.params,
            requester: self.requester,
            cached: self.cached,
            log_size_seen: self.log_size_seen,
            manifest,
            approvals,
            declared_count: request.element_count,
        })
    }
}

impl ReviewRequest {
    /// The manifest (for the caller to look up replay and usage state).
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The approvals as received.
    pub fn approvals(&self) -> &[Approval] {
        &self.approvals
    }

    /// The requester authenticated on the channel.
    pub fn requester(&self) -> &str {
        &self.requester
    }

    /// The holder log size of the last receipt the requester verified (`Hello`): the
    /// receipt for this request proves consistency from it.
    pub fn log_size_seen(&self) -> u64 {
        self.log_size_seen
    }

    /// Everything but the elements: requester binding, announced count, then the policy
    /// (approvals, roles, replay, purpose, epoch, time, rules, limits). Refusing here
    /// means the elements are never read.
    pub fn authorize(
        self,
        policy: &Policy,
        context: &RequestContext,
    ) -> Result<ReceivingElements, Refused> {
        let fields = self.manifest.fields();
        if fields.requester_id.as_str() != self.requester {
            return Err(Refused::new(RefusalReason::WrongRequester {
                manifest: fields.requester_id.as_str().to_owned(),
                channel: self.requester.clone(),
            }));
        }
        if self.declared_count != fields.element_count {
            return Err(Refused::new(RefusalReason::ElementCountMismatch {
                manifest: fields.element_count,
                received: self.declared_count,
            }));
        }
        policy
            .authorize(&self.manifest, &self.approvals, context)
            .map_err(Refused::new)?;
        // Authorized: the count is within the policy's element limit, so reserving it
        // is bounded by policy, not by the peer.
        let expected = fields.element_count;
        let capacity = usize::try_from(expected).unwrap_or(0);
        Ok(ReceivingElements {
            digest: BlindedDigest::new(expected),
            elements: Vec::with_capacity(capacity),
            next_chunk: 0,
            review: self,
        })
    }
}

impl ReceivingElements {
    /// Takes the next `ElementsChunk` or `ElementsDone`.
    pub fn on_message(mut self, msg: Message) -> Result<Receiving, SessionError> {
        let expected = self.review.manifest.fields().element_count;
        match msg {
            Message::ElementsChunk(chunk) => {
                if chunk.index != self.next_chunk {
                    return Err(SessionError::malformed(
                        "ElementsChunk.index",
                        format!("got chunk {}, expected {}", chunk.index, self.next_chunk),
                    ));
                }
                let received = self.elements.len() as u64 + chunk.elements.len() as u64;
                if received > expected {
                    return Ok(Receiving::Refused(Refused::new(
                        RefusalReason::ElementCountMismatch {
                            manifest: expected,
                            received,
                        },
                    )));
                }
                // Within the announced count, checked just above.
                if let Err(e) = self.digest.extend(&chunk.elements) {
                    return Err(SessionError::malformed("ElementsChunk", e.to_string()));
                }
                self.elements.extend_from_slice(&chunk.elements);
                self.next_chunk = self.next_chunk.saturating_add(1);
                Ok(Receiving::More(self))
            }
            Message::ElementsDone => {
                let count = self.elements.len() as u64;
                if count != expected {
                    return Ok(Receiving::Refused(Refused::new(
                        RefusalReason::ElementCountMismatch {
                            manifest: expected,
                            received: count,
                        },
                    )));
                }
                let digest = self
                    .digest
                    .finalize()
                    .map_err(|e| SessionError::malformed("ElementsDone", e.to_string()))?;
                Ok(Receiving::Complete(ElementsReceived {
                    review: self.review,
                    received: ReceivedElements { count, digest },
                    elements: self.elements,
                }))
            }
            other => Err(SessionError::unexpected(&other, "receiving elements")),
        }
    }
}

impl ElementsReceived {
    /// The request's manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.review.manifest
    }

    /// The final decision: the whole policy again with the caller's current context
    /// (replay and usage may have changed while elements streamed in), the element count
    /// and digest, then strict decoding of every element.
    pub fn decide(self, policy: &Policy, context: &RequestContext) -> Result<Accepted, Refused> {
        let evaluation = EvaluationContext {
            request: *context,
            received: self.received,
        };
        let acceptance =
            match policy.evaluate(&self.review.manifest, &self.review.approvals, &evaluation) {
                Decision::Accept(a) => a,
                Decision::Refuse(reason) => return Err(Refused::new(reason)),
            };
        let batch = BlindedBatch::decode(self.elements).map_err(|e| {
            let index = match e {
                OprfError::NonCanonicalElement { index } | OprfError::IdentityElement { index } => {
                    index as u64
                }
                _ => 0,
            };
            Refused::new(RefusalReason::InvalidElement { index })
        })?;
        Ok(Accepted {
            acceptance,
            batch,
            cached: self.review.cached,
            limits: self.review.params.limits,
        })
    }
}

impl Refused {
    fn new(reason: RefusalReason) -> Refused {
        Refused { reason }
    }

    /// The `Refusal` message for the requester: the stable code and the reason in words.
    pub fn message(&self) -> Message {
        Message::Refusal(Refusal {
            code: self.reason.code().to_owned(),
            message: truncate(
                self.reason.to_string(),
                wire::limits::HARD_MAX_TEXT_BYTES / 4,
            ),
        })
    }
}

fn truncate(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut cut = max;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

impl Accepted {
    /// Number of elements to evaluate.
    pub fn element_count(&self) -> usize {
        self.batch.len()
    }

    /// VOPRF evaluation of every element, with one proof per at most 65,535 elements.
    /// Consumes the session: a request is evaluated once, and only with the receipt that
    /// its decision is durable (for this request, not another).
    pub fn evaluate<R: CryptoRng + ?Sized>(
        self,
        receipt: Durable,
        key: &SecretKey,
        rng: &mut R,
    ) -> Result<Evaluation, SessionError> {
        if receipt.request_id() != self.acceptance.request_id {
            return Err(SessionError::malformed(
                "receipt",
                "the durable receipt is for another request",
            ));
        }
        let (evaluated, proofs) = blind_evaluate_and_prove(key, &self.batch, rng)?;
        let chunk = self.limits.chunk_elements().max(1);
        let mut messages = Vec::with_capacity(evaluated.len() / chunk + proofs.len() + 2);
        for (index, elements) in evaluated.chunks(chunk).enumerate() {
            messages.push(Message::Evaluated(Evaluated {
                index: u32::try_from(index).unwrap_or(u32::MAX),
                elements: elements.to_vec(),
            }));
        }
        for p in proofs {
            messages.push(Message::Proof(wire::Proof {
                first_element: p.start as u64,
                count: u32::try_from(p.count).unwrap_or(u32::MAX),
                proof: p.proof.to_bytes(),
            }));
        }
        messages.push(Message::EvaluationDone);
        Ok(Evaluation {
            messages,
            cached: self.cached,
        })
    }
}
