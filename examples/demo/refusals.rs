//! Section 6 of the demo: requests the holder must refuse, each shown with the reason
//! `ice` prints (or, for what `ice` itself will not send, the holder's answer to a
//! requester that speaks the protocol directly).

use std::path::Path;

use anyhow::{Result, bail};
use blindlink_testkit::rogue::{HolderAnswer, RogueRequester, swap_blinded_elements};
use blindlink_testkit::{LocalError, PolicySpec, QueryOutcome, RequestSpec, Server, synth_request};

use super::stage::{REQUESTER_ID, Stage, unix_now};

/// Prints a case heading.
fn case(label: &str, what: &str) {
    println!();
    println!("  {label} {what}");
}

/// Prints the refusal `ice` reported, if it has the expected code.
fn expect_refused(outcome: QueryOutcome, code: &str) -> Result<String> {
    match outcome {
        QueryOutcome::Refused { code: got, message } if got == code => {
            println!("      ice: the holder refused the request: {message} ({got})");
            Ok(message)
        }
        other => bail!("expected the holder to refuse with `{code}`, but the query {other}"),
    }
}

/// Prints the holder's answer to the rogue requester, if it is the expected refusal.
fn expect_holder_refused(answer: HolderAnswer, code: &str) -> Result<()> {
    match answer {
        HolderAnswer::Refused { code: got, message } if got == code => {
            println!("      holder -> requester: refused: {message} ({got})");
            Ok(())
        }
        other => bail!("expected the holder to refuse with `{code}`, got {other:?}"),
    }
}

