//! End to end, real `irs serve` on loopback, attacked by a hand-built client
//! (`blindlink_testkit::hostile`: the real Noise handshake with an allowed requester key,
//! then arbitrary records, frames and messages; `forge`: manifests and approvals built
//! and signed by hand). One server per group; the cases of a group run one after the
//! other against it. After **every** case the test checks:
//!
//! 1. the client got a `Refusal` with the expected code or an `Abort` with the expected
//!    reason, or, where nothing can be said on the channel (no authenticated channel, or
//!    the channel itself broken), the connection was closed promptly;
//! 2. the holder's audit log gained exactly one entry ending the case, naming the
//!    reason: `decision-refused` with the refusal code, or `session-error` with
//!    `details.reason` (written and fsynced before the connection closes);
//! 3. `irs serve` is alive and its standard error has no `panicked`;
//! 4. its peak resident memory (`VmHWM`) stayed under 256 MiB, so no announced length
//!    (4 GiB frame, 20,001 elements) was allocated;
//! 5. an honest request right after is answered with the same results `ice` got
//!    (in-process requester session, `blindlink_testkit::honest`); each group ends with a
//!    real `ice query` and `audit verify`.
//!
//! | # | case | expected | audit reason |
//! |---|---|---|---|
//! | 1 | garbage-instead-of-handshake | closed | handshake-failed |
//! | 2 | empty-handshake-record | closed | handshake-failed |
//! | 3 | half-handshake-then-hang-up | closed | peer-closed |
//! | 4 | requester-key-not-allowed | closed after handshake | unknown-peer |
//! | 5 | slowloris-silent (connect, send nothing) | closed at `--io-timeout` | timeout |
//! | 6 | slowloris-trickle (one byte / 0.5 s) | closed at `--session-timeout` | session-deadline |
//! | 7 | stop-mid-chunk | closed | timeout |
//! | 8 | stop-mid-record | closed | timeout |
//! | 9 | frame-length-4gib | closed | frame-too-large |
//! | 10 | frame-just-over-limit (4 MiB + 1) | closed | frame-too-large |
//! | 11 | frame-length-zero | Abort Malformed | malformed-message |
//! | 12 | truncated-frame-then-hang-up | closed | peer-closed |
//! | 13 | record-without-plaintext | closed | record-violation |
//! | 14 | two-frames-in-one-record | closed | record-violation |
//! | 15 | tampered-record | closed | decrypt-failed |
//! | 16 | records-out-of-order | closed | decrypt-failed |
//! | 17 | request-before-hello | Abort UnexpectedMessage | unexpected-message |
//! | 18 | elements-before-request | Abort UnexpectedMessage | unexpected-message |
//! | 19 | elements-done-before-request | Abort UnexpectedMessage | unexpected-message |
//! | 20 | holder-message-from-requester (Welcome) | Abort UnexpectedMessage | unexpected-message |
//! | 21 | second-request-in-one-session | Abort UnexpectedMessage | unexpected-message |
//! | 22 | chunk-index-out-of-order | Abort Malformed | chunk-out-of-order |
//! | 23 | requester-aborts | Abort Malformed | peer-aborted |
//! | 24 | second-request-after-the-answer | Abort UnexpectedMessage | unexpected-message |
//! | 25 | requester-aborts-after-the-answer | Abort Malformed | peer-aborted |
//! | 26 | wrong-protocol-version | Abort UnsupportedVersion | unsupported-protocol |
//! | 27 | wrong-oprf-suite | Abort UnsupportedVersion | unsupported-protocol |
//! | 28 | hello-names-another-requester | Abort Malformed | requester-id-mismatch |
//! | 29 | unknown-message-type | Abort Malformed | malformed-message |
//! | 30 | trailing-bytes-after-message | Abort Malformed | trailing-bytes |
//! | 31 | overlong-varint | Abort Malformed | non-canonical-message |
//! | 32 | non-utf8-string | Abort Malformed | malformed-message |
//! | 33 | empty-elements-chunk | Abort Malformed | empty-field |
//! | 34 | request-for-zero-elements | Abort Malformed | invalid-field |
//! | 35 | manifest-over-64kib | Abort Malformed | over-wire-limit |
//! | 36 | seventeen-approvals | Abort Malformed | over-wire-limit |
//! | 37 | chunk-over-4096-elements | Abort Malformed | over-wire-limit |
//! | 38 | requester-id-over-1kib | Abort Malformed | over-wire-limit |
//! | 39 | manifest-not-json | Abort Malformed | malformed-manifest |
//! | 40 | legal-basis-over-4kib | Abort Malformed | malformed-manifest |
//! | 41 | manifest-with-unknown-field | Abort Malformed | malformed-manifest |
//! | 42 | approval-not-an-approval | Abort Malformed | malformed-approval |
//! | 43 | request-count-disagrees-with-manifest | Refusal | element-count-mismatch |
//! | 44 | more-elements-than-manifest | Refusal | element-count-mismatch |
//! | 45 | fewer-elements-than-manifest | Refusal | element-count-mismatch |
//! | 46 | elements-reordered-after-approval | Refusal | digest-mismatch |
//! | 47 | identity-element-all-zero | Refusal | invalid-element |
//! | 48 | non-canonical-element (s = p) | Refusal | invalid-element |
//! | 49 | negative-field-element | Refusal | invalid-element |
//! | 50 | element-with-high-bit-set | Refusal | invalid-element |
//! | 51 | element-not-on-the-curve | Refusal | invalid-element |
//! | 52 | duplicate-request-id | Refusal | replayed |
//! | 53 | approval-over-another-manifest | Refusal | bad-signature |
//! | 54 | valid-signature-key-bound-to-another-role | Refusal | unknown-approver |
//! | 55 | approval-relabelled-to-another-role | Refusal | approval-for-other-role |
//! | 56 | approver-not-registered | Refusal | unknown-approver |
//! | 57 | no-approval | Refusal | missing-any-of-roles |
//! | 58 | only-a-role-not-required | Refusal | missing-any-of-roles |
//! | 59 | expired-manifest | Refusal | expired |
//! | 60 | future-dated-manifest | Refusal | not-yet-valid |
//! | 61 | validity-over-policy | Refusal | validity-too-long |
//! | 62 | issued-too-long-ago | Refusal | too-old |
//! | 63 | wrong-key-epoch | Refusal | wrong-epoch |
//! | 64 | disallowed-rule (R3) | Refusal | disallowed-rule |
//! | 65 | manifest-names-another-requester | Refusal | wrong-requester |
//! | 66 | over-record-limit | Refusal | over-record-limit |
//! | 67 | over-element-limit | Refusal | over-element-limit |
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod adversarial;
mod common;

