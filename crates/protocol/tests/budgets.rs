//! The budgets the holder enforces, through the real drivers over a Unix socket: a
//! rolling 24-hour window for records and elements per requester (not a UTC day), the
//! per-epoch evaluation cap, and all of them rebuilt from the ledger's history when the
//! holder restarts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod session_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use blindlink_core::oprf::SecretKey;
use blindlink_protocol::driver::{
    HolderService, Ledger, RequesterOutcome, Served, ServedEpoch, ServedRecords, Unobserved,
    WINDOW_SECS,
};
use blindlink_protocol::manifest::KeyEpoch;
use blindlink_protocol::policy::Policy;
use session_support::socket::{Peers, peers, session};
use session_support::*;

/// A UTC midnight a little after `NOW`.
const MIDNIGHT: u64 = (NOW / WINDOW_SECS + 1) * WINDOW_SECS;

struct Bench {
    h: Holder,
    clock: Arc<AtomicU64>,
    peers: Peers,
}

impl Bench {
    /// A holder whose policy has these `[limits]` lines.
    fn new(limits: &str) -> Bench {
        let mut h = setup();
        h.policy = Policy::from_toml_str(&format!(
            "[approvers]\ndhs-secretary = [\"{}\"]\n[required_roles]\nany_of = [\"dhs-secretary\"]\n[limits]\n{limits}\n",
            h.approver.public_key().to_hex()
        ))
        .unwrap();
        Bench {
            h,
            clock: Arc::new(AtomicU64::new(NOW)),
            peers: peers(),
        }
    }

    fn set_time(&self, now: u64) {
        self.clock.store(now, Ordering::SeqCst);
    }

    /// A holder service (a fresh start) over `ledger`, seeded from its history.
    fn start(&self, ledger: TestLedger) -> HolderService<TestLedger> {
        let epoch = ServedEpoch {
            key: SecretKey::from_bytes(&self.h.key.to_bytes()).unwrap(),
            params: self.h.params.clone(),
            set_bytes: self.h.set_bytes.clone(),
            set_hash: self.h.set_hash,
        };
        let clock = Arc::clone(&self.clock);
        let clock = Box::new(move || clock.load(Ordering::SeqCst));
        HolderService::new(epoch, self.h.policy.clone(), ledger, clock).unwrap()
    }

    /// One request of `records` records (six elements, R1) issued now; the holder's
    /// outcome, checked against what the requester was told.
    fn ask(&self, service: &HolderService<TestLedger>, records: u64) -> Served {
        let req = request_at(&self.h, records, None, self.clock.load(Ordering::SeqCst));
        let (served, outcome) = session(service, &self.peers, req, &mut Unobserved);
        let (served, outcome) = (served.unwrap(), outcome.unwrap());
        match (&served, outcome) {
            (Served::Answered, RequesterOutcome::Answered(_)) => {}
            (Served::Refused(code), RequesterOutcome::Refused(refusal)) => {
                assert_eq!(&refusal.code, code);
            }
            (served, outcome) => panic!("holder {served:?}, requester {outcome:?}"),
        }
        served
    }
}

fn refused(code: &str) -> Served {
    Served::Refused(code.to_owned())
}

/// The restarted holder's ledger: the same history.
fn restart(ledger: &TestLedger) -> TestLedger {
    let history = ledger.served_history().unwrap();
    TestLedger {
        served: std::sync::Mutex::new(history),
        ..TestLedger::default()
    }
}

/// Fails with UTC-day counters: three records at 23:59 and three more at 00:01 were
/// "two days", twice the daily limit in two minutes.
#[test]
fn records_across_midnight_within_24_hours_are_refused() {
    let b = Bench::new("max_records_per_day = 3");
    let service = b.start(TestLedger::default());
    b.set_time(MIDNIGHT - 60);
    assert_eq!(b.ask(&service, 3), Served::Answered);
    b.set_time(MIDNIGHT + 60);
    assert_eq!(b.ask(&service, 1), refused("over-daily-limit"));
    // Still refused after a restart: the window is rebuilt from the ledger.
    let service = b.start(restart(service.ledger()));
    assert_eq!(b.ask(&service, 1), refused("over-daily-limit"));
    b.set_time(MIDNIGHT - 61 + WINDOW_SECS);
    assert_eq!(b.ask(&service, 1), refused("over-daily-limit"));
    // 24 hours after the first request, it no longer counts.
    b.set_time(MIDNIGHT - 60 + WINDOW_SECS);
    assert_eq!(b.ask(&service, 3), Served::Answered);
}

/// Fails before `max_elements_per_day` existed: elements per requester were unbounded
/// over time (only records were counted).
#[test]
fn elements_per_day_are_bounded_and_survive_a_restart() {
    let b = Bench::new("max_elements_per_day = 10");
    let service = b.start(TestLedger::default());
    assert_eq!(b.ask(&service, 3), Served::Answered);
    assert_eq!(b.ask(&service, 3), refused("over-daily-element-limit"));
    let service = b.start(restart(service.ledger()));
    b.set_time(NOW + WINDOW_SECS - 1);
    assert_eq!(b.ask(&service, 3), refused("over-daily-element-limit"));
    b.set_time(NOW + WINDOW_SECS);
    assert_eq!(b.ask(&service, 3), Served::Answered);
    assert_eq!(service.ledger().events().last(), Some(&"set-sent"));
}

/// Fails before the per-epoch cap: nothing bounded the evaluations under one key.
#[test]
fn the_epoch_cap_refuses_until_rotation_even_after_a_restart() {
    let b = Bench::new("max_elements_per_epoch = 12");
    let service = b.start(TestLedger::default());
    assert_eq!(b.ask(&service, 3), Served::Answered);
    assert_eq!(b.ask(&service, 3), Served::Answered);
    assert_eq!(b.ask(&service, 3), refused("epoch-exhausted"));
    // Days later and after a restart: still exhausted (no window for the key).
    b.set_time(NOW + 30 * WINDOW_SECS);
    let service = b.start(restart(service.ledger()));
    assert_eq!(b.ask(&service, 1), refused("epoch-exhausted"));
    assert_eq!(
        service.ledger().events(),
        ["request-received", "decision-refused"]
    );

    // Evaluations under another (rotated-away) key do not count against this one.
    let other = ServedRecords {
        requester: "ice-test".into(),
        time: NOW,
        records: 3,
        elements: 1_000,
        key_epoch: Some(KeyEpoch::from_bytes([0xee; 16])),
    };
    let service = b.start(TestLedger {
        served: std::sync::Mutex::new(vec![other]),
        ..TestLedger::default()
    });
    assert_eq!(b.ask(&service, 3), Served::Answered);
}