/// Runs every refusal against `server` (restarting it under a dual-control policy for
/// the last one) and returns the server that is running at the end.
pub fn show(stage: &Stage, server: Server, approval: &Path, bundle: &Path) -> Result<Server> {
    let addr = server.addr().to_owned();

    case("(a)", "a request over the per-request limit");
    let larger = stage.path("larger-request.csv");
    let count = stage.request_limit as usize * 5 / 4 + 1;
    synth_request(
        &stage.bins,
        &RequestSpec {
            population: &stage.population,
            count,
            seed: 3,
            profile: "realistic",
            present_fraction: 0.6,
            out: &larger,
            truth: &stage.path("larger-truth.csv"),
        },
    )?;
    // The holder's signed statement publishes its limits, so ice refuses the request
    // before any official sees it (the holder enforces the same limit on whatever
    // reaches it: tests/e2e_refusals.rs).
    match stage.prepare_at(&larger, "larger.bundle", None, None) {
        Err(e)
            if e.to_string()
                .contains("the holder's policy allows per request") =>
        {
            let text = e.to_string();
            let reason = text.rsplit("ice: ").next().unwrap_or(&text);
            println!(
                "      {count} records; the policy allows {} per request",
                stage.request_limit
            );
            println!("      ice prepare, before any approval: {}", reason.trim());
        }
        Err(e) => bail!("ice prepare failed for another reason: {e}"),
        Ok(_) => bail!("ice prepared a request over the holder's published limit"),
    }

    case("(b)", "a bundle altered after approval");
    println!("      1. the approval of the first request, presented with another bundle:");
    let other = stage.prepare("other.bundle")?;
    match stage.query(&addr, &other.bundle, &[approval], "other.results.csv")? {
        QueryOutcome::Failed(line) if line.contains("does not approve") => {
            println!("      ice: {line}");
        }
        other => bail!("expected ice to refuse the mismatched approval, but the query {other}"),
    }
    println!("         sent anyway by a requester that skips ice's check:");
    let rogue = RogueRequester::from_ice_dir(stage.ice.dir(), REQUESTER_ID)?;
    expect_holder_refused(
        rogue.submit(&addr, &stage.holder_json, &other.bundle, &[approval])?,
        "bad-signature",
    )?;
    println!("      2. an approved bundle whose blinded elements were then swapped:");
    let altered = stage.prepare("altered.bundle")?;
    let altered_approval = stage.path("altered.approval.json");
    stage
        .secretary
        .sign(&altered.bundle, &altered_approval, None)?;
    swap_blinded_elements(&altered.bundle)?;
    match stage.secretary.sign(
        &altered.bundle,
        &stage.path("altered.again.approval.json"),
        None,
    ) {
        Err(LocalError::Failed { stderr, .. }) => println!("      {stderr}"),
        Err(e) => return Err(e.into()),
        Ok(()) => bail!("approve signed a bundle whose elements were altered"),
    }
    match stage.query(
        &addr,
        &altered.bundle,
        &[&altered_approval],
        "altered.results.csv",
    )? {
        QueryOutcome::Failed(line) if line.contains("digest") => println!("      ice: {line}"),
        other => bail!("expected ice to refuse the altered bundle, but the query {other}"),
    }
    println!("         sent anyway by a requester that skips ice's check:");
    expect_holder_refused(
        rogue.submit(
            &addr,
            &stage.holder_json,
            &altered.bundle,
            &[&altered_approval],
        )?,
        "digest-mismatch",
    )?;

    case(
        "(c)",
        "the first request, approval and all, sent a second time",
    );
    expect_refused(
        stage.query(&addr, bundle, &[approval], "replay.results.csv")?,
        "replayed",
    )?;

    case("(d)", "an approval by a key the policy does not list");
    let unknown = stage.prepare("unknown.bundle")?;
    let unknown_approval = stage.path("unknown.approval.json");
    stage
        .outsider
        .sign(&unknown.bundle, &unknown_approval, None)?;
    println!(
        "      signed as dhs-secretary by {}",
        stage.outsider.public_key()
    );
    expect_refused(
        stage.query(
            &addr,
            &unknown.bundle,
            &[&unknown_approval],
            "unknown.results.csv",
        )?,
        "unknown-approver",
    )?;

    case("(e)", "an expired approval");
    let then = unix_now()?.saturating_sub(2 * 86_400);
    let expired = stage.prepare_at(&stage.request, "expired.bundle", Some(then), Some("1h"))?;
    let expired_approval = stage.path("expired.approval.json");
    stage
        .secretary
        .sign(&expired.bundle, &expired_approval, Some(then + 60))?;
    println!("      prepared and approved two days ago, valid for one hour");
    expect_refused(
        stage.query(
            &addr,
            &expired.bundle,
            &[&expired_approval],
            "expired.results.csv",
        )?,
        "expired",
    )?;

    case(
        "(f)",
        "dual control: the holder's policy also requires irs-counsel",
    );
    drop(server);
    let dual = stage.path("policy-dual-control.toml");
    stage
        .policy(PolicySpec::new().approver(&stage.counsel))
        .all_of(&["irs-counsel"])
        .write(&dual)?;
    let server = stage.holder.serve(&dual, &[&stage.ice])?;
    let addr = server.addr().to_owned();
    println!("      irs serve restarted with all_of = [\"irs-counsel\"], listening on {addr}");
    let cosigned = stage.prepare("dual.bundle")?;
    let dual_approval = stage.path("dual.approval.json");
    stage
        .secretary
        .sign(&cosigned.bundle, &dual_approval, None)?;
    println!("      approved by dhs-secretary only:");
    let message = expect_refused(
        stage.query(
            &addr,
            &cosigned.bundle,
            &[&dual_approval],
            "dual.results.csv",
        )?,
        "missing-role",
    )?;
    if !message.contains("irs-counsel") {
        bail!("the missing-role refusal does not name irs-counsel: {message}");
    }
    let counsel_approval = stage.path("dual.counsel.approval.json");
    stage
        .counsel
        .sign(&cosigned.bundle, &counsel_approval, None)?;
    let report = stage
        .query(
            &addr,
            &cosigned.bundle,
            &[&dual_approval, &counsel_approval],
            "dual.results.csv",
        )?
        .answered()?;
    println!(
        "      with the irs-counsel co-signature as well: answered, {} of {} records matched{}",
        report.matched_records,
        report.records,
        if report.set_from_cache {
            " (set from ice's cache, confirmed current)"
        } else {
            ""
        }
    );
    Ok(server)
}
