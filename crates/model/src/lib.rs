//! The canonical types every stage of Dialoog speaks: one [`Post`] per post, reply, comment, reshare
//! or quote, its one Arrow schema ([`schema`]), the account [`Registry`] that assigns roles, the
//! [`Case`] under study, and the provenance counts an ingest reports.

mod arrow;
mod case;
pub mod format;
mod link;
mod post;
mod provenance;
mod registry;
mod view;

pub use crate::arrow::{SCHEMA_VERSION, batch_to_posts, posts_to_batch, schema};
pub use case::{Case, CaseEvent};
pub use link::url_host;
pub use post::{Mode, Platform, Post, PostKind, Role};
pub use provenance::{FileStats, IngestRun, Quarantined, RawRecord, Skipped};
pub use registry::{Account, Registry};
pub use view::{Items, PostRef, PostTable, Replacement};

use std::path::PathBuf;

/// Errors from reading registries, cases and Arrow batches.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}, line {line}: {message}")]
    Registry {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{path}: {message}")]
    Case { path: PathBuf, message: String },
    #[error("arrow batch, row {row}, column {column}: {message}")]
    Batch {
        row: usize,
        column: &'static str,
        message: String,
    },
    #[error("arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
}
