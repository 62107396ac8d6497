use crate::background::Background;
use crate::error::IoContext;
use crate::files::{self, QUARANTINE, RECORDS, SEGMENTS, TEMP};
use crate::index::{self, Index, Key};
use crate::lock::Lock;
use crate::records::{self, RecordsWriter};
use crate::segment::{self, Counts, Written};
use crate::{Manifest, Segment, Store, StoreError};
use chrono::Utc;
use dialoog_model::{IngestRun, Post, Quarantined, RawRecord, SCHEMA_VERSION};
use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver};

/// Rows buffered in memory before they are written to a segment file.
pub const DEFAULT_SEGMENT_ROWS: usize = 100_000;

/// Rows from which an ingest's last segment is written in two row groups at once.
const HALVED_FROM: usize = 20_000;

/// A full buffer for the segment worker: the posts, the temp file they go to and in how many
/// row groups.
struct SegmentJob {
    temp: PathBuf,
    posts: Vec<Post>,
    row_groups: usize,
}

/// What [`Writer::add`] did with a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// Not in the store before: stored.
    New,
    /// Already there (or earlier in this ingest) and this copy changed its counts.
    Updated,
    /// Already there with the same counts: nothing to do.
    Duplicate,
}

/// Segments whose counts read back from disk are kept at first, most recently used first: a
/// later copy of an export meets the stored posts in about their order. A segment read back a
/// second time doubles the number kept, so copies in another order cost at most about twice the
/// reads of keeping every segment (and its memory only then).
const READ_BACK_SEGMENTS: usize = 4;

/// The updatable counts without `Option`'s padding: values, and a bit per known value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Packed {
    values: [u64; 6],
    known: u8,
}

impl Packed {
    fn of(post: &Post) -> Packed {
        Packed::pack(&segment::counts_of(post))
    }

    fn pack(counts: &Counts) -> Packed {
        let mut packed = Packed {
            values: [0; 6],
            known: 0,
        };
        for (i, count) in counts.iter().enumerate() {
            if let Some(value) = count {
                packed.values[i] = *value;
                packed.known |= 1 << i;
            }
        }
        packed
    }

    fn unpack(&self) -> Counts {
        let mut counts = [None; 6];
        for (i, slot) in counts.iter_mut().enumerate() {
            *slot = (self.known & (1 << i) != 0).then_some(self.values[i]);
        }
        counts
    }

    /// The newer copy's known values win; unknown ones keep the older value.
    fn merge(self, newer: Packed) -> Packed {
        let mut merged = self;
        for i in 0..merged.values.len() {
            if newer.known & (1 << i) != 0 {
                merged.values[i] = newer.values[i];
            }
        }
        merged.known |= newer.known;
        merged
    }

    fn fingerprint(&self) -> u64 {
        let mut bytes = [0_u8; 49];
        for (chunk, value) in bytes.chunks_exact_mut(8).zip(self.values) {
            chunk.copy_from_slice(&value.to_le_bytes());
        }
        if let Some(last) = bytes.last_mut() {
            *last = self.known;
        }
        index::fingerprint(&bytes)
    }
}

/// A post's place in the store's order (`start` + `row`) as the index keeps it.
fn ordinal(start: u32, row: u64, path: &std::path::Path) -> Result<u32, StoreError> {
    u64::from(start)
        .checked_add(row)
        .and_then(|ordinal| u32::try_from(ordinal).ok())
        .filter(|ordinal| *ordinal != u32::MAX)
        .ok_or_else(|| StoreError::Corrupt {
            path: path.to_path_buf(),
            message: "more than 4 billion posts in one store".into(),
        })
}

struct SegmentState {
    segment: Segment,
    /// Written by this ingest: the file is still `<file>.tmp`.
    temp: bool,
    /// The ordinal of its first row.
    start: u32,
}

