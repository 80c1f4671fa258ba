#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Key files of every kind through the one parser: approver keys (formerly parsed in
//! `blindlink-protocol`) and Noise keys (formerly parsed in `ice`).

use std::path::Path;

use blindlink_protocol::approval::ApproverSigningKey;
use blindlink_protocol::wire::NoiseStaticKey;
use blindlink_store::key_file::{
    self, APPROVER_PUBLIC_LABEL, ApproverPublic, ApproverSecret, KeyFileError, NoisePublic,
    NoiseSecret,
};
use rand::SeedableRng;
use rand::rngs::StdRng;

fn path() -> &'static Path {
    Path::new("dhs-secretary.key")
}

#[test]
fn approver_key_files_round_trip() {
    let mut rng = StdRng::seed_from_u64(1);
    let key = ApproverSigningKey::generate(&mut rng);
    let file = key_file::encode::<ApproverSecret>(&key);
    assert!(file.starts_with(b"blindlink-approver-secret-key-v1 "));
    assert_eq!(file.len(), 32 + 1 + 64 + 1);
    let back = key_file::parse::<ApproverSecret>(path(), &file).unwrap();
    assert_eq!(back.public_key(), key.public_key());
    let crlf = [&file[..file.len() - 1], b"\r\n"].concat();
    assert!(key_file::parse::<ApproverSecret>(path(), &crlf).is_ok());

    let public = key_file::encode::<ApproverPublic>(&key.public_key());
    assert_eq!(
        key_file::parse::<ApproverPublic>(path(), &public).unwrap(),
        key.public_key()
    );
    assert!(matches!(
        key_file::parse::<ApproverSecret>(path(), &public),
        Err(KeyFileError::WrongLabel { .. })
    ));
    assert!(matches!(
        key_file::parse::<ApproverPublic>(path(), &file),
        Err(KeyFileError::WrongLabel { .. })
    ));
}

#[test]
fn approver_key_files_reject_junk() {
    let key = ApproverSigningKey::generate(&mut StdRng::seed_from_u64(2));
    let good = key_file::encode::<ApproverSecret>(&key);
    let mut bad_digit = good.to_vec();
    bad_digit[40] = b'g';
    assert!(matches!(
        key_file::parse::<ApproverSecret>(path(), &bad_digit),
        Err(KeyFileError::BadHex { .. })
    ));
    let doubled = [&good[..], &good[..]].concat();
    assert!(key_file::parse::<ApproverSecret>(path(), &doubled).is_err());
    assert!(key_file::parse::<ApproverSecret>(path(), &vec![b'a'; 300]).is_err());
    let small_order = format!("{APPROVER_PUBLIC_LABEL} {}\n", hex::encode([0u8; 32]));
    assert!(matches!(
        key_file::parse::<ApproverPublic>(path(), small_order.as_bytes()),
        Err(KeyFileError::InvalidKey { .. })
    ));
}

#[test]
fn noise_key_files_round_trip() {
    let key = NoiseStaticKey::from_secret_bytes(&[9; 32]).unwrap();
    let file = key_file::encode::<NoiseSecret>(&key);
    assert!(file.starts_with(b"blindlink-noise-secret-key-v1 "));
    let back = key_file::parse::<NoiseSecret>(path(), &file).unwrap();
    assert_eq!(back.public_key(), key.public_key());
    let public = key_file::encode::<NoisePublic>(&key.public_key());
    assert_eq!(
        key_file::parse::<NoisePublic>(path(), &public).unwrap(),
        key.public_key()
    );
    assert!(key_file::parse::<NoiseSecret>(path(), &public).is_err());
    assert!(key_file::parse::<NoisePublic>(path(), &file).is_err());
    assert!(
        key_file::parse::<NoisePublic>(path(), b"blindlink-noise-public-key-v1 abcd\n").is_err()
    );
}

#[test]
fn files_are_byte_identical_to_the_old_writers() {
    // What `approve keygen`, `ice keygen` and `irs keygen` wrote before the parsers were
    // merged: label, one space, lowercase hex, one `\n`.
    let key = ApproverSigningKey::from_secret_bytes(&[0xab; 32]);
    let expected = format!("blindlink-approver-secret-key-v1 {}\n", "ab".repeat(32));
    assert_eq!(
        &key_file::encode::<ApproverSecret>(&key)[..],
        expected.as_bytes()
    );
    let public = key.public_key();
    let expected = format!("blindlink-approver-public-key-v1 {}\n", public.to_hex());
    assert_eq!(
        &key_file::encode::<ApproverPublic>(&public)[..],
        expected.as_bytes()
    );
    let expected = format!("blindlink-noise-public-key-v1 {}\n", "0c".repeat(32));
    assert_eq!(
        &key_file::encode::<NoisePublic>(&[0x0c; 32])[..],
        expected.as_bytes()
    );
}
