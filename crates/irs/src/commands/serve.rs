//! `irs serve`: parse the options, load the state, listen, serve.

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use anyhow::anyhow;
use blindlink_cli::Failure;
use blindlink_protocol::policy::Policy;
use blindlink_protocol::wire::Limits;
use blindlink_store::key_file::{self, KeyFileError, NoisePublic};
use irs::serve::{ServeConfig, ServedState, serve};

use super::Context;
use crate::cli::ServeArgs;

/// Largest policy file read.
const MAX_POLICY_BYTES: u64 = 1 << 20;

/// `ID=KEY`, where KEY is 64 hex digits or the path of a `noise.pub` file.
fn parse_requester(spec: &str) -> Result<(String, [u8; 32]), Failure> {
    let (id, key) = spec
        .split_once('=')
        .filter(|(id, key)| !id.is_empty() && !key.is_empty())
        .ok_or_else(|| Failure::input(anyhow!("--allow-requester {spec:?}: expected ID=KEY")))?;
    let mut public = [0u8; 32];
    if hex::decode_to_slice(key, &mut public).is_ok() {
        return Ok((id.to_owned(), public));
    }
    let public = key_file::read::<NoisePublic>(Path::new(key)).map_err(|e| match e {
        KeyFileError::Store(e) => Failure::input(anyhow!(
            "--allow-requester {id}: {key} is neither 64 hex digits nor a readable noise.pub ({e})"
        )),
        e => Failure::input(anyhow!("--allow-requester {id}: {e}")),
    })?;
    Ok((id.to_owned(), public))
}

fn load_policy(path: &Path) -> Result<Policy, Failure> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Failure::input(anyhow!("cannot read {}: {e}", path.display())))?;
    if meta.len() > MAX_POLICY_BYTES {
        return Err(Failure::input(anyhow!("{} is over 1 MiB", path.display())));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::input(anyhow!("cannot read {}: {e}", path.display())))?;
    Policy::from_toml_str(&text).map_err(|e| Failure::input(anyhow!("{}: {e}", path.display())))
}

/// Runs the server until it is killed.
pub fn run(ctx: &Context, args: &ServeArgs) -> Result<(), Failure> {
    let policy = load_policy(&args.policy)?;
    let requesters = args
        .requesters
        .iter()
        .map(|s| parse_requester(s))
        .collect::<Result<Vec<_>, _>>()?;
    if args.max_sessions == 0 {
        return Err(Failure::input(anyhow!("--max-sessions must be at least 1")));
    }
    // The audit log is exclusive: reconcile with it, then let the server open it.
    ctx.reconcile(&ctx.open_audit_log()?)?;
    let config = ServeConfig {
        requesters,
        max_sessions: args.max_sessions,
        io_timeout: args.io_timeout,
        session_timeout: args.session_timeout,
        limits: Limits::default(),
    };
    let state = ServedState::load(&ctx.state, policy, config).map_err(|e| {
        Failure::blamed(
            e.is_usage(),
            anyhow::Error::from(e).context("cannot start serving"),
        )
    })?;
    let listener = TcpListener::bind(&args.listen)
        .map_err(|e| Failure::input(anyhow!("cannot listen on {}: {e}", args.listen)))?;
    let addr = listener.local_addr().map_err(Failure::other)?;
    tracing::info!(
        %addr,
        epoch = %state.epoch,
        set_size = state.service.epoch().params.set_size,
        requesters = state.allowed.len(),
        "serving"
    );
    blindlink_cli::outln!("listening on {addr}");
    std::io::stdout().flush().map_err(Failure::other)?;
    serve(listener, Arc::new(state)).map_err(Failure::other)
}
