#![allow(clippy::unwrap_used, clippy::panic)]

use super::*;

const REQUESTER: &str = "ice-test";

fn line(seq: u64, kind: &str, request: &RequestId, manifest: &[u8; 32]) -> Vec<u8> {
    let reason = if kind == "decision-refused" {
        ",\"reason\":\"expired\""
    } else {
        ""
    };
    format!(
        "{{\"seq\":{seq},\"time\":1,\"kind\":\"{kind}\"{reason},\"details\":{{\"requester\":\"{REQUESTER}\",\
         \"request_id\":\"{}\",\"manifest_sha256\":\"{}\"}},\"prev\":\"00\"}}",
        request.to_hex(),
        hex::encode(manifest)
    )
    .into_bytes()
}

struct Log {
    key: IdentityKey,
    tree: LogTree,
    lines: Vec<Vec<u8>>,
}

impl Log {
    fn new() -> Log {
        Log {
            key: IdentityKey::generate(&mut rand::rng()),
            tree: LogTree::new(),
            lines: Vec::new(),
        }
    }

    fn append(&mut self, kind: &str, request: &RequestId) -> u64 {
        let seq = self.lines.len() as u64 + 1;
        let entry = line(seq, kind, request, &[3; 32]);
        self.tree.push(entry_leaf(&entry));
        self.lines.push(entry);
        seq
    }

    fn receipt(&self, seq: u64, since: u64) -> DecisionReceipt {
        let entry = &self.lines[seq as usize - 1];
        make_receipt(&self.key, &self.tree, seq, entry, since, 1_800_000_000).unwrap()
    }

    fn expect(&self, request: RequestId, last_seen: Option<TreeHead>) -> ReceiptExpectation {
        ReceiptExpectation {
            holder: self.key.public_key(),
            requester_id: REQUESTER.into(),
            request_id: request,
            manifest_sha256: [3; 32],
            last_seen,
        }
    }
}

fn id(n: u8) -> RequestId {
    RequestId::from_bytes([n; 16])
}

#[test]
fn an_honest_receipt_verifies_and_names_the_decision() {
    let mut log = Log::new();
    log.append("request-received", &id(1));
    let seq = log.append("decision-accepted", &id(1));
    let first = verify_receipt(&log.receipt(seq, 0), &log.expect(id(1), None)).unwrap();
    assert_eq!((first.seq, &first.decision), (2, &DecisionSeen::Accepted));

    log.append("evaluated", &id(1));
    let seq = log.append("decision-refused", &id(2));
    let seen = first.checkpoint.checkpoint.head;
    let second = log.receipt(seq, seen.size);
    let verified = verify_receipt(&second, &log.expect(id(2), Some(seen))).unwrap();
    assert_eq!(verified.decision, DecisionSeen::Refused("expired".into()));
    assert_eq!(verified.checkpoint.checkpoint.head, log.tree.head());
}

#[test]
fn a_receipt_from_another_key_or_for_another_entry_is_refused() {
    let mut log = Log::new();
    let seq = log.append("decision-accepted", &id(1));
    let other = log.append("decision-accepted", &id(2));
    let receipt = log.receipt(seq, 0);

    let mut stranger = log.expect(id(1), None);
    stranger.holder = IdentityKey::generate(&mut rand::rng()).public_key();
    assert!(matches!(
        verify_receipt(&receipt, &stranger),
        Err(ReceiptError::Checkpoint(_))
    ));
    // A genuine receipt, for another request's entry.
    assert!(matches!(
        verify_receipt(&log.receipt(other, 0), &log.expect(id(1), None)),
        Err(ReceiptError::WrongEntry(_))
    ));
    // The right entry's text with another entry's proof.
    let mut swapped = receipt.clone();
    swapped.leaf_index = 1;
    assert!(verify_receipt(&swapped, &log.expect(id(1), None)).is_err());
    // An entry edited after signing.
    let mut edited = receipt.clone();
    edited.entry = line(1, "decision-accepted", &id(1), &[4; 32]);
    assert!(matches!(
        verify_receipt(&edited, &log.expect(id(1), None)),
        Err(ReceiptError::Inclusion(_))
    ));
    // A non-decision entry of the right request.
    let mut log = Log::new();
    let seq = log.append("request-received", &id(1));
    assert!(matches!(
        verify_receipt(&log.receipt(seq, 0), &log.expect(id(1), None)),
        Err(ReceiptError::WrongEntry(_))
    ));
}

#[test]
fn a_cut_or_rewritten_log_is_caught_by_the_next_receipt() {
    let mut log = Log::new();
    log.append("decision-accepted", &id(1));
    let seq = log.append("decision-accepted", &id(2));
    let seen = verify_receipt(&log.receipt(seq, 0), &log.expect(id(2), None))
        .unwrap()
        .checkpoint
        .checkpoint
        .head;

    // Cut: the holder starts a fresh log with the same key.
    let mut cut = Log {
        key: IdentityKey::from_secret_bytes(&log.key.to_secret_bytes()),
        tree: LogTree::new(),
        lines: Vec::new(),
    };
    let seq = cut.append("decision-accepted", &id(3));
    let err = verify_receipt(&cut.receipt(seq, seen.size), &cut.expect(id(3), Some(seen)));
    assert!(matches!(
        err,
        Err(ReceiptError::Consistency(ProofError::Shrunk { .. }))
    ));

    // Rewritten: entry 1 replaced, then the log grows on.
    let mut rewritten = Log {
        key: IdentityKey::from_secret_bytes(&log.key.to_secret_bytes()),
        tree: LogTree::new(),
        lines: Vec::new(),
    };
    rewritten.append("decision-refused", &id(1));
    rewritten.append("decision-accepted", &id(2));
    let seq = rewritten.append("decision-accepted", &id(3));
    let err = verify_receipt(
        &rewritten.receipt(seq, seen.size),
        &rewritten.expect(id(3), Some(seen)),
    );
    assert!(matches!(
        err,
        Err(ReceiptError::Consistency(ProofError::Inconsistent { .. }))
    ));

    // A holder that ignores the size the requester named.
    let seq = log.append("decision-accepted", &id(3));
    let err = verify_receipt(&log.receipt(seq, 0), &log.expect(id(3), Some(seen)));
    assert!(matches!(err, Err(ReceiptError::Consistency(_))));
    verify_receipt(&log.receipt(seq, seen.size), &log.expect(id(3), Some(seen))).unwrap();
}
