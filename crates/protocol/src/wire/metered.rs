//! A stream wrapper that counts the bytes that cross it, for "bytes on the wire" reports.

use std::io::{Read, Write};

/// Counts bytes read from and written to the inner stream (ciphertext, framing and
/// handshake included: what actually crossed the socket).
#[derive(Debug)]
pub struct Metered<S> {
    inner: S,
    read: u64,
    written: u64,
}

impl<S> Metered<S> {
    /// Wraps a stream.
    pub fn new(inner: S) -> Metered<S> {
        Metered {
            inner,
            read: 0,
            written: 0,
        }
    }

    /// Bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    /// Bytes written so far.
    pub fn bytes_written(&self) -> u64 {
        self.written
    }

    /// The inner stream (e.g. to set timeouts).
    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S: Read> Read for Metered<S> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

impl<S: Write> Write for Metered<S> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_both_directions() {
        let mut m = Metered::new(std::io::Cursor::new(b"hello world".to_vec()));
        let mut buf = [0u8; 5];
        m.read_exact(&mut buf).unwrap();
        m.write_all(b"abc").unwrap();
        assert_eq!((m.bytes_read(), m.bytes_written()), (5, 3));
    }
}
