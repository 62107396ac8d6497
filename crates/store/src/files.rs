//! File layout and the durable file operations the store is built on.

use crate::StoreError;
use crate::error::IoContext;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

pub(crate) const MANIFEST: &str = "manifest.json";
pub(crate) const SEGMENTS: &str = "segments";
pub(crate) const QUARANTINE: &str = "quarantine";
pub(crate) const RECORDS: &str = "records";
pub(crate) const LOCK: &str = "LOCK";
/// Suffix of files being written; renamed away at commit.
pub(crate) const TEMP: &str = ".tmp";

/// A file name without folders, `..` or anything odd.
pub(crate) fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Makes the folder's own entries (creations, renames) durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir).and_then(|d| d.sync_all()).at(dir)
}

/// Writes `dir/name` so that it is either wholly old or wholly new, even across a crash.
/// `renamed` runs once the new file has taken the old one's place (from then on it is live, even
/// when the final fsync of the folder fails).
pub(crate) fn write_atomic(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    renamed: impl FnOnce(),
) -> Result<(), StoreError> {
    let target = dir.join(name);
    let temp = dir.join(format!("{name}{TEMP}"));
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&temp)
        .at(&temp)?;
    file.write_all(bytes).at(&temp)?;
    file.sync_all().at(&temp)?;
    drop(file);
    std::fs::rename(&temp, &target).at(&target)?;
    renamed();
    sync_dir(dir)
}

/// Creates a folder (and its parents) when absent.
pub(crate) fn ensure_dir(dir: &Path) -> Result<(), StoreError> {
    std::fs::create_dir_all(dir).at(dir)
}

/// Removes a file, ignoring that it is already gone.
pub(crate) fn remove_quietly(path: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e).at(path),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_stay_in_their_folder() {
        assert!(is_plain_name("20261125T094122123Z-77-1.parquet"));
        for bad in [
            "",
            "..",
            "../x.parquet",
            "a/b.parquet",
            ".hidden",
            "a\\b",
            "x y",
        ] {
            assert!(!is_plain_name(bad), "{bad}");
        }
    }
}
