#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The CSV rules, each on both sides: the holder's record file and the requester's
//! request file judge the same row the same way.

use blindlink_store::csv::records::{RECORD_SCHEMA, RecordWriter, read_records};
use blindlink_store::csv::request::{REQUEST_COLUMNS, read_request};
use blindlink_store::csv::{
    BadRowPolicy, CsvError, KEPT_BAD_LINES, MAX_FIELD_BYTES, MAX_RECORD_ID_BYTES, RowProblem,
    RowRead, TableReader,
};

const RECORD_HEADER: &str =
    "record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob";
const SKIP: BadRowPolicy = BadRowPolicy::Skip { max_percent: 1 };

/// A record row and the same row as a request row.
fn good(i: usize) -> (String, String) {
    let record = format!(
        "TP-{i},ANA,SILVA,,{} OAK RD,,BOSTON,MA,02134,1970-01-01",
        100 + i
    );
    let request = format!("{record},CASE-{i},FO-{i}");
    (record, request)
}

/// The record file and the request file holding the same rows, `bad` among them with
/// `end` after it (`bad` is given as record columns; the request gets its references).
fn both_files(before: usize, bad: &[u8], newline: &str) -> (Vec<u8>, Vec<u8>) {
    let mut records = format!("{RECORD_HEADER}{newline}").into_bytes();
    let mut request = format!("{}{newline}", REQUEST_COLUMNS.join(",")).into_bytes();
    for i in 0..before {
        let (r, q) = good(i);
        records.extend_from_slice(format!("{r}{newline}").as_bytes());
        request.extend_from_slice(format!("{q}{newline}").as_bytes());
    }
    records.extend_from_slice(bad);
    records.extend_from_slice(newline.as_bytes());
    request.extend_from_slice(bad);
    request.extend_from_slice(format!(",C,F{newline}").as_bytes());
    let (r, q) = good(before);
    records.extend_from_slice(format!("{r}{newline}").as_bytes());
    request.extend_from_slice(format!("{q}{newline}").as_bytes());
    (records, request)
}

/// The refusal both readers give under [`BadRowPolicy::Refuse`].
fn refusals(records: &[u8], request: &[u8]) -> (CsvError, CsvError) {
    let r = read_records(records, BadRowPolicy::Refuse).unwrap_err();
    let q = read_request(request, BadRowPolicy::Refuse).unwrap_err();
    (r, q)
}

fn problem(error: &CsvError) -> (u64, RowProblem) {
    match error {
        CsvError::BadRow { line, problem } => (*line, problem.clone()),
        other => panic!("not a bad row: {other}"),
    }
}

#[test]
fn a_bad_row_is_judged_alike_on_both_sides_under_both_policies() {
    let long = "X".repeat(MAX_FIELD_BYTES + 1);
    let long_id = "I".repeat(MAX_RECORD_ID_BYTES + 1);
    let cases: Vec<(Vec<u8>, RowProblem)> = vec![
        // An unquoted comma in a name: one field too many.
        (
            b"TP-x,ANA,SILVA, JR,,1 OAK RD,,BOSTON,MA,02134,".to_vec(),
            RowProblem::FieldCount {
                expected: 10,
                found: 11,
            },
        ),
        (
            b"TP-x,ANA,SILVA".to_vec(),
            RowProblem::FieldCount {
                expected: 10,
                found: 3,
            },
        ),
        (
            b"TP-x,ANA,SIL\xffVA,,1 OAK RD,,BOSTON,MA,02134,".to_vec(),
            RowProblem::InvalidUtf8 {
                column: "family_names",
            },
        ),
        (
            format!("TP-x,ANA,SILVA,,{long},,BOSTON,MA,02134,").into_bytes(),
            RowProblem::FieldTooLong {
                column: "street",
                len: MAX_FIELD_BYTES + 1,
                max: MAX_FIELD_BYTES,
            },
        ),
        (
            format!("{long_id},ANA,SILVA,,1 OAK RD,,BOSTON,MA,02134,").into_bytes(),
            RowProblem::FieldTooLong {
                column: "record_id",
                len: MAX_RECORD_ID_BYTES + 1,
                max: MAX_RECORD_ID_BYTES,
            },
        ),
    ];
    for (bad, expected) in cases {
        for newline in ["\n", "\r\n"] {
            // The request row of a short row gets its references appended, so it stays
            // short by the same count; compare the kind and the line.
            let (records, request) = both_files(3, &bad, newline);
            let (r, q) = refusals(&records, &request);
            let (r_line, r_problem) = problem(&r);
            let (q_line, q_problem) = problem(&q);
            assert_eq!((r_line, q_line), (5, 5), "{newline:?} {r} / {q}");
            assert_eq!(r.line(), Some(5));
            assert!(r.to_string().starts_with("line 5: "), "{r}");
            assert_eq!(r_problem, expected);
            assert_eq!(
                std::mem::discriminant(&q_problem),
                std::mem::discriminant(&expected),
                "{q}"
            );

            // Skipped and counted on both sides, the line kept; the other rows read.
            let (records, request) = both_files(199, &bad, newline);
            let r = read_records(records.as_slice(), SKIP).unwrap();
            let q = read_request(request.as_slice(), SKIP).unwrap();
            assert_eq!((r.rows.len(), q.rows.len()), (200, 200));
            assert_eq!(r.bad_rows, q.bad_rows);
            assert_eq!(r.bad_rows.total(), 1);
            assert_eq!(r.bad_rows.first_lines, [201]);
            assert_eq!(r.lines.last(), Some(&202));
        }
    }
}

