//! Group commit under many threads: every append returns only after a sync that covers
//! it, the chain stays intact, syncs are shared, and a failed sync fails every waiter it
//! would have covered and every later append.

use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Barrier};

use serde_json::json;

use super::*;
use crate::audit::{AuditError, AuditEvent, AuditLog, EventKind, verify};
use crate::replay::{ReplayError, ReplayStore};
use blindlink_protocol::manifest::RequestId;

const THREADS: u64 = 8;
const APPENDS: u64 = 40;

fn event(thread: u64, i: u64) -> AuditEvent {
    let details = json!({"thread": thread, "i": i});
    AuditEvent {
        time: thread,
        kind: EventKind::Evaluated,
        details: details.as_object().cloned().unwrap_or_default(),
    }
}

/// End offset (exclusive) of every line, indexed by `seq - 1`.
fn line_ends(bytes: &[u8]) -> Vec<u64> {
    let mut ends = Vec::new();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            ends.push(i as u64 + 1);
        }
    }
    ends
}

/// A sync that records the file length it covered once it returned: what is durable.
fn recording_sync(durable: &Arc<AtomicU64>) -> impl Fn(&File) -> io::Result<()> + use<> {
    let durable = Arc::clone(durable);
    move |file: &File| {
        let len = file.metadata()?.len();
        file.sync_data()?;
        durable.fetch_max(len, Ordering::SeqCst);
        Ok(())
    }
}

#[test]
fn every_append_returns_after_a_sync_covering_it_and_syncs_are_shared() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let durable = Arc::new(AtomicU64::new(0));
    let group =
        GroupCommit::with_gather(Duration::from_millis(2)).with_sync(recording_sync(&durable));
    let log = Arc::new(AuditLog::open_with(&path, group).unwrap());
    let start = Arc::new(Barrier::new(THREADS as usize));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let (log, durable, start) =
                (Arc::clone(&log), Arc::clone(&durable), Arc::clone(&start));
            std::thread::spawn(move || {
                start.wait();
                (0..APPENDS)
                    .map(|i| {
                        let seq = log.append(&event(t, i)).unwrap();
                        (seq, durable.load(Ordering::SeqCst))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let returned: Vec<(u64, u64)> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let ends = line_ends(&std::fs::read(&path).unwrap());
    assert_eq!(ends.len() as u64, THREADS * APPENDS);
    for (seq, durable_at_return) in &returned {
        let end = ends[*seq as usize - 1];
        assert!(
            end <= *durable_at_return,
            "entry {seq} ends at {end} but only {durable_at_return} bytes were synced when it returned"
        );
    }
    let mut seqs: Vec<u64> = returned.iter().map(|(s, _)| *s).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=THREADS * APPENDS).collect::<Vec<_>>());
    let report = verify(&path).unwrap();
    assert!(report.is_intact(), "{report}");
    assert!(
        log.syncs() < THREADS * APPENDS / 2,
        "{} syncs for {} appends: not shared",
        log.syncs(),
        THREADS * APPENDS
    );
}

#[test]
fn a_lone_writer_syncs_every_append_without_gathering() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let group = GroupCommit::with_gather(Duration::from_secs(3600));
    let log = AuditLog::open_with(&path, group).unwrap();
    for i in 0..5 {
        log.append(&event(0, i)).unwrap();
    }
    assert_eq!(log.syncs(), 5);
}

/// A sync that succeeds `good` times, then blocks until `release` is reached by the
/// test and fails (and fails every time after).
fn failing_sync(
    good: usize,
    release: &Arc<Barrier>,
    calls: &Arc<AtomicUsize>,
    durable: &Arc<AtomicU64>,
) -> impl Fn(&File) -> io::Result<()> + use<> {
    let (release, calls, durable) = (Arc::clone(release), Arc::clone(calls), Arc::clone(durable));
    move |file: &File| {
        let call = calls.fetch_add(1, Ordering::SeqCst);
        if call < good {
            let len = file.metadata()?.len();
            file.sync_data()?;
            durable.fetch_max(len, Ordering::SeqCst);
            return Ok(());
        }
        if call == good {
            release.wait();
        }
        Err(io::Error::other("injected fdatasync failure"))
    }
}

