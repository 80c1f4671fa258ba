//! The parties of the session targets, built once per process with fixed RNG seeds: a
//! holder with a 500-key encoded set, a policy with one approver, and an approved
//! six-key request (holder keys 3, 99 and 250 and three strangers), plus the messages an
//! honest peer sends to each side. Everything that depends on the session API's shape
//! (`Hello`, `RequesterParams`, the holder's `Welcome`) is built here and nowhere else,
//! so an API change is a few lines in this file.

use std::sync::OnceLock;

use blindlink_core::fingerprint::{EncodedSet, SetParams, fingerprint, fingerprint_bits};
use blindlink_core::oprf::{
    BlindedBatch, Blinds, Mode, SecretKey, blind_batch, blind_evaluate_and_prove, evaluate_batch,
};
use blindlink_protocol::approval::{ApproverSigningKey, Role};
use blindlink_protocol::driver::{HolderEvent, Ledger, RequestSummary, ServedRecords, SignedScope};
use blindlink_protocol::identity::IdentityKey;
use blindlink_protocol::manifest::{
    BlindedDigest, KeyEpoch, LegalBasis, Manifest, ManifestFields, MerkleHash, OprfKeyHex, Purpose,
    RequestId, RequesterId, RuleId, SetHash,
};
use blindlink_protocol::policy::{Policy, RequestContext};
use blindlink_protocol::session::holder::{AwaitHello, HolderParams};
use blindlink_protocol::session::requester::{RequesterParams, RequesterSession};
use blindlink_protocol::session::{SetOffer, set_messages};
use blindlink_protocol::transparency::{LogTree, ReceiptExpectation, entry_leaf, make_receipt};
use blindlink_protocol::wire::{CachedSet, DecisionReceipt, Element, Limits, Message};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// The key epoch of the holder's set.
pub const EPOCH: [u8; 16] = [7; 16];
/// The session clock (unix seconds).
pub const NOW: u64 = 1_800_000_000;
/// The requester id bound to the channel.
pub const REQUESTER: &str = "ice-test";
/// Bytes per `SetChunk` an honest holder sends.
pub const SET_CHUNK: usize = 600;
/// The holder's identity key (signs receipts).
pub fn holder_identity() -> IdentityKey {
    IdentityKey::from_secret_bytes(&[0x5a; 32])
}

/// The audit line of a decision on `request`, entry `seq` (the fields a receipt names).
fn decision_line(seq: u64, event: &HolderEvent<'_>) -> Vec<u8> {
    let (kind, reason, request) = match *event {
        HolderEvent::DecisionAccepted { request, .. } => ("decision-accepted", None, Some(request)),
        HolderEvent::DecisionRefused { request, reason } => {
            ("decision-refused", Some(reason.code()), Some(request))
        }
        _ => ("other", None, None),
    };
    let details = request.map(|r| {
        serde_json::json!({
            "requester": r.requester,
            "request_id": r.request_id.to_hex(),
            "manifest_sha256": hex::encode(r.signed.manifest_sha256),
        })
    });
    serde_json::to_vec(&serde_json::json!({
        "seq": seq, "time": NOW, "kind": kind, "reason": reason, "details": details,
    }))
    .unwrap_or_default()
}

/// Seed of the requester's blinds: [`World::blinds`] recreates the same blinds each time.
const BLIND_SEED: u64 = 11;

/// Everything both session targets share.
pub struct World {
    /// The holder's OPRF key of the epoch.
    pub key: SecretKey,
    /// What the holder announces.
    pub holder_params: HolderParams,
    /// The holder's policy (one approver, role `dhs-secretary`, 10 records a request).
    pub policy: Policy,
    /// The serialized set and its content hash.
    pub set_bytes: Vec<u8>,
    /// `EncodedSet::content_hash` of `set_bytes`.
    pub set_hash: [u8; 32],
    /// The approved request's id.
    pub request_id: RequestId,
    /// The requester's parameters (no cached set).
    pub requester_params: RequesterParams,
    /// The OPRF inputs (match keys) of the request.
    pub inputs: Vec<Vec<u8>>,
    /// Their blinded elements (blinds from [`World::blinds`]).
    pub blinded: Vec<Element>,
    /// The holder's evaluation of `blinded`, in order.
    pub evaluated: Vec<Element>,
    /// Which inputs are in the holder's set.
    pub expected_matches: Vec<bool>,
    /// What an honest requester sends: Hello, Request, ElementsChunk.., ElementsDone, Goodbye.
    pub to_holder: Vec<Message>,
    /// What an honest holder sends: Welcome, Evaluated.., Proof.., EvaluationDone,
    /// SetHeader, SetChunk.., SetDone, then SetCached (for a requester that has the set).
    pub to_requester: Vec<Message>,
}

