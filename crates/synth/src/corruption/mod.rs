//! Corruptions: the ways a requester's copy of a person differs from the holder's record.
//!
//! Each [`Corruption`] has an eligibility test (a double surname is needed to drop a
//! part of it) and a rate in the [`CorruptionProfile`]: the probability that it is applied
//! to an eligible record. Corruptions are tried in [`Corruption::ALL`] order and only
//! recorded when they changed the record.

mod address;
mod name;
mod style;
mod table;

pub use table::profile_rates_markdown;

use std::fmt;
use std::str::FromStr;

use crate::draw::Draw;
use crate::record::SynthRecord;

/// One kind of difference between a requested record and the holder's record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Corruption {
    /// The person has moved: street, unit, city, state and ZIP are a different address
    /// (40% of moves stay in the same city).
    MovedAddress,
    /// The unit (APT 4B, #12, STE 200) is left out.
    UnitMissing,
    /// The generational suffix (JR, SR, II, III, IV) is left out.
    SuffixDropped,
    /// Only the first of several surnames is kept (GARCIA LOPEZ -> GARCIA).
    SurnamePartDropped,
    /// Only the first given name is kept (MARIA GUADALUPE -> MARIA).
    MiddleNameDropped,
    /// The first given name is replaced by a nickname (WILLIAM -> BILL, JOSE -> PEPE).
    Nickname,
    /// One character substituted (keyboard neighbour), deleted, or two transposed, in the
    /// first given name or the first surname.
    Typo,
    /// Given names and family names swapped.
    NameOrderSwapped,
    /// Street suffix, directional, unit designator, ordinal or state spelled the other
    /// way (STREET/ST, NORTH/N, APARTMENT/APT, FIRST/1ST, MASSACHUSETTS/MA).
    Abbreviation,
    /// ZIP written differently: ZIP+4 added or dropped, leading zeros lost or restored.
    ZipFormat,
    /// Date of birth unknown.
    DobMissing,
    /// Letter case, accents (JOSÉ/JOSE) or punctuation (GARCIA-LOPEZ, O'BRIEN/OBRIEN,
    /// ST./ST, P.O. BOX) differ.
    CaseAccentsPunctuation,
}

impl Corruption {
    /// Every corruption, in the order they are applied.
    pub const ALL: [Corruption; 12] = [
        Corruption::MovedAddress,
        Corruption::UnitMissing,
        Corruption::SuffixDropped,
        Corruption::SurnamePartDropped,
        Corruption::MiddleNameDropped,
        Corruption::Nickname,
        Corruption::Typo,
        Corruption::NameOrderSwapped,
        Corruption::Abbreviation,
        Corruption::ZipFormat,
        Corruption::DobMissing,
        Corruption::CaseAccentsPunctuation,
    ];

