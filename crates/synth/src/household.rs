//! Drawing a household: several people at one address, mostly sharing a surname.
//!
//! A household has a head, often a spouse or another adult, and children. Hispanic
//! households with double surnames give children the father's first surname and the
//! mother's first surname. A share of sons are named after their father, which yields
//! JR/SR (or II/III) pairs at the same address, the hardest case for name-and-address
//! matching. Dates of birth follow from ages; most people have one.

use crate::address::Address;
use crate::draw::Draw;
use crate::name::{NameStyle, Origin, Sex};
use crate::record::SynthRecord;

/// Births are drawn relative to this year: everyone was born before January 1 of it.
pub(crate) const REFERENCE_YEAR: u32 = 2026;

#[derive(Clone, Debug)]
struct Person {
    given: String,
    family_parts: Vec<&'static str>,
    family: String,
    suffix: &'static str,
    sex: Sex,
    age: u32,
}

/// Draws one household at `address` with at most `max_size` members (at least one).
pub(crate) fn draw_household(d: &mut Draw, address: &Address, max_size: usize) -> Vec<SynthRecord> {
    let origin = Origin::draw(d);
    let style = NameStyle::draw(d, origin);
    let size = household_size(d).min(max_size.max(1));

    let head_sex = if d.chance(0.55) {
        Sex::Male
    } else {
        Sex::Female
    };
    let head_parts = style.family_parts(d);
    let head_family = style.family_names(d, &head_parts);
    let head = Person {
        given: style.given_names(d, head_sex),
        family_parts: head_parts,
        family: head_family,
        suffix: generational_suffix(d, head_sex),
        sex: head_sex,
        age: 18 + d.between(0, 30) + d.between(0, 44),
    };
    let mut people = vec![head];
    if size >= 2 {
        let second = second_adult(d, &style, &people[0]);
        people.push(second);
    }
    let mut named_after_father = false;
    while people.len() < size {
        let child = child(d, &style, &people, &mut named_after_father);
        people.push(child);
    }
    people
        .into_iter()
        .map(|p| {
            let (family_names, suffix) = if !p.suffix.is_empty() && d.chance(0.10) {
                // Some sources keep the suffix in the family-name field.
                (format!("{} {}", p.family, p.suffix), String::new())
            } else {
                (p.family, p.suffix.to_owned())
            };
            let mut r = SynthRecord {
                given_names: p.given,
                family_names,
                suffix,
                ..SynthRecord::default()
            };
            r.dob = d.chance(0.93).then(|| date_of_birth(d, p.age));
            address.fill(&mut r);
            r
        })
        .collect()
}

fn household_size(d: &mut Draw) -> usize {
    match d.below(100) {
        0..=27 => 1,
        28..=61 => 2,
        62..=76 => 3,
        77..=89 => 4,
        90..=95 => 5,
        96..=98 => 6,
        _ => 7,
    }
}

fn generational_suffix(d: &mut Draw, sex: Sex) -> &'static str {
    if sex == Sex::Female {
        return "";
    }
    match d.below(10_000) {
        0..=119 => "JR",
        120..=149 => "SR",
        150..=169 => "II",
        170..=199 => "III",
        200..=204 => "IV",
        _ => "",
    }
}

fn second_adult(d: &mut Draw, style: &NameStyle, head: &Person) -> Person {
    let age = (head.age + d.between(0, 12)).saturating_sub(6).max(18);
    if d.chance(0.80) {
        // Spouse or partner.
        let sex = match (head.sex, d.chance(0.95)) {
            (Sex::Male, true) | (Sex::Female, false) => Sex::Female,
            _ => Sex::Male,
        };
        let (family_parts, family) = if head.family_parts.len() == 2 {
            let parts = style.family_parts(d);
            let family = style.family_names(d, &parts);
            (parts, family)
        } else {
            match d.below(100) {
                0..=84 => (head.family_parts.clone(), head.family.clone()),
                85..=96 => {
                    let own = style.surname(d);
                    (vec![own], style.family_names(d, &[own]))
                }
                _ => {
                    let own = style.surname(d);
                    (
                        vec![own],
                        format!("{}-{}", style.family_names(d, &[own]), head.family),
                    )
                }
            }
        };
        return Person {
            given: style.given_names(d, sex),
            family_parts,
            family,
            suffix: generational_suffix(d, sex),
            sex,
            age,
        };
    }
    // Another adult: a relative sharing the surname, or a roommate.
    let sex = if d.chance(0.5) {
        Sex::Male
    } else {
        Sex::Female
    };
    let roommate_style;
    let (family_parts, family, style) = if d.chance(0.6) {
        (head.family_parts.clone(), head.family.clone(), style)
    } else {
        let origin = Origin::draw(d);
        roommate_style = NameStyle::draw(d, origin);
        let parts = roommate_style.family_parts(d);
        let family = roommate_style.family_names(d, &parts);
        (parts, family, &roommate_style)
    };
    Person {
        given: style.given_names(d, sex),
        family_parts,
        family,
        suffix: generational_suffix(d, sex),
        sex,
        age,
    }
}

