//! Size limits enforced on every message, and the hard caps built into the decoder.
//!
//! Two layers of limits apply to every decoded message:
//!
//! 1. **Hard caps** (the `HARD_*` constants) are compiled into the deserializer: a length
//!    field above its hard cap is rejected as soon as it is read, before anything is
//!    allocated for it. They bound the memory any decode can take, whatever the
//!    configuration.
//! 2. **[`Limits`]** are the configured policy (defaults below), checked right after
//!    decoding and before a message is encoded. A configured limit above its hard cap has
//!    no effect beyond the hard cap.

/// Hard cap on the elements of one [`ElementsChunk`](super::ElementsChunk) or
/// [`Evaluated`](super::Evaluated) chunk (2 MiB of 32-byte elements).
pub const HARD_MAX_CHUNK_ELEMENTS: usize = 65_536;
/// Hard cap on the manifest carried in a [`Request`](super::Request) (1 MiB).
pub const HARD_MAX_MANIFEST_BYTES: usize = 1 << 20;
/// Hard cap on the number of approvals carried in a [`Request`](super::Request).
pub const HARD_MAX_APPROVALS: usize = 256;
/// Hard cap on one encoded approval (64 KiB).
pub const HARD_MAX_APPROVAL_BYTES: usize = 64 << 10;
/// Hard cap on the bytes of one [`SetChunk`](super::SetChunk) (4 MiB).
pub const HARD_MAX_SET_CHUNK_BYTES: usize = 4 << 20;
/// Hard cap on any text field (suite name, requester id, refusal code and message).
pub const HARD_MAX_TEXT_BYTES: usize = 4 << 10;
/// Hard cap on the audit entry a [`DecisionReceipt`](super::message::DecisionReceipt)
/// carries (a `decision-accepted` line with 256 approvals stays well under it).
pub const HARD_MAX_RECEIPT_ENTRY_BYTES: usize = 128 << 10;
/// Hard cap on the hashes of a receipt's inclusion or consistency proof: a tree of up to
/// 2^64 leaves needs at most 64 and 128 (RFC 9162 §2.1.3, §2.1.4).
pub const HARD_MAX_PROOF_HASHES: usize = 128;
/// The most elements one VOPRF batch proof may cover (RFC 9497 batches are unbounded; the
/// protocol caps them so the requester's verification work per proof is bounded).
pub const MAX_PROOF_SPAN: u32 = 65_535;

/// Configured limits checked on every message encoded or decoded.
///
/// Both sides use the same structure; the holder echoes the ones the requester must
/// respect in its [`Welcome`](super::Welcome).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest encoded message, i.e. largest application frame payload (default 4 MiB).
    /// The frame decoder and the channel reject a longer length prefix before buffering.
    pub max_message_bytes: u32,
    /// Most elements in one elements or evaluated chunk (default 4,096).
    pub max_chunk_elements: u32,
    /// Most elements in one request (default 1,000,000).
    pub max_total_elements: u64,
    /// Largest manifest in a request (default 64 KiB).
    pub max_manifest_bytes: u32,
    /// Most approvals attached to a request (default 16).
    pub max_approvals: u16,
    /// Largest single approval (default 8 KiB).
    pub max_approval_bytes: u32,
    /// Largest encoded set announced in a set header (default 2 GiB).
    pub max_set_bytes: u64,
    /// Largest set chunk (default 1 MiB).
    pub max_set_chunk_bytes: u32,
    /// Largest text field (default 1 KiB).
    pub max_text_bytes: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_message_bytes: 4 << 20,
            max_chunk_elements: 4_096,
            max_total_elements: 1_000_000,
            max_manifest_bytes: 64 << 10,
            max_approvals: 16,
            max_approval_bytes: 8 << 10,
            max_set_bytes: 2 << 30,
            max_set_chunk_bytes: 1 << 20,
            max_text_bytes: 1 << 10,
        }
    }
}

impl Limits {
    /// Most elements per chunk, after the hard cap.
    pub fn chunk_elements(&self) -> usize {
        usize_of(self.max_chunk_elements).min(HARD_MAX_CHUNK_ELEMENTS)
    }

    /// Largest manifest, after the hard cap.
    pub fn manifest_bytes(&self) -> usize {
        usize_of(self.max_manifest_bytes).min(HARD_MAX_MANIFEST_BYTES)
    }

    /// Most approvals, after the hard cap.
    pub fn approvals(&self) -> usize {
        usize::from(self.max_approvals).min(HARD_MAX_APPROVALS)
    }

    /// Largest approval, after the hard cap.
    pub fn approval_bytes(&self) -> usize {
        usize_of(self.max_approval_bytes).min(HARD_MAX_APPROVAL_BYTES)
    }

    /// Largest set chunk, after the hard cap.
    pub fn set_chunk_bytes(&self) -> usize {
        usize_of(self.max_set_chunk_bytes).min(HARD_MAX_SET_CHUNK_BYTES)
    }

    /// Largest text field, after the hard cap.
    pub fn text_bytes(&self) -> usize {
        usize_of(self.max_text_bytes).min(HARD_MAX_TEXT_BYTES)
    }

    /// Largest encoded message in bytes.
    pub fn message_bytes(&self) -> usize {
        usize_of(self.max_message_bytes)
    }
}

/// `u32` to `usize` without a cast that could truncate (saturates on 16-bit targets).
fn usize_of(value: u32) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_caps_clamp_configured_limits() {
        let limits = Limits {
            max_chunk_elements: u32::MAX,
            max_manifest_bytes: u32::MAX,
            max_approvals: u16::MAX,
            max_approval_bytes: u32::MAX,
            max_set_chunk_bytes: u32::MAX,
            max_text_bytes: u32::MAX,
            ..Limits::default()
        };
        assert_eq!(limits.chunk_elements(), HARD_MAX_CHUNK_ELEMENTS);
        assert_eq!(limits.manifest_bytes(), HARD_MAX_MANIFEST_BYTES);
        assert_eq!(limits.approvals(), HARD_MAX_APPROVALS);
        assert_eq!(limits.approval_bytes(), HARD_MAX_APPROVAL_BYTES);
        assert_eq!(limits.set_chunk_bytes(), HARD_MAX_SET_CHUNK_BYTES);
        assert_eq!(limits.text_bytes(), HARD_MAX_TEXT_BYTES);
    }

    #[test]
    fn defaults_fit_under_hard_caps() {
        let limits = Limits::default();
        assert_eq!(limits.chunk_elements(), 4_096);
        assert_eq!(limits.manifest_bytes(), 64 << 10);
        assert_eq!(limits.approvals(), 16);
        assert_eq!(limits.set_chunk_bytes(), 1 << 20);
        // The largest default chunk of either kind must fit in one message.
        assert!(limits.chunk_elements() * 32 + 16 < limits.message_bytes());
        assert!(limits.set_chunk_bytes() + 16 < limits.message_bytes());
    }
}
