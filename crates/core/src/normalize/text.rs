//! Character-level folding shared by every field: the text normalizer.
//!
//! Each input character is decomposed (Unicode compatibility decomposition, NFKD, one
//! character at a time, so no intermediate string is built), combining marks are dropped,
//! and only then is the letter filter applied, so `JOSÉ` becomes `JOSE` (not `JOS`).
//! Latin letters that have no decomposition are mapped by hand (`ß` -> `SS`, `Æ` -> `AE`,
//! `Ø` -> `O`, `Ł` -> `L`, `Đ`/`Ð` -> `D`, `Œ` -> `OE`, `Þ` -> `TH`, `ı` -> `I`, ...).
//! ASCII letters are uppercased; apostrophes, periods and middle dots are deleted (`O'NEIL`
//! -> `ONEIL`, `P.O.` -> `PO`); every other character (punctuation, symbols, whitespace,
//! letters of non-Latin scripts) separates tokens. The output of [`normalize_text`] is
//! therefore only `A`-`Z`, `0`-`9` and single spaces, with no leading or trailing space,
//! which makes it idempotent.
//!
//! Non-Latin scripts are not transliterated: a name written only in, say, Cyrillic folds
//! to nothing and is treated as missing (no key is better than a wrong key).

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// How a field is folded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Names and generic text: output alphabet `[A-Z0-9 ]`.
    Text,
    /// Street and unit lines: additionally keeps `#` as a token of its own, and keeps `-`
    /// and `/` in place so that [`address_tokens`] can keep `123-45` and `1/2` whole.
    Address,
}

/// Normalizes free text: NFKD, accents stripped, special Latin letters mapped, uppercase,
/// apostrophes and periods deleted, other punctuation to space, whitespace collapsed.
///
/// Never panics; idempotent (`normalize_text(&normalize_text(s)) == normalize_text(s)`).
pub fn normalize_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, Mode::Text, &mut out);
    out
}

/// Folds `s` into `out` (cleared first) according to `mode`.
pub(crate) fn fold_into(s: &str, mode: Mode, out: &mut String) {
    out.clear();
    let mut folder = Folder {
        out,
        mode,
        pending_space: false,
    };
    for c in s.chars() {
        if is_deleted(c) {
            continue;
        }
        if c.is_ascii() {
            folder.push_decomposed(c);
        } else {
            decompose_compatible(c, |d| folder.push_decomposed(d));
        }
    }
}

struct Folder<'a> {
    out: &'a mut String,
    mode: Mode,
    pending_space: bool,
}

impl Folder<'_> {
    fn push_decomposed(&mut self, d: char) {
        if d.is_ascii_alphanumeric() {
            self.push_word_char(d.to_ascii_uppercase());
        } else if is_deleted(d) || (!d.is_ascii() && is_combining_mark(d)) {
            // Deleted in place: the surrounding letters join (O'NEIL -> ONEIL).
        } else if let Some(mapped) = special_letter(d) {
            for m in mapped.chars() {
                self.push_word_char(m);
            }
        } else if self.mode == Mode::Address {
            match d {
                '#' => {
                    self.push_word_char('#');
                    self.pending_space = true;
                }
                '-' | '/' | '\u{2044}' | '\u{2215}' => {
                    self.push_word_char(if d == '-' { '-' } else { '/' });
                }
                _ => self.pending_space = true,
            }
        } else {
            self.pending_space = true;
        }
    }

    fn push_word_char(&mut self, c: char) {
        if self.pending_space && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.pending_space = false;
        self.out.push(c);
    }
}

/// Characters deleted without leaving a separator: apostrophe-like marks, periods and the
/// middle dot (Catalan `l·l`).
fn is_deleted(c: char) -> bool {
    matches!(
        c,
        '\'' | '.'
            | '`'
            | '\u{00B4}' // acute accent (would otherwise decompose to space + mark)
            | '\u{00B7}' // middle dot
            | '\u{02BB}' // modifier letter turned comma (okina)
            | '\u{02BC}' // modifier letter apostrophe
            | '\u{02BD}'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201B}'
            | '\u{2032}' // prime
            | '\u{2024}' // one dot leader
            | '\u{FF07}' // fullwidth apostrophe
            | '\u{FF0E}' // fullwidth full stop
    )
}

