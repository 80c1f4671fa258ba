use rand::SeedableRng;
use rand::rngs::StdRng;

use super::*;
use crate::manifest::KeyEpoch;
use blindlink_core::match_key::RuleSet;
use blindlink_core::oprf::SecretKey;

fn key(seed: u64) -> IdentityKey {
    IdentityKey::generate(&mut StdRng::seed_from_u64(seed))
}

fn body(identity: &IdentityKey) -> StatementBody {
    StatementBody {
        identity_public_key: identity.public_key(),
        epoch: HolderInfo {
            key_epoch: KeyEpoch::from_bytes([7; 16]),
            oprf_public_key: SecretKey::from_bytes(&[9; 32])
                .unwrap()
                .public_key()
                .to_bytes(),
            noise_public_key: [4; 32],
            set_size: 1000,
            fingerprint_bits: 70,
            rules: RuleSet::default_policy(),
            set_hash: [5; 32],
        },
        policy: Some(PublishedPolicy {
            digest: [6; 32],
            limits: Limits::default(),
        }),
        issued_at: 1_000,
        valid_until: 2_000,
    }
}

fn signed(identity: &IdentityKey) -> Vec<u8> {
    HolderStatement::sign(body(identity), identity).to_json()
}

fn verify(bytes: &[u8], pinned: &IdentityKey, now: u64) -> Result<HolderStatement, StatementError> {
    UnverifiedStatement::from_json(bytes)?.verify(&pinned.public_key(), now, 0)
}

#[test]
fn a_signed_statement_verifies_even_reformatted() {
    let holder = key(1);
    let bytes = signed(&holder);
    let statement = verify(&bytes, &holder, 1_500).unwrap();
    assert_eq!(statement.body(), &body(&holder));
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(value["format"], STATEMENT_FORMAT);
    assert_eq!(value["epoch"]["rules"], serde_json::json!(["R1", "R2"]));
    let compact = serde_json::to_vec(&value).unwrap();
    assert_eq!(verify(&compact, &holder, 1_500).unwrap(), statement);
    assert_eq!(statement.digest(), canonical::digest(&body(&holder)));
}

#[test]
fn every_edited_field_breaks_the_signature() {
    let holder = key(1);
    let good: serde_json::Value = serde_json::from_slice(&signed(&holder)).unwrap();
    let other_key = SecretKey::from_bytes(&[10; 32]).unwrap().public_key();
    let edits: [(&str, Option<&str>, serde_json::Value); 9] = [
        (
            "epoch",
            Some("oprf_public_key"),
            hex::encode(other_key.to_bytes()).into(),
        ),
        ("epoch", Some("key_epoch"), "08".repeat(16).into()),
        ("epoch", Some("noise_public_key"), "03".repeat(32).into()),
        ("epoch", Some("set_size"), 1001.into()),
        ("epoch", Some("fingerprint_bits"), 71.into()),
        (
            "epoch",
            Some("set_hash"),
            format!("{}06", "05".repeat(31)).into(),
        ),
        ("policy", Some("digest"), "07".repeat(32).into()),
        ("issued_at", None, 999.into()),
        ("valid_until", None, 2_001.into()),
    ];
    for (outer, inner, value) in edits {
        let mut bad = good.clone();
        match inner {
            Some(inner) => bad[outer][inner] = value,
            None => bad[outer] = value,
        }
        let bytes = serde_json::to_vec(&bad).unwrap();
        assert_eq!(
            verify(&bytes, &holder, 1_500),
            Err(StatementError::BadSignature),
            "{outer}.{inner:?} edited"
        );
    }
    let mut no_policy = good.clone();
    no_policy["policy"] = serde_json::Value::Null;
    let bytes = serde_json::to_vec(&no_policy).unwrap();
    assert_eq!(
        verify(&bytes, &holder, 1_500),
        Err(StatementError::BadSignature)
    );
}

#[test]
fn another_signer_or_a_stale_statement_is_refused() {
    let holder = key(1);
    let rogue = key(2);
    // Signed by a key that is not pinned.
    let err = verify(&signed(&rogue), &holder, 1_500).unwrap_err();
    assert!(
        matches!(err, StatementError::UnpinnedSigner { .. }),
        "{err}"
    );
    // A rogue key claiming to be the holder's: the signature fails.
    let mut forged = body(&holder);
    forged.epoch.set_size = 3;
    let forged = HolderStatement {
        signature: rogue.sign(&canonical::encode(&forged)),
        body: forged,
    };
    assert_eq!(
        verify(&forged.to_json(), &holder, 1_500),
        Err(StatementError::BadSignature)
    );
    let bytes = signed(&holder);
    assert!(matches!(
        verify(&bytes, &holder, 2_001),
        Err(StatementError::Expired { .. })
    ));
    assert!(matches!(
        verify(&bytes, &holder, 999),
        Err(StatementError::NotYetValid { .. })
    ));
    assert!(verify(&bytes, &holder, 2_000).is_ok());
    let skewed = UnverifiedStatement::from_json(&bytes).unwrap();
    assert!(skewed.verify(&holder.public_key(), 2_010, 10).is_ok());
}

#[test]
fn unsigned_and_foreign_documents_are_refused() {
    let holder = key(1);
    // The unsigned holder.json of format 1.
    let old = body(&holder).epoch.to_json();
    assert!(matches!(
        UnverifiedStatement::from_json(&old),
        Err(StatementError::Json(_))
    ));
    let mut value: serde_json::Value = serde_json::from_slice(&signed(&holder)).unwrap();
    value["format"] = "blindlink.holder-statement/1".into();
    assert!(matches!(
        UnverifiedStatement::from_json(&serde_json::to_vec(&value).unwrap()),
        Err(StatementError::Format(_))
    ));
    let mut value: serde_json::Value = serde_json::from_slice(&signed(&holder)).unwrap();
    value["epoch"]["fingerprint_bits"] = 0.into();
    assert!(matches!(
        UnverifiedStatement::from_json(&serde_json::to_vec(&value).unwrap()),
        Err(StatementError::Info(_))
    ));
    assert!(matches!(
        UnverifiedStatement::from_json(&vec![b' '; MAX_STATEMENT_JSON_BYTES + 1]),
        Err(StatementError::TooLarge { .. })
    ));
}
