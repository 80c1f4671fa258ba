use super::*;

const KEY_A: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const KEY_B: &str = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";

fn base(extra: &str) -> String {
    format!(
        "{extra}\n[approvers]\nice-director = [\"{KEY_A}\"]\nirs-counsel = [\"{KEY_B}\"]\n\n\
         [required_roles]\nany_of = [\"ice-director\"]\nall_of = [\"irs-counsel\"]\n"
    )
}

fn field_of(text: &str) -> String {
    match Policy::from_toml_str(text) {
        Err(PolicyError::Field { field, message }) => {
            assert!(!message.is_empty());
            field
        }
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn defaults_apply() {
    let policy = Policy::from_toml_str(&base("")).unwrap();
    assert_eq!(policy.limits(), &Limits::default());
    assert_eq!(policy.limits().max_records_per_request, 5_000);
    assert_eq!(policy.limits().max_elements_per_day, 600_000);
    assert_eq!(policy.limits().max_elements_per_epoch, 1 << 28);
    let rules: Vec<&str> = policy.allowed_rules().iter().map(RuleId::as_str).collect();
    assert_eq!(rules, ["R1", "R2"]);
    assert!(
        policy
            .allowed_purposes()
            .contains(&Purpose::CriminalInvestigation)
    );
    let key = ApproverPublicKey::from_hex(KEY_B).unwrap();
    assert_eq!(policy.role_of(&key).map(Role::as_str), Some("irs-counsel"));
}

#[test]
fn type_and_value_errors_name_the_field() {
    assert_eq!(
        field_of(&base("[limits]\nmax_records_per_request = \"many\"")),
        "limits.max_records_per_request"
    );
    assert_eq!(
        field_of(&base("[limits]\nmax_records_per_day = 0")),
        "limits.max_records_per_day"
    );
    assert_eq!(
        field_of(&base("[limits]\nmax_elements_per_day = 0")),
        "limits.max_elements_per_day"
    );
    // The per-epoch cap may be lowered, never raised above the static-DH bound.
    assert_eq!(
        field_of(&base("[limits]\nmax_elements_per_epoch = 268435457")),
        "limits.max_elements_per_epoch"
    );
    let lowered = Policy::from_toml_str(&base("[limits]\nmax_elements_per_epoch = 1000"));
    assert_eq!(lowered.unwrap().limits().max_elements_per_epoch, 1000);
    assert_eq!(
        field_of(&base("allowed_purposes = [\"curiosity\"]")),
        "allowed_purposes[0]"
    );
    assert_eq!(
        field_of(&base("allowed_rules = [\"R 1\"]")),
        "allowed_rules[0]"
    );
    assert_eq!(field_of(&base("allowed_rules = []")), "allowed_rules");
    let bad_key = base("").replace(KEY_A, "zz");
    assert_eq!(field_of(&bad_key), "approvers.ice-director[0]");
    let weak_key = base("").replace(KEY_A, &"00".repeat(32));
    assert_eq!(field_of(&weak_key), "approvers.ice-director[0]");
}

#[test]
fn structural_errors_name_the_field() {
    assert_eq!(field_of(&base("colour = \"blue\"")), "colour");
    assert_eq!(
        field_of(&base("[limits]\nmax_records = 1")),
        "limits.max_records"
    );

    let shared_key = base("").replace(KEY_B, KEY_A);
    assert_eq!(field_of(&shared_key), "approvers.irs-counsel");

    let unknown_role = base("").replace("all_of = [\"irs-counsel\"]", "all_of = [\"judge\"]");
    assert_eq!(field_of(&unknown_role), "required_roles.all_of");

    let no_roles = base("")
        .replace("any_of = [\"ice-director\"]\n", "")
        .replace("all_of = [\"irs-counsel\"]\n", "");
    assert_eq!(field_of(&no_roles), "required_roles");

    let missing = format!("[approvers]\nice-director = [\"{KEY_A}\"]\n");
    let err = Policy::from_toml_str(&missing).unwrap_err();
    assert!(err.to_string().contains("required_roles"), "{err}");

    let empty_role = base("").replace(&format!("[\"{KEY_B}\"]"), "[]");
    assert_eq!(field_of(&empty_role), "approvers.irs-counsel");
}

#[test]
fn syntax_errors_are_one_line_with_a_line_number() {
    let err = Policy::from_toml_str("a = 1\nb = = 2\n").unwrap_err();
    match err {
        PolicyError::Syntax { message } => {
            assert!(!message.contains('\n'));
            assert!(message.contains("line 2"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}
