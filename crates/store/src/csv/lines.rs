//! Line numbers of rows, counted here rather than taken from the `csv` crate.
//!
//! The `csv` crate reports, as a record's position, the place where it *started looking*
//! for the record: before the blank lines it skips and, in a CRLF file, before the LF of
//! the previous row's CRLF. Its line numbers are therefore one short for every row of a
//! CRLF file and for every row after a blank line. [`LineTap`] sits between the input and
//! the parser and remembers where each line's content begins, so that a row's line is
//! the line of its first byte: the first byte at or after the parser's position that is
//! not CR or LF (exactly what the parser skips before a record).

use std::collections::VecDeque;
use std::io::Read;

/// The `csv` reader's buffer: the parser is never more than this far behind the tap.
pub(crate) const PARSER_BUFFER: usize = 64 * 1024;

/// Line starts older than this, counted back from what the tap has read, are dropped;
/// twice the parser's buffer, so every start the parser can still ask about is kept.
const WINDOW: u64 = 2 * PARSER_BUFFER as u64;

const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// Passes bytes through and records where lines' contents begin.
#[derive(Debug)]
pub(crate) struct LineTap<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    /// LF bytes read so far.
    lfs: u64,
    /// Whether the last byte read was CR or LF (true at the start of the input).
    after_break: bool,
    /// `(offset, line)` of every byte that begins a line's content (a byte other than CR
    /// or LF right after CR, LF or the start), within the last [`WINDOW`] bytes.
    starts: VecDeque<(u64, u64)>,
}

impl<R> LineTap<R> {
    pub(crate) fn new(inner: R) -> LineTap<R> {
        LineTap {
            inner,
            offset: 0,
            lfs: 0,
            after_break: true,
            starts: VecDeque::new(),
        }
    }

    /// The line (1-based) of the first byte at or after `offset` that is not CR or LF,
    /// if it has been read.
    pub(crate) fn line_at(&self, offset: u64) -> Option<u64> {
        let index = self.starts.partition_point(|&(start, _)| start < offset);
        self.starts.get(index).map(|&(_, line)| line)
    }

    /// The line the next byte read is on.
    pub(crate) fn current_line(&self) -> u64 {
        self.lfs + 1
    }

    pub(crate) fn into_inner(self) -> R {
        self.inner
    }

    fn scan(&mut self, bytes: &[u8]) {
        for &b in bytes {
            // A byte order mark at the very start is skipped by the parser: not content.
            let bom = self.offset < 3 && BOM.get(self.offset as usize) == Some(&b);
            let line_break = b == b'\r' || b == b'\n';
            if !line_break && !bom && self.after_break {
                self.starts.push_back((self.offset, self.lfs + 1));
            }
            self.lfs += u64::from(b == b'\n');
            self.after_break = line_break || (bom && self.after_break);
            self.offset += 1;
        }
        let oldest = self.offset.saturating_sub(WINDOW);
        while self
            .starts
            .front()
            .is_some_and(|&(start, _)| start < oldest)
        {
            self.starts.pop_front();
        }
    }
}

impl<R: Read> Read for LineTap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(read) = buf.get(..n) {
            self.scan(read);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(text: &[u8]) -> Vec<(u64, u64)> {
        let mut tap = LineTap::new(text);
        std::io::copy(&mut tap, &mut std::io::sink()).unwrap();
        tap.starts.into_iter().collect()
    }

    #[test]
    fn line_starts_skip_breaks_blank_lines_and_the_bom() {
        assert_eq!(starts(b"a,b\n1,2\n"), [(0, 1), (4, 2)]);
        assert_eq!(starts(b"a,b\r\n1,2\r\n"), [(0, 1), (5, 2)]);
        assert_eq!(starts(b"\n\na,b\n\n1\n"), [(2, 3), (7, 5)]);
        assert_eq!(starts(b"a\r1\r\n2"), [(0, 1), (2, 1), (5, 2)]);
        assert_eq!(starts("\u{feff}\na".as_bytes()), [(4, 2)]);
        assert_eq!(starts("\u{feff}a".as_bytes()), [(3, 1)]);
        let mut tap = LineTap::new(&b"a,b\r\n\r\n1,2\r\n"[..]);
        std::io::copy(&mut tap, &mut std::io::sink()).unwrap();
        assert_eq!(tap.line_at(4), Some(3));
        assert_eq!(tap.line_at(0), Some(1));
        assert_eq!(tap.line_at(99), None);
        assert_eq!(tap.current_line(), 4);
    }
}
