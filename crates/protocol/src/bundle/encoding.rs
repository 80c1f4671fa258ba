//! The bundle file format, versions 1 and 2.
//!
//! All integers are big-endian. `LP(x)` is `u32_be(len(x)) || x` (UTF-8 text).
//!
//! | field | encoding |
//! |---|---|
//! | magic | the 16 ASCII bytes `blindlink-bundle` |
//! | version | `u16_be`: 1 = multiplicative blinds (RFC 9497), 2 = additive blinds (`docs/PROTOCOL.md` §2.7); the layout is the same |
//! | requested rules | 1 byte, `RuleSet::bits` (bit 0 = R1 .. bit 3 = R4), non-empty |
//! | key epoch | 16 bytes |
//! | holder OPRF public key | 32 bytes |
//! | manifest | `LP(manifest JSON)`, at most 64 KiB |
//! | record count `r` | `u32_be`, at most 2^24 |
//! | `r` records | 10 × `LP(field)` in `RECORD_COLUMNS` order, where `dob` is a tag byte (0 absent, 1 present) followed by `LP(dob)` when present; then `LP(case_ref)`, `LP(final_order_ref)`, 32-byte salt |
//! | element count `n` | `u32_be`, at most 2^28 |
//! | `n` elements | `u32_be(record index)`, rule code (1 byte: 1 = R1 .. 4 = R4), `u16_be(len) || key bytes` |
//! | `n` blinded elements | 32 bytes each |
//! | `n` blinds | 32 bytes each (canonical non-zero scalars, little-endian), applied as the version says |
//!
//! Nothing may follow. Limits: `record_id` at most 256 bytes, other record fields at
//! most 1024, references at most 256. Every count is checked against the bytes that
//! remain before anything is allocated for it, so a short file cannot make the reader
//! reserve memory, and no input makes it panic.
//!
//! Decoding checks the structure and the encodings only (UTF-8, rule codes, scalars,
//! the manifest JSON); whether the contents agree with each other is
//! [`check`](super::RequestBundle::check)'s job.

use blindlink_core::match_key::{MatchRule, RuleSet};
use blindlink_core::oprf::{Blinding, Blinds};
use blindlink_core::record::Record;
use zeroize::Zeroizing;

use super::record::{MAX_FIELD_BYTES, MAX_RECORD_ID_BYTES};
use super::{BundleContents, BundleError, BundleRecord, ElementOwner, RequestBundle};
use crate::manifest::{
    KeyEpoch, MAX_ELEMENT_COUNT, MAX_MANIFEST_JSON_BYTES, MAX_RECORD_COUNT, MAX_REFERENCE_BYTES,
    Manifest,
};

/// First bytes of every bundle file.
pub const BUNDLE_MAGIC: &[u8; 16] = b"blindlink-bundle";
/// The format version of bundles with additive blinds (what `prepare` writes).
pub const BUNDLE_VERSION: u16 = 2;
/// The format version of bundles with RFC 9497 multiplicative blinds (still read).
pub const BUNDLE_VERSION_MULTIPLICATIVE: u16 = 1;

/// The version that records how `blinding` was applied.
fn version_of(blinding: Blinding) -> u16 {
    match blinding {
        Blinding::Multiplicative => BUNDLE_VERSION_MULTIPLICATIVE,
        Blinding::Additive => BUNDLE_VERSION,
    }
}

/// Smallest encoded record: 9 empty fields, the dob tag, two empty references, and
/// the salt.
const MIN_RECORD_BYTES: usize = 9 * 4 + 1 + 2 * 4 + 32;
/// Smallest encoded element: index, rule code, empty key length, blinded, blind.
const MIN_ELEMENT_BYTES: usize = 4 + 1 + 2 + 32 + 32;

