//! Reading `\n`-terminated lines as bytes, with 1-based line numbers, each held to a length limit:
//! a longer line is skipped through without being buffered, only its start kept.

use std::cell::RefCell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

/// Bytes kept of a line longer than the limit (for the quarantine excerpt).
const KEPT_OF_LONG: usize = 4096;

/// One line without its terminator (`\n` or `\r\n`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number.
    pub number: u64,
    /// The line, or only its start when it is longer than the limit.
    pub bytes: Vec<u8>,
    /// False for a last line without a final newline (possibly cut off).
    pub terminated: bool,
    /// The line's full length in bytes, with its terminator, when it is longer than the limit.
    pub too_long: Option<u64>,
}

/// An iterator over the lines of a reader. Lines are bytes: UTF-8 is checked per record by the
/// caller, so one bad line does not stop the file.
pub struct Lines<R> {
    reader: R,
    number: u64,
    max_bytes: u64,
}

impl<R: BufRead> Lines<R> {
    /// Lines of at most the default [`crate::input::Limits::max_record_bytes`].
    pub fn new(reader: R) -> Lines<R> {
        Lines::with_limit(reader, crate::input::Limits::default().max_record_bytes)
    }

    pub fn with_limit(reader: R, max_bytes: u64) -> Lines<R> {
        Lines {
            reader,
            number: 0,
            max_bytes,
        }
    }

    /// Appends the rest of the line to `bytes` while it fits the limit; the line's length read.
    fn read_line(&mut self, bytes: &mut Vec<u8>) -> io::Result<(u64, bool)> {
        let start = bytes.len();
        let mut length = 0u64;
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                return Ok((length, false));
            }
            let (take, done) = match memchr::memchr(b'\n', buf) {
                Some(at) => (at + 1, true),
                None => (buf.len(), false),
            };
            let kept = bytes.len() - start;
            let keep = if length + take as u64 <= self.max_bytes {
                take
            } else {
                KEPT_OF_LONG.saturating_sub(kept).min(take)
            };
            if length + take as u64 > self.max_bytes && kept > KEPT_OF_LONG {
                bytes.truncate(start + KEPT_OF_LONG);
            }
            bytes.extend_from_slice(buf.get(..keep).unwrap_or_default());
            length += take as u64;
            self.reader.consume(take);
            if done {
                return Ok((length, true));
            }
        }
    }

    /// Reads the next line onto the end of `bytes` (without its terminator); where it lies there.
    /// On an error `bytes` is left as it was.
    pub fn next_into(&mut self, bytes: &mut Vec<u8>) -> Option<io::Result<Span>> {
        let start = bytes.len();
        match self.read_line(bytes) {
            Ok((0, _)) => None,
            Ok((length, terminated)) => {
                self.number += 1;
                let too_long = (length > self.max_bytes).then_some(length);
                if terminated && too_long.is_none() {
                    bytes.pop();
                    if bytes.len() > start && bytes.last() == Some(&b'\r') {
                        bytes.pop();
                    }
                }
                Some(Ok(Span {
                    number: self.number,
                    range: start..bytes.len(),
                    terminated,
                    too_long,
                }))
            }
            Err(e) => {
                bytes.truncate(start);
                Some(Err(e))
            }
        }
    }

    /// The number of the last line read (0 before the first).
    pub fn number(&self) -> u64 {
        self.number
    }

    /// Reads whole lines into one buffer until it holds at least `target` bytes or the input
    /// ends; with the error that stopped reading, if one did (the lines before it are in the
    /// chunk).
    pub fn next_chunk(&mut self, target: usize) -> (Chunk, Option<io::Error>) {
        let mut chunk = Chunk::default();
        let error = self.next_chunk_into(&mut chunk, target);
        (chunk, error)
    }

    /// [`Lines::next_chunk`] into a chunk emptied first, whose buffers are used again: a fresh
    /// buffer grows by doubling (copying) and costs the kernel a page fault for each new page.
    pub fn next_chunk_into(&mut self, chunk: &mut Chunk, target: usize) -> Option<io::Error> {
        chunk.bytes.clear();
        chunk.spans.clear();
        while chunk.bytes.len() < target {
            match self.next_into(&mut chunk.bytes) {
                None => break,
                Some(Ok(span)) => chunk.spans.push(span),
                Some(Err(e)) => return Some(e),
            }
        }
        None
    }
}

/// Where a line lies in a [`Chunk`], with what [`Line`] tells besides its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub number: u64,
    pub range: std::ops::Range<usize>,
    pub terminated: bool,
    pub too_long: Option<u64>,
}

/// Consecutive lines in one buffer: a unit of work that can go to another thread.
#[derive(Debug, Default)]
pub struct Chunk {
    pub bytes: Vec<u8>,
    pub spans: Vec<Span>,
}

impl Chunk {
    /// The chunk's lines, in order.
    pub fn lines(&self) -> impl Iterator<Item = LineRef<'_>> {
        self.spans.iter().map(|span| LineRef {
            number: span.number,
            bytes: self.bytes.get(span.range.clone()).unwrap_or_default(),
            terminated: span.terminated,
            too_long: span.too_long,
        })
    }
}

/// A [`Line`] whose bytes are borrowed from a [`Chunk`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRef<'a> {
    pub number: u64,
    pub bytes: &'a [u8],
    pub terminated: bool,
    pub too_long: Option<u64>,
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = io::Result<Line>;

    fn next(&mut self) -> Option<io::Result<Line>> {
        let mut bytes = Vec::new();
        let span = self.next_into(&mut bytes)?;
        Some(span.map(|span| Line {
            number: span.number,
            bytes,
            terminated: span.terminated,
            too_long: span.too_long,
        }))
    }
}

