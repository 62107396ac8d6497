//! Opening inputs: gzip and zstd are recognised by their magic bytes and decompressed on the fly
//! (zstd with windows up to 2 GiB, as the Pushshift / Arctic Shift dumps need); a shared
//! counter tells how many bytes of the file on disk were read, for progress.

use crate::IngestError;
use flate2::read::MultiGzDecoder;
use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::rc::Rc;

/// Bytes read from the file on disk so far.
pub type Counter = Rc<Cell<u64>>;

/// How many bytes of the (decompressed) start of a file format detection looks at.
pub const SNIFF_BYTES: usize = 64 * 1024;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];
/// The largest zstd window accepted: 2^31 bytes (`zstd --long=31`, as the Reddit dumps use).
const ZSTD_WINDOW_LOG_MAX: u32 = 31;

/// A reader that counts the bytes passing through it.
pub struct Counting<R> {
    inner: R,
    counter: Counter,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.set(self.counter.get() + n as u64);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Wraps a reader so that it counts the bytes read through it.
pub fn counting<R>(inner: R) -> (Counting<R>, Counter) {
    let counter = Counter::default();
    (
        Counting {
            inner,
            counter: counter.clone(),
        },
        counter,
    )
}

/// True when the bytes start like a gzip stream.
pub fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&GZIP_MAGIC)
}

/// True when the bytes start like a zstd frame.
pub fn is_zstd(head: &[u8]) -> bool {
    head.starts_with(&ZSTD_MAGIC)
}

/// Wraps a raw reader: decompresses it when it is gzip or zstd.
pub fn decompressed<R: Read + 'static>(reader: R) -> io::Result<Box<dyn BufRead>> {
    let mut buffered = BufReader::with_capacity(64 * 1024, reader);
    let head = buffered.fill_buf()?;
    Ok(if is_gzip(head) {
        Box::new(BufReader::with_capacity(
            64 * 1024,
            MultiGzDecoder::new(buffered),
        ))
    } else if is_zstd(head) {
        let mut decoder = zstd::stream::read::Decoder::with_buffer(buffered)?;
        decoder.window_log_max(ZSTD_WINDOW_LOG_MAX)?;
        Box::new(BufReader::with_capacity(64 * 1024, decoder))
    } else {
        Box::new(buffered)
    })
}

/// Opens a file for reading, through gzip or zstd when it is compressed, counting bytes read from disk.
pub fn open(path: &Path) -> Result<(Box<dyn BufRead>, Counter), IngestError> {
    let file = File::open(path).map_err(|e| IngestError::io(path, e))?;
    let counter = Counter::default();
    let counting = Counting {
        inner: file,
        counter: counter.clone(),
    };
    let reader = decompressed(counting).map_err(|e| IngestError::io(path, e))?;
    Ok((reader, counter))
}

/// The first (up to) `limit` decompressed bytes of a file.
pub fn head(path: &Path, limit: usize) -> Result<Vec<u8>, IngestError> {
    let (reader, _) = open(path)?;
    let mut buf = Vec::with_capacity(limit.min(SNIFF_BYTES));
    match reader.take(limit as u64).read_to_end(&mut buf) {
        Ok(_) => Ok(buf),
        // A damaged gzip stream: detect on what could be read.
        Err(_) if !buf.is_empty() => Ok(buf),
        Err(e) => Err(IngestError::io(path, e)),
    }
}

/// Strips a UTF-8 byte-order mark and leading whitespace.
pub fn trim_start(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}
