//! Prints RFC 9497-style test vector lines for OPRF(ristretto255, SHA-512), so reviewers can
//! cross-check blindlink with their own implementation:
//!
//! ```text
//! cargo run --release -p blindlink-core --example vectors -- --mode voprf \
//!   --seed a3a3...a3 --info 74657374206b6579 --input 00 --blind 64d3...6706 \
//!   --proof-random 222a...fc0e
//! ```
//!
//! `--input` and `--blind` take comma-separated lists for batch vectors (as in the RFC).
//! Output: `skSm`, `pkSm`, `BlindedElement`, `EvaluationElement`, `Proof` (voprf only) and
//! `Output`, lowercase hex, one line each, list items separated by commas.

use anyhow::{Context, Result, bail};
use blindlink_core::oprf::codec::decode_elements;
use blindlink_core::oprf::proof::generate_proof;
use blindlink_core::oprf::{
    BlindedBatch, Blinds, Mode, SecretKey, blind_batch_with, blind_evaluate_batch, finalize_batch,
};
use clap::{Parser, ValueEnum};
use curve25519_dalek::scalar::Scalar;

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ModeArg {
    Oprf,
    Voprf,
}

/// Print RFC 9497 OPRF(ristretto255, SHA-512) vector lines for the given parameters.
#[derive(Debug, Parser)]
struct Args {
    /// Protocol mode.
    #[arg(long, value_enum)]
    mode: ModeArg,
    /// 32-byte DeriveKeyPair seed, hex.
    #[arg(long)]
    seed: String,
    /// DeriveKeyPair info, hex (may be empty).
    #[arg(long, default_value = "")]
    info: String,
    /// Input(s), hex, comma-separated for a batch.
    #[arg(long)]
    input: String,
    /// Blind scalar(s), hex (32 bytes little-endian each), one per input, comma-separated.
    #[arg(long)]
    blind: String,
    /// Proof randomness scalar, hex (voprf only; random when omitted).
    #[arg(long)]
    proof_random: Option<String>,
}

fn hex32(what: &str, s: &str) -> Result<[u8; 32]> {
    let bytes = hex::decode(s).with_context(|| format!("--{what} is not hex"))?;
    bytes
        .try_into()
        .map_err(|b: Vec<u8>| anyhow::anyhow!("--{what} must be 32 bytes, got {}", b.len()))
}

fn list(what: &str, s: &str) -> Result<Vec<Vec<u8>>> {
    s.split(',')
        .map(|item| hex::decode(item.trim()).with_context(|| format!("--{what} is not hex")))
        .collect()
}

fn join<T: AsRef<[u8]>>(items: &[T]) -> String {
    items.iter().map(hex::encode).collect::<Vec<_>>().join(",")
}

fn run(args: Args) -> Result<()> {
    let mode = match args.mode {
        ModeArg::Oprf => Mode::Oprf,
        ModeArg::Voprf => Mode::Voprf,
    };
    let seed = hex32("seed", &args.seed)?;
    let info = hex::decode(&args.info).context("--info is not hex")?;
    let inputs = list("input", &args.input)?;
    let blinds: Vec<[u8; 32]> = args
        .blind
        .split(',')
        .map(|b| hex32("blind", b.trim()))
        .collect::<Result<_>>()?;
    if blinds.len() != inputs.len() {
        bail!("{} inputs but {} blinds", inputs.len(), blinds.len());
    }
    let sk = SecretKey::derive(mode, &seed, &info)?;
    let blinds = Blinds::from_scalars_bytes(&blinds)?;
    let blinded = blind_batch_with(mode, &inputs, &blinds)?;
    let evaluated = blind_evaluate_batch(&sk, &BlindedBatch::decode(blinded.clone())?);
    println!("skSm = {}", hex::encode(*sk.to_bytes()));
    println!("pkSm = {}", hex::encode(sk.public_key().to_bytes()));
    println!("BlindedElement = {}", join(&blinded));
    println!("EvaluationElement = {}", join(&evaluated));
    if mode == Mode::Voprf {
        let r = match &args.proof_random {
            Some(h) => Option::from(Scalar::from_canonical_bytes(hex32("proof-random", h)?))
                .context("--proof-random is not a canonical scalar")?,
            None => Scalar::random(&mut rand::rng()),
        };
        let points = decode_elements(&blinded)?;
        let proof = generate_proof(&sk, &points, &blinded, &evaluated, r)?;
        println!("Proof = {}", hex::encode(proof.to_bytes()));
    } else if args.proof_random.is_some() {
        bail!("--proof-random applies to --mode voprf only");
    }
    let outputs = finalize_batch(&inputs, blinds, &evaluated)?;
    println!("Output = {}", join(&outputs));
    Ok(())
}

fn main() {
    if let Err(e) = run(Args::parse()) {
        eprintln!("vectors: {e:#}");
        std::process::exit(2);
    }
}
