//! Frequency tables embedded as Rust source, and lookups over them.
//!
//! All names, streets and places here are common public words used to draw random,
//! synthetic records; no table row describes a real person.

pub(crate) mod family_names;
pub(crate) mod given_names;
pub(crate) mod nicknames;
pub(crate) mod places;
pub(crate) mod streets;

/// The accented spelling of a plain name token, if the tables know one.
pub(crate) fn accented(plain: &str) -> Option<&'static str> {
    nicknames::ACCENTED
        .iter()
        .find(|(p, _)| *p == plain)
        .map(|(_, a)| *a)
}

/// The full state name for a USPS code, or the code for a full name (either direction).
pub(crate) fn other_state_spelling(state: &str) -> Option<&'static str> {
    let upper = state.trim().to_uppercase();
    places::STATES.iter().find_map(|(code, name)| {
        if *code == upper {
            Some(*name)
        } else if *name == upper {
            Some(*code)
        } else {
            None
        }
    })
}

/// Legal given names that have nicknames, with their nicknames (from
/// [`nicknames::NICKNAMES`]).
pub(crate) fn nicknames_of(legal: &str) -> impl Iterator<Item = &'static str> + '_ {
    nicknames::NICKNAMES
        .iter()
        .filter(move |(_, l)| *l == legal)
        .map(|(nick, _)| *nick)
}

/// Replaces accented letters with their base letter (the accents this crate generates,
/// plus the common Latin-1 and Latin Extended-A ones).
pub(crate) fn strip_accents(text: &str) -> String {
    text.chars().map(base_letter).collect()
}

fn base_letter(c: char) -> char {
    match c {
        'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' | 'Ą' => 'A',
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ą' => 'a',
        'É' | 'È' | 'Ê' | 'Ë' | 'Ę' | 'Ě' => 'E',
        'é' | 'è' | 'ê' | 'ë' | 'ę' | 'ě' => 'e',
        'Í' | 'Ì' | 'Î' | 'Ï' => 'I',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' | 'Ő' => 'O',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ő' => 'o',
        'Ú' | 'Ù' | 'Û' | 'Ü' | 'Ű' | 'Ů' => 'U',
        'ú' | 'ù' | 'û' | 'ü' | 'ű' | 'ů' => 'u',
        'Ñ' | 'Ń' => 'N',
        'ñ' | 'ń' => 'n',
        'Ç' | 'Ć' | 'Č' => 'C',
        'ç' | 'ć' | 'č' => 'c',
        'Ś' | 'Š' => 'S',
        'ś' | 'š' => 's',
        'Ź' | 'Ż' | 'Ž' => 'Z',
        'ź' | 'ż' | 'ž' => 'z',
        'Ł' => 'L',
        'ł' => 'l',
        'Ř' => 'R',
        'ř' => 'r',
        'Ý' => 'Y',
        'ý' => 'y',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_nickname_is_a_drawn_given_name() {
        for (nick, legal) in nicknames::NICKNAMES {
            for table in given_names::ALL {
                for (name, _) in table.iter() {
                    assert!(
                        !name.split(' ').any(|t| t == *nick),
                        "{nick} appears as a given name"
                    );
                }
            }
            assert!(
                nicknames::NICKNAMES.iter().all(|(n, _)| n != legal),
                "{legal} is both a nickname and a legal name"
            );
        }
    }

    #[test]
    fn nicknames_are_unambiguous() {
        for (i, (nick, legal)) in nicknames::NICKNAMES.iter().enumerate() {
            for (other_nick, other_legal) in &nicknames::NICKNAMES[i + 1..] {
                assert!(
                    nick != other_nick || legal == other_legal,
                    "{nick} is ambiguous"
                );
            }
        }
    }

    #[test]
    fn accents_strip_back_to_the_plain_spelling() {
        for (plain, accented) in nicknames::ACCENTED {
            assert_ne!(plain, accented);
            assert_eq!(strip_accents(accented), *plain);
        }
    }

    #[test]
    fn state_spellings_go_both_ways() {
        assert_eq!(other_state_spelling("ma"), Some("MASSACHUSETTS"));
        assert_eq!(other_state_spelling("NEW YORK"), Some("NY"));
        assert_eq!(other_state_spelling("ZZ"), None);
    }
}