fn child(
    d: &mut Draw,
    style: &NameStyle,
    people: &[Person],
    named_after_father: &mut bool,
) -> Person {
    let parent_age = people.iter().map(|p| p.age).max().unwrap_or(40);
    // Parents are 18 to 45 years older than their children.
    let age = d.between(parent_age.saturating_sub(45), parent_age.saturating_sub(18));
    let sex = if d.chance(0.51) {
        Sex::Male
    } else {
        Sex::Female
    };
    let father = people.iter().take(2).find(|p| p.sex == Sex::Male);
    let mother = people.iter().take(2).find(|p| p.sex == Sex::Female);
    let (family_parts, family) = match (father, mother) {
        (Some(f), Some(m)) if f.family_parts.len() == 2 && m.family_parts.len() == 2 => {
            let parts: Vec<&'static str> = [f.family_parts.first(), m.family_parts.first()]
                .into_iter()
                .flatten()
                .copied()
                .collect();
            let family = style.family_names(d, &parts);
            (parts, family)
        }
        (Some(f), _) => (f.family_parts.clone(), f.family.clone()),
        _ => (people[0].family_parts.clone(), people[0].family.clone()),
    };
    let mut person = Person {
        given: style.given_names(d, sex),
        family_parts,
        family,
        suffix: "",
        sex,
        age,
    };
    if let Some(f) = father
        && sex == Sex::Male
        && !*named_after_father
        && f.family == person.family
        && d.chance(0.10)
    {
        *named_after_father = true;
        person.given.clone_from(&f.given);
        person.suffix = match f.suffix {
            "JR" | "II" => "III",
            "III" => "IV",
            _ => "JR",
        };
    }
    person
}

/// A date of birth for someone `age` years old on January 1 of [`REFERENCE_YEAR`].
fn date_of_birth(d: &mut Draw, age: u32) -> String {
    let year = REFERENCE_YEAR - 1 - age.min(REFERENCE_YEAR - 1901);
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let total: u32 = month_days.iter().sum();
    let mut day = d.below(u64::from(total)) as u32;
    let mut month = 1;
    for len in month_days {
        if day < len {
            break;
        }
        day -= len;
        month += 1;
    }
    format!("{year:04}-{month:02}-{:02}", day + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::Stream;

    #[test]
    fn dates_of_birth_are_valid_calendar_dates() {
        let mut d = Draw::new(5, Stream::PopulationChunk, 0);
        for age in [0, 1, 25, 26, 80, 124, 200] {
            for _ in 0..400 {
                let dob = date_of_birth(&mut d, age);
                let parts: Vec<u32> = dob.split('-').map(|p| p.parse().unwrap()).collect();
                let [y, m, day] = parts[..] else {
                    panic!("{dob}")
                };
                assert!((1900..REFERENCE_YEAR).contains(&y), "{dob}");
                assert!((1..=12).contains(&m), "{dob}");
                let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
                let max = match m {
                    2 if leap => 29,
                    2 => 28,
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                };
                assert!((1..=max).contains(&day), "{dob}");
            }
        }
    }

    #[test]
    fn households_share_an_address_and_mostly_a_surname() {
        let mut d = Draw::new(6, Stream::PopulationChunk, 0);
        let (mut members, mut same_family) = (0, 0);
        for _ in 0..2_000 {
            let address = Address::draw(&mut d);
            let people = draw_household(&mut d, &address, 8);
            assert!(!people.is_empty());
            let head = &people[0];
            for p in &people {
                assert_eq!(
                    (&p.street, &p.zip, &p.unit),
                    (&head.street, &head.zip, &head.unit)
                );
                assert!(!p.given_names.is_empty() && !p.family_names.is_empty());
                members += 1;
                let head_first = head.family_names.split([' ', '-']).next();
                same_family += usize::from(p.family_names.split([' ', '-']).next() == head_first);
            }
        }
        assert!(same_family * 100 > members * 70, "{same_family}/{members}");
    }
}
