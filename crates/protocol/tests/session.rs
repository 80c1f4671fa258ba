//! Both session state machines driven against each other in memory, every message passing
//! through the wire codec: the happy path with known matches, the cached-set path, and
//! the refusals and verification failures a session must produce.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use blindlink_core::fingerprint::{EncodedSet, SetParams, fingerprint, fingerprint_bits};
use blindlink_core::oprf::{Mode, SecretKey, blind_batch, evaluate_batch};
use blindlink_protocol::approval::{ApproverSigningKey, Role};
use blindlink_protocol::manifest::{
    BlindedDigest, KeyEpoch, LegalBasis, Manifest, ManifestFields, MerkleHash, Purpose, RequestId,
    RequesterId, RuleId,
};
use blindlink_protocol::policy::{Policy, RequestContext};
use blindlink_protocol::session::holder::{self, AwaitHello, HolderParams, Receiving};
use blindlink_protocol::session::requester::{
    EvaluationStep, RequesterParams, RequesterSession, SetStep, lookup,
};
use blindlink_protocol::session::{SessionError, SetOffer, set_messages};
use blindlink_protocol::wire::{CachedSet, Limits, Message};

const EPOCH: [u8; 16] = [7; 16];
const NOW: u64 = 1_800_000_000;

fn wire(msg: Message) -> Message {
    let limits = Limits::default();
    Message::decode(&msg.encode(&limits).unwrap(), &limits).unwrap()
}

struct Holder {
    key: SecretKey,
    set_bytes: Vec<u8>,
    set_hash: [u8; 32],
    params: HolderParams,
    policy: Policy,
    approver: ApproverSigningKey,
}

fn holder_inputs() -> Vec<Vec<u8>> {
    (0..500)
        .map(|i| format!("holder-key-{i}").into_bytes())
        .collect()
}

fn setup() -> Holder {
    let key = SecretKey::generate(&mut rand::rng());
    let inputs = holder_inputs();
    let bits = fingerprint_bits(1 << 10, inputs.len() as u64);
    let fps = evaluate_batch(Mode::Voprf, &key, &inputs)
        .unwrap()
        .iter()
        .map(|o| fingerprint(o, bits))
        .collect();
    let set = EncodedSet::from_fingerprints(
        fps,
        SetParams {
            bits,
            rule_set: 0b11,
            key_epoch: EPOCH,
        },
    )
    .unwrap();
    let approver = ApproverSigningKey::generate(&mut rand::rng());
    let policy = Policy::from_toml_str(&format!(
        "[approvers]\ndhs-secretary = [\"{}\"]\n[required_roles]\nany_of = [\"dhs-secretary\"]\n[limits]\nmax_records_per_request = 10\n",
        approver.public_key().to_hex()
    ))
    .unwrap();
    let params = HolderParams {
        key_epoch: EPOCH,
        public_key: key.public_key().to_bytes(),
        set_size: set.len() as u64,
        fingerprint_bits: bits as u8,
        rules_answered: 0b11,
        max_records: 10,
        max_elements: 20_000,
        limits: Limits::default(),
    };
    Holder {
        set_hash: set.content_hash(),
        set_bytes: set.to_bytes(),
        key,
        params,
        policy,
        approver,
    }
}

struct Request {
    inputs: Vec<Vec<u8>>,
    blinds: blindlink_core::oprf::Blinds,
    blinded: Vec<[u8; 32]>,
    params: RequesterParams,
}

