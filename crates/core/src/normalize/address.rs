//! Street lines parsed into USPS parts: house number, predirectional, street name, street
//! suffix (Publication 28 Appendix C1), postdirectional, unit (from the line or the unit
//! column), or a PO box number instead of a street.
//!
//! Parsing order on the tokens of the street line:
//! 1. a PO box phrase (`PO BOX 17`, `P O BOX 17`, `POST OFFICE BOX 17`, `PO BX 17`,
//!    `BOX 17`, `POB 17`) anywhere gives `po_box` and no street parts, except after a rural
//!    route (`RR 2 BOX 17`: street name `RR 2`, house number `17`);
//! 2. a first token starting with a digit is the house number (leading zeros dropped,
//!    `123 1/2` and `123-45` kept whole);
//! 3. a unit designator (`APT`, `UNIT`, `STE`, `#`, `PMB`; `FL`, `RM`, `BLDG`, `LOT`, `TRLR`,
//!    `SPC` ... only when a unit-like value follows; `BSMT`, `REAR` ... only last, after a
//!    street suffix) ends the street and starts the unit, of which only the number is kept
//!    (`APT 4B`, `# 4-B`, `UNIT 4B` all give `4B`);
//! 4. spelled ordinals become numbers (`FIRST` -> `1ST`, `FORTY SECOND` -> `42ND`, `2D` -> `2ND`);
//! 5. a bare unit-like last token after a suffix or directional is a unit (`MAIN ST 4B`),
//!    except a number after a numbered road (`COUNTY RD 12`);
//! 6. postdirectional, street suffix, predirectional, each only when a street name remains;
//! 7. the street name: suffix words inside it abbreviated too (`MOUNT VERNON` -> `MT VERNON`),
//!    `SAINT` -> `ST`, a name made only of directionals spelled out (`N ST` -> `NORTH`), a
//!    bare number before a suffix made ordinal (`42 ST` -> `42ND`).

use std::borrow::Cow;

use super::tables::address_words::{
    Designator, directional, directional_pair, is_numbered_road, ordinal_suffix, ordinal_word,
    po_box_phrase, rural_route_phrase, tens_word, unit_designator, unit_ordinal,
};
use super::tables::name_words::is_null_phrase;
use super::tables::street_suffix::standard_suffix;
use super::text::{Mode, address_tokens, fold_into};

/// One of the eight USPS directionals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Directional {
    /// N
    North,
    /// S
    South,
    /// E
    East,
    /// W
    West,
    /// NE
    NorthEast,
    /// NW
    NorthWest,
    /// SE
    SouthEast,
    /// SW
    SouthWest,
}

impl Directional {
    /// The USPS abbreviation (`N`, `SW` ...), as used in match keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Directional::North => "N",
            Directional::South => "S",
            Directional::East => "E",
            Directional::West => "W",
            Directional::NorthEast => "NE",
            Directional::NorthWest => "NW",
            Directional::SouthEast => "SE",
            Directional::SouthWest => "SW",
        }
    }

    /// The spelled form (`NORTH`, `SOUTHWEST` ...), used when a directional is the street name.
    pub fn spelled(self) -> &'static str {
        match self {
            Directional::North => "NORTH",
            Directional::South => "SOUTH",
            Directional::East => "EAST",
            Directional::West => "WEST",
            Directional::NorthEast => "NORTHEAST",
            Directional::NorthWest => "NORTHWEST",
            Directional::SouthEast => "SOUTHEAST",
            Directional::SouthWest => "SOUTHWEST",
        }
    }
}

/// A parsed street address. A PO box address has `po_box` and no street parts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Address {
    /// House number (`100`, `12 1/2`, `123-45`, `100A`).
    pub house_number: Option<String>,
    /// Predirectional (`N` in `100 N MAIN ST`).
    pub predir: Option<Directional>,
    /// Street name, tokens separated by one space (`MAIN`, `MT VERNON`, `42ND`).
    pub street_name: Option<String>,
    /// USPS standard street suffix abbreviation (`AVE`, `ST`).
    pub street_suffix: Option<&'static str>,
    /// Postdirectional (`NW` in `100 MAIN ST NW`).
    pub postdir: Option<Directional>,
    /// Unit number only, designator dropped (`4B` from `APT 4B`); a unit with no number
    /// keeps its designator abbreviation (`BSMT`, `REAR`).
    pub unit: Option<String>,
    /// PO box number (`17` from `P.O. BOX 17`).
    pub po_box: Option<String>,
}

/// Parses the street line and the separate unit column (which wins when both give a unit).
pub(crate) fn parse_address(street: &str, unit_col: &str, buf: &mut String) -> Address {
    let mut addr = Address::default();
    fold_into(street, Mode::Address, buf);
    let tokens = address_tokens(buf);
    if !is_null_phrase(&tokens) {
        parse_street_line(&tokens, &mut addr);
    }
    fold_into(unit_col, Mode::Address, buf);
    let tokens = address_tokens(buf);
    if !is_null_phrase(&tokens)
        && let Some(unit) = unit_from_column(&tokens)
    {
        addr.unit = Some(unit);
    }
    addr
}

