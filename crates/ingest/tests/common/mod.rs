#![allow(dead_code)]

use dialoog_ingest::{
    FileStats, InputFile, Options, Post, Quarantined, RawRecord, Sink, SinkError,
};
use std::path::{Path, PathBuf};

/// A file of real test data: the copy in the repository's testdata/ (licences that allow
/// shipping), else the team's shared data beside the project (../shared/data).
pub fn data(relative: &str) -> PathBuf {
    let shipped = repo("testdata").join(relative);
    if shipped.exists() {
        return shipped;
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(relative)
}

/// Test data that may not ship with the repository (no licence stated): present only where the
/// shared data is. `None`, with a note on stderr, lets a test skip on a bare clone.
pub fn shared_only(relative: &str) -> Option<PathBuf> {
    let path = data(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "skipped: {} is absent (tests-only data in ../shared/data, not shipped)",
            path.display()
        );
        None
    }
}

/// A file in the repository.
pub fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

#[derive(Default)]
pub struct Collect {
    pub posts: Vec<Post>,
    pub quarantined: Vec<Quarantined>,
    pub progress: Vec<u64>,
    pub raw: Vec<RawRecord>,
}

impl Sink for Collect {
    fn post(&mut self, post: Post) -> Result<(), SinkError> {
        self.posts.push(post);
        Ok(())
    }
    fn quarantine(&mut self, record: Quarantined) -> Result<(), SinkError> {
        self.quarantined.push(record);
        Ok(())
    }
    fn progress(&mut self, bytes_read: u64) {
        self.progress.push(bytes_read);
    }
    fn raw(&mut self, record: &RawRecord) -> Result<(), SinkError> {
        self.raw.push(record.clone());
        Ok(())
    }
}

/// Plans one path (which must give one input) and reads it.
pub fn read_with(path: &Path, options: &Options) -> (Collect, FileStats, InputFile) {
    let planned = dialoog_ingest::plan(&[path.to_owned()], options)
        .unwrap_or_else(|e| panic!("planning {}: {e}", path.display()))
        .files;
    assert_eq!(planned.len(), 1, "{planned:?}");
    let file = planned.into_iter().next().unwrap();
    let mut sink = Collect::default();
    let stats = dialoog_ingest::read_file(&file, options, &mut sink)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    assert_eq!(
        stats.read,
        (sink.posts.len() + sink.quarantined.len()) as u64
    );
    assert_eq!(stats.quarantined, sink.quarantined.len() as u64);
    (sink, stats, file)
}

pub fn read(path: &Path) -> (Collect, FileStats, InputFile) {
    read_with(path, &Options::default())
}

pub fn find<'p>(posts: &'p [Post], id: &str) -> &'p Post {
    posts
        .iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("no post {id}"))
}

/// A post without its provenance, to compare posts read from different files.
pub fn content(post: &Post) -> Post {
    let mut p = post.clone();
    p.source_file.clear();
    p.source_record = 0;
    p
}
