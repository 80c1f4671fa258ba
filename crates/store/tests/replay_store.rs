#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The replay store on real files.

use std::fs;
use std::sync::{Arc, Barrier};

use blindlink_protocol::manifest::RequestId;
use blindlink_store::replay::{ReplayError, ReplayStore, TornTail};

fn id(n: u8) -> RequestId {
    RequestId::from_bytes([n; 16])
}

#[test]
fn ids_are_single_use_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("replay.journal");
    {
        let store = ReplayStore::open(&path).unwrap();
        assert!(store.is_empty().unwrap());
        assert!(store.insert_if_new(&id(1)).unwrap());
        assert!(store.insert_if_new(&id(2)).unwrap());
        assert!(!store.insert_if_new(&id(1)).unwrap());
        assert!(store.contains(&id(2)).unwrap());
        assert_eq!(store.recovery(), None);
    }
    assert_eq!(fs::read(&path).unwrap().len(), 2 * 33);
    let store = ReplayStore::open(&path).unwrap();
    assert_eq!(store.len().unwrap(), 2);
    assert!(!store.insert_if_new(&id(1)).unwrap());
    assert!(!store.insert_if_new(&id(2)).unwrap());
    assert!(store.insert_if_new(&id(3)).unwrap());
    drop(store);
    assert_eq!(ReplayStore::open(&path).unwrap().len().unwrap(), 3);
}

#[test]
fn torn_fragment_is_cut_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("replay.journal");
    ReplayStore::open(&path)
        .unwrap()
        .insert_if_new(&id(1))
        .unwrap();
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend_from_slice(b"0202020202");
    fs::write(&path, &bytes).unwrap();

    let store = ReplayStore::open(&path).unwrap();
    assert_eq!(
        store.recovery(),
        Some(TornTail::Fragment {
            offset: 33,
            len: 10
        })
    );
    assert_eq!(fs::read(&path).unwrap().len(), 33);
    assert!(store.insert_if_new(&id(2)).unwrap());
    drop(store);
    let store = ReplayStore::open(&path).unwrap();
    assert_eq!(store.recovery(), None);
    assert!(store.contains(&id(2)).unwrap());
}

#[test]
fn torn_complete_id_counts_as_used() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("replay.journal");
    fs::write(&path, "07070707070707070707070707070707").unwrap();
    let store = ReplayStore::open(&path).unwrap();
    assert!(matches!(
        store.recovery(),
        Some(TornTail::CompleteId { offset: 0, .. })
    ));
    assert!(!store.insert_if_new(&id(7)).unwrap());
    assert!(store.insert_if_new(&id(8)).unwrap());
    drop(store);
    let store = ReplayStore::open(&path).unwrap();
    assert_eq!(store.recovery(), None);
    assert_eq!(store.len().unwrap(), 2);
}

#[test]
fn corrupt_line_fails_open_with_its_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("replay.journal");
    fs::write(
        &path,
        "01010101010101010101010101010101\nnot an id\n03030303030303030303030303030303\n",
    )
    .unwrap();
    match ReplayStore::open(&path) {
        Err(ReplayError::Corrupt { line, .. }) => assert_eq!(line, 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn concurrent_inserts_of_one_id_succeed_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(ReplayStore::open(dir.path().join("replay.journal")).unwrap());
    let barrier = Arc::new(Barrier::new(4));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let store = Arc::clone(&store);
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                store.insert_if_new(&id(9)).unwrap()
            })
        })
        .collect();
    let wins = handles
        .into_iter()
        .map(|h| h.join().unwrap())
        .filter(|&won| won)
        .count();
    assert_eq!(wins, 1);
}
