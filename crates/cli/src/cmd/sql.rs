//! `dialoog sql`: SQL over a store.

use std::path::PathBuf;

/// Run SQL over a store's posts (table `posts`, one row per canonical post) and print the result.
///
/// Uses Apache DataFusion. Example:
/// `dialoog sql --store case.store "SELECT author_handle, count(*) AS n FROM posts GROUP BY 1 ORDER BY n DESC LIMIT 10"`.
/// The store's Parquet segments (STORE/segments/) are also readable directly by DuckDB, polars
/// and pandas. This command needs a build with the `sql` feature (`cargo build --release --features sql`),
/// which adds a few minutes to the build.
#[derive(clap::Args)]
pub struct Args {
    /// The store to query.
    #[arg(long, value_name = "STORE")]
    pub store: PathBuf,
    /// Print CSV instead of a table.
    #[arg(long)]
    pub csv: bool,
    /// The query, e.g. "SELECT kind, count(*) FROM posts GROUP BY kind".
    pub query: String,
}

#[cfg(feature = "sql")]
pub fn run(args: Args) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Write as _;
    let store = dialoog_store::Store::open_existing(&args.store)
        .with_context(|| format!("opening the store {}", args.store.display()))?;
    let batches = dialoog_store::sql(&store, &args.query)?;
    let text = if args.csv {
        dialoog_store::format_csv(&batches)?
    } else {
        dialoog_store::format_table(&batches)?
    };
    writeln!(std::io::stdout(), "{text}")?;
    Ok(())
}

#[cfg(not(feature = "sql"))]
pub fn run(args: Args) -> anyhow::Result<()> {
    let _ = (args.store, args.csv, args.query);
    anyhow::bail!(
        "this dialoog was built without its SQL engine: rebuild with `cargo build --release --features sql` \
         (or read STORE/segments/*.parquet with DuckDB, polars or pandas)"
    )
}
