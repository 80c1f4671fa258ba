//! Name vocabulary: null markers, honorifics, post-nominal letters, surname particles and
//! the connectors of Hispanic double surnames. All folded (uppercase ASCII) tokens.

/// Tokens that stand for "no value" wherever they appear in a name (`JOHN NMN SMITH`).
pub(crate) fn is_null_token(token: &str) -> bool {
    matches!(
        token,
        "NMN"
            | "NMI"
            | "NFN"
            | "NLN"
            | "FNU"
            | "LNU"
            | "UNKNOWN"
            | "UNK"
            | "NULL"
            | "NIL"
            | "NONE"
            | "XXX"
            | "XXXX"
            | "XXXXX"
            | "TBD"
    )
}

/// A whole field that means "missing": the null tokens, `NA`, `N A` (from `N/A`),
/// `NOT AVAILABLE` and similar. An empty token list is missing too.
///
/// `NA` alone is treated as missing although it is also a Korean family name: source files
/// use it far more often as "not available".
pub(crate) fn is_null_phrase(tokens: &[&str]) -> bool {
    match tokens {
        [] => true,
        [t] => is_null_token(t) || *t == "NA" || *t == "X" || *t == "XX",
        ["N", "A"] | ["N", "K"] => true,
        ["NOT", rest] => matches!(
            *rest,
            "AVAILABLE" | "APPLICABLE" | "GIVEN" | "PROVIDED" | "KNOWN" | "STATED"
        ),
        ["NO", rest] => matches!(*rest, "NAME" | "ADDRESS" | "DATA"),
        [a, b] => is_null_token(a) && is_null_token(b),
        _ => false,
    }
}

/// Honorifics and titles dropped from the front of a name. `SR` is not here: it is a
/// generational suffix (see [`crate::normalize::Suffix`]); only at the very front of the
/// given names is it read as the Spanish honorific "Señor". `DON`/`DONA` are also given
/// names and are kept.
pub(crate) fn is_honorific(token: &str) -> bool {
    matches!(
        token,
        "MR" | "MRS"
            | "MS"
            | "MISS"
            | "MX"
            | "MSTR"
            | "MASTER"
            | "DR"
            | "DOCTOR"
            | "REV"
            | "REVEREND"
            | "FR"
            | "PASTOR"
            | "RABBI"
            | "HON"
            | "HONORABLE"
            | "PROF"
            | "PROFESSOR"
            | "SIR"
            | "DAME"
            | "MME"
            | "MLLE"
            | "SRA"
            | "SRTA"
            | "SENOR"
            | "SENORA"
            | "SENORITA"
            | "SGT"
            | "CPL"
            | "PVT"
            | "CAPT"
            | "CPT"
            | "LT"
            | "COL"
            | "MAJ"
            | "GEN"
            | "ADM"
            | "CMDR"
    )
}

/// Professional and academic post-nominal letters dropped after a name (`SMITH ESQ`).
/// `DO` is left out: it is also a Vietnamese surname and a Portuguese particle.
pub(crate) fn is_post_nominal(token: &str) -> bool {
    matches!(
        token,
        "ESQ"
            | "ESQUIRE"
            | "MD"
            | "PHD"
            | "DDS"
            | "DMD"
            | "DVM"
            | "CPA"
            | "RN"
            | "LPN"
            | "JD"
            | "LLM"
            | "MBA"
            | "USN"
            | "USMC"
            | "USAF"
            | "RET"
    )
}

/// A surname particle (`VAN`, `DE`, `LA`, `MC` ...) joined to the word after it, in its
/// canonical spelling (`SAINT` -> `ST`, `SAINTE` -> `STE`).
pub(crate) fn surname_particle(token: &str) -> Option<&'static str> {
    Some(match token {
        "DE" => "DE",
        "DEL" => "DEL",
        "DELA" => "DELA",
        "DELLA" => "DELLA",
        "DELLE" => "DELLE",
        "DELLO" => "DELLO",
        "DEGLI" => "DEGLI",
        "DEI" => "DEI",
        "DES" => "DES",
        "DI" => "DI",
        "DA" => "DA",
        "DAL" => "DAL",
        "DALLA" => "DALLA",
        "DAS" => "DAS",
        "DO" => "DO",
        "DOS" => "DOS",
        "DU" => "DU",
        "D" => "D",
        "L" => "L",
        "LA" => "LA",
        "LAS" => "LAS",
        "LE" => "LE",
        "LES" => "LES",
        "LOS" => "LOS",
        "EL" => "EL",
        "AL" => "AL",
        "VAN" => "VAN",
        "VANDER" => "VANDER",
        "VANDEN" => "VANDEN",
        "VON" => "VON",
        "DER" => "DER",
        "DEN" => "DEN",
        "TER" => "TER",
        "TEN" => "TEN",
        "MC" => "MC",
        "MAC" => "MAC",
        "O" => "O",
        "ST" | "SAINT" => "ST",
        "STE" | "SAINTE" => "STE",
        _ => return None,
    })
}

/// Connectors between the two surnames of a Hispanic or Portuguese double surname
/// (`GARCIA Y LOPEZ`, `SILVA E SOUZA`); dropped when they stand between two surnames.
pub(crate) fn is_surname_connector(token: &str) -> bool {
    matches!(token, "Y" | "E")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_phrases() {
        assert!(is_null_phrase(&[]));
        assert!(is_null_phrase(&["N", "A"]));
        assert!(is_null_phrase(&["UNKNOWN"]));
        assert!(is_null_phrase(&["NOT", "AVAILABLE"]));
        assert!(!is_null_phrase(&["NAKAMURA"]));
        assert!(!is_null_phrase(&["JOHN", "NMN"]));
    }

    #[test]
    fn sr_is_not_an_honorific_and_particles_are_canonical() {
        assert!(!is_honorific("SR"));
        assert!(is_honorific("MRS"));
        assert_eq!(surname_particle("SAINT"), Some("ST"));
        assert_eq!(surname_particle("GARCIA"), None);
    }
}
