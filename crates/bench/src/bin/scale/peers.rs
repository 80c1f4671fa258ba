//! Peers measured side by side in the same run: the `voprf` crate (RFC 9497 VOPRF,
//! ristretto255-SHA512) doing the same four steps as blindlink, on the same pool, and
//! OpenMined PSI results read from the JSON another script writes.
//!
//! Each step is timed for blindlink and then for the peer (or the other way round; the
//! order alternates between `--peer-rounds` rounds) and the fastest round of each is kept,
//! so the two see the same machine load. blindlink's requester steps (`blind`, `finalize`)
//! run with the shipped additive, fixed-base blinding, and are also timed, right next to
//! them, with RFC 9497's multiplicative blinding (`multiplicative_seconds`).
//!
//! The `voprf` crate evaluates one batch on one thread; to give it the same cores, each
//! step runs over chunks of `min(65,535, n / threads)` elements in parallel (one proof per
//! chunk, as blindlink has one per 65,535). Messages are serialized and deserialized as
//! they would be on the wire, on both sides.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, anyhow};
use blindlink_core::oprf::{
    BlindedBatch, Mode, SecretKey, blind_batch, blind_batch_additive, blind_evaluate_and_prove,
    evaluate_batch, verify_and_finalize,
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
    /// blindlink with RFC 9497's multiplicative blinding, seconds (requester steps only).
    pub multiplicative_seconds: Option<f64>,
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

/// Times `ours` and `peer` back to back, in the order given, so both see the same machine
/// load (the VM drifts over minutes).
fn pair<A, B>(
    peer_first: bool,
    ours: impl FnOnce() -> anyhow::Result<A>,
    peer: impl FnOnce() -> anyhow::Result<B>,
) -> anyhow::Result<((f64, A), (f64, B))> {
    if peer_first {
        let p = timed(peer)?;
        Ok((timed(ours)?, p))
    } else {
        let o = timed(ours)?;
        Ok((o, timed(peer)?))
    }
}

/// The peer's client state and serialized blinded element, per chunk.
type PeerClients = Vec<Vec<(VoprfClient<Ristretto255>, Vec<u8>)>>;
/// The peer's serialized evaluated elements and batch proof, per chunk.
type PeerAnswers = Vec<(Vec<Vec<u8>>, voprf::Proof<Ristretto255>)>;

fn peer_blind(xs: &[Vec<u8>], chunk: usize) -> anyhow::Result<PeerClients> {
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
        .collect()
}

fn peer_evaluate(server: &Server, clients: &PeerClients) -> anyhow::Result<PeerAnswers> {
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
        .collect()
}

fn peer_finalize(
    xs: &[Vec<u8>],
    chunk: usize,
    clients: &PeerClients,
    answers: &PeerAnswers,
    server: &Server,
) -> anyhow::Result<usize> {
    let server_pk = server.get_public_key();
    let outputs = clients
        .par_iter()
        .zip(answers)
        .zip(xs.par_chunks(chunk))
        .map(|((c, (bytes, proof)), x)| {
            let states: Vec<VoprfClient<Ristretto255>> = c.iter().map(|(s, _)| s.clone()).collect();
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
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(outputs.iter().map(Vec::len).sum())
}

fn peer_full(server: &Server, xs: &[Vec<u8>]) -> anyhow::Result<usize> {
    let outputs = xs
        .par_iter()
        .map(|x| server.evaluate(x).map(|o| o.to_vec()).map_err(err))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(outputs.len())
}

/// Runs the four steps of both implementations on `2^log2` elements, `rounds` times.
/// Each step of blindlink is timed right next to the same step of the peer, the order
/// alternating between rounds; the fastest of the rounds is kept for each.
pub fn compare_voprf(log2: u32, rounds: usize) -> anyhow::Result<Vec<PeerStep>> {
    let n = 1usize << log2;
    let xs = inputs(n);
    let chunk = n
        .div_ceil(rayon::current_num_threads())
        .clamp(1, usize::from(u16::MAX));
    let sk = SecretKey::generate(&mut rand::rng());
    let pk = sk.public_key();
    let server = Server::new_from_seed(&[3u8; 32], b"scale").map_err(err)?;

    // best[step] = (blindlink, peer) seconds; multiplicative[step] for blind, finalize.
    let mut best = [(f64::INFINITY, f64::INFINITY); 4];
    let mut keep = |step: usize, o: f64, p: f64| {
        if let Some(b) = best.get_mut(step) {
            *b = (b.0.min(o), b.1.min(p));
        }
    };
    let mut multiplicative = [f64::INFINITY; 4];
    for round in 0..rounds.max(1) {
        let peer_first = round % 2 == 1;
        let ((o, (blinds, blinded)), (p, clients)) = pair(
            peer_first,
            // The requester's shipped blinding: additive, fixed-base (PROTOCOL.md §2.7).
            || Ok(blind_batch_additive(&xs, &mut rand::rng())?),
            || peer_blind(&xs, chunk),
        )?;
        keep(0, o, p);
        let (m, (m_blinds, m_blinded)) =
            timed(|| Ok(blind_batch(Mode::Voprf, &xs, &mut rand::rng())?))?;
        multiplicative[0] = multiplicative[0].min(m);
        let (m_evaluated, m_proofs) = blind_evaluate_and_prove(
            &sk,
            &BlindedBatch::decode(m_blinded.clone())?,
            &mut rand::rng(),
        )?;
        let ((o, (evaluated, proofs)), (p, answers)) = pair(
            peer_first,
            || {
                let batch = BlindedBatch::decode(blinded.clone())?;
                Ok(blind_evaluate_and_prove(&sk, &batch, &mut rand::rng())?)
            },
            || peer_evaluate(&server, &clients),
        )?;
        keep(1, o, p);
        let ((o, ours), (p, theirs)) = pair(
            peer_first,
            || {
                Ok(verify_and_finalize(
                    &pk, &xs, blinds, &blinded, &evaluated, &proofs,
                )?)
            },
            || peer_finalize(&xs, chunk, &clients, &answers, &server),
        )?;
        keep(2, o, p);
        let (m, m_outputs) = timed(|| {
            Ok(verify_and_finalize(
                &pk,
                &xs,
                m_blinds,
                &m_blinded,
                &m_evaluated,
                &m_proofs,
            )?)
        })?;
        multiplicative[2] = multiplicative[2].min(m);
        anyhow::ensure!(ours.len() == n && theirs == n, "a peer step lost elements");
        anyhow::ensure!(
            m_outputs == ours,
            "the two blindings gave different outputs"
        );
        let ((o, _), (p, _)) = pair(
            peer_first,
            || Ok(evaluate_batch(Mode::Voprf, &sk, &xs)?),
            || peer_full(&server, &xs),
        )?;
        keep(3, o, p);
    }

    let names = [
        "blind",
        "blind_evaluate (+ proof)",
        "finalize (+ verify)",
        "full evaluate (holder encoding)",
    ];
    Ok(names
        .iter()
        .zip(best)
        .zip(multiplicative)
        .map(|((&step, (b, v)), m)| PeerStep {
            step,
            elements: n as u64,
            blindlink_seconds: b,
            voprf_seconds: v,
            multiplicative_seconds: m.is_finite().then_some(m),
            ratio: v / b.max(f64::MIN_POSITIVE),
        })
        .collect())
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
