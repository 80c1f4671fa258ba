//! Case, accent and punctuation differences.

use super::address::unit_start;
use crate::draw::Draw;
use crate::record::SynthRecord;
use crate::tables::streets::{DIRECTIONALS, SUFFIXES, UNIT_DESIGNATORS};
use crate::tables::{accented, strip_accents};

pub(super) fn has_letters(record: &SynthRecord) -> bool {
    [
        &record.given_names,
        &record.family_names,
        &record.street,
        &record.city,
    ]
    .iter()
    .any(|f| f.chars().any(char::is_alphabetic))
}

/// Applies some of: accents added or stripped, punctuation added or removed, another
/// letter case. Returns whether anything changed (always, for a record with letters).
pub(super) fn restyle(record: &mut SynthRecord, d: &mut Draw) -> bool {
    let before = record.clone();
    if d.chance(0.5) {
        toggle_accents(record);
    }
    if d.chance(0.5) {
        punctuate(record, d);
    }
    if *record == before || d.chance(0.5) {
        let title = d.chance(0.7);
        recase(record, |s| {
            if title {
                title_case(s)
            } else {
                s.to_lowercase()
            }
        });
    }
    if *record == before {
        recase(record, str::to_lowercase);
    }
    if *record == before {
        recase(record, str::to_uppercase);
    }
    *record != before
}

fn recase(record: &mut SynthRecord, f: impl Fn(&str) -> String) {
    for field in [
        &mut record.given_names,
        &mut record.family_names,
        &mut record.suffix,
        &mut record.street,
        &mut record.unit,
        &mut record.city,
    ] {
        *field = f(field);
    }
}

/// "O'BRIEN-SMITH 42ND" -> "O'Brien-Smith 42nd".
fn title_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_letter_or_digit = false;
    for c in text.chars() {
        if after_letter_or_digit {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        after_letter_or_digit = c.is_alphanumeric();
    }
    out
}

/// Maps each word of a name, where words are separated by spaces or hyphens.
fn map_words(text: &str, f: impl Fn(&str) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        for (j, part) in word.split('-').enumerate() {
            if j > 0 {
                out.push('-');
            }
            out.push_str(f(part).unwrap_or(part));
        }
    }
    out
}

fn toggle_accents(record: &mut SynthRecord) {
    let has_accents = |s: &str| s.chars().any(|c| c.is_alphabetic() && !c.is_ascii());
    let names = [&mut record.given_names, &mut record.family_names];
    if names.iter().any(|n| has_accents(n)) {
        for name in names {
            *name = strip_accents(name);
        }
    } else {
        for name in names {
            *name = map_words(name, |w| accented(&w.to_uppercase()));
        }
    }
}

fn is_abbreviation(word: &str) -> bool {
    let w = word.to_uppercase();
    SUFFIXES.iter().any(|s| s.abbreviation == w && s.full != w)
        || DIRECTIONALS.iter().any(|(a, _)| *a == w)
        || UNIT_DESIGNATORS.iter().any(|(a, f)| *a == w && a != f)
}

fn punctuate(record: &mut SynthRecord, d: &mut Draw) {
    let family = record.family_names.clone();
    let words: Vec<&str> = family.split_whitespace().collect();
    if family.contains('\'') && d.chance(0.5) {
        let with = if d.chance(0.7) { "" } else { " " };
        record.family_names = family.replace('\'', with);
    } else if let &[a, b] = words.as_slice()
        && !a.contains('-')
        && !b.contains('-')
        && d.chance(0.5)
    {
        record.family_names = format!("{a}-{b}");
    } else if let Some((a, b)) = family.split_once('-')
        && !a.contains(' ')
        && !["AL", "EL"].contains(&a.to_uppercase().as_str())
        && d.chance(0.5)
    {
        record.family_names = format!("{a} {b}");
    }
    if d.chance(0.5) {
        record.street = period_after_abbreviations(&record.street);
        record.unit = period_after_abbreviations(&record.unit);
        if record.street.to_uppercase().starts_with("PO BOX") {
            record.street = format!("P.O.{}", record.street.get(2..).unwrap_or_default());
        }
    }
    if d.chance(0.5)
        && let Some(i) = unit_start(&record.street)
    {
        let mut words: Vec<String> = record
            .street
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        if let Some(w) = words.get_mut(i - 1)
            && !w.ends_with(',')
        {
            w.push(',');
        }
        record.street = words.join(" ");
    }
    if d.chance(0.5) && matches!(record.suffix.as_str(), "JR" | "SR") {
        record.suffix.push('.');
    }
    if d.chance(0.5) {
        let given: Vec<String> = record
            .given_names
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| {
                if i > 0 && w.chars().count() == 1 && w.chars().all(char::is_alphabetic) {
                    format!("{w}.")
                } else {
                    w.to_owned()
                }
            })
            .collect();
        record.given_names = given.join(" ");
    }
}

fn period_after_abbreviations(text: &str) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            if is_abbreviation(w) {
                format!("{w}.")
            } else {
                w.to_owned()
            }
        })
        .collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::Stream;

    #[test]
    fn title_case_handles_apostrophes_hyphens_and_ordinals() {
        assert_eq!(title_case("O'BRIEN-SMITH"), "O'Brien-Smith");
        assert_eq!(title_case("100 W 42ND ST"), "100 W 42nd St");
        assert_eq!(title_case("JOSÉ"), "José");
    }

    #[test]
    fn accents_toggle() {
        let mut r = SynthRecord {
            given_names: "JOSE LUIS".into(),
            family_names: "MUNOZ-PENA".into(),
            ..SynthRecord::default()
        };
        toggle_accents(&mut r);
        assert_eq!(
            (r.given_names.as_str(), r.family_names.as_str()),
            ("JOSÉ LUIS", "MUÑOZ-PEÑA")
        );
        toggle_accents(&mut r);
        assert_eq!(
            (r.given_names.as_str(), r.family_names.as_str()),
            ("JOSE LUIS", "MUNOZ-PENA")
        );
    }

    #[test]
    fn restyle_always_changes_something() {
        let mut d = Draw::new(5, Stream::RequestRow, 0);
        for _ in 0..300 {
            let mut r = SynthRecord {
                given_names: "JAMES R".into(),
                family_names: "O'BRIEN".into(),
                street: "PO BOX 12".into(),
                city: "BOSTON".into(),
                ..SynthRecord::default()
            };
            assert!(restyle(&mut r, &mut d));
        }
    }
}
