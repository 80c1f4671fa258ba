//! Policy loading: `Policy::from_toml_str` on arbitrary text. Checked: parsing is
//! deterministic; an accepted policy names at least one required role and allows at
//! least one rule.
#![no_main]

use blindlink_protocol::policy::Policy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = Policy::from_toml_str(text) else {
        return;
    };
    assert!(!policy.required_any_of().is_empty() || !policy.required_all_of().is_empty());
    assert!(!policy.allowed_rules().is_empty());
    assert_eq!(Policy::from_toml_str(text).ok(), Some(policy));
});
