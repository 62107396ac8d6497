//! Reading `\n`-terminated lines as bytes, with 1-based line numbers.

use std::io::{self, BufRead};

/// One line without its terminator (`\n` or `\r\n`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number.
    pub number: u64,
    pub bytes: Vec<u8>,
    /// False for a last line without a final newline (possibly cut off).
    pub terminated: bool,
}

/// An iterator over the lines of a reader. Lines are bytes: UTF-8 is checked per record by the
/// caller, so one bad line does not stop the file.
pub struct Lines<R> {
    reader: R,
    number: u64,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Lines<R> {
        Lines { reader, number: 0 }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = io::Result<Line>;

    fn next(&mut self) -> Option<io::Result<Line>> {
        let mut bytes = Vec::new();
        match self.reader.read_until(b'\n', &mut bytes) {
            Ok(0) => None,
            Ok(_) => {
                self.number += 1;
                let terminated = bytes.last() == Some(&b'\n');
                if terminated {
                    bytes.pop();
                    if bytes.last() == Some(&b'\r') {
                        bytes.pop();
                    }
                }
                Some(Ok(Line {
                    number: self.number,
                    bytes,
                    terminated,
                }))
            }
            Err(e) => Some(Err(e)),
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
    }
}
