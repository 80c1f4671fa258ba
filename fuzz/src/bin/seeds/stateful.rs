//! Seeds of the stateful targets: the two session targets (a mode byte, then a
//! `blindlink_fuzz::script` over the honest peer's messages) and `open_record`.

use anyhow::Result;
use blindlink_fuzz::script::replay;
use blindlink_fuzz::session_setup::world;
use blindlink_protocol::wire::{Abort, AbortReason, Limits, Message, Refusal};

use super::Seeds;

/// Seeds of the session targets: byte 0 is the mode, then a `blindlink_fuzz::script`.
pub(super) fn session_seeds(seeds: &Seeds) -> Result<()> {
    let w = world();
    let honest = |n: usize| vec![0u8; n];
    let to_holder = w.to_holder.len();
    seeds.write(
        "holder_session",
        "honest",
        &[&[0][..], &honest(to_holder)].concat(),
    )?;
    seeds.write(
        "holder_session",
        "replayed",
        &[&[1][..], &honest(to_holder)].concat(),
    )?;
    // Hello, Request, chunks 0, 2, 1: out of order.
    seeds.write(
        "holder_session",
        "chunk-order",
        &[&[0][..], &replay(&[0, 1, 2, 4, 3, 5])].concat(),
    )?;
    // Hello, then ElementsDone before the Request.
    seeds.write(
        "holder_session",
        "early-done",
        &[&[0][..], &replay(&[0, 5, 1])].concat(),
    )?;
    let abort = Message::Abort(Abort {
        reason: AbortReason::Malformed,
        detail: "bad chunk index".to_owned(),
    })
    .encode(&Limits::default())?;
    let raw = [&[0xc0, u8::try_from(abort.len())?][..], &abort].concat();
    seeds.write("holder_session", "abort", &[&[0, 0][..], &raw].concat())?;

    // The holder's messages: Welcome, 3 Evaluated, Proof, EvaluationDone, SetHeader,
    // chunks, SetDone, SetCached (last).
    let to_requester = w.to_requester.len();
    let download = to_requester - 1;
    seeds.write(
        "requester_session",
        "download",
        &[&[0][..], &honest(download)].concat(),
    )?;
    let cached = u8::try_from(to_requester - 1)?;
    let with_cache = [&[0u8, 1, 2, 3, 4, 5][..], &[cached]].concat();
    seeds.write(
        "requester_session",
        "cached",
        &[&[1][..], &replay(&with_cache)].concat(),
    )?;
    seeds.write(
        "requester_session",
        "other-cache",
        &[&[2][..], &replay(&with_cache)].concat(),
    )?;
    let refusal = Message::Refusal(Refusal {
        code: "approval-missing".to_owned(),
        message: "no approval under role irs-counsel".to_owned(),
    })
    .encode(&Limits::default())?;
    let raw = [&[0xc0, u8::try_from(refusal.len())?][..], &refusal].concat();
    seeds.write(
        "requester_session",
        "refused",
        &[&[0, 0, 0][..], &raw].concat(),
    )?;
    // Evaluated chunks 0, 2, 1, then EvaluationDone.
    seeds.write(
        "requester_session",
        "chunk-order",
        &[&[0][..], &replay(&[0, 1, 3, 2, 4, 5])].concat(),
    )?;
    Ok(())
}

/// Seeds of `open_record` (see the target for the operations).
pub(super) fn record_seeds(seeds: &Seeds) -> Result<()> {
    let frame = |kind: u8, payload: &[u8]| {
        [
            &[kind, u8::try_from(payload.len()).unwrap_or(0)][..],
            payload,
        ]
        .concat()
    };
    let session = [
        frame(2, b"hello holder"),
        // Raw record "abc": a frame header cut short, continued by the next record.
        frame(1, b"abc"),
        // A forged 20-byte record.
        frame(0, &[0; 20]),
        // A frame whose record 0 has byte 3 flipped (xor 0x80).
        [frame(2 | (4 << 3), b"flip!"), vec![0, 3, 0x80]].concat(),
        // 255 bytes repeated 401 times: two records.
        [frame(7, &[0x5a; 255]), vec![200]].concat(),
        // An empty raw record.
        frame(1, b""),
    ]
    .concat();
    for mode in 0u8..4 {
        seeds.write(
            "open_record",
            &format!("session-{mode}"),
            &[&[mode][..], &session].concat(),
        )?;
    }
    // Limit 64: a frame over it, then raw records past a frame.
    let small = [frame(2, &[1; 100]), frame(1, &[0, 0, 0, 1, 7, 8])].concat();
    seeds.write("open_record", "small-limit", &[&[4][..], &small].concat())?;
    // A frame, then its record replayed (bit 6 of the operation set).
    let replayed = [frame(2 | (7 << 3) | 0x40, b"once"), vec![0]].concat();
    seeds.write("open_record", "replayed", &[&[1][..], &replayed].concat())?;
    Ok(())
}
