//! The protocol messages, as serde types with a postcard encoding.
//!
//! Everything here is plain data; encoding, decoding and limit checks live in
//! [`codec`](super::codec). Cryptographic values are opaque byte arrays at this layer: the
//! core crate decodes them (and rejects non-canonical encodings and the identity element)
//! when it uses them.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::bounded;

/// Protocol version carried in [`Hello`] and [`Welcome`].
pub const PROTOCOL_VERSION: u16 = 2;

/// The OPRF suite name carried in [`Hello`] (RFC 9497 identifier).
pub const SUITE: &str = "OPRF(ristretto255, SHA-512)";

/// Bits of [`Welcome::rules_answered`] that name a known match rule: bit `i` set means
/// rule `R{i+1}` (R1 exact, R2 name-house-zip, R3 phonetic, R4 name-dob) is answered.
pub const KNOWN_RULES_MASK: u8 = 0b0000_1111;

/// A 32-byte compressed ristretto255 element (blinded or evaluated).
pub type Element = [u8; 32];

/// Identifier of a holder key epoch.
pub type KeyEpoch = [u8; 16];

/// Every message of the protocol. The variant order is the wire tag and never changes
/// within a protocol version; `Hello` is tag 0 and its first field is the version, in every
/// version, so a holder can always read the version a requester speaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Message {
    /// Requester opens the session (tag 0).
    Hello(Hello),
    /// Holder answers with its key epoch and limits (tag 1).
    Welcome(Welcome),
    /// Requester announces a request: manifest, approvals, element count (tag 2).
    Request(Request),
    /// One chunk of blinded elements (tag 3).
    ElementsChunk(ElementsChunk),
    /// All blinded elements have been sent (tag 4).
    ElementsDone,
    /// Holder refuses the request, coarsely (tag 5).
    Refusal(Refusal),
    /// One chunk of evaluated elements (tag 6).
    Evaluated(Evaluated),
    /// A batched DLEQ proof over a span of evaluated elements (tag 7).
    Proof(Proof),
    /// All evaluated elements and proofs have been sent (tag 8).
    EvaluationDone,
    /// Holder starts sending its encoded set (tag 9).
    SetHeader(SetHeader),
    /// One chunk of the encoded set (tag 10).
    SetChunk(SetChunk),
    /// The encoded set is complete (tag 11).
    SetDone,
    /// The requester's cached set is current; nothing more to send (tag 12).
    SetCached(CachedSet),
    /// Orderly end of the session (tag 13).
    Goodbye,
    /// Either side aborts the session on a protocol error (tag 14).
    Abort(Abort),
    /// The holder's signed receipt for its decision, before the evaluation or the
    /// refusal (tag 15).
    Receipt(DecisionReceipt),
}

impl Message {
    /// The message's name, for errors and logs.
    pub fn name(&self) -> &'static str {
        match self {
            Message::Hello(_) => "Hello",
            Message::Welcome(_) => "Welcome",
            Message::Request(_) => "Request",
            Message::ElementsChunk(_) => "ElementsChunk",
            Message::ElementsDone => "ElementsDone",
            Message::Refusal(_) => "Refusal",
            Message::Evaluated(_) => "Evaluated",
            Message::Proof(_) => "Proof",
            Message::EvaluationDone => "EvaluationDone",
            Message::SetHeader(_) => "SetHeader",
            Message::SetChunk(_) => "SetChunk",
            Message::SetDone => "SetDone",
            Message::SetCached(_) => "SetCached",
            Message::Goodbye => "Goodbye",
            Message::Abort(_) => "Abort",
            Message::Receipt(_) => "Receipt",
        }
    }
}

/// A holder set the requester already has, named by key epoch and content hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedSet {
    /// Key epoch the set was encoded under.
    pub epoch: KeyEpoch,
    /// Hash of the encoded set bytes (as announced in [`SetHeader::set_hash`]).
    pub set_hash: [u8; 32],
}

/// Requester's opening message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// Protocol version the requester speaks ([`PROTOCOL_VERSION`]).
    pub version: u16,
    /// OPRF suite the requester expects ([`SUITE`]).
    #[serde(deserialize_with = "bounded::read_text")]
    pub suite: String,
    /// Requester identity as named in the holder's policy.
    #[serde(deserialize_with = "bounded::read_text")]
    pub requester_id: String,
    /// The holder set the requester has cached, if any.
    pub cached_set: Option<CachedSet>,
    /// Size of the holder's audit log in the last receipt this requester verified (0 if
    /// none): the receipt carries a consistency proof from it.
    pub holder_log_size: u64,
}

/// Holder's answer to [`Hello`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Welcome {
    /// Protocol version the holder speaks.
    pub version: u16,
    /// Current key epoch.
    pub key_epoch: KeyEpoch,
    /// OPRF public key `pk = k*G` of the epoch (VOPRF mode), compressed.
    pub public_key: Element,
    /// Number of elements in the holder's encoded set.
    pub set_size: u64,
    /// Length of a fingerprint in the encoded set, in bits (non-zero).
    pub fingerprint_bits: u8,
    /// Match rules the holder answers, as a bitmask (see [`KNOWN_RULES_MASK`]).
    pub rules_answered: u8,
    /// Most records one request may carry under the holder's policy.
    pub max_records: u32,
    /// Most elements one request may carry under the holder's policy.
    pub max_elements: u64,
    /// Most elements the holder accepts in one [`ElementsChunk`] (non-zero).
    pub max_chunk_elements: u32,
}

