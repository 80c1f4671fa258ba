//! Bit-level I/O on 64-bit words, most significant bit first.
//!
//! Bits are packed into bytes from bit 7 down to bit 0, bytes in order; the final partial
//! byte is padded with zero bits. The writer accumulates a 64-bit word and flushes it as
//! 8 big-endian bytes; the reader peeks any 64-bit window with one unaligned load.

/// Appends bits to a byte vector (which may already hold a prefix, e.g. a header).
#[derive(Debug)]
pub(crate) struct BitWriter {
    out: Vec<u8>,
    /// Pending bits, left-aligned: the top `filled` bits are valid, the rest zero.
    acc: u64,
    /// Number of pending bits, always `< 64` between calls.
    filled: u32,
}

impl BitWriter {
    /// A writer appending after the current content of `out`.
    pub(crate) fn new(out: Vec<u8>) -> Self {
        Self {
            out,
            acc: 0,
            filled: 0,
        }
    }

    /// Appends the `n` low bits of `value` (`n <= 64`), most significant first.
    pub(crate) fn write_bits(&mut self, value: u64, n: u32) {
        if n == 0 {
            return;
        }
        let n = n.min(64);
        let value = value & (u64::MAX >> (64 - n));
        let free = 64 - self.filled;
        if n < free {
            self.acc |= value << (free - n);
            self.filled += n;
        } else {
            // `n - free < 64` because `free >= 1`.
            let rest = n - free;
            self.acc |= value >> rest;
            self.out.extend_from_slice(&self.acc.to_be_bytes());
            self.acc = value.checked_shl(64 - rest).unwrap_or(0);
            self.filled = rest;
        }
    }

    /// Appends the `n` low bits of `value` (`n <= 128`), most significant first.
    pub(crate) fn write_bits_u128(&mut self, value: u128, n: u32) {
        if n > 64 {
            self.write_bits((value >> 64) as u64, n - 64);
            self.write_bits(value as u64, 64);
        } else {
            self.write_bits(value as u64, n);
        }
    }

    /// Appends `q` in unary: `q` zero bits, then a one bit.
    pub(crate) fn write_unary(&mut self, mut q: u128) {
        while q >= 64 {
            self.write_bits(0, 64);
            q -= 64;
        }
        // q < 64, so q + 1 <= 64 bits hold q zeros and the terminating one.
        self.write_bits(1, q as u32 + 1);
    }

    /// Flushes the pending bits, zero-padded to a whole byte, and returns the bytes.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        let bytes = self.filled.div_ceil(8) as usize;
        let word = self.acc.to_be_bytes();
        self.out
            .extend_from_slice(word.get(..bytes).unwrap_or(&word));
        self.out
    }
}

/// Reads bits from a byte slice; reads past the end see zero bits, so callers check
/// [`BitReader::position`] against [`BitReader::len_bits`] after each decoded value.
#[derive(Debug)]
pub(crate) struct BitReader<'a> {
    bytes: &'a [u8],
    /// Position of the next bit. Never more than `len_bits + 128` past the start.
    pos: u64,
    len_bits: u64,
}

