//! A requester that speaks the protocol itself instead of through `ice`, to show what
//! the holder does with requests `ice` would never send: an approval for another
//! manifest, a manifest for an old key epoch, blinded elements changed after approval,
//! a session abandoned half way. It authenticates with a real requester's Noise key
//! (read from its `ice` state directory), so the holder's checks past the handshake are
//! what is exercised.
//!
//! [`swap_blinded_elements`] alters a bundle file after approval, the way a tampered
//! bundle would look to `ice` and `approve`.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use blindlink_protocol::bundle::{BundleError, RequestBundle};
use blindlink_protocol::identity::IdentityPublicKey;
use blindlink_protocol::wire::{
    Channel, ChannelError, ElementsChunk, Hello, Limits, Message, NoiseStaticKey, PROTOCOL_VERSION,
    Request, SUITE,
};
use thiserror::Error;

/// Why the rogue requester could not do what it was asked.
#[derive(Debug, Error)]
pub enum RogueError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A key or `holder.json` is malformed.
    #[error("{}: {message}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The bundle file does not decode.
    #[error("bundle: {0}")]
    Bundle(#[from] BundleError),
    /// Connecting or the secure channel failed.
    #[error("channel: {0}")]
    Channel(#[from] ChannelError),
    /// The holder sent something out of order.
    #[error("unexpected {0} from the holder")]
    Unexpected(&'static str),
}

/// What the holder did with a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HolderAnswer {
    /// Refused, with its stable code and message.
    Refused {
        /// e.g. `bad-signature`.
        code: String,
        /// The holder's reason.
        message: String,
    },
    /// Accepted: it started sending evaluated elements (the rogue hangs up there).
    Evaluating,
    /// It aborted the session, with this detail.
    Aborted(String),
}

fn read(path: &Path) -> Result<Vec<u8>, RogueError> {
    std::fs::read(path).map_err(|source| RogueError::File {
        path: path.to_path_buf(),
        source,
    })
}

fn malformed(path: &Path, message: impl Into<String>) -> RogueError {
    RogueError::Malformed {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn hex32(path: &Path, text: &str) -> Result<[u8; 32], RogueError> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text.trim(), &mut out)
        .map_err(|_| malformed(path, "expected 64 hex digits"))?;
    Ok(out)
}

/// The holder's Noise public key, from its `holder.json`.
pub fn holder_noise_key(holder_json: &Path) -> Result<[u8; 32], RogueError> {
    let value: serde_json::Value = serde_json::from_slice(&read(holder_json)?)
        .map_err(|e| malformed(holder_json, e.to_string()))?;
    let key = value
        .get("epoch")
        .and_then(|e| e.get("noise_public_key"))
        .and_then(|k| k.as_str())
        .ok_or_else(|| malformed(holder_json, "no noise_public_key"))?;
    hex32(holder_json, key)
}

/// The holder's identity public key, as its `holder.json` names it (the honest
/// requester checks receipts against it; `ice` pins its own copy instead).
pub fn holder_identity_key(holder_json: &Path) -> Result<IdentityPublicKey, RogueError> {
    let value: serde_json::Value = serde_json::from_slice(&read(holder_json)?)
        .map_err(|e| malformed(holder_json, e.to_string()))?;
    let key = value
        .get("identity_public_key")
        .and_then(|k| k.as_str())
        .ok_or_else(|| malformed(holder_json, "no identity_public_key"))?;
    IdentityPublicKey::from_hex(key).map_err(|e| malformed(holder_json, e.to_string()))
}

/// The requester's Noise static key, from `ice_dir/noise.key`.
pub fn requester_noise_key(ice_dir: &Path) -> Result<NoiseStaticKey, RogueError> {
    let path = ice_dir.join("noise.key");
    blindlink_store::key_file::read::<blindlink_store::key_file::NoiseSecret>(&path)
        .map_err(|e| malformed(&path, e.to_string()))
}

/// Reads a bundle file (structure only, as `ice query` does).
pub fn read_bundle(path: &Path) -> Result<RequestBundle, RogueError> {
    Ok(RequestBundle::from_bytes(&read(path)?)?)
}

/// Swaps the first two blinded elements of the bundle at `path` in place: every element
/// stays a valid group element and the manifest (and so any approval) is unchanged, but
/// the elements no longer hash to the approved digest.
pub fn swap_blinded_elements(path: &Path) -> Result<(), RogueError> {
    let mut bytes = read(path)?;
    let n = RequestBundle::from_bytes(&bytes)?.element_count();
    if n < 2 {
        return Err(malformed(path, "fewer than two blinded elements"));
    }
    // Layout (bundle::encoding): ... n blinded elements, then n blinds, 32 bytes each.
    let start = bytes
        .len()
        .checked_sub(64 * n)
        .ok_or_else(|| malformed(path, "shorter than its elements"))?;
    let (first, rest) = bytes
        .get_mut(start..start + 64)
        .ok_or_else(|| malformed(path, "shorter than its elements"))?
        .split_at_mut(32);
    first.swap_with_slice(rest);
    std::fs::write(path, &bytes).map_err(|source| RogueError::File {
        path: path.to_path_buf(),
        source,
    })
}

/// A requester speaking the protocol directly with a real requester's Noise key.
#[derive(Debug)]
pub struct RogueRequester {
    key: NoiseStaticKey,
    requester_id: String,
    timeout: Duration,
}

impl RogueRequester {
    /// Uses the Noise key in `ice_dir/noise.key` and presents itself as `requester_id`.
    pub fn from_ice_dir(ice_dir: &Path, requester_id: &str) -> Result<RogueRequester, RogueError> {
        Ok(RogueRequester {
            key: requester_noise_key(ice_dir)?,
            requester_id: requester_id.to_owned(),
            timeout: Duration::from_secs(30),
        })
    }

    /// Connects to `addr` and runs the Noise handshake, pinning `holder_key`.
    pub fn connect(
        &self,
        addr: &str,
        holder_key: &[u8; 32],
    ) -> Result<Channel<TcpStream>, RogueError> {
        let stream = TcpStream::connect(addr).map_err(ChannelError::Io)?;
        stream
            .set_read_timeout(Some(self.timeout))
            .and_then(|()| stream.set_write_timeout(Some(self.timeout)))
            .map_err(ChannelError::Io)?;
        Ok(Channel::connect(stream, &self.key, holder_key)?)
    }

    /// Hello, then the request for `bundle`'s manifest with `approvals` (JSON files'
    /// bytes, sent as they are), then its blinded elements. When `abandon` is set, hangs
    /// up after the first chunk instead and returns `None`.
    fn send_request(
        &self,
        channel: &mut Channel<TcpStream>,
        bundle: &RequestBundle,
        approvals: Vec<Vec<u8>>,
        abandon: bool,
    ) -> Result<Option<HolderAnswer>, RogueError> {
        channel.send(&Message::Hello(Hello {
            version: PROTOCOL_VERSION,
            suite: SUITE.to_owned(),
            requester_id: self.requester_id.clone(),
            cached_set: None,
            holder_log_size: 0,
        }))?;
        let chunk = match channel.recv()? {
            Message::Welcome(w) => usize::try_from(w.max_chunk_elements)
                .unwrap_or(1)
                .clamp(1, Limits::default().chunk_elements()),
            other => return Ok(Some(answer(other)?)),
        };
        let elements = bundle.blinded_elements();
        channel.send(&Message::Request(Request {
            manifest: bundle.manifest().to_json_pretty().into_bytes(),
            approvals,
            element_count: elements.len() as u64,
        }))?;
        for (index, part) in elements.chunks(chunk).enumerate() {
            channel.send(&Message::ElementsChunk(ElementsChunk {
                index: u32::try_from(index).unwrap_or(u32::MAX),
                elements: part.to_vec(),
            }))?;
            if abandon {
                return Ok(None);
            }
        }
        channel.send(&Message::ElementsDone)?;
        // The holder's receipt of its decision comes first; the answer is what follows.
        let message = match channel.recv()? {
            Message::Receipt(_) => channel.recv()?,
            other => other,
        };
        Ok(Some(answer(message)?))
    }

    /// Sends `bundle` with the approval files `approvals`, skipping every check `ice`
    /// makes, and returns what the holder did. Hangs up once it is answered.
    pub fn submit(
        &self,
        addr: &str,
        holder_json: &Path,
        bundle: &Path,
        approvals: &[&Path],
    ) -> Result<HolderAnswer, RogueError> {
        let bundle = read_bundle(bundle)?;
        let approvals = approvals
            .iter()
            .map(|p| read(p))
            .collect::<Result<_, _>>()?;
        let mut channel = self.connect(addr, &holder_noise_key(holder_json)?)?;
        self.send_request(&mut channel, &bundle, approvals, false)?
            .ok_or(RogueError::Unexpected("end of session"))
    }

    /// Starts sending `bundle` with `approvals` and hangs up after the first chunk of
    /// blinded elements, mid-request.
    pub fn abandon_mid_request(
        &self,
        addr: &str,
        holder_json: &Path,
        bundle: &Path,
        approvals: &[&Path],
    ) -> Result<(), RogueError> {
        let bundle = read_bundle(bundle)?;
        let approvals = approvals
            .iter()
            .map(|p| read(p))
            .collect::<Result<_, _>>()?;
        let mut channel = self.connect(addr, &holder_noise_key(holder_json)?)?;
        match self.send_request(&mut channel, &bundle, approvals, true)? {
            None => Ok(()),
            Some(_) => Err(RogueError::Unexpected("answer before the elements")),
        }
    }
}

fn answer(msg: Message) -> Result<HolderAnswer, RogueError> {
    match msg {
        Message::Refusal(r) => Ok(HolderAnswer::Refused {
            code: r.code,
            message: r.message,
        }),
        Message::Evaluated(_) | Message::Proof(_) => Ok(HolderAnswer::Evaluating),
        Message::Abort(a) => Ok(HolderAnswer::Aborted(a.detail)),
        other => Err(RogueError::Unexpected(other.name())),
    }
}
