//! The leakage rows of docs/PROTOCOL.md §10 ("what R's chosen keys reveal"), checked on
//! the real pipeline: holder keys (`KeySide::Holder`), local uniqueness, OPRF evaluation,
//! `fp_L` and the `EncodedSet`; requester keys (`KeySide::Requester`) blinded, evaluated
//! with proofs, verified and finalized, then looked up. Every assertion is about what a
//! requester learns from the membership of elements it chose; a change to the key rules
//! that changes a row of the table fails here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use blindlink_core::fingerprint::{EncodedSet, SetParams, fingerprint, fingerprint_bits};
use blindlink_core::match_key::{KeySide, MatchRule, RuleSet, match_keys, retain_locally_unique};
use blindlink_core::normalize::normalize;
use blindlink_core::oprf::{
    BlindedBatch, Mode, OUTPUT_LEN, SecretKey, blind_batch, blind_evaluate_and_prove,
    evaluate_batch, verify_and_finalize,
};
use blindlink_core::record::Record;

use MatchRule::{R1Exact as R1, R2NameHouseZip as R2, R4NameDob as R4};

/// given, family, suffix, street, unit, dob (ZIP 02134).
fn rec(given: &str, family: &str, suffix: &str, street: &str, unit: &str, dob: &str) -> Record {
    Record::from_fields([
        "id", given, family, suffix, street, unit, "BOSTON", "MA", "02134", dob,
    ])
}

/// `BRIAN JONES`-style record at 12 Park Ave, no unit, no suffix, no DOB.
fn at_park(given: &str) -> Record {
    rec(given, "Jones", "", "12 Park Ave", "", "")
}

/// One key epoch of the holder: its OPRF key and the encoded set of its file.
struct Epoch {
    sk: SecretKey,
    set: EncodedSet,
}

impl Epoch {
    /// What `irs ingest` does with `file` under the key derived from `seed`.
    fn ingest(seed: u8, file: &[Record], rules: RuleSet) -> Epoch {
        let sk = SecretKey::derive(Mode::Voprf, &[seed; 32], b"leakage test").unwrap();
        let mut keys: Vec<_> = file
            .iter()
            .map(|r| match_keys(&normalize(r), rules, KeySide::Holder))
            .collect();
        retain_locally_unique(&mut keys);
        let inputs: Vec<Vec<u8>> = keys.into_iter().flatten().map(|k| k.bytes).collect();
        let outputs = evaluate_batch(Mode::Voprf, &sk, &inputs).unwrap();
        let bits = fingerprint_bits(1 << 20, inputs.len() as u64);
        let fps = outputs.iter().map(|o| fingerprint(o, bits)).collect();
        let params = SetParams {
            bits,
            rule_set: rules.bits(),
            key_epoch: [seed; 16],
        };
        Epoch {
            sk,
            set: EncodedSet::from_fingerprints(fps, params).unwrap(),
        }
    }

    /// N, as published in `holder.json` and `Welcome`.
    fn size(&self) -> usize {
        self.set.len()
    }

    /// One approved request for `record`: per element its rule and its 64-byte output,
    /// through blinding, `BlindEvaluate` with proofs and `verify_and_finalize`.
    fn evaluate(&self, record: &Record, rules: RuleSet) -> Vec<(MatchRule, [u8; OUTPUT_LEN])> {
        let keys = match_keys(&normalize(record), rules, KeySide::Requester);
        if keys.is_empty() {
            return Vec::new();
        }
        let xs: Vec<&[u8]> = keys.iter().map(|k| k.bytes.as_slice()).collect();
        let mut rng = rand::rng();
        let (blinds, blinded) = blind_batch(Mode::Voprf, &xs, &mut rng).unwrap();
        let batch = BlindedBatch::decode(blinded.clone()).unwrap();
        let (evaluated, proofs) = blind_evaluate_and_prove(&self.sk, &batch, &mut rng).unwrap();
        let pk = self.sk.public_key();
        let outputs = verify_and_finalize(&pk, &xs, blinds, &blinded, &evaluated, &proofs);
        keys.iter().map(|k| k.rule).zip(outputs.unwrap()).collect()
    }

