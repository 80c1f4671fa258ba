//! Drawing names: origin, given names with middle names, and surnames.
//!
//! A household first draws an [`Origin`] (shares shaped like the US population); the
//! origin picks the name tables. Rendering then adds what real files show: compound
//! Hispanic given names and double surnames, Vietnamese VAN/THI middle names, Korean
//! given names written joined, spaced or hyphenated, English given names among Asian
//! Americans, middle initials, and accented spellings for some people.

use std::sync::LazyLock;

use crate::draw::{Draw, Weighted};
use crate::tables::{accented, family_names as fam, given_names as giv};

/// Sex, used only to pick a given-name table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sex {
    Male,
    Female,
}

/// Where a household's names come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    General,
    Hispanic,
    Vietnamese,
    Chinese,
    Korean,
    Arabic,
    EasternEuropean,
    SouthAsian,
}

const ORIGINS: [(Origin, u32); 8] = [
    (Origin::General, 660),
    (Origin::Hispanic, 190),
    (Origin::Vietnamese, 20),
    (Origin::Chinese, 20),
    (Origin::Korean, 10),
    (Origin::Arabic, 15),
    (Origin::EasternEuropean, 30),
    (Origin::SouthAsian, 20),
];

type NameTable = Weighted<(&'static str, u32)>;

struct OriginTables {
    male: NameTable,
    female: NameTable,
    family: NameTable,
}

fn tables(
    male: &'static [(&'static str, u32)],
    female: &'static [(&'static str, u32)],
    family: &'static [(&'static str, u32)],
) -> OriginTables {
    OriginTables {
        male: Weighted::new(male, |r| r.1),
        female: Weighted::new(female, |r| r.1),
        family: Weighted::new(family, |r| r.1),
    }
}

static ORIGIN_TABLE: LazyLock<Weighted<(Origin, u32)>> =
    LazyLock::new(|| Weighted::new(&ORIGINS, |r| r.1));

static TABLES: LazyLock<[OriginTables; 8]> = LazyLock::new(|| {
    [
        tables(giv::GENERAL_MALE, giv::GENERAL_FEMALE, fam::GENERAL),
        tables(giv::HISPANIC_MALE, giv::HISPANIC_FEMALE, fam::HISPANIC),
        tables(
            giv::VIETNAMESE_MALE,
            giv::VIETNAMESE_FEMALE,
            fam::VIETNAMESE,
        ),
        tables(giv::CHINESE_MALE, giv::CHINESE_FEMALE, fam::CHINESE),
        tables(giv::KOREAN_MALE, giv::KOREAN_FEMALE, fam::KOREAN),
        tables(giv::ARABIC_MALE, giv::ARABIC_FEMALE, fam::ARABIC),
        tables(
            giv::EASTERN_EUROPEAN_MALE,
            giv::EASTERN_EUROPEAN_FEMALE,
            fam::EASTERN_EUROPEAN,
        ),
        tables(
            giv::SOUTH_ASIAN_MALE,
            giv::SOUTH_ASIAN_FEMALE,
            fam::SOUTH_ASIAN,
        ),
    ]
});

impl Origin {
    /// Draws an origin with US-like shares.
    pub(crate) fn draw(d: &mut Draw) -> Origin {
        ORIGIN_TABLE.draw(d, (Origin::General, 0)).0
    }

    fn tables(self) -> &'static OriginTables {
        &TABLES[self as usize]
    }

    /// Probability that a person of this origin writes accents in the source file.
    fn accent_rate(self) -> f64 {
        match self {
            Origin::Hispanic => 0.18,
            Origin::EasternEuropean => 0.12,
            Origin::General => 0.02,
            _ => 0.0,
        }
    }
}

fn draw_given_token(d: &mut Draw, origin: Origin, sex: Sex) -> &'static str {
    let t = origin.tables();
    let table = match sex {
        Sex::Male => &t.male,
        Sex::Female => &t.female,
    };
    table.draw(d, ("JAMIE", 0)).0
}

/// How a household writes names; shared by its members.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NameStyle {
    pub(crate) origin: Origin,
    accents: bool,
    joiner: &'static str,
}

impl NameStyle {
    /// Draws a style for `origin`.
    pub(crate) fn draw(d: &mut Draw, origin: Origin) -> NameStyle {
        let accents = d.chance(origin.accent_rate());
        let joiner = match d.below(10) {
            0..=4 => " ",
            5..=8 => "",
            _ => "-",
        };
        NameStyle {
            origin,
            accents,
            joiner,
        }
    }