#[test]
fn skip_refuses_the_file_over_its_tolerance() {
    let (records, request) = both_files(99, b"TP-x,ANA", "\n");
    let mut worse = records.clone();
    worse.extend_from_slice(b"TP-y,ANA\n");
    for err in [
        read_records(worse.as_slice(), SKIP).unwrap_err(),
        read_request(
            [request.as_slice(), b"TP-y,ANA,C,F\n"].concat().as_slice(),
            SKIP,
        )
        .unwrap_err(),
    ] {
        match &err {
            CsvError::TooManyBadRows {
                bad,
                rows,
                max_percent,
                first_lines,
            } => {
                assert_eq!((*bad, *rows, *max_percent), (2, 102, 1));
                assert_eq!(first_lines, &[101, 103]);
            }
            other => panic!("accepted or wrong error: {other}"),
        }
        assert!(err.to_string().contains("first at lines 101, 103"), "{err}");
    }
    // Exactly 1% is tolerated.
    assert!(read_records(records.as_slice(), SKIP).is_ok());
}

#[test]
fn skipped_rows_reach_the_caller_with_their_lines_and_only_the_first_are_kept() {
    let mut text = format!("{RECORD_HEADER}\n");
    for i in 0..2_000 {
        if i % 100 == 7 {
            text.push_str("short,row\n");
        } else {
            text.push_str(&good(i).0);
            text.push('\n');
        }
    }
    let mut reader = TableReader::new(text.as_bytes(), RECORD_SCHEMA, SKIP).unwrap();
    let mut skipped = Vec::new();
    let mut good_rows = 0;
    while let Some(row) = reader.next_row().unwrap() {
        match row {
            RowRead::Good(row) => {
                good_rows += 1;
                assert_eq!(row.line(), row.index() + 2);
            }
            RowRead::Skipped(row) => skipped.push((row.index, row.line)),
        }
    }
    assert_eq!(skipped.len(), 20);
    assert_eq!(good_rows, 1_980);
    assert!(
        skipped
            .iter()
            .all(|&(index, line)| line == index + 2 && index % 100 == 7)
    );
    let finished = reader.finish().unwrap();
    assert_eq!(finished.rows, 2_000);
    assert_eq!(finished.bad_rows.total(), 20);
    assert_eq!(finished.bad_rows.first_lines.len(), KEPT_BAD_LINES);
    assert_eq!(finished.bad_rows.first_lines[..2], [9, 109]);
}

#[test]
fn header_rules_are_the_same_on_both_sides() {
    for (records, request) in [
        (String::new(), String::new()),
        (
            RECORD_HEADER.replace(",zip", ""),
            REQUEST_COLUMNS.join(",").replace(",zip", ""),
        ),
        (
            RECORD_HEADER.replace("unit", "ZIP"),
            REQUEST_COLUMNS.join(",").replace("unit", "ZIP"),
        ),
        (
            format!("{RECORD_HEADER}\n"),
            format!("{}\n", REQUEST_COLUMNS.join(",")),
        ),
    ] {
        let r = read_records(records.as_bytes(), BadRowPolicy::Refuse).unwrap_err();
        let q = read_request(request.as_bytes(), BadRowPolicy::Refuse).unwrap_err();
        assert_eq!(
            std::mem::discriminant(&r),
            std::mem::discriminant(&q),
            "{r} / {q}"
        );
        assert_eq!(r.line(), Some(1), "{r}");
    }
    let missing = read_records(RECORD_HEADER.replace(",zip", "").as_bytes(), SKIP).unwrap_err();
    assert!(
        matches!(&missing, CsvError::MissingColumns { missing, .. } if missing == &["zip"]),
        "{missing}"
    );
    assert!(
        missing.to_string().contains("header must be record_id,"),
        "{missing}"
    );
}

