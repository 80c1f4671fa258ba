//! The results file, as `ice query` writes it, optionally with the holder records each
//! match points to.
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
//!
//! The [rules](super) of every blindlink CSV apply, and a bad row always refuses the file
//! (a results file with a row left out would misreport); on top, values are read
//! strictly: `yes`/`no`, a known rule exactly when matched (`R1`..`R4`, exact case), a
//! non-empty `record_id`, and, in the four-column form, holder records exactly when
//! matched.

use std::io::{Read, Write};

use blindlink_core::match_key::MatchRule;
use blindlink_protocol::bundle::RecordResult;

use super::{BadRowPolicy, CsvError, Row, Schema, TableWriter, concat_columns, read_table};

/// The three columns `ice query` writes.
pub const RESULT_COLUMNS: [&str; 3] = ["record_id", "matched", "rule"];

/// The optional fourth column: holder records carrying the matched keys.
pub const HOLDER_IDS_COLUMN: &str = "holder_record_ids";

/// The four columns of the form with holder records.
pub const RESULT_COLUMNS_WITH_HOLDER_IDS: [&str; 4] =
    concat_columns(RESULT_COLUMNS, [HOLDER_IDS_COLUMN]);

/// The columns of a results file.
pub const RESULTS_SCHEMA: Schema = Schema {
    required: &RESULT_COLUMNS,
    optional: &[HOLDER_IDS_COLUMN],
};

/// Largest results file [`results_from_csv`] reads.
pub const MAX_RESULTS_CSV_BYTES: usize = 256 * 1024 * 1024;

/// One row of a results file: the outcome for one requested record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultRow {
    /// The request row's `record_id`.
    pub record_id: String,
    /// The strongest rule that matched; `None` when the row did not match.
    pub matched_rule: Option<MatchRule>,
    /// The holder records that carry the keys matched at `matched_rule` (empty when not
    /// matched); `None` when unknown, as in results from the real protocol.
    pub holder_record_ids: Option<Vec<String>>,
}

impl From<RecordResult> for ResultRow {
    fn from(result: RecordResult) -> ResultRow {
        ResultRow {
            record_id: result.record_id,
            matched_rule: result.matched_rule,
            holder_record_ids: None,
        }
    }
}

impl From<ResultRow> for RecordResult {
    fn from(row: ResultRow) -> RecordResult {
        RecordResult {
            record_id: row.record_id,
            matched_rule: row.matched_rule,
        }
    }
}

/// One results row, its values checked.
fn result_of(row: &Row<'_>) -> Result<ResultRow, CsvError> {
    let line = row.line();
    let bad = |column: &'static str, problem: String| CsvError::Value {
        line,
        column,
        problem,
    };
    let record_id = row.field(0);
    if record_id.is_empty() {
        return Err(bad("record_id", "record_id is empty".to_owned()));
    }
    let matched_rule = match (row.field(1), row.field(2)) {
        ("yes", id) => Some(
            MatchRule::ALL
                .into_iter()
                .find(|known| known.id() == id)
                .ok_or_else(|| {
                    bad(
                        "rule",
                        format!("rule must be R1, R2, R3 or R4 when matched is yes, found {id:?}"),
                    )
                })?,
        ),
        ("no", "") => None,
        ("no", _) => {
            return Err(bad(
                "rule",
                "rule must be empty when matched is no".to_owned(),
            ));
        }
        (other, _) => {
            return Err(bad(
                "matched",
                format!("matched must be yes or no, found {other:?}"),
            ));
        }
    };
    let holder_record_ids = if row.has_column(3) {
        let ids: Vec<String> = row
            .field(3)
            .split(';')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        match (matched_rule.is_some(), ids.is_empty()) {
            (true, true) => {
                return Err(bad(
                    HOLDER_IDS_COLUMN,
                    "a match names no holder record, but other rows do".to_owned(),
                ));
            }
            (false, false) => {
                return Err(bad(
                    HOLDER_IDS_COLUMN,
                    "holder_record_ids must be empty when matched is no".to_owned(),
                ));
            }
            _ => Some(ids),
        }
    } else {
        None
    };
    Ok(ResultRow {
        record_id: record_id.to_owned(),
        matched_rule,
        holder_record_ids,
    })
}

/// Reads a results file (see the module docs), strictly.
pub fn read_results<R: Read>(input: R) -> Result<Vec<ResultRow>, CsvError> {
    Ok(read_table(input, RESULTS_SCHEMA, BadRowPolicy::Refuse, result_of)?.rows)
}

/// Writes results: the three columns, plus `holder_record_ids` when `with_holder_ids`
/// (rows whose `holder_record_ids` is `None` then get an empty field). Hands back the
/// output.
pub fn write_results<W: Write>(
    out: W,
    results: &[ResultRow],
    with_holder_ids: bool,
) -> Result<W, CsvError> {
    let header: &[&'static str] = if with_holder_ids {
        &RESULT_COLUMNS_WITH_HOLDER_IDS
    } else {
        &RESULT_COLUMNS
    };
    let mut table = TableWriter::new(out, header)?;
    for r in results {
        let (matched, rule) = match r.matched_rule {
            Some(rule) => ("yes", rule.id()),
            None => ("no", ""),
        };
        if with_holder_ids {
            let ids = r.holder_record_ids.as_deref().unwrap_or_default().join(";");
            table.write_row([r.record_id.as_str(), matched, rule, &ids])?;
        } else {
            table.write_row([r.record_id.as_str(), matched, rule])?;
        }
    }
    table.finish()
}