/// The world, built on first use.
pub fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| build().expect("the fuzz world builds"))
}

impl World {
    /// The request's blinds, recreated (they are consumed by `finalize`).
    pub fn blinds(&self) -> Blinds {
        let mut rng = StdRng::seed_from_u64(BLIND_SEED);
        blind_batch(Mode::Voprf, &self.inputs, &mut rng)
            .expect("the inputs blind")
            .0
    }

    /// The holder's policy context at [`NOW`]; `seen`: the request id is in the journal.
    pub fn context(&self, seen: bool) -> RequestContext {
        RequestContext {
            now: NOW,
            current_epoch: KeyEpoch::from_bytes(EPOCH),
            current_oprf_public_key: OprfKeyHex::from_bytes(self.holder_params.public_key),
            current_set_hash: SetHash::from_bytes(self.set_hash),
            records_served_today: 0,
            elements_served_today: 0,
            elements_evaluated_in_epoch: 0,
            request_id_seen: seen,
        }
    }

    /// The requester's cached set as `Hello` names it: the holder's real set.
    pub fn cached(&self) -> CachedSet {
        CachedSet {
            epoch: EPOCH,
            set_hash: self.set_hash,
        }
    }

    /// A fresh holder session.
    pub fn holder(&self) -> AwaitHello {
        AwaitHello::new(self.holder_params.clone(), REQUESTER)
    }

    /// Requester parameters with `cached` as the cached set.
    pub fn requester_params(&self, cached: Option<CachedSet>) -> RequesterParams {
        RequesterParams {
            cached,
            ..self.requester_params.clone()
        }
    }
}

fn holder_inputs() -> Vec<Vec<u8>> {
    (0..500)
        .map(|i| format!("holder-key-{i}").into_bytes())
        .collect()
}

fn build() -> anyhow::Result<World> {
    let mut rng = StdRng::seed_from_u64(7);
    let key = SecretKey::generate(&mut rng);
    let all = holder_inputs();
    let bits = fingerprint_bits(1 << 10, all.len() as u64);
    let fps = evaluate_batch(Mode::Voprf, &key, &all)?
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
    )?;
    let approver = ApproverSigningKey::generate(&mut rng);
    let policy = Policy::from_toml_str(&format!(
        "[approvers]\ndhs-secretary = [\"{}\"]\n[required_roles]\nany_of = [\"dhs-secretary\"]\n\
         [limits]\nmax_records_per_request = 10\n",
        approver.public_key().to_hex()
    ))?;
    let holder_params = HolderParams {
        key_epoch: EPOCH,
        public_key: key.public_key().to_bytes(),
        set_size: set.len() as u64,
        fingerprint_bits: u8::try_from(bits)?,
        rules_answered: 0b11,
        max_records: 10,
        max_elements: 20_000,
        // Two elements a chunk, so a request and its evaluation take three chunks each.
        limits: Limits {
            max_chunk_elements: 2,
            ..Limits::default()
        },
    };
    let set_hash = set.content_hash();
    let set_bytes = set.to_bytes();

    let pick = |i: usize| all.get(i).cloned().unwrap_or_default();
    let inputs = vec![
        pick(3),
        b"stranger-1".to_vec(),
        pick(99),
        b"stranger-2".to_vec(),
        pick(250),
        b"stranger-3".to_vec(),
    ];
    let expected_matches = vec![true, false, true, false, true, false];
    let blinded = blind_batch(Mode::Voprf, &inputs, &mut StdRng::seed_from_u64(BLIND_SEED))?.1;
    let request_id = RequestId::random(&mut rng);
    let manifest = Manifest::new(ManifestFields {
        request_id,
        requester_id: RequesterId::new(REQUESTER)?,
        purpose: Purpose::CriminalInvestigation,
        legal_basis: LegalBasis::new("fuzz basis")?,
        record_count: 3,
        element_count: blinded.len() as u64,
        rules_used: vec![RuleId::new("R1")?],
        blinded_digest: BlindedDigest::digest_all(&blinded),
        references_root: MerkleHash::from_bytes([1; 32]),
        issued_at: NOW - 10,
        expires_at: NOW + 3600,
        key_epoch: KeyEpoch::from_bytes(EPOCH),
        oprf_public_key: OprfKeyHex::from_bytes(holder_params.public_key),
        set_hash: SetHash::from_bytes(set_hash),
    })?;
    let approval = approver.approve(&Role::new("dhs-secretary")?, &manifest);
    let requester_params = RequesterParams {
        requester_id: REQUESTER.into(),
        manifest_json: manifest.to_json_pretty().into_bytes(),
        approvals_json: vec![serde_json::to_vec(&approval)?],
        key_epoch: EPOCH,
        pinned_public_key: holder_params.public_key,
        approved_set_hash: set_hash,
        cached: None,
        receipt: ReceiptExpectation {
            holder: holder_identity().public_key(),
            requester_id: REQUESTER.into(),
            request_id,
            manifest_sha256: manifest.sha256(),
            last_seen: None,
        },
        limits: Limits::default(),
    };

    // The honest requester's messages, from the requester's own state machine.
    let (await_welcome, hello) = RequesterSession::start(requester_params.clone());
    let (_, welcome) = AwaitHello::new(holder_params.clone(), REQUESTER)
        .on_hello(hello.clone())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let (_, request) = await_welcome
        .on_welcome(welcome.clone(), &blinded)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut to_holder = vec![hello];
    to_holder.extend(request);
    to_holder.push(Message::Goodbye);

    // The honest holder's answer, two elements a chunk as `Welcome` announces.
    let batch = BlindedBatch::decode(blinded.clone())?;
    let (evaluated, proofs) = blind_evaluate_and_prove(&key, &batch, &mut rng)?;
    // The honest holder's receipt of its acceptance, then its answer.
    let mut honest_summary = summary(request_id);
    honest_summary.signed.manifest_sha256 = manifest.sha256();
    let receipt = MemoryLedger::default().record_decision(
        NOW,
        &HolderEvent::DecisionAccepted {
            request: &honest_summary,
            approved_by: &[],
        },
        0,
    )?;
    let mut to_requester = vec![welcome, Message::Receipt(receipt)];
    for (index, elements) in evaluated.chunks(2).enumerate() {
        to_requester.push(Message::Evaluated(blindlink_protocol::wire::Evaluated {
            index: u32::try_from(index)?,
            elements: elements.to_vec(),
        }));
    }
    for p in proofs {
        to_requester.push(Message::Proof(blindlink_protocol::wire::Proof {
            first_element: p.start as u64,
            count: u32::try_from(p.count)?,
            proof: p.proof.to_bytes(),
        }));
    }
    to_requester.push(Message::EvaluationDone);
    let offer = SetOffer {
        epoch: EPOCH,
        set_hash,
        bytes: &set_bytes,
    };
    to_requester.extend(set_messages(offer, None, SET_CHUNK));
    to_requester.push(Message::SetCached(CachedSet {
        epoch: EPOCH,
        set_hash,
    }));

    Ok(World {
        key,
        holder_params,
        policy,
        set_bytes,
        set_hash,
        request_id,
        requester_params,
        inputs,
        blinded,
        evaluated,
        expected_matches,
        to_holder,
        to_requester,
    })
}