    /// The rules under which at least one of the outputs is in this epoch's set (a local
    /// lookup: no evaluation, so no approval, is needed for it).
    fn hits(&self, outputs: &[(MatchRule, [u8; OUTPUT_LEN])]) -> RuleSet {
        let bits = self.set.bits();
        outputs
            .iter()
            .filter(|(_, out)| self.set.contains(fingerprint(out, bits)))
            .map(|(rule, _)| *rule)
            .collect()
    }

    /// The rules of `rules` under which `record`, asked by the requester, matches.
    fn ask(&self, record: &Record, rules: RuleSet) -> RuleSet {
        self.hits(&self.evaluate(record, rules))
    }
}

fn set(rules: &[MatchRule]) -> RuleSet {
    rules.iter().copied().collect()
}

const DEFAULT: RuleSet = RuleSet::default_policy();

#[test]
fn middle_names_r1_confirms_a_guess_and_r4_reveals_absence() {
    let with_middle = Epoch::ingest(1, &[at_park("Brian Scott")], RuleSet::all());
    let without = Epoch::ingest(1, &[at_park("Brian")], RuleSet::all());
    // Default rules. Without a middle name R matches either holder at R1 (the holder's
    // first-name-only copy): presence is not revealed by that query.
    assert_eq!(with_middle.ask(&at_park("Brian"), DEFAULT), set(&[R1, R2]));
    assert_eq!(without.ask(&at_park("Brian"), DEFAULT), set(&[R1, R2]));
    // With a guessed middle name, R1 matches iff the holder has exactly that one.
    assert_eq!(
        with_middle.ask(&at_park("Brian Scott"), DEFAULT),
        set(&[R1, R2])
    );
    assert_eq!(with_middle.ask(&at_park("Brian Sean"), DEFAULT), set(&[R2]));
    assert_eq!(without.ask(&at_park("Brian Scott"), DEFAULT), set(&[R2]));
    // A middle initial is a given name of its own: it confirms only a holder initial.
    assert_eq!(with_middle.ask(&at_park("Brian S"), DEFAULT), set(&[R2]));

    // R4 has no first-name-only copy: an R4 hit without a middle name means the holder
    // has none (and this date of birth), at any address.
    let dob = |given| rec(given, "Jones", "", "", "", "1970-05-01");
    let file = |given| [rec(given, "Jones", "", "12 Park Ave", "", "1970-05-01")];
    let with_middle = Epoch::ingest(2, &file("Brian Scott"), RuleSet::all());
    let without = Epoch::ingest(2, &file("Brian"), RuleSet::all());
    let r4 = set(&[R4]);
    assert_eq!(without.ask(&dob("Brian"), r4), r4);
    assert_eq!(with_middle.ask(&dob("Brian"), r4), RuleSet::empty());
    assert_eq!(with_middle.ask(&dob("Brian Scott"), r4), r4);
}

#[test]
fn uniqueness_reveals_a_namesake_at_the_same_house() {
    // BRIAN SCOTT JONES and BRIAN JONES at one address share their first-name R1 key and
    // their R2 key; both lose them. R's full-name query still hits at R1, the short one
    // hits nothing: R learns that a second holder record with this first name and
    // surname lives there.
    let house = Epoch::ingest(3, &[at_park("Brian Scott"), at_park("Brian")], DEFAULT);
    assert_eq!(house.ask(&at_park("Brian Scott"), DEFAULT), set(&[R1]));
    assert_eq!(house.ask(&at_park("Brian"), DEFAULT), RuleSet::empty());
    // R2 keys only the house number and ZIP: a namesake at 12 Elm St in the same ZIP
    // removes the R2 key of the one at 12 Park Ave, and R1 still hits.
    let elm = rec("Brian", "Jones", "", "12 Elm St", "", "");
    let zip = Epoch::ingest(3, &[at_park("Brian"), elm], DEFAULT);
    assert_eq!(zip.ask(&at_park("Brian"), DEFAULT), set(&[R1]));
    // Without the namesake the same query hits at both rules.
    let alone = Epoch::ingest(3, &[at_park("Brian")], DEFAULT);
    assert_eq!(alone.ask(&at_park("Brian"), DEFAULT), set(&[R1, R2]));
}

