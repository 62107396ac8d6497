//! The original records of each ingest: `STORE/records/<run>.zst`, every input record that gave
//! a post or was quarantined, in the order read. The file is one zstd frame of the records, each
//! followed by a newline (so `zstdcat` prints a JSON-lines export's records as its lines), then a
//! skippable zstd frame with the index: each record's input file, format and number, and its
//! length where a record holds a newline itself. Posts join records on `source_file = file AND
//! source_record = record`; [`records_schema`] is the table they form.
//!
//! One zstd window of 128 MB over the whole run finds the repeats between records far apart
//! (the same account, the same text quoted or reshared), which Parquet's page-by-page
//! compression could not: the bench's 100k records take 7.7 MB instead of 11.4 MB.
//! Stores written before keep `<run>.parquet` files ([`crate::records_parquet`]); both are read.

use crate::StoreError;
use crate::background::Background;
use crate::error::IoContext;
use crate::records_parquet;
use crate::window::{self, Window};
#[cfg(feature = "sql")]
use arrow_array::builder::{BinaryBuilder, StringBuilder, UInt64Builder};
#[cfg(feature = "sql")]
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use dialoog_model::RawRecord;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, LazyLock};
use zstd::stream::raw::CParameter;
use zstd_sys::ZSTD_cParameter;

/// The extension of the records files this version writes.
pub(crate) const EXTENSION: &str = ".zst";

/// The extensions of records files this version reads.
pub(crate) const EXTENSIONS: [&str; 2] = [EXTENSION, records_parquet::EXTENSION];

/// Record bytes handed to the compressing worker at a time.
const CHUNK_BYTES: usize = 4 << 20;

/// zstd parameters of the records. Measured with the zstd 1.5 command line (stdin, one thread,
/// load 9) on the bench's records (100k: 110 MB of JSON; 1M: 1,098 MB), size and user CPU s:
/// level 3 as Parquet had it (2 MB window): 11.20 MB 0.26 s, 115.2 MB 2.6 s;
/// 3 + long-distance matching, 2^27 window: 8.40 MB 0.62 s, 76.0 MB 7.2 s;
/// 3 + 2^27 window alone: 9.79 MB 0.21 s;
/// 3 + 2^27 window, 2^19 hash and chain tables, minimum match 6: 7.80 MB 0.28 s, 76.1 MB 3.2 s;
/// the same with 2^20 tables: 7.62 MB 0.33 s, 73.4 MB 4.3 s.
/// Larger match tables find the far repeats long-distance matching finds, for less CPU.
/// Level 3's double-fast matcher keeps two tables: `HASH_LOG` for 8-byte hashes (the far
/// repeats) and `CHAIN_LOG` for `MIN_MATCH`-byte ones. On the first 300 MB of the 1M records
/// (cachegrind, instructions and first-level data cache misses): 2^19 + 2^19 and 6 bytes
/// 22.00 MB, 3.84 G, 70.7 M; 2^20 + 2^18 and 7 bytes 21.13 MB, 3.74 G, 68.5 M; 2^21 + 2^17 and
/// 7 bytes 20.77 MB, 3.70 G, 66.3 M. In ingest at 1M the last gave 71.9 MB instead of 75.9 MB
/// for the same CPU within the noise of a loaded machine. Readers need a 128 MB window to decode.
const ZSTD_LEVEL: i32 = 3;
const WINDOW_LOG: u32 = 27;
const HASH_LOG: u32 = 21;
const CHAIN_LOG: u32 = 17;
const MIN_MATCH: u32 = 7;

/// zstd level of the index: small, and its record numbers are mostly consecutive.
const INDEX_LEVEL: i32 = 9;

/// Magic of the index frame: zstd skips frames with magic 0x184D2A50..=0x184D2A5F.
const INDEX_MAGIC: u32 = 0x184D_2A5D;
/// Begins the index frame's content: the layout's name and version.
const INDEX_TAG: &[u8; 8] = b"dlrecs01";