fn parse_street_line(tokens: &[&str], addr: &mut Address) {
    if let Some((start, number)) = find_po_box(tokens) {
        match rural_route(tokens, start) {
            Some(route) => {
                addr.street_name = Some(route);
                addr.house_number = Some(number);
            }
            None => addr.po_box = Some(number),
        }
        return;
    }
    let mut rest = tokens;
    if let Some((first, after)) = tokens.split_first()
        && first.starts_with(|c: char| c.is_ascii_digit())
    {
        let mut house = strip_leading_zeros(first).to_owned();
        rest = after;
        if let Some((frac, after)) = rest.split_first()
            && frac.contains('/')
        {
            house.push(' ');
            house.push_str(frac);
            rest = after;
        }
        addr.house_number = Some(house);
    }
    let (street, unit) = split_unit(rest);
    addr.unit = unit;
    let mut words = merge_ordinals(street);
    if addr.unit.is_none() {
        addr.unit = take_bare_unit(&mut words);
    }
    parse_street_words(words, addr);
}

fn parse_street_words(mut words: Vec<Cow<'_, str>>, addr: &mut Address) {
    let n = words.len();
    if n >= 3
        && let Some(d) = last_two(&words).and_then(|(a, b)| directional_pair(a, b))
    {
        addr.postdir = Some(d);
        words.truncate(n - 2);
    } else if n >= 2
        && let Some(d) = words.last().and_then(|w| directional(w))
        && (n >= 3 || words.first().is_some_and(|w| is_name_word(w)))
    {
        addr.postdir = Some(d);
        words.pop();
    }
    if words.len() >= 2
        && let Some(s) = words.last().and_then(|w| standard_suffix(w))
    {
        addr.street_suffix = Some(s);
        words.pop();
    }
    let pair = match words.as_slice() {
        [a, b, _, ..] => directional_pair(a, b),
        _ => None,
    };
    if let Some(d) = pair {
        addr.predir = Some(d);
        words.drain(..2);
    } else if words.len() >= 2
        && let Some(d) = words.first().and_then(|w| directional(w))
    {
        addr.predir = Some(d);
        words.remove(0);
    }
    addr.street_name = street_name(&words, addr.street_suffix.is_some());
}

fn last_two<'a>(words: &'a [Cow<'_, str>]) -> Option<(&'a str, &'a str)> {
    match words {
        [.., a, b] => Some((a, b)),
        _ => None,
    }
}

fn is_name_word(w: &str) -> bool {
    directional(w).is_none() && standard_suffix(w).is_none()
}

fn street_name(words: &[Cow<'_, str>], has_suffix: bool) -> Option<String> {
    if words.is_empty() {
        return None;
    }
    let only_directionals = words.iter().all(|w| directional(w).is_some());
    let mut name = String::new();
    for w in words {
        if !name.is_empty() {
            name.push(' ');
        }
        let word: &str = match directional(w) {
            Some(d) if only_directionals => d.spelled(),
            _ => match standard_suffix(w) {
                Some(s) => s,
                None if w == "SAINT" => "ST",
                None => w,
            },
        };
        name.push_str(word);
    }
    if has_suffix && words.len() == 1 && name.bytes().all(|b| b.is_ascii_digit()) {
        let n = name.parse::<u64>().ok()?;
        name = format!("{n}{}", ordinal_suffix(n));
    }
    Some(name)
}

/// Finds a PO box phrase followed by a box number: `(phrase start, number)`.
fn find_po_box(tokens: &[&str]) -> Option<(usize, String)> {
    for (i, t) in tokens.iter().enumerate() {
        if let Some(digits) = t.strip_prefix("POBOX")
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Some((i, strip_leading_zeros(digits).to_owned()));
        }
        let rest = tokens.get(i..).unwrap_or_default();
        if let Some(len) = po_box_phrase(rest)
            && let Some(number) = tokens.get(i + len)
            && number.bytes().any(|b| b.is_ascii_digit())
        {
            return Some((i, strip_leading_zeros(number).to_owned()));
        }
    }
    None
}

/// `RR 2` / `RURAL ROUTE 2` / `HC 3` right before the box phrase at `box_start`.
fn rural_route(tokens: &[&str], box_start: usize) -> Option<String> {
    let (len, abbr) = rural_route_phrase(tokens)?;
    let route = tokens.get(len)?;
    (len + 1 == box_start && route.bytes().any(|b| b.is_ascii_digit()))
        .then(|| format!("{abbr} {}", strip_leading_zeros(route)))
}