#[test]
fn unit_presence_and_value_through_r1() {
    let flat = rec("Ana", "Silva", "", "40 Main St Apt 4B", "", "");
    let unit = |u| rec("Ana", "Silva", "", "40 Main St", u, "");
    let with_unit = Epoch::ingest(4, &[flat], DEFAULT);
    let without = Epoch::ingest(4, &[unit("")], DEFAULT);
    // No unit copy on the holder side: R's unit-less query hits R1 iff H has no unit.
    assert_eq!(without.ask(&unit(""), DEFAULT), set(&[R1, R2]));
    assert_eq!(with_unit.ask(&unit(""), DEFAULT), set(&[R2]));
    // A guessed unit hits R1 iff it is H's (however it is written).
    assert_eq!(with_unit.ask(&unit("#4B"), DEFAULT), set(&[R1, R2]));
    assert_eq!(with_unit.ask(&unit("Apt 5C"), DEFAULT), set(&[R2]));
    assert_eq!(without.ask(&unit("4B"), DEFAULT), set(&[R2]));
}

#[test]
fn suffix_presence_and_value_and_the_other_generation() {
    let person = |s| rec("John", "Smith", s, "7 Oak Rd", "", "1950-01-01");
    let junior = Epoch::ingest(5, &[person("Jr")], RuleSet::all());
    let plain = Epoch::ingest(5, &[person("")], RuleSet::all());
    let all = RuleSet::all();
    let every = set(&[R1, R2, MatchRule::R3Phonetic, R4]);
    // Without a suffix R matches both; with one, only the holder with that suffix, on
    // every rule: R confirms H's suffix (at most six guesses) and learns its absence.
    assert_eq!(junior.ask(&person(""), all), every);
    assert_eq!(plain.ask(&person(""), all), every);
    assert_eq!(junior.ask(&person("JR"), all), every);
    assert_eq!(junior.ask(&person("Sr"), all), RuleSet::empty());
    assert_eq!(plain.ask(&person("Jr"), all), RuleSet::empty());
    // JR and SR at one address lose their suffix-less copies: the plain query misses,
    // each suffixed one hits, so R learns the other generation is in the file too.
    let both = Epoch::ingest(5, &[person("Jr"), person("Sr")], DEFAULT);
    assert_eq!(both.ask(&person(""), DEFAULT), RuleSet::empty());
    assert_eq!(both.ask(&person("Jr"), DEFAULT), set(&[R1, R2]));
    assert_eq!(both.ask(&person("Sr"), DEFAULT), set(&[R1, R2]));
}

