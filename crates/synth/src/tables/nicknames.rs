//! Nicknames and accented spellings.
//!
//! [`NICKNAMES`] maps a nickname to the one legal given name it stands for. Only
//! unambiguous pairs are listed (STEVE could be STEVEN or STEPHEN, TONY could be ANTHONY
//! or ANTONIO, so neither is here), in the direction a normalizer applies them: nickname
//! to legal name. The list is the part of blindlink-core's nickname table (as of the
//! `normalize` branch, commit cdcaff7) whose legal names occur in this crate's given-name
//! tables, so every nickname this crate produces is one the core can undo. The synthetic
//! population never carries a nickname as a legal name; requests get one through the
//! `nickname` corruption.
//!
//! [`ACCENTED`] maps a plain spelling to its accented one (JOSE to JOSÉ, MUNOZ to MUÑOZ).
//! Some entries use letters that have no Unicode decomposition (Ł in KOZŁOWSKI), which
//! is how such names arrive in real files.

/// Nickname to legal given name, unambiguous pairs only.
#[rustfmt::skip]
pub const NICKNAMES: &[(&str, &str)] = &[
    ("ABBY", "ABIGAIL"), ("ANDY", "ANDREW"), ("BECKY", "REBECCA"), ("BETSY", "ELIZABETH"),
    ("BILL", "WILLIAM"), ("BILLY", "WILLIAM"), ("BOB", "ROBERT"), ("BOBBY", "ROBERT"),
    ("CHUCK", "CHARLES"), ("DAVE", "DAVID"), ("DICK", "RICHARD"), ("DOTTIE", "DOROTHY"),
    ("DOUG", "DOUGLAS"), ("GREG", "GREGORY"), ("HANK", "HENRY"), ("JIM", "JAMES"),
    ("JIMMY", "JAMES"), ("JOE", "JOSEPH"), ("JOEY", "JOSEPH"), ("JOHNNY", "JOHN"),
    ("KEN", "KENNETH"), ("KENNY", "KENNETH"), ("LIZ", "ELIZABETH"), ("LIZZIE", "ELIZABETH"),
    ("MAGGIE", "MARGARET"), ("MANDY", "AMANDA"), ("MATT", "MATTHEW"), ("MIKE", "MICHAEL"),
    ("MIKEY", "MICHAEL"), ("PEG", "MARGARET"), ("PEGGY", "MARGARET"), ("PETE", "PETER"),
    ("RICH", "RICHARD"), ("ROB", "ROBERT"), ("RON", "RONALD"), ("RONNIE", "RONALD"),
    ("TIM", "TIMOTHY"), ("TIMMY", "TIMOTHY"), ("TOM", "THOMAS"), ("TOMMY", "THOMAS"),
    ("WALLY", "WALTER"),
    ("CHABELA", "ISABEL"), ("CHAVA", "SALVADOR"), ("CHELO", "CONSUELO"), ("CHEPE", "JOSE"),
    ("CHUCHO", "JESUS"), ("CHUY", "JESUS"), ("CURRO", "FRANCISCO"), ("JUANCHO", "JUAN"),
    ("JUANITO", "JUAN"), ("KIKE", "ENRIQUE"), ("LICHA", "ALICIA"), ("LOLA", "DOLORES"),
    ("LUPE", "GUADALUPE"), ("LUPITA", "GUADALUPE"), ("MANOLO", "MANUEL"), ("MEMO", "GUILLERMO"),
    ("NACHO", "IGNACIO"), ("NANDO", "FERNANDO"), ("PABLITO", "PABLO"), ("PACO", "FRANCISCO"),
    ("PANCHO", "FRANCISCO"), ("PEPE", "JOSE"), ("PILI", "PILAR"), ("QUIQUE", "ENRIQUE"),
    ("RAFA", "RAFAEL"), ("TERE", "TERESA"), ("TONO", "ANTONIO"),
];

