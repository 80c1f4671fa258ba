//! People absent from the population: drawn fresh, then checked against the population
//! so that none of them is, by name and place or by name and birth date, someone on file.

use rayon::prelude::*;

use crate::address::Address;
use crate::draw::{Draw, Stream};
use crate::household::draw_household;
use crate::record::SynthRecord;
use crate::tables::strip_accents;

/// Attempts before giving up on drawing a person who differs from the population.
const ATTEMPTS: usize = 200;

/// Fingerprints of the population that an absent person must not share.
#[derive(Debug, Default)]
pub(crate) struct PopulationKeys {
    sorted: Vec<u64>,
}

impl PopulationKeys {
    /// Collects the keys of every population record.
    pub(crate) fn of(population: &[SynthRecord]) -> PopulationKeys {
        let mut sorted: Vec<u64> = population.par_iter().flat_map_iter(keys).collect();
        sorted.par_sort_unstable();
        sorted.dedup();
        PopulationKeys { sorted }
    }

    /// Whether `record` shares a key with some population record.
    pub(crate) fn collides(&self, record: &SynthRecord) -> bool {
        keys(record).any(|k| self.sorted.binary_search(&k).is_ok())
    }
}

/// Draws a person for request row `row` who collides with no population key; `None`
/// after [`ATTEMPTS`] tries (only possible for tiny, saturated populations).
pub(crate) fn draw_absent_person(
    seed: u64,
    row: usize,
    keys: &PopulationKeys,
) -> Option<SynthRecord> {
    let mut d = Draw::new(seed, Stream::AbsentPerson, row as u64);
    for _ in 0..ATTEMPTS {
        let address = Address::draw(&mut d);
        let household = draw_household(&mut d, &address, 2);
        let person = household.get(d.index(household.len()))?;
        if !keys.collides(person) {
            return Some(person.clone());
        }
    }
    None
}

/// Uppercase, accents stripped, punctuation to spaces, whitespace collapsed.
fn plain(text: &str) -> String {
    let stripped = strip_accents(text).to_uppercase();
    let spaced: String = stripped
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The five-digit ZIP, with lost leading zeros restored.
fn zip5(zip: &str) -> String {
    let digits: String = zip
        .chars()
        .take_while(|c| *c != '-')
        .filter(char::is_ascii_digit)
        .collect();
    if digits.len() <= 5 {
        format!("{digits:0>5}")
    } else {
        digits.chars().take(5).collect()
    }
}

/// Key 1: first given name, first family word, ZIP5 (no namesake in the same ZIP).
/// Key 2: all given names, all family names, date of birth (no namesake born the same
/// day anywhere).
fn keys(record: &SynthRecord) -> impl Iterator<Item = u64> {
    let given = plain(&record.given_names);
    let family = plain(&record.family_names);
    let first_given = given.split(' ').next().unwrap_or("");
    let first_family = family.split(' ').next().unwrap_or("");
    let place = fnv1a(&["zip", first_given, first_family, &zip5(&record.zip)]);
    let birth = record
        .dob
        .as_deref()
        .map(|dob| fnv1a(&["dob", &given, &family, dob]));
    std::iter::once(place).chain(birth)
}

/// 64-bit FNV-1a over length-prefixed parts (fixed, so results never vary by platform).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in (part.len() as u64)
            .to_le_bytes()
            .iter()
            .chain(part.as_bytes())
        {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_formatting() {
        let a = SynthRecord {
            given_names: "JOSÉ LUIS".into(),
            family_names: "MUÑOZ".into(),
            zip: "2134".into(),
            dob: Some("1980-01-02".into()),
            ..SynthRecord::default()
        };
        let b = SynthRecord {
            given_names: "jose".into(),
            family_names: "Munoz-Pena".into(),
            zip: "02134-0001".into(),
            ..SynthRecord::default()
        };
        let keys_a = PopulationKeys::of(std::slice::from_ref(&a));
        assert!(keys_a.collides(&b));
        assert!(keys_a.collides(&a));
        let c = SynthRecord {
            zip: "02135".into(),
            ..b.clone()
        };
        assert!(!keys_a.collides(&c));
    }
}
