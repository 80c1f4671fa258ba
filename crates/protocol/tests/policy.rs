#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Policy evaluation: every refusal reason, role requirements, check order.

use std::collections::BTreeSet;

use blindlink_protocol::approval::{Approval, ApproverSigningKey, MAX_APPROVALS, Role};
use blindlink_protocol::manifest::{
    BlindedDigest, KeyEpoch, LegalBasis, Manifest, ManifestFields, MerkleHash, OprfKeyHex, Purpose,
    RequestId, RequesterId, RuleId, SetHash,
};
use blindlink_protocol::policy::{
    Decision, EvaluationContext, Policy, ReceivedElements, RefusalReason, RequestContext,
};
use rand::SeedableRng;
use rand::rngs::StdRng;

const NOW: u64 = 1_700_000_000;
const EPOCH: KeyEpoch = KeyEpoch::from_bytes([0xe0; 16]);
const OPRF_KEY: OprfKeyHex = OprfKeyHex::from_bytes([0xe1; 32]);
const SET_HASH: SetHash = SetHash::from_bytes([0xe2; 32]);

struct Fixture {
    secretary: ApproverSigningKey,
    director: ApproverSigningKey,
    counsel: ApproverSigningKey,
    outsider: ApproverSigningKey,
    elements: Vec<[u8; 32]>,
}

fn role(name: &str) -> Role {
    Role::new(name).unwrap()
}

impl Fixture {
    fn new() -> Self {
        let mut rng = StdRng::seed_from_u64(99);
        Self {
            secretary: ApproverSigningKey::generate(&mut rng),
            director: ApproverSigningKey::generate(&mut rng),
            counsel: ApproverSigningKey::generate(&mut rng),
            outsider: ApproverSigningKey::generate(&mut rng),
            elements: (0..6u8).map(|i| [i + 1; 32]).collect(),
        }
    }

    fn policy_with(&self, required: &str, extra: &str) -> Policy {
        let text = format!(
            "allowed_rules = [\"R1\", \"R2\"]\n{extra}\n\
             [approvers]\n\
             dhs-secretary = [\"{}\"]\n\
             ice-director = [\"{}\"]\n\
             irs-counsel = [\"{}\"]\n\
             [required_roles]\n{required}\n\
             [limits]\n\
             max_records_per_request = 10\n\
             max_elements_per_request = 20\n\
             max_records_per_day = 25\n\
             max_elements_per_day = 30\n\
             max_elements_per_epoch = 100\n\
             max_request_age_secs = 3600\n\
             max_validity_secs = 7200\n\
             clock_skew_secs = 60\n",
            self.secretary.public_key(),
            self.director.public_key(),
            self.counsel.public_key(),
        );
        Policy::from_toml_str(&text).unwrap()
    }

    fn policy(&self) -> Policy {
        self.policy_with(
            "any_of = [\"dhs-secretary\", \"ice-director\"]\nall_of = [\"irs-counsel\"]",
            "",
        )
    }

    fn fields(&self) -> ManifestFields {
        ManifestFields {
            request_id: RequestId::from_bytes([0x11; 16]),
            requester_id: RequesterId::new("ice-hsi").unwrap(),
            purpose: Purpose::CriminalInvestigation,
            legal_basis: LegalBasis::new("order 24-1").unwrap(),
            record_count: 3,
            element_count: 6,
            rules_used: vec![RuleId::new("R1").unwrap(), RuleId::new("R2").unwrap()],
            blinded_digest: BlindedDigest::digest_all(&self.elements),
            references_root: MerkleHash::from_bytes([5; 32]),
            issued_at: NOW - 100,
            expires_at: NOW + 3000,
            key_epoch: EPOCH,
            oprf_public_key: OPRF_KEY,
            set_hash: SET_HASH,
        }
    }

