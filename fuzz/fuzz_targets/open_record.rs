//! The Noise record layer: `SecureTransport::open_record` on an established channel.
//!
//! Byte 0 is the mode: bit 0 set = the transport under test is the holder's (responder),
//! else the requester's; bit 1 set = the peer is the project's own transport and seals
//! with `seal_frame`, else a raw `snow` peer that seals any plaintext; bits 2-3 pick the
//! receiver's frame limit (default 4 MiB, 64, 0, 65,515). Then operations, each one byte
//! (low three bits the kind, the rest `t`) and its arguments:
//!
//! - kind 0, forge: `len`, `len` bytes delivered as a record body;
//! - kind 1, raw record: `len`, `len` bytes of plaintext sealed as one record (a frame
//!   with the project's peer);
//! - kinds 2-6, frame: `len`, `len` bytes: a frame of those bytes, sealed as records;
//! - kind 7, long frame: `len`, `len` bytes, `r`: a frame of those bytes repeated `2r+1`
//!   times (up to 130,305 bytes, so up to three records), cut into records the
//!   documented way (kept to one kind: sealing is most of the time spent).
//!
//! A sealed record is then delivered as `t % 8` says: 0-3 as is, 4 one byte flipped
//! (arguments `k`, `p`, `x`: record `k`, byte `p`, xor `x`), 5 truncated (`k`, `n`),
//! 6 extended by one byte (`k`), 7 record `k` dropped (bit 6 of the operation byte clear)
//! or delivered twice (set).
//!
//! Checked: no panic; a forged, tampered, replayed or out-of-order record is always an
//! error and never yields plaintext; after a record is lost or rejected every later
//! record is refused (the nonces are out of step); in step, each record's result is what
//! a `FrameDecoder` fed the same plaintext gives, and a sealed frame comes out whole.
#![no_main]

use blindlink_fuzz::noise_pair::NoisePair;
use blindlink_protocol::wire::{FrameDecoder, RECORD_MAX_PLAINTEXT, SecureTransport, frame_header};
use libfuzzer_sys::fuzz_target;

enum Sender {
    Raw(snow::TransportState),
    Real(SecureTransport),
}

/// The receiver and what it must do.
struct Harness {
    receiver: SecureTransport,
    sender: Sender,
    /// Same limit as the receiver, fed every plaintext the receiver decrypts.
    model: FrameDecoder,
    /// Receiver and sender nonces agree.
    in_step: bool,
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Partial,
    Frame(Vec<u8>),
    Error,
}

impl Harness {
    fn new(mode: u8) -> Harness {
        let holder_receives = mode & 1 == 1;
        let (mut receiver, sender) = if mode & 2 == 0 {
            let pair = NoisePair::new(holder_receives).expect("handshake");
            (pair.receiver, Sender::Raw(pair.sender))
        } else {
            let (requester, holder) = NoisePair::real().expect("handshake");
            if holder_receives {
                (holder, Sender::Real(requester))
            } else {
                (requester, Sender::Real(holder))
            }
        };
        let max = match (mode >> 2) & 3 {
            0 => receiver.max_frame_bytes(),
            1 => 64,
            2 => 0,
            _ => (RECORD_MAX_PLAINTEXT - 4) as u32,
        };
        receiver.set_max_frame_bytes(max);
        Harness {
            receiver,
            sender,
            model: FrameDecoder::new(max),
            in_step: true,
        }
    }

    /// Seals one record of raw plaintext (raw peer only).
    fn seal_raw(&mut self, plaintext: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
        let Sender::Raw(state) = &mut self.sender else {
            return None;
        };
        let mut body = vec![0u8; plaintext.len() + 16];
        let len = state.write_message(plaintext, &mut body).expect("seal");
        body.truncate(len);
        Some((plaintext.to_vec(), body))
    }

