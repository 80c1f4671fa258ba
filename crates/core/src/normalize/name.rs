//! Person names: null markers, honorifics, generational suffixes, post-nominals, surname
//! particles, Hispanic double surnames and nicknames.
//!
//! Given names: leading honorifics dropped (and a leading `SR`, read as "Señor"), null
//! tokens (`NMN`, `FNU`, ...) dropped, generational suffixes after the first token taken
//! out (not `V`, which is more often a middle initial), trailing post-nominals dropped.
//!
//! Family names: a leading honorific dropped when a name follows, null tokens dropped,
//! generational suffixes after the first token taken out (`V` included), trailing
//! post-nominals dropped, `Y`/`E` between two surnames dropped (`GARCIA Y LOPEZ`), and
//! particles joined to the word after them (`VAN DER BERG` -> `VANDERBERG`,
//! `DE LA CRUZ` -> `DELACRUZ`, `MC DONALD` -> `MCDONALD`, `SAINT JOHN` -> `STJOHN`).
//! What remains is one token per surname: `GARCIA LOPEZ` and `GARCIA-LOPEZ` both give
//! `[GARCIA, LOPEZ]`.

use super::Suffix;
use super::tables::name_words::{
    is_honorific, is_null_phrase, is_null_token, is_post_nominal, is_surname_connector,
    surname_particle,
};
use super::tables::nicknames::formal_given_name;
use super::text::{Mode, fold_into};

/// The name parts of one record after cleaning.
#[derive(Debug, Default)]
pub(crate) struct ParsedName {
    pub(crate) given: Vec<String>,
    pub(crate) family: Vec<String>,
    pub(crate) suffix: Option<Suffix>,
}

/// Parses the given-names, family-names and suffix columns. `buf` is scratch space.
pub(crate) fn parse_name(
    given: &str,
    family: &str,
    suffix_col: &str,
    buf: &mut String,
) -> ParsedName {
    fold_into(suffix_col, Mode::Text, buf);
    let column_suffix = buf.split(' ').find_map(Suffix::from_token);

    let mut family_suffix = None;
    fold_into(family, Mode::Text, buf);
    let family = clean_family(&tokens(buf), &mut family_suffix);

    let mut given_suffix = None;
    fold_into(given, Mode::Text, buf);
    let given = clean_given(&tokens(buf), &mut given_suffix);

    ParsedName {
        given,
        family,
        suffix: column_suffix.or(family_suffix).or(given_suffix),
    }
}

/// The tokens of a folded field, or none when the whole field is a null marker.
fn tokens(folded: &str) -> Vec<&str> {
    let tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    if is_null_phrase(&tokens) {
        Vec::new()
    } else {
        tokens
    }
}

fn clean_given(tokens: &[&str], suffix: &mut Option<Suffix>) -> Vec<String> {
    let start = tokens
        .iter()
        .position(|t| !is_honorific(t) && *t != "SR")
        .unwrap_or(tokens.len());
    let mut kept: Vec<&str> = Vec::with_capacity(tokens.len());
    for &t in tokens.get(start..).unwrap_or_default() {
        if is_null_token(t) {
            continue;
        }
        if !kept.is_empty()
            && let Some(s) = Suffix::from_unambiguous_token(t)
        {
            suffix.get_or_insert(s);
            continue;
        }
        kept.push(t);
    }
    drop_trailing_post_nominals(&mut kept);
    kept.into_iter().map(str::to_owned).collect()
}

fn clean_family(tokens: &[&str], suffix: &mut Option<Suffix>) -> Vec<String> {
    let mut start = 0;
    while tokens.len() > start + 1 && tokens.get(start).is_some_and(|t| is_honorific(t)) {
        start += 1;
    }
    let mut kept: Vec<&str> = Vec::with_capacity(tokens.len());
    for &t in tokens.get(start..).unwrap_or_default() {
        if is_null_token(t) {
            continue;
        }
        if !kept.is_empty()
            && let Some(s) = Suffix::from_token(t)
        {
            suffix.get_or_insert(s);
            continue;
        }
        kept.push(t);
    }
    drop_trailing_post_nominals(&mut kept);
    let last = kept.len().saturating_sub(1);
    let mut i = 0;
    kept.retain(|t| {
        let inner = i > 0 && i < last;
        i += 1;
        !(inner && is_surname_connector(t))
    });
    join_particles(&kept)
}