    fn context(&self) -> EvaluationContext {
        EvaluationContext {
            request: RequestContext {
                now: NOW,
                current_epoch: EPOCH,
                current_oprf_public_key: OPRF_KEY,
                current_set_hash: SET_HASH,
                records_served_today: 0,
                elements_served_today: 0,
                elements_evaluated_in_epoch: 0,
                request_id_seen: false,
            },
            received: ReceivedElements {
                count: 6,
                digest: BlindedDigest::digest_all(&self.elements),
            },
        }
    }

    fn approvals(&self, manifest: &Manifest) -> Vec<Approval> {
        vec![
            self.director.approve(&role("ice-director"), manifest),
            self.counsel.approve(&role("irs-counsel"), manifest),
        ]
    }

    /// Evaluates a manifest edited by `edit`, with the normal approvals over it and
    /// the context edited by `edit_context`.
    fn run(
        &self,
        edit: impl FnOnce(&mut ManifestFields),
        edit_context: impl FnOnce(&mut EvaluationContext),
    ) -> Decision {
        let mut fields = self.fields();
        edit(&mut fields);
        let manifest = Manifest::new(fields).unwrap();
        let mut context = self.context();
        edit_context(&mut context);
        self.policy()
            .evaluate(&manifest, &self.approvals(&manifest), &context)
    }

    fn with_approvals(&self, make: impl FnOnce(&Self, &Manifest) -> Vec<Approval>) -> Decision {
        let manifest = Manifest::new(self.fields()).unwrap();
        let approvals = make(self, &manifest);
        self.policy()
            .evaluate(&manifest, &approvals, &self.context())
    }
}

fn refusal(decision: Decision) -> RefusalReason {
    match decision {
        Decision::Refuse(reason) => reason,
        Decision::Accept(a) => panic!("unexpectedly accepted: {a:?}"),
    }
}

fn no_edit(_: &mut ManifestFields) {}
fn no_context(_: &mut EvaluationContext) {}

#[test]
fn accepts_when_everything_is_right() {
    let f = Fixture::new();
    let decision = f.run(no_edit, no_context);
    let Decision::Accept(acceptance) = decision else {
        panic!("{decision:?}")
    };
    assert_eq!(acceptance.request_id, RequestId::from_bytes([0x11; 16]));
    assert_eq!(acceptance.record_count, 3);
    let roles: Vec<&str> = acceptance
        .approved_by
        .iter()
        .map(|(r, _)| r.as_str())
        .collect();
    assert_eq!(roles, ["ice-director", "irs-counsel"]);
}

#[test]
fn boundaries_are_inclusive() {
    let f = Fixture::new();
    type Case = (fn(&mut ManifestFields), fn(&mut EvaluationContext));
    let cases: Vec<Case> = vec![
        (|m| m.record_count = 10, no_context),
        (
            |m| {
                m.element_count = 20;
            },
            |c| c.received.count = 20,
        ),
        (no_edit, |c| c.request.records_served_today = 22),
        (no_edit, |c| c.request.elements_served_today = 24),
        (no_edit, |c| c.request.elements_evaluated_in_epoch = 94),
        (
            |m| {
                m.issued_at = NOW + 60;
                m.expires_at = NOW + 100;
            },
            no_context,
        ),
        (|m| m.expires_at = NOW - 59, no_context),
        (|m| m.issued_at = NOW - 3600, no_context),
        (
            |m| {
                m.issued_at = NOW - 100;
                m.expires_at = NOW + 7100;
            },
            no_context,
        ),
    ];
    for (i, (edit, edit_context)) in cases.into_iter().enumerate() {
        let mut context = f.context();
        edit_context(&mut context);
        let mut fields = f.fields();
        edit(&mut fields);
        if fields.element_count == 20 {
            // The received digest must match the announced count.
            let elements: Vec<[u8; 32]> = (0..20u8).map(|e| [e; 32]).collect();
            fields.blinded_digest = BlindedDigest::digest_all(&elements);
            context.received.digest = fields.blinded_digest;
        }
        let manifest = Manifest::new(fields).unwrap();
        let decision = f
            .policy()
            .evaluate(&manifest, &f.approvals(&manifest), &context);
        assert!(decision.is_accepted(), "case {i}: {decision:?}");
    }
}

