//! Opening inputs: gzip and zstd are recognised by their magic bytes and decompressed on the fly
//! (zstd with windows up to 2 GiB, as the Pushshift / Arctic Shift dumps need), within
//! [`Limits`] so that a compression bomb stops with an error instead of filling memory or taking
//! hours; a leading UTF-8 byte-order mark is dropped; a shared counter tells how many bytes of the
//! file on disk were read, for progress.

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

/// Bounds on what one input may make Dialoog expand or hold: past them reading stops with a
/// [`LimitExceeded`] error, which the readers quarantine (naming file and record) before going on
/// with the next file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most decompressed bytes per compressed byte (gzip, zstd, zip members), checked once more
    /// than `expansion_floor` bytes came out. Real exports compress 5–20×; a gzip or deflate bomb
    /// reaches about 1032×, a zstd bomb far more.
    pub max_expansion_ratio: u64,
    /// Decompressed bytes always allowed whatever the ratio (small, very regular files).
    pub expansion_floor: u64,
    /// Most decompressed bytes of one file or archive member.
    pub max_decompressed_bytes: u64,
    /// Largest record: a JSON line, a CSV line, one item of a JSON array. Longer lines are
    /// skipped without being buffered and quarantined.
    pub max_record_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_expansion_ratio: 200,
            expansion_floor: 64 << 20,
            max_decompressed_bytes: 1 << 42,
            max_record_bytes: 32 << 20,
        }
    }
}

/// An input went past one of its [`Limits`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LimitExceeded(pub String);

impl LimitExceeded {
    pub(crate) fn io(message: String) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, LimitExceeded(message))
    }
}

/// Whether an I/O error is a [`LimitExceeded`].
pub fn is_limit(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<LimitExceeded>())
}

/// A decompressing reader held to [`Limits`]: `compressed` counts the compressed bytes consumed.
pub struct Bounded<R> {
    inner: R,
    compressed: Counter,
    out: u64,
    limits: Limits,
    what: &'static str,
}

impl<R> Bounded<R> {
    pub fn new(inner: R, compressed: Counter, limits: Limits, what: &'static str) -> Bounded<R> {
        Bounded {
            inner,
            compressed,
            out: 0,
            limits,
            what,
        }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        let compressed = self.compressed.get().max(1);
        if self.out > self.limits.max_decompressed_bytes {
            return Err(LimitExceeded::io(format!(
                "{} data expands past {} bytes (Limits::max_decompressed_bytes); a compression bomb?",
                self.what, self.limits.max_decompressed_bytes
            )));
        }
        if self.out > self.limits.expansion_floor
            && self.out / compressed > self.limits.max_expansion_ratio
        {
            return Err(LimitExceeded::io(format!(
                "{} data expands more than {}× ({} bytes out of {compressed}; Limits::max_expansion_ratio); a compression bomb?",
                self.what, self.limits.max_expansion_ratio, self.out
            )));
        }
        Ok(n)
    }
}

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

/// Wraps a raw reader whose bytes read so far `compressed` counts: decompresses it, held to
/// `limits`, when it is gzip or zstd; drops a leading UTF-8 byte-order mark, and reads text that
/// starts with a UTF-16 one as UTF-8 ([`Utf16`]).
pub fn decompressed<R: Read + 'static>(
    reader: R,
    compressed: Counter,
    limits: Limits,
) -> io::Result<Box<dyn BufRead>> {
    let mut buffered = BufReader::with_capacity(64 * 1024, reader);
    let head = buffered.fill_buf()?;
    let mut reader: Box<dyn BufRead> = if is_gzip(head) {
        let decoder = MultiGzDecoder::new(buffered);
        Box::new(BufReader::with_capacity(
            64 * 1024,
            Bounded::new(decoder, compressed, limits, "gzip"),
        ))
    } else if is_zstd(head) {
        let mut decoder = zstd::stream::read::Decoder::with_buffer(buffered)?;
        decoder.window_log_max(ZSTD_WINDOW_LOG_MAX)?;
        Box::new(BufReader::with_capacity(
            64 * 1024,
            Bounded::new(decoder, compressed, limits, "zstd"),
        ))
    } else {
        Box::new(buffered)
    };
    let head = reader.fill_buf()?;
    if head.starts_with(BOM) {
        reader.consume(BOM.len());
    } else if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(head)
        && encoding != encoding_rs::UTF_8
    {
        return Ok(Box::new(BufReader::with_capacity(
            64 * 1024,
            Utf16::new(reader, encoding),
        )));
    }
    Ok(reader)
}