/// A ledger in memory that accepts every write (the targets check the session, not the
/// ledger). Each session gets a fresh one, so the claim always succeeds. Its receipts
/// are real: a Merkle tree of the decisions, signed by [`holder_identity`].
#[derive(Default)]
pub struct MemoryLedger {
    claimed: std::sync::Mutex<Vec<RequestId>>,
    tree: std::sync::Mutex<LogTree>,
}

impl Ledger for MemoryLedger {
    type Error = std::io::Error;
    fn record(&self, _time: u64, _event: &HolderEvent<'_>) -> Result<(), Self::Error> {
        Ok(())
    }
    fn record_decision(
        &self,
        time: u64,
        event: &HolderEvent<'_>,
        since: u64,
    ) -> Result<DecisionReceipt, Self::Error> {
        let mut tree = self
            .tree
            .lock()
            .map_err(|_| std::io::Error::other("lock"))?;
        let seq = tree.size() + 1;
        let line = decision_line(seq, event);
        tree.push(entry_leaf(&line));
        make_receipt(&holder_identity(), &tree, seq, &line, since, time)
            .map_err(std::io::Error::other)
    }
    fn is_claimed(&self, id: &RequestId) -> Result<bool, Self::Error> {
        let claimed = self
            .claimed
            .lock()
            .map_err(|_| std::io::Error::other("lock"))?;
        Ok(claimed.contains(id))
    }
    fn claim(&self, id: &RequestId) -> Result<bool, Self::Error> {
        let mut claimed = self
            .claimed
            .lock()
            .map_err(|_| std::io::Error::other("lock"))?;
        if claimed.contains(id) {
            return Ok(false);
        }
        claimed.push(*id);
        Ok(true)
    }
    fn served_history(&self) -> Result<Vec<ServedRecords>, Self::Error> {
        Ok(Vec::new())
    }
}

/// A request summary for the ledger event (its contents do not matter here).
pub fn summary(request_id: RequestId) -> RequestSummary {
    RequestSummary {
        requester: REQUESTER.into(),
        request_id,
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