#[test]
fn every_refusal_reason_is_reachable() {
    let f = Fixture::new();
    let other_manifest = {
        let mut fields = f.fields();
        fields.legal_basis = LegalBasis::new("another order").unwrap();
        Manifest::new(fields).unwrap()
    };
    let mut codes = BTreeSet::new();
    let mut expect = |decision: Decision, code: &str| {
        let reason = refusal(decision);
        assert_eq!(reason.code(), code, "{reason}");
        assert!(!reason.to_string().is_empty());
        codes.insert(reason.code());
        reason
    };

    expect(
        f.with_approvals(|f, m| {
            vec![f.director.approve(&role("ice-director"), m); MAX_APPROVALS + 1]
        }),
        "too-many-approvals",
    );
    let reason = expect(
        f.with_approvals(|f, m| {
            let mut a = f.approvals(m);
            a.push(f.outsider.approve(&role("ice-director"), m));
            a
        }),
        "unknown-approver",
    );
    assert_eq!(
        reason,
        RefusalReason::UnknownApprover {
            role: role("ice-director"),
            public_key: f.outsider.public_key()
        }
    );
    // A registered key signing validly under a role it does not hold.
    expect(
        f.with_approvals(|f, m| {
            vec![
                f.director.approve(&role("dhs-secretary"), m),
                f.counsel.approve(&role("irs-counsel"), m),
            ]
        }),
        "unknown-approver",
    );
    expect(
        f.with_approvals(|f, m| {
            vec![
                f.director.approve(&role("ice-director"), &other_manifest),
                f.counsel.approve(&role("irs-counsel"), m),
            ]
        }),
        "bad-signature",
    );
    let reason = expect(
        f.with_approvals(|f, m| {
            let genuine = f.director.approve(&role("ice-director"), m);
            vec![
                Approval::new(
                    role("dhs-secretary"),
                    *genuine.public_key(),
                    genuine.signature_bytes(),
                ),
                f.counsel.approve(&role("irs-counsel"), m),
            ]
        }),
        "approval-for-other-role",
    );
    assert_eq!(
        reason,
        RefusalReason::ApprovalForOtherRole {
            claimed: role("dhs-secretary"),
            signed_as: role("ice-director"),
            public_key: f.director.public_key()
        }
    );
    let reason = expect(
        f.with_approvals(|f, m| vec![f.director.approve(&role("ice-director"), m)]),
        "missing-role",
    );
    assert_eq!(
        reason,
        RefusalReason::MissingRole {
            role: role("irs-counsel")
        }
    );
    expect(
        f.with_approvals(|f, m| vec![f.counsel.approve(&role("irs-counsel"), m)]),
        "missing-any-of-roles",
    );
    expect(
        f.run(no_edit, |c| c.request.request_id_seen = true),
        "replayed",
    );
    {
        let closed = f.policy_with("all_of = [\"irs-counsel\"]", "allowed_purposes = []");
        let manifest = Manifest::new(f.fields()).unwrap();
        expect(
            closed.evaluate(&manifest, &f.approvals(&manifest), &f.context()),
            "wrong-purpose",
        );
    }
    expect(
        f.run(no_edit, |c| {
            c.request.current_epoch = KeyEpoch::from_bytes([0xe1; 16])
        }),
        "wrong-epoch",
    );
    expect(
        f.run(
            |m| {
                m.issued_at = NOW - 100;
                m.expires_at = NOW + 7101;
            },
            no_context,
        ),
        "validity-too-long",
    );
    expect(
        f.run(
            |m| {
                m.issued_at = NOW + 61;
                m.expires_at = NOW + 200;
            },
            no_context,
        ),
        "not-yet-valid",
    );
    expect(f.run(|m| m.expires_at = NOW - 60, no_context), "expired");
    expect(f.run(|m| m.issued_at = NOW - 3601, no_context), "too-old");
    let reason = expect(
        f.run(
            |m| m.rules_used = vec![RuleId::new("R1").unwrap(), RuleId::new("R3").unwrap()],
            no_context,
        ),
        "disallowed-rule",
    );
    assert_eq!(
        reason,
        RefusalReason::DisallowedRule {
            rule: RuleId::new("R3").unwrap()
        }
    );
    expect(
        f.run(|m| m.record_count = 11, no_context),
        "over-record-limit",
    );
    expect(
        f.run(|m| m.element_count = 21, no_context),
        "over-element-limit",
    );
    let reason = expect(
        f.run(
            |m| {
                m.record_count = 1;
                m.element_count = 13;
            },
            no_context,
        ),
        "over-elements-per-record",
    );
    assert_eq!(
        reason.to_string(),
        "13 elements for 1 records: the rules used yield at most 12 per record"
    );
    expect(
        f.run(no_edit, |c| c.request.records_served_today = 23),
        "over-daily-limit",
    );
    expect(
        f.run(no_edit, |c| c.request.elements_served_today = 25),
        "over-daily-element-limit",
    );
    expect(
        f.run(no_edit, |c| c.request.elements_evaluated_in_epoch = 95),
        "epoch-exhausted",
    );
    expect(
        f.run(no_edit, |c| c.received.count = 5),
        "element-count-mismatch",
    );
    expect(
        f.run(no_edit, |c| {
            c.received.digest = BlindedDigest::digest_all(&[[9; 32]; 6])
        }),
        "digest-mismatch",
    );
    assert_eq!(codes.len(), 22, "{codes:?}");
}