impl<'a> BitReader<'a> {
    /// A reader over all bits of `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            pos: 0,
            len_bits: (bytes.len() as u64).saturating_mul(8),
        }
    }

    /// Bits consumed so far (may exceed [`Self::len_bits`] after reading past the end).
    pub(crate) fn position(&self) -> u64 {
        self.pos
    }

    /// Total bits in the input.
    pub(crate) fn len_bits(&self) -> u64 {
        self.len_bits
    }

    /// The 64 bits starting at the current position, zero beyond the end of the input.
    #[inline]
    pub(crate) fn peek64(&self) -> u64 {
        let Ok(byte) = usize::try_from(self.pos >> 3) else {
            return 0;
        };
        let shift = (self.pos & 7) as u32;
        let window: [u8; 9] = match self.bytes.get(byte..byte.saturating_add(9)) {
            Some(s) => <[u8; 9]>::try_from(s).unwrap_or([0; 9]),
            None => {
                let mut w = [0u8; 9];
                let tail = self.bytes.get(byte..).unwrap_or(&[]);
                for (dst, src) in w.iter_mut().zip(tail) {
                    *dst = *src;
                }
                w
            }
        };
        let [b0, b1, b2, b3, b4, b5, b6, b7, b8] = window;
        let head = u64::from_be_bytes([b0, b1, b2, b3, b4, b5, b6, b7]);
        // For shift = 0 the second term is `b8 >> 8 = 0`.
        (head << shift) | (u64::from(b8) >> (8 - shift))
    }

    /// Advances by `n` bits.
    #[inline]
    pub(crate) fn skip(&mut self, n: u32) {
        self.pos = self.pos.saturating_add(u64::from(n));
    }

    /// Reads `n <= 64` bits as an unsigned integer.
    #[inline]
    pub(crate) fn read_bits(&mut self, n: u32) -> u64 {
        let n = n.min(64);
        let value = self.peek64().checked_shr(64 - n).unwrap_or(0);
        self.skip(n);
        value
    }

    /// Reads `n <= 128` bits as an unsigned integer.
    pub(crate) fn read_bits_u128(&mut self, n: u32) -> u128 {
        if n > 64 {
            let high = u128::from(self.read_bits(n - 64));
            (high << 64) | u128::from(self.read_bits(64))
        } else {
            u128::from(self.read_bits(n))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_msb_first_and_pads_with_zeros() {
        let mut w = BitWriter::new(vec![0xEE]);
        w.write_bits(0b101, 3);
        w.write_bits(0b1, 1);
        w.write_bits(0xF, 4);
        w.write_bits(0b11, 2);
        assert_eq!(w.finish(), vec![0xEE, 0b1011_1111, 0b1100_0000]);
    }

    #[test]
    fn empty_writer_adds_nothing() {
        assert_eq!(BitWriter::new(vec![1, 2]).finish(), vec![1, 2]);
    }

    #[test]
    fn masks_value_to_width() {
        let mut w = BitWriter::new(Vec::new());
        w.write_bits(u64::MAX, 4);
        assert_eq!(w.finish(), vec![0xF0]);
    }

    #[test]
    fn unary_encoding_across_words() {
        for q in [0u128, 1, 7, 63, 64, 65, 127, 128, 200] {
            let mut w = BitWriter::new(Vec::new());
            w.write_bits(0b1, 1);
            w.write_unary(q);
            let bytes = w.finish();
            let mut r = BitReader::new(&bytes);
            assert_eq!(r.read_bits(1), 1);
            let mut zeros = 0u128;
            while r.read_bits(1) == 0 {
                zeros += 1;
            }
            assert_eq!(zeros, q);
            assert_eq!(r.position(), q as u64 + 2);
        }
    }

    #[test]
    fn round_trip_mixed_widths_at_every_alignment() {
        let values: [(u128, u32); 9] = [
            (0, 0),
            (1, 1),
            (0x1234_5678_9ABC_DEF0, 64),
            (u64::MAX as u128, 64),
            (u128::MAX, 128),
            (u128::MAX >> 1, 127),
            (0x1_0000_0000_0000_0001, 65),
            (5, 3),
            (0, 128),
        ];
        for lead in 0..9u32 {
            let mut w = BitWriter::new(Vec::new());
            w.write_bits(0, lead);
            for &(v, n) in &values {
                w.write_bits_u128(v, n);
            }
            let bytes = w.finish();
            let total: u32 = lead + values.iter().map(|&(_, n)| n).sum::<u32>();
            assert_eq!(bytes.len(), total.div_ceil(8) as usize);
            let mut r = BitReader::new(&bytes);
            assert_eq!(r.read_bits(lead), 0);
            for &(v, n) in &values {
                assert_eq!(r.read_bits_u128(n), v, "width {n} after {lead} bits");
            }
            assert_eq!(r.position(), u64::from(total));
        }
    }

    #[test]
    fn reads_past_end_as_zeros() {
        let bytes = [0xFFu8, 0x80];
        let mut r = BitReader::new(&bytes);
        assert_eq!(r.len_bits(), 16);
        assert_eq!(r.peek64(), 0xFF80_0000_0000_0000);
        r.skip(9);
        assert_eq!(r.peek64(), 0);
        assert_eq!(r.read_bits(64), 0);
        assert_eq!(r.position(), 73);
        let empty = BitReader::new(&[]);
        assert_eq!(empty.peek64(), 0);
    }

    #[test]
    fn peek_unaligned_matches_bitwise_model() {
        let bytes: Vec<u8> = (0..40u8).map(|i| i.wrapping_mul(37) ^ 0x5A).collect();
        let bit = |i: u64| -> u64 {
            let b = bytes.get((i / 8) as usize).copied().unwrap_or(0);
            u64::from((b >> (7 - (i % 8))) & 1)
        };
        for start in 0..(bytes.len() as u64 * 8 + 10) {
            let mut r = BitReader::new(&bytes);
            r.skip(start as u32);
            let expected = (0..64).fold(0u64, |acc, j| (acc << 1) | bit(start + j));
            assert_eq!(r.peek64(), expected, "start {start}");
        }
    }
}
