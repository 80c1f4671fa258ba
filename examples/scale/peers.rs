//! Peers measured side by side in the same run: the `voprf` crate (RFC 9497 VOPRF,
//! ristretto255-SHA512) doing the same four steps as blindlink, on the same pool, and
//! OpenMined PSI results read from the JSON another script writes.
//!
//! The `voprf` crate evaluates one batch on one thread; to give it the same cores, each
//! step runs over chunks of `min(65,535, n / threads)` elements in parallel (one proof per
//! chunk, as blindlink has one per 65,535). Messages are serialized and deserialized as
//! they would be on the wire, on both sides.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, anyhow};
use blindlink_core::oprf::{
    BlindedBatch, Mode, SecretKey, blind_batch, blind_evaluate_and_prove, evaluate_batch,
    verify_and_finalize,
};
use rand_chacha09::ChaCha20Rng;
use rand_chacha09::rand_core::SeedableRng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use voprf::{BlindedElement, EvaluationElement, Ristretto255, VoprfClient, VoprfServer};

/// One step at one size: blindlink and the peer, seconds.
#[derive(Debug, Clone, Serialize)]
pub struct PeerStep {
    /// Step name.
    pub step: &'static str,
    /// Elements.
    pub elements: u64,
    /// blindlink, seconds.
    pub blindlink_seconds: f64,
    /// `voprf` crate, seconds.
    pub voprf_seconds: f64,
    /// `voprf_seconds / blindlink_seconds` (above 1: blindlink is faster).
    pub ratio: f64,
}

fn inputs(n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| format!("blindlink/v1/R1/peer-record-{i:08}").into_bytes())
        .collect()
}

fn timed<T>(f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<(f64, T)> {
    let start = Instant::now();
    let out = f()?;
    Ok((start.elapsed().as_secs_f64(), out))
}

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::from_seed(rand::random())
}

fn err(e: voprf::Error) -> anyhow::Error {
    anyhow!("voprf: {e:?}")
}

type Server = VoprfServer<Ristretto255>;

/// Runs the four steps of both implementations on `2^log2` elements.
pub fn compare_voprf(log2: u32) -> anyhow::Result<Vec<PeerStep>> {
    let n = 1usize << log2;
    let xs = inputs(n);
    let chunk = n
        .div_ceil(rayon::current_num_threads())
        .clamp(1, usize::from(u16::MAX));

    // blindlink
    let sk = SecretKey::generate(&mut rand::rng());
    let pk = sk.public_key();
    let (b_blind, (blinds, blinded)) =
        timed(|| Ok(blind_batch(Mode::Voprf, &xs, &mut rand::rng())?))?;
    let (b_eval, (evaluated, proofs)) = timed(|| {
        let batch = BlindedBatch::decode(blinded.clone())?;
        Ok(blind_evaluate_and_prove(&sk, &batch, &mut rand::rng())?)
    })?;
    let (b_final, ours) = timed(|| {
        Ok(verify_and_finalize(
            &pk, &xs, blinds, &blinded, &evaluated, &proofs,
        )?)
    })?;
    let (b_full, _) = timed(|| Ok(evaluate_batch(Mode::Voprf, &sk, &xs)?))?;

    // voprf crate
    let server = Server::new_from_seed(&[3u8; 32], b"scale").map_err(err)?;
    let server_pk = server.get_public_key();
    let (v_blind, clients) = timed(|| {
        xs.par_chunks(chunk)
            .map(|c| {
                let mut rng = rng();
                c.iter()
                    .map(|x| {
                        let r = VoprfClient::<Ristretto255>::blind(x, &mut rng).map_err(err)?;
                        Ok((r.state, r.message.serialize().to_vec()))
                    })
                    .collect::<anyhow::Result<Vec<_>>>()
            })
            .collect::<anyhow::Result<Vec<_>>>()
    })?;
    let (v_eval, answers) = timed(|| {
        clients
            .par_iter()
            .map(|c| {
                let elements = c
                    .iter()
                    .map(|(_, m)| BlindedElement::<Ristretto255>::deserialize(m).map_err(err))
                    .collect::<anyhow::Result<Vec<_>>>()?;
                let result = server
                    .batch_blind_evaluate(&mut rng(), &elements)
                    .map_err(err)?;
                let bytes: Vec<Vec<u8>> = result
                    .messages
                    .iter()
                    .map(|m| m.serialize().to_vec())
                    .collect();
                Ok((bytes, result.proof))
            })
            .collect::<anyhow::Result<Vec<_>>>()
    })?;
    let (v_final, theirs) = timed(|| {
        clients
            .par_iter()
            .zip(&answers)
            .zip(xs.par_chunks(chunk))
            .map(|((c, (bytes, proof)), x)| {
                let states: Vec<VoprfClient<Ristretto255>> =
                    c.iter().map(|(s, _)| s.clone()).collect();
                let messages = bytes
                    .iter()
                    .map(|m| EvaluationElement::<Ristretto255>::deserialize(m).map_err(err))
                    .collect::<anyhow::Result<Vec<_>>>()?;
                let x: Vec<&[u8]> = x.iter().map(Vec::as_slice).collect();
                VoprfClient::batch_finalize(&x, &states, &messages, proof, server_pk)
                    .map_err(err)?
                    .map(|o| o.map(|o| o.to_vec()).map_err(err))
                    .collect::<anyhow::Result<Vec<_>>>()
            })
            .collect::<anyhow::Result<Vec<_>>>()
    })?;
    let (v_full, _) = timed(|| {
        xs.par_iter()
            .map(|x| server.evaluate(x).map(|o| o.to_vec()).map_err(err))
            .collect::<anyhow::Result<Vec<_>>>()
    })?;
    anyhow::ensure!(
        ours.len() == n && theirs.iter().map(Vec::len).sum::<usize>() == n,
        "a peer step lost elements"
    );

    let step = |step, b: f64, v: f64| PeerStep {
        step,
        elements: n as u64,
        blindlink_seconds: b,
        voprf_seconds: v,
        ratio: v / b.max(f64::MIN_POSITIVE),
    };
    Ok(vec![
        step("blind", b_blind, v_blind),
        step("blind_evaluate (+ proof)", b_eval, v_eval),
        step("finalize (+ verify)", b_final, v_final),
        step("full evaluate (holder encoding)", b_full, v_full),
    ])
}

/// One size in OpenMined's results.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct OpenMinedSize {
    /// Server set size.
    pub n: u64,
    /// Server setup (encoding its set), seconds.
    pub server_setup_s: f64,
    /// Client request, seconds.
    pub client_request_s: f64,
    /// Server processing the request, seconds.
    pub server_process_s: f64,
    /// Client computing the intersection, seconds.
    pub client_intersection_s: f64,
    /// Setup message, bytes.
    pub setup_bytes: u64,
    /// Request, bytes.
    pub request_bytes: u64,
    /// Response, bytes.
    pub response_bytes: u64,
    /// False-positive rate configured.
    pub fpr: f64,
}

/// The OpenMined PSI results file.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct OpenMined {
    /// `openmined.psi`.
    pub library: String,
    /// Its version.
    pub version: String,
    /// CPU it ran on.
    pub cpu: String,
    /// Sizes measured.
    pub sizes: Vec<OpenMinedSize>,
}

/// Reads an OpenMined results file.
pub fn read_openmined(path: &Path) -> anyhow::Result<OpenMined> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("parsing {}", path.display()))
}