#[test]
fn any_of_and_all_of_dual_control() {
    let f = Fixture::new();
    let manifest = Manifest::new(f.fields()).unwrap();
    let context = f.context();
    let sign = |key: &ApproverSigningKey, name: &str| key.approve(&role(name), &manifest);

    // any_of: either the secretary or the director, plus counsel.
    let policy = f.policy();
    for first in [
        sign(&f.secretary, "dhs-secretary"),
        sign(&f.director, "ice-director"),
    ] {
        let approvals = [first, sign(&f.counsel, "irs-counsel")];
        assert!(
            policy
                .evaluate(&manifest, &approvals, &context)
                .is_accepted()
        );
    }
    let all_three = [
        sign(&f.secretary, "dhs-secretary"),
        sign(&f.director, "ice-director"),
        sign(&f.counsel, "irs-counsel"),
    ];
    assert!(
        policy
            .evaluate(&manifest, &all_three, &context)
            .is_accepted()
    );

    // all_of alone: both the director and counsel, two distinct people.
    let dual = f.policy_with("all_of = [\"ice-director\", \"irs-counsel\"]", "");
    let one = [sign(&f.director, "ice-director")];
    assert_eq!(
        dual.evaluate(&manifest, &one, &context).refusal(),
        Some(&RefusalReason::MissingRole {
            role: role("irs-counsel")
        })
    );
    let twice = [
        sign(&f.director, "ice-director"),
        sign(&f.director, "ice-director"),
    ];
    assert_eq!(
        dual.evaluate(&manifest, &twice, &context).code(),
        "missing-role"
    );
    let both = [
        sign(&f.counsel, "irs-counsel"),
        sign(&f.director, "ice-director"),
    ];
    assert!(dual.evaluate(&manifest, &both, &context).is_accepted());
    assert_eq!(
        dual.evaluate(&manifest, &[], &context).code(),
        "missing-role"
    );
}

