//! `dialoog ingest`: read exports into a store.

use crate::progress;
use anyhow::{Context, bail};
use chrono::Utc;
use dialoog_ingest::{InputFile, Options, Sink, SinkError};
use dialoog_model::{FileStats, IngestRun, Post, Quarantined, RawRecord};
use dialoog_store::{Added, Store, Writer};
use indicatif::ProgressBar;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Read social-media exports into a store.
///
/// Each file's format is detected from its content: X/Twitter (API v2 as written by twarc2, API
/// v1.1, the account archive), Mastodon, Bluesky, Reddit, Facebook, CrowdTangle, Coosto, Telegram,
/// YouTube, 4CAT, Zeeschuimer, minet and gazouilloire exports, and CSV or spreadsheets (Excel
/// .xlsx, OpenDocument .ods) with a column mapping; `dialoog formats` lists
/// all of them with an example each. Folders are read recursively; .gz and .zst files are
/// decompressed on the fly.
///
/// A file inside a given folder that is of no known format (a README, a licence, a PDF) or a CSV
/// or Excel file without a column mapping is skipped with a note, and the rest is read; a file named
/// explicitly must be readable.
///
/// Posts are deduplicated on (platform, id): ingesting the same export twice changes nothing, and
/// a later copy with other counts (likes, reshares, …) updates them. Records that cannot be read
/// (invalid JSON or UTF-8, a missing id, time or author) go to a quarantine file in the store with
/// file, line and reason; the rest is stored. The ingest commits whole or not at all: if it is
/// interrupted, the store keeps its earlier state.
///
/// Exits non-zero when nothing usable was read.
#[derive(clap::Args)]
pub struct Args {
    /// Export files or folders, in any mix of formats.
    #[arg(required = true, value_name = "EXPORT")]
    pub inputs: Vec<PathBuf>,
    /// The store folder (created when absent).
    #[arg(long, value_name = "STORE")]
    pub store: PathBuf,
    /// Column mapping (TOML) for CSV and Excel inputs. Without it, a `NAME.mapping.toml` or
    /// `mapping.toml` beside the file is used.
    #[arg(long, value_name = "MAPPING.toml")]
    pub mapping: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let run = ingest(&args.inputs, &args.store, args.mapping, args.quiet)?;
    if !args.quiet {
        print_run(&run, &args.store)?;
    }
    let totals = run.totals();
    if run.files.is_empty() {
        bail!(
            "nothing to read: {} in the given folders, none of a known format",
            files(run.skipped.len())
        );
    }
    if totals.read == totals.quarantined {
        bail!(
            "nothing usable was read: {} records, all quarantined (see {})",
            totals.read,
            args.store.join("quarantine").display()
        );
    }
    Ok(())
}

fn files(count: usize) -> String {
    if count == 1 {
        "1 file".to_owned()
    } else {
        format!("{count} files")
    }
}

/// Reads every input into the store in one commit; returns what was read, stored and rejected.
pub fn ingest(
    inputs: &[PathBuf],
    store_path: &Path,
    mapping: Option<PathBuf>,
    quiet: bool,
) -> anyhow::Result<IngestRun> {
    let options = Options {
        mapping,
        ..Options::default()
    };
    let dialoog_ingest::Plan { files, skipped } = dialoog_ingest::plan(inputs, &options)?;
    let total_bytes = files.iter().map(|f| f.size).sum();
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        progress::bytes(total_bytes, "ingesting")
    };
    let mut store = Store::open(store_path)
        .with_context(|| format!("opening the store {}", store_path.display()))?;
    let started_at = Utc::now();
    let mut writer = store.writer()?;
    let mut stats = Vec::with_capacity(files.len());
    let mut done_bytes = 0;
    for file in &files {
        stats.push(ingest_file(file, &options, &mut writer, &bar, done_bytes)?);
        done_bytes += file.size;
    }
    bar.finish_and_clear();
    let run = IngestRun {
        started_at: Some(started_at),
        finished_at: Some(Utc::now()),
        dialoog_version: env!("CARGO_PKG_VERSION").to_owned(),
        files: stats,
        skipped,
    };
    writer
        .commit(run.clone())
        .with_context(|| format!("committing to the store {}", store_path.display()))?;
    Ok(run)
}

struct StoreSink<'w, 's> {
    writer: &'w mut Writer<'s>,
    stats: FileStats,
    bar: &'w ProgressBar,
    done_bytes: u64,
}

impl Sink for StoreSink<'_, '_> {
    fn post(&mut self, post: Post) -> Result<(), SinkError> {
        match self.writer.add(post)? {
            Added::New => self.stats.stored += 1,
            Added::Updated => self.stats.updated += 1,
            Added::Duplicate => self.stats.duplicates += 1,
        }
        Ok(())
    }

    fn quarantine(&mut self, record: Quarantined) -> Result<(), SinkError> {
        self.writer.quarantine(&record)?;
        Ok(())
    }

    fn progress(&mut self, bytes_read: u64) {
        self.bar.set_position(self.done_bytes + bytes_read);
    }

    fn raw(&mut self, record: &RawRecord) -> Result<(), SinkError> {
        self.writer.raw(record)?;
        Ok(())
    }
}

fn ingest_file(
    file: &InputFile,
    options: &Options,
    writer: &mut Writer<'_>,
    bar: &ProgressBar,
    done_bytes: u64,
) -> anyhow::Result<FileStats> {
    let mut sink = StoreSink {
        writer,
        stats: FileStats::default(),
        bar,
        done_bytes,
    };
    let read = dialoog_ingest::read_file(file, options, &mut sink)
        .with_context(|| format!("reading {}", file.path.display()))?;
    Ok(FileStats {
        stored: sink.stats.stored,
        updated: sink.stats.updated,
        duplicates: sink.stats.duplicates,
        ..read
    })
}

fn print_run(run: &IngestRun, store: &Path) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for file in &run.files {
        writeln!(
            out,
            "{} ({}): {} read, {} stored, {} updated, {} duplicate, {} quarantined",
            file.path,
            file.format,
            file.read,
            file.stored,
            file.updated,
            file.duplicates,
            file.quarantined
        )?;
    }
    for file in &run.skipped {
        writeln!(out, "{}: skipped: {}", file.path, file.reason)?;
    }
    let totals = run.totals();
    writeln!(
        out,
        "total: {} read, {} stored, {} updated, {} duplicate, {} quarantined → {}",
        totals.read,
        totals.stored,
        totals.updated,
        totals.duplicates,
        totals.quarantined,
        store.display()
    )?;
    if totals.quarantined > 0 {
        writeln!(
            out,
            "quarantined records, with file, line and reason: {}",
            store.join("quarantine").display()
        )?;
    }
    if !run.skipped.is_empty() {
        writeln!(
            out,
            "{} skipped (not read), each with its reason above; `dialoog formats` lists what can be read",
            files(run.skipped.len())
        )?;
    }
    Ok(())
}
