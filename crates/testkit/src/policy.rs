//! Writing a holder policy (TOML, as `irs serve --policy` reads it; the format is
//! documented in `blindlink_protocol::policy`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use super::LocalError;
use super::requester::Approver;

/// A holder policy to write: approver keys by role, required roles and limits. Limits
/// left out take the policy's defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicySpec {
    approvers: BTreeMap<String, Vec<String>>,
    any_of: Vec<String>,
    all_of: Vec<String>,
    limits: BTreeMap<String, u64>,
}

impl PolicySpec {
    /// An empty policy (not valid until a role is required).
    pub fn new() -> PolicySpec {
        PolicySpec::default()
    }

    /// Registers `approver`'s key under its role.
    pub fn approver(self, approver: &Approver) -> PolicySpec {
        self.approver_key(approver.role(), approver.public_key())
    }

    /// Registers a hex Ed25519 public key under `role`.
    pub fn approver_key(mut self, role: &str, public_key: &str) -> PolicySpec {
        self.approvers
            .entry(role.to_owned())
            .or_default()
            .push(public_key.to_owned());
        self
    }

    /// At least one of these roles must approve.
    pub fn any_of(mut self, roles: &[&str]) -> PolicySpec {
        self.any_of = roles.iter().map(|r| (*r).to_owned()).collect();
        self
    }

    /// Every one of these roles must approve (dual control).
    pub fn all_of(mut self, roles: &[&str]) -> PolicySpec {
        self.all_of = roles.iter().map(|r| (*r).to_owned()).collect();
        self
    }

    /// Sets a `[limits]` key, e.g. `max_records_per_request`.
    pub fn limit(mut self, name: &str, value: u64) -> PolicySpec {
        self.limits.insert(name.to_owned(), value);
        self
    }

    /// The TOML text.
    pub fn to_toml(&self) -> String {
        let list = |items: &[String]| {
            let quoted: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
            format!("[{}]", quoted.join(", "))
        };
        let mut out = String::from("[approvers]\n");
        for (role, keys) in &self.approvers {
            let _ = writeln!(out, "{role} = {}", list(keys));
        }
        out.push_str("\n[required_roles]\n");
        if !self.any_of.is_empty() {
            let _ = writeln!(out, "any_of = {}", list(&self.any_of));
        }
        if !self.all_of.is_empty() {
            let _ = writeln!(out, "all_of = {}", list(&self.all_of));
        }
        if !self.limits.is_empty() {
            out.push_str("\n[limits]\n");
            for (name, value) in &self.limits {
                let _ = writeln!(out, "{name} = {value}");
            }
        }
        out
    }

    /// Writes the TOML text to `path`.
    pub fn write(&self, path: &Path) -> Result<(), LocalError> {
        std::fs::write(path, self.to_toml()).map_err(|source| LocalError::File {
            path: path.to_path_buf(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use blindlink_protocol::policy::Policy;

    #[test]
    fn written_policy_parses_with_the_protocol_crate() {
        let key = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
        let text = PolicySpec::new()
            .approver_key("dhs-secretary", key)
            .any_of(&["dhs-secretary"])
            .limit("max_records_per_request", 7)
            .to_toml();
        let policy = Policy::from_toml_str(&text).unwrap();
        assert_eq!(policy.limits().max_records_per_request, 7);
    }
}
