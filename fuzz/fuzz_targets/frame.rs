//! Frame decoding: `FrameDecoder::push` fed the stream in arbitrary pieces.
//!
//! Input layout: byte 0 picks the decoder's maximum payload length, byte 1 the piece
//! sizes, the rest is the byte stream. Checked: the same frames come out whatever the
//! split; every frame is at most the maximum and re-encodes (`encode_frame`) to exactly
//! the bytes it was read from; after an error the decoder stays failed.
#![no_main]

use blindlink_protocol::wire::{FRAME_HEADER_LEN, FrameDecoder, FrameError, encode_frame};
use libfuzzer_sys::fuzz_target;

/// What one feed produced: the frames, the bytes consumed, and the error if any.
struct Fed {
    frames: Vec<Vec<u8>>,
    consumed: usize,
    error: Option<FrameError>,
    decoder: FrameDecoder,
}

fn feed(max: u32, stream: &[u8], piece: usize) -> Fed {
    let mut decoder = FrameDecoder::new(max);
    let mut frames = Vec::new();
    let mut consumed = 0;
    for chunk in stream.chunks(piece.max(1)) {
        let mut input = chunk;
        while !input.is_empty() {
            let before = input.len();
            match decoder.push(&mut input) {
                Ok(Some(frame)) => frames.push(frame),
                Ok(None) => assert!(input.is_empty(), "Ok(None) left input unread"),
                Err(error) => {
                    consumed += before - input.len();
                    return Fed {
                        frames,
                        consumed,
                        error: Some(error),
                        decoder,
                    };
                }
            }
            consumed += before - input.len();
        }
    }
    Fed {
        frames,
        consumed,
        error: None,
        decoder,
    }
}

fuzz_target!(|data: &[u8]| {
    let [max_seed, piece_seed, stream @ ..] = data else {
        return;
    };
    // Small maxima exercise the limit; 255 stands for the 4 MiB default.
    let max = if *max_seed == 255 {
        4 << 20
    } else {
        u32::from(*max_seed) * 3
    };
    let whole = feed(max, stream, stream.len());
    let pieces = feed(max, stream, usize::from(*piece_seed % 17) + 1);
    assert_eq!(whole.frames, pieces.frames, "split changed the frames");
    assert_eq!(whole.error, pieces.error, "split changed the error");

    // Every frame re-encodes to the bytes it came from.
    let mut offset = 0;
    for frame in &whole.frames {
        assert!(frame.len() <= max as usize);
        let encoded = encode_frame(frame, max).expect("a decoded frame is within the maximum");
        assert_eq!(
            stream.get(offset..offset + encoded.len()),
            Some(&encoded[..])
        );
        offset += encoded.len();
    }
    assert!(offset <= whole.consumed);

    match whole.error {
        Some(error) => {
            // Rejected on the fourth header byte: nothing of the payload was consumed.
            assert_eq!(whole.consumed, offset + FRAME_HEADER_LEN);
            let mut more: &[u8] = &[0, 0, 0, 0];
            assert!(!whole.decoder.is_at_boundary());
            let mut decoder = whole.decoder;
            assert_eq!(decoder.push(&mut more), Err(error), "failure is not sticky");
        }
        None => {
            assert_eq!(whole.consumed, stream.len());
            assert_eq!(whole.decoder.is_at_boundary(), offset == stream.len());
        }
    }
});