#[test]
fn crlf_blank_lines_and_a_byte_order_mark_keep_line_numbers_right() {
    let text = "\u{feff}\r\n\r\nrecord_id, Given_Names ,family_names,suffix,street,unit,city,state,zip,dob,extra\r\n\
                TP-1,ANA,SILVA,,1 OAK RD,,BOSTON,MA,02134,,x\r\n\
                \r\n\
                \"TP-2\",\"ANA\r\nMARIA\",SILVA,,1 OAK RD,,BOSTON,MA,02134,,x\r\n\
                TP-3,ANA,SILVA,,1 OAK RD,,BOSTON,MA,02134,,x\r\
                TP-4,ANA\n";
    let table = read_records(text.as_bytes(), SKIP).unwrap_err();
    // 1 bad row in 4 is over 1%; under Refuse the bad row names its line.
    assert!(matches!(table, CsvError::TooManyBadRows { .. }));
    let err = read_records(text.as_bytes(), BadRowPolicy::Refuse).unwrap_err();
    assert_eq!(err.line(), Some(8), "{err}");
    let ok = &text[..text.len() - "TP-4,ANA\n".len()];
    let table = read_records(ok.as_bytes(), BadRowPolicy::Refuse).unwrap();
    assert_eq!(table.ignored_columns, ["extra"]);
    assert_eq!(table.lines, [4, 6, 8]);
    assert_eq!(table.rows[0].id, "TP-1");
    assert_eq!(table.rows[0].given_names, "ANA");
    assert_eq!(table.rows[1].given_names, "ANA\r\nMARIA");
    assert_eq!(table.rows[2].zip, "02134");
}

#[test]
fn line_numbers_stay_right_across_the_read_buffer() {
    // Well over the parser's 64 KiB buffer, CRLF, a blank line and a multi-line field
    // every so often.
    let mut text = format!("{RECORD_HEADER}\r\n");
    let mut line = 2;
    let mut expected = Vec::new();
    for i in 0..20_000 {
        if i % 997 == 0 {
            text.push_str("\r\n");
            line += 1;
        }
        expected.push(line);
        if i % 1_231 == 0 {
            text.push_str(&format!(
                "TP-{i},\"A\r\nB\nC\",SILVA,,1 OAK RD,,BOSTON,MA,02134,\r\n"
            ));
            line += 3;
        } else {
            text.push_str(&good(i).0);
            text.push_str("\r\n");
            line += 1;
        }
    }
    assert!(text.len() > 16 * 64 * 1024);
    let table = read_records(text.as_bytes(), BadRowPolicy::Refuse).unwrap();
    assert_eq!(table.lines, expected);
}

#[test]
fn what_is_written_reads_back_and_the_writer_refuses_what_the_reader_would() {
    let rows = read_records(
        format!("{RECORD_HEADER}\n{}\n{}\n", good(1).0, good(2).0).as_bytes(),
        BadRowPolicy::Refuse,
    )
    .unwrap()
    .rows;
    let mut writer = RecordWriter::new(Vec::new()).unwrap();
    writer.write(&rows).unwrap();
    let bytes = writer.finish().unwrap();
    assert_eq!(
        String::from_utf8(bytes.clone()).unwrap(),
        format!("{RECORD_HEADER}\n{}\n{}\n", good(1).0, good(2).0)
    );
    assert_eq!(
        read_records(bytes.as_slice(), BadRowPolicy::Refuse)
            .unwrap()
            .rows,
        rows
    );

    let mut long = rows[0].clone();
    long.city = "C".repeat(MAX_FIELD_BYTES + 1);
    let mut writer = RecordWriter::new(Vec::new()).unwrap();
    let err = writer.write(&[rows[1].clone(), long]).unwrap_err();
    assert!(
        matches!(
            err,
            CsvError::BadRow {
                line: 3,
                problem: RowProblem::FieldTooLong { column: "city", .. }
            }
        ),
        "{err}"
    );
}
