//! `ice query`: run an approved request against the holder and write the results.
//!
//! A TCP connection with timeouts and the Noise channel pinned to the holder's key, then
//! the protocol crate's requester driver ([`blindlink_protocol::driver::run`]); around it
//! the audit log, the set cache and the results file. All checking of what the holder
//! sends lives in the session and the driver (plus holder.json's set, checked here).

use std::collections::BTreeMap;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Instant;

use anyhow::anyhow;
use blindlink_core::fingerprint::EncodedSet;
use blindlink_protocol::approval::Approval;
use blindlink_protocol::bundle::{RecordResult, RequestBundle};
use blindlink_protocol::driver::{
    self, Observer, Point, RequesterError, RequesterJob, RequesterOutcome, Traffic,
};
use blindlink_protocol::manifest::BlindedDigest;
use blindlink_protocol::session::requester::RequesterParams;
use blindlink_protocol::transparency::ReceiptExpectation;
use blindlink_protocol::wire::{Channel, Limits, Metered};
use blindlink_store::audit::{AuditLog, EventKind};
use blindlink_store::csv::results::results_to_csv;
use blindlink_store::key_file::{self, NoiseSecret};
use serde::Serialize;
use serde_json::json;

use super::{audit, now_or_clock, open_audit, print_json, receipts, refuse_overwrite, set_cache};
use crate::cli::QueryArgs;
use blindlink_cli::failure::{Blame, Failure};
use blindlink_protocol::statement::HolderStatement;

use super::pin::verified_statement;

/// What a finished query reports.
#[derive(Debug, Serialize)]
struct QueryReport {
    request_id: String,
    records: usize,
    elements: usize,
    matched_records: usize,
    matched_by_rule: BTreeMap<String, usize>,
    set_from_cache: bool,
    set_size: u64,
    bytes_sent: u64,
    bytes_received: u64,
    seconds: BTreeMap<&'static str, f64>,
    results: String,
}

type Stream = Metered<TcpStream>;

fn connect(args: &QueryArgs) -> Result<TcpStream, Failure> {
    let addrs: Vec<_> = args
        .connect
        .to_socket_addrs()
        .input(format!("invalid --connect {}", args.connect))?
        .collect();
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, args.timeout) {
            Ok(stream) => {
                stream
                    .set_read_timeout(Some(args.timeout))
                    .and_then(|()| stream.set_write_timeout(Some(args.timeout)))
                    .and_then(|()| stream.set_nodelay(true))
                    .other("cannot configure the connection")?;
                return Ok(stream);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(Failure::other(
        anyhow!(last.map_or_else(|| "no address".to_owned(), |e| e.to_string()))
            .context(format!("cannot connect to {}", args.connect)),
    ))
}

fn load_approvals(args: &QueryArgs, bundle: &RequestBundle) -> Result<Vec<Vec<u8>>, Failure> {
    let mut out = Vec::with_capacity(args.approvals.len());
    for path in &args.approvals {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).input(format!("cannot read {shown}"))?;
        let approval: Approval =
            serde_json::from_slice(&bytes).input(format!("{shown} is not an approval"))?;
        approval
            .verify(bundle.manifest())
            .input(format!("{shown} does not approve this bundle's manifest"))?;
        out.push(bytes);
    }
    Ok(out)
}

fn log_failure(log: &AuditLog, request_id: &str, failure: Failure) -> Failure {
    let time = now_or_clock(None).unwrap_or(0);
    let _ = audit(
        log,
        time,
        EventKind::SessionError,
        json!({ "request_id": request_id, "error": failure.message() }),
    );
    failure
}

/// The statement must name the epoch, OPRF key and set the approvers signed for: a holder
/// that changed any of them since (a new set after a merge, another key) gets nothing.
fn check_approved_scope(
    statement: &HolderStatement,
    bundle: &RequestBundle,
    shown: &std::path::Path,
) -> Result<(), Failure> {
    let info = &statement.body().epoch;
    let fields = bundle.manifest().fields();
    for (field, signed, stated) in [
        (
            "key epoch",
            fields.key_epoch.to_hex(),
            info.key_epoch.to_hex(),
        ),
        (
            "OPRF public key",
            fields.oprf_public_key.to_hex(),
            hex::encode(info.oprf_public_key),
        ),
        (
            "set hash",
            fields.set_hash.to_hex(),
            hex::encode(info.set_hash),
        ),
    ] {
        if signed != stated {
            return Err(Failure::input(anyhow!(
                "{} names {field} {stated} but the approved manifest names {signed}: the holder \
                 changed its epoch, key or set since the request was prepared; nothing was sent \
                 (prepare and approve the request again if the change is expected)",
                shown.display()
            )));
        }
    }
    Ok(())
}

