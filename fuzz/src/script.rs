//! Turns fuzz input into the sequence of messages a peer sends, as the session would
//! receive them: every message has passed the wire codec (`Message::decode` with the
//! default limits), exactly as `Channel::recv` delivers it.
//!
//! The input is a list of operations over `honest`, the messages an honest peer would
//! send in order. Each operation starts with one byte; its top two bits pick the kind and
//! the low six bits are its argument `a`:
//!
//! | bits 7-6 | operation | bytes after it |
//! |---|---|---|
//! | `00` | the next honest message (a cursor walks `honest`) | none |
//! | `01` | honest message `a % n` (repeat, skip ahead, reorder) | none |
//! | `10` | honest message `a % n`, encoded, with byte `p % len` xor `x` (`x = 0` reads as 1) | `p`, `x` |
//! | `11` | any bytes, decoded as a message | `len`, then `len` bytes |
//!
//! So all-zero input is the honest session, and mutations of it stay close to one. Byte
//! strings that do not decode are dropped: the channel would end the session on them
//! before the state machine saw anything.

use blindlink_protocol::wire::{Limits, Message};

/// The messages `data` describes (see the module documentation).
pub fn messages(data: &[u8], honest: &[Message]) -> Vec<Message> {
    let limits = Limits::default();
    let mut out = Vec::new();
    let mut cursor = 0usize;
    let mut bytes = data.iter().copied();
    while let Some(op) = bytes.next() {
        let arg = usize::from(op & 0x3f);
        let pick = |i: usize| honest.get(i % honest.len().max(1)).cloned();
        let message = match op >> 6 {
            0 => {
                cursor += 1;
                honest.get(cursor - 1).cloned()
            }
            1 => pick(arg),
            2 => {
                let (p, x) = (bytes.next().unwrap_or(0), bytes.next().unwrap_or(1));
                pick(arg).and_then(|m| mutate(&m, p, x, &limits))
            }
            _ => {
                let len = usize::from(bytes.next().unwrap_or(0));
                let raw: Vec<u8> = bytes.by_ref().take(len).collect();
                Message::decode(&raw, &limits).ok()
            }
        };
        out.extend(message);
    }
    out
}

/// `message` encoded, one byte changed, decoded again (if it still decodes).
fn mutate(message: &Message, position: u8, xor: u8, limits: &Limits) -> Option<Message> {
    let mut encoded = message.encode(limits).ok()?;
    let len = encoded.len();
    // Spread the position over long encodings (a Request is a few kilobytes).
    let index = (usize::from(position) * len.div_ceil(256) + usize::from(position)) % len.max(1);
    let byte = encoded.get_mut(index)?;
    *byte ^= xor.max(1);
    Message::decode(&encoded, limits).ok()
}

/// The encoding of `ops` as fuzz input that replays the honest messages at `indices`
/// (for seeds): each index becomes a `01` operation (so `indices` must be below 64).
pub fn replay(indices: &[u8]) -> Vec<u8> {
    indices.iter().map(|i| 0x40 | (i & 0x3f)).collect()
}