/// The results file `ice query` writes for `results` (three columns).
pub fn results_to_csv(results: &[RecordResult]) -> Result<Vec<u8>, CsvError> {
    let rows: Vec<ResultRow> = results.iter().cloned().map(ResultRow::from).collect();
    write_results(Vec::with_capacity(16 + results.len() * 24), &rows, false)
}

/// Reads a results file of at most [`MAX_RESULTS_CSV_BYTES`] into the protocol's
/// [`RecordResult`]s (holder records, if the file names them, are dropped).
pub fn results_from_csv(bytes: &[u8]) -> Result<Vec<RecordResult>, CsvError> {
    if bytes.len() > MAX_RESULTS_CSV_BYTES {
        return Err(CsvError::TooLarge {
            len: bytes.len(),
            max: MAX_RESULTS_CSV_BYTES,
        });
    }
    Ok(read_results(bytes)?
        .into_iter()
        .map(RecordResult::from)
        .collect())
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

    fn read(text: &str) -> Result<Vec<ResultRow>, CsvError> {
        read_results(text.as_bytes())
    }

    #[test]
    fn reads_what_ice_writes() {
        let rows = read("record_id,matched,rule\nRQ-1,yes,R2\nRQ-2,no,\n\"A,1\",yes,R1\n").unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].matched_rule, Some(MatchRule::R2NameHouseZip));
        assert_eq!(rows[1].matched_rule, None);
        assert_eq!(rows[2].record_id, "A,1");
        assert!(rows.iter().all(|r| r.holder_record_ids.is_none()));
    }

    #[test]
    fn round_trips_both_forms() {
        let rows = vec![
            ResultRow {
                record_id: "RQ-1".into(),
                matched_rule: Some(MatchRule::R4NameDob),
                holder_record_ids: Some(vec!["TP-1".into(), "TP-9".into()]),
            },
            ResultRow {
                record_id: "RQ-2".into(),
                matched_rule: None,
                holder_record_ids: Some(vec![]),
            },
        ];
        let with = write_results(Vec::new(), &rows, true).unwrap();
        assert_eq!(read_results(with.as_slice()).unwrap(), rows);
        let without = write_results(Vec::new(), &rows, false).unwrap();
        assert_eq!(
            String::from_utf8(without).unwrap(),
            "record_id,matched,rule\nRQ-1,yes,R4\nRQ-2,no,\n"
        );
    }

    #[test]
    fn malformed_files_name_the_line() {
        let header_err = read("id,matched,rule\n").unwrap_err();
        assert!(matches!(header_err, CsvError::MissingColumns { .. }));
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

    /// Moved from blindlink-protocol's `tests/bundle.rs` with the CSV code.
    #[test]
    fn results_csv_round_trip_and_strictness() {
        let results = vec![
            RecordResult {
                record_id: "A-0001".into(),
                matched_rule: Some(MatchRule::R2NameHouseZip),
            },
            RecordResult {
                record_id: "with,comma".into(),
                matched_rule: None,
            },
        ];
        let csv = results_to_csv(&results).unwrap();
        assert_eq!(
            String::from_utf8(csv.clone()).unwrap(),
            "record_id,matched,rule\nA-0001,yes,R2\n\"with,comma\",no,\n"
        );
        assert_eq!(results_from_csv(&csv).unwrap(), results);
        for bad in [
            "id,matched,rule\nA,no,\n",
            "record_id,matched,rule\nA,maybe,\n",
            "record_id,matched,rule\nA,no,R1\n",
            "record_id,matched,rule\nA,yes,\n",
            "record_id,matched,rule\nA,yes,r1\n",
            "record_id,matched,rule\n,no,\n",
            "record_id,matched,rule\nA,no\n",
        ] {
            assert!(results_from_csv(bad.as_bytes()).is_err(), "{bad}");
        }
        assert!(matches!(
            results_from_csv(b"record_id,matched\nA,no\n"),
            Err(CsvError::MissingColumns { .. })
        ));
    }

    #[test]
    fn results_follow_the_common_rules() {
        // Columns by name, CRLF, a byte order mark; a too-long id names its line.
        let rows = read("\u{feff}rule,matched,record_id\r\nR1,yes,A-1\r\n,no,A-2\r\n").unwrap();
        assert_eq!(rows[0].record_id, "A-1");
        assert_eq!(rows[1].matched_rule, None);
        let long = "a".repeat(crate::csv::MAX_RECORD_ID_BYTES + 1);
        let err = read(&format!("record_id,matched,rule\nA,no,\n{long},no,\n")).unwrap_err();
        assert_eq!(err.line(), Some(3), "{err}");
        assert!(
            err.to_string().contains("column record_id is 257 bytes"),
            "{err}"
        );
        assert!(matches!(
            results_from_csv(&vec![b'a'; MAX_RESULTS_CSV_BYTES + 1]),
            Err(CsvError::TooLarge { .. })
        ));
    }
}
