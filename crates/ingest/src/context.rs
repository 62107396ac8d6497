//! The per-file reading context: provenance, counts, quarantine and progress.

use crate::input::{self, Counter, Limits};
use crate::lines::Chunk;
use crate::{Format, IngestError, InputFile, Post, Quarantined, RawRecord, Sink, SinkError};
use std::borrow::Cow;
use std::io::BufRead;
use std::path::Path;

/// Longest excerpt kept of a quarantined record, in bytes (before lossy decoding).
pub(crate) const EXCERPT_BYTES: usize = 2048;
/// Report progress every this many bytes.
const PROGRESS_STEP: u64 = 1 << 20;

/// Why a record could not become a post.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reject {
    pub field: Option<String>,
    pub reason: String,
}

impl Reject {
    pub fn new(reason: impl Into<String>) -> Reject {
        Reject {
            field: None,
            reason: reason.into(),
        }
    }

    pub fn field(field: &str, reason: impl Into<String>) -> Reject {
        Reject {
            field: Some(field.to_owned()),
            reason: reason.into(),
        }
    }

    pub fn missing(field: &str) -> Reject {
        Reject::field(
            field,
            format!("required field '{field}' is missing or empty"),
        )
    }
}

/// Borrows what it can: worker threads make one per record.
pub(crate) struct Ctx<'s> {
    pub path: &'s Path,
    /// `source_file` of posts and `file` of quarantined records.
    pub source: Cow<'s, str>,
    format: Format,
    sink: &'s mut dyn Sink,
    pub read: u64,
    pub quarantined: u64,
    counter: Option<Counter>,
    reported: u64,
    pub limits: Limits,
    /// The current record's original bytes, sent to the sink with its first post or quarantine;
    /// `file` and `format` are filled when it is first sent.
    raw: RawRecord,
    raw_pending: bool,
}

