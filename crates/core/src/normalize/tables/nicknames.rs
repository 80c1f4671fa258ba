//! Nicknames and diminutives with one clear formal given name (English and Spanish).
//!
//! Only unambiguous entries are listed: a nickname that commonly stands for two formal
//! names (CHRIS, ALEX, SAM, PAT, TONY, FRANK, TED, KATHY, BETO ...) or is itself a common
//! formal name (JACK, HARRY, MOLLY) is left out, because mapping it would make two
//! different people look alike. A record keeps both its raw first given name and the
//! canonical form looked up here.

use std::collections::HashMap;
use std::sync::LazyLock;

/// `(nickname, formal given name)`.
static NICKNAMES: &[(&str, &str)] = &[
    // English
    ("ABBY", "ABIGAIL"),
    ("ANDY", "ANDREW"),
    ("BECKY", "REBECCA"),
    ("BETSY", "ELIZABETH"),
    ("BETTY", "ELIZABETH"),
    ("BILL", "WILLIAM"),
    ("BILLY", "WILLIAM"),
    ("BOB", "ROBERT"),
    ("BOBBY", "ROBERT"),
    ("CHUCK", "CHARLES"),
    ("DAVE", "DAVID"),
    ("DICK", "RICHARD"),
    ("DOTTIE", "DOROTHY"),
    ("DOUG", "DOUGLAS"),
    ("GENE", "EUGENE"),
    ("GREG", "GREGORY"),
    ("HANK", "HENRY"),
    ("JIM", "JAMES"),
    ("JIMMIE", "JAMES"),
    ("JIMMY", "JAMES"),
    ("JOE", "JOSEPH"),
    ("JOEY", "JOSEPH"),
    ("JOHNNY", "JOHN"),
    ("KEN", "KENNETH"),
    ("KENNY", "KENNETH"),
    ("LARRY", "LAWRENCE"),
    ("LIZ", "ELIZABETH"),
    ("LIZZIE", "ELIZABETH"),
    ("MAGGIE", "MARGARET"),
    ("MANDY", "AMANDA"),
    ("MATT", "MATTHEW"),
    ("MIKE", "MICHAEL"),
    ("MIKEY", "MICHAEL"),
    ("PEG", "MARGARET"),
    ("PEGGY", "MARGARET"),
    ("PETE", "PETER"),
    ("RICH", "RICHARD"),
    ("ROB", "ROBERT"),
    ("RON", "RONALD"),
    ("RONNIE", "RONALD"),
    ("TIM", "TIMOTHY"),
    ("TIMMY", "TIMOTHY"),
    ("TOM", "THOMAS"),
    ("TOMMY", "THOMAS"),
    ("WALLY", "WALTER"),
    // Spanish
    ("CHABELA", "ISABEL"),
    ("CHARO", "ROSARIO"),
    ("CHAVA", "SALVADOR"),
    ("CHELO", "CONSUELO"),
    ("CHEPE", "JOSE"),
    ("CHUCHO", "JESUS"),
    ("CHUY", "JESUS"),
    ("CONCHA", "CONCEPCION"),
    ("CONCHITA", "CONCEPCION"),
    ("CURRO", "FRANCISCO"),
    ("GOYO", "GREGORIO"),
    ("JUANCHO", "JUAN"),
    ("JUANITO", "JUAN"),
    ("KIKE", "ENRIQUE"),
    ("LENCHO", "LORENZO"),
    ("LICHA", "ALICIA"),
    ("LOLA", "DOLORES"),
    ("LUPE", "GUADALUPE"),
    ("LUPITA", "GUADALUPE"),
    ("MANOLO", "MANUEL"),
    ("MEMO", "GUILLERMO"),
    ("NACHO", "IGNACIO"),
    ("NANDO", "FERNANDO"),
    ("PABLITO", "PABLO"),
    ("PACA", "FRANCISCA"),
    ("PACO", "FRANCISCO"),
    ("PANCHO", "FRANCISCO"),
    ("PAQUITA", "FRANCISCA"),
    ("PEPE", "JOSE"),
    ("PILI", "PILAR"),
    ("QUIQUE", "ENRIQUE"),
    ("RAFA", "RAFAEL"),
    ("TERE", "TERESA"),
    ("TONO", "ANTONIO"),
];

static BY_NICKNAME: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| NICKNAMES.iter().copied().collect());

/// The formal given name for a folded nickname (`PEGGY` -> `MARGARET`), if listed.
pub(crate) fn formal_given_name(token: &str) -> Option<&'static str> {
    BY_NICKNAME.get(token).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn entries_are_unique_and_never_chain() {
        let nicks: HashSet<_> = NICKNAMES.iter().map(|p| p.0).collect();
        assert_eq!(nicks.len(), NICKNAMES.len(), "duplicate nickname");
        for &(nick, formal) in NICKNAMES {
            assert_ne!(nick, formal);
            assert!(
                formal_given_name(formal).is_none(),
                "{formal} is itself a nickname"
            );
        }
        for ambiguous in ["CHRIS", "ALEX", "SAM", "PAT", "TONY", "JACK"] {
            assert_eq!(formal_given_name(ambiguous), None);
        }
        assert_eq!(formal_given_name("PEPE"), Some("JOSE"));
    }
}
