//! `approve keygen`: a new approver key pair for a role.

use std::fs::DirBuilder;
use std::os::unix::fs::DirBuilderExt;

use blindlink_protocol::approval::{ApproverSigningKey, Role};
use blindlink_store::key_file::{self, ApproverPublic, ApproverSecret};
use serde::Serialize;

use super::{print_json, refuse_overwrite};
use crate::cli::KeygenArgs;
use blindlink_cli::failure::{Blame, Failure};

#[derive(Serialize)]
struct KeygenReport {
    role: String,
    public_key: String,
    secret_key_file: String,
    public_key_file: String,
}

/// Runs `approve keygen`.
pub fn run(args: &KeygenArgs) -> Result<(), Failure> {
    let role = Role::new(args.role.as_str()).input("invalid --role")?;
    let secret_path = args.out.join(format!("{role}.key"));
    let public_path = args.out.join(format!("{role}.pub"));
    refuse_overwrite(&secret_path, args.force)?;
    refuse_overwrite(&public_path, args.force)?;
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&args.out)
        .other(format!("cannot create directory {}", args.out.display()))?;

    let key = ApproverSigningKey::generate(&mut rand::rng());
    let public_key = key.public_key();
    key_file::write::<ApproverSecret>(&secret_path, &key).other("cannot write the secret key")?;
    key_file::write::<ApproverPublic>(&public_path, &public_key)
        .other("cannot write the public key")?;
    tracing::info!(%role, public_key = %public_key, "approver key generated");

    let report = KeygenReport {
        role: role.to_string(),
        public_key: public_key.to_hex(),
        secret_key_file: secret_path.display().to_string(),
        public_key_file: public_path.display().to_string(),
    };
    if args.json {
        return print_json(&report);
    }
    eprintln!(
        "wrote {} (secret, mode 0600) and {}",
        report.secret_key_file, report.public_key_file
    );
    eprintln!(
        "for the holder's policy.toml, under [approvers]: {role} = [\"{}\"]",
        report.public_key
    );
    blindlink_cli::outln!("{}", report.public_key);
    Ok(())
}
