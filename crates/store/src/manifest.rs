use crate::StoreError;
use crate::error::IoContext;
use crate::files;
use crate::records;
use chrono::{DateTime, Utc};
use dialoog_model::{IngestRun, SCHEMA_VERSION};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The live state of a store, kept in STORE/manifest.json: only what it names is part of the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`dialoog_model::SCHEMA_VERSION`] of the segments.
    pub schema_version: u32,
    /// The live segments, in read order.
    pub segments: Vec<Segment>,
    /// Every committed ingest, oldest first.
    pub runs: Vec<IngestRun>,
    /// Quarantine files (names in STORE/quarantine/) of the committed runs.
    #[serde(default)]
    pub quarantine: Vec<String>,
    /// Records files (names in STORE/records/, `.zst` or, written before, `.parquet`) of the
    /// committed runs: the original records.
    #[serde(default)]
    pub records: Vec<String>,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            schema_version: SCHEMA_VERSION,
            segments: Vec::new(),
            runs: Vec::new(),
            quarantine: Vec::new(),
            records: Vec::new(),
        }
    }
}

/// One Parquet file in STORE/segments/.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// File name inside STORE/segments/.
    pub file: String,
    /// The ingest run that wrote this file.
    pub run: String,
    pub rows: u64,
    /// Earliest and latest `created_at` in the segment (absent for an empty one).
    pub min_created_at: Option<DateTime<Utc>>,
    pub max_created_at: Option<DateTime<Utc>>,
}

impl Manifest {
    pub(crate) fn load(path: &Path) -> Result<Manifest, StoreError> {
        let bytes = std::fs::read(path).at(path)?;
        let manifest: Manifest =
            serde_json::from_slice(&bytes).map_err(|source| StoreError::Manifest {
                path: path.to_path_buf(),
                source,
            })?;
        manifest.validate(path)?;
        Ok(manifest)
    }

    /// Checks what the store relies on: a schema it can read, plain file names (the store deletes
    /// files the manifest does not name, so a name must never leave its folder), no name twice.
    fn validate(&self, path: &Path) -> Result<(), StoreError> {
        if self.schema_version != SCHEMA_VERSION {
            return Err(StoreError::SchemaVersion {
                path: path.to_path_buf(),
                found: self.schema_version,
                expected: SCHEMA_VERSION,
            });
        }
        let corrupt = |message: String| StoreError::Corrupt {
            path: path.to_path_buf(),
            message,
        };
        let mut seen = std::collections::HashSet::new();
        let names = self
            .segments
            .iter()
            .map(|s| (s.file.as_str(), &[".parquet"][..]))
            .chain(
                self.quarantine
                    .iter()
                    .map(|q| (q.as_str(), &[".jsonl"][..])),
            )
            .chain(
                self.records
                    .iter()
                    .map(|r| (r.as_str(), &records::EXTENSIONS[..])),
            );
        for (name, extensions) in names {
            if !files::is_plain_name(name) || !extensions.iter().any(|e| name.ends_with(e)) {
                return Err(corrupt(format!(
                    "invalid file name {name:?}: expected a plain *{} name",
                    extensions.join(" or *")
                )));
            }
            if !seen.insert(name) {
                return Err(corrupt(format!("file {name:?} is listed twice")));
            }
        }
        Ok(())
    }

    /// Replaces STORE/manifest.json atomically: temp file, fsync, rename, fsync the folder.
    /// `renamed` runs as soon as the new manifest is in place.
    pub(crate) fn save(&self, store: &Path, renamed: impl FnOnce()) -> Result<(), StoreError> {
        let path = store.join(files::MANIFEST);
        let bytes = serde_json::to_vec_pretty(self).map_err(|source| StoreError::Manifest {
            path: path.clone(),
            source,
        })?;
        files::write_atomic(store, files::MANIFEST, &bytes, renamed)
    }

    pub(crate) fn post_count(&self) -> u64 {
        // Saturating: the numbers come from disk and must not overflow.
        self.segments
            .iter()
            .fold(0_u64, |total, s| total.saturating_add(s.rows))
    }
}
