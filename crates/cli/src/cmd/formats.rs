//! `dialoog formats`: the export formats Dialoog reads.

/// List the export formats `dialoog ingest` detects, with an example command for each.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    for format in dialoog_ingest::formats() {
        println!("{:<18} {}", format.name(), format.description());
        println!("{:<18} e.g. {}", "", format.example());
    }
    println!();
    println!(
        "Files, folders and any mix of formats in one command; .gz and .zst are read as they are."
    );
    println!(
        "In a folder, files of none of these formats (a README, a licence) are skipped with a note."
    );
    Ok(())
}