/// Plain spelling to accented spelling, for names in the tables.
#[rustfmt::skip]
pub const ACCENTED: &[(&str, &str)] = &[
    ("JOSE", "JOSÉ"), ("JESUS", "JESÚS"), ("RAMON", "RAMÓN"), ("MARTIN", "MARTÍN"),
    ("TOMAS", "TOMÁS"), ("JOAQUIN", "JOAQUÍN"), ("AGUSTIN", "AGUSTÍN"), ("ANDRES", "ANDRÉS"),
    ("NICOLAS", "NICOLÁS"), ("ANGEL", "ÁNGEL"), ("CESAR", "CÉSAR"), ("RAUL", "RAÚL"),
    ("HECTOR", "HÉCTOR"), ("EFRAIN", "EFRAÍN"), ("ELIAS", "ELÍAS"), ("RUBEN", "RUBÉN"),
    ("ADRIAN", "ADRIÁN"), ("JULIAN", "JULIÁN"), ("SEBASTIAN", "SEBASTIÁN"), ("IVAN", "IVÁN"),
    ("LUCIA", "LUCÍA"), ("SOFIA", "SOFÍA"), ("MARIA", "MARÍA"), ("ROCIO", "ROCÍO"),
    ("INES", "INÉS"), ("ANGELICA", "ANGÉLICA"), ("GARCIA", "GARCÍA"), ("RODRIGUEZ", "RODRÍGUEZ"),
    ("MARTINEZ", "MARTÍNEZ"), ("HERNANDEZ", "HERNÁNDEZ"), ("LOPEZ", "LÓPEZ"),
    ("GONZALEZ", "GONZÁLEZ"), ("PEREZ", "PÉREZ"), ("SANCHEZ", "SÁNCHEZ"), ("RAMIREZ", "RAMÍREZ"),
    ("GOMEZ", "GÓMEZ"), ("DIAZ", "DÍAZ"), ("GUTIERREZ", "GUTIÉRREZ"), ("ALVAREZ", "ÁLVAREZ"),
    ("JIMENEZ", "JIMÉNEZ"), ("FERNANDEZ", "FERNÁNDEZ"), ("MENDEZ", "MÉNDEZ"), ("MUNOZ", "MUÑOZ"),
    ("VAZQUEZ", "VÁZQUEZ"), ("PENA", "PEÑA"), ("NUNEZ", "NÚÑEZ"), ("DOMINGUEZ", "DOMÍNGUEZ"),
    ("MARQUEZ", "MÁRQUEZ"), ("JUAREZ", "JUÁREZ"), ("AVILA", "ÁVILA"), ("DURAN", "DURÁN"),
    ("IBANEZ", "IBÁÑEZ"), ("VELASQUEZ", "VELÁSQUEZ"), ("BELTRAN", "BELTRÁN"), ("SOLIS", "SOLÍS"),
    ("CARDENAS", "CÁRDENAS"), ("ZUNIGA", "ZÚÑIGA"), ("CASTANEDA", "CASTAÑEDA"),
    ("GALVAN", "GALVÁN"), ("ORDONEZ", "ORDÓÑEZ"), ("MEJIA", "MEJÍA"), ("RIOS", "RÍOS"),
    ("CHAVEZ", "CHÁVEZ"), ("GUZMAN", "GUZMÁN"), ("SUAREZ", "SUÁREZ"), ("MUNIZ", "MUÑIZ"),
    ("PENALOZA", "PEÑALOZA"), ("WISNIEWSKI", "WIŚNIEWSKI"), ("WOJCIK", "WÓJCIK"),
    ("DABROWSKI", "DĄBROWSKI"), ("KOZLOWSKI", "KOZŁOWSKI"), ("STANISLAW", "STANISŁAW"),
    ("PAWEL", "PAWEŁ"), ("MALGORZATA", "MAŁGORZATA"), ("WOZNIAK", "WOŹNIAK"),
    ("ZIELINSKI", "ZIELIŃSKI"), ("SZYMANSKI", "SZYMAŃSKI"), ("KAMINSKI", "KAMIŃSKI"),
    ("DVORAK", "DVOŘÁK"), ("NOVOTNY", "NOVOTNÝ"), ("LASZLO", "LÁSZLÓ"), ("ISTVAN", "ISTVÁN"),
    ("KOVACS", "KOVÁCS"), ("SZABO", "SZABÓ"), ("TOTH", "TÓTH"), ("ZOE", "ZOË"),
    ("RENEE", "RENÉE"), ("ANDRE", "ANDRÉ"),
];
