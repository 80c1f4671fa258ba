//! The synthetic taxpayer population.
//!
//! The population is generated in fixed-size chunks, each from its own random stream
//! keyed by the master seed and the chunk number, so chunks run in parallel while the
//! output depends only on `(seed, count)`, never on the thread count or the machine.

use rayon::prelude::*;

use crate::address::Address;
use crate::draw::{Draw, Stream};
use crate::household::draw_household;
use crate::record::SynthRecord;

/// Records per generation chunk. Part of the output definition: changing it changes the
/// population drawn for a seed.
pub const CHUNK_SIZE: usize = 4096;

/// Probability that a household with a unit is followed by a neighbour in the same
/// building (another unit at the same street address).
const SAME_BUILDING_RATE: f64 = 0.35;

/// Draws `count` synthetic taxpayer records for `seed`.
///
/// Record ids are `TP-` and a 9-digit sequence number from 1. Same seed and count give the
/// same records on any machine; a population of `n` records is not a prefix of one of
/// `n + k` records when `n` is not a multiple of [`CHUNK_SIZE`] (the last chunk ends early).
pub fn population(seed: u64, count: usize) -> Vec<SynthRecord> {
    let chunks = count.div_ceil(CHUNK_SIZE);
    let parts: Vec<Vec<SynthRecord>> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let start = c * CHUNK_SIZE;
            let len = CHUNK_SIZE.min(count - start);
            chunk(seed, c as u64, start, len)
        })
        .collect();
    let mut out = Vec::with_capacity(count);
    for part in parts {
        out.extend(part);
    }
    out
}

/// Draws the same records as [`population`], handing them to `sink` in order, a few
/// chunks at a time, so that memory stays bounded whatever the count. Stops at the first
/// error `sink` returns.
pub fn population_in_batches<E>(
    seed: u64,
    count: usize,
    mut sink: impl FnMut(&[SynthRecord]) -> Result<(), E>,
) -> Result<(), E> {
    let chunks = count.div_ceil(CHUNK_SIZE);
    let per_batch = (rayon::current_num_threads() * 4).max(1);
    let mut first = 0;
    while first < chunks {
        let last = (first + per_batch).min(chunks);
        let batch: Vec<Vec<SynthRecord>> = (first..last)
            .into_par_iter()
            .map(|c| {
                let start = c * CHUNK_SIZE;
                chunk(seed, c as u64, start, CHUNK_SIZE.min(count - start))
            })
            .collect();
        for part in &batch {
            sink(part)?;
        }
        first = last;
    }
    Ok(())
}

/// The id of the population record at `index` (0-based).
pub fn population_id(index: usize) -> String {
    format!("TP-{:09}", index + 1)
}

fn chunk(seed: u64, chunk: u64, start: usize, len: usize) -> Vec<SynthRecord> {
    let mut d = Draw::new(seed, Stream::PopulationChunk, chunk);
    let mut out: Vec<SynthRecord> = Vec::with_capacity(len);
    let mut previous: Option<Address> = None;
    while out.len() < len {
        let address = match &previous {
            Some(p) if p.has_unit() && d.chance(SAME_BUILDING_RATE) => p.with_new_unit(&mut d),
            _ => Address::draw(&mut d),
        };
        let household = draw_household(&mut d, &address, len - out.len());
        for mut record in household {
            record.id = population_id(start + out.len());
            out.push(record);
        }
        previous = Some(address);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_ids_and_chunk_boundaries() {
        for count in [0, 1, 7, CHUNK_SIZE, CHUNK_SIZE + 3] {
            let pop = population(9, count);
            assert_eq!(pop.len(), count);
            for (i, r) in pop.iter().enumerate() {
                assert_eq!(r.id, population_id(i));
            }
        }
    }

    #[test]
    fn batches_give_the_same_records() {
        let count = 3 * CHUNK_SIZE + 17;
        let mut streamed = Vec::new();
        population_in_batches(4, count, |part| {
            streamed.extend_from_slice(part);
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(streamed, population(4, count));
        let mut calls = 0;
        let stopped = population_in_batches(4, count, |_| {
            calls += 1;
            Err("sink full")
        });
        assert_eq!((stopped, calls), (Err("sink full"), 1));
    }

    #[test]
    fn chunks_do_not_depend_on_the_total() {
        let small = population(9, CHUNK_SIZE);
        let large = population(9, 2 * CHUNK_SIZE);
        assert_eq!(small[..], large[..CHUNK_SIZE]);
    }
}
