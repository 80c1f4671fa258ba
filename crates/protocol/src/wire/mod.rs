//! The wire: messages, framing, and the Noise channel between requester and holder.
//!
//! # Layers
//!
//! 1. **TCP** carries a byte stream.
//! 2. **Handshake** ([`noise`]): `Noise_XX_25519_ChaChaPoly_BLAKE2s`, prologue
//!    `blindlink/wire/v1`, empty payloads. Each handshake message is sent as a record
//!    (2-byte big-endian length, then the message). The requester (initiator) checks after
//!    msg2 that the holder's static key is the pinned one and otherwise stops before msg3;
//!    the holder checks after msg3 that the requester's static key is in its allowed list
//!    and otherwise closes without sending anything. Keys are compared in constant time.
//! 3. **Records** ([`record`]): after the handshake every record is
//!    `u16-be length n (17..=65535) || Noise transport message of n bytes`
//!    (ChaCha20-Poly1305, 16-byte tag, so at most 65,519 plaintext bytes per record).
//! 4. **Frames** ([`frame`]): an application frame is `u32-be length L || L payload bytes`,
//!    with `L <= Limits::max_message_bytes` (default 4 MiB). A frame's bytes are cut into
//!    records of at most 65,519 plaintext bytes; each frame starts a new record and no
//!    record holds bytes of two frames or no bytes at all. A receiver rejects an oversized
//!    `L` from the first record, before buffering the payload.
//! 5. **Messages** ([`message`], [`codec`]): one postcard-encoded [`Message`] per frame,
//!    in its single canonical encoding, with every length bounded on decode by hard caps
//!    and then checked against the configured [`Limits`].
//!
//! # Message flow (protocol version 1)
//!
//! ```text
//! requester (ice)                                   holder (irs)
//!   Hello { version, suite, requester_id, cached_set } ->
//!                           <- Welcome { version, key_epoch, public_key, set_size,
//!                                        fingerprint_bits, rules_answered, max_records,
//!                                        max_elements, max_chunk_elements }
//!   Request { manifest, approvals, element_count } ->
//!   ElementsChunk { index: 0.., elements } ... ->
//!   ElementsDone ->
//!                           <- Refusal { code, message }          (and the session ends), or
//!                           <- Evaluated { index, elements } ... (all chunks), then
//!                              Proof { first_element, count <= 65535, proof } ...
//!                           <- EvaluationDone
//!                           <- SetCached { epoch, set_hash }      if the cached set is current, or
//!                           <- SetHeader { epoch, total_bytes, set_hash }
//!                              SetChunk { bytes } ... SetDone
//!   Goodbye ->
//! ```
//!
//! Either side may send `Abort { reason, detail }` instead of the next message and close.
//! The order of messages is enforced by the session state machines, not by this module;
//! this module guarantees that each message is well-formed and within limits.

pub mod channel;
pub mod codec;
pub mod frame;
pub mod limits;
pub mod message;
pub mod metered;
pub mod noise;
pub mod record;
pub mod static_key;

mod bounded;

pub use channel::{Channel, ChannelError};
pub use codec::{MessageError, validate};
pub use frame::{FRAME_HEADER_LEN, FrameDecoder, FrameError, encode_frame, frame_header};
pub use limits::{HARD_MAX_PROOF_HASHES, HARD_MAX_RECEIPT_ENTRY_BYTES, Limits, MAX_PROOF_SPAN};
pub use message::{
    Abort, AbortReason, CachedSet, DecisionReceipt, Element, ElementsChunk, Evaluated, Hello,
    KNOWN_RULES_MASK, KeyEpoch, Message, PROTOCOL_VERSION, Proof, Refusal, Request, SUITE,
    SetChunk, SetHeader, Welcome,
};
pub use metered::Metered;
pub use noise::{
    HandshakeError, InitiatorHandshake, NOISE_PATTERN, ResponderAwaitingIdentity,
    ResponderHandshake,
};
pub use record::{RECORD_MAX_PLAINTEXT, RecordError, SealedFrame, SecureTransport};
pub use static_key::{KeyError, NoiseStaticKey};