/// Latin letters that NFKD leaves alone, mapped to ASCII (both cases).
fn special_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "SS",
        'Æ' | 'æ' => "AE",
        'Ø' | 'ø' => "O",
        'Œ' | 'œ' => "OE",
        'Ł' | 'ł' => "L",
        'Đ' | 'đ' | 'Ð' | 'ð' | 'Ɖ' | 'ɖ' => "D",
        'Þ' | 'þ' => "TH",
        'ı' => "I",
        'Ħ' | 'ħ' => "H",
        'Ŧ' | 'ŧ' => "T",
        'Ŋ' | 'ŋ' => "N",
        'ĸ' => "K",
        'ƒ' | 'Ƒ' => "F",
        'Ə' | 'ə' | 'Ǝ' | 'ǝ' => "E",
        'Ɨ' | 'ɨ' => "I",
        'Ʉ' | 'ʉ' => "U",
        'Ɓ' | 'ɓ' => "B",
        'Ƴ' | 'ƴ' => "Y",
        _ => return None,
    })
}

/// Splits an address-mode folded string into tokens: `#` is always its own token; `-`
/// and `/` are kept only between two digits (`123-45`, `1/2`) and split elsewhere.
pub(crate) fn address_tokens(folded: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    for word in folded.split(' ') {
        let bytes = word.as_bytes();
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let split = match b {
                b'#' => {
                    push_piece(&mut tokens, word, start, i);
                    tokens.push("#");
                    start = i + 1;
                    continue;
                }
                b'-' | b'/' => {
                    let before = i.checked_sub(1).and_then(|j| bytes.get(j));
                    let after = bytes.get(i + 1);
                    !matches!((before, after), (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit())
                }
                _ => false,
            };
            if split {
                push_piece(&mut tokens, word, start, i);
                start = i + 1;
            }
        }
        push_piece(&mut tokens, word, start, bytes.len());
    }
    tokens
}

fn push_piece<'a>(tokens: &mut Vec<&'a str>, word: &'a str, start: usize, end: usize) {
    if let Some(piece) = word.get(start..end)
        && !piece.is_empty()
    {
        tokens.push(piece);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> Vec<String> {
        let mut out = String::new();
        fold_into(s, Mode::Address, &mut out);
        address_tokens(&out)
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn accents_are_stripped_before_the_letter_filter() {
        assert_eq!(normalize_text("José"), "JOSE");
        assert_eq!(normalize_text("MUÑOZ"), "MUNOZ");
        assert_eq!(normalize_text("Straße"), "STRASSE");
        assert_eq!(normalize_text("Łódź Ærø"), "LODZ AERO");
        assert_eq!(normalize_text("ﬁeld ²"), "FIELD 2");
    }

    #[test]
    fn apostrophes_deleted_punctuation_separates() {
        assert_eq!(normalize_text("  o'neil--smith  "), "ONEIL SMITH");
        assert_eq!(normalize_text("D’Angelo"), "DANGELO");
        assert_eq!(normalize_text("a\t\n b"), "A B");
        assert_eq!(normalize_text("Иван"), "");
    }

    #[test]
    fn address_mode_keeps_hash_and_digit_joins() {
        assert_eq!(
            addr("100 Main St. #4-B"),
            ["100", "MAIN", "ST", "#", "4", "B"]
        );
        assert_eq!(addr("123-45 67th Ave"), ["123-45", "67TH", "AVE"]);
        assert_eq!(addr("12 ½ Elm"), ["12", "1/2", "ELM"]);
        assert_eq!(addr("N/A"), ["N", "A"]);
        assert_eq!(addr("-#/"), ["#"]);
    }
}