fn drop_trailing_post_nominals(kept: &mut Vec<&str>) {
    while kept.len() > 1 && kept.last().is_some_and(|t| is_post_nominal(t)) {
        kept.pop();
    }
}

/// Joins each run of particles to the word after it; a run at the very end stays one
/// token of its own.
fn join_particles(tokens: &[&str]) -> Vec<String> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut prefix = String::new();
    for (i, &t) in tokens.iter().enumerate() {
        let is_last = i + 1 == tokens.len();
        match surname_particle(t) {
            Some(p) if !is_last => prefix.push_str(p),
            _ if prefix.is_empty() => out.push(t.to_owned()),
            _ => {
                prefix.push_str(t);
                out.push(std::mem::take(&mut prefix));
            }
        }
    }
    if !prefix.is_empty() {
        out.push(prefix);
    }
    out
}

/// The first given name that is not an initial (two characters or more). Keys are never
/// built on initials: `J SMITH` at an address could be any relative.
pub(crate) fn first_given(given: &[String]) -> Option<&str> {
    given.iter().map(String::as_str).find(|g| g.len() >= 2)
}

/// The nickname-canonical form of a first given name (`PEGGY` -> `MARGARET`), or the
/// name itself when it is not a listed nickname.
pub(crate) fn canonical_given(first: &str) -> String {
    formal_given_name(first).unwrap_or(first).to_owned()
}

/// Surname variants, deduplicated in this order: the full surname (all family names
/// concatenated without separator, `GARCIALOPEZ`, so that `GARCIA LOPEZ`, `GARCIA-LOPEZ`,
/// `GARCIA Y LOPEZ` and `GARCIALOPEZ` agree), the first surname, the last surname.
pub(crate) fn surname_variants(family: &[String]) -> Vec<String> {
    let (Some(first), Some(last)) = (family.first(), family.last()) else {
        return Vec::new();
    };
    let mut out = vec![family.concat()];
    for part in [first, last] {
        if !out.contains(part) {
            out.push(part.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(given: &str, family: &str, suffix: &str) -> ParsedName {
        parse_name(given, family, suffix, &mut String::new())
    }

    #[test]
    fn particles_join_forward_and_trailing_particle_stays() {
        let p = parse("", "van der Berg", "");
        assert_eq!(p.family, ["VANDERBERG"]);
        assert_eq!(
            parse("", "Garcia de la Cruz", "").family,
            ["GARCIA", "DELACRUZ"]
        );
        assert_eq!(parse("", "Le", "").family, ["LE"]);
        assert_eq!(parse("", "Nguyen Le", "").family, ["NGUYEN", "LE"]);
    }

    #[test]
    fn suffix_precedence_column_then_family_then_given() {
        assert_eq!(
            parse("John Jr", "Smith Sr", "III").suffix,
            Some(Suffix::Third)
        );
        assert_eq!(
            parse("John Jr", "Smith Sr", "").suffix,
            Some(Suffix::Senior)
        );
        assert_eq!(parse("John Jr", "Smith", "").suffix, Some(Suffix::Junior));
        assert_eq!(parse("John V", "Smith", "").given, ["JOHN", "V"]);
    }

    #[test]
    fn variants_and_first_given() {
        let given = vec!["J".to_owned(), "ROBERT".to_owned()];
        assert_eq!(first_given(&given), Some("ROBERT"));
        let fam = vec!["GARCIA".to_owned(), "LOPEZ".to_owned()];
        assert_eq!(surname_variants(&fam), ["GARCIALOPEZ", "GARCIA", "LOPEZ"]);
        assert_eq!(surname_variants(&fam[..1]), ["GARCIA"]);
        assert_eq!(canonical_given("PEGGY"), "MARGARET");
    }
}