    /// The name used in the ground-truth file (`moved_address`, `typo`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Corruption::MovedAddress => "moved_address",
            Corruption::UnitMissing => "unit_missing",
            Corruption::SuffixDropped => "suffix_dropped",
            Corruption::SurnamePartDropped => "surname_part_dropped",
            Corruption::MiddleNameDropped => "middle_name_dropped",
            Corruption::Nickname => "nickname",
            Corruption::Typo => "typo",
            Corruption::NameOrderSwapped => "name_order_swapped",
            Corruption::Abbreviation => "abbreviation",
            Corruption::ZipFormat => "zip_format",
            Corruption::DobMissing => "dob_missing",
            Corruption::CaseAccentsPunctuation => "case_accents_punctuation",
        }
    }

    /// Whether this corruption can change `record` (it has a unit to drop, a double
    /// surname to shorten, a nickname for its first given name, ...).
    pub fn is_eligible(self, record: &SynthRecord) -> bool {
        match self {
            Corruption::MovedAddress => true,
            Corruption::UnitMissing => address::has_unit(record),
            Corruption::SuffixDropped => name::has_suffix(record),
            Corruption::SurnamePartDropped => name::surname_groups(&record.family_names).len() >= 2,
            Corruption::MiddleNameDropped => record.given_names.split_whitespace().nth(1).is_some(),
            Corruption::Nickname => name::nickname_target(record).is_some(),
            Corruption::Typo => name::typo_eligible(record),
            Corruption::NameOrderSwapped => {
                !record.given_names.trim().is_empty()
                    && !record.family_names.trim().is_empty()
                    && record.given_names != record.family_names
            }
            Corruption::Abbreviation => address::abbreviation_eligible(record),
            Corruption::ZipFormat => record.zip.chars().any(|c| c.is_ascii_digit()),
            Corruption::DobMissing => record.dob.is_some(),
            Corruption::CaseAccentsPunctuation => style::has_letters(record),
        }
    }

    /// Applies this corruption to `record`; returns whether the record changed.
    fn apply(self, record: &mut SynthRecord, d: &mut Draw) -> bool {
        match self {
            Corruption::MovedAddress => address::move_away(record, d),
            Corruption::UnitMissing => address::drop_unit(record),
            Corruption::SuffixDropped => name::drop_suffix(record),
            Corruption::SurnamePartDropped => name::drop_surname_part(record),
            Corruption::MiddleNameDropped => name::drop_middle_names(record),
            Corruption::Nickname => name::use_nickname(record, d),
            Corruption::Typo => name::typo(record, d),
            Corruption::NameOrderSwapped => {
                std::mem::swap(&mut record.given_names, &mut record.family_names);
                true
            }
            Corruption::Abbreviation => address::flip_abbreviations(record, d),
            Corruption::ZipFormat => address::reformat_zip(record, d),
            Corruption::DobMissing => record.dob.take().is_some(),
            Corruption::CaseAccentsPunctuation => style::restyle(record, d),
        }
    }
}

impl fmt::Display for Corruption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A corruption name that is not one of [`Corruption::ALL`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown corruption {0:?}")]
pub struct UnknownCorruption(pub String);

impl FromStr for Corruption {
    type Err = UnknownCorruption;

    fn from_str(s: &str) -> Result<Corruption, UnknownCorruption> {
        Corruption::ALL
            .into_iter()
            .find(|c| c.name() == s)
            .ok_or_else(|| UnknownCorruption(s.to_owned()))
    }
}

/// Probabilities, per eligible record, of each corruption. See the crate documentation
/// for the three named profiles.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CorruptionProfile {
    /// Rate of [`Corruption::MovedAddress`].
    pub moved_address: f64,
    /// Rate of [`Corruption::UnitMissing`] among records with a unit.
    pub unit_missing: f64,
    /// Rate of [`Corruption::SuffixDropped`] among records with a generational suffix.
    pub suffix_dropped: f64,
    /// Rate of [`Corruption::SurnamePartDropped`] among records with several surnames.
    pub surname_part_dropped: f64,
    /// Rate of [`Corruption::MiddleNameDropped`] among records with several given names.
    pub middle_name_dropped: f64,
    /// Rate of [`Corruption::Nickname`] among records whose first name has a nickname.
    pub nickname: f64,
    /// Rate of [`Corruption::Typo`].
    pub typo: f64,
    /// Rate of [`Corruption::NameOrderSwapped`].
    pub name_order_swapped: f64,
    /// Rate of [`Corruption::Abbreviation`].
    pub abbreviation: f64,
    /// Rate of [`Corruption::ZipFormat`].
    pub zip_format: f64,
    /// Rate of [`Corruption::DobMissing`] among records with a date of birth.
    pub dob_missing: f64,
    /// Rate of [`Corruption::CaseAccentsPunctuation`].
    pub case_accents_punctuation: f64,
}

impl CorruptionProfile {
    /// No corruption: present people are requested exactly as the holder has them.
    pub const CLEAN: CorruptionProfile = CorruptionProfile {
        moved_address: 0.0,
        unit_missing: 0.0,
        suffix_dropped: 0.0,
        surname_part_dropped: 0.0,
        middle_name_dropped: 0.0,
        nickname: 0.0,
        typo: 0.0,
        name_order_swapped: 0.0,
        abbreviation: 0.0,
        zip_format: 0.0,
        dob_missing: 0.0,
        case_accents_punctuation: 0.0,
    };

    /// The default: what an agency's list typed from case files tends to look like.
    pub const REALISTIC: CorruptionProfile = CorruptionProfile {
        moved_address: 0.05,
        unit_missing: 0.25,
        suffix_dropped: 0.40,
        surname_part_dropped: 0.35,
        middle_name_dropped: 0.30,
        nickname: 0.15,
        typo: 0.08,
        name_order_swapped: 0.03,
        abbreviation: 0.40,
        zip_format: 0.10,
        dob_missing: 0.15,
        case_accents_punctuation: 0.30,
    };