/// One ingest into a store: holds the store's lock, deduplicates, buffers, and changes nothing
/// visible until [`Writer::commit`]. Dropped without commit, it leaves the store as it was.
pub struct Writer<'s> {
    store: &'s mut Store,
    _lock: Lock,
    run_id: String,
    /// Every post of the store and of this ingest, by platform and id: its ordinal (row in
    /// the store's order) and a fingerprint of its counts.
    index: Index,
    /// The store's live segments, then those this ingest wrote.
    segments: Vec<SegmentState>,
    /// The ordinal of the buffer's first post: the rows of `segments`.
    buffer_start: u32,
    buffer: Vec<Post>,
    /// Merged counts of posts in segment files that a later copy changed, by ordinal: their
    /// segments are rewritten at commit.
    updates: HashMap<u32, Packed>,
    /// The counts of the segment last sent to the worker, whose file may be unfinished.
    writing: Option<(u32, Vec<Packed>)>,
    /// Counts of segments read back from disk, most recently used first.
    read_back: Vec<(u32, Vec<Packed>)>,
    /// How many segments `read_back` keeps.
    read_back_capacity: usize,
    /// The segments read back at least once.
    read_once: HashSet<u32>,
    /// Encodes, compresses and fsyncs the full buffers beside the reading.
    segment_worker: Option<Background<SegmentJob, ()>>,
    /// The buffers the segment worker is done with, emptied, to be filled again: a fresh one
    /// per segment cost the kernel a page fault and zeroing for each of its pages.
    emptied: Option<Receiver<Vec<Post>>>,
    segment_rows: usize,
    /// Whether the store's last segment was looked at for [`Writer::refill_tail`] yet.
    tail_looked_at: bool,
    next_file: u64,
    quarantine: Option<BufWriter<File>>,
    records: Option<RecordsWriter>,
    /// The store's records file read into this ingest's ([`Writer::refill_records`]), which
    /// takes its place at commit.
    refilled_records: Option<String>,
    /// Files of this ingest not yet in a manifest, removed when it is dropped uncommitted.
    temp_files: Vec<PathBuf>,
}

