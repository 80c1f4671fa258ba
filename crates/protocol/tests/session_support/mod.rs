//! What the session and driver tests share: a holder with a 500-key set and a policy,
//! a six-key request (three on file), and an in-memory ledger.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod socket;

use blindlink_core::fingerprint::{EncodedSet, SetParams, fingerprint, fingerprint_bits};
use blindlink_core::oprf::{Mode, SecretKey, blind_batch, evaluate_batch};
use blindlink_protocol::approval::{ApproverSigningKey, Role};
use blindlink_protocol::driver::{HolderEvent, Ledger, RequestSummary, ServedRecords, SignedScope};
use blindlink_protocol::identity::IdentityKey;
use blindlink_protocol::manifest::{
    BlindedDigest, KeyEpoch, LegalBasis, Manifest, ManifestFields, MerkleHash, OprfKeyHex, Purpose,
    RequestId, RequesterId, RuleId, SetHash,
};
use blindlink_protocol::policy::{Policy, RequestContext};
use blindlink_protocol::session::holder::{self, AwaitHello, HolderParams, Receiving};
use blindlink_protocol::session::requester::{RequesterParams, RequesterSession};
use blindlink_protocol::transparency::{LogTree, ReceiptExpectation, entry_leaf, make_receipt};
use blindlink_protocol::wire::{CachedSet, DecisionReceipt, Limits, Message};

pub const EPOCH: [u8; 16] = [7; 16];

/// The holder identity key the test ledger signs receipts with.
pub fn holder_identity() -> IdentityKey {
    IdentityKey::from_secret_bytes(&[0x5a; 32])
}

/// A ledger in memory (tests only: nothing is durable). It keeps the claimed ids and the
/// kinds of the recorded events in order, and can be told to fail on one kind. Its
/// entries are JSON lines with the fields a receipt names, in a real Merkle tree, so its
/// receipts verify as a file ledger's do.
#[derive(Default)]
pub struct TestLedger {
    pub claimed: std::sync::Mutex<std::collections::HashSet<RequestId>>,
    pub events: std::sync::Mutex<Vec<&'static str>>,
    pub fail_on: Option<&'static str>,
    pub tree: std::sync::Mutex<LogTree>,
    /// What `served_history` returns: the seed, then every accepted decision recorded.
    pub served: std::sync::Mutex<Vec<ServedRecords>>,
}

/// The request an event is about, and its refusal code.
fn about<'a>(event: &HolderEvent<'a>) -> (Option<&'a RequestSummary>, Option<&'a str>) {
    match *event {
        HolderEvent::RequestReceived(r) => (Some(r), None),
        HolderEvent::DecisionRefused { request, reason } => (Some(request), Some(reason.code())),
        HolderEvent::DecisionAccepted { request, .. }
        | HolderEvent::Evaluated { request, .. }
        | HolderEvent::SetSent { request, .. } => (Some(request), None),
        HolderEvent::SessionError { .. } => (None, None),
    }
}

/// The audit-log name of an event.
pub fn kind(event: &HolderEvent<'_>) -> &'static str {
    match event {
        HolderEvent::RequestReceived(_) => "request-received",
        HolderEvent::DecisionRefused { .. } => "decision-refused",
        HolderEvent::DecisionAccepted { .. } => "decision-accepted",
        HolderEvent::Evaluated { .. } => "evaluated",
        HolderEvent::SetSent { .. } => "set-sent",
        HolderEvent::SessionError { .. } => "session-error",
    }
}

impl TestLedger {
    pub fn events(&self) -> Vec<&'static str> {
        self.events.lock().unwrap().clone()
    }

    /// Appends the event's line to the tree; returns its seq and bytes.
    fn append(&self, time: u64, event: &HolderEvent<'_>) -> std::io::Result<(u64, Vec<u8>)> {
        let kind = kind(event);
        if self.fail_on == Some(kind) {
            return Err(std::io::Error::other(format!("{kind}: disk full")));
        }
        self.events.lock().unwrap().push(kind);
        if let HolderEvent::DecisionAccepted { request, .. } = event {
            self.served.lock().unwrap().push(ServedRecords {
                requester: request.requester.clone(),
                time,
                records: request.records,
                elements: request.elements,
                key_epoch: Some(request.signed.key_epoch),
            });
        }
        let mut tree = self.tree.lock().unwrap();
        let seq = tree.size() + 1;
        let (request, reason) = about(event);
        let details = request.map(|r| {
            serde_json::json!({
                "requester": r.requester,
                "request_id": r.request_id.to_hex(),
                "manifest_sha256": hex::encode(r.signed.manifest_sha256),
            })
        });
        let line = serde_json::to_vec(&serde_json::json!({
            "seq": seq, "time": time, "kind": kind, "reason": reason, "details": details,
        }))
        .unwrap();
        tree.push(entry_leaf(&line));
        Ok((seq, line))
    }
}