pub fn run(args: &QueryArgs) -> Result<(), Failure> {
    refuse_overwrite(&args.results, args.force)?;
    let bundle_shown = args.bundle.display().to_string();
    let bundle_bytes =
        blindlink_store::read_secret(&args.bundle).input("cannot read the bundle")?;
    let bundle = RequestBundle::from_bytes(&bundle_bytes).input(bundle_shown)?;
    drop(bundle_bytes);
    let approvals = load_approvals(args, &bundle)?;
    // What is sent must be what was approved: the holder checks this too, but a bundle
    // altered after approval should not leave this machine at all.
    if BlindedDigest::digest_all(bundle.blinded_elements())
        != bundle.manifest().fields().blinded_digest
    {
        return Err(Failure::input(anyhow!(
            "the bundle's blinded elements do not match the approved manifest's digest \
             (altered after approval? `approve review` shows where)"
        )));
    }
    let statement = verified_statement(&args.state.dir, &args.holder, now_or_clock(None)?)?;
    check_approved_scope(&statement, &bundle, &args.holder)?;
    let noise_key = key_file::read::<NoiseSecret>(&args.state.dir.join("noise.key"))
        .input("cannot load the requester's Noise key (run `ice keygen`)")?;
    let log = open_audit(&args.state.dir)?;
    let request_id = bundle.manifest().request_id().to_hex();
    query(
        args,
        bundle,
        approvals,
        &statement,
        &noise_key,
        &log,
        &request_id,
    )
    .map_err(|f| log_failure(&log, &request_id, f))
}

