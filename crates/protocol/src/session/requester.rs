//! The requester's session: `Hello`, the approved request and its blinded elements, the
//! holder's evaluation with VOPRF proofs, and the encoded set of the epoch.
//!
//! The caller (`ice query`) owns the bundle with the secret blinds, the cached set file
//! and the audit log; this module checks everything the holder sends against what was
//! approved and pinned.

use super::SessionError;
use crate::transparency::{DecisionSeen, ReceiptExpectation, VerifiedReceipt, verify_receipt};
use crate::wire::{
    CachedSet, Element, ElementsChunk, Evaluated, Hello, KeyEpoch, Limits, Message,
    PROTOCOL_VERSION, Refusal, Request, SUITE, SetHeader, Welcome,
};
use blindlink_core::fingerprint::{
    EncodedSet, EncodedSetHeader, HEADER_LEN, fingerprint, max_request_elements,
};
use blindlink_core::oprf::{BatchProof, Blinds, OUTPUT_LEN, Proof, PublicKey, verify_and_finalize};

/// What the requester sends and what it pins.
#[derive(Clone, Debug)]
pub struct RequesterParams {
    /// Requester id (as in the manifest and the holder's configuration).
    pub requester_id: String,
    /// The approved manifest, JSON.
    pub manifest_json: Vec<u8>,
    /// The approvals, one JSON document each.
    pub approvals_json: Vec<Vec<u8>>,
    /// Key epoch the request was approved for.
    pub key_epoch: KeyEpoch,
    /// The holder's OPRF public key for that epoch, pinned when the request was prepared.
    pub pinned_public_key: [u8; 32],
    /// The content hash of the set the approvers signed for (the manifest's `set_hash`):
    /// any other set, sent or confirmed cached, is refused.
    pub approved_set_hash: [u8; 32],
    /// The requester's cached encoded set, if any (epoch and content hash).
    pub cached: Option<CachedSet>,
    /// What the holder's receipt must prove (pinned identity, request, manifest hash,
    /// the holder log head last seen).
    pub receipt: ReceiptExpectation,
    /// Wire limits.
    pub limits: Limits,
}

/// Start of a requester session.
#[derive(Debug)]
pub struct RequesterSession;

/// Waiting for the holder's `Welcome`.
#[derive(Debug)]
pub struct AwaitWelcome {
    params: RequesterParams,
}

/// What the holder announced, kept to check the set against it.
#[derive(Clone, Copy, Debug)]
pub struct Announced {
    /// Fingerprints in the set.
    pub set_size: u64,
    /// Fingerprint length `L`.
    pub fingerprint_bits: u8,
    /// Rules answered (bit i = R(i+1)).
    pub rules_answered: u8,
}

/// Waiting for evaluated elements and proofs.
#[derive(Debug)]
pub struct AwaitEvaluation {
    params: RequesterParams,
    announced: Announced,
    expected: usize,
    evaluated: Vec<Element>,
    proofs: Vec<BatchProof>,
    next_chunk: u32,
    decision: Option<DecisionSeen>,
}

/// What one evaluation message led to.
#[derive(Debug)]
pub enum EvaluationStep {
    /// More to come.
    More(AwaitEvaluation),
    /// The holder's receipt verified; the caller logs it before going on.
    Receipt(AwaitEvaluation, Box<VerifiedReceipt>),
    /// The holder refused the request (the receipt of that refusal came first).
    Refused(Refusal),
    /// All evaluated elements and proofs arrived.
    Done(EvaluationReceived),
}

/// Evaluated elements and proofs, not yet verified.
#[derive(Debug)]
pub struct EvaluationReceived {
    params: RequesterParams,
    announced: Announced,
    evaluated: Vec<Element>,
    proofs: Vec<BatchProof>,
}

/// Waiting for the encoded set (or the confirmation that the cached one is current).
#[derive(Debug)]
pub struct AwaitSet {
    params: RequesterParams,
    announced: Announced,
    header: Option<SetHeader>,
    bytes: Vec<u8>,
}

/// What one set message led to.
#[derive(Debug)]
pub enum SetStep {
    /// More chunks to come.
    More(Box<AwaitSet>),
    /// The holder confirmed the requester's cached set is current.
    UseCached(CachedSet),
    /// A fresh set, validated; `bytes` is its serialization, for the cache.
    Received {
        /// The decoded, indexed set.
        set: EncodedSet,
        /// Its bytes as sent.
        bytes: Vec<u8>,
    },
}

