//! Dialoog's embedded columnar store: one folder with append-only Parquet segments in the model's
//! one Arrow schema, a JSON manifest naming the live segments and the ingest runs, and the
//! quarantined records of each run.
//!
//! ```text
//! STORE/manifest.json              the live state: schema version, segments, runs, quarantine files
//! STORE/segments/<run>-<n>.parquet zstd Parquet, readable by pandas, DuckDB and polars
//! STORE/quarantine/<run>.jsonl     records an ingest could not read, one JSON object a line
//! STORE/records/<run>.zst          the original bytes of every record read (one long-window zstd
//!                                  frame and an index of file, record, format), joined to posts
//!                                  on source_file/_record; older stores have <run>.parquet
//! STORE/LOCK                       held (flock) by the one ingest writing; records its pid
//! ```
//!
//! Posts are unique on (platform, id) across the live segments. A [`Writer`] buffers new posts into
//! temporary segment files and changes nothing visible until [`Writer::commit`], which swaps in a
//! new manifest atomically (write, fsync, rename, fsync the folder). An ingest that is killed
//! therefore leaves the earlier state readable; its files are garbage, removed on the next
//! open or commit. Count updates are copy-on-write: the affected segments are rewritten into new
//! files and swapped in the same manifest commit. So is the refill of a small last segment and
//! records file, which the next ingest writes again ahead of its own posts and records.

mod background;
mod error;
mod files;
mod index;
mod lock;
mod manifest;
mod records;
mod records_parquet;
mod segment;
#[cfg(feature = "sql")]
mod sql;
mod store;
mod window;
mod writer;

pub use arrow_array::RecordBatch;
pub use error::StoreError;
pub use manifest::{Manifest, Segment};
pub use records::{compress_as_records, records_schema};
#[cfg(feature = "sql")]
pub use sql::{format_csv, format_table, sql};
pub use store::Store;
pub use writer::{Added, DEFAULT_SEGMENT_ROWS, Writer};
