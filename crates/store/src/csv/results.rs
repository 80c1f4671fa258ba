//! The requester's results file, as `ice query` writes it, optionally with the holder
//! records each match points to.
//!
//! `ice query` writes one row per requested record, in request order:
//!
//! ```text
//! record_id,matched,rule
//! RQ-0000001,yes,R1
//! RQ-0000002,no,
//! ```
//!
//! `matched` is `yes` or `no`; `rule` is the strongest rule that matched (`R1` strongest)
//! and is empty exactly when `matched` is `no`. The real protocol tells the requester
//! nothing more. A plaintext simulation (the `quality` example) knows which holder
//! records carry the matched keys and may add a fourth column, `holder_record_ids`
//! (`;`-joined, empty when not matched), so that a match of a present person to the
//! wrong holder record can be counted as false.

use std::io::{Read, Write};

use blindlink_core::match_key::MatchRule;

/// The three columns `ice query` writes.
pub const RESULT_COLUMNS: [&str; 3] = ["record_id", "matched", "rule"];

/// The optional fourth column: holder records carrying the matched keys.
pub const HOLDER_IDS_COLUMN: &str = "holder_record_ids";

/// The outcome for one requested record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchResult {
    /// The request row's `record_id`.
    pub record_id: String,
    /// The strongest rule that matched; `None` when the row did not match.
    pub rule: Option<MatchRule>,
    /// The holder records that carry the keys matched at `rule` (empty when not matched);
    /// `None` when unknown, as in results from the real protocol.
    pub holder_record_ids: Option<Vec<String>>,
}

/// A results file that could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ResultsFileError {
    /// The reader, writer or CSV syntax failed.
    #[error("results CSV: {0}")]
    Csv(#[from] csv::Error),
    /// The header is neither ice's nor ice's plus `holder_record_ids`.
    #[error(
        "results header must be record_id,matched,rule (as ice query writes it), optionally \
         followed by holder_record_ids; found {found:?}"
    )]
    Header {
        /// The header found, comma-joined.
        found: String,
    },
    /// A row is malformed.
    #[error("results line {line}: {problem}")]
    Row {
        /// 1-based line in the file.
        line: u64,
        /// What is wrong.
        problem: String,
    },
    /// Some rows name holder records and others do not.
    #[error("results line {line}: a match names no holder record, but other rows do")]
    MixedHolderIds {
        /// 1-based line in the file.
        line: u64,
    },
}

/// Reads a results file (see the module docs), strictly: exact header, `yes`/`no`, a
/// known rule exactly when matched, a non-empty `record_id`, and, in the four-column
/// form, holder records exactly when matched.
pub fn read_results<R: Read>(input: R) -> Result<Vec<MatchResult>, ResultsFileError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(input);
    let header = reader.headers()?.clone();
    let with_ids = if header.iter().eq(RESULT_COLUMNS) {
        false
    } else if header
        .iter()
        .eq(RESULT_COLUMNS.iter().copied().chain([HOLDER_IDS_COLUMN]))
    {
        true
    } else {
        return Err(ResultsFileError::Header {
            found: header.iter().collect::<Vec<_>>().join(","),
        });
    };
    let width = if with_ids { 4 } else { 3 };
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row?;
        let line = row.position().map_or(0, csv::Position::line);
        let bad = |problem: String| ResultsFileError::Row { line, problem };
        if row.len() != width {
            return Err(bad(format!("expected {width} fields, found {}", row.len())));
        }
        let field = |i: usize| row.get(i).unwrap_or("");
        let record_id = field(0);
        if record_id.is_empty() {
            return Err(bad("record_id is empty".to_owned()));
        }
        let rule = match (field(1), field(2)) {
            ("yes", id) => Some(MatchRule::from_id(id).map_err(|_| {
                bad(format!(
                    "rule must be R1, R2, R3 or R4 when matched is yes, found {id:?}"
                ))
            })?),
            ("no", "") => None,
            ("no", _) => return Err(bad("rule must be empty when matched is no".to_owned())),
            (other, _) => return Err(bad(format!("matched must be yes or no, found {other:?}"))),
        };
        let holder_record_ids = if with_ids {
            let ids: Vec<String> = field(3)
                .split(';')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            match (rule.is_some(), ids.is_empty()) {
                (true, true) => return Err(ResultsFileError::MixedHolderIds { line }),
                (false, false) => {
                    return Err(bad(
                        "holder_record_ids must be empty when matched is no".to_owned()
                    ));
                }
                _ => Some(ids),
            }
        } else {
            None
        };
        out.push(MatchResult {
            record_id: record_id.to_owned(),
            rule,
            holder_record_ids,
        });
    }
    Ok(out)
}