/// Requester's request: what the approvers signed, their approvals, and how many blinded
/// elements follow in [`ElementsChunk`]s.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// The signed manifest (canonical JSON from the manifest module), opaque here.
    #[serde(
        serialize_with = "bounded::write_bytes",
        deserialize_with = "bounded::read_manifest"
    )]
    pub manifest: Vec<u8>,
    /// Approvals over the manifest, opaque here.
    #[serde(
        serialize_with = "bounded::write_approvals",
        deserialize_with = "bounded::read_approvals"
    )]
    pub approvals: Vec<Vec<u8>>,
    /// Number of blinded elements that follow (must equal the manifest's count).
    pub element_count: u64,
}

/// A chunk of blinded elements, numbered from 0.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementsChunk {
    /// Chunk index, starting at 0 and increasing by one.
    pub index: u32,
    /// The blinded elements, in request order.
    #[serde(deserialize_with = "bounded::read_elements")]
    pub elements: Vec<Element>,
}

/// Holder's coarse refusal of a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// Stable machine-readable code (for example `approval-missing`).
    #[serde(deserialize_with = "bounded::read_text")]
    pub code: String,
    /// Human-readable reason.
    #[serde(deserialize_with = "bounded::read_text")]
    pub message: String,
}

/// A chunk of evaluated elements, in the order of the blinded elements.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluated {
    /// Index of the [`ElementsChunk`] this chunk answers.
    pub index: u32,
    /// The evaluated elements.
    #[serde(deserialize_with = "bounded::read_elements")]
    pub elements: Vec<Element>,
}

/// A batched DLEQ proof (RFC 9497 VOPRF) that the evaluated elements
/// `first_element .. first_element + count` were computed with the epoch key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    /// Position of the first covered element in the request.
    pub first_element: u64,
    /// Number of elements covered (1 to [`MAX_PROOF_SPAN`](super::MAX_PROOF_SPAN)).
    pub count: u32,
    /// The proof: challenge scalar then response scalar, 32 bytes each.
    #[serde(
        serialize_with = "bounded::write_proof",
        deserialize_with = "bounded::read_proof"
    )]
    pub proof: [u8; 64],
}

/// Announces the encoded set that follows in [`SetChunk`]s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetHeader {
    /// Key epoch the set was encoded under.
    pub epoch: KeyEpoch,
    /// Total bytes of the encoded set.
    pub total_bytes: u64,
    /// Hash of the encoded set bytes, to check them and to name the cached copy.
    pub set_hash: [u8; 32],
}

/// A chunk of the encoded set.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetChunk {
    /// The next bytes of the encoded set.
    #[serde(
        serialize_with = "bounded::write_bytes",
        deserialize_with = "bounded::read_set_chunk"
    )]
    pub bytes: Vec<u8>,
}

/// The holder's receipt for its decision on a request: a checkpoint of its audit log
/// (size, root, time, signed with its identity key), the decision's audit entry with its
/// inclusion proof, and a consistency proof from the log size the requester named in
/// [`Hello::holder_log_size`]. Checked by
/// [`verify_receipt`](crate::transparency::verify_receipt).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionReceipt {
    /// Entries in the holder's log at the checkpoint.
    pub tree_size: u64,
    /// Its Merkle root.
    pub root_hash: [u8; 32],
    /// When the checkpoint was signed (unix seconds).
    pub checkpoint_time: u64,
    /// Ed25519 signature of the checkpoint by the holder's identity key.
    #[serde(
        serialize_with = "bounded::write_proof",
        deserialize_with = "bounded::read_proof"
    )]
    pub signature: [u8; 64],
    /// Leaf index of the decision's entry (its `seq` minus one).
    pub leaf_index: u64,
    /// The decision's audit line, exactly as stored (without its `\n`).
    #[serde(
        serialize_with = "bounded::write_bytes",
        deserialize_with = "bounded::read_entry"
    )]
    pub entry: Vec<u8>,
    /// The entry's inclusion proof in the checkpointed tree.
    #[serde(deserialize_with = "bounded::read_hashes")]
    pub inclusion: Vec<[u8; 32]>,
    /// The log size the consistency proof starts from.
    pub consistency_from: u64,
    /// Consistency proof from `consistency_from` to `tree_size`.
    #[serde(deserialize_with = "bounded::read_hashes")]
    pub consistency: Vec<[u8; 32]>,
}

impl fmt::Debug for DecisionReceipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecisionReceipt")
            .field("tree_size", &self.tree_size)
            .field("leaf_index", &self.leaf_index)
            .field("entry_bytes", &self.entry.len())
            .field("consistency_from", &self.consistency_from)
            .finish_non_exhaustive()
    }
}

/// Why a session was aborted; deliberately coarse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AbortReason {
    /// The protocol version is not supported.
    UnsupportedVersion,
    /// A message could not be decoded or broke a limit.
    Malformed,
    /// A message arrived out of order.
    UnexpectedMessage,
    /// The peer took too long.
    Timeout,
    /// The sender failed internally.
    Internal,
}

/// Aborts a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Abort {
    /// Coarse reason.
    pub reason: AbortReason,
    /// Short human-readable detail (never secret data).
    #[serde(deserialize_with = "bounded::read_text")]
    pub detail: String,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("manifest_bytes", &self.manifest.len())
            .field("approvals", &self.approvals.len())
            .field("element_count", &self.element_count)
            .finish()
    }
}

impl fmt::Debug for ElementsChunk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ElementsChunk")
            .field("index", &self.index)
            .field("elements", &self.elements.len())
            .finish()
    }
}

impl fmt::Debug for Evaluated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Evaluated")
            .field("index", &self.index)
            .field("elements", &self.elements.len())
            .finish()
    }
}

impl fmt::Debug for SetChunk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetChunk")
            .field("bytes", &self.bytes.len())
            .finish()
    }
}