/// Six request keys: holder keys 3, 99 and 250, and three strangers.
fn request(h: &Holder, records: u64, cached: Option<CachedSet>) -> Request {
    let all = holder_inputs();
    let inputs: Vec<Vec<u8>> = vec![
        all[3].clone(),
        b"stranger-1".to_vec(),
        all[99].clone(),
        b"stranger-2".to_vec(),
        all[250].clone(),
        b"stranger-3".to_vec(),
    ];
    let (blinds, blinded) = blind_batch(Mode::Voprf, &inputs, &mut rand::rng()).unwrap();
    let manifest = Manifest::new(ManifestFields {
        request_id: RequestId::random(&mut rand::rng()),
        requester_id: RequesterId::new("ice-test").unwrap(),
        purpose: Purpose::CriminalInvestigation,
        legal_basis: LegalBasis::new("test basis").unwrap(),
        record_count: records,
        element_count: blinded.len() as u64,
        rules_used: vec![RuleId::new("R1").unwrap()],
        blinded_digest: BlindedDigest::digest_all(&blinded),
        references_root: MerkleHash::from_bytes([1; 32]),
        issued_at: NOW - 10,
        expires_at: NOW + 3600,
        key_epoch: KeyEpoch::from_bytes(EPOCH),
    })
    .unwrap();
    let approval = h
        .approver
        .approve(&Role::new("dhs-secretary").unwrap(), &manifest);
    Request {
        inputs,
        blinds,
        blinded,
        params: RequesterParams {
            requester_id: "ice-test".into(),
            manifest_json: manifest.to_json_pretty().into_bytes(),
            approvals_json: vec![serde_json::to_vec(&approval).unwrap()],
            key_epoch: EPOCH,
            pinned_public_key: h.params.public_key,
            cached,
            limits: Limits::default(),
        },
    }
}

fn context(seen: bool) -> RequestContext {
    RequestContext {
        now: NOW,
        current_epoch: KeyEpoch::from_bytes(EPOCH),
        records_served_today: 0,
        request_id_seen: seen,
    }
}

/// Runs the holder up to its decision; returns the accepted session or the refusal.
fn holder_decides(
    h: &Holder,
    request_msgs: Vec<Message>,
    hello: Message,
    seen: bool,
) -> (Message, Result<holder::Accepted, holder::Refused>) {
    let (await_request, welcome) = AwaitHello::new(h.params.clone(), "ice-test")
        .on_hello(wire(hello))
        .unwrap();
    let mut msgs = request_msgs.into_iter().map(wire);
    let review = await_request.on_request(msgs.next().unwrap()).unwrap();
    let mut receiving = match review.authorize(&h.policy, &context(seen)) {
        Ok(r) => r,
        Err(refused) => return (welcome, Err(refused)),
    };
    for msg in msgs {
        match receiving.on_message(msg).unwrap() {
            Receiving::More(next) => receiving = next,
            Receiving::Refused(r) => return (welcome, Err(r)),
            Receiving::Complete(done) => {
                return (welcome, done.decide(&h.policy, &context(seen)));
            }
        }
    }
    panic!("elements never completed");
}

/// The full exchange; returns which request elements matched and whether the set was sent.
fn run(h: &Holder, req: Request) -> Result<(Vec<bool>, bool), SessionError> {
    let (await_welcome, hello) = RequesterSession::start(req.params.clone());
    let cached = req.params.cached;
    let blinded = req.blinded.clone();
    // The holder needs the requester's messages, which need the Welcome: compute the
    // Welcome first with a throwaway holder session.
    let (_, welcome) = AwaitHello::new(h.params.clone(), "ice-test")
        .on_hello(wire(hello.clone()))
        .unwrap();
    let (mut evaluation, request_msgs) = await_welcome.on_welcome(wire(welcome), &blinded)?;
    let (_, decision) = holder_decides(h, request_msgs, hello, false);
    let accepted = decision.map_err(|r| SessionError::Malformed {
        what: "refused",
        detail: r.reason.code().into(),
    })?;
    let answer = accepted.evaluate(&h.key, &mut rand::rng())?;
    for msg in answer.messages {
        evaluation = match evaluation.on_message(wire(msg))? {
            EvaluationStep::More(next) => next,
            EvaluationStep::Refused(r) => panic!("refused {r:?}"),
            EvaluationStep::Done(done) => {
                let (mut await_set, outputs) = done.finalize(&req.inputs, req.blinds, &blinded)?;
                let offer = SetOffer {
                    epoch: EPOCH,
                    set_hash: h.set_hash,
                    bytes: &h.set_bytes,
                };
                for msg in set_messages(offer, cached, 100) {
                    await_set = match await_set.on_message(wire(msg))? {
                        SetStep::More(next) => next,
                        SetStep::UseCached(_) => {
                            let set = EncodedSet::from_bytes(&h.set_bytes, u64::MAX).unwrap();
                            return Ok((lookup(&set, &outputs), false));
                        }
                        SetStep::Received { set, bytes } => {
                            assert_eq!(bytes, h.set_bytes);
                            return Ok((lookup(&set, &outputs), true));
                        }
                    };
                }
                panic!("set never completed");
            }
        };
    }
    panic!("evaluation never completed");
}