/// Splits `words` (after the house number) at the first unit designator.
fn split_unit<'a>(words: &'a [&'a str]) -> (&'a [&'a str], Option<String>) {
    for (j, w) in words.iter().enumerate().skip(1) {
        let Some(kind) = unit_designator(w) else {
            continue;
        };
        let (street, after) = (
            words.get(..j).unwrap_or_default(),
            words.get(j + 1..).unwrap_or_default(),
        );
        match kind {
            Designator::Strong => return (street, unit_value(after)),
            Designator::NeedsNumber => {
                if after.first().is_some_and(|a| *a == "#" || is_unit_like(a)) {
                    return (street, unit_value(after));
                }
            }
            Designator::Bare(abbr) => {
                let after_suffix = j >= 2
                    && words
                        .get(j - 1)
                        .is_some_and(|p| standard_suffix(p).is_some());
                if after.is_empty() && after_suffix {
                    return (street, Some(abbr.to_owned()));
                }
            }
        }
    }
    (words, None)
}

/// The unit number from the tokens after a designator: the first value token, then the
/// unit-like pieces right after it (`4 B` -> `4B`; stops at `BOSTON` or the next
/// designator), `#`, `-` and `/` dropped, leading zeros of a numeric unit dropped.
fn unit_value(tokens: &[&str]) -> Option<String> {
    let mut value = String::new();
    for t in tokens {
        if unit_designator(t).is_some() {
            if value.is_empty() {
                continue;
            }
            break;
        }
        if !value.is_empty() && !is_unit_like(t) {
            break;
        }
        value.extend(t.chars().filter(|c| c.is_ascii_alphanumeric()));
    }
    let value = strip_leading_zeros(&value);
    (!value.is_empty()).then(|| value.to_owned())
}

fn unit_from_column(tokens: &[&str]) -> Option<String> {
    if let [only] = tokens
        && let Some(Designator::Bare(abbr)) = unit_designator(only)
    {
        return Some(abbr.to_owned());
    }
    unit_value(tokens)
}

/// A token that can be a unit number: it has a digit, or it is a single letter.
fn is_unit_like(t: &str) -> bool {
    t.bytes().any(|b| b.is_ascii_digit())
        || (t.len() == 1 && t.bytes().all(|b| b.is_ascii_alphabetic()))
}

fn take_bare_unit(words: &mut Vec<Cow<'_, str>>) -> Option<String> {
    let n = words.len();
    let (Some(last), Some(before)) = (words.last(), n.checked_sub(2).and_then(|i| words.get(i)))
    else {
        return None;
    };
    let before_suffix = standard_suffix(before);
    let anchored = before_suffix.is_some() || directional(before).is_some();
    let has_name = words
        .get(..n - 2)
        .unwrap_or_default()
        .iter()
        .any(|w| is_name_word(w));
    let road_number =
        last.bytes().all(|b| b.is_ascii_digit()) && before_suffix.is_some_and(is_numbered_road);
    if n >= 3
        && anchored
        && has_name
        && !road_number
        && is_unit_like(last)
        && directional(last).is_none()
    {
        let unit = unit_value(&[last.as_ref()]);
        words.pop();
        return unit;
    }
    None
}

/// Spelled and numeric ordinals to canonical numeric form.
fn merge_ordinals<'a>(words: &[&'a str]) -> Vec<Cow<'a, str>> {
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while let Some(&w) = words.get(i) {
        i += 1;
        let compound = tens_word(w).zip(words.get(i).and_then(|n| unit_ordinal(n)));
        let number = match compound {
            Some((tens, unit)) => {
                i += 1;
                Some(tens + unit)
            }
            None => ordinal_word(w),
        };
        match number {
            Some(n) => out.push(Cow::Owned(format!("{n}{}", ordinal_suffix(u64::from(n))))),
            None => out.push(numeric_ordinal(w).map_or(Cow::Borrowed(w), Cow::Owned)),
        }
    }
    out
}

/// `2D` -> `2ND`, `11ST` -> `11TH`, `02ND` -> `2ND`; `None` when already canonical or not an ordinal.
fn numeric_ordinal(w: &str) -> Option<String> {
    let split = w.find(|c: char| !c.is_ascii_digit())?;
    let (digits, suffix) = (w.get(..split)?, w.get(split..)?);
    if digits.is_empty() || !matches!(suffix, "ST" | "ND" | "RD" | "TH" | "D") {
        return None;
    }
    let n = digits.parse::<u64>().ok()?;
    let canonical = format!("{n}{}", ordinal_suffix(n));
    (canonical != w).then_some(canonical)
}

/// Drops leading zeros of a token that starts with digits (`0100` -> `100`, `000` -> `0`).
fn strip_leading_zeros(t: &str) -> &str {
    let trimmed = t.trim_start_matches('0');
    if trimmed.len() == t.len() {
        t
    } else if trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        trimmed
    } else {
        // Keep one zero when the digits were all zeros (`0`, `00A` -> `0A`).
        t.get(t.len() - trimmed.len() - 1..).unwrap_or(t)
    }
}
