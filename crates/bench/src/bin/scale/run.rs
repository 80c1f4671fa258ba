//! One run at one size: data, the holder's encoding, the online part, and the phases
//! with their bounds, in the order the issue lists them.

use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;

use crate::bound::BatchShape;
use crate::bound::{PrimitiveCounts, Samples};
use crate::data::{dataset, encode_holder, holder_shape};
use crate::memory::Watch;
use crate::online::run_online;
use crate::phases::PhaseResult;
use blindlink_ingest::Phase;

/// Sizes and settings of a run.
#[derive(Debug, Clone, Copy)]
pub struct RunSpec {
    /// Holder records.
    pub holder: usize,
    /// Request records.
    pub request: usize,
    /// Data seed.
    pub seed: u64,
    /// Share of request rows on file.
    pub present_fraction: f64,
    /// Largest request the fingerprint length is sized for.
    pub max_request_elements: u64,
}

/// Everything one run measured.
#[derive(Debug, Clone, Serialize)]
pub struct RunResult {
    /// Holder records.
    pub holder_records: u64,
    /// Holder keys after uniqueness (OPRF evaluations).
    pub holder_keys: u64,
    /// Distinct fingerprints in the set.
    pub set_elements: u64,
    /// Fingerprint length `L`.
    pub fingerprint_bits: u32,
    /// Rice parameter of the set.
    pub rice_parameter: u32,
    /// Serialized set, bytes.
    pub set_bytes: u64,
    /// Request records.
    pub request_records: u64,
    /// Request elements (blinded keys).
    pub request_elements: u64,
    /// Request rows drawn from the holder's file (ground truth).
    pub request_present: u64,
    /// Request records that matched.
    pub matched_records: u64,
    /// Handshake + `Hello` + `Welcome`, bytes.
    pub setup_bytes: u64,
    /// Holder set on the wire, bits per set element (ciphertext and framing included).
    pub set_wire_bits_per_element: f64,
    /// The target `L - log2(N) + 2.5`, N = set elements.
    pub set_wire_target_bits: f64,
    /// Seconds drawing the synthetic data (not a phase).
    pub data_seconds: f64,
    /// Holder seconds writing the set, overlapping the requester's finalize.
    pub holder_set_send_seconds: f64,
    /// The phases in protocol order.
    pub phases: Vec<PhaseResult>,
    /// Phase sums: holder encoding total, online with a cached set, online with the set.
    pub totals: Vec<PhaseResult>,
    /// The parts of "finalize + lookup".
    pub details: Vec<PhaseResult>,
}

impl RunResult {
    /// A phase or total by name.
    pub fn find(&self, name: &str) -> Option<&PhaseResult> {
        self.phases
            .iter()
            .chain(&self.totals)
            .chain(&self.details)
            .find(|p| p.name == name)
    }
}

/// The holder's OPRF evaluation inside the streaming ingest (the phase with a bound).
pub const HOLDER_OPRF: &str = "holder OPRF evaluation (streaming)";
/// Names of the sums.
pub const HOLDER_TOTAL: &str = "holder encoding (total)";
/// Online part when the requester's cached set is current.
pub const ONLINE_CACHED: &str = "online (cached set)";
/// Online part including the set transfer.
pub const ONLINE_WITH_SET: &str = "online (with set transfer)";

/// Runs everything at `spec`'s sizes.
pub fn run(spec: RunSpec, samples: &Samples) -> anyhow::Result<RunResult> {
    let t = Instant::now();
    let data = dataset(spec.seed, spec.holder, spec.request, spec.present_fraction)?;
    let data_seconds = t.elapsed().as_secs_f64();
    let (records, request, present) = (data.holder, data.request, data.present);

    let holder_records = records.len() as u64;
    let holder_shape = holder_shape(&records);
    samples.take(holder_shape);
    let watch = Watch::start();
    let epoch: [u8; 16] = rand::random();
    let (set, outcome, clock) = encode_holder(records, epoch, spec.max_request_elements, samples)?;
    let memory = watch.finish();
    samples.take(holder_shape);
    let window = |phase: Phase| {
        clock
            .windows
            .iter()
            .find(|(p, _, _)| *p == phase)
            .map(|&(_, begin, end)| (begin, end.unwrap_or(begin)))
            .ok_or_else(|| anyhow::anyhow!("the pipeline skipped {}", phase.label()))
    };
    let front = window(Phase::ReadAndKeys)?;
    let back = (window(Phase::Uniqueness)?.0, window(Phase::Encode)?.1);
    let secs = &outcome.seconds;
    let keying = PhaseResult::within(
        "holder read + normalize + keys (streaming)",
        front,
        (secs.read_and_keys - clock.sampled.as_secs_f64()).max(0.0),
        holder_records,
        "holder records",
        PrimitiveCounts::NONE,
        memory,
    );
    let encoding = PhaseResult::within(
        HOLDER_OPRF,
        front,
        secs.evaluate,
        set.keys,
        "holder keys",
        PrimitiveCounts::HOLDER_ENCODING,
        memory,
    )
    .with_bound(samples, holder_shape);
    let sorting = PhaseResult::within(
        "holder sort + uniqueness + encode",
        back,
        secs.sort + secs.uniqueness + secs.encode,
        set.keys,
        "holder keys",
        PrimitiveCounts::NONE,
        memory,
    );
    let holder_total = PhaseResult::combined(
        HOLDER_TOTAL,
        &[&keying, &encoding, &sorting],
        set.keys,
        "holder keys",
    );
    let set = Arc::new(set);

    let online = run_online(
        request,
        Arc::clone(&set),
        samples,
        spec.max_request_elements,
    )?;
    let elements = online.blinding.elements;
    let request_shape = BatchShape::of(elements as usize);
    let blinding = online.blinding.with_bound(samples, request_shape);
    let evaluation = online.holder_evaluation.with_bound(samples, request_shape);
    let ledger = online.holder_ledger;
    let finalize = online.finalize.with_bound(samples, request_shape);
    let finalize_lookup = PhaseResult::combined(
        "finalize + lookup",
        &[&finalize, &online.lookup],
        elements,
        "request elements",
    );
    let cached = PhaseResult::combined(
        ONLINE_CACHED,
        &[&blinding, &evaluation, &ledger, &finalize_lookup],
        elements,
        "request elements",
    );
    let with_set = PhaseResult::combined(
        ONLINE_WITH_SET,
        &[&cached, &online.set_transfer],
        elements,
        "request elements",
    );
    let set_wire = online.set_transfer.wire_bytes.unwrap_or(0) as f64 * 8.0;
    let n = set.count.max(1) as f64;
    Ok(RunResult {
        holder_records,
        holder_keys: set.keys,
        set_elements: set.count,
        fingerprint_bits: set.bits,
        rice_parameter: set.rice_parameter,
        set_bytes: set.bytes.len() as u64,
        request_records: online.records,
        request_elements: elements,
        request_present: present as u64,
        matched_records: online.matched_records,
        setup_bytes: online.setup_bytes,
        set_wire_bits_per_element: set_wire / n,
        set_wire_target_bits: f64::from(set.bits) - n.log2() + 2.5,
        data_seconds,
        holder_set_send_seconds: online.holder_set_send_seconds,
        phases: vec![
            keying,
            encoding,
            sorting,
            blinding,
            evaluation,
            ledger,
            online.set_transfer,
            finalize_lookup,
        ],
        totals: vec![holder_total, cached, with_set],
        details: vec![finalize, online.lookup],
    })
}
