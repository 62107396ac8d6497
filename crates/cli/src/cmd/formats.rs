//! `dialoog formats`: the export formats Dialoog reads.

/// List the export formats `dialoog ingest` detects, with an example command for each.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    for format in dialoog_ingest::formats() {
        println!("{:<18} {}", format.name(), format.description());
    }
    println!();
    println!("example: dialoog ingest tweets.jsonl.gz outbox.tar.gz --store case.store");
    println!("example: dialoog ingest posts.csv --mapping posts.mapping.toml --store case.store");
    Ok(())
}
