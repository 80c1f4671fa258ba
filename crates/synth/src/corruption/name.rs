//! Name corruptions: dropped suffixes, surname parts and middle names, nicknames, typos.

use crate::draw::Draw;
use crate::record::SynthRecord;
use crate::tables::{nicknames_of, strip_accents};

const GENERATIONAL: [&str; 5] = ["JR", "SR", "II", "III", "IV"];

/// Surname particles that belong to the following word ("DE LA CRUZ", "VAN DYKE",
/// "AL SAYED"), so that "DE LA CRUZ" is one surname, not three.
const PARTICLES: [&str; 18] = [
    "DE", "DEL", "LA", "LAS", "LOS", "VAN", "VON", "DER", "DEN", "DA", "DOS", "DI", "AL", "EL",
    "ABDEL", "ABDUL", "BIN", "SAN",
];

fn is_generational(word: &str) -> bool {
    GENERATIONAL.contains(&word.trim_end_matches('.').to_uppercase().as_str())
}

fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word.to_uppercase().as_str())
}

/// The family-name field split into surnames, particles attached to what follows and a
/// trailing generational suffix left out. "GARCIA-LOPEZ JR" gives ["GARCIA", "LOPEZ"];
/// "AL-SAYED" and "DE LA CRUZ" are one surname each.
pub(super) fn surname_groups(family: &str) -> Vec<String> {
    let mut words: Vec<&str> = Vec::new();
    for word in family.split_whitespace() {
        match word.split_once('-') {
            Some((head, _)) if is_particle(head) => words.push(word),
            _ => words.extend(word.split('-').filter(|w| !w.is_empty())),
        }
    }
    if words.len() > 1 && words.last().is_some_and(|w| is_generational(w)) {
        words.pop();
    }
    let mut groups: Vec<String> = Vec::new();
    let mut pending = String::new();
    for word in words {
        if !pending.is_empty() {
            pending.push(' ');
        }
        pending.push_str(word);
        if !is_particle(word) {
            groups.push(std::mem::take(&mut pending));
        }
    }
    if !pending.is_empty() {
        groups.push(pending);
    }
    groups
}

pub(super) fn has_suffix(record: &SynthRecord) -> bool {
    !record.suffix.trim().is_empty() || trailing_suffix(&record.family_names).is_some()
}

/// The family names without a trailing generational suffix word, if there is one.
fn trailing_suffix(family: &str) -> Option<&str> {
    let (rest, last) = family.trim_end().rsplit_once(' ')?;
    is_generational(last).then_some(rest.trim_end())
}

pub(super) fn drop_suffix(record: &mut SynthRecord) -> bool {
    let mut changed = false;
    if !record.suffix.is_empty() {
        record.suffix.clear();
        changed = true;
    }
    if let Some(rest) = trailing_suffix(&record.family_names) {
        record.family_names = rest.to_owned();
        changed = true;
    }
    changed
}

pub(super) fn drop_surname_part(record: &mut SynthRecord) -> bool {
    let groups = surname_groups(&record.family_names);
    let Some(first) = groups.first().filter(|_| groups.len() >= 2) else {
        return false;
    };
    let mut kept = first.clone();
    if let Some(last) = record.family_names.split_whitespace().last()
        && is_generational(last)
    {
        kept.push(' ');
        kept.push_str(last);
    }
    record.family_names = kept;
    true
}

pub(super) fn drop_middle_names(record: &mut SynthRecord) -> bool {
    let mut words = record.given_names.split_whitespace();
    match (words.next(), words.next()) {
        (Some(first), Some(_)) => {
            record.given_names = first.to_owned();
            true
        }
        _ => false,
    }
}

/// The legal first given name (accents stripped, uppercase) if it has nicknames.
pub(super) fn nickname_target(record: &SynthRecord) -> Option<String> {
    let first = record.given_names.split_whitespace().next()?;
    let legal = strip_accents(first).to_uppercase();
    let has_nickname = nicknames_of(&legal).next().is_some();
    has_nickname.then_some(legal)
}

pub(super) fn use_nickname(record: &mut SynthRecord, d: &mut Draw) -> bool {
    let Some(legal) = nickname_target(record) else {
        return false;
    };
    let nicknames: Vec<&str> = nicknames_of(&legal).collect();
    let nickname = d.pick(&nicknames, "");
    if nickname.is_empty() {
        return false;
    }
    let rest: Vec<&str> = record.given_names.split_whitespace().skip(1).collect();
    let mut given = nickname.to_owned();
    for word in rest {
        given.push(' ');
        given.push_str(word);
    }
    record.given_names = given;
    true
}

fn letters(word: &str) -> usize {
    word.chars().filter(|c| c.is_alphabetic()).count()
}

fn first_word(text: &str) -> Option<&str> {
    text.split_whitespace().next()
}

pub(super) fn typo_eligible(record: &SynthRecord) -> bool {
    let given = first_word(&record.given_names).is_some_and(|w| letters(w) >= 2);
    let family = first_word(&record.family_names).is_some_and(|w| letters(w) >= 2);
    given || family
}

