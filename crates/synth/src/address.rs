//! Drawing addresses: house number, directionals, street name and suffix, units, PO boxes,
//! and a city, state and ZIP from the places table.
//!
//! Spellings are mixed the way source files mix them: mostly USPS abbreviations, some
//! full words and other accepted variants, numbered streets as 42ND or FIRST, units in
//! their own column or at the end of the street line, some ZIP+4, and some ZIPs that
//! lost their leading zeros.

use std::sync::LazyLock;

use crate::draw::{Draw, Weighted};
use crate::record::SynthRecord;
use crate::tables::places::{CITIES, City};
use crate::tables::streets::{
    DIRECTIONALS, ORDINAL_WORDS, STREET_NAMES, SUFFIXES, StreetSuffix, numeric_ordinal,
};

static CITY_TABLE: LazyLock<Weighted<City>> = LazyLock::new(|| Weighted::new(CITIES, |c| c.weight));
static STREET_TABLE: LazyLock<Weighted<(&'static str, u32)>> =
    LazyLock::new(|| Weighted::new(STREET_NAMES, |s| s.1));
static SUFFIX_TABLE: LazyLock<Weighted<StreetSuffix>> =
    LazyLock::new(|| Weighted::new(SUFFIXES, |s| s.weight));

const FALLBACK_CITY: City = City {
    name: "SPRINGFIELD",
    state: "IL",
    zip_low: 62701,
    zip_span: 10,
    weight: 1,
};

/// A rendered address, ready to be written into records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Address {
    street: String,
    unit: String,
    unit_in_street: bool,
    city: &'static str,
    state: &'static str,
    zip: String,
}

impl Address {
    /// Draws an address anywhere.
    pub(crate) fn draw(d: &mut Draw) -> Address {
        let city = CITY_TABLE.draw(d, FALLBACK_CITY);
        Address::draw_in(d, city)
    }

    /// Draws an address in the named city if the table knows it, else anywhere.
    pub(crate) fn draw_in_city_named(d: &mut Draw, city: &str, state: &str) -> Address {
        let city = city.trim().to_uppercase();
        let state = state.trim().to_uppercase();
        match CITIES.iter().find(|c| c.name == city && c.state == state) {
            Some(c) => Address::draw_in(d, *c),
            None => Address::draw(d),
        }
    }

    fn draw_in(d: &mut Draw, city: City) -> Address {
        let zip5 = city.zip_low + d.below(u64::from(city.zip_span.max(1))) as u32;
        let zip = render_zip(d, zip5);
        if d.chance(0.03) {
            let spelling = match d.below(100) {
                0..=84 => "PO BOX",
                85..=92 => "P O BOX",
                _ => "POST OFFICE BOX",
            };
            return Address {
                street: format!("{spelling} {}", d.between(1, 9999)),
                unit: String::new(),
                unit_in_street: false,
                city: city.name,
                state: city.state,
                zip,
            };
        }
        let mut words: Vec<String> = vec![house_number(d)];
        let predirectional = d.chance(0.18);
        if predirectional {
            words.push(directional(d));
        }
        words.extend(street_name_and_suffix(d));
        if !predirectional && d.chance(0.04) {
            words.push(directional(d));
        }
        let mut address = Address {
            street: words.join(" "),
            unit: String::new(),
            unit_in_street: false,
            city: city.name,
            state: city.state,
            zip,
        };
        if d.chance(0.22) {
            address.set_new_unit(d);
        }
        address
    }

    /// Whether this address has a unit.
    pub(crate) fn has_unit(&self) -> bool {
        !self.unit.is_empty()
    }

    /// The same building with another unit (a neighbour in an apartment block).
    pub(crate) fn with_new_unit(&self, d: &mut Draw) -> Address {
        let mut next = self.clone();
        next.set_new_unit(d);
        next
    }

    fn set_new_unit(&mut self, d: &mut Draw) {
        let (unit, bare_value) = unit(d);
        self.unit_in_street = d.chance(0.25);
        self.unit = if !self.unit_in_street && d.chance(0.15) {
            bare_value
        } else {
            unit
        };
    }

    /// Writes street, unit, city, state and ZIP into `record`.
    pub(crate) fn fill(&self, record: &mut SynthRecord) {
        if self.unit_in_street && self.has_unit() {
            record.street = format!("{} {}", self.street, self.unit);
            record.unit.clear();
        } else {
            record.street.clone_from(&self.street);
            record.unit.clone_from(&self.unit);
        }
        record.city = self.city.to_owned();
        record.state = self.state.to_owned();
        record.zip.clone_from(&self.zip);
    }
}

