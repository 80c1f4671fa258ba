//! Hand-built truth and results; every expected figure is worked out in the comments.

use super::*;
use crate::read_truth;

const TRUTH: &str = "request_record_id,holder_record_id,present,address_current,corruptions
RQ-01,TP-1,true,true,
RQ-02,TP-2,true,true,typo
RQ-03,TP-3,true,false,moved_address
RQ-04,TP-4,true,true,nickname
RQ-05,TP-5,true,true,suffix_dropped
RQ-06,,false,,typo
RQ-07,,false,,
RQ-08,,false,,
RQ-09,TP-9,true,true,nickname;typo
RQ-10,,false,,
";

// RQ-01 correct at R1; RQ-05 matched R1 but to TP-6 (wrong person); RQ-02 and RQ-09
// correct at R2; RQ-06 is absent and flagged at R2; RQ-03 correct at R4 (moved);
// RQ-04 missed; RQ-07, RQ-08, RQ-10 absent and not flagged. Rows out of order on
// purpose.
const RESULTS: &str = "record_id,matched,rule,holder_record_ids
RQ-10,no,,
RQ-01,yes,R1,TP-1
RQ-02,yes,R2,TP-2
RQ-03,yes,R4,TP-3
RQ-04,no,,
RQ-05,yes,R1,TP-6
RQ-06,yes,R2,TP-7
RQ-07,no,,
RQ-08,no,,
RQ-09,yes,R2,TP-9;TP-4
";

fn truth() -> Vec<TruthRow> {
    read_truth(TRUTH.as_bytes()).unwrap()
}

fn results(text: &str) -> Vec<ResultRow> {
    read_results(text.as_bytes()).unwrap()
}

fn close(actual: Option<f64>, expected: f64) {
    let a = actual.unwrap();
    assert!((a - expected).abs() < 1e-12, "{a} != {expected}");
}

#[test]
fn figures_with_holder_records() {
    let report = evaluate(&truth(), &results(RESULTS)).unwrap();
    // Present: RQ-01..05 and RQ-09 = 6; at their current address: all but RQ-03 = 5.
    assert_eq!(
        (report.rows, report.present, report.present_current),
        (10, 6, 5)
    );
    assert!(report.wrong_person_checked);
    let labels: Vec<&str> = report.per_rule.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["R1", "R2", "R4"]);

    let [r1, r2, r4] = &report.per_rule[..] else {
        panic!("three rules expected")
    };
    // R1: RQ-01 correct (current), RQ-05 wrong person.
    assert_eq!(
        r1.counts,
        MatchCounts {
            matched: 2,
            correct: 1,
            correct_current: 1,
            absent_flagged: 0,
            wrong_person: 1
        }
    );
    close(r1.precision, 0.5);
    close(r1.recall, 1.0 / 6.0);
    close(r1.recall_current, 1.0 / 5.0);
    close(r1.false_flags_per_10k, 1.0 / 10.0 * 10_000.0);
    // R2: RQ-02 and RQ-09 correct (TP-9 is among the named records), RQ-06 absent.
    assert_eq!((r2.counts.matched, r2.counts.correct), (3, 2));
    assert_eq!(r2.counts.absent_flagged, 1);
    close(r2.precision, 2.0 / 3.0);
    close(r2.recall_current, 2.0 / 5.0);
    // R4: RQ-03, correct but moved, so not in the current-address recall.
    assert_eq!((r4.counts.correct, r4.counts.correct_current), (1, 0));
    close(r4.recall_current, 0.0);
    close(r4.false_flags_per_10k, 0.0);

    let [c1, c2, c4] = &report.cumulative[..] else {
        panic!("three cumulative rows expected")
    };
    assert_eq!(c1.counts, r1.counts);
    assert_eq!(c2.label, "R1..R2");
    // R1..R2: 5 matched, 3 correct (RQ-01, 02, 09), 2 false flags (RQ-05, 06).
    close(c2.precision, 3.0 / 5.0);
    close(c2.recall, 3.0 / 6.0);
    close(c2.recall_current, 3.0 / 5.0);
    close(c2.false_flags_per_10k, 2000.0);
    // R1..R4: adds RQ-03.
    assert_eq!(c4.counts.matched, 6);
    close(c4.precision, 4.0 / 6.0);
    close(c4.recall, 4.0 / 6.0);
    close(c4.recall_current, 3.0 / 5.0);
    assert_eq!(report.overall(), Some(c4));
}

fn corruption<'a>(report: &'a QualityReport, name: &str) -> &'a CorruptionFigures {
    report
        .by_corruption
        .iter()
        .find(|c| c.corruption == name)
        .unwrap()
}