impl Ledger for TestLedger {
    type Error = std::io::Error;
    fn record(&self, time: u64, event: &HolderEvent<'_>) -> Result<(), Self::Error> {
        self.append(time, event).map(|_| ())
    }
    fn record_decision(
        &self,
        time: u64,
        event: &HolderEvent<'_>,
        since: u64,
    ) -> Result<DecisionReceipt, Self::Error> {
        let (seq, line) = self.append(time, event)?;
        let tree = self.tree.lock().unwrap();
        make_receipt(&holder_identity(), &tree, seq, &line, since, time)
            .map_err(std::io::Error::other)
    }
    fn is_claimed(&self, id: &RequestId) -> Result<bool, Self::Error> {
        Ok(self.claimed.lock().unwrap().contains(id))
    }
    fn claim(&self, id: &RequestId) -> Result<bool, Self::Error> {
        Ok(self.claimed.lock().unwrap().insert(*id))
    }
    fn served_history(&self) -> Result<Vec<ServedRecords>, Self::Error> {
        Ok(self.served.lock().unwrap().clone())
    }
}

pub fn summary() -> RequestSummary {
    RequestSummary {
        requester: "ice-test".into(),
        request_id: RequestId::from_bytes([0; 16]),
        records: 0,
        elements: 0,
        rules: Vec::new(),
        approvals: 0,
        signed: SignedScope {
            manifest_sha256: [0; 32],
            key_epoch: KeyEpoch::from_bytes(EPOCH),
            oprf_public_key: OprfKeyHex::from_bytes([0; 32]),
            set_hash: SetHash::from_bytes([0; 32]),
            approvals: Vec::new(),
        },
    }
}
/// The summary of the request `params` sends (what its receipt's entry names).
pub fn summary_for(params: &RequesterParams) -> RequestSummary {
    let mut summary = summary();
    summary.request_id = params.receipt.request_id;
    summary.signed.manifest_sha256 = params.receipt.manifest_sha256;
    summary
}

pub const NOW: u64 = 1_800_000_000;

pub fn wire(msg: Message) -> Message {
    let limits = Limits::default();
    Message::decode(&msg.encode(&limits).unwrap(), &limits).unwrap()
}

pub struct Holder {
    pub key: SecretKey,
    pub set_bytes: Vec<u8>,
    pub set_hash: [u8; 32],
    pub params: HolderParams,
    pub policy: Policy,
    pub approver: ApproverSigningKey,
}

pub fn holder_inputs() -> Vec<Vec<u8>> {
    (0..500)
        .map(|i| format!("holder-key-{i}").into_bytes())
        .collect()
}

pub fn setup() -> Holder {
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

pub struct Request {
    pub inputs: Vec<Vec<u8>>,
    pub blinds: blindlink_core::oprf::Blinds,
    pub blinded: Vec<[u8; 32]>,
    pub params: RequesterParams,
}

/// Six request keys: holder keys 3, 99 and 250, and three strangers.
pub fn request(h: &Holder, records: u64, cached: Option<CachedSet>) -> Request {
    request_at(h, records, cached, NOW)
}

/// [`request`] issued 10 s before `now` (valid for an hour).
pub fn request_at(h: &Holder, records: u64, cached: Option<CachedSet>, now: u64) -> Request {
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
        issued_at: now - 10,
        expires_at: now + 3600,
        key_epoch: KeyEpoch::from_bytes(EPOCH),
        oprf_public_key: OprfKeyHex::from_bytes(h.params.public_key),
        set_hash: SetHash::from_bytes(h.set_hash),
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
            approved_set_hash: h.set_hash,
            cached,
            receipt: ReceiptExpectation {
                holder: holder_identity().public_key(),
                requester_id: "ice-test".into(),
                request_id: manifest.request_id(),
                manifest_sha256: manifest.sha256(),
                last_seen: None,
            },
            limits: Limits::default(),
        },
    }
}

pub fn context(h: &Holder, seen: bool) -> RequestContext {
    RequestContext {
        now: NOW,
        current_epoch: KeyEpoch::from_bytes(EPOCH),
        current_oprf_public_key: OprfKeyHex::from_bytes(h.params.public_key),
        current_set_hash: SetHash::from_bytes(h.set_hash),
        records_served_today: 0,
        elements_served_today: 0,
        elements_evaluated_in_epoch: 0,
        request_id_seen: seen,
    }
}

/// Runs the holder up to its decision; returns the accepted session or the refusal.
pub fn holder_decides(
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
    let mut receiving = match review.authorize(&h.policy, &context(h, seen)) {
        Ok(r) => r,
        Err(refused) => return (welcome, Err(refused)),
    };
    for msg in msgs {
        match receiving.on_message(msg).unwrap() {
            Receiving::More(next) => receiving = next,
            Receiving::Refused(r) => return (welcome, Err(r)),
            Receiving::Complete(done) => {
                return (welcome, done.decide(&h.policy, &context(h, seen)));
            }
        }
    }
    panic!("elements never completed");
}

/// Runs `req` through both state machines up to the holder's decision, which must accept.
pub fn decided(h: &Holder, req: Request) -> (Message, holder::Accepted) {
    let (await_welcome, hello) = RequesterSession::start(req.params.clone());
    let (_, welcome) = AwaitHello::new(h.params.clone(), "ice-test")
        .on_hello(wire(hello.clone()))
        .unwrap();
    let (_, request_msgs) = await_welcome
        .on_welcome(wire(welcome), &req.blinded)
        .unwrap();
    let (welcome, decision) = holder_decides(h, request_msgs, hello, false);
    (welcome, decision.unwrap())
}