fn render_zip(d: &mut Draw, zip5: u32) -> String {
    if zip5 < 10_000 && d.chance(0.30) {
        return zip5.to_string();
    }
    match d.below(100) {
        0..=11 => format!("{zip5:05}-{:04}", d.between(1, 9999)),
        12..=13 => format!("{zip5:05}{:04}", d.between(1, 9999)),
        _ => format!("{zip5:05}"),
    }
}

fn house_number(d: &mut Draw) -> String {
    let (low, high) = match d.below(100) {
        0..=4 => (1, 9),
        5..=19 => (10, 99),
        20..=54 => (100, 999),
        55..=89 => (1000, 9999),
        _ => (10000, 99999),
    };
    d.between(low, high).to_string()
}

fn directional(d: &mut Draw) -> String {
    let (abbreviation, full) = d.pick(DIRECTIONALS, ("N", "NORTH"));
    if d.chance(0.15) { full } else { abbreviation }.to_owned()
}

fn street_name_and_suffix(d: &mut Draw) -> Vec<String> {
    if d.chance(0.15) {
        // Numbered streets, mostly low numbers.
        let bound = d.below(120) + 1;
        let n = 1 + d.below(bound) as u32;
        let name = match ORDINAL_WORDS.get(n as usize - 1) {
            Some(word) if d.chance(0.35) => (*word).to_owned(),
            _ => numeric_ordinal(n),
        };
        let suffix = match d.below(100) {
            0..=54 => SUFFIXES[0],
            55..=89 => SUFFIXES[1],
            _ => SUFFIX_TABLE.draw(d, SUFFIXES[0]),
        };
        return vec![name, spell_suffix(d, &suffix)];
    }
    let name = STREET_TABLE.draw(d, ("MAIN", 0)).0;
    if d.chance(0.02) {
        // Some streets carry no suffix at all ("BROADWAY"-like).
        return vec![name.to_owned()];
    }
    let suffix = SUFFIX_TABLE.draw(d, SUFFIXES[0]);
    vec![name.to_owned(), spell_suffix(d, &suffix)]
}

fn spell_suffix(d: &mut Draw, suffix: &StreetSuffix) -> String {
    match d.below(100) {
        0..=77 => suffix.abbreviation,
        78..=95 => suffix.full,
        _ => d.pick(suffix.variants, suffix.abbreviation),
    }
    .to_owned()
}

/// A unit as designator plus value ("APT 4B", "#12"), and the bare value ("4B").
fn unit(d: &mut Draw) -> (String, String) {
    let value = match d.below(100) {
        0..=39 => d.between(1, 40).to_string(),
        40..=69 => format!("{}{:02}", d.between(1, 9), d.between(1, 20)),
        70..=89 => format!("{}{}", d.between(1, 12), letter(d)),
        _ => letter(d).to_string(),
    };
    let designated = match d.below(100) {
        0..=53 => format!("APT {value}"),
        54..=59 => format!("APARTMENT {value}"),
        60..=71 => format!("#{value}"),
        72..=74 => format!("# {value}"),
        75..=86 => format!("UNIT {value}"),
        87..=93 => format!("STE {value}"),
        94..=95 => format!("SUITE {value}"),
        96..=97 => format!("RM {value}"),
        _ => format!("FL {}", d.between(1, 30)),
    };
    (designated, value)
}

fn letter(d: &mut Draw) -> char {
    char::from(b'A' + d.below(8) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::Stream;

    #[test]
    fn addresses_are_well_formed() {
        let mut d = Draw::new(11, Stream::PopulationChunk, 0);
        let mut record = SynthRecord::default();
        let (mut po, mut units, mut lost_zeros, mut plus4) = (0, 0, 0, 0);
        for _ in 0..5_000 {
            let a = Address::draw(&mut d);
            a.fill(&mut record);
            assert!(!record.street.is_empty());
            assert!(
                record
                    .street
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
            );
            assert_eq!(record.state.len(), 2);
            assert!(record.zip.chars().all(|c| c.is_ascii_digit() || c == '-'));
            po += usize::from(record.street.contains("BOX"));
            units += usize::from(a.has_unit());
            lost_zeros += usize::from(record.zip.len() < 5);
            plus4 += usize::from(record.zip.len() > 5);
        }
        assert!(
            po > 50 && units > 700 && lost_zeros > 10 && plus4 > 300,
            "{po} {units} {lost_zeros} {plus4}"
        );
    }

    #[test]
    fn a_neighbour_shares_the_building() {
        let mut d = Draw::new(12, Stream::PopulationChunk, 0);
        let a = Address::draw(&mut d);
        let b = a.with_new_unit(&mut d);
        assert_eq!(
            (a.street.as_str(), a.zip.as_str()),
            (b.street.as_str(), b.zip.as_str())
        );
        assert!(b.has_unit());
    }
}
