use crate::error::IoContext;
use crate::files::{self, LOCK, MANIFEST, QUARANTINE, RECORDS, SEGMENTS, TEMP};
use crate::lock::Lock;
use crate::{Manifest, Segment, StoreError, Writer, records, segment};
use arrow_array::RecordBatch;
use dialoog_model::{Post, RawRecord};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A store folder and the manifest read when it was opened (or last committed by this handle).
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    manifest: Manifest,
}

impl Store {
    /// Opens the store at `path`, creating the folder and an empty manifest when absent.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        files::ensure_dir(path)?;
        files::ensure_dir(&path.join(SEGMENTS))?;
        files::ensure_dir(&path.join(QUARANTINE))?;
        files::ensure_dir(&path.join(RECORDS))?;
        let manifest = path.join(MANIFEST);
        // The first manifest is written under the lock, so two first ingests cannot race on it.
        while !manifest.try_exists().at(&manifest)? {
            match Lock::try_acquire_opt(&path.join(LOCK))? {
                Some(_lock) => {
                    if !manifest.try_exists().at(&manifest)? {
                        Manifest::default().save(path, || ())?;
                    }
                }
                None => std::thread::sleep(Duration::from_millis(50)),
            }
        }
        Store::open_existing(path)
    }

    /// Opens the store at `path`; an error when there is none.
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        let manifest = path.join(MANIFEST);
        if !manifest.try_exists().at(&manifest)? {
            return Err(StoreError::NotAStore {
                path: path.to_path_buf(),
            });
        }
        let store = Store {
            path: path.to_path_buf(),
            manifest: Manifest::load(&manifest)?,
        };
        // Tidy up after an ingest that was killed, when no ingest is running. Best effort: a
        // read-only store is still readable.
        if let Ok(Some(_lock)) = Lock::try_acquire_opt(&path.join(LOCK)) {
            let _ = store.collect_garbage();
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Posts in the live segments.
    pub fn post_count(&self) -> u64 {
        self.manifest.post_count()
    }

    /// Every post, in segment order and then row order.
    pub fn read_posts(&self) -> Result<Vec<Post>, StoreError> {
        self.read_live(|manifest| {
            // Room for every post (so the vector is not copied as it grows), capped: the count
            // is read from disk.
            let room = |rows: u64| usize::try_from(rows).unwrap_or(0).min(1 << 24);
            self.read_pairwise(manifest, room, |segment, posts| {
                segment::read_posts_into(&self.segment_path(&segment.file), segment.rows, posts)
            })
        })
    }

    /// Every post as Arrow record batches of [`dialoog_model::schema`], in segment order.
    pub fn read_batches(&self) -> Result<Vec<RecordBatch>, StoreError> {
        self.read_live(|manifest| {
            let mut batches = Vec::new();
            for segment in &manifest.segments {
                batches.extend(segment::read(
                    &self.segment_path(&segment.file),
                    segment.rows,
                )?);
            }
            Ok(batches)
        })
    }

    /// Every post as record batches of only the named columns of [`dialoog_model::schema`], in
    /// segment order (for [`dialoog_model::PostTable`]). Skipping columns nobody looks at saves
    /// their decoding and their memory. Segments are decoded in parallel (a batch's arrays are
    /// shared, so putting them in order copies no data).
    pub fn read_batches_only(&self, columns: &[&str]) -> Result<Vec<RecordBatch>, StoreError> {
        self.read_live(|manifest| {
            let per_segment = manifest
                .segments
                .par_iter()
                .map(|segment| {
                    segment::read_only(&self.segment_path(&segment.file), segment.rows, columns)
                })
                .collect::<Result<Vec<Vec<RecordBatch>>, StoreError>>()?;
            Ok(per_segment.into_iter().flatten().collect())
        })
    }

    /// What `read` makes of the batches of only the named columns of each segment's row groups
    /// (most segments have one), in order. Row groups are decoded in parallel and each one's
    /// batches dropped once read, so only a few are held at a time. Reads the segments of this
    /// handle's manifest; when one has gone, those of the latest manifest (`read_live`).
    pub fn map_segments_only<T: Send, E: From<StoreError> + Send>(
        &self,
        columns: &[&str],
        read: impl Fn(Vec<RecordBatch>) -> Result<T, E> + Sync,
    ) -> Result<Vec<T>, E> {
        // A segment's read error is kept apart from `read`'s, so only a segment that has gone
        // sends the reader to the latest manifest.
        let map = |manifest: &Manifest| {
            manifest
                .segments
                .par_iter()
                .map(|segment| {
                    let path = self.segment_path(&segment.file);
                    segment::map_row_groups_only(&path, segment.rows, columns, &read)
                })
                .collect::<Result<Vec<Vec<Result<T, E>>>, StoreError>>()
        };
        self.read_live(map)?.into_iter().flatten().collect()
    }

    /// Only the named columns of the posts at these places among all posts (in segment order, as
    /// [`Store::read_batches_only`] gives them): batches holding those rows, ascending and each
    /// once; places past the last post are left out. Only the segments holding them are read,
    /// and of those only the pages holding them. Reads this handle's manifest; when one of its
    /// segments has gone, the latest manifest's, whose places may hold other posts.
    pub fn read_rows_only(
        &self,
        columns: &[&str],
        rows: &[u64],
    ) -> Result<Vec<RecordBatch>, StoreError> {
        let mut rows = rows.to_vec();
        rows.sort_unstable();
        rows.dedup();
        self.read_live(|manifest| {
            let mut start = 0u64;
            let mut wanted = Vec::new();
            for segment in &manifest.segments {
                let end = start + segment.rows;
                // The rows are sorted: this segment's lie between two binary searches.
                let from = rows.partition_point(|&row| row < start);
                let to = rows.partition_point(|&row| row < end);
                let inside: Vec<u64> = rows[from..to].iter().map(|&row| row - start).collect();
                if !inside.is_empty() {
                    wanted.push((segment, inside));
                }
                start = end;
            }
            let per_segment = wanted
                .par_iter()
                .map(|(segment, inside)| {
                    let path = self.segment_path(&segment.file);
                    segment::read_rows_only(&path, segment.rows, columns, inside)
                })
                .collect::<Result<Vec<Vec<RecordBatch>>, StoreError>>()?;
            Ok(per_segment.into_iter().flatten().collect())
        })
    }

    /// Appends what `read` makes of each segment, in segment order, decoding two segments at a
    /// time: the second on another thread into a vector of its own (one segment's items held
    /// twice at most), then moved behind the first.
    fn read_pairwise<T: Send>(
        &self,
        manifest: &Manifest,
        room: impl Fn(u64) -> usize + Sync,
        read: impl Fn(&Segment, &mut Vec<T>) -> Result<(), StoreError> + Sync,
    ) -> Result<Vec<T>, StoreError> {
        let mut items = Vec::with_capacity(room(manifest.post_count()));
        let (room, read) = (&room, &read);
        for pair in manifest.segments.chunks(2) {
            let Some((first, second)) = pair.split_first() else {
                continue;
            };
            std::thread::scope(|scope| {
                let second = second.first().map(|segment| {
                    scope.spawn(move || {
                        let mut more = Vec::with_capacity(room(segment.rows));
                        read(segment, &mut more).map(|()| more)
                    })
                });
                read(first, &mut items)?;
                if let Some(second) = second {
                    let more = second
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
                    items.extend(more);
                }
                Ok::<(), StoreError>(())
            })?;
        }
        Ok(items)
    }

    /// Reads the segments of this handle's manifest. When one has gone (an ingest committed an
    /// update since, replacing it), reads those of the latest manifest instead.
    fn read_live<T>(
        &self,
        read: impl Fn(&Manifest) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        match read(&self.manifest) {
            Err(StoreError::Io { path, source }) if source.kind() == ErrorKind::NotFound => {
                let latest = Manifest::load(&self.path.join(MANIFEST))?;
                if latest == self.manifest {
                    return Err(StoreError::Io { path, source });
                }
                read(&latest)
            }
            other => other,
        }
    }

    /// Starts an ingest: takes the store's lock (an error naming the lock when another ingest
    /// holds it) and reloads the manifest, so the ingest builds on the latest commit.
    pub fn writer(&mut self) -> Result<Writer<'_>, StoreError> {
        files::ensure_dir(&self.path.join(SEGMENTS))?;
        files::ensure_dir(&self.path.join(QUARANTINE))?;
        files::ensure_dir(&self.path.join(RECORDS))?;
        let lock = Lock::try_acquire(&self.path.join(LOCK))?;
        self.manifest = Manifest::load(&self.path.join(MANIFEST))?;
        // Best effort: a stray file that cannot be removed must not stop an ingest.
        let _ = self.collect_garbage();
        Writer::start(self, lock)
    }

    /// The quarantine files of the committed ingests (JSON lines: file, record, field, reason,
    /// excerpt).
    pub fn quarantine_files(&self) -> Vec<PathBuf> {
        self.manifest
            .quarantine
            .iter()
            .map(|name| self.path.join(QUARANTINE).join(name))
            .collect()
    }

    /// The records files of the committed ingests: the original bytes of every record that gave a
    /// post or was quarantined (read them with [`Store::for_each_raw_record`]).
    pub fn record_files(&self) -> Vec<PathBuf> {
        self.manifest
            .records
            .iter()
            .map(|name| self.path.join(RECORDS).join(name))
            .collect()
    }

    /// Calls `each` with every original record of the store, run by run: to re-map posts
    /// without the exports.
    pub fn for_each_raw_record(
        &self,
        each: &mut dyn FnMut(RawRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        for path in self.record_files() {
            records::read(&path, each)?;
        }
        Ok(())
    }

    /// Paths of the live segment files, in read order.
    pub fn segment_files(&self) -> Vec<PathBuf> {
        self.manifest
            .segments
            .iter()
            .map(|s| self.segment_path(&s.file))
            .collect()
    }

    pub(crate) fn segment_path(&self, file: &str) -> PathBuf {
        self.path.join(SEGMENTS).join(file)
    }

    pub(crate) fn set_manifest(&mut self, manifest: Manifest) {
        self.manifest = manifest;
    }

    /// Removes the files the manifest does not name: temp files and segments of killed ingests,
    /// segments replaced by a copy-on-write update. Call only while holding the lock.
    pub(crate) fn collect_garbage(&self) -> Result<(), StoreError> {
        let live: HashSet<&str> = self
            .manifest
            .segments
            .iter()
            .map(|s| s.file.as_str())
            .collect();
        remove_unlisted(&self.path.join(SEGMENTS), &live, &[".parquet", TEMP])?;
        let live: HashSet<&str> = self
            .manifest
            .quarantine
            .iter()
            .map(String::as_str)
            .collect();
        remove_unlisted(&self.path.join(QUARANTINE), &live, &[".jsonl", TEMP])?;
        let live: HashSet<&str> = self.manifest.records.iter().map(String::as_str).collect();
        let [new, old] = records::EXTENSIONS;
        remove_unlisted(&self.path.join(RECORDS), &live, &[new, old, TEMP])?;
        files::remove_quietly(&self.path.join(format!("{MANIFEST}{TEMP}")))
    }
}

/// Removes the files in `dir` with one of our extensions that `live` does not name.
fn remove_unlisted(
    dir: &Path,
    live: &HashSet<&str>,
    extensions: &[&str],
) -> Result<(), StoreError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).at(dir),
    };
    for entry in entries {
        let entry = entry.at(dir)?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let ours = extensions.iter().any(|ext| name.ends_with(ext));
        if ours && !live.contains(name) && entry.file_type().at(&entry.path())?.is_file() {
            files::remove_quietly(&entry.path())?;
        }
    }
    Ok(())
}
