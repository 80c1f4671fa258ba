//! Peak resident memory per phase (Linux): writing `5` to `/proc/self/clear_refs` resets
//! the process's high-water mark `VmHWM`, which `/proc/self/status` reports.

use std::sync::atomic::{AtomicBool, Ordering};

static RESET_WORKS: AtomicBool = AtomicBool::new(true);

/// Resets the peak-RSS mark; returns whether the kernel accepted it. When it does not,
/// later readings are the process peak so far (the report says so).
pub fn reset_peak() -> bool {
    let ok = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    if !ok {
        RESET_WORKS.store(false, Ordering::Relaxed);
    }
    ok
}

/// Whether every reset so far worked (per-phase peaks are real).
pub fn resets_work() -> bool {
    RESET_WORKS.load(Ordering::Relaxed)
}

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

/// Peak resident set since the last reset, MiB.
pub fn peak_mib() -> f64 {
    status_kib("VmHWM").map_or(0.0, |k| k as f64 / 1024.0)
}

/// Current resident set, MiB.
pub fn current_mib() -> f64 {
    status_kib("VmRSS").map_or(0.0, |k| k as f64 / 1024.0)
}

/// Memory of one phase.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct PhaseMemory {
    /// Resident set when the phase started, MiB (the other party's data included: both
    /// parties share this process).
    pub start_mib: f64,
    /// Peak resident set during the phase, MiB.
    pub peak_mib: f64,
}

/// Starts watching a phase: resets the mark and notes the current RSS.
#[derive(Debug)]
pub struct Watch {
    start_mib: f64,
}

impl Watch {
    /// Resets the peak and remembers where the phase started.
    pub fn start() -> Watch {
        reset_peak();
        Watch {
            start_mib: current_mib(),
        }
    }

    /// The phase's memory so far.
    pub fn finish(&self) -> PhaseMemory {
        PhaseMemory {
            start_mib: self.start_mib,
            peak_mib: peak_mib(),
        }
    }
}
