//! Messages: round trips, canonical encoding, limits, and no panic on arbitrary bytes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use blindlink_protocol::wire::{
    Abort, AbortReason, CachedSet, DecisionReceipt, ElementsChunk, Evaluated, Hello, Limits,
    Message, MessageError, PROTOCOL_VERSION, Proof, Refusal, Request, SUITE, SetChunk, SetHeader,
    Welcome, limits::HARD_MAX_CHUNK_ELEMENTS,
};
use proptest::collection::vec;
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ,()-]{0,40}"
}

fn nonempty_text() -> impl Strategy<Value = String> {
    "[a-z0-9-]{1,40}"
}

fn elements() -> impl Strategy<Value = Vec<[u8; 32]>> {
    vec(any::<[u8; 32]>(), 1..24)
}

fn proof_bytes() -> impl Strategy<Value = [u8; 64]> {
    vec(any::<u8>(), 64).prop_map(|bytes| bytes.try_into().unwrap())
}

fn cached_set() -> impl Strategy<Value = CachedSet> {
    (any::<[u8; 16]>(), any::<[u8; 32]>())
        .prop_map(|(epoch, set_hash)| CachedSet { epoch, set_hash })
}

fn message() -> impl Strategy<Value = Message> {
    prop_oneof![
        (
            any::<u16>(),
            text(),
            nonempty_text(),
            proptest::option::of(cached_set()),
            any::<u64>()
        )
            .prop_map(
                |(version, suite, requester_id, cached_set, holder_log_size)| {
                    Message::Hello(Hello {
                        version,
                        suite,
                        requester_id,
                        cached_set,
                        holder_log_size,
                    })
                }
            ),
        (
            any::<u16>(),
            any::<[u8; 16]>(),
            any::<[u8; 32]>(),
            any::<u64>(),
            1u8..,
            1u8..=15,
            (any::<u32>(), any::<u64>(), 1u32..)
        )
            .prop_map(
                |(version, key_epoch, public_key, set_size, bits, rules, lim)| {
                    Message::Welcome(Welcome {
                        version,
                        key_epoch,
                        public_key,
                        set_size,
                        fingerprint_bits: bits,
                        rules_answered: rules,
                        max_records: lim.0,
                        max_elements: lim.1,
                        max_chunk_elements: lim.2,
                    })
                }
            ),
        (
            vec(any::<u8>(), 1..300),
            vec(vec(any::<u8>(), 1..80), 0..6),
            1u64..=1_000_000
        )
            .prop_map(
                |(manifest, approvals, element_count)| Message::Request(Request {
                    manifest,
                    approvals,
                    element_count,
                })
            ),
        (any::<u32>(), elements()).prop_map(|(index, elements)| Message::ElementsChunk(
            ElementsChunk { index, elements }
        )),
        Just(Message::ElementsDone),
        (nonempty_text(), text())
            .prop_map(|(code, message)| Message::Refusal(Refusal { code, message })),
        (any::<u32>(), elements())
            .prop_map(|(index, elements)| Message::Evaluated(Evaluated { index, elements })),
        (0u64..=900_000, 1u32..=65_535, proof_bytes()).prop_map(|(first_element, count, proof)| {
            Message::Proof(Proof {
                first_element,
                count,
                proof,
            })
        }),
        Just(Message::EvaluationDone),
        (any::<[u8; 16]>(), 0u64..=(2 << 30), any::<[u8; 32]>()).prop_map(
            |(epoch, total_bytes, set_hash)| Message::SetHeader(SetHeader {
                epoch,
                total_bytes,
                set_hash,
            })
        ),
        vec(any::<u8>(), 1..400).prop_map(|bytes| Message::SetChunk(SetChunk { bytes })),
        Just(Message::SetDone),
        cached_set().prop_map(Message::SetCached),
        Just(Message::Goodbye),
        (
            prop_oneof![
                Just(AbortReason::UnsupportedVersion),
                Just(AbortReason::Malformed),
                Just(AbortReason::UnexpectedMessage),
                Just(AbortReason::Timeout),
                Just(AbortReason::Internal),
            ],
            text()
        )
            .prop_map(|(reason, detail)| Message::Abort(Abort { reason, detail })),
        (
            (any::<u64>(), any::<[u8; 32]>(), any::<u64>(), proof_bytes()),
            (any::<u64>(), vec(any::<u8>(), 1..300)),
            (
                vec(any::<[u8; 32]>(), 0..20),
                any::<u64>(),
                vec(any::<[u8; 32]>(), 0..20)
            )
        )
            .prop_map(|(checkpoint, entry, proofs)| {
                // Valid as the codec requires: the entry inside the tree, the proof's
                // start not past it.
                let (tree_size, root_hash, checkpoint_time, signature) = checkpoint;
                let tree_size = tree_size.max(1);
                let (leaf_index, entry) = entry;
                let leaf_index = leaf_index % tree_size;
                let (inclusion, consistency_from, consistency) = proofs;
                let consistency_from = consistency_from % tree_size;
                Message::Receipt(DecisionReceipt {
                    tree_size,
                    root_hash,
                    checkpoint_time,
                    signature,
                    leaf_index,
                    entry,
                    inclusion,
                    consistency_from,
                    consistency,
                })
            }),
    ]
}