fn query(
    args: &QueryArgs,
    bundle: RequestBundle,
    approvals: Vec<Vec<u8>>,
    statement: &HolderStatement,
    noise_key: &blindlink_protocol::wire::NoiseStaticKey,
    log: &AuditLog,
    request_id: &str,
) -> Result<(), Failure> {
    let holder = &statement.body().epoch;
    let mut seconds = BTreeMap::new();
    let epoch = *bundle.key_epoch().as_bytes();
    let cached = if args.no_cache {
        None
    } else {
        set_cache::load(&args.state.dir, &epoch)
    };
    // The receipt must prove the decision on this request, signed by the pinned holder,
    // in a log that extends the one the last receipt showed.
    let holder_identity = statement.body().identity_public_key;
    let receipt = ReceiptExpectation {
        holder: holder_identity,
        requester_id: bundle.manifest().fields().requester_id.as_str().to_owned(),
        request_id: bundle.manifest().request_id(),
        manifest_sha256: bundle.manifest().sha256(),
        last_seen: receipts::last_seen(log.path(), &holder_identity)?,
    };
    let params = RequesterParams {
        requester_id: bundle.manifest().fields().requester_id.as_str().to_owned(),
        manifest_json: bundle.manifest().to_json_pretty().into_bytes(),
        approvals_json: approvals,
        key_epoch: epoch,
        pinned_public_key: bundle.holder_public_key(),
        approved_set_hash: *bundle.manifest().fields().set_hash.as_bytes(),
        cached: cached.as_ref().map(|(_, c)| *c),
        receipt,
        limits: Limits::default(),
    };

    let start = Instant::now();
    let stream = Metered::new(connect(args)?);
    let mut channel = Channel::connect(stream, noise_key, &holder.noise_public_key)
        .other(format!("secure channel to {} failed", args.connect))?;
    seconds.insert("connect", start.elapsed().as_secs_f64());

    audit(
        log,
        now_or_clock(None)?,
        EventKind::QuerySent,
        json!({
            "request_id": request_id,
            "holder": args.connect,
            "elements": bundle.element_count(),
            "blinded_digest": bundle.manifest().fields().blinded_digest.to_hex(),
            "cached_set": params.cached.map(|c| hex::encode(c.set_hash)),
            "holder_statement_sha256": hex::encode(statement.digest()),
        }),
    )?;

    let (contents, blinds) = bundle.into_parts();
    // A set that is not the one the signed holder.json announces (and the approvers
    // signed for) is refused before it is used or cached.
    let announced = |set: &EncodedSet| {
        holder
            .check_set(set)
            .map_err(|e| format!("the holder's set is not the one its holder.json announces: {e}"))
    };
    let job = RequesterJob {
        params,
        blinded: contents.blinded_elements(),
        inputs: contents.element_inputs(),
        blinds,
        cached_set: cached.map(|(set, _)| set),
        check_set: &announced,
        keep_receipt: &|verified| {
            receipts::keep(log, holder_identity, request_id, verified)
                .map(|_| ())
                .map_err(|f| f.message())
        },
    };
    let mut timings = PhaseTimes::new();
    let outcome = driver::run(&mut channel, job, &mut timings).map_err(session_failure)?;
    timings.into_seconds(&mut seconds);
    let answer = match outcome {
        RequesterOutcome::Answered(answer) => answer,
        RequesterOutcome::Refused(refusal) => {
            audit(
                log,
                now_or_clock(None)?,
                EventKind::Result,
                json!({ "request_id": request_id, "refused": refusal.code, "message": refusal.message }),
            )?;
            return Err(Failure::other(anyhow!(
                "the holder refused the request: {} ({})",
                refusal.message,
                refusal.code
            )));
        }
    };
    let from_cache = answer.downloaded.is_none();
    if let Some(bytes) = &answer.downloaded
        && !args.no_cache
    {
        set_cache::store(&args.state.dir, &epoch, bytes)?;
    }
    let set = answer.set;

    let t = Instant::now();
    let results = contents
        .results(&answer.matched)
        .other("cannot map matches to records")?;
    *seconds.entry("lookup").or_insert(0.0) += t.elapsed().as_secs_f64();
    let csv = results_to_csv(&results).other("cannot encode the results")?;
    blindlink_store::write_atomic(&args.results, &csv, 0o600).other("cannot write the results")?;

    let report = report(
        request_id, &contents, &results, &set, from_cache, &channel, seconds, args,
    );
    audit(
        log,
        now_or_clock(None)?,
        EventKind::Result,
        json!({
            "request_id": request_id,
            "matched_records": report.matched_records,
            "matched_by_rule": report.matched_by_rule,
            "set_hash": hex::encode(set.content_hash()),
            "set_from_cache": from_cache,
            "results": args.results.display().to_string(),
        }),
    )?;
    if args.json {
        return print_json(&report);
    }
    print_text(&report);
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn report(
    request_id: &str,
    contents: &blindlink_protocol::bundle::BundleContents,
    results: &[RecordResult],
    set: &EncodedSet,
    from_cache: bool,
    channel: &Channel<Stream>,
    seconds: BTreeMap<&'static str, f64>,
    args: &QueryArgs,
) -> QueryReport {
    let mut matched_by_rule = BTreeMap::new();
    for r in results {
        if let Some(rule) = r.matched_rule {
            *matched_by_rule.entry(rule.id().to_owned()).or_insert(0) += 1;
        }
    }
    QueryReport {
        request_id: request_id.to_owned(),
        records: contents.records().len(),
        elements: contents.element_count(),
        matched_records: results.iter().filter(|r| r.matched_rule.is_some()).count(),
        matched_by_rule,
        set_from_cache: from_cache,
        set_size: set.len() as u64,
        bytes_sent: channel.get_ref().bytes_written(),
        bytes_received: channel.get_ref().bytes_read(),
        seconds,
        results: args.results.display().to_string(),
    }
}

fn print_text(r: &QueryReport) {
    blindlink_cli::outln!("request {}", r.request_id);
    blindlink_cli::outln!(
        "  {} records, {} elements; {} records matched",
        r.records,
        r.elements,
        r.matched_records
    );
    for (rule, n) in &r.matched_by_rule {
        blindlink_cli::outln!("    strongest rule {rule}: {n}");
    }
    blindlink_cli::outln!(
        "  holder set: {} fingerprints ({})",
        r.set_size,
        if r.set_from_cache {
            "cached copy confirmed current"
        } else {
            "downloaded"
        }
    );
    blindlink_cli::outln!(
        "  bytes on the wire: {} sent, {} received",
        r.bytes_sent,
        r.bytes_received
    );
    let times: Vec<String> = r
        .seconds
        .iter()
        .map(|(k, v)| format!("{k} {v:.3}s"))
        .collect();
    blindlink_cli::outln!("  time: {}", times.join(", "));
    blindlink_cli::outln!("  results: {}", r.results);
}

/// A failed session as the user sees it.
fn session_failure(error: RequesterError) -> Failure {
    let context = match &error {
        RequesterError::Channel(_) => "connection to the holder failed",
        RequesterError::ClosedAfterHandshake => "connection to the holder failed",
        RequesterError::Rejected(_) | RequesterError::SetRejected(_) => {
            "the holder's answer was rejected"
        }
        RequesterError::ReceiptNotKept(_) => "the holder's receipt could not be logged",
    };
    let detail = match error {
        RequesterError::Rejected(e) => e.to_string(),
        RequesterError::SetRejected(why) => why,
        other => other.to_string(),
    };
    Failure::other(anyhow!(detail).context(context))
}

/// The driver's points as the phase timings `ice query` reports.
struct PhaseTimes {
    start: Instant,
    at: Vec<(Point, Instant)>,
}

impl PhaseTimes {
    fn new() -> PhaseTimes {
        PhaseTimes {
            start: Instant::now(),
            at: Vec::new(),
        }
    }

    fn into_seconds(self, seconds: &mut BTreeMap<&'static str, f64>) {
        let mut previous = self.start;
        for (point, at) in self.at {
            let name = match point {
                Point::RequestSent => "send_request",
                Point::EvaluationReceived => "holder_evaluation",
                Point::Finalized => "verify_finalize",
                Point::SetReceived => "set_transfer",
                Point::LookedUp => "lookup",
                _ => continue,
            };
            seconds.insert(name, at.duration_since(previous).as_secs_f64());
            previous = at;
        }
    }
}

impl Observer for PhaseTimes {
    fn at(&mut self, point: Point, _traffic: Traffic) {
        self.at.push((point, Instant::now()));
    }
}
