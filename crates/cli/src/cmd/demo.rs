//! `dialoog demo`: ingest and factsheet on the real sample that ships inside the binary.

use anyhow::Context;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The demo sample, compiled in so that `dialoog demo` works from any folder: the first 5,000
/// tweets of Customer Support on Twitter (CC BY-NC-SA 4.0, see data/webcare/SOURCE.md), with a
/// registry of its 76 support accounts and the case file that makes them the focus accounts.
const SAMPLE: [(&str, &[u8]); 6] = [
    (
        "twcs_head.csv",
        include_bytes!("../../../../data/webcare/twcs_head.csv"),
    ),
    (
        "twcs_head.mapping.toml",
        include_bytes!("../../../../data/webcare/twcs.mapping.toml"),
    ),
    (
        "registry.csv",
        include_bytes!("../../../../data/webcare/registry.csv"),
    ),
    (
        "case.toml",
        include_bytes!("../../../../data/webcare/case.toml"),
    ),
    (
        "SOURCE.md",
        include_bytes!("../../../../data/webcare/SOURCE.md"),
    ),
    (
        "LICENSE",
        include_bytes!("../../../../data/webcare/LICENSE"),
    ),
];

/// Run the whole path on a real sample: ingest, store, factsheet.
///
/// Writes the sample (5,000 real tweets in which 76 organisations' support accounts answer the
/// public, October–December 2017) to OUT/input/, ingests it into OUT/store/ and writes the
/// factsheet to OUT/factsheet.html (with factsheet.json and factsheet.md). Prints where the HTML
/// is. Running it again re-ingests the same export: the store stays the same (all duplicates).
#[derive(clap::Args)]
pub struct Args {
    /// Output folder for the sample, its store and its factsheet.
    #[arg(long, value_name = "OUT", default_value = "dialoog-demo")]
    pub out: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let input = args.out.join("input");
    write_sample(&input)?;
    let store = args.out.join("store");
    let run = super::ingest::ingest(
        &[input.join("twcs_head.csv")],
        &store,
        Some(input.join("twcs_head.mapping.toml")),
        false,
    )?;
    let totals = run.totals();
    writeln!(
        std::io::stdout(),
        "ingested {} records: {} stored, {} duplicate, {} quarantined",
        totals.read,
        totals.stored,
        totals.duplicates,
        totals.quarantined
    )?;
    let written = super::factsheet::make(
        &store,
        Some(&input.join("case.toml")),
        None,
        &args.out,
        &super::factsheet::Overrides::default(),
        &super::privacy::PrivacyArgs::default(),
    )?;
    writeln!(std::io::stdout(), "factsheet: {}", written.html.display())?;
    writeln!(std::io::stdout(), "numbers:   {}", written.json.display())?;
    Ok(())
}

fn write_sample(folder: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
    for (name, bytes) in SAMPLE {
        let path = folder.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