fn put_lp(out: &mut Vec<u8>, bytes: &[u8]) {
    // Every field was length-checked against limits far below u32::MAX.
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

impl RequestBundle {
    /// Encodes the bundle (see the module doc). The bytes hold the blinds and the
    /// records: write them with mode 0600; the buffer zeroizes itself.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let c = &self.contents;
        let manifest = c.manifest.to_json_pretty();
        let mut out = Zeroizing::new(Vec::with_capacity(
            128 + manifest.len() + c.records.len() * 200 + c.keys.len() * 140,
        ));
        out.extend_from_slice(BUNDLE_MAGIC);
        out.extend_from_slice(&version_of(self.blinds.blinding()).to_be_bytes());
        out.push(c.requested_rules.bits());
        out.extend_from_slice(c.key_epoch.as_bytes());
        out.extend_from_slice(&c.holder_public_key);
        put_lp(&mut out, manifest.as_bytes());

        out.extend_from_slice(&(c.records.len() as u32).to_be_bytes());
        for record in &c.records {
            let fields = record.record.to_fields();
            for field in fields.iter().take(9) {
                put_lp(&mut out, field.as_bytes());
            }
            match &record.record.dob {
                None => out.push(0),
                Some(dob) => {
                    out.push(1);
                    put_lp(&mut out, dob.as_bytes());
                }
            }
            put_lp(&mut out, record.case_ref.as_bytes());
            put_lp(&mut out, record.final_order_ref.as_bytes());
            out.extend_from_slice(&record.salt);
        }

        out.extend_from_slice(&(c.keys.len() as u32).to_be_bytes());
        for (owner, key) in c.owners.iter().zip(&c.keys) {
            out.extend_from_slice(&owner.record.to_be_bytes());
            out.push(owner.rule.index() as u8 + 1);
            // Keys are OPRF inputs: at most 65,535 bytes.
            out.extend_from_slice(&(key.len() as u16).to_be_bytes());
            out.extend_from_slice(key);
        }
        for element in &c.blinded {
            out.extend_from_slice(element);
        }
        out.extend_from_slice(&self.blinds.to_bytes());
        out
    }

    /// Decodes a bundle, checking its structure and encodings (see the module doc).
    /// Call [`check`](RequestBundle::check) before trusting it.
    pub fn from_bytes(bytes: &[u8]) -> Result<RequestBundle, BundleError> {
        let mut r = Reader { bytes };
        if r.take(BUNDLE_MAGIC.len(), "magic")? != BUNDLE_MAGIC {
            return Err(BundleError::BadMagic);
        }
        let version = r.u16("version")?;
        let blinding = match version {
            BUNDLE_VERSION_MULTIPLICATIVE => Blinding::Multiplicative,
            BUNDLE_VERSION => Blinding::Additive,
            _ => return Err(BundleError::UnsupportedVersion(version)),
        };
        let bits = r.u8("requested rules")?;
        let requested_rules = RuleSet::from_bits(bits)
            .ok()
            .filter(|rules| !rules.is_empty())
            .ok_or(BundleError::InvalidRule(bits))?;
        let key_epoch = KeyEpoch::from_bytes(r.array("key epoch")?);
        let holder_public_key: [u8; 32] = r.array("holder public key")?;
        let manifest_json = r.lp("manifest", MAX_MANIFEST_JSON_BYTES)?;
        let manifest = Manifest::from_json(manifest_json).map_err(BundleError::InvalidManifest)?;
        // The key the proofs are checked against is the one the approvers signed.
        let fields = manifest.fields();
        if fields.key_epoch != key_epoch {
            return Err(BundleError::EpochMismatch {
                manifest: fields.key_epoch.to_hex(),
                bundle: key_epoch.to_hex(),
            });
        }
        if fields.oprf_public_key.as_bytes() != &holder_public_key {
            return Err(BundleError::OprfKeyMismatch {
                manifest: fields.oprf_public_key.to_hex(),
                bundle: hex::encode(holder_public_key),
            });
        }

        let record_count = r.count("record count", MAX_RECORD_COUNT, MIN_RECORD_BYTES)?;
        let mut records = Vec::with_capacity(record_count);
        for _ in 0..record_count {
            records.push(read_record(&mut r)?);
        }

        let element_count = r.count("element count", MAX_ELEMENT_COUNT, MIN_ELEMENT_BYTES)?;
        let mut owners = Vec::with_capacity(element_count);
        let mut keys = Vec::with_capacity(element_count);
        for _ in 0..element_count {
            let record = r.u32("element record index")?;
            let code = r.u8("element rule")?;
            let rule = usize::from(code)
                .checked_sub(1)
                .and_then(|i| MatchRule::ALL.get(i).copied())
                .ok_or(BundleError::InvalidRule(code))?;
            let len = usize::from(r.u16("element key length")?);
            keys.push(r.take(len, "element key")?.to_vec());
            owners.push(ElementOwner { record, rule });
        }
        let mut blinded = Vec::with_capacity(element_count);
        for _ in 0..element_count {
            blinded.push(r.array("blinded elements")?);
        }
        let blind_bytes = r.take(element_count.saturating_mul(32), "blinds")?;
        let blinds = Blinds::from_bytes_as(blinding, blind_bytes).map_err(|_| {
            BundleError::InvalidBlind {
                element: blind_bytes
                    .chunks_exact(32)
                    .position(|chunk| Blinds::from_bytes(chunk).is_err())
                    .unwrap_or(0),
            }
        })?;
        if !r.bytes.is_empty() {
            return Err(BundleError::TrailingBytes { len: r.bytes.len() });
        }
        Ok(RequestBundle {
            contents: BundleContents {
                manifest,
                requested_rules,
                key_epoch,
                holder_public_key,
                records,
                owners,
                keys,
                blinded,
            },
            blinds,
        })
    }
}

