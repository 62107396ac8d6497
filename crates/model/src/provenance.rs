//! What an ingest read, stored and rejected, per input file: kept in the store manifest and shown
//! in the factsheet's method section.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Counts for one input file in one ingest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileStats {
    pub path: String,
    /// Detected format name, e.g. `twarc2`, `twitter-v1`, `mastodon-outbox`, `csv`.
    pub format: String,
    /// Records read from the file (posts produced plus records quarantined).
    pub read: u64,
    /// Posts new to the store.
    pub stored: u64,
    /// Posts already in the store whose counts this copy updated.
    pub updated: u64,
    /// Posts already in the store (or earlier in the same ingest) with nothing new.
    pub duplicates: u64,
    /// Records written to the quarantine file instead.
    pub quarantined: u64,
}

/// One committed ingest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestRun {
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub dialoog_version: String,
    pub files: Vec<FileStats>,
    /// Files inside the given folders that were not read: of no known format, a CSV file without
    /// a column mapping, unreadable. Absent in manifests written before it existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Skipped>,
}

/// A file found in a given folder and left out of the ingest, with why; the rest was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

impl FileStats {
    /// The sum of several files' counts, as one row named "(all files)".
    pub fn total<'a>(files: impl IntoIterator<Item = &'a FileStats>) -> FileStats {
        let mut total = FileStats {
            path: "(all files)".into(),
            ..FileStats::default()
        };
        for file in files {
            total.read += file.read;
            total.stored += file.stored;
            total.updated += file.updated;
            total.duplicates += file.duplicates;
            total.quarantined += file.quarantined;
        }
        total
    }
}

impl IngestRun {
    pub fn totals(&self) -> FileStats {
        FileStats::total(&self.files)
    }
}

/// A record that could not be mapped to a post: written to the store's quarantine file instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quarantined {
    /// The input file (inside an archive: `archive.tar.gz!member`).
    pub file: String,
    /// Line number (JSON lines, CSV) or record number (JSON arrays, archives), 1-based.
    pub record: u64,
    /// The field at fault, when one is.
    pub field: Option<String>,
    pub reason: String,
    /// The start of the raw record (at most a few KiB, lossily decoded), to find and fix it.
    pub excerpt: String,
}

/// The original bytes of one input record, kept in the store beside the posts it gave (they join
/// on `source_file` = `file` and `source_record` = `record`), so that nothing the export said is
/// lost and re-mapping never needs the export again. JSON records are their exact bytes (a line,
/// an array item); a CSV row is re-encoded as one CSV record, with the header row as record 0; a
/// Bluesky CAR record is the Jetstream event of the record (DID, collection, rkey, record as JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRecord {
    /// The input file (inside an archive: `archive.zip!member`), as in `Post::source_file`.
    pub file: String,
    /// As in `Post::source_record` and `Quarantined::record`.
    pub record: u64,
    /// The detected format name, e.g. `twarc2`.
    pub format: String,
    pub bytes: Vec<u8>,
}