#[test]
fn misses_by_corruption() {
    let report = evaluate(&truth(), &results(RESULTS)).unwrap();
    // typo: RQ-02 and RQ-09 present and found; RQ-06 (absent) flagged.
    let typo = corruption(&report, "typo");
    assert_eq!(
        (typo.present, typo.found, typo.missed, typo.false_flags),
        (2, 2, 0, 1)
    );
    // nickname: RQ-04 missed, RQ-09 found.
    let nickname = corruption(&report, "nickname");
    assert_eq!(
        (nickname.present, nickname.found, nickname.missed),
        (2, 1, 1)
    );
    close(nickname.recall, 0.5);
    // suffix_dropped: RQ-05 matched the wrong person: missed and a false flag.
    let suffix = corruption(&report, "suffix_dropped");
    assert_eq!((suffix.found, suffix.missed, suffix.false_flags), (0, 1, 1));
    // none: RQ-01 present and found; three absent rows, none flagged.
    let none = corruption(&report, "none");
    assert_eq!((none.present, none.found, none.false_flags), (1, 1, 0));
    assert_eq!(corruption(&report, "typo").recall, Some(1.0));
    assert_eq!(corruption(&report, "zip_format").recall, None);
    let text = report.to_string();
    assert!(text.contains("R1..R2"), "{text}");
    assert!(!text.contains("zip_format"), "{text}");
}

#[test]
fn ice_results_cannot_see_wrong_persons() {
    // The same results without the holder column, as ice writes them.
    let ice: String = RESULTS
        .lines()
        .map(|line| line.splitn(4, ',').take(3).collect::<Vec<_>>().join(","))
        .collect::<Vec<_>>()
        .join("\n");
    let report = evaluate(&truth(), &results(&ice)).unwrap();
    assert!(!report.wrong_person_checked);
    // RQ-05 now counts as correct: R1 is 2 of 2, and only RQ-06 is a false flag.
    let r1 = &report.per_rule[0];
    assert_eq!((r1.counts.correct, r1.counts.wrong_person), (2, 0));
    close(r1.precision, 1.0);
    let all = report.overall().unwrap();
    close(all.precision, 5.0 / 6.0);
    close(all.false_flags_per_10k, 1000.0);
    assert!(report.to_string().contains("upper bound"));
}

#[test]
fn nothing_matched() {
    let none: String = std::iter::once("record_id,matched,rule".to_owned())
        .chain(
            truth()
                .iter()
                .map(|t| format!("{},no,", t.request_record_id)),
        )
        .collect::<Vec<_>>()
        .join("\n");
    let report = evaluate(&truth(), &results(&none)).unwrap();
    assert!(report.per_rule.is_empty() && report.overall().is_none());
    assert_eq!(corruption(&report, "typo").missed, 2);
    assert!(report.to_string().contains("no row matched"));
}

#[test]
fn mismatched_files_are_refused() {
    let t = truth();
    let mut r = results(RESULTS);
    r.push(ResultRow {
        record_id: "RQ-99".into(),
        matched_rule: None,
        holder_record_ids: None,
    });
    assert_eq!(
        evaluate(&t, &r),
        Err(EvaluateError::UnknownRecord("RQ-99".into()))
    );
    let mut r = results(RESULTS);
    let first = r[0].clone();
    r.push(first);
    assert_eq!(
        evaluate(&t, &r),
        Err(EvaluateError::DuplicateResult("RQ-10".into()))
    );
    let mut r = results(RESULTS);
    r.retain(|x| x.record_id != "RQ-04" && x.record_id != "RQ-07");
    assert_eq!(
        evaluate(&t, &r),
        Err(EvaluateError::MissingResults {
            count: 2,
            first: "RQ-04".into()
        })
    );
    let mut doubled = t.clone();
    doubled.push(t[0].clone());
    assert_eq!(
        evaluate(&doubled, &results(RESULTS)),
        Err(EvaluateError::DuplicateTruth("RQ-01".into()))
    );
}

#[test]
fn contradictory_truth_is_refused() {
    let mut t = truth();
    t[5].holder_record_id = Some("TP-8".into());
    let err = evaluate(&t, &results(RESULTS)).unwrap_err();
    assert!(
        err.to_string().contains("RQ-06") && err.to_string().contains("absent"),
        "{err}"
    );
    let mut t = truth();
    t[0].holder_record_id = None;
    let err = evaluate(&t, &results(RESULTS)).unwrap_err();
    assert!(err.to_string().contains("names no holder record"), "{err}");
    let mut t = truth();
    t[0].address_current = None;
    assert!(matches!(
        evaluate(&t, &results(RESULTS)),
        Err(EvaluateError::InconsistentTruth { .. })
    ));
}
