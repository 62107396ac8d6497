//! `dialoog formats`: the export formats Dialoog reads.

use std::io::Write as _;

/// List the export formats `dialoog ingest` detects, with an example command for each.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    for format in dialoog_ingest::formats() {
        writeln!(out, "{:<18} {}", format.name(), format.description())?;
        writeln!(out, "{:<18} e.g. {}", "", format.example())?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Files, folders and any mix of formats in one command; .gz and .zst are read as they are."
    )?;
    writeln!(
        out,
        "In a folder, files of none of these formats (a README, a licence) are skipped with a note."
    )?;
    Ok(())
}
