//! Detects the format of social-media exports by their content and maps their records to canonical
//! [`Post`]s, streaming: no file is read into memory whole.
//!
//! Formats live in [`formats`], one module each; a new format is one module plus one line in
//! `formats::HANDLERS` (and a [`Format`] variant). Shared helpers: [`input`] (opening files through
//! gzip or zstd, progress), [`lines`] (JSON-lines reading with line numbers), [`json_stream`] (one item at a
//! time out of a big JSON array), [`entities`] (mentions, hashtags, URLs from text) and [`html`]
//! (HTML to plain text).
//!
//! The original bytes of every record that gives a post or is quarantined go to
//! [`Sink::raw`], captured where records are read (JSON lines, array items, CSV rows), not by
//! each format's mapping.
//!
//! Bad records are quarantined ([`Quarantined`]: file, record number, field, reason, excerpt) and
//! reading goes on; only I/O failures, unknown formats, bad CSV mappings and sink failures are an
//! [`IngestError`].

mod context;
pub mod entities;
mod formats;
pub mod html;
pub mod input;
pub mod json_stream;
mod json_value;
pub mod lines;
mod parallel;
mod plan;

pub use dialoog_model::{FileStats, Post, Quarantined, RawRecord, Skipped};
pub use formats::csv::Mapping;
pub use formats::draft::draft_mapping;
pub use input::{LimitExceeded, Limits};
pub use plan::{Plan, plan};

use std::path::PathBuf;

/// Options for planning and reading.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// CSV column mapping given on the command line; without it a `<stem>.mapping.toml` or
    /// `mapping.toml` beside each CSV file is used.
    pub mapping: Option<PathBuf>,
    /// Bounds against compression bombs and endless records.
    pub limits: Limits,
}

/// One input to read, with its detected format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The file, or for a Mastodon export folder the folder (its `outbox.json` is read); an X
    /// archive folder gives one input per tweets file, an X archive `.zip` is one input.
    pub path: PathBuf,
    /// Bytes on disk (compressed size for .gz), for progress.
    pub size: u64,
    pub format: Format,
}

/// The export formats Dialoog reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// X/Twitter API v2 as twarc2 writes it: response pages or flattened tweets, one per line.
    Twarc2,
    /// X/Twitter API v1.1 statuses: JSON lines, one object, or an array.
    TwitterV1,
    /// A Mastodon account export: `outbox.json`, its folder or the archive `.tar.gz`.
    MastodonOutbox,
    /// Mastodon REST API statuses: an array, JSON lines or one object (also contexts, search
    /// results, notifications).
    MastodonApi,
    /// Bluesky posts: API post views and feed items, Jetstream and Tap record events (JSON),
    /// repository exports (CAR).
    Bluesky,
    /// Reddit submissions and comments: Pushshift / Arctic Shift dumps and API listings.
    Reddit,
    /// An X/Twitter account archive: `data/tweets.js`, the archive folder or its `.zip`.
    XArchive,
    /// X/Twitter API v2 tweets as twarc-csv writes them.
    TwarcCsv,
    /// The Coordination Network Toolkit's 8-column CSV.
    CoordinationCsv,
    /// YouTube Data API comments: commentThreads and comments list responses.
    Youtube,
    /// YouTube Data Tools' comment CSV.
    YoutubeDataTools,
    /// Facebook Graph API posts and comments.
    Facebook,
    /// A Telegram Desktop chat export (`result.json`).
    Telegram,
    /// A 4CAT dataset exported as CSV.
    FourCat,
    /// CrowdTangle's CSV export of Facebook or Instagram posts.
    CrowdTangle,
    /// Coosto's CSV export of messages (the monitoring tool of many Dutch webcare teams).
    Coosto,
    /// Tweets and Bluesky posts as minet and gazouilloire export them (twitwi's CSV).
    Twitwi,
    /// Instagram and TikTok items captured with Zeeschuimer, or 4CAT's NDJSON export of them.
    Zeeschuimer,
    /// An Excel workbook (.xlsx) with a TOML column mapping.
    Xlsx,
    /// An OpenDocument spreadsheet (.ods) with a TOML column mapping.
    Ods,
    /// CSV with a TOML column mapping.
    Csv,
}

impl Format {
    pub fn name(&self) -> &'static str {
        formats::handler(*self).name
    }

    pub fn description(&self) -> &'static str {
        formats::handler(*self).description
    }

    /// A `dialoog ingest` command that reads this format.
    pub fn example(&self) -> &'static str {
        formats::handler(*self).example
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Every format, in detection order.
pub fn formats() -> &'static [Format] {
    &formats::FORMATS
}

/// What a [`Sink`] may fail with.
pub type SinkError = Box<dyn std::error::Error + Send + Sync>;

/// Where a reader sends what it reads.
pub trait Sink {
    fn post(&mut self, post: Post) -> Result<(), SinkError>;
    fn quarantine(&mut self, record: Quarantined) -> Result<(), SinkError>;
    /// The original bytes of a record, sent once, before the first post or quarantined record
    /// it gives (records that give neither, like Bluesky likes, are not sent). Sinks that keep
    /// only posts ignore it.
    fn raw(&mut self, _record: &RawRecord) -> Result<(), SinkError> {
        Ok(())
    }
    /// Bytes of the file (as on disk) read so far; called now and then.
    fn progress(&mut self, _bytes_read: u64) {}
}

/// Errors that stop reading a file. Bad records are not errors: they are quarantined.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: unknown format ({reason}); known formats: {known}")]
    UnknownFormat {
        path: PathBuf,
        reason: String,
        known: String,
    },
    #[error("{path}: {message}")]
    Mapping { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Archive { path: PathBuf, message: String },
    #[error("{path}, record {record}: the sink failed: {source}")]
    Sink {
        path: PathBuf,
        record: u64,
        #[source]
        source: SinkError,
    },
}

impl IngestError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> IngestError {
        IngestError::Io {
            path: path.into(),
            source,
        }
    }
}

/// Reads one planned input and sends its posts and quarantined records to `sink`. Returns the
/// file's counts with `path`, `format`, `read` (posts plus quarantined records) and `quarantined`
/// set; `stored`, `updated` and `duplicates` are for the caller to fill.
pub fn read_file(
    file: &InputFile,
    options: &Options,
    sink: &mut dyn Sink,
) -> Result<FileStats, IngestError> {
    let handler = formats::handler(file.format);
    let mut ctx = context::Ctx::new(file, options.limits, sink);
    (handler.read)(file, options, &mut ctx)?;
    ctx.finish();
    Ok(FileStats {
        path: file.path.display().to_string(),
        format: file.format.name().to_owned(),
        read: ctx.read,
        quarantined: ctx.quarantined,
        ..FileStats::default()
    })
}