/// Rows of one record batch when the records are read as a table.
#[cfg(feature = "sql")]
const BATCH_ROWS: usize = 8192;

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("file", DataType::Utf8, false),
        Field::new("record", DataType::UInt64, false),
        Field::new("format", DataType::Utf8, false),
        Field::new("raw", DataType::Binary, false),
    ]))
});

/// The schema of the records as a table (`dialoog sql`'s `records`).
pub fn records_schema() -> SchemaRef {
    SCHEMA.clone()
}

fn corrupt(path: &Path, message: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// The records' zstd stream: in one piece of memory where the system reserves one
/// ([`Window`]), else zstd's own buffer.
enum Stream {
    Window(Window<File>),
    Buffered(zstd::stream::write::Encoder<'static, File>),
}

impl Stream {
    fn new(file: File) -> std::io::Result<Stream> {
        use ZSTD_cParameter::*;
        let parameters = [
            (ZSTD_c_compressionLevel, ZSTD_LEVEL),
            (ZSTD_c_windowLog, WINDOW_LOG as i32),
            (ZSTD_c_hashLog, HASH_LOG as i32),
            (ZSTD_c_chainLog, CHAIN_LOG as i32),
            (ZSTD_c_minMatch, MIN_MATCH as i32),
            (ZSTD_c_checksumFlag, 1),
        ];
        let file = match Window::new(file, &parameters, WINDOW_LOG, window::RESERVED_BYTES)? {
            Ok(window) => return Ok(Stream::Window(window)),
            Err(file) => file,
        };
        let mut encoder = zstd::stream::write::Encoder::new(file, ZSTD_LEVEL)?;
        for parameter in [
            CParameter::WindowLog(WINDOW_LOG),
            CParameter::HashLog(HASH_LOG),
            CParameter::ChainLog(CHAIN_LOG),
            CParameter::MinMatch(MIN_MATCH),
            CParameter::ChecksumFlag(true),
        ] {
            encoder.set_parameter(parameter)?;
        }
        Ok(Stream::Buffered(encoder))
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Stream::Window(window) => window.write_all(bytes),
            Stream::Buffered(encoder) => encoder.write_all(bytes),
        }
    }

    fn finish(self) -> std::io::Result<File> {
        match self {
            Stream::Window(window) => window.finish(),
            Stream::Buffered(encoder) => encoder.finish(),
        }
    }
}

/// What the writer's thread is sent.
enum Job {
    /// Record bytes, each record followed by a newline.
    Data(Vec<u8>),
    /// The index (uncompressed): the last job.
    Index(Vec<u8>),
}

/// Streams one ingest's records into a records file: the bytes are collected here and
/// compressed on a worker thread.
pub(crate) struct RecordsWriter {
    worker: Background<Job, PathBuf>,
    data: Vec<u8>,
    /// Buffers the worker has compressed, emptied, to be filled again: a fresh 4 MB buffer
    /// costs the kernel a page fault and zeroing for each of its pages.
    emptied: Receiver<Vec<u8>>,
    index: IndexWriter,
}

impl RecordsWriter {
    pub(crate) fn create(path: PathBuf) -> Result<RecordsWriter, StoreError> {
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .at(&path)?;
        let mut stream = Stream::new(file).at(&path)?;
        let worker_path = path.clone();
        let (give_back, emptied) = mpsc::channel();
        let worker = Background::spawn(path, move |jobs: Receiver<Job>| {
            let path = worker_path;
            for job in jobs {
                match job {
                    Job::Data(mut bytes) => {
                        stream.write_all(&bytes).at(&path)?;
                        bytes.clear();
                        // Nobody takes it back once the writer is gone.
                        let _ = give_back.send(bytes);
                    }
                    Job::Index(index) => {
                        let mut file = stream.finish().at(&path)?;
                        write_index(&mut file, &index).at(&path)?;
                        file.sync_all().at(&path)?;
                        return Ok(path);
                    }
                }
            }
            Err(corrupt(
                &path,
                "the records writer stopped before the index",
            ))
        })?;
        Ok(RecordsWriter {
            worker,
            data: Vec::with_capacity(CHUNK_BYTES),
            emptied,
            index: IndexWriter::default(),
        })
    }

    pub(crate) fn add(&mut self, raw: &RawRecord) -> Result<(), StoreError> {
        // Sent before the record would not fit, so the buffer never grows (by copying).
        if !self.data.is_empty() && self.data.len() + raw.bytes.len() + 1 > CHUNK_BYTES {
            let empty = self
                .emptied
                .try_recv()
                .unwrap_or_else(|_| Vec::with_capacity(CHUNK_BYTES));
            let full = std::mem::replace(&mut self.data, empty);
            self.worker.send(Job::Data(full))?;
        }
        self.data.extend_from_slice(&raw.bytes);
        self.data.push(b'\n');
        self.index.add(raw);
        Ok(())
    }

    /// Writes the rest and the index, closes the file and makes it durable.
    pub(crate) fn finish(mut self) -> Result<PathBuf, StoreError> {
        if !self.data.is_empty() {
            self.worker
                .send(Job::Data(std::mem::take(&mut self.data)))?;
        }
        self.worker.send(Job::Index(self.index.finish()))?;
        self.worker.finish()
    }
}

/// Compresses `chunks` into a new file at `output` as an ingest compresses its records' bytes (the
/// same zstd stream and settings; no index). The bench times this, beside reading the gzipped
/// input, as the floor of an ingest: the least CPU one that keeps the original records spends.
pub fn compress_as_records(
    chunks: impl IntoIterator<Item = Vec<u8>>,
    output: &Path,
) -> Result<(), StoreError> {
    let file = File::create(output).at(output)?;
    let mut stream = Stream::new(file).at(output)?;
    for chunk in chunks {
        stream.write_all(&chunk).at(output)?;
    }
    stream.finish().at(output)?;
    Ok(())
}

/// Appends the index frame: magic, size, then [`INDEX_TAG`], the compressed index and the
/// frame's size again, so a reader finds the frame from the end of the file.
fn write_index(file: &mut File, index: &[u8]) -> std::io::Result<()> {
    let compressed = zstd::bulk::compress(index, INDEX_LEVEL)?;
    let size = u32::try_from(INDEX_TAG.len() + compressed.len() + 4)
        .map_err(|_| std::io::Error::other("records index over 4 GB"))?;
    let mut frame = Vec::with_capacity(size as usize + 8);
    frame.extend_from_slice(&INDEX_MAGIC.to_le_bytes());
    frame.extend_from_slice(&size.to_le_bytes());
    frame.extend_from_slice(INDEX_TAG);
    frame.extend_from_slice(&compressed);
    frame.extend_from_slice(&size.to_le_bytes());
    file.write_all(&frame)
}

/// The index: runs of records from one input file in one format ("groups"), each
/// `file, format, count, lines flag, record number deltas[count], (lengths[count] unless lines)`,
/// strings as a varint length and UTF-8, numbers as LEB128 varints. In a group with the lines
/// flag no record holds a newline, so each ends at the next one and no length is stored.
#[derive(Default)]
struct IndexWriter {
    bytes: Vec<u8>,
    group: Option<Group>,
}

struct Group {
    file: String,
    format: String,
    count: u64,
    last_record: u64,
    numbers: Vec<u8>,
    lengths: Vec<u8>,
    lines: bool,
}

impl IndexWriter {
    fn add(&mut self, raw: &RawRecord) {
        let same = self
            .group
            .as_ref()
            .is_some_and(|g| g.file == raw.file && g.format == raw.format);
        if !same {
            self.close_group();
        }
        let group = self.group.get_or_insert_with(|| Group {
            file: raw.file.clone(),
            format: raw.format.clone(),
            count: 0,
            last_record: 0,
            numbers: Vec::new(),
            lengths: Vec::new(),
            lines: true,
        });
        // Wrapping: record numbers ascend within a file, but nothing here relies on it.
        put_varint(
            &mut group.numbers,
            raw.record.wrapping_sub(group.last_record),
        );
        group.last_record = raw.record;
        put_varint(&mut group.lengths, raw.bytes.len() as u64);
        group.lines &= memchr::memchr(b'\n', &raw.bytes).is_none();
        group.count += 1;
    }

    fn close_group(&mut self) {
        let Some(group) = self.group.take() else {
            return;
        };
        let out = &mut self.bytes;
        put_varint(out, group.file.len() as u64);
        out.extend_from_slice(group.file.as_bytes());
        put_varint(out, group.format.len() as u64);
        out.extend_from_slice(group.format.as_bytes());
        put_varint(out, group.count);
        out.push(u8::from(group.lines));
        out.extend_from_slice(&group.numbers);
        if !group.lines {
            out.extend_from_slice(&group.lengths);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        self.close_group();
        self.bytes
    }
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads the index written by [`IndexWriter`], naming `path` in its errors.
struct IndexReader<'a> {
    bytes: &'a [u8],
    path: &'a Path,
}

/// A group of the index, read: its names, and cursors over its record numbers and lengths.
struct ReadGroup<'a> {
    file: String,
    format: String,
    count: usize,
    numbers: IndexReader<'a>,
    /// Absent when every record ends at the next newline.
    lengths: Option<IndexReader<'a>>,
}

impl<'a> IndexReader<'a> {
    fn varint(&mut self) -> Result<u64, StoreError> {
        let mut value = 0_u64;
        for shift in (0..64).step_by(7) {
            let Some((&byte, rest)) = self.bytes.split_first() else {
                return Err(corrupt(self.path, "records index cut short"));
            };
            self.bytes = rest;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(corrupt(self.path, "records index: a number over 64 bits"))
    }

    fn string(&mut self) -> Result<String, StoreError> {
        let len = usize::try_from(self.varint()?).unwrap_or(usize::MAX);
        if len > self.bytes.len() {
            return Err(corrupt(self.path, "records index cut short"));
        }
        let (text, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        String::from_utf8(text.to_vec())
            .map_err(|_| corrupt(self.path, "records index: a name that is not UTF-8"))
    }

    /// Skips `count` numbers and returns a reader over them.
    fn numbers(&mut self, count: usize) -> Result<IndexReader<'a>, StoreError> {
        let start = self.bytes;
        for _ in 0..count {
            self.varint()?;
        }
        Ok(IndexReader {
            bytes: &start[..start.len() - self.bytes.len()],
            path: self.path,
        })
    }

    fn group(&mut self) -> Result<Option<ReadGroup<'a>>, StoreError> {
        if self.bytes.is_empty() {
            return Ok(None);
        }
        let file = self.string()?;
        let format = self.string()?;
        let count = self.varint()?;
        let Some((&lines, rest)) = self.bytes.split_first() else {
            return Err(corrupt(self.path, "records index cut short"));
        };
        self.bytes = rest;
        let count = usize::try_from(count)
            .map_err(|_| corrupt(self.path, "records index: more records than it holds"))?;
        let numbers = self.numbers(count)?;
        let lengths = match lines {
            1 => None,
            0 => Some(self.numbers(count)?),
            _ => return Err(corrupt(self.path, "records index: a bad group flag")),
        };
        Ok(Some(ReadGroup {
            file,
            format,
            count,
            numbers,
            lengths,
        }))
    }
}

/// The index of a records file, and the length of the data frame before it.
fn read_index(file: &mut File, path: &Path) -> Result<(u64, Vec<u8>), StoreError> {
    let not_records = || corrupt(path, "not a records file (no index at its end)");
    let len = file.metadata().at(path)?.len();
    let mut size = [0_u8; 4];
    file.seek(SeekFrom::End(-4)).at(path)?;
    file.read_exact(&mut size).at(path)?;
    let size = u32::from_le_bytes(size);
    let start = len
        .checked_sub(u64::from(size) + 8)
        .ok_or_else(not_records)?;
    file.seek(SeekFrom::Start(start)).at(path)?;
    let mut frame = vec![0_u8; size as usize + 8];
    file.read_exact(&mut frame).at(path)?;
    let (header, content) = frame.split_at(8);
    let tag_end = INDEX_TAG.len();
    if header[..4] != INDEX_MAGIC.to_le_bytes()
        || header[4..] != size.to_le_bytes()
        || content.len() < tag_end + 4
        || &content[..tag_end] != INDEX_TAG
    {
        return Err(not_records());
    }
    let index = zstd::stream::decode_all(&content[tag_end..content.len() - 4])
        .map_err(|e| corrupt(path, format!("records index: {e}")))?;
    Ok((start, index))
}

/// Whether a records file is of the layout before the long-window stream (by its extension).
fn written_as_parquet(path: &Path) -> bool {
    path.to_str()
        .is_some_and(|p| p.ends_with(records_parquet::EXTENSION))
}

/// Calls `each` with every record of a records file of either layout, in the order read.
pub(crate) fn read(
    path: &Path,
    each: &mut dyn FnMut(RawRecord) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    if written_as_parquet(path) {
        return records_parquet::read(path, each);
    }
    let (file, data_len, index) = open(path)?;
    decode(file, data_len, &index, path, each)
}

/// Calls `each` with every record of a records file of this layout, as [`read`] does, when it
/// holds fewer than `limit`; says whether it did. The index is read once for both.
pub(crate) fn read_if_fewer(
    path: &Path,
    limit: u64,
    each: &mut dyn FnMut(RawRecord) -> Result<(), StoreError>,
) -> Result<bool, StoreError> {
    let (file, data_len, index) = open(path)?;
    let mut groups = IndexReader {
        bytes: &index,
        path,
    };
    let mut records = 0_u64;
    while let Some(group) = groups.group()? {
        records = records.saturating_add(group.count as u64);
    }
    if records >= limit {
        return Ok(false);
    }
    decode(file, data_len, &index, path, each)?;
    Ok(true)
}

/// A records file of this layout, its data frame's length and its index.
fn open(path: &Path) -> Result<(File, u64, Vec<u8>), StoreError> {
    let mut file = File::open(path).at(path)?;
    let (data_len, index) = read_index(&mut file, path)?;
    file.seek(SeekFrom::Start(0)).at(path)?;
    Ok((file, data_len, index))
}

/// Calls `each` with the records of the data frame (`data_len` bytes from the start of `file`)
/// that `index` names, in order.
fn decode(
    file: File,
    data_len: u64,
    index: &[u8],
    path: &Path,
    each: &mut dyn FnMut(RawRecord) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut decoder = zstd::stream::read::Decoder::new(file.take(data_len)).at(path)?;
    decoder.window_log_max(WINDOW_LOG).at(path)?;
    let mut data = BufReader::with_capacity(1 << 20, decoder);
    let mut index = IndexReader { bytes: index, path };
    while let Some(mut group) = index.group()? {
        let mut record = 0_u64;
        for _ in 0..group.count {
            record = record.wrapping_add(group.numbers.varint()?);
            let cut = || corrupt(path, format!("{} record {record}: cut short", group.file));
            let mut bytes = Vec::new();
            match group.lengths.as_mut() {
                None => {
                    data.read_until(b'\n', &mut bytes).at(path)?;
                }
                Some(lengths) => {
                    (&mut data)
                        .take(lengths.varint()?.saturating_add(1))
                        .read_to_end(&mut bytes)
                        .at(path)?;
                }
            }
            if bytes.pop() != Some(b'\n') {
                return Err(cut());
            }
            each(RawRecord {
                file: group.file.clone(),
                record,
                format: group.format.clone(),
                bytes,
            })?;
        }
    }
    if !data.fill_buf().at(path)?.is_empty() {
        return Err(corrupt(path, "records beyond those its index names"));
    }
    Ok(())
}

/// Calls `each` with the records of a records file of either layout as record batches in
/// [`records_schema`], in the order read.
#[cfg(feature = "sql")]
pub(crate) fn for_each_batch(
    path: &Path,
    each: &mut dyn FnMut(RecordBatch) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    if written_as_parquet(path) {
        return records_parquet::for_each_batch(path, each);
    }
    let mut batch = BatchBuilder::default();
    read(path, &mut |raw| {
        batch.add(&raw);
        if batch.rows == BATCH_ROWS {
            each(batch.finish(path)?)?;
        }
        Ok(())
    })?;
    if batch.rows > 0 {
        each(batch.finish(path)?)?;
    }
    Ok(())
}

#[cfg(feature = "sql")]
#[derive(Default)]
struct BatchBuilder {
    files: StringBuilder,
    records: UInt64Builder,
    formats: StringBuilder,
    raws: BinaryBuilder,
    rows: usize,
}

#[cfg(feature = "sql")]
impl BatchBuilder {
    fn add(&mut self, raw: &RawRecord) {
        self.files.append_value(&raw.file);
        self.records.append_value(raw.record);
        self.formats.append_value(&raw.format);
        self.raws.append_value(&raw.bytes);
        self.rows += 1;
    }

    fn finish(&mut self, path: &Path) -> Result<RecordBatch, StoreError> {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.files.finish()),
            Arc::new(self.records.finish()),
            Arc::new(self.formats.finish()),
            Arc::new(self.raws.finish()),
        ];
        self.rows = 0;
        RecordBatch::try_new(records_schema(), columns).map_err(|e| corrupt(path, e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(file: &str, record: u64, bytes: &[u8]) -> RawRecord {
        RawRecord {
            file: file.into(),
            record,
            format: "twarc2".into(),
            bytes: bytes.to_vec(),
        }
    }

    fn write_and_read(records: &[RawRecord]) -> (Vec<RawRecord>, PathBuf, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("run{EXTENSION}"));
        let mut writer = RecordsWriter::create(path.clone()).unwrap();
        for record in records {
            writer.add(record).unwrap();
        }
        assert_eq!(writer.finish().unwrap(), path);
        let mut got = Vec::new();
        read(&path, &mut |raw| {
            got.push(raw);
            Ok(())
        })
        .unwrap();
        (got, path, dir)
    }

    #[test]
    fn records_with_and_without_newlines_round_trip_in_order() {
        let records = vec![
            raw("a.jsonl", 1, b"{\"id\":1}"),
            raw("a.jsonl", 2, b""),
            raw("a.jsonl", 7, b"{\"id\":7}"),
            raw("b.json", 1, b"[\n  {\"id\": 2}\n]\n"),
            raw("b.json", 0, b"\n"),
            raw("a.jsonl", u64::MAX, b"\xff\x00 not utf-8"),
        ];
        let (got, _, _dir) = write_and_read(&records);
        assert_eq!(got, records);
    }

    #[test]
    fn a_json_lines_run_decompresses_to_its_lines() {
        let records: Vec<_> = (1..=1000)
            .map(|i| raw("x.jsonl", i, format!("{{\"id\":{i}}}").as_bytes()))
            .collect();
        let (got, path, _dir) = write_and_read(&records);
        assert_eq!(got, records);
        // The index frame is skipped by any zstd decoder: what is left is the records as lines.
        let plain = zstd::stream::decode_all(File::open(&path).unwrap()).unwrap();
        let lines: Vec<u8> = records
            .iter()
            .flat_map(|r| r.bytes.iter().copied().chain([b'\n']))
            .collect();
        assert_eq!(plain, lines);
    }

    #[test]
    fn damage_is_reported_with_the_file() {
        let records: Vec<_> = (1..=100)
            .map(|i| raw("x.jsonl", i, format!("{{\"id\":{i}}}").as_bytes()))
            .collect();
        let (_, path, _dir) = write_and_read(&records);
        let bytes = std::fs::read(&path).unwrap();
        for cut in [bytes.len() - 1, 10, 0] {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            let error = read(&path, &mut |_| Ok(())).unwrap_err().to_string();
            assert!(error.contains(&path.display().to_string()), "{error}");
        }
        // A flipped bit in the records fails the frame's checksum.
        let mut flipped = bytes.clone();
        flipped[20] ^= 0x10;
        std::fs::write(&path, &flipped).unwrap();
        let error = read(&path, &mut |_| Ok(())).unwrap_err().to_string();
        assert!(error.contains(&path.display().to_string()), "{error}");
    }
}