/// One-character substitution, deletion or transposition in the first given name or the
/// first family-name word.
pub(super) fn typo(record: &mut SynthRecord, d: &mut Draw) -> bool {
    let given_ok = first_word(&record.given_names).is_some_and(|w| letters(w) >= 2);
    let family_ok = first_word(&record.family_names).is_some_and(|w| letters(w) >= 2);
    let field = match (given_ok, family_ok) {
        (true, true) if d.chance(0.5) => &mut record.given_names,
        (true, _) => &mut record.given_names,
        (false, true) => &mut record.family_names,
        (false, false) => return false,
    };
    let Some(word) = first_word(field) else {
        return false;
    };
    let mut chars: Vec<char> = word.chars().collect();
    let changed = mistype(&mut chars, d);
    let rest = field.trim_start()[word.len()..].to_owned();
    *field = chars.into_iter().collect::<String>() + &rest;
    changed
}

fn mistype(chars: &mut Vec<char>, d: &mut Draw) -> bool {
    let len = chars.len();
    if len < 2 {
        return false;
    }
    // Typos rarely hit the first letter.
    let pos = if d.chance(0.2) {
        0
    } else {
        1 + d.index(len - 1)
    };
    let before = chars.clone();
    match d.below(3) {
        0 if len >= 3 => {
            chars.remove(pos);
        }
        1 => {
            let i = pos.min(len - 2);
            chars.swap(i, i + 1);
        }
        _ => substitute(chars, pos, d),
    }
    if *chars == before {
        substitute(chars, pos, d);
    }
    *chars != before
}

fn substitute(chars: &mut [char], pos: usize, d: &mut Draw) {
    let Some(old) = chars.get(pos).copied() else {
        return;
    };
    let upper = old.to_ascii_uppercase();
    let neighbours = keyboard_neighbours(upper);
    let mut new = d.pick(neighbours.as_bytes(), b'E') as char;
    if new == upper {
        new = if upper == 'E' { 'A' } else { 'E' };
    }
    if old.is_lowercase() {
        new = new.to_ascii_lowercase();
    }
    if let Some(slot) = chars.get_mut(pos) {
        *slot = new;
    }
}

/// Letters next to `c` on a QWERTY keyboard (vowels for anything else).
#[rustfmt::skip]
fn keyboard_neighbours(c: char) -> &'static str {
    match c {
        'Q' => "WAS", 'W' => "QESA", 'E' => "WRDS", 'R' => "ETFD", 'T' => "RYGF",
        'Y' => "TUHG", 'U' => "YIJH", 'I' => "UOKJ", 'O' => "IPLK", 'P' => "OL",
        'A' => "QWSZ", 'S' => "AWEDXZ", 'D' => "SERFCX", 'F' => "DRTGVC", 'G' => "FTYHBV",
        'H' => "GYUJNB", 'J' => "HUIKMN", 'K' => "JIOLM", 'L' => "KOP", 'Z' => "ASX",
        'X' => "ZSDC", 'C' => "XDFV", 'V' => "CFGB", 'B' => "VGHN", 'N' => "BHJM",
        'M' => "NJK",
        _ => "AEIOU",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::Stream;

    fn rec(given: &str, family: &str) -> SynthRecord {
        SynthRecord {
            given_names: given.into(),
            family_names: family.into(),
            ..SynthRecord::default()
        }
    }

    #[test]
    fn surname_groups_respect_particles_and_suffixes() {
        assert_eq!(surname_groups("GARCIA LOPEZ"), ["GARCIA", "LOPEZ"]);
        assert_eq!(surname_groups("GARCIA-LOPEZ JR"), ["GARCIA", "LOPEZ"]);
        assert_eq!(surname_groups("DE LA CRUZ"), ["DE LA CRUZ"]);
        assert_eq!(
            surname_groups("GARCIA DE LA CRUZ"),
            ["GARCIA", "DE LA CRUZ"]
        );
        assert_eq!(surname_groups("AL-SAYED"), ["AL-SAYED"]);
        assert_eq!(surname_groups("VAN DER BERG"), ["VAN DER BERG"]);
        assert_eq!(surname_groups("SMITH JR"), ["SMITH"]);
    }

    #[test]
    fn drops_keep_the_first_part() {
        let mut r = rec("MARIA GUADALUPE", "GARCIA LOPEZ JR");
        assert!(drop_surname_part(&mut r));
        assert_eq!(r.family_names, "GARCIA JR");
        assert!(drop_suffix(&mut r));
        assert_eq!(r.family_names, "GARCIA");
        assert!(!drop_suffix(&mut r));
        assert!(drop_middle_names(&mut r));
        assert_eq!(r.given_names, "MARIA");
        assert!(!drop_middle_names(&mut r));
    }

    #[test]
    fn nicknames_replace_the_first_given_name() {
        let mut d = Draw::new(1, Stream::RequestRow, 0);
        let mut r = rec("JOSÉ LUIS", "MUÑOZ");
        assert!(use_nickname(&mut r, &mut d));
        assert!(
            ["PEPE LUIS", "CHEPE LUIS"].contains(&r.given_names.as_str()),
            "{r:?}"
        );
        let mut r = rec("ZELDA", "SMITH");
        assert!(!use_nickname(&mut r, &mut d));
    }

    #[test]
    fn typos_change_exactly_one_word_by_one_edit() {
        let mut d = Draw::new(2, Stream::RequestRow, 0);
        for _ in 0..500 {
            let mut r = rec("ANNA MARIE", "NGUYEN");
            assert!(typo(&mut r, &mut d));
            let given_changed = r.given_names != "ANNA MARIE";
            let family_changed = r.family_names != "NGUYEN";
            assert!(given_changed ^ family_changed, "{r:?}");
            if given_changed {
                assert!(r.given_names.ends_with(" MARIE"));
            }
        }
    }
}