#[test]
fn a_failed_sync_fails_every_covered_waiter_and_every_later_append() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let release = Arc::new(Barrier::new(2));
    let (calls, durable) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicU64::new(0)));
    let group = GroupCommit::with_gather(Duration::from_millis(1))
        .with_sync(failing_sync(3, &release, &calls, &durable));
    let log = Arc::new(AuditLog::open_with(&path, group).unwrap());
    for i in 0..3 {
        log.append(&event(0, i)).unwrap();
    }
    // The fourth sync blocks: its syncer and every thread appending meanwhile wait on it.
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let log = Arc::clone(&log);
            std::thread::spawn(move || log.append(&event(t + 1, 0)))
        })
        .collect();
    while (line_ends(&std::fs::read(&path).unwrap()).len() as u64) < 3 + THREADS {
        std::thread::sleep(Duration::from_millis(1));
    }
    release.wait();
    for handle in handles {
        match handle.join().unwrap() {
            Err(AuditError::Io { action, source, .. }) => {
                assert_eq!(action, "sync an entry");
                assert!(source.to_string().contains("injected"), "{source}");
            }
            other => panic!("a waiter the failed sync covered got {other:?}"),
        }
    }
    assert!(matches!(
        log.append(&event(99, 0)),
        Err(AuditError::Failed { .. })
    ));
    // Nothing after the last good sync was reported durable; it wrote 3 lines.
    let ends = line_ends(&std::fs::read(&path).unwrap());
    assert_eq!(ends.len() as u64, 3 + THREADS);
    assert_eq!(durable.load(Ordering::SeqCst), ends[2]);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        4,
        "one sync failed, none retried"
    );
}

#[test]
fn a_failed_journal_sync_fails_the_claim_and_every_later_call() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("replay.log");
    let release = Arc::new(Barrier::new(2));
    let (calls, durable) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicU64::new(0)));
    let group = GroupCommit::with_gather(Duration::ZERO)
        .with_sync(failing_sync(1, &release, &calls, &durable));
    let store = Arc::new(ReplayStore::open_with(&path, group).unwrap());
    assert!(
        store
            .insert_if_new(&RequestId::from_bytes([1; 16]))
            .unwrap()
    );
    let claim = {
        let store = Arc::clone(&store);
        std::thread::spawn(move || store.insert_if_new(&RequestId::from_bytes([2; 16])))
    };
    release.wait();
    assert!(matches!(claim.join().unwrap(), Err(ReplayError::Io { .. })));
    let id = RequestId::from_bytes([3; 16]);
    assert!(matches!(
        store.insert_if_new(&id),
        Err(ReplayError::Failed { .. })
    ));
    assert!(matches!(
        store.contains(&id),
        Err(ReplayError::Failed { .. })
    ));
}

#[test]
fn concurrent_claims_of_one_id_have_one_winner_and_share_syncs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("replay.log");
    let group = GroupCommit::with_gather(Duration::from_millis(2));
    let store = Arc::new(ReplayStore::open_with(&path, group).unwrap());
    let start = Arc::new(Barrier::new(THREADS as usize));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let (store, start) = (Arc::clone(&store), Arc::clone(&start));
            std::thread::spawn(move || {
                start.wait();
                let mut won = 0u64;
                for i in 0..APPENDS {
                    let shared = RequestId::from_bytes([i as u8; 16]);
                    won += u64::from(store.insert_if_new(&shared).unwrap());
                    let own = RequestId::from_bytes([
                        (i as u8) | 0x80,
                        t as u8,
                        1,
                        1,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                    ]);
                    assert!(store.insert_if_new(&own).unwrap());
                }
                won
            })
        })
        .collect();
    let won: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(won, APPENDS, "each shared id is won exactly once");
    assert_eq!(store.len().unwrap() as u64, APPENDS + THREADS * APPENDS);
    assert!(store.syncs() < APPENDS + THREADS * APPENDS);
    drop(store);
    assert_eq!(
        ReplayStore::open(&path).unwrap().len().unwrap() as u64,
        APPENDS + THREADS * APPENDS
    );
}
