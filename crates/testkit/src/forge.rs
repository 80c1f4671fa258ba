//! Requests built by hand for adversarial tests: a real bundle's manifest and blinded
//! elements, edited at will (any manifest field, the elements themselves), then signed
//! by an approver's real key, so that the holder's checks past the signatures are what a
//! test exercises. Nothing here checks what it builds beyond what
//! [`Manifest::new`] insists on.

use std::path::{Path, PathBuf};

use blindlink_protocol::approval::{ApproverSigningKey, Role};
use blindlink_protocol::bundle::BundleContents;
use blindlink_protocol::manifest::{
    BlindedDigest, Manifest, ManifestError, ManifestFields, RequestId,
};
use blindlink_protocol::wire::{Element, ElementsChunk, Message, Request};
use thiserror::Error;

use super::requester::Approver;

/// Why a request could not be forged.
#[derive(Debug, Error)]
pub enum ForgeError {
    /// A key file could not be read.
    #[error("{}: {message}", path.display())]
    Key {
        /// The key file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The edited fields do not make a manifest.
    #[error("manifest: {0}")]
    Manifest(#[from] ManifestError),
}

/// An approver's signing key and the role it signs under, loaded from `approve`'s files.
#[derive(Debug)]
pub struct Signer {
    key: ApproverSigningKey,
    role: Role,
}

impl Signer {
    /// The key of `approver`, signing under its own role.
    pub fn of(approver: &Approver) -> Result<Signer, ForgeError> {
        Signer::from_key_file(approver.key_file(), approver.role())
    }

    /// The secret key in `path` (`approve keygen`'s `.key` file), signing as `role`.
    pub fn from_key_file(path: &Path, role: &str) -> Result<Signer, ForgeError> {
        let error = |message: String| ForgeError::Key {
            path: path.to_path_buf(),
            message,
        };
        let key =
            blindlink_store::key_file::read::<blindlink_store::key_file::ApproverSecret>(path)
                .map_err(|e| error(e.to_string()))?;
        let role = Role::new(role).map_err(|e| error(e.to_string()))?;
        Ok(Signer { key, role })
    }

    /// The same key signing under another role.
    pub fn as_role(self, role: &str) -> Result<Signer, ForgeError> {
        let role = Role::new(role).map_err(|e| ForgeError::Key {
            path: PathBuf::new(),
            message: e.to_string(),
        })?;
        Ok(Signer { role, ..self })
    }

    /// The approval JSON (as an approval file holds it) of `manifest` under the role.
    pub fn approve(&self, manifest: &Manifest) -> Vec<u8> {
        serde_json::to_vec(&self.key.approve(&self.role, manifest)).unwrap_or_default()
    }
}

/// A fresh random request id (from the OS, through `rand`).
pub fn fresh_request_id() -> RequestId {
    RequestId::random(&mut rand::rng())
}

/// A request under construction: manifest fields, blinded elements and approval JSON
/// documents, each free to disagree with the others.
#[derive(Clone, Debug)]
pub struct ForgedRequest {
    /// The manifest fields (validated only when the manifest is built).
    pub fields: ManifestFields,
    /// The blinded elements to send, in order.
    pub elements: Vec<Element>,
    /// Approval documents to attach, as sent.
    pub approvals: Vec<Vec<u8>>,
    /// `Request.element_count`; the number of elements when `None`.
    pub declared_count: Option<u64>,
}

impl ForgedRequest {
    /// `bundle`'s request with a fresh request id and no approvals: signed as it is, an
    /// honest request.
    pub fn from_bundle(bundle: &BundleContents) -> ForgedRequest {
        let mut fields = bundle.manifest().fields().clone();
        fields.request_id = fresh_request_id();
        ForgedRequest {
            fields,
            elements: bundle.blinded_elements().to_vec(),
            approvals: Vec::new(),
            declared_count: None,
        }
    }

    /// Edits the manifest fields.
    pub fn edit(mut self, change: impl FnOnce(&mut ManifestFields)) -> ForgedRequest {
        change(&mut self.fields);
        self
    }

    /// Replaces the elements and makes the manifest's count and digest describe them,
    /// as if the approvers had signed these very elements.
    pub fn with_elements(mut self, elements: Vec<Element>) -> ForgedRequest {
        self.fields.element_count = elements.len() as u64;
        self.fields.blinded_digest = BlindedDigest::digest_all(&elements);
        self.elements = elements;
        self
    }

    /// The manifest the fields make.
    pub fn manifest(&self) -> Result<Manifest, ForgeError> {
        Ok(Manifest::new(self.fields.clone())?)
    }

    /// Appends `signer`'s approval of the current manifest.
    pub fn signed_by(mut self, signer: &Signer) -> Result<ForgedRequest, ForgeError> {
        let approval = signer.approve(&self.manifest()?);
        self.approvals.push(approval);
        Ok(self)
    }

    /// The `Request` message carrying the manifest JSON and the approvals.
    pub fn request(&self) -> Result<Message, ForgeError> {
        Ok(self.request_with_manifest(self.manifest()?.to_json_pretty().into_bytes()))
    }

    /// The `Request` message with `manifest` bytes in place of the manifest JSON.
    pub fn request_with_manifest(&self, manifest: Vec<u8>) -> Message {
        Message::Request(Request {
            manifest,
            approvals: self.approvals.clone(),
            element_count: self.declared_count.unwrap_or(self.elements.len() as u64),
        })
    }

    /// The elements as `ElementsChunk` messages of at most `per_chunk` elements,
    /// numbered from 0, without `ElementsDone`.
    pub fn chunks(&self, per_chunk: usize) -> Vec<Message> {
        self.elements
            .chunks(per_chunk.max(1))
            .enumerate()
            .map(|(index, elements)| {
                Message::ElementsChunk(ElementsChunk {
                    index: u32::try_from(index).unwrap_or(u32::MAX),
                    elements: elements.to_vec(),
                })
            })
            .collect()
    }
}
