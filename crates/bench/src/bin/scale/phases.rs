//! One measured phase: wall time (bound measurements taken inside it left out), elements,
//! peak memory, bytes on the wire, and its bound from the adjacent primitive timings.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::bound::{BatchShape, PrimitiveCosts, PrimitiveCounts, Samples};
use crate::memory::{PhaseMemory, Watch};

/// A finished phase.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseResult {
    /// Phase name.
    pub name: String,
    /// Wall time, seconds.
    pub seconds: f64,
    /// Elements the phase processed (see `unit`).
    pub elements: u64,
    /// What an element is: holder keys, request elements, set fingerprints, records.
    pub unit: &'static str,
    /// Elements per second.
    pub elements_per_second: f64,
    /// Resident memory.
    pub memory: PhaseMemory,
    /// Bytes that crossed the socket during the phase (ciphertext, framing included).
    pub wire_bytes: Option<u64>,
    /// `wire_bytes` per element.
    pub wire_bytes_per_element: Option<f64>,
    /// Primitives per element the bound counts.
    pub counts: PrimitiveCounts,
    /// The batch the bound's primitives were timed at.
    pub shape: Option<BatchShape>,
    /// The adjacent primitive timings the bound used.
    pub costs: Option<PrimitiveCosts>,
    /// `elements x counts x costs`, seconds (none for phases without curve work).
    pub bound_seconds: Option<f64>,
    /// `seconds / bound_seconds`.
    pub ratio: Option<f64>,
    #[serde(skip)]
    start: Instant,
    #[serde(skip)]
    end: Instant,
}

impl PhaseResult {
    /// Computes the bound from the samples at `shape` (the phase's own batch) around it.
    pub fn with_bound(mut self, samples: &Samples, shape: BatchShape) -> PhaseResult {
        if self.counts.is_none() {
            return self;
        }
        let costs = samples.around(self.start, self.end, shape);
        self.shape = Some(shape);
        let bound = self.counts.seconds_per_element(&costs) * self.elements as f64;
        self.costs = Some(costs);
        self.bound_seconds = Some(bound);
        self.ratio = (bound > 0.0).then(|| self.seconds / bound);
        self
    }

    /// Several phases as one (times, bounds and bytes add up; memory is the largest),
    /// counted in `elements` of `unit`.
    pub fn combined(
        name: &str,
        parts: &[&PhaseResult],
        elements: u64,
        unit: &'static str,
    ) -> PhaseResult {
        let first = parts.first().copied();
        let seconds: f64 = parts.iter().map(|p| p.seconds).sum();
        let bounds: Vec<f64> = parts.iter().filter_map(|p| p.bound_seconds).collect();
        let bound = (!bounds.is_empty()).then(|| bounds.iter().sum::<f64>());
        let wire: Vec<u64> = parts.iter().filter_map(|p| p.wire_bytes).collect();
        let wire_bytes = (!wire.is_empty()).then(|| wire.iter().sum::<u64>());
        let memory = PhaseMemory {
            start_mib: first.map_or(0.0, |p| p.memory.start_mib),
            peak_mib: parts.iter().map(|p| p.memory.peak_mib).fold(0.0, f64::max),
        };
        let now = Instant::now();
        PhaseResult {
            name: name.to_owned(),
            seconds,
            elements,
            unit,
            elements_per_second: per_second(elements, seconds),
            memory,
            wire_bytes,
            wire_bytes_per_element: wire_bytes.map(|b| b as f64 / elements.max(1) as f64),
            counts: PrimitiveCounts::NONE,
            shape: None,
            costs: None,
            bound_seconds: bound,
            ratio: bound.filter(|b| *b > 0.0).map(|b| seconds / b),
            start: first.map_or(now, |p| p.start),
            end: parts.last().map_or(now, |p| p.end),
        }
    }
}

impl PhaseResult {
    /// Sets the element count once it is known (the set's size is known only after the
    /// transfer it measures).
    pub fn set_elements(&mut self, elements: u64) {
        self.elements = elements;
        self.elements_per_second = per_second(elements, self.seconds);
        self.wire_bytes_per_element = self.wire_bytes.map(|b| b as f64 / elements.max(1) as f64);
    }

    /// A phase the pipeline timed itself (`seconds`, bound samples already left out)
    /// inside the window `start..end`, whose samples give its bound.
    #[allow(clippy::too_many_arguments)]
    pub fn within(
        name: &str,
        (start, end): (Instant, Instant),
        seconds: f64,
        elements: u64,
        unit: &'static str,
        counts: PrimitiveCounts,
        memory: PhaseMemory,
    ) -> PhaseResult {
        PhaseResult {
            name: name.to_owned(),
            seconds,
            elements,
            unit,
            elements_per_second: per_second(elements, seconds),
            memory,
            wire_bytes: None,
            wire_bytes_per_element: None,
            counts,
            shape: None,
            costs: None,
            bound_seconds: None,
            ratio: None,
            start,
            end,
        }
    }

    /// A phase measured as a total of scattered waits (e.g. the ledger's fsyncs inside a
    /// session) rather than one stretch of time; it has no primitive bound.
    pub fn timed(name: &str, total: Duration, elements: u64, unit: &'static str) -> PhaseResult {
        let mut phase =
            PhaseClock::start().finish(name, elements, unit, PrimitiveCounts::NONE, None);
        let seconds = total.as_secs_f64();
        phase.seconds = seconds;
        phase.elements_per_second = per_second(elements, seconds);
        phase
    }
}

fn per_second(elements: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        elements as f64 / seconds
    } else {
        0.0
    }
}

/// A running phase.
#[derive(Debug)]
pub struct PhaseClock {
    start: Instant,
    excluded: Duration,
    watch: Watch,
}

impl PhaseClock {
    /// Starts timing (and resets the peak-memory mark).
    pub fn start() -> PhaseClock {
        let watch = Watch::start();
        PhaseClock {
            start: Instant::now(),
            excluded: Duration::ZERO,
            watch,
        }
    }

    /// Leaves `d` (a bound measurement inside the phase) out of the phase's time.
    pub fn exclude(&mut self, d: Duration) {
        self.excluded += d;
    }

    /// Ends the phase.
    pub fn finish(
        self,
        name: &str,
        elements: u64,
        unit: &'static str,
        counts: PrimitiveCounts,
        wire_bytes: Option<u64>,
    ) -> PhaseResult {
        let end = Instant::now();
        let seconds = end
            .duration_since(self.start)
            .saturating_sub(self.excluded)
            .as_secs_f64();
        let mut phase = PhaseResult::within(
            name,
            (self.start, end),
            seconds,
            elements,
            unit,
            counts,
            self.watch.finish(),
        );
        phase.wire_bytes = wire_bytes;
        phase.wire_bytes_per_element = wire_bytes.map(|b| b as f64 / elements.max(1) as f64);
        phase
    }
}