    /// A stress test for normalization and the weaker match rules.
    pub const HARD: CorruptionProfile = CorruptionProfile {
        moved_address: 0.20,
        unit_missing: 0.50,
        suffix_dropped: 0.70,
        surname_part_dropped: 0.60,
        middle_name_dropped: 0.60,
        nickname: 0.35,
        typo: 0.20,
        name_order_swapped: 0.10,
        abbreviation: 0.80,
        zip_format: 0.30,
        dob_missing: 0.40,
        case_accents_punctuation: 0.70,
    };

    /// The profile called `name` (`clean`, `realistic`, `hard`).
    pub fn named(name: &str) -> Option<CorruptionProfile> {
        match name {
            "clean" => Some(CorruptionProfile::CLEAN),
            "realistic" => Some(CorruptionProfile::REALISTIC),
            "hard" => Some(CorruptionProfile::HARD),
            _ => None,
        }
    }

    /// The rate of `corruption` in this profile.
    pub fn rate(&self, corruption: Corruption) -> f64 {
        match corruption {
            Corruption::MovedAddress => self.moved_address,
            Corruption::UnitMissing => self.unit_missing,
            Corruption::SuffixDropped => self.suffix_dropped,
            Corruption::SurnamePartDropped => self.surname_part_dropped,
            Corruption::MiddleNameDropped => self.middle_name_dropped,
            Corruption::Nickname => self.nickname,
            Corruption::Typo => self.typo,
            Corruption::NameOrderSwapped => self.name_order_swapped,
            Corruption::Abbreviation => self.abbreviation,
            Corruption::ZipFormat => self.zip_format,
            Corruption::DobMissing => self.dob_missing,
            Corruption::CaseAccentsPunctuation => self.case_accents_punctuation,
        }
    }

    /// The first corruption whose rate is not a probability (NaN, negative, above 1).
    pub fn invalid_rate(&self) -> Option<(Corruption, f64)> {
        Corruption::ALL
            .into_iter()
            .map(|c| (c, self.rate(c)))
            .find(|(_, r)| !(0.0..=1.0).contains(r))
    }
}

impl Default for CorruptionProfile {
    fn default() -> CorruptionProfile {
        CorruptionProfile::REALISTIC
    }
}

/// Applies `profile` to `record` in [`Corruption::ALL`] order, skipping
/// [`Corruption::MovedAddress`] unless `allow_move`; returns what changed.
///
/// Every corruption's coin is drawn whether or not it is eligible, so one corruption's
/// eligibility does not shift the random choices of the others.
pub(crate) fn corrupt(
    record: &mut SynthRecord,
    profile: &CorruptionProfile,
    allow_move: bool,
    d: &mut Draw,
) -> Vec<Corruption> {
    let mut applied = Vec::new();
    for corruption in Corruption::ALL {
        let hit = d.chance(profile.rate(corruption));
        if !hit || (corruption == Corruption::MovedAddress && !allow_move) {
            continue;
        }
        if corruption.is_eligible(record) && corruption.apply(record, d) {
            applied.push(corruption);
        }
    }
    applied
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Corruption::ALL {
            assert_eq!(c.name().parse::<Corruption>(), Ok(c));
        }
        assert!("teleported".parse::<Corruption>().is_err());
    }

    #[test]
    fn named_profiles_are_valid() {
        for name in ["clean", "realistic", "hard"] {
            let p = CorruptionProfile::named(name).unwrap();
            assert_eq!(p.invalid_rate(), None);
        }
        assert_eq!(CorruptionProfile::named("medium"), None);
        let bad = CorruptionProfile {
            typo: 1.5,
            ..CorruptionProfile::CLEAN
        };
        assert_eq!(bad.invalid_rate(), Some((Corruption::Typo, 1.5)));
        let nan = CorruptionProfile {
            nickname: f64::NAN,
            ..CorruptionProfile::CLEAN
        };
        assert_eq!(nan.invalid_rate().map(|x| x.0), Some(Corruption::Nickname));
    }
}
