//! Printing: section headings, aligned tables and the step timings.

use std::time::{Duration, Instant};

/// Prints a section heading.
pub fn section(title: &str) {
    println!();
    println!(
        "== {title} {}",
        "=".repeat(72usize.saturating_sub(title.len() + 4))
    );
}

/// Prints an aligned table: the first column left-aligned, the others right-aligned.
pub fn table(headers: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, w))| {
                if i == 0 {
                    format!("{cell:<w$}")
                } else {
                    format!("{cell:>w$}")
                }
            })
            .collect();
        println!("  {}", parts.join("   ").trim_end());
    };
    line(headers.to_vec());
    let total: usize = widths.iter().sum::<usize>() + 3 * widths.len().saturating_sub(1);
    println!("  {}", "-".repeat(total));
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

/// Wall-clock time of each step, in order.
#[derive(Debug, Default)]
pub struct Timings {
    steps: Vec<(String, Duration)>,
}

impl Timings {
    /// Runs `f` as step `name` and records how long it took.
    pub fn step<T>(&mut self, name: &str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.steps.push((name.to_owned(), start.elapsed()));
        out
    }

    /// The steps as table rows (name, seconds).
    pub fn rows(&self) -> Vec<Vec<String>> {
        self.steps
            .iter()
            .map(|(name, d)| vec![name.clone(), format!("{:.3}", d.as_secs_f64())])
            .collect()
    }
}

/// A byte count with a binary unit.
pub fn bytes(n: u64) -> String {
    let n = n as f64;
    if n >= 1024.0 * 1024.0 {
        format!("{:.2} MiB", n / (1024.0 * 1024.0))
    } else if n >= 1024.0 {
        format!("{:.1} KiB", n / 1024.0)
    } else {
        format!("{n} B")
    }
}

/// `part / whole` as a percentage with one decimal, or `-` when `whole` is 0.
pub fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".to_owned()
    } else {
        format!("{:.1}%", 100.0 * part as f64 / whole as f64)
    }
}