#[test]
fn check_order_puts_signatures_first() {
    let f = Fixture::new();
    // An expired, replayed manifest with a bad signature: the signature is reported.
    let mut fields = f.fields();
    fields.expires_at = NOW - 1000;
    fields.issued_at = NOW - 2000;
    let manifest = Manifest::new(fields).unwrap();
    let signed_other = Manifest::new(f.fields()).unwrap();
    let approvals = vec![
        f.director.approve(&role("ice-director"), &signed_other),
        f.counsel.approve(&role("irs-counsel"), &manifest),
    ];
    let mut context = f.context();
    context.request.request_id_seen = true;
    assert_eq!(
        f.policy().evaluate(&manifest, &approvals, &context).code(),
        "bad-signature"
    );
    // With good signatures, replay comes before time.
    let approvals = f.approvals(&manifest);
    assert_eq!(
        f.policy().evaluate(&manifest, &approvals, &context).code(),
        "replayed"
    );
    context.request.request_id_seen = false;
    assert_eq!(
        f.policy().evaluate(&manifest, &approvals, &context).code(),
        "expired"
    );
}

#[test]
fn authorize_then_check_elements() {
    let f = Fixture::new();
    let manifest = Manifest::new(f.fields()).unwrap();
    let policy = f.policy();
    let context = f.context();
    let authorized = policy
        .authorize(&manifest, &f.approvals(&manifest), &context.request)
        .unwrap();
    assert_eq!(authorized.manifest(), &manifest);
    let mut digest = BlindedDigest::new(6);
    for chunk in f.elements.chunks(4) {
        digest.extend(chunk).unwrap();
    }
    let received = ReceivedElements {
        count: digest.expected(),
        digest: digest.finalize().unwrap(),
    };
    assert!(authorized.check_elements(&received).is_accepted());
}

/// A policy with every limit at its default.
fn default_limits_policy(f: &Fixture) -> Policy {
    let text = format!(
        "[approvers]\nice-director = [\"{}\"]\nirs-counsel = [\"{}\"]\n\
         [required_roles]\nall_of = [\"ice-director\", \"irs-counsel\"]\n",
        f.director.public_key(),
        f.counsel.public_key(),
    );
    Policy::from_toml_str(&text).unwrap()
}

/// Fails before the per-record bound: one record with 20,000 elements was within every
/// per-request limit and was served, 20,000 chosen points for one approved person.
#[test]
fn one_record_with_twenty_thousand_elements_is_refused() {
    let f = Fixture::new();
    let policy = default_limits_policy(&f);
    assert_eq!(policy.limits().max_elements_per_request, 20_000);
    let mut fields = f.fields();
    fields.record_count = 1;
    fields.element_count = 20_000;
    let manifest = Manifest::new(fields).unwrap();
    let reason = policy
        .authorize(&manifest, &f.approvals(&manifest), &f.context().request)
        .unwrap_err();
    assert_eq!(
        reason,
        RefusalReason::OverElementsPerRecord {
            elements: 20_000,
            records: 1,
            per_record: 12,
        }
    );
    assert_eq!(reason.code(), "over-elements-per-record");

    // 12 per record under R1+R2 is the most: 1,667 records may carry the 20,000.
    let mut fields = f.fields();
    fields.record_count = 1_667;
    fields.element_count = 20_000;
    let manifest = Manifest::new(fields).unwrap();
    assert!(
        policy
            .authorize(&manifest, &f.approvals(&manifest), &f.context().request)
            .is_ok()
    );
    // With R1 alone, 6 per record.
    let mut fields = f.fields();
    fields.rules_used = vec![RuleId::new("R1").unwrap()];
    fields.record_count = 3;
    fields.element_count = 19;
    let manifest = Manifest::new(fields).unwrap();
    let reason = policy
        .authorize(&manifest, &f.approvals(&manifest), &f.context().request)
        .unwrap_err();
    assert_eq!(reason.code(), "over-elements-per-record");
}