impl RequesterSession {
    /// Starts a session: the `Hello` to send first.
    pub fn start(params: RequesterParams) -> (AwaitWelcome, Message) {
        let hello = Message::Hello(Hello {
            version: PROTOCOL_VERSION,
            suite: SUITE.to_owned(),
            requester_id: params.requester_id.clone(),
            cached_set: params.cached,
            holder_log_size: params.receipt.last_seen.map_or(0, |head| head.size),
        });
        (AwaitWelcome { params }, hello)
    }
}

impl AwaitWelcome {
    /// Checks the holder's epoch and key against what was approved and pinned, then
    /// returns the request and the blinded elements in chunks, ending with `ElementsDone`.
    pub fn on_welcome(
        self,
        msg: Message,
        blinded: &[Element],
    ) -> Result<(AwaitEvaluation, Vec<Message>), SessionError> {
        let welcome: Welcome = match msg {
            Message::Welcome(w) => w,
            Message::Refusal(r) => {
                return Err(SessionError::malformed(
                    "Welcome",
                    format!("refused: {}", r.code),
                ));
            }
            other => return Err(SessionError::unexpected(&other, "waiting for Welcome")),
        };
        if welcome.version != PROTOCOL_VERSION {
            return Err(SessionError::Unsupported(format!(
                "holder speaks protocol version {}",
                welcome.version
            )));
        }
        let p = &self.params;
        if welcome.key_epoch != p.key_epoch {
            return Err(SessionError::KeyMismatch(format!(
                "holder is at key epoch {}, the request was approved for {}",
                hex::encode(welcome.key_epoch),
                hex::encode(p.key_epoch)
            )));
        }
        if welcome.public_key != p.pinned_public_key {
            return Err(SessionError::KeyMismatch(
                "holder's OPRF public key differs from the key pinned for this epoch".into(),
            ));
        }
        // The requester's own false-match bound, from what the holder announced: a set
        // of short fingerprints would make absent people "match".
        let elements = blinded.len() as u64;
        let max = max_request_elements(u32::from(welcome.fingerprint_bits), welcome.set_size);
        if elements > max {
            return Err(SessionError::WeakSet {
                bits: welcome.fingerprint_bits,
                set_size: welcome.set_size,
                elements,
                max,
            });
        }
        let chunk = usize::try_from(welcome.max_chunk_elements)
            .unwrap_or(usize::MAX)
            .min(p.limits.chunk_elements())
            .max(1);
        let mut messages = Vec::with_capacity(blinded.len() / chunk + 3);
        messages.push(Message::Request(Request {
            manifest: p.manifest_json.clone(),
            approvals: p.approvals_json.clone(),
            element_count: blinded.len() as u64,
        }));
        for (index, elements) in blinded.chunks(chunk).enumerate() {
            messages.push(Message::ElementsChunk(ElementsChunk {
                index: u32::try_from(index).unwrap_or(u32::MAX),
                elements: elements.to_vec(),
            }));
        }
        messages.push(Message::ElementsDone);
        let announced = Announced {
            set_size: welcome.set_size,
            fingerprint_bits: welcome.fingerprint_bits,
            rules_answered: welcome.rules_answered,
        };
        Ok((
            AwaitEvaluation {
                params: self.params,
                announced,
                expected: blinded.len(),
                evaluated: Vec::with_capacity(blinded.len()),
                proofs: Vec::new(),
                next_chunk: 0,
                decision: None,
            },
            messages,
        ))
    }
}

impl AwaitEvaluation {
    /// What the holder announced in `Welcome`.
    pub fn announced(&self) -> Announced {
        self.announced
    }

    /// The holder's decision must be receipted before it is acted on: a `Receipt` first,
    /// then a `Refusal` with the receipted code, or the evaluation of an accepted request.
    fn check_decision(&self, msg: &Message) -> Result<(), SessionError> {
        let matches = match (msg, &self.decision) {
            (Message::Receipt(_), None) => return Ok(()),
            (Message::Receipt(_), Some(_)) => {
                return Err(SessionError::malformed("Receipt", "a second receipt"));
            }
            (Message::Abort(_), _) => true,
            (Message::Refusal(r), Some(DecisionSeen::Refused(code))) => &r.code == code,
            (Message::Refusal(_), _) => false,
            (_, Some(DecisionSeen::Accepted)) => true,
            (_, _) => false,
        };
        if matches {
            Ok(())
        } else {
            Err(SessionError::NoReceipt { got: msg.name() })
        }
    }

