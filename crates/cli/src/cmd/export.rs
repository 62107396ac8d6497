//! `dialoog export`: the canonical rows with their enrichments, or the networks, from a store.

use super::factsheet::{Overrides, load_case};
use super::privacy::PrivacyArgs;
use anyhow::Context as _;
use chrono::Utc;
use dialoog_analysis::Context;
use dialoog_store::Store;
use std::io::Write as _;
use std::path::PathBuf;

/// Export a store's posts (Parquet or CSV) or its networks (GEXF), redacted by default.
///
/// parquet and csv: one row per post, the canonical columns and the enrichments role, focus,
/// language, sentiment, question, mode, referral (focus accounts' posts) and personal_data (the
/// types found). gexf: OUT/network.gexf (interaction network) and OUT/co-engagement.gexf, as the
/// factsheet makes them. Personal data in texts, names and links shows as [BSN], [PHONE], …
/// unless --no-redact; --pseudonymise KEYFILE replaces every author that is not a focus account
/// by a keyed hash. With --case, only posts in the case period.
#[derive(clap::Args)]
pub struct Args {
    /// The store to read (made by `dialoog ingest`).
    #[arg(long, value_name = "STORE")]
    pub store: PathBuf,
    /// What to write.
    #[arg(long, value_enum)]
    pub to: Target,
    /// Output file (parquet, csv) or folder (gexf). Default: export.parquet, export.csv or
    /// export/.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Account registry (CSV or TOML): roles, and who the focus accounts are. Overrides the case
    /// file's registry.
    #[arg(long, value_name = "accounts.csv")]
    pub registry: Option<PathBuf>,
    /// Case file (TOML): period, focus accounts.
    #[arg(long, value_name = "case.toml")]
    pub case: Option<PathBuf>,
    #[command(flatten)]
    pub overrides: Overrides,
    #[command(flatten)]
    pub privacy: PrivacyArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Parquet,
    Csv,
    Gexf,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    for path in export(&args)? {
        writeln!(std::io::stdout(), "{}", path.display())?;
    }
    Ok(())
}

/// Writes the export and returns the files written.
pub fn export(args: &Args) -> anyhow::Result<Vec<PathBuf>> {
    let store = Store::open_existing(&args.store)
        .with_context(|| format!("opening the store {}", args.store.display()))?;
    let (case, registry, registry_path) = load_case(
        args.case.as_deref(),
        args.registry.as_deref(),
        &args.overrides,
    )?;
    let mut posts = store.read_posts()?;
    posts.retain(|p| case.in_period(p));
    let (registry, options) = args.privacy.apply(&mut posts, registry, &case)?;
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from(match args.to {
            Target::Parquet => "export.parquet",
            Target::Csv => "export.csv",
            Target::Gexf => "export",
        })
    });
    match args.to {
        Target::Parquet | Target::Csv => {
            let batch = dialoog_report::export::batch(&posts, &registry, &case, options.redact)?;
            if args.to == Target::Parquet {
                dialoog_report::export::write_parquet(&batch, &out)?;
            } else {
                dialoog_report::export::write_csv(&batch, &out)?;
            }
            Ok(vec![out])
        }
        Target::Gexf => {
            let context = Context {
                case: &case,
                registry: &registry,
                inputs: Vec::new(),
                skipped: Vec::new(),
                store: args.store.display().to_string(),
                registry_path: registry_path.map(|p| p.display().to_string()),
                case_path: args.case.as_ref().map(|p| p.display().to_string()),
                dialoog_version: env!("CARGO_PKG_VERSION").to_owned(),
                generated_at: Utc::now(),
            };
            let factsheet = dialoog_analysis::build_factsheet_with(&posts, &context, options)?;
            Ok(dialoog_report::write_networks(&factsheet, &out)?.to_vec())
        }
    }
}