fn limits() -> Limits {
    Limits::default()
}

proptest! {
    #[test]
    fn every_message_round_trips(message in message()) {
        let bytes = message.encode(&limits()).unwrap();
        prop_assert_eq!(Message::decode(&bytes, &limits()).unwrap(), message);
    }

    #[test]
    fn truncated_or_extended_encodings_are_rejected(message in message(), extra in any::<u8>()) {
        let bytes = message.encode(&limits()).unwrap();
        for cut in 0..bytes.len() {
            prop_assert!(Message::decode(&bytes[..cut], &limits()).is_err(), "prefix {cut} decoded");
        }
        let mut longer = bytes.clone();
        longer.push(extra);
        prop_assert!(matches!(
            Message::decode(&longer, &limits()),
            Err(MessageError::TrailingBytes(1))
        ));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..2048)) {
        if let Ok(message) = Message::decode(&bytes, &limits()) {
            // Anything accepted is in its one canonical encoding.
            prop_assert_eq!(message.encode(&limits()).unwrap(), bytes);
        }
    }

    #[test]
    fn arbitrary_bodies_for_every_tag_never_panic(tag in 0u8..=16, body in vec(any::<u8>(), 0..2048)) {
        let mut bytes = vec![tag];
        bytes.extend_from_slice(&body);
        if let Ok(message) = Message::decode(&bytes, &limits()) {
            prop_assert_eq!(message.encode(&limits()).unwrap(), bytes);
        }
    }

    #[test]
    fn mutated_encodings_never_panic(message in message(), position in any::<usize>(), byte in any::<u8>()) {
        let mut bytes = message.encode(&limits()).unwrap();
        let index = position % bytes.len();
        bytes[index] = byte;
        if let Ok(decoded) = Message::decode(&bytes, &limits()) {
            prop_assert_eq!(decoded.encode(&limits()).unwrap(), bytes);
        }
    }
}

fn chunk(count: usize) -> Message {
    Message::ElementsChunk(ElementsChunk {
        index: 0,
        elements: vec![[7u8; 32]; count],
    })
}

#[test]
fn too_many_elements_in_a_chunk_are_refused_both_ways() {
    let strict = Limits {
        max_chunk_elements: 4,
        ..limits()
    };
    assert!(matches!(
        chunk(5).encode(&strict),
        Err(MessageError::LimitExceeded {
            field: "elements",
            actual: 5,
            limit: 4,
            ..
        })
    ));
    let bytes = chunk(5).encode(&limits()).unwrap();
    assert!(matches!(
        Message::decode(&bytes, &strict),
        Err(MessageError::LimitExceeded {
            field: "elements",
            ..
        })
    ));
    assert!(Message::decode(&chunk(4).encode(&limits()).unwrap(), &strict).is_ok());
}

#[test]
fn element_count_over_the_hard_cap_is_refused_before_allocation() {
    // Tag 3 (ElementsChunk), index 0, then a varint length of HARD_MAX + 1 and no data.
    let mut bytes = vec![3u8, 0];
    let mut len = HARD_MAX_CHUNK_ELEMENTS as u64 + 1;
    while len >= 0x80 {
        bytes.push((len as u8) | 0x80);
        len >>= 7;
    }
    bytes.push(len as u8);
    assert!(matches!(
        Message::decode(&bytes, &limits()),
        Err(MessageError::Malformed(_))
    ));
    // A huge length announced with enough input present is refused by the hard cap too.
    let generous = Limits {
        max_message_bytes: 8 << 20,
        ..limits()
    };
    bytes.extend(std::iter::repeat_n(1u8, (HARD_MAX_CHUNK_ELEMENTS + 1) * 32));
    assert!(matches!(
        Message::decode(&bytes, &generous),
        Err(MessageError::Malformed(_))
    ));
}

#[test]
fn manifest_over_the_limit_is_refused() {
    let request = |manifest_len| {
        Message::Request(Request {
            manifest: vec![b'{'; manifest_len],
            approvals: vec![b"approval".to_vec()],
            element_count: 10,
        })
    };
    let limit = limits().max_manifest_bytes as usize;
    assert!(request(limit).encode(&limits()).is_ok());
    assert!(matches!(
        request(limit + 1).encode(&limits()),
        Err(MessageError::LimitExceeded {
            field: "manifest",
            ..
        })
    ));
    let generous = Limits {
        max_manifest_bytes: 1 << 20,
        ..limits()
    };
    let bytes = request(limit + 1).encode(&generous).unwrap();
    assert!(matches!(
        Message::decode(&bytes, &limits()),
        Err(MessageError::LimitExceeded {
            field: "manifest",
            ..
        })
    ));
}