    /// Seals a frame; returns each record's plaintext and body.
    fn seal_frame(&mut self, payload: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
        let header = frame_header(payload.len(), u32::MAX).expect("header");
        let stream = [&header[..], payload].concat();
        let pieces: Vec<Vec<u8>> = stream
            .chunks(RECORD_MAX_PLAINTEXT)
            .map(<[u8]>::to_vec)
            .collect();
        match &mut self.sender {
            Sender::Raw(_) => pieces
                .iter()
                .filter_map(|piece| self.seal_raw(piece))
                .collect(),
            Sender::Real(transport) => {
                let records: Vec<Vec<u8>> = transport
                    .seal_frame(payload)
                    .expect("within the sender's limit")
                    .collect::<Result<_, _>>()
                    .expect("seal");
                assert_eq!(records.len(), pieces.len(), "records per frame");
                pieces
                    .into_iter()
                    .zip(records)
                    .map(|(piece, record)| {
                        let (header, body) = record.split_at(2);
                        assert_eq!(
                            usize::from(u16::from_be_bytes([header[0], header[1]])),
                            body.len()
                        );
                        assert_eq!(body.len(), piece.len() + 16, "record length");
                        (piece, body.to_vec())
                    })
                    .collect()
            }
        }
    }

    fn open(&mut self, body: &[u8]) -> Outcome {
        match self.receiver.open_record(body) {
            Ok(None) => Outcome::Partial,
            Ok(Some(frame)) => Outcome::Frame(frame),
            Err(_) => Outcome::Error,
        }
    }

    /// A body that is not the next sealed record: must fail and change nothing.
    fn deliver_forged(&mut self, body: &[u8]) {
        let outcome = self.open(body);
        assert_eq!(
            outcome,
            Outcome::Error,
            "a forged or tampered record was accepted"
        );
    }

    /// The next sealed record, unchanged.
    fn deliver_genuine(&mut self, plaintext: &[u8], body: &[u8]) {
        let outcome = self.open(body);
        if !self.in_step || plaintext.is_empty() {
            assert_eq!(
                outcome,
                Outcome::Error,
                "accepted a record out of step or empty"
            );
            self.in_step = false;
            return;
        }
        let mut input = plaintext;
        let expected = match self.model.push(&mut input) {
            Err(_) => Outcome::Error,
            Ok(_) if !input.is_empty() => Outcome::Error,
            Ok(None) => Outcome::Partial,
            Ok(Some(frame)) => Outcome::Frame(frame),
        };
        assert_eq!(
            outcome, expected,
            "record result differs from the frame decoder's"
        );
    }
}

struct Input<'a>(std::slice::Iter<'a, u8>);

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        self.0.next().copied().unwrap_or(0)
    }
    fn bytes(&mut self) -> Vec<u8> {
        let len = usize::from(self.byte());
        self.0.by_ref().take(len).copied().collect()
    }
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input(data.iter());
    let mut h = Harness::new(input.byte());
    while let Some(&op) = input.0.next() {
        let tamper = op >> 3;
        let records = match op & 7 {
            0 => {
                let forged = input.bytes();
                h.deliver_forged(&forged);
                continue;
            }
            1 => {
                let plaintext = input.bytes();
                match h.seal_raw(&plaintext) {
                    Some(record) => vec![record],
                    None => h.seal_frame(&plaintext),
                }
            }
            2..=6 => {
                let payload = input.bytes();
                h.seal_frame(&payload)
            }
            _ => {
                let piece = input.bytes();
                let repeat = 2 * usize::from(input.byte()) + 1;
                h.seal_frame(&piece.repeat(repeat))
            }
        };
        let target = match tamper % 8 {
            0..=3 => usize::MAX,
            _ => usize::from(input.byte()) % records.len().max(1),
        };
        for (i, (plaintext, body)) in records.iter().enumerate() {
            if i != target {
                h.deliver_genuine(plaintext, body);
                continue;
            }
            match tamper % 8 {
                4 => {
                    let mut bad = body.clone();
                    let p = usize::from(input.byte()) % bad.len();
                    bad[p] ^= input.byte().max(1);
                    h.deliver_forged(&bad);
                    h.in_step = false;
                }
                5 => {
                    let n = usize::from(input.byte()) % body.len();
                    h.deliver_forged(&body[..n]);
                    h.in_step = false;
                }
                6 => {
                    let mut long = body.clone();
                    long.push(input.byte());
                    h.deliver_forged(&long);
                    h.in_step = false;
                }
                _ if tamper & 8 == 0 => h.in_step = false,
                _ => {
                    h.deliver_genuine(plaintext, body);
                    h.deliver_forged(body);
                }
            }
        }
    }
});
