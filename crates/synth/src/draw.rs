//! Seeded random streams and the few draws the generators need.
//!
//! Every stream is a ChaCha20 generator keyed by the master seed, a [`Stream`] purpose and
//! an index (a chunk or row number), so that work can be split across threads without
//! changing the output. The draws below are defined here, on top of raw 64-bit outputs,
//! rather than borrowed from a distribution library, so the files stay byte-identical
//! across machines and library versions.

use chacha20::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};

/// What a random stream is used for; part of its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stream {
    /// One chunk of the population.
    PopulationChunk = 1,
    /// Which population records a request includes, and the row order.
    RequestSelection = 2,
    /// Corruption of one request row.
    RequestRow = 3,
    /// A person absent from the population, for one request row.
    AbsentPerson = 4,
    /// Case and final order references of a request.
    References = 5,
}

/// A deterministic random stream.
#[derive(Debug)]
pub(crate) struct Draw {
    rng: ChaCha20Rng,
}

impl Draw {
    /// The stream for `(seed, stream, index)`.
    pub(crate) fn new(seed: u64, stream: Stream, index: u64) -> Draw {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        key[8..16].copy_from_slice(&(stream as u64).to_le_bytes());
        key[16..24].copy_from_slice(&index.to_le_bytes());
        key[24..].copy_from_slice(b"bl-synth");
        Draw {
            rng: ChaCha20Rng::from_seed(key),
        }
    }

    /// A uniform integer in `0..n` (0 when `n` is 0), by Lemire's multiply-and-reject.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let wide = u128::from(self.rng.next_u64()) * u128::from(n);
            // The low half decides rejection; the high half is the result.
            if (wide as u64) >= threshold {
                return (wide >> 64) as u64;
            }
        }
    }

    /// A uniform index in `0..len` (0 when `len` is 0).
    pub(crate) fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// A uniform integer in `low..=high` (`low` when the range is empty).
    pub(crate) fn between(&mut self, low: u32, high: u32) -> u32 {
        let span = u64::from(high.saturating_sub(low)) + 1;
        low + self.below(span) as u32
    }

    /// True with probability `p` (clamped to `0..=1`).
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        if p <= 0.0 {
            return false;
        }
        // 53 random bits as a float in [0, 1).
        let unit = (self.rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        unit < p
    }

    /// A uniform element of a non-empty slice.
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T], fallback: T) -> T {
        let i = self.index(items.len());
        items.get(i).copied().unwrap_or(fallback)
    }

    /// Shuffles `items` in place (Fisher-Yates).
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }
}

/// A weighted table prepared for drawing: cumulative weights over static rows.
#[derive(Debug)]
pub(crate) struct Weighted<T: 'static> {
    rows: &'static [T],
    cumulative: Vec<u64>,
}

impl<T: Copy> Weighted<T> {
    /// Prepares `rows`, reading each row's weight with `weight`.
    pub(crate) fn new(rows: &'static [T], weight: impl Fn(&T) -> u32) -> Weighted<T> {
        let mut total = 0u64;
        let cumulative = rows
            .iter()
            .map(|row| {
                total += u64::from(weight(row));
                total
            })
            .collect();
        Weighted { rows, cumulative }
    }

    /// Draws one row with probability proportional to its weight; `fallback` only when
    /// the table is empty or all weights are zero.
    pub(crate) fn draw(&self, d: &mut Draw, fallback: T) -> T {
        let total = self.cumulative.last().copied().unwrap_or(0);
        if total == 0 {
            return fallback;
        }
        let x = d.below(total);
        let i = self.cumulative.partition_point(|&c| c <= x);
        self.rows.get(i).copied().unwrap_or(fallback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = {
            let mut d = Draw::new(7, Stream::PopulationChunk, 3);
            (0..8).map(|_| d.below(1000)).collect()
        };
        let b: Vec<u64> = {
            let mut d = Draw::new(7, Stream::PopulationChunk, 3);
            (0..8).map(|_| d.below(1000)).collect()
        };
        let c: Vec<u64> = {
            let mut d = Draw::new(7, Stream::PopulationChunk, 4);
            (0..8).map(|_| d.below(1000)).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut d = Draw::new(1, Stream::RequestRow, 0);
        let mut seen = [false; 7];
        for _ in 0..1000 {
            let x = d.below(7);
            assert!(x < 7);
            seen[x as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(d.below(0), 0);
        assert_eq!(d.between(5, 5), 5);
        assert_eq!(d.between(9, 3), 9);
    }

    #[test]
    fn chance_matches_its_probability() {
        let mut d = Draw::new(2, Stream::RequestRow, 0);
        let hits = (0..20_000).filter(|_| d.chance(0.25)).count();
        assert!((4_600..5_400).contains(&hits), "{hits}");
        assert!(!d.chance(0.0));
        assert!(d.chance(1.0));
    }

    #[test]
    fn weighted_draws_follow_weights() {
        static ROWS: [(&str, u32); 3] = [("A", 1), ("B", 0), ("C", 3)];
        let table = Weighted::new(&ROWS, |r| r.1);
        let mut d = Draw::new(3, Stream::RequestRow, 0);
        let mut counts = [0usize; 3];
        for _ in 0..8_000 {
            match table.draw(&mut d, ("?", 0)).0 {
                "A" => counts[0] += 1,
                "B" => counts[1] += 1,
                _ => counts[2] += 1,
            }
        }
        assert_eq!(counts[1], 0);
        assert!((1_700..2_300).contains(&counts[0]), "{counts:?}");
    }
}