/// Text in UTF-16 (with its byte-order mark), read as UTF-8: what Excel writes when saving
/// "Unicode text", and what some monitoring tools export, tab-separated. A lone surrogate reads
/// as U+FFFD.
pub struct Utf16<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    decoded: Vec<u8>,
    start: usize,
    end: usize,
    finished: bool,
}

impl<R: BufRead> Utf16<R> {
    fn new(inner: R, encoding: &'static encoding_rs::Encoding) -> Utf16<R> {
        Utf16 {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            decoded: vec![0; 64 * 1024],
            start: 0,
            end: 0,
            finished: false,
        }
    }
}

impl<R: BufRead> Read for Utf16<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // Decoded into a buffer of its own: the decoder needs room for a whole character.
        while self.start == self.end && !self.finished {
            let source = self.inner.fill_buf()?;
            let last = source.is_empty();
            let (_, read, written, _) =
                self.decoder.decode_to_utf8(source, &mut self.decoded, last);
            self.inner.consume(read);
            (self.start, self.end) = (0, written);
            self.finished = last;
        }
        let n = buf.len().min(self.end - self.start);
        buf[..n].copy_from_slice(&self.decoded[self.start..self.start + n]);
        self.start += n;
        Ok(n)
    }
}

const BOM: &[u8] = b"\xef\xbb\xbf";

/// Opens a file for reading with the default [`Limits`]; see [`open_with`].
pub fn open(path: &Path) -> Result<(Box<dyn BufRead>, Counter), IngestError> {
    open_with(path, Limits::default())
}

/// Opens a file for reading, through gzip or zstd when it is compressed, counting bytes read from disk.
pub fn open_with(path: &Path, limits: Limits) -> Result<(Box<dyn BufRead>, Counter), IngestError> {
    let file = File::open(path).map_err(|e| IngestError::io(path, e))?;
    let (counting, counter) = counting(file);
    let reader =
        decompressed(counting, counter.clone(), limits).map_err(|e| IngestError::io(path, e))?;
    Ok((reader, counter))
}

/// The first (up to) `limit` decompressed bytes of a file.
pub fn head(path: &Path, limit: usize) -> Result<Vec<u8>, IngestError> {
    let (reader, _) = open(path)?;
    let mut buf = Vec::with_capacity(limit.min(SNIFF_BYTES));
    match reader.take(limit as u64).read_to_end(&mut buf) {
        Ok(_) => Ok(buf),
        // A damaged or bomb-like stream: detect on what could be read.
        Err(_) if !buf.is_empty() => Ok(buf),
        Err(e) => Err(IngestError::io(path, e)),
    }
}

/// Strips a UTF-8 byte-order mark and leading whitespace.
pub fn trim_start(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
        let mut bytes = if little_endian {
            vec![0xff, 0xfe]
        } else {
            vec![0xfe, 0xff]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if little_endian {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        bytes
    }

    #[test]
    fn utf16_reads_as_utf8_in_reads_of_any_size() {
        // Long enough to cross the decoder's buffer, with characters of every UTF-8 length and
        // surrogate pairs on the boundaries.
        let text = "a\té€😀\r\n".repeat(20_000);
        for little_endian in [true, false] {
            let bytes = utf16(&text, little_endian);
            let raw = std::io::Cursor::new(bytes);
            let mut reader = decompressed(raw, Counter::default(), Limits::default()).unwrap();
            let mut out = Vec::new();
            let mut small = [0u8; 3];
            loop {
                let n = reader.read(&mut small).unwrap();
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&small[..n]);
            }
            assert_eq!(String::from_utf8(out).unwrap(), text);
        }
    }

    #[test]
    fn a_lone_surrogate_reads_as_a_replacement_character() {
        let mut bytes = utf16("ab", true);
        bytes.extend([0x3d, 0xd8]); // a high surrogate at the end
        let mut out = String::new();
        decompressed(
            std::io::Cursor::new(bytes),
            Counter::default(),
            Limits::default(),
        )
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
        assert_eq!(out, "ab\u{fffd}");
    }
}
