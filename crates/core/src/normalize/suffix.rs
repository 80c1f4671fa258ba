//! Generational suffixes (JR, SR, II, III, IV, V): parsed out of names or taken from the
//! suffix column, and kept as a field because a conflict (JR vs SR) means two different
//! people (see [`crate::match_key`] for how keys enforce that).

use std::fmt;

/// A generational name suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Suffix {
    /// JR, JUNIOR, JNR.
    Junior,
    /// SR, SENIOR, SNR.
    Senior,
    /// II, 2ND.
    Second,
    /// III, 3RD.
    Third,
    /// IV, 4TH.
    Fourth,
    /// V, 5TH.
    Fifth,
}

impl Suffix {
    /// The canonical spelling used in match keys: `JR`, `SR`, `II`, `III`, `IV`, `V`.
    pub fn as_str(self) -> &'static str {
        match self {
            Suffix::Junior => "JR",
            Suffix::Senior => "SR",
            Suffix::Second => "II",
            Suffix::Third => "III",
            Suffix::Fourth => "IV",
            Suffix::Fifth => "V",
        }
    }

    /// Parses one folded token, including `V` (only safe where a middle initial cannot
    /// occur: the suffix column and after a family name).
    pub(crate) fn from_token(token: &str) -> Option<Suffix> {
        match token {
            "V" | "5TH" => Some(Suffix::Fifth),
            other => Suffix::from_unambiguous_token(other),
        }
    }

    /// Parses one folded token that cannot be a middle initial (everything but `V`).
    pub(crate) fn from_unambiguous_token(token: &str) -> Option<Suffix> {
        Some(match token {
            "JR" | "JUNIOR" | "JNR" => Suffix::Junior,
            "SR" | "SENIOR" | "SNR" => Suffix::Senior,
            "II" | "2ND" => Suffix::Second,
            "III" | "3RD" => Suffix::Third,
            "IV" | "4TH" => Suffix::Fourth,
            _ => return None,
        })
    }
}

impl fmt::Display for Suffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        assert_eq!(Suffix::from_token("JUNIOR"), Some(Suffix::Junior));
        assert_eq!(Suffix::from_token("3RD"), Some(Suffix::Third));
        assert_eq!(Suffix::from_token("V"), Some(Suffix::Fifth));
        assert_eq!(Suffix::from_unambiguous_token("V"), None);
        assert_eq!(Suffix::from_token("ESQ"), None);
        assert_eq!(Suffix::Fourth.to_string(), "IV");
    }
}
