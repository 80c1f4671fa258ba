//! Framing: round trips across arbitrary splits, oversized lengths, no panic on garbage.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use blindlink_protocol::wire::{FrameDecoder, FrameError, encode_frame};
use proptest::collection::vec;
use proptest::prelude::*;

/// Feeds `stream` to `decoder` in pieces of the given sizes (cycled); collects frames.
fn feed(
    decoder: &mut FrameDecoder,
    stream: &[u8],
    pieces: &[usize],
) -> Result<Vec<Vec<u8>>, FrameError> {
    let mut frames = Vec::new();
    let mut offset = 0;
    let mut sizes = pieces.iter().cycle();
    while offset < stream.len() {
        let size = (*sizes.next().unwrap()).max(1);
        let end = (offset + size).min(stream.len());
        let mut input = &stream[offset..end];
        while !input.is_empty() {
            if let Some(frame) = decoder.push(&mut input)? {
                frames.push(frame);
            }
        }
        offset = end;
    }
    Ok(frames)
}

proptest! {
    #[test]
    fn frames_round_trip_across_any_split(
        payloads in vec(vec(any::<u8>(), 0..600), 0..12),
        pieces in vec(1usize..700, 1..8),
    ) {
        let mut stream = Vec::new();
        for payload in &payloads {
            stream.extend(encode_frame(payload, 600).unwrap());
        }
        let mut decoder = FrameDecoder::new(600);
        let frames = feed(&mut decoder, &stream, &pieces).unwrap();
        prop_assert_eq!(frames, payloads);
        prop_assert!(decoder.is_at_boundary());
    }

    #[test]
    fn arbitrary_bytes_never_panic(
        stream in vec(any::<u8>(), 0..4096),
        pieces in vec(1usize..300, 1..8),
        max in 0u32..2000,
    ) {
        let mut decoder = FrameDecoder::new(max);
        match feed(&mut decoder, &stream, &pieces) {
            Ok(frames) => {
                for frame in frames {
                    prop_assert!(frame.len() <= max as usize);
                }
            }
            Err(FrameError::TooLarge { len, max: reported }) => {
                prop_assert!(len > u64::from(max));
                prop_assert_eq!(reported, max);
                // The failure is sticky.
                let mut more: &[u8] = &[0, 0, 0, 0];
                prop_assert!(decoder.push(&mut more).is_err());
            }
        }
    }
}

#[test]
fn four_gib_length_is_rejected_on_the_fourth_header_byte() {
    let mut decoder = FrameDecoder::new(4 << 20);
    for byte in [0xffu8; 3] {
        let mut input: &[u8] = &[byte];
        assert_eq!(decoder.push(&mut input), Ok(None));
    }
    let mut last: &[u8] = &[0xff, 1, 2, 3];
    assert_eq!(
        decoder.push(&mut last),
        Err(FrameError::TooLarge {
            len: u64::from(u32::MAX),
            max: 4 << 20
        })
    );
}

#[test]
fn exact_maximum_is_accepted_and_one_more_is_not() {
    let mut decoder = FrameDecoder::new(5);
    let frame = encode_frame(b"12345", 5).unwrap();
    let mut input = frame.as_slice();
    assert_eq!(decoder.push(&mut input), Ok(Some(b"12345".to_vec())));
    assert!(input.is_empty());
    assert!(encode_frame(b"123456", 5).is_err());
    let mut too_long: &[u8] = &[0, 0, 0, 6];
    assert!(decoder.push(&mut too_long).is_err());
}

#[test]
fn decoder_stops_at_the_end_of_each_frame() {
    let mut stream = encode_frame(b"ab", 10).unwrap();
    stream.extend(encode_frame(b"cde", 10).unwrap());
    let mut decoder = FrameDecoder::new(10);
    let mut input = stream.as_slice();
    assert_eq!(decoder.push(&mut input), Ok(Some(b"ab".to_vec())));
    assert_eq!(input.len(), 7);
    assert_eq!(decoder.push(&mut input), Ok(Some(b"cde".to_vec())));
    assert!(input.is_empty());
}