use adversarial::{Arena, messages, requests, transport};
use common::World;

#[test]
fn transport_violations_are_cut_off_audited_and_survived() {
    let w = World::new();
    let extra = ["--io-timeout", "2s", "--session-timeout", "6s"];
    let mut a = Arena::new(w, None, &extra);
    transport::before_the_handshake(&mut a);
    transport::slow_clients(&mut a);
    transport::broken_framing(&mut a);
    a.finish(16);
}

#[test]
fn protocol_violations_are_aborted_with_their_reason() {
    let w = World::new();
    let mut a = Arena::new(w, None, &[]);
    messages::out_of_order(&mut a);
    messages::bad_hello(&mut a);
    messages::bad_encodings(&mut a);
    messages::oversized_and_malformed(&mut a);
    a.finish(26);
}

#[test]
fn requests_the_policy_forbids_are_refused_with_their_reason() {
    let w = World::new();
    let director = w.approver("ice-director", "director");
    let outsider = w.approver("dhs-secretary", "outsider");
    let policy = w.policy().approver(&director);
    let mut a = Arena::new(w, Some(policy), &[]);
    requests::bad_elements(&mut a);
    requests::bad_approvals(&mut a, &director, &outsider);
    requests::bad_manifests(&mut a);
    a.finish(25);
}