/// Writes results: ice's three columns, plus `holder_record_ids` when `with_holder_ids`
/// (rows whose `holder_record_ids` is `None` then get an empty field).
pub fn write_results<W: Write>(
    out: W,
    results: &[MatchResult],
    with_holder_ids: bool,
) -> Result<(), ResultsFileError> {
    let mut w = csv::Writer::from_writer(out);
    if with_holder_ids {
        w.write_record(RESULT_COLUMNS.iter().copied().chain([HOLDER_IDS_COLUMN]))?;
    } else {
        w.write_record(RESULT_COLUMNS)?;
    }
    for r in results {
        let (matched, rule) = match r.rule {
            Some(rule) => ("yes", rule.id()),
            None => ("no", ""),
        };
        if with_holder_ids {
            let ids = r.holder_record_ids.as_deref().unwrap_or_default().join(";");
            w.write_record([r.record_id.as_str(), matched, rule, &ids])?;
        } else {
            w.write_record([r.record_id.as_str(), matched, rule])?;
        }
    }
    w.flush().map_err(csv::Error::from)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn reading_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = read_results(bytes.as_slice());
        }

        #[test]
        fn reading_prefixed_garbage_never_panics(tail in ".{0,200}") {
            let text = format!("record_id,matched,rule,holder_record_ids\n{tail}");
            let _ = read_results(text.as_bytes());
        }
    }

    fn read(text: &str) -> Result<Vec<MatchResult>, ResultsFileError> {
        read_results(text.as_bytes())
    }

    #[test]
    fn reads_what_ice_writes() {
        let rows = read("record_id,matched,rule\nRQ-1,yes,R2\nRQ-2,no,\n\"A,1\",yes,R1\n").unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].rule, Some(MatchRule::R2NameHouseZip));
        assert_eq!(rows[1].rule, None);
        assert_eq!(rows[2].record_id, "A,1");
        assert!(rows.iter().all(|r| r.holder_record_ids.is_none()));
    }

    #[test]
    fn round_trips_both_forms() {
        let rows = vec![
            MatchResult {
                record_id: "RQ-1".into(),
                rule: Some(MatchRule::R4NameDob),
                holder_record_ids: Some(vec!["TP-1".into(), "TP-9".into()]),
            },
            MatchResult {
                record_id: "RQ-2".into(),
                rule: None,
                holder_record_ids: Some(vec![]),
            },
        ];
        let mut with = Vec::new();
        write_results(&mut with, &rows, true).unwrap();
        assert_eq!(read_results(with.as_slice()).unwrap(), rows);
        let mut without = Vec::new();
        write_results(&mut without, &rows, false).unwrap();
        assert_eq!(
            String::from_utf8(without).unwrap(),
            "record_id,matched,rule\nRQ-1,yes,R4\nRQ-2,no,\n"
        );
    }

    #[test]
    fn malformed_files_name_the_line() {
        let header_err = read("id,matched,rule\n").unwrap_err();
        assert!(matches!(header_err, ResultsFileError::Header { .. }));
        for (text, needle) in [
            (
                "record_id,matched,rule\nRQ-1,maybe,\n",
                "line 2: matched must be yes or no",
            ),
            (
                "record_id,matched,rule\nRQ-1,yes,R9\n",
                "line 2: rule must be R1",
            ),
            (
                "record_id,matched,rule\nRQ-1,yes,\n",
                "line 2: rule must be R1",
            ),
            ("record_id,matched,rule\nRQ-1,no,R1\n", "rule must be empty"),
            ("record_id,matched,rule\n,no,\n", "record_id is empty"),
            ("record_id,matched,rule\nRQ-1,no,,x\n", "expected 3 fields"),
            (
                "record_id,matched,rule,holder_record_ids\nRQ-1,no,,TP-1\n",
                "holder_record_ids must be empty",
            ),
            (
                "record_id,matched,rule,holder_record_ids\nRQ-1,no,,\nRQ-2,yes,R1,\n",
                "line 3: a match names no holder record",
            ),
        ] {
            let err = read(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text:?}: {err}");
        }
    }
}