    /// Takes the `Receipt`, then `Evaluated`, `Proof`, `EvaluationDone` or a `Refusal`.
    pub fn on_message(mut self, msg: Message) -> Result<EvaluationStep, SessionError> {
        self.check_decision(&msg)?;
        match msg {
            Message::Receipt(receipt) => {
                let verified = verify_receipt(&receipt, &self.params.receipt)?;
                self.decision = Some(verified.decision.clone());
                Ok(EvaluationStep::Receipt(self, Box::new(verified)))
            }
            Message::Refusal(r) => Ok(EvaluationStep::Refused(r)),
            Message::Evaluated(Evaluated { index, elements }) => {
                if index != self.next_chunk {
                    return Err(SessionError::malformed(
                        "Evaluated.index",
                        format!("got chunk {index}, expected {}", self.next_chunk),
                    ));
                }
                if self.evaluated.len() + elements.len() > self.expected {
                    return Err(SessionError::malformed(
                        "Evaluated",
                        format!("more than the {} elements sent", self.expected),
                    ));
                }
                self.evaluated.extend_from_slice(&elements);
                self.next_chunk = self.next_chunk.saturating_add(1);
                Ok(EvaluationStep::More(self))
            }
            Message::Proof(p) => {
                let proof = Proof::from_bytes(&p.proof)?;
                if self.proofs.len() >= self.expected.max(1) {
                    return Err(SessionError::malformed(
                        "Proof",
                        "more proofs than elements",
                    ));
                }
                self.proofs.push(BatchProof {
                    start: usize::try_from(p.first_element).unwrap_or(usize::MAX),
                    count: usize::try_from(p.count).unwrap_or(usize::MAX),
                    proof,
                });
                Ok(EvaluationStep::More(self))
            }
            Message::EvaluationDone => {
                if self.evaluated.len() != self.expected {
                    return Err(SessionError::malformed(
                        "EvaluationDone",
                        format!(
                            "{} evaluated elements for {} sent",
                            self.evaluated.len(),
                            self.expected
                        ),
                    ));
                }
                Ok(EvaluationStep::Done(EvaluationReceived {
                    params: self.params,
                    announced: self.announced,
                    evaluated: self.evaluated,
                    proofs: self.proofs,
                }))
            }
            other => Err(SessionError::unexpected(
                &other,
                "waiting for the evaluation",
            )),
        }
    }
}

impl EvaluationReceived {
    /// Verifies every proof against the pinned key (they must tile the batch) and
    /// finalizes: one 64-byte OPRF output per element, in order. Consumes the blinds.
    pub fn finalize<I: AsRef<[u8]> + Sync>(
        self,
        inputs: &[I],
        blinds: Blinds,
        blinded: &[Element],
    ) -> Result<(AwaitSet, Vec<[u8; OUTPUT_LEN]>), SessionError> {
        let pk = PublicKey::from_bytes(&self.params.pinned_public_key)?;
        let outputs =
            verify_and_finalize(&pk, inputs, blinds, blinded, &self.evaluated, &self.proofs)?;
        Ok((
            AwaitSet {
                params: self.params,
                announced: self.announced,
                header: None,
                bytes: Vec::new(),
            },
            outputs,
        ))
    }
}