#[test]
fn happy_path_finds_exactly_the_holder_keys() {
    let h = setup();
    let (matched, sent) = run(&h, request(&h, 3, None)).unwrap();
    assert_eq!(matched, vec![true, false, true, false, true, false]);
    assert!(sent);
}

#[test]
fn a_current_cached_set_is_not_sent_again() {
    let h = setup();
    let cached = CachedSet {
        epoch: EPOCH,
        set_hash: h.set_hash,
    };
    let (matched, sent) = run(&h, request(&h, 3, Some(cached))).unwrap();
    assert_eq!(matched, vec![true, false, true, false, true, false]);
    assert!(!sent);
    // A stale cache (other hash) gets the full set.
    let stale = CachedSet {
        epoch: EPOCH,
        set_hash: [0; 32],
    };
    let (_, sent) = run(&h, request(&h, 3, Some(stale))).unwrap();
    assert!(sent);
}

fn refusal_code(
    h: &Holder,
    req: &Request,
    alter: impl FnOnce(&mut Vec<Message>),
    seen: bool,
) -> String {
    let (await_welcome, hello) = RequesterSession::start(req.params.clone());
    let (_, welcome) = AwaitHello::new(h.params.clone(), "ice-test")
        .on_hello(wire(hello.clone()))
        .unwrap();
    let (_, mut msgs) = await_welcome
        .on_welcome(wire(welcome), &req.blinded)
        .unwrap();
    alter(&mut msgs);
    match holder_decides(h, msgs, hello, seen).1 {
        Ok(_) => "accepted".into(),
        Err(r) => {
            let Message::Refusal(refusal) = r.message() else {
                panic!()
            };
            assert_eq!(refusal.code, r.reason.code());
            refusal.code
        }
    }
}

#[test]
fn holder_refusals_name_their_reason() {
    let h = setup();
    let ok = request(&h, 3, None);
    assert_eq!(refusal_code(&h, &ok, |_| {}, false), "accepted");
    assert_eq!(refusal_code(&h, &ok, |_| {}, true), "replayed");
    let big = request(&h, 11, None);
    assert_eq!(refusal_code(&h, &big, |_| {}, false), "over-record-limit");
    // An element altered after approval.
    let altered = |msgs: &mut Vec<Message>| {
        if let Some(Message::ElementsChunk(c)) = msgs.get_mut(1) {
            c.elements.swap(0, 1);
        }
    };
    assert_eq!(refusal_code(&h, &ok, altered, false), "digest-mismatch");
    // One element fewer than approved.
    let shorter = |msgs: &mut Vec<Message>| {
        if let Some(Message::ElementsChunk(c)) = msgs.get_mut(1) {
            c.elements.pop();
        }
    };
    assert_eq!(
        refusal_code(&h, &ok, shorter, false),
        "element-count-mismatch"
    );
    // One element more than approved.
    let longer = |msgs: &mut Vec<Message>| {
        if let Some(Message::ElementsChunk(c)) = msgs.get_mut(1) {
            c.elements.push([9; 32]);
        }
    };
    assert_eq!(
        refusal_code(&h, &ok, longer, false),
        "element-count-mismatch"
    );
    // An approval stripped.
    let unapproved = |msgs: &mut Vec<Message>| {
        if let Some(Message::Request(r)) = msgs.get_mut(0) {
            r.approvals.clear();
        }
    };
    assert_ne!(refusal_code(&h, &ok, unapproved, false), "accepted");
}

#[test]
fn requester_rejects_a_wrong_key_and_a_forged_evaluation() {
    let h = setup();
    let mut req = request(&h, 3, None);
    req.params.pinned_public_key = SecretKey::generate(&mut rand::rng())
        .public_key()
        .to_bytes();
    assert!(matches!(run(&h, req), Err(SessionError::KeyMismatch(_))));

    // A holder evaluating with another key than the announced one fails the proofs.
    let mut forger = setup();
    forger.params.public_key = h.params.public_key;
    let req = request(&forger, 3, None);
    assert_eq!(req.params.pinned_public_key, h.params.public_key);
    let err = run(&forger, req).unwrap_err();
    assert!(matches!(err, SessionError::Verification(_)), "{err:?}");
}