fn read_record(r: &mut Reader<'_>) -> Result<BundleRecord, BundleError> {
    let id = r.text("record_id", MAX_RECORD_ID_BYTES)?;
    let given_names = r.text("given_names", MAX_FIELD_BYTES)?;
    let family_names = r.text("family_names", MAX_FIELD_BYTES)?;
    let suffix = r.text("suffix", MAX_FIELD_BYTES)?;
    let street = r.text("street", MAX_FIELD_BYTES)?;
    let unit = r.text("unit", MAX_FIELD_BYTES)?;
    let city = r.text("city", MAX_FIELD_BYTES)?;
    let state = r.text("state", MAX_FIELD_BYTES)?;
    let zip = r.text("zip", MAX_FIELD_BYTES)?;
    let dob = match r.u8("dob tag")? {
        0 => None,
        1 => Some(r.text("dob", MAX_FIELD_BYTES)?),
        tag => {
            return Err(BundleError::LimitExceeded {
                what: "dob tag",
                value: u64::from(tag),
                max: 1,
            });
        }
    };
    let record = Record {
        id,
        given_names,
        family_names,
        suffix,
        street,
        unit,
        city,
        state,
        zip,
        dob,
    };
    let case_ref = r.text("case_ref", MAX_REFERENCE_BYTES)?;
    let final_order_ref = r.text("final_order_ref", MAX_REFERENCE_BYTES)?;
    let salt = r.array("reference salt")?;
    Ok(BundleRecord {
        record,
        case_ref,
        final_order_ref,
        salt,
    })
}

/// A cursor over the remaining bytes; every read is bounds-checked.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize, what: &'static str) -> Result<&'a [u8], BundleError> {
        if len > self.bytes.len() {
            return Err(BundleError::Truncated { what });
        }
        let (head, tail) = self.bytes.split_at(len);
        self.bytes = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], BundleError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }

    fn u8(&mut self, what: &'static str) -> Result<u8, BundleError> {
        Ok(u8::from_be_bytes(self.array(what)?))
    }

    fn u16(&mut self, what: &'static str) -> Result<u16, BundleError> {
        Ok(u16::from_be_bytes(self.array(what)?))
    }

    fn u32(&mut self, what: &'static str) -> Result<u32, BundleError> {
        Ok(u32::from_be_bytes(self.array(what)?))
    }

    /// A length-prefixed byte string of at most `max` bytes.
    fn lp(&mut self, what: &'static str, max: usize) -> Result<&'a [u8], BundleError> {
        let len = self.u32(what)?;
        if len as usize > max {
            return Err(BundleError::LimitExceeded {
                what,
                value: u64::from(len),
                max: max as u64,
            });
        }
        self.take(len as usize, what)
    }

    /// A length-prefixed UTF-8 string of at most `max` bytes.
    fn text(&mut self, what: &'static str, max: usize) -> Result<String, BundleError> {
        let bytes = self.lp(what, max)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| BundleError::InvalidUtf8 { what })
    }

    /// A count of items of at least `min_item_bytes` each, checked against `max` and
    /// against the bytes that remain.
    fn count(
        &mut self,
        what: &'static str,
        max: u64,
        min_item_bytes: usize,
    ) -> Result<usize, BundleError> {
        let count = self.u32(what)?;
        if u64::from(count) > max {
            return Err(BundleError::LimitExceeded {
                what,
                value: u64::from(count),
                max,
            });
        }
        let count = count as usize;
        if count.saturating_mul(min_item_bytes) > self.bytes.len() {
            return Err(BundleError::Truncated { what });
        }
        Ok(count)
    }
}
