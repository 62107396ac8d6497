//! The store's writer lock: an advisory `flock` on STORE/LOCK (std's `File::try_lock`). The
//! system releases it when the holder exits, however it exits, so a killed ingest never leaves a
//! stale lock; the file records the holder's pid only to name it in the error message.

use crate::StoreError;
use crate::error::IoContext;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long a writer waits for a lock held by someone else before it gives up.
const PATIENCE: Duration = Duration::from_secs(1);

/// Held while it lives.
#[derive(Debug)]
pub(crate) struct Lock {
    _file: File,
}

impl Lock {
    /// Takes the lock, or says who holds it. Waits up to [`PATIENCE`] first: a reader that
    /// opens the store holds the lock for a moment to tidy up, and must not fail an ingest.
    pub(crate) fn try_acquire(path: &Path) -> Result<Lock, StoreError> {
        let start = Instant::now();
        loop {
            if let Some(lock) = Self::try_acquire_opt(path)? {
                return Ok(lock);
            }
            if start.elapsed() >= PATIENCE {
                return Err(StoreError::Locked {
                    path: path.to_path_buf(),
                    pid: holder(path),
                });
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Takes the lock when it is free; `None` when another holds it.
    pub(crate) fn try_acquire_opt(path: &Path) -> Result<Option<Lock>, StoreError> {
        // Not truncated on open: the holder's pid must stay readable while it holds the lock.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .at(path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Ok(None),
            Err(TryLockError::Error(e)) => return Err(e).at(path),
        }
        file.set_len(0).at(path)?;
        file.rewind().at(path)?;
        writeln!(file, "{}", std::process::id()).at(path)?;
        Ok(Some(Lock { _file: file }))
    }
}

/// The pid recorded in the lock file, when readable.
fn holder(path: &Path) -> Option<u32> {
    let mut text = String::new();
    File::open(path).ok()?.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}
