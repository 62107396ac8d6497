//! `dialoog mapping`: a draft column mapping for a CSV or spreadsheet export of no known layout.

use anyhow::{Context as _, bail};
use std::io::Write as _;
use std::path::PathBuf;

/// Draft the column mapping (TOML) that `dialoog ingest` needs for a CSV or spreadsheet (.xlsx, .ods) file of
/// no known layout: each field of a post is matched to the column with one of its usual names, the
/// time format to the first usual one that reads the first rows' times, and the platform to the
/// sites those rows link to. What no column matched is left as a comment. Check every line, then
/// `dialoog ingest EXPORT --mapping MAPPING.toml` (or save it as EXPORT's NAME.mapping.toml beside
/// it, where ingest finds it). Every key a mapping can hold: docs/mapping.md.
#[derive(clap::Args)]
pub struct Args {
    /// The CSV (also .gz or .zst), .xlsx or .ods file.
    #[arg(value_name = "EXPORT")]
    pub export: PathBuf,
    /// Write the draft to this file (refused if it exists) instead of printing it.
    #[arg(long, value_name = "MAPPING.toml")]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let draft = dialoog_ingest::draft_mapping(&args.export)
        .with_context(|| format!("drafting a mapping for {}", args.export.display()))?;
    match &args.out {
        None => std::io::stdout().lock().write_all(draft.as_bytes())?,
        Some(out) => {
            if out.exists() {
                bail!("{} exists: give another --out", out.display());
            }
            std::fs::write(out, &draft).with_context(|| format!("writing {}", out.display()))?;
            eprintln!(
                "wrote {}: check it, then dialoog ingest {} --mapping {}",
                out.display(),
                args.export.display(),
                out.display()
            );
        }
    }
    Ok(())
}