impl<'s> Writer<'s> {
    pub(crate) fn start(store: &'s mut Store, lock: Lock) -> Result<Writer<'s>, StoreError> {
        let now = Utc::now();
        let run_id = format!("{}-{}", now.format("%Y%m%dT%H%M%S%3fZ"), std::process::id());
        let stored = usize::try_from(store.manifest().post_count()).unwrap_or(0);
        let mut index = Index::with_expected(stored);
        let mut segments = Vec::with_capacity(store.manifest().segments.len());
        let mut start = 0;
        for live in &store.manifest().segments {
            let path = store.segment_path(&live.file);
            let mut row = 0_u64;
            segment::read_keys(&path, live.rows, |platform, id, counts| {
                let key = Key::of(platform, &id);
                if index.get_mut(key).is_some() {
                    return Err(StoreError::Corrupt {
                        path: path.clone(),
                        message: format!("row {row}: a post stored twice"),
                    });
                }
                let fingerprint = Packed::pack(&counts).fingerprint();
                index.insert(key, ordinal(start, row, &path)?, fingerprint);
                row += 1;
                Ok(())
            })?;
            segments.push(SegmentState {
                segment: live.clone(),
                temp: false,
                start,
            });
            start = ordinal(start, live.rows, &path)?;
        }
        Ok(Writer {
            store,
            _lock: lock,
            run_id,
            index,
            segments,
            buffer_start: start,
            buffer: Vec::new(),
            updates: HashMap::new(),
            writing: None,
            read_back: Vec::new(),
            read_back_capacity: READ_BACK_SEGMENTS,
            read_once: HashSet::new(),
            segment_worker: None,
            emptied: None,
            segment_rows: DEFAULT_SEGMENT_ROWS,
            tail_looked_at: false,
            next_file: 1,
            quarantine: None,
            records: None,
            refilled_records: None,
            temp_files: Vec::new(),
        })
    }

    /// This ingest's id: its segment and quarantine files are named after it.
    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    /// Rows buffered before a segment file is written (default [`DEFAULT_SEGMENT_ROWS`]).
    pub fn set_segment_rows(&mut self, rows: usize) {
        self.segment_rows = rows.max(1);
    }

    /// Adds a post unless the store (or this ingest) has it already. A later copy with other
    /// counts (likes, reshares, replies, quotes, views, author_followers) updates them: its
    /// known values win, unknown ones keep the stored value.
    pub fn add(&mut self, post: Post) -> Result<Added, StoreError> {
        let counts = Packed::of(&post);
        let fingerprint = counts.fingerprint();
        let key = Key::of(post.platform, &post.id);
        if let Some(slot) = self.index.get_mut(key) {
            // The same counts: no need to read the stored ones back.
            if slot.fingerprint() == fingerprint {
                return Ok(Added::Duplicate);
            }
            let ordinal = slot.ordinal;
            let stored = self.stored_counts(ordinal)?;
            let merged = stored.merge(counts);
            if merged == stored {
                return Ok(Added::Duplicate);
            }
            if let Some(slot) = self.index.get_mut(key) {
                slot.set_fingerprint(merged.fingerprint());
            }
            self.set_counts(ordinal, merged);
            return Ok(Added::Updated);
        }
        if !self.tail_looked_at {
            self.refill_tail()?;
        }
        // A full buffer is written only once another post comes, so that an ingest's last
        // segment is written by `commit`, which knows it is the last.
        if self.buffer.len() >= self.segment_rows {
            self.flush(false)?;
        }
        let row = self.buffer.len() as u64;
        self.index.insert(
            key,
            ordinal(self.buffer_start, row, self.store.path())?,
            fingerprint,
        );
        if self.buffer.is_empty() && self.buffer.capacity() < self.segment_rows {
            // Exactly one segment's worth: growing by doubling would hold up to 1.5 of them.
            self.buffer.reserve_exact(self.segment_rows);
        }
        self.buffer.push(post);
        Ok(Added::New)
    }

    /// Before this ingest's first new post: when the store's last segment is smaller than a
    /// segment (an earlier small ingest's last), its posts go back into the buffer, ahead of the
    /// new ones, and are written again with them; the old file is replaced at commit and stays
    /// live until then. So a store filled by many small ingests (a daily collection) keeps
    /// full segments, each with one text dictionary, instead of one small segment per ingest:
    /// the 100k bench posts in ten ingests took 17.5 MB of store, 7.1 MB of it segments, against
    /// 13.0 and 5.4 MB in one ingest. The posts keep their rows (ordinals), so the dedupe index
    /// holds; counts already updated by this ingest move with them.
    fn refill_tail(&mut self) -> Result<(), StoreError> {
        self.tail_looked_at = true;
        let Some(last) = self.segments.last() else {
            return Ok(());
        };
        let small = last.segment.rows > 0 && last.segment.rows < self.segment_rows as u64;
        if !small || last.temp || !self.buffer.is_empty() {
            return Ok(());
        }
        let (rows, start) = (last.segment.rows, last.start);
        let number = u32::try_from(self.segments.len() - 1).map_err(|_| self.out_of_step(start))?;
        let path = self.segment_file(number);
        let mut posts = Vec::with_capacity(self.segment_rows);
        segment::read_posts_into(&path, rows, &mut posts)?;
        self.updates
            .retain(|&ordinal, counts| match ordinal.checked_sub(start) {
                Some(row) => {
                    if let Some(post) = posts.get_mut(row as usize) {
                        segment::set_counts(post, &counts.unpack());
                    }
                    false
                }
                None => true,
            });
        // The segment's number will be the next segment's: nothing read of it may stay.
        self.read_back.retain(|(read, _)| *read != number);
        self.read_once.remove(&number);
        self.segments.pop();
        self.buffer = posts;
        self.buffer_start = start;
        Ok(())
    }

    /// The current counts of the post at `ordinal`.
    fn stored_counts(&mut self, ordinal: u32) -> Result<Packed, StoreError> {
        if let Some(row) = ordinal.checked_sub(self.buffer_start) {
            return match self.buffer.get(row as usize) {
                Some(post) => Ok(Packed::of(post)),
                None => Err(self.out_of_step(ordinal)),
            };
        }
        if let Some(counts) = self.updates.get(&ordinal) {
            return Ok(*counts);
        }
        let (number, row) = self.locate(ordinal)?;
        if let Some((writing, counts)) = &self.writing
            && *writing == number
        {
            return counts
                .get(row as usize)
                .copied()
                .ok_or_else(|| self.out_of_step(ordinal));
        }
        match self.read_back.iter().position(|(read, _)| *read == number) {
            Some(0) => {}
            Some(at) => {
                let used = self.read_back.remove(at);
                self.read_back.insert(0, used);
            }
            None => {
                let path = self.segment_file(number);
                let rows = self
                    .segments
                    .get(number as usize)
                    .map_or(0, |s| s.segment.rows);
                let mut counts = Vec::with_capacity(usize::try_from(rows).unwrap_or(0));
                segment::read_keys(&path, rows, |_, _, row_counts| {
                    counts.push(Packed::pack(&row_counts));
                    Ok(())
                })?;
                if !self.read_once.insert(number) {
                    self.read_back_capacity *= 2;
                }
                self.read_back.insert(0, (number, counts));
                self.read_back.truncate(self.read_back_capacity);
            }
        }
        self.read_back
            .first()
            .and_then(|(_, counts)| counts.get(row as usize))
            .copied()
            .ok_or_else(|| self.out_of_step(ordinal))
    }

    fn set_counts(&mut self, ordinal: u32, counts: Packed) {
        match ordinal.checked_sub(self.buffer_start) {
            Some(row) => {
                if let Some(post) = self.buffer.get_mut(row as usize) {
                    segment::set_counts(post, &counts.unpack());
                }
            }
            None => {
                self.updates.insert(ordinal, counts);
            }
        }
    }

    /// The segment number and row of a post in a segment file.
    fn locate(&self, ordinal: u32) -> Result<(u32, u32), StoreError> {
        let number = self
            .segments
            .partition_point(|state| state.start <= ordinal)
            .checked_sub(1)
            .ok_or_else(|| self.out_of_step(ordinal))?;
        let start = self.segments.get(number).map_or(0, |state| state.start);
        let number = u32::try_from(number).map_err(|_| self.out_of_step(ordinal))?;
        Ok((number, ordinal - start))
    }

    /// The path of a segment's file: `<file>.tmp` while this ingest has not committed it.
    fn segment_file(&self, number: u32) -> PathBuf {
        let Some(state) = self.segments.get(number as usize) else {
            return self.store.path().join(SEGMENTS);
        };
        let mut path = self.store.segment_path(&state.segment.file);
        if state.temp {
            path.as_mut_os_string().push(TEMP);
        }
        path
    }

    fn out_of_step(&self, ordinal: u32) -> StoreError {
        StoreError::Corrupt {
            path: self.store.path().to_path_buf(),
            message: format!("the dedupe index points at post {ordinal}, which is not there"),
        }
    }

    /// Appends a record that could not be read to `STORE/quarantine/<run-id>.jsonl`.
    pub fn quarantine(&mut self, record: &Quarantined) -> Result<(), StoreError> {
        let path = self.quarantine_path();
        if self.quarantine.is_none() {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .at(&path)?;
            self.temp_files.push(path.clone());
            self.quarantine = Some(BufWriter::new(file));
        }
        let line = serde_json::to_string(record)
            .map_err(std::io::Error::other)
            .at(&path)?;
        if let Some(out) = self.quarantine.as_mut() {
            writeln!(out, "{line}").at(&path)?;
        }
        Ok(())
    }

    /// Keeps the original bytes of a record in `STORE/records/<run-id>.zst`.
    pub fn raw(&mut self, raw: &RawRecord) -> Result<(), StoreError> {
        let records = match &mut self.records {
            Some(records) => records,
            None => {
                let temp = self.records_path_temp();
                self.temp_files.push(temp.clone());
                let mut records = RecordsWriter::create(temp)?;
                self.refilled_records = self.refill_records(&mut records)?;
                self.records.insert(records)
            }
        };
        records.add(raw)
    }

    /// Before this ingest's first record: when the store's last records file holds fewer
    /// records than a segment (an earlier small ingest's), they go into this ingest's file
    /// first, which replaces it at commit (it stays live until then). One long zstd window over
    /// both finds the repeats between them: the 100k bench records in ten ingests took 10.4 MB
    /// against 7.5 MB in one. Posts join records on file and record number, not on the run.
    fn refill_records(&self, records: &mut RecordsWriter) -> Result<Option<String>, StoreError> {
        let Some(last) = self.store.manifest().records.last() else {
            return Ok(None);
        };
        if !last.ends_with(records::EXTENSION) {
            return Ok(None);
        }
        let path = self.store.path().join(RECORDS).join(last);
        let limit = self.segment_rows as u64;
        let refilled = records::read_if_fewer(&path, limit, &mut |raw| records.add(&raw))?;
        Ok(refilled.then(|| last.clone()))
    }

    fn records_file_name(&self) -> String {
        format!("{}{}", self.run_id, records::EXTENSION)
    }

    fn records_path_temp(&self) -> PathBuf {
        self.store
            .path()
            .join(RECORDS)
            .join(format!("{}{TEMP}", self.records_file_name()))
    }

    /// Makes the ingest part of the store in one atomic step: the remaining posts and the
    /// rewritten copies of updated segments are written and fsynced, then a new manifest naming
    /// them (and the run) replaces the old one. Replaced segments are removed afterwards.
    pub fn commit(mut self, run: IngestRun) -> Result<(), StoreError> {
        self.flush(true)?;
        if let Some(worker) = self.segment_worker.take() {
            worker.finish()?;
        }
        self.rewrite_updated()?;
        let segments_dir = self.store.path().join(SEGMENTS);
        for state in &mut self.segments {
            if state.temp {
                let target = segments_dir.join(&state.segment.file);
                let temp = segments_dir.join(format!("{}{TEMP}", state.segment.file));
                std::fs::rename(&temp, &target).at(&target)?;
                self.temp_files.push(target);
                state.temp = false;
            }
        }
        files::sync_dir(&segments_dir)?;
        let mut quarantine = self.store.manifest().quarantine.clone();
        if let Some(out) = self.quarantine.take() {
            let path = self.quarantine_path();
            let file = out.into_inner().map_err(|e| e.into_error()).at(&path)?;
            file.sync_all().at(&path)?;
            files::sync_dir(&self.store.path().join(QUARANTINE))?;
            quarantine.push(self.quarantine_file_name());
        }
        let mut records = self.store.manifest().records.clone();
        if let Some(writer) = self.records.take() {
            if let Some(refilled) = &self.refilled_records {
                records.retain(|name| name != refilled);
            }
            let temp = writer.finish()?;
            let name = self.records_file_name();
            let target = self.store.path().join(RECORDS).join(&name);
            std::fs::rename(&temp, &target).at(&target)?;
            self.temp_files.push(target);
            files::sync_dir(&self.store.path().join(RECORDS))?;
            records.push(name);
        }
        let mut runs = self.store.manifest().runs.clone();
        runs.push(run);
        let manifest = Manifest {
            schema_version: SCHEMA_VERSION,
            segments: self.segments.iter().map(|s| s.segment.clone()).collect(),
            runs,
            quarantine,
            records,
        };
        let temp_files = &mut self.temp_files;
        // Once renamed, the new manifest is live: its files must survive even if the final
        // fsync of the folder fails, so they stop being this writer's temp files right away.
        manifest.save(self.store.path(), || temp_files.clear())?;
        self.store.set_manifest(manifest);
        // The replaced segments are garbage now. Best effort: the commit has happened, and the
        // next open or commit removes what is left.
        let _ = self.store.collect_garbage();
        Ok(())
    }

    fn quarantine_file_name(&self) -> String {
        format!("{}.jsonl", self.run_id)
    }

    fn quarantine_path(&self) -> PathBuf {
        self.store
            .path()
            .join(QUARANTINE)
            .join(self.quarantine_file_name())
    }

    /// A new segment name of this ingest; the file is written as `<name>.tmp`.
    fn new_segment_file(&mut self) -> (String, PathBuf) {
        let name = format!("{}-{}.parquet", self.run_id, self.next_file);
        self.next_file += 1;
        let temp = self
            .store
            .path()
            .join(SEGMENTS)
            .join(format!("{name}{TEMP}"));
        self.temp_files.push(temp.clone());
        (name, temp)
    }

    /// The state of a new segment of `posts` starting at ordinal `start`, and the path its file
    /// is to be written to.
    fn new_segment(&mut self, posts: &[Post], start: u32) -> (SegmentState, PathBuf) {
        let (file, temp) = self.new_segment_file();
        let written = Written::of(posts);
        let state = SegmentState {
            segment: Segment {
                file,
                run: self.run_id.clone(),
                rows: written.rows,
                min_created_at: written.min_created_at,
                max_created_at: written.max_created_at,
            },
            temp: true,
            start,
        };
        (state, temp)
    }

    /// Writes the buffered posts to a temp segment file, on the segment worker: it is done by
    /// the time [`Writer::commit`] has waited for the worker.
    fn flush(&mut self, last: bool) -> Result<(), StoreError> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let buffer = std::mem::take(&mut self.buffer);
        let (state, temp) = self.new_segment(&buffer, self.buffer_start);
        let number =
            u32::try_from(self.segments.len()).map_err(|_| self.out_of_step(self.buffer_start))?;
        self.buffer_start = ordinal(self.buffer_start, state.segment.rows, &temp)?;
        self.segments.push(state);
        // Sending waits until the worker has finished the segment before: only this one's
        // file may be unfinished while later copies are read.
        self.writing = Some((number, buffer.iter().map(Packed::of).collect()));
        let worker = match &mut self.segment_worker {
            Some(worker) => worker,
            None => {
                let (give_back, emptied) = mpsc::channel();
                self.emptied = Some(emptied);
                self.segment_worker.insert(Background::spawn(
                    self.store.path().join(SEGMENTS),
                    move |jobs: Receiver<SegmentJob>| {
                        for mut job in jobs {
                            segment::write(&job.temp, &mut job.posts, job.row_groups)?;
                            // Nobody takes it back once the writer is gone.
                            let _ = give_back.send(job.posts);
                        }
                        Ok(())
                    },
                )?)
            }
        };
        // The last segment is written while nothing else runs: in two row groups, each with its
        // own text dictionary (a little larger), encoded on both cores.
        let row_groups = if last && buffer.len() >= HALVED_FROM {
            2
        } else {
            1
        };
        worker.send(SegmentJob {
            temp,
            posts: buffer,
            row_groups,
        })?;
        // The worker gave the segment before back before it took this one: two buffers in all.
        if let Some(emptied) = self.emptied.as_ref().and_then(|e| e.try_recv().ok()) {
            self.buffer = emptied;
        }
        Ok(())
    }