#[test]
fn approvals_and_totals_are_limited() {
    let request = |approvals: usize, element_count| {
        Message::Request(Request {
            manifest: b"{}".to_vec(),
            approvals: vec![b"sig".to_vec(); approvals],
            element_count,
        })
    };
    assert!(request(16, 1_000_000).encode(&limits()).is_ok());
    assert!(matches!(
        request(17, 1).encode(&limits()),
        Err(MessageError::LimitExceeded {
            field: "approvals",
            ..
        })
    ));
    assert!(matches!(
        request(1, 1_000_001).encode(&limits()),
        Err(MessageError::LimitExceeded {
            field: "element_count",
            ..
        })
    ));
    assert!(request(1, 0).encode(&limits()).is_err());
}

#[test]
fn invariants_are_checked() {
    let proof = |first_element, count| {
        Message::Proof(Proof {
            first_element,
            count,
            proof: [1; 64],
        })
    };
    assert!(proof(0, 65_535).encode(&limits()).is_ok());
    assert!(proof(0, 0).encode(&limits()).is_err());
    assert!(proof(0, 65_536).encode(&limits()).is_err());
    assert!(proof(u64::MAX, 1).encode(&limits()).is_err());
    assert!(chunk(0).encode(&limits()).is_err());
    let set_chunk = |len| {
        Message::SetChunk(SetChunk {
            bytes: vec![0; len],
        })
    };
    assert!(set_chunk(1 << 20).encode(&limits()).is_ok());
    assert!(set_chunk((1 << 20) + 1).encode(&limits()).is_err());
    let header = |total_bytes| {
        Message::SetHeader(SetHeader {
            epoch: [0; 16],
            total_bytes,
            set_hash: [0; 32],
        })
    };
    assert!(header(2 << 30).encode(&limits()).is_ok());
    assert!(header((2 << 30) + 1).encode(&limits()).is_err());
    let welcome = |rules_answered| {
        Message::Welcome(Welcome {
            version: PROTOCOL_VERSION,
            key_epoch: [0; 16],
            public_key: [0; 32],
            set_size: 0,
            fingerprint_bits: 64,
            rules_answered,
            max_records: 1,
            max_elements: 1,
            max_chunk_elements: 1,
        })
    };
    assert!(welcome(0b11).encode(&limits()).is_ok());
    assert!(welcome(0).encode(&limits()).is_err());
    assert!(welcome(0b1_0000).encode(&limits()).is_err());
}

#[test]
fn oversized_input_is_refused_before_decoding() {
    let small = Limits {
        max_message_bytes: 8,
        ..limits()
    };
    assert!(matches!(
        Message::decode(&[0u8; 9], &small),
        Err(MessageError::TooLarge { len: 9, max: 8 })
    ));
}

#[test]
fn non_canonical_varints_are_refused() {
    // ElementsChunk with index 0 written as an overlong varint (0x80 0x00).
    let canonical = chunk(1).encode(&limits()).unwrap();
    let mut overlong = vec![canonical[0], 0x80, 0x00];
    overlong.extend_from_slice(&canonical[2..]);
    // postcard itself accepts overlong varints; the canonical re-encoding check does not.
    assert!(matches!(
        Message::decode(&overlong, &limits()),
        Err(MessageError::NonCanonical)
    ));
}

#[test]
fn wire_tags_are_stable() {
    let hello = Message::Hello(Hello {
        version: PROTOCOL_VERSION,
        suite: SUITE.to_owned(),
        requester_id: "ice".to_owned(),
        cached_set: None,
        holder_log_size: 0,
    });
    let bytes = hello.encode(&limits()).unwrap();
    // Tag 0, then the version as a varint: readable by any future version.
    assert_eq!(&bytes[..2], &[0, 2]);
    assert_eq!(Message::ElementsDone.encode(&limits()).unwrap(), vec![4]);
    assert_eq!(Message::EvaluationDone.encode(&limits()).unwrap(), vec![8]);
    assert_eq!(Message::SetDone.encode(&limits()).unwrap(), vec![11]);
    assert_eq!(Message::Goodbye.encode(&limits()).unwrap(), vec![13]);
    // A proof is tag, varint first_element, varint count, then 64 raw bytes.
    let proof = Message::Proof(Proof {
        first_element: 1,
        count: 2,
        proof: [9; 64],
    })
    .encode(&limits())
    .unwrap();
    assert_eq!(&proof[..3], &[7, 1, 2]);
    assert_eq!(proof.len(), 3 + 64);
}