/// Line numbers (1-based) of the lines a [`CappedLines`] cut short.
pub type CutLines = Rc<RefCell<Vec<u64>>>;

/// Reads past `count` lines (to just after their line ends) without holding them. Returns the
/// lines skipped: fewer when the input ends first.
pub fn skip_lines<R: BufRead + ?Sized>(reader: &mut R, count: u64) -> io::Result<u64> {
    let mut skipped = 0;
    while skipped < count {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        match memchr::memchr(b'\n', buf) {
            Some(at) => {
                reader.consume(at + 1);
                skipped += 1;
            }
            None => {
                let read = buf.len();
                reader.consume(read);
            }
        }
    }
    Ok(skipped)
}

/// A reader that passes at most `max_bytes` of each line through and drops the rest of the line
/// (its newline still passes), noting the cut lines: for parsers that would otherwise buffer a
/// line of any length (CSV).
pub struct CappedLines<R> {
    inner: R,
    line: u64,
    in_line: u64,
    skipping: bool,
    max_bytes: u64,
    cut: CutLines,
}

impl<R: BufRead> CappedLines<R> {
    pub fn new(inner: R, max_bytes: u64) -> (CappedLines<R>, CutLines) {
        let cut = CutLines::default();
        let reader = CappedLines {
            inner,
            line: 1,
            in_line: 0,
            skipping: false,
            max_bytes,
            cut: cut.clone(),
        };
        (reader, cut)
    }
}

impl<R: BufRead> Read for CappedLines<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                return Ok(0);
            }
            let newline = buf.iter().position(|b| *b == b'\n');
            if self.skipping {
                // Drop the rest of the cut line; its newline passes in the next round.
                let skip = newline.unwrap_or(buf.len());
                self.inner.consume(skip);
                if newline.is_some() {
                    self.skipping = false;
                    self.in_line = 0;
                }
                continue;
            }
            // The newline does not count against the limit.
            let content = newline.unwrap_or(buf.len()) as u64;
            let pass = if self.in_line + content > self.max_bytes {
                self.max_bytes - self.in_line
            } else {
                newline.map_or(content, |at| at as u64 + 1)
            };
            if pass == 0 {
                self.cut.borrow_mut().push(self.line);
                self.skipping = true;
                continue;
            }
            let n = usize::try_from(pass).unwrap_or(usize::MAX).min(out.len());
            out.get_mut(..n)
                .unwrap_or_default()
                .copy_from_slice(buf.get(..n).unwrap_or_default());
            self.inner.consume(n);
            if newline == Some(n - 1) {
                self.line += 1;
                self.in_line = 0;
            } else {
                self.in_line += n as u64;
            }
            return Ok(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lines_and_marks_the_unterminated_last_one() {
        let lines: Vec<Line> = Lines::new(&b"a\r\n\nb"[..])
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].bytes, b"a");
        assert!(lines[0].terminated);
        assert_eq!(lines[1].number, 2);
        assert_eq!(lines[2].bytes, b"b");
        assert!(!lines[2].terminated);
        assert!(lines.iter().all(|l| l.too_long.is_none()));
    }

    #[test]
    fn a_line_over_the_limit_keeps_only_its_start_and_the_next_line_follows() {
        let long = vec![b'x'; 100_000];
        let mut input = b"ok\n".to_vec();
        input.extend_from_slice(&long);
        input.extend_from_slice(b"\nnext\n");
        // A small buffer: the long line arrives in many pieces.
        let reader = std::io::BufReader::with_capacity(1000, &input[..]);
        let lines: Vec<Line> = Lines::with_limit(reader, 10_000)
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].too_long, Some(100_001));
        assert_eq!(lines[1].bytes.len(), KEPT_OF_LONG);
        assert_eq!(lines[2].bytes, b"next");
        assert_eq!(lines[2].number, 3);
        // Exactly at the limit is fine.
        let lines: Vec<Line> = Lines::with_limit(&b"abcd\n"[..], 5)
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            (lines[0].bytes.as_slice(), lines[0].too_long),
            (&b"abcd"[..], None)
        );
    }

    #[test]
    fn chunks_hold_whole_lines_numbered_on_across_chunks() {
        let input = b"one\r\ntwo\n\nthree\nfour";
        let mut lines = Lines::with_limit(std::io::BufReader::with_capacity(3, &input[..]), 100);
        let (first, error) = lines.next_chunk(5);
        assert!(error.is_none());
        let first: Vec<(u64, &[u8])> = first.lines().map(|l| (l.number, l.bytes)).collect();
        assert_eq!(first, [(1, &b"one"[..]), (2, &b"two"[..])]);
        let (rest, _) = lines.next_chunk(100);
        let rest: Vec<LineRef<'_>> = rest.lines().collect();
        assert_eq!(rest.len(), 3);
        assert_eq!((rest[0].number, rest[0].bytes), (3, &b""[..]));
        assert_eq!((rest[2].number, rest[2].bytes), (5, &b"four"[..]));
        assert!(rest[1].terminated && !rest[2].terminated);
        assert!(lines.next_chunk(100).0.spans.is_empty());
        assert_eq!(lines.number(), 5);
    }

    #[test]
    fn capped_lines_cut_long_lines_and_note_them() {
        let mut input = b"a,b\n1,2\n".to_vec();
        input.extend_from_slice(&vec![b'x'; 50_000]);
        input.extend_from_slice(b"\n3,4\r\nabcd\n");
        let reader = std::io::BufReader::with_capacity(700, &input[..]);
        let (mut capped, cut) = CappedLines::new(reader, 4);
        let mut out = Vec::new();
        capped.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"a,b\n1,2\nxxxx\n3,4\r\nabcd\n");
        assert_eq!(*cut.borrow(), [3]);
    }
}
