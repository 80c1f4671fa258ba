//! `irs serve`: parse the options, load the state, listen, serve.

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use anyhow::anyhow;
use blindlink_cli::Failure;
use blindlink_protocol::wire::Limits;
use blindlink_store::key_file::{self, KeyFileError, NoisePublic};
use irs::audit_events;
use irs::serve::{ServeConfig, ServeError, ServedState, serve};

use super::{Context, now};
use crate::cli::ServeArgs;

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

/// Runs the server until it is killed.
pub fn run(ctx: &Context, args: &ServeArgs) -> Result<(), Failure> {
    let requesters = args
        .requesters
        .iter()
        .map(|s| parse_requester(s))
        .collect::<Result<Vec<_>, _>>()?;
    if args.max_sessions == 0 {
        return Err(Failure::input(anyhow!("--max-sessions must be at least 1")));
    }
    let cannot_start = |e: ServeError| {
        Failure::blamed(
            e.is_usage(),
            anyhow::Error::from(e).context("cannot start serving"),
        )
    };
    // The audit log is exclusive: reconcile with it and record what is served, then let
    // the server open it.
    let policy = {
        let log = ctx.open_audit_log()?;
        // Checked before holder.json is re-signed, so an edited policy is never published.
        let applied = ctx
            .state
            .audited_policy()
            .map_err(|e| cannot_start(e.into()))?
            .ok_or_else(|| cannot_start(ServeError::NoPolicy(ctx.state.policy_path())))?;
        ctx.reconcile(&log)?;
        let statement = ctx
            .state
            .read_statement(now())
            .map_err(|e| cannot_start(e.into()))?
            .ok_or_else(|| cannot_start(ServeError::NoCurrentEpoch(ctx.state.root().into())))?;
        log.append(&audit_events::serve_started(
            now(),
            &applied.digest,
            &requesters,
            &statement.digest(),
        ))
        .map_err(Failure::other)?;
        applied.policy
    };
    let config = ServeConfig {
        requesters,
        max_sessions: args.max_sessions,
        io_timeout: args.io_timeout,
        session_timeout: args.session_timeout,
        limits: Limits::default(),
    };
    let state = ServedState::load(&ctx.state, policy, config).map_err(cannot_start)?;
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