    fn finish<S: AsRef<str>>(&self, tokens: &[S]) -> String {
        let words: Vec<&str> = tokens
            .iter()
            .map(|t| {
                let t = t.as_ref();
                match (self.accents, accented(t)) {
                    (true, Some(a)) => a,
                    _ => t,
                }
            })
            .collect();
        words.join(" ")
    }

    /// Splits or joins a two-syllable East Asian given name per this style.
    fn syllables(&self, name: &str, out: &mut Vec<String>) {
        if self.joiner == " " || !name.contains(' ') {
            out.extend(name.split(' ').map(str::to_owned));
        } else {
            out.push(name.split(' ').collect::<Vec<_>>().join(self.joiner));
        }
    }

    /// Draws all given names of one person.
    pub(crate) fn given_names(&self, d: &mut Draw, sex: Sex) -> String {
        let origin = self.origin;
        let mut tokens: Vec<String> = Vec::with_capacity(3);
        let east_asian = matches!(
            origin,
            Origin::Vietnamese | Origin::Chinese | Origin::Korean
        );
        if east_asian && d.chance(0.35) {
            // An English given name, often with the heritage name as middle name.
            tokens.push(draw_given_token(d, Origin::General, sex).to_owned());
            if d.chance(0.4) {
                let heritage = draw_given_token(d, origin, sex);
                self.syllables(heritage, &mut tokens);
            }
            return self.finish(&tokens);
        }
        let name_origin = if origin == Origin::Hispanic && d.chance(0.10) {
            Origin::General
        } else {
            origin
        };
        let first = draw_given_token(d, name_origin, sex);
        if east_asian {
            self.syllables(first, &mut tokens);
        } else {
            tokens.extend(first.split(' ').map(str::to_owned));
        }
        if origin == Origin::Vietnamese {
            if d.chance(0.55) {
                tokens.push(
                    match sex {
                        Sex::Male => giv::VIETNAMESE_MIDDLE_MALE,
                        Sex::Female => giv::VIETNAMESE_MIDDLE_FEMALE,
                    }
                    .to_owned(),
                );
            }
            return self.finish(&tokens);
        }
        let middle_rate = match origin {
            Origin::General => 0.65,
            Origin::Hispanic if tokens.len() == 1 => 0.30,
            Origin::Arabic | Origin::SouthAsian => 0.30,
            Origin::EasternEuropean => 0.20,
            Origin::Chinese => 0.10,
            _ => 0.0,
        };
        if d.chance(middle_rate) {
            // Arabic middle names are usually the father's given name.
            let middle_sex = if origin == Origin::Arabic {
                Sex::Male
            } else {
                sex
            };
            let mut middle = draw_given_token(d, name_origin, middle_sex);
            if tokens.first().map(String::as_str) == Some(middle) {
                middle = draw_given_token(d, name_origin, middle_sex);
            }
            let word = middle.split(' ').next().unwrap_or(middle);
            if name_origin == Origin::General && d.chance(0.15) {
                tokens.push(word.get(..1).unwrap_or("A").to_owned());
            } else {
                tokens.push(word.to_owned());
            }
        }
        self.finish(&tokens)
    }

    /// Draws one surname (a single family name, possibly with particles).
    pub(crate) fn surname(&self, d: &mut Draw) -> &'static str {
        self.origin.tables().family.draw(d, ("SMITH", 0)).0
    }

    /// Draws a household's family-name parts: one surname, or two for a share of
    /// Hispanic households.
    pub(crate) fn family_parts(&self, d: &mut Draw) -> Vec<&'static str> {
        let first = self.surname(d);
        if self.origin == Origin::Hispanic && d.chance(0.40) {
            let mut second = self.surname(d);
            if second == first {
                second = self.surname(d);
            }
            vec![first, second]
        } else {
            vec![first]
        }
    }

    /// Renders family-name parts: "GARCIA LOPEZ", sometimes "GARCIA-LOPEZ".
    pub(crate) fn family_names(&self, d: &mut Draw, parts: &[&str]) -> String {
        let joined = self.finish(parts);
        if parts.len() == 2 && d.chance(0.08) {
            // Only join the two surnames, not spaces inside a particle surname.
            let a = self.finish(&parts[..1]);
            let b = self.finish(&parts[1..]);
            return format!("{a}-{b}");
        }
        joined
    }
}
