//! `dialoog-bench`: generates realistic exports and times Dialoog against DuckDB, polars and
//! pandas computing the same measures from the same files (see bench/README.md).
//!
//! A separate binary, so the `dialoog` users install stays lean: the generator's texts and random
//! numbers and the runner's table are of no use to a researcher making factsheets.

mod compare;
mod floor;
mod generate;
mod run;
mod texts;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    version,
    about = "The Dialoog benchmark: generate exports, run Dialoog and its peers, compare and time them."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a dataset: tweets.jsonl.gz (twarc2), statuses.jsonl.gz (Mastodon API), registry.csv,
    /// case.toml and rules.json (the referral rules for the peers).
    Generate {
        /// Number of posts (e.g. 100k, 1M, 10M).
        #[arg(long, value_parser = parse_size)]
        posts: u64,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 20_260_302)]
        seed: u64,
        /// Folder with the Dutch sample texts (used when present).
        #[arg(long, default_value_os_t = default_nl_dir())]
        nl_dir: PathBuf,
    },
    /// Generate (when absent), run Dialoog and the peers on each size, check that all numbers are
    /// equal, print the table and write RESULTS.md.
    Run(run::Args),
    /// Read gzipped exports and compress their bytes as an ingest compresses its records, into
    /// OUT: what `run` times as the floor of an ingest that keeps the original records.
    Floor {
        /// Gzipped inputs, read one after another.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The compressed file to write.
        #[arg(long)]
        out: PathBuf,
    },
}

fn default_nl_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/nl")
}

/// "100k", "1M", "10M" or a plain number.
pub(crate) fn parse_size(text: &str) -> Result<u64, String> {
    let lower = text.trim().to_ascii_lowercase();
    let (digits, factor) = match lower.strip_suffix('k') {
        Some(d) => (d, 1_000),
        None => match lower.strip_suffix('m') {
            Some(d) => (d, 1_000_000),
            None => (lower.as_str(), 1),
        },
    };
    digits
        .replace('_', "")
        .parse::<u64>()
        .map(|n| n * factor)
        .map_err(|_| format!("'{text}' is not a size such as 100k, 1M or 250000"))
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Generate {
            posts,
            out,
            seed,
            nl_dir,
        } => {
            let dataset = generate::generate(posts, seed, &out, &nl_dir)?;
            println!("{}", serde_json::to_string_pretty(&dataset)?);
            Ok(())
        }
        Command::Run(args) => run::run(args),
        Command::Floor { inputs, out } => floor::floor(inputs, &out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_suffixes() {
        assert_eq!(parse_size("100k"), Ok(100_000));
        assert_eq!(parse_size("1M"), Ok(1_000_000));
        assert_eq!(parse_size("2500"), Ok(2_500));
        assert!(parse_size("lots").is_err());
    }
}
