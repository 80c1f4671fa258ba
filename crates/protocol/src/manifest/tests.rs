use super::*;

pub(crate) fn example_fields() -> ManifestFields {
    ManifestFields {
        request_id: RequestId::from_bytes([7; 16]),
        requester_id: RequesterId::new("ice-hsi").unwrap(),
        purpose: Purpose::CriminalInvestigation,
        legal_basis: LegalBasis::new("court order 1").unwrap(),
        record_count: 2,
        element_count: 4,
        rules_used: vec![RuleId::new("R1").unwrap(), RuleId::new("R2").unwrap()],
        blinded_digest: BlindedElementsDigest::from_bytes([1; 64]),
        references_root: MerkleHash::from_bytes([2; 32]),
        issued_at: 100,
        expires_at: 200,
        key_epoch: KeyEpoch::from_bytes([3; 16]),
        oprf_public_key: OprfKeyHex::from_bytes([8; 32]),
        set_hash: SetHash::from_bytes([9; 32]),
    }
}

#[test]
fn cross_field_validation() {
    assert!(Manifest::new(example_fields()).is_ok());

    let mut f = example_fields();
    f.record_count = 0;
    assert!(matches!(
        Manifest::new(f),
        Err(ManifestError::CountOutOfRange {
            field: "record_count",
            ..
        })
    ));

    let mut f = example_fields();
    f.element_count = MAX_ELEMENT_COUNT + 1;
    assert!(matches!(
        Manifest::new(f),
        Err(ManifestError::CountOutOfRange {
            field: "element_count",
            ..
        })
    ));

    for rules in [vec![], vec!["R2", "R1"], vec!["R1", "R1"]] {
        let mut f = example_fields();
        f.rules_used = rules.into_iter().map(|r| RuleId::new(r).unwrap()).collect();
        assert!(matches!(
            Manifest::new(f),
            Err(ManifestError::RulesNotCanonical { .. })
        ));
    }

    let mut f = example_fields();
    f.expires_at = f.issued_at;
    assert!(matches!(
        Manifest::new(f),
        Err(ManifestError::ExpiresNotAfterIssued { .. })
    ));
}

#[test]
fn canonical_bytes_change_with_every_field() {
    let base = Manifest::new(example_fields()).unwrap().canonical_bytes();
    let edits: Vec<fn(&mut ManifestFields)> = vec![
        |f| f.request_id = RequestId::from_bytes([8; 16]),
        |f| f.requester_id = RequesterId::new("ice-hsj").unwrap(),
        |f| f.legal_basis = LegalBasis::new("court order 2").unwrap(),
        |f| f.record_count = 3,
        |f| f.element_count = 5,
        |f| f.rules_used = vec![RuleId::new("R1").unwrap()],
        |f| f.blinded_digest = BlindedElementsDigest::from_bytes([9; 64]),
        |f| f.references_root = MerkleHash::from_bytes([9; 32]),
        |f| f.issued_at = 101,
        |f| f.expires_at = 201,
        |f| f.key_epoch = KeyEpoch::from_bytes([9; 16]),
    ];
    for edit in edits {
        let mut f = example_fields();
        edit(&mut f);
        assert_ne!(Manifest::new(f).unwrap().canonical_bytes(), base);
    }
}

#[test]
fn json_errors_name_the_field() {
    let mut value = serde_json::to_value(example_fields()).unwrap();
    value["requester_id"] = serde_json::Value::String("x".repeat(129));
    let err = Manifest::from_json(value.to_string().as_bytes()).unwrap_err();
    assert!(
        matches!(&err, ManifestError::Json { path, message } if path == "requester_id" && message.contains("128")),
        "{err}"
    );

    let mut value = serde_json::to_value(example_fields()).unwrap();
    value["surprise"] = serde_json::Value::Bool(true);
    assert!(Manifest::from_json(value.to_string().as_bytes()).is_err());

    let mut value = serde_json::to_value(example_fields()).unwrap();
    value["key_epoch"] = serde_json::Value::String("abc".into());
    let err = Manifest::from_json(value.to_string().as_bytes()).unwrap_err();
    assert!(
        matches!(&err, ManifestError::Json { path, .. } if path == "key_epoch"),
        "{err}"
    );

    let text = format!(
        "{} trailing",
        serde_json::to_string(&example_fields()).unwrap()
    );
    assert!(Manifest::from_json(text.as_bytes()).is_err());
}