    /// Copy-on-write: each segment holding updated posts is rewritten once, with the new
    /// counts, into a new file that takes its place in the segment list.
    fn rewrite_updated(&mut self) -> Result<(), StoreError> {
        let mut updates: HashMap<u32, Vec<(u32, Packed)>> = HashMap::new();
        for (ordinal, counts) in std::mem::take(&mut self.updates) {
            let (number, row) = self.locate(ordinal)?;
            updates.entry(number).or_default().push((row, counts));
        }
        let mut numbers: Vec<u32> = updates.keys().copied().collect();
        numbers.sort_unstable();
        for number in numbers {
            let Some(state) = self.segments.get(number as usize) else {
                continue;
            };
            let (temp, rows, start) = (state.temp, state.segment.rows, state.start);
            let path = self.segment_file(number);
            let mut posts = Vec::new();
            segment::read_posts_into(&path, rows, &mut posts)?;
            for (row, counts) in updates.remove(&number).unwrap_or_default() {
                match posts.get_mut(row as usize) {
                    Some(post) => segment::set_counts(post, &counts.unpack()),
                    None => {
                        return Err(StoreError::Corrupt {
                            path,
                            message: format!("row {row} vanished"),
                        });
                    }
                }
            }
            let (replacement, replacement_path) = self.new_segment(&posts, start);
            segment::write(&replacement_path, &mut posts, 1)?;
            if temp {
                files::remove_quietly(&path)?;
            }
            if let Some(slot) = self.segments.get_mut(number as usize) {
                *slot = replacement;
            }
        }
        Ok(())
    }
}

impl Drop for Writer<'_> {
    /// Uncommitted: remove this ingest's files (best effort; the next open removes what is left).
    fn drop(&mut self) {
        // The workers finish first, so they create no file after the removal.
        self.segment_worker = None;
        self.quarantine = None;
        self.records = None;
        for path in &self.temp_files {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Packed;

    #[test]
    fn packed_counts_round_trip_and_merge_known_values_only() {
        let old = [Some(1), None, Some(0), Some(u64::MAX), None, Some(7)];
        assert_eq!(Packed::pack(&old).unpack(), old);
        let newer = [Some(5), Some(2), None, None, None, Some(7)];
        let merged = Packed::pack(&old).merge(Packed::pack(&newer));
        assert_eq!(
            merged.unpack(),
            [Some(5), Some(2), Some(0), Some(u64::MAX), None, Some(7)]
        );
        let nothing_new = [None, None, Some(0), None, None, Some(7)];
        assert_eq!(
            Packed::pack(&old).merge(Packed::pack(&nothing_new)),
            Packed::pack(&old)
        );
    }
}
