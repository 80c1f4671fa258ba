//! Address corruptions: moves, dropped units, abbreviation flips, ZIP formats.

use crate::address::Address;
use crate::draw::Draw;
use crate::record::SynthRecord;
use crate::tables::other_state_spelling;
use crate::tables::streets::{DIRECTIONALS, ORDINAL_WORDS, SUFFIXES, UNIT_DESIGNATORS};

/// Share of moves that stay in the same city.
const SAME_CITY_MOVE_RATE: f64 = 0.4;

pub(super) fn move_away(record: &mut SynthRecord, d: &mut Draw) -> bool {
    let before = (record.street.clone(), record.zip.clone());
    for _ in 0..8 {
        let address = if d.chance(SAME_CITY_MOVE_RATE) {
            Address::draw_in_city_named(d, &record.city, &record.state)
        } else {
            Address::draw(d)
        };
        let mut moved = record.clone();
        address.fill(&mut moved);
        if moved.street != before.0 || moved.zip != before.1 {
            *record = moved;
            return true;
        }
    }
    false
}

fn is_unit_designator(word: &str) -> bool {
    word.starts_with('#')
        || UNIT_DESIGNATORS
            .iter()
            .any(|(abbr, full)| word.eq_ignore_ascii_case(abbr) || word.eq_ignore_ascii_case(full))
}

/// Index of the first word of a unit at the end of the street line, if any (never the
/// house number at index 0).
pub(super) fn unit_start(street: &str) -> Option<usize> {
    street
        .split_whitespace()
        .enumerate()
        .skip(1)
        .find(|(_, w)| is_unit_designator(w.trim_end_matches([',', '.'])))
        .map(|(i, _)| i)
}

pub(super) fn has_unit(record: &SynthRecord) -> bool {
    !record.unit.trim().is_empty() || unit_start(&record.street).is_some()
}

pub(super) fn drop_unit(record: &mut SynthRecord) -> bool {
    let mut changed = !record.unit.is_empty();
    record.unit.clear();
    if let Some(i) = unit_start(&record.street) {
        let kept: Vec<&str> = record.street.split_whitespace().take(i).collect();
        record.street = kept.join(" ").trim_end_matches(',').to_owned();
        changed = true;
    }
    changed
}

/// The other spelling of an address word: STREET for ST, N for NORTH, APARTMENT for
/// APT, FIRST for 1ST, and back; other accepted variants (AVN) become the full word.
/// Words with one spelling (UNIT, WAY) have none.
fn other_spelling(word: &str) -> Option<String> {
    let upper = word.to_uppercase();
    for suffix in SUFFIXES {
        if upper == suffix.abbreviation && suffix.full != suffix.abbreviation {
            return Some(suffix.full.to_owned());
        }
        if upper == suffix.full && suffix.full != suffix.abbreviation {
            return Some(suffix.abbreviation.to_owned());
        }
        if suffix.variants.contains(&upper.as_str()) {
            return Some(suffix.full.to_owned());
        }
    }
    for (abbr, full) in DIRECTIONALS.iter().chain(UNIT_DESIGNATORS) {
        if abbr == full {
            continue;
        }
        if upper == *abbr {
            return Some((*full).to_owned());
        }
        if upper == *full {
            return Some((*abbr).to_owned());
        }
    }
    for (n, word) in ORDINAL_WORDS.iter().enumerate() {
        let numeric = crate::tables::streets::numeric_ordinal(n as u32 + 1);
        if upper == *word {
            return Some(numeric);
        }
        if upper == numeric {
            return Some((*word).to_owned());
        }
    }
    None
}

/// Where an abbreviation flip could happen.
#[derive(Clone, Copy, Debug)]
enum Spot {
    Street(usize),
    Unit(usize),
    PoBox,
    State,
}

fn spots(record: &SynthRecord) -> Vec<Spot> {
    let mut spots = Vec::new();
    let upper = record.street.to_uppercase();
    let po_box = ["PO BOX ", "P O BOX ", "POST OFFICE BOX "]
        .iter()
        .any(|p| upper.starts_with(p));
    if po_box {
        spots.push(Spot::PoBox);
    } else {
        for (i, w) in record.street.split_whitespace().enumerate().skip(1) {
            if other_spelling(w).is_some() {
                spots.push(Spot::Street(i));
            }
        }
    }
    for (i, w) in record.unit.split_whitespace().enumerate() {
        if other_spelling(w).is_some() {
            spots.push(Spot::Unit(i));
        }
    }
    if other_state_spelling(&record.state).is_some() {
        spots.push(Spot::State);
    }
    spots
}

pub(super) fn abbreviation_eligible(record: &SynthRecord) -> bool {
    !spots(record).is_empty()
}

