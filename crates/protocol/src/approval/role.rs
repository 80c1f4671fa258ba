//! Role names such as `dhs-secretary`, `ice-director` or `irs-counsel`.

use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Serialize};

use super::ApprovalError;

/// Maximum length of a role name in bytes.
pub const MAX_ROLE_BYTES: usize = 64;

/// A role under which an official approves: 1 to 64 characters of `a-z`, `0-9` and
/// `-`, starting with a letter.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Role(String);

impl Role {
    /// Validates and wraps a role name.
    pub fn new(name: impl Into<String>) -> Result<Self, ApprovalError> {
        let name = name.into();
        let well_formed = name.len() <= MAX_ROLE_BYTES
            && name.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !well_formed {
            return Err(ApprovalError::InvalidRole(name.chars().take(80).collect()));
        }
        Ok(Self(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Role {
    type Err = ApprovalError;
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::new(name)
    }
}

impl TryFrom<String> for Role {
    type Error = ApprovalError;
    fn try_from(name: String) -> Result<Self, Self::Error> {
        Self::new(name)
    }
}

impl From<Role> for String {
    fn from(role: Role) -> Self {
        role.0
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names() {
        for good in ["dhs-secretary", "irs-counsel", "a", "r2-d2"] {
            assert!(Role::new(good).is_ok(), "{good}");
        }
        for bad in ["", "DHS", "-x", "9lives", "a b", "ré", &"a".repeat(65)] {
            assert!(Role::new(bad).is_err(), "{bad}");
        }
    }
}