impl<'s> Ctx<'s> {
    pub fn new(file: &'s InputFile, limits: Limits, sink: &'s mut dyn Sink) -> Ctx<'s> {
        let source = Cow::Owned(file.path.display().to_string());
        Ctx::with_source(file, limits, source, sink)
    }

    /// A context whose `source` is given rather than made from the path (one per record on
    /// worker threads: no formatting or allocation each time).
    pub fn with_source(
        file: &'s InputFile,
        limits: Limits,
        source: Cow<'s, str>,
        sink: &'s mut dyn Sink,
    ) -> Ctx<'s> {
        Ctx {
            path: &file.path,
            source,
            format: file.format,
            sink,
            read: 0,
            quarantined: 0,
            counter: None,
            reported: 0,
            limits,
            raw: RawRecord::default(),
            raw_pending: false,
        }
    }

    /// Notes the original bytes of record `record`: they go to the sink with the first post or
    /// quarantined record of that number.
    pub fn raw(&mut self, record: u64, bytes: &[u8]) {
        self.raw.record = record;
        self.raw.bytes.clear();
        self.raw.bytes.extend_from_slice(bytes);
        self.raw_pending = true;
    }

    /// Sends the original bytes of a record right away (a CSV header, which gives no post).
    pub fn raw_now(&mut self, record: u64, bytes: &[u8]) -> Result<(), IngestError> {
        self.raw(record, bytes);
        self.send_raw(record)
    }

    fn send_raw(&mut self, record: u64) -> Result<(), IngestError> {
        if !self.raw_pending || self.raw.record != record {
            return Ok(());
        }
        self.raw_pending = false;
        if self.raw.file != self.source {
            self.raw.file.clear();
            self.raw.file.push_str(&self.source);
        }
        if self.raw.format.is_empty() {
            self.raw.format.push_str(self.format.name());
        }
        self.sink
            .raw(&self.raw)
            .map_err(|source| IngestError::Sink {
                path: self.path.to_path_buf(),
                record,
                source,
            })
    }

    /// Opens a file within the limits (decompressing it when it is gzip or zstd) and reports
    /// progress from it.
    pub fn open(&mut self, path: &Path) -> Result<Box<dyn BufRead>, IngestError> {
        let (reader, counter) = input::open_with(path, self.limits)?;
        self.watch(counter);
        Ok(reader)
    }

    /// Reading broke off (damaged compression, a limit, a failing disk): the rest of the file
    /// is quarantined as record `record`, and reading goes on with the next file.
    pub fn unreadable(&mut self, record: u64, error: &std::io::Error) -> Result<(), IngestError> {
        let reason = if input::is_limit(error) {
            format!("{error}: the rest of the file is skipped")
        } else {
            format!("the rest of the file cannot be read: {error}")
        };
        self.quarantine(record, Reject::new(reason), b"")
    }

    /// Reports progress from this counter of bytes read from disk.
    pub fn watch(&mut self, counter: Counter) {
        self.counter = Some(counter);
    }

    fn tick(&mut self) {
        if let Some(counter) = &self.counter {
            let now = counter.get();
            if now >= self.reported + PROGRESS_STEP {
                self.reported = now;
                self.sink.progress(now);
            }
        }
    }

    /// Sends what a [`Recorder`] took down for a chunk of lines, in its order, as if it were
    /// read here: each line's original bytes before its first post or quarantined record (a
    /// line over the length limit has none), then counts, progress and sink errors as
    /// [`Ctx::post`] and [`Ctx::quarantine`] give them. The workers record no bytes, so each
    /// line is copied once, from the chunk.
    pub fn replay(&mut self, chunk: &Chunk, recorded: Vec<Recorded>) -> Result<(), IngestError> {
        let mut lines = chunk.lines().peekable();
        for event in recorded {
            let record = match &event {
                Recorded::Raw(raw) => raw.record,
                Recorded::Post(post) => post.source_record,
                Recorded::Quarantine(quarantined) => quarantined.record,
            };
            if !matches!(event, Recorded::Raw(_)) {
                while let Some(line) = lines.next_if(|line| line.number <= record) {
                    if line.number == record && line.too_long.is_none() {
                        self.raw(record, line.bytes);
                    }
                }
                self.send_raw(record)?;
            }
            let sent = match event {
                Recorded::Raw(raw) => self.sink.raw(&raw),
                Recorded::Post(post) => {
                    self.read += 1;
                    self.sink.post(post)
                }
                Recorded::Quarantine(quarantined) => {
                    self.read += 1;
                    self.quarantined += 1;
                    self.sink.quarantine(quarantined)
                }
            };
            sent.map_err(|source| IngestError::Sink {
                path: self.path.to_path_buf(),
                record,
                source,
            })?;
        }
        self.tick();
        Ok(())
    }

    pub fn finish(&mut self) {
        if let Some(counter) = &self.counter {
            let now = counter.get();
            self.sink.progress(now);
        }
    }

    pub fn post(&mut self, mut post: Post, record: u64) -> Result<(), IngestError> {
        self.send_raw(record)?;
        post.source_file.clear();
        post.source_file.push_str(&self.source);
        post.source_record = record;
        self.read += 1;
        self.tick();
        self.sink.post(post).map_err(|source| IngestError::Sink {
            path: self.path.to_path_buf(),
            record,
            source,
        })
    }

    pub fn quarantine(
        &mut self,
        record: u64,
        reject: Reject,
        raw: &[u8],
    ) -> Result<(), IngestError> {
        self.send_raw(record)?;
        let end = raw.len().min(EXCERPT_BYTES);
        let excerpt = String::from_utf8_lossy(raw.get(..end).unwrap_or(raw)).into_owned();
        self.read += 1;
        self.quarantined += 1;
        self.tick();
        self.sink
            .quarantine(Quarantined {
                file: self.source.to_string(),
                record,
                field: reject.field,
                reason: reject.reason,
                excerpt,
            })
            .map_err(|source| IngestError::Sink {
                path: self.path.to_path_buf(),
                record,
                source,
            })
    }

    /// [`Ctx::emit`] for a record that maps to any number of posts (a retweet row also gives
    /// its original): each post, or the record to quarantine.
    pub fn emit_each<P: IntoIterator<Item = Post>>(
        &mut self,
        result: Result<P, Reject>,
        record: u64,
        raw: &dyn Fn() -> Vec<u8>,
    ) -> Result<(), IngestError> {
        match result {
            Ok(posts) => {
                for post in posts {
                    self.post(post, record)?;
                }
                Ok(())
            }
            Err(reject) => self.quarantine(record, reject, &raw()),
        }
    }

    /// Sends a mapping result on: the post, or the record to quarantine.
    pub fn emit(
        &mut self,
        result: Result<Post, Reject>,
        record: u64,
        raw: &dyn Fn() -> Vec<u8>,
    ) -> Result<(), IngestError> {
        self.emit_each(result.map(std::iter::once), record, raw)
    }
}

/// What a reader sent to a [`Sink`], in order.
#[derive(Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "most are posts, which go on by value: boxing would add an allocation per post"
)]
pub(crate) enum Recorded {
    Raw(RawRecord),
    Post(Post),
    Quarantine(Quarantined),
}

/// A sink that takes everything down, for records read on another thread and sent on with
/// [`Ctx::replay`] on the thread that owns the real sink.
#[derive(Debug, Default)]
pub(crate) struct Recorder(pub Vec<Recorded>);

impl Recorder {
    /// Whether a record was quarantined after the first `from` taken down.
    pub fn quarantined_since(&self, from: usize) -> bool {
        self.0
            .get(from..)
            .unwrap_or_default()
            .iter()
            .any(|r| matches!(r, Recorded::Quarantine(_)))
    }
}

impl Sink for Recorder {
    fn post(&mut self, post: Post) -> Result<(), SinkError> {
        self.0.push(Recorded::Post(post));
        Ok(())
    }

    fn quarantine(&mut self, record: Quarantined) -> Result<(), SinkError> {
        self.0.push(Recorded::Quarantine(record));
        Ok(())
    }

    fn raw(&mut self, record: &RawRecord) -> Result<(), SinkError> {
        self.0.push(Recorded::Raw(record.clone()));
        Ok(())
    }
}
