//! The profiles' rates as a Markdown table, generated from the constants so that the
//! crate documentation and docs/QUALITY.md cannot drift from the code (tests check both).

use super::{Corruption, CorruptionProfile};

impl Corruption {
    /// When a record is eligible for this corruption (the rate applies among those).
    pub fn eligibility(self) -> &'static str {
        match self {
            Corruption::MovedAddress => "always (present people only)",
            Corruption::UnitMissing => "the address has a unit",
            Corruption::SuffixDropped => "a JR/SR/II/III/IV suffix",
            Corruption::SurnamePartDropped => {
                "two or more surnames (particles stay attached: DE LA CRUZ is one)"
            }
            Corruption::MiddleNameDropped => "two or more given names",
            Corruption::Nickname => {
                "the first given name has an unambiguous nickname (`NICKNAMES` table)"
            }
            Corruption::Typo => "a name with two or more letters",
            Corruption::NameOrderSwapped => "both name fields present",
            Corruption::Abbreviation => {
                "a suffix, directional, unit designator, ordinal or state with another spelling"
            }
            Corruption::ZipFormat => "a ZIP",
            Corruption::DobMissing => "a date of birth",
            Corruption::CaseAccentsPunctuation => "always",
        }
    }
}

fn rate(r: f64) -> String {
    if r == 0.0 {
        "0".to_owned()
    } else {
        format!("{r:.2}")
    }
}

/// The rates of `clean`, `realistic` and `hard` as a Markdown table, one row per
/// [`Corruption`] in application order.
pub fn profile_rates_markdown() -> String {
    let mut out = String::from(
        "| corruption | eligible when | `clean` | `realistic` (default) | `hard` |\n\
         |---|---|---|---|---|\n",
    );
    for c in Corruption::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            c.name(),
            c.eligibility(),
            rate(CorruptionProfile::CLEAN.rate(c)),
            rate(CorruptionProfile::REALISTIC.rate(c)),
            rate(CorruptionProfile::HARD.rate(c)),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `doc` holds every line of the generated table, each after `prefix`.
    fn holds_table(doc: &str, prefix: &str) -> Result<(), String> {
        let lines: Vec<&str> = doc.lines().map(str::trim_end).collect();
        for line in profile_rates_markdown().lines() {
            let wanted = format!("{prefix}{line}");
            if !lines.contains(&wanted.as_str()) {
                return Err(wanted);
            }
        }
        Ok(())
    }

    #[test]
    fn crate_docs_list_the_real_rates() {
        let lib = include_str!("../lib.rs");
        if let Err(line) = holds_table(lib, "//! ") {
            panic!(
                "src/lib.rs lacks {line:?}; paste the output of profile_rates_markdown():\n{}",
                profile_rates_markdown()
            );
        }
    }

    #[test]
    fn quality_doc_lists_the_real_rates() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/QUALITY.md");
        let doc = std::fs::read_to_string(path).unwrap();
        if let Err(line) = holds_table(&doc, "") {
            panic!(
                "docs/QUALITY.md lacks {line:?}; paste the output of profile_rates_markdown():\n{}",
                profile_rates_markdown()
            );
        }
    }

    #[test]
    fn the_table_changes_with_the_constants() {
        let table = profile_rates_markdown();
        let moved = format!(
            "| `moved_address` | always (present people only) | 0 | {:.2} | {:.2} |",
            CorruptionProfile::REALISTIC.moved_address,
            CorruptionProfile::HARD.moved_address
        );
        assert!(table.lines().any(|l| l == moved), "{table}");
        assert_eq!(table.lines().count(), 2 + Corruption::ALL.len());
        assert!(holds_table("nothing here", "").is_err());
    }
}