impl AwaitSet {
    /// Takes `SetCached`, `SetHeader`, `SetChunk` or `SetDone`.
    pub fn on_message(mut self, msg: Message) -> Result<SetStep, SessionError> {
        match (msg, self.header) {
            (Message::SetCached(c), None) => {
                if Some(c) != self.params.cached {
                    return Err(SessionError::malformed(
                        "SetCached",
                        "the holder confirmed a cached set this requester does not have",
                    ));
                }
                self.check_approved(&c.set_hash)?;
                Ok(SetStep::UseCached(c))
            }
            (Message::SetHeader(h), None) => {
                if h.epoch != self.params.key_epoch {
                    return Err(SessionError::KeyMismatch(
                        "set header names another epoch".into(),
                    ));
                }
                self.check_approved(&h.set_hash)?;
                if h.total_bytes > self.params.limits.max_set_bytes {
                    return Err(SessionError::malformed(
                        "SetHeader.total_bytes",
                        format!(
                            "{} over the limit {}",
                            h.total_bytes, self.params.limits.max_set_bytes
                        ),
                    ));
                }
                // Reserve at most 64 MiB up front; the rest grows as bytes actually arrive.
                let reserve = usize::try_from(h.total_bytes).unwrap_or(0).min(64 << 20);
                self.bytes = Vec::with_capacity(reserve);
                self.header = Some(h);
                Ok(SetStep::More(Box::new(self)))
            }
            (Message::SetChunk(chunk), Some(h)) => {
                let had = self.bytes.len();
                if had as u64 + chunk.bytes.len() as u64 > h.total_bytes {
                    return Err(SessionError::malformed(
                        "SetChunk",
                        "more bytes than announced",
                    ));
                }
                self.bytes.extend_from_slice(&chunk.bytes);
                if had < HEADER_LEN && self.bytes.len() >= HEADER_LEN {
                    self.check_set_header()?;
                }
                Ok(SetStep::More(Box::new(self)))
            }
            (Message::SetDone, Some(h)) => {
                if self.bytes.len() as u64 != h.total_bytes {
                    return Err(SessionError::malformed(
                        "SetDone",
                        "fewer bytes than announced",
                    ));
                }
                let set = EncodedSet::from_bytes(&self.bytes, self.announced.set_size)?;
                if set.content_hash() != h.set_hash {
                    return Err(SessionError::malformed(
                        "SetDone",
                        "set hash differs from header",
                    ));
                }
                self.check_params(&set)?;
                Ok(SetStep::Received {
                    set,
                    bytes: self.bytes,
                })
            }
            (other, _) => Err(SessionError::unexpected(
                &other,
                "waiting for the encoded set",
            )),
        }
    }

    /// The set offered must be the one the approvers signed for (by its content hash).
    fn check_approved(&self, set_hash: &[u8; 32]) -> Result<(), SessionError> {
        if set_hash != &self.params.approved_set_hash {
            return Err(SessionError::KeyMismatch(format!(
                "the holder offers set {} but the approvers signed for set {}",
                hex::encode(set_hash),
                hex::encode(self.params.approved_set_hash)
            )));
        }
        Ok(())
    }

    /// Early check, as soon as the set's own header has arrived, so a set that disagrees
    /// with `Welcome` is refused before the rest is buffered.
    fn check_set_header(&self) -> Result<(), SessionError> {
        let header = EncodedSetHeader::parse(&self.bytes)?;
        header.check_count(self.announced.set_size)?;
        let params = header.params();
        if header.count() != self.announced.set_size
            || params.bits != u32::from(self.announced.fingerprint_bits)
            || params.key_epoch != self.params.key_epoch
        {
            return Err(SessionError::malformed(
                "encoded set header",
                "count, fingerprint length or epoch differ from Welcome",
            ));
        }
        Ok(())
    }

    fn check_params(&self, set: &EncodedSet) -> Result<(), SessionError> {
        let params = set.params();
        if set.len() as u64 != self.announced.set_size
            || params.bits != u32::from(self.announced.fingerprint_bits)
            || params.key_epoch != self.params.key_epoch
        {
            return Err(SessionError::malformed(
                "encoded set",
                "count, fingerprint length or epoch differ from Welcome",
            ));
        }
        Ok(())
    }
}

/// Checks a cached set (loaded by the caller after `SetCached`) against the epoch it is for.
pub fn check_cached_set(set: &EncodedSet, epoch: &KeyEpoch) -> Result<(), SessionError> {
    if &set.params().key_epoch != epoch {
        return Err(SessionError::KeyMismatch(
            "cached set is for another epoch".into(),
        ));
    }
    Ok(())
}

/// Which finalized outputs are in the holder's set: the first `L` bits of each output,
/// looked up in the set.
pub fn lookup(set: &EncodedSet, outputs: &[[u8; OUTPUT_LEN]]) -> Vec<bool> {
    let bits = set.bits();
    let fps: Vec<u128> = outputs.iter().map(|o| fingerprint(o, bits)).collect();
    set.contains_all(&fps)
}