#[test]
fn date_of_birth_only_through_r4_and_without_any_address() {
    let file = [rec(
        "Maria",
        "Garcia Lopez",
        "",
        "3 Elm St",
        "",
        "1985-07-14",
    )];
    let r4_set = Epoch::ingest(6, &file, RuleSet::all());
    let nowhere = |dob| rec("Maria", "Garcia", "", "", "", dob);
    let r4 = set(&[R4]);
    // An R4 hit confirms the guessed date and that the person is in H's file, with no
    // address at all (the surname variant GARCIA is enough).
    assert_eq!(r4_set.ask(&nowhere("1985-07-14"), r4), r4);
    assert_eq!(r4_set.ask(&nowhere("1985-07-15"), r4), RuleSet::empty());
    // An invalid date gives no key; a requester record without one asks nothing.
    assert!(r4_set.evaluate(&nowhere("1985-02-30"), r4).is_empty());
    assert!(r4_set.evaluate(&nowhere(""), r4).is_empty());
    // Under the default rules no key carries the date: neither H's set nor R's request.
    let default_set = Epoch::ingest(6, &file, DEFAULT);
    assert!(default_set.size() < r4_set.size());
    let asked = default_set.evaluate(&file[0], DEFAULT);
    assert!(asked.iter().all(|(rule, _)| *rule != R4) && !asked.is_empty());
    let other_dob = rec("Maria", "Garcia Lopez", "", "3 Elm St", "", "1990-01-01");
    assert_eq!(default_set.ask(&other_dob, DEFAULT), set(&[R1, R2]));
}

#[test]
fn set_size_across_epochs_counts_unique_keys_not_records() {
    let brian = at_park("Brian Scott");
    // One record: R1 on all given names and on the first alone, R2: N = 3.
    let e1 = Epoch::ingest(7, std::slice::from_ref(&brian), DEFAULT);
    assert_eq!(e1.size(), 3);
    // A nickname adds its canonical form's keys: BILL gives BILL and WILLIAM, R1 + R2.
    let bill = rec("Bill", "Ng", "", "9 Pine St", "", "");
    let e2 = Epoch::ingest(8, &[brian.clone(), bill.clone()], DEFAULT);
    assert_eq!(e2.size(), 3 + 4);
    // Adding a namesake at the same address shrinks N: BRIAN JONES takes BRIAN SCOTT
    // JONES's first-name R1 key and R2 key with it, and keeps none itself.
    let e3 = Epoch::ingest(9, &[brian.clone(), bill, at_park("Brian")], DEFAULT);
    assert_eq!(e3.size(), 1 + 4);
    // The same file under a new key: same N, and no fingerprint in common, so R cannot
    // tell which entries of two epochs' sets are the same.
    let rekeyed = Epoch::ingest(12, std::slice::from_ref(&brian), DEFAULT);
    assert_eq!(rekeyed.size(), e1.size());
    let old = e1.set.fingerprints();
    assert!(
        rekeyed
            .set
            .fingerprints()
            .iter()
            .all(|fp| !old.contains(fp))
    );
}

#[test]
fn a_set_re_ingested_under_the_same_key_is_diffable_and_old_outputs_recheck() {
    let brian = at_park("Brian Scott");
    let ana = rec("Ana", "Silva", "", "40 Main St", "", "");
    let before = Epoch::ingest(10, &[brian.clone(), ana.clone()], DEFAULT);
    // R keeps the outputs of its one approved request.
    let outputs = before.evaluate(&brian, DEFAULT);
    assert_eq!(before.hits(&outputs), set(&[R1, R2]));
    // H re-ingests a changed file into the same epoch (same k): BRIAN moved away.
    let moved = rec("Brian Scott", "Jones", "", "5 Far Rd", "", "");
    let after = Epoch::ingest(10, &[moved, ana], DEFAULT);
    // Offline, with no new request: the old outputs no longer match...
    assert_eq!(after.hits(&outputs), RuleSet::empty());
    // ...and the two sets differ in exactly the moved record's keys, ANA's are shared.
    let old = before.set.fingerprints();
    let new = after.set.fingerprints();
    let kept = new.iter().filter(|fp| old.contains(fp)).count();
    assert_eq!((old.len(), new.len(), kept), (5, 5, 2));
    // A new key, as `irs epoch rotate` draws, breaks both: nothing is shared.
    let rotated = Epoch::ingest(11, &[at_park("Brian Scott")], DEFAULT);
    assert_eq!(rotated.hits(&outputs), RuleSet::empty());
    assert_eq!(rotated.ask(&brian, DEFAULT), set(&[R1, R2]));
}