fn respell_word(text: &str, index: usize) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .enumerate()
        .map(
            |(i, w)| match (i == index).then(|| other_spelling(w)).flatten() {
                Some(other) => other,
                None => w.to_owned(),
            },
        )
        .collect();
    words.join(" ")
}

/// Flips each spelling spot with probability 0.6, and at least one.
pub(super) fn flip_abbreviations(record: &mut SynthRecord, d: &mut Draw) -> bool {
    let spots = spots(record);
    if spots.is_empty() {
        return false;
    }
    let forced = d.index(spots.len());
    let mut changed = false;
    for (n, spot) in spots.into_iter().enumerate() {
        if n != forced && !d.chance(0.6) {
            continue;
        }
        match spot {
            Spot::Street(i) => record.street = respell_word(&record.street, i),
            Spot::Unit(i) => record.unit = respell_word(&record.unit, i),
            Spot::PoBox => {
                let number = record
                    .street
                    .split_whitespace()
                    .last()
                    .unwrap_or("1")
                    .to_owned();
                let long = record.street.to_uppercase().starts_with("POST");
                let spelling = if long { "PO BOX" } else { "POST OFFICE BOX" };
                record.street = format!("{spelling} {number}");
            }
            Spot::State => {
                if let Some(other) = other_state_spelling(&record.state) {
                    record.state = other.to_owned();
                }
            }
        }
        changed = true;
    }
    changed
}

/// Adds or drops a ZIP+4, or drops or restores leading zeros.
pub(super) fn reformat_zip(record: &mut SynthRecord, d: &mut Draw) -> bool {
    let digits: String = record.zip.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return false;
    }
    let new = if digits.len() > 5 {
        // Drop the +4.
        digits.get(..5).unwrap_or(&digits).to_owned()
    } else if digits.len() < 5 {
        // Restore the leading zeros.
        format!("{digits:0>5}")
    } else if digits.starts_with('0') && d.chance(0.6) {
        digits.trim_start_matches('0').to_owned()
    } else if d.chance(0.8) {
        format!("{digits}-{:04}", d.between(1, 9999))
    } else {
        format!("{digits}{:04}", d.between(1, 9999))
    };
    let changed = new != record.zip;
    record.zip = new;
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::Stream;

    fn rec(street: &str, unit: &str, state: &str, zip: &str) -> SynthRecord {
        SynthRecord {
            street: street.into(),
            unit: unit.into(),
            state: state.into(),
            zip: zip.into(),
            ..SynthRecord::default()
        }
    }

    #[test]
    fn units_are_dropped_from_column_and_street() {
        let mut r = rec("100 N MAIN ST APT 4B", "", "MA", "02134");
        assert!(has_unit(&r));
        assert!(drop_unit(&mut r));
        assert_eq!(r.street, "100 N MAIN ST");
        let mut r = rec("7 OAK AVE #12", "", "MA", "02134");
        assert!(drop_unit(&mut r));
        assert_eq!(r.street, "7 OAK AVE");
        let mut r = rec("7 OAK AVE", "STE 200", "MA", "02134");
        assert!(drop_unit(&mut r));
        assert!(r.unit.is_empty());
        assert!(!has_unit(&r));
    }

    #[test]
    fn abbreviations_flip_both_ways() {
        let mut d = Draw::new(3, Stream::RequestRow, 0);
        for _ in 0..200 {
            let mut r = rec("12 NORTH 1ST STREET", "APT 3", "MA", "02134");
            assert!(flip_abbreviations(&mut r, &mut d));
            assert!(r.street.starts_with("12 "));
            assert_ne!(
                (r.street.as_str(), r.unit.as_str(), r.state.as_str()),
                ("12 NORTH 1ST STREET", "APT 3", "MA")
            );
            for w in r.street.split_whitespace().skip(1) {
                assert!(
                    ["N", "NORTH", "1ST", "FIRST", "ST", "STREET"].contains(&w),
                    "{w}"
                );
            }
        }
        let mut r = rec("PO BOX 17", "", "ZZ", "1");
        assert!(flip_abbreviations(&mut r, &mut d));
        assert_eq!(r.street, "POST OFFICE BOX 17");
    }

    #[test]
    fn zip_formats_change() {
        let mut d = Draw::new(4, Stream::RequestRow, 0);
        for zip in ["02134", "2134", "90210-1234", "902101234", "90210"] {
            let mut r = rec("1 MAIN ST", "", "CA", zip);
            assert!(reformat_zip(&mut r, &mut d), "{zip}");
            let five: String = r.zip.chars().filter(char::is_ascii_digit).take(5).collect();
            let original: String = zip.chars().filter(char::is_ascii_digit).take(5).collect();
            assert!(
                five.trim_start_matches('0') == original.trim_start_matches('0'),
                "{zip} -> {}",
                r.zip
            );
        }
    }
}
