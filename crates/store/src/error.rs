use std::path::PathBuf;

/// Everything that can go wrong with a store; every message names the file or folder at fault.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}", path = path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: no store here (no manifest.json); `dialoog ingest --store` makes one", path = path.display())]
    NotAStore { path: PathBuf },
    #[error("{path}: unreadable manifest: {source}", path = path.display())]
    Manifest {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error(
        "{path}: store schema version {found}, but this dialoog reads version {expected}",
        path = path.display()
    )]
    SchemaVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error(
        "{path}: the store is locked by another ingest{holder}; wait for it to finish \
         (a lock left by a killed process is released by the system)",
        path = path.display(),
        holder = pid.map(|p| format!(" (pid {p})")).unwrap_or_default()
    )]
    Locked { path: PathBuf, pid: Option<u32> },
    #[error("{path}: {source}", path = path.display())]
    Parquet {
        path: PathBuf,
        #[source]
        source: parquet::errors::ParquetError,
    },
    #[error("{path}: {source}", path = path.display())]
    Model {
        path: PathBuf,
        #[source]
        source: dialoog_model::ModelError,
    },
    #[error("{path}: {message}", path = path.display())]
    Corrupt { path: PathBuf, message: String },
    /// A query that failed (parse, plan or run), on the store at `path`.
    #[cfg(feature = "sql")]
    #[error("{path}: sql: {message}", path = path.display())]
    Sql { path: PathBuf, message: String },
    /// Query results that could not be formatted.
    #[cfg(feature = "sql")]
    #[error("formatting query results: {0}")]
    Format(String),
}

/// Attaches a path to io errors.
pub(crate) trait IoContext<T> {
    fn at(self, path: &std::path::Path) -> Result<T, StoreError>;
}

impl<T> IoContext<T> for Result<T, std::io::Error> {
    fn at(self, path: &std::path::Path) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })
    }
}
