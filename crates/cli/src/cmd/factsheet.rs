//! `dialoog factsheet`: the case factsheet from a store.

use super::privacy::PrivacyArgs;
use anyhow::Context as _;
use chrono::Utc;
use dialoog_analysis::{Context, Factsheet, PrivacyOptions, Texts, shown_text};
use dialoog_model::{Case, Platform, PostRef, PostTable, Registry};
use dialoog_report::{EarlyNetworks, Written};
use dialoog_store::Store;
use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Make a case factsheet from a store: OUT/factsheet.html, factsheet.json and factsheet.md.
///
/// The factsheet shows the case in numbers, activity over time by role, the government's voice
/// (posts by participation mode, the share of replies that refer people to another channel) and
/// the dialogue (how many posts addressed to government were answered, and how fast), with its
/// method and provenance. The HTML is self-contained (no network) and prints on A4; the JSON holds
/// every number in it (stable keys: see docs/factsheet-json.md).
///
/// Personal data (BSN, IBAN, phone numbers, e-mail and postal addresses, licence plates, dates of
/// birth) is counted in section 8 and redacted in every output unless --no-redact is given;
/// --pseudonymise KEYFILE replaces every author that is not a focus account by a keyed hash.
///
/// "Government" means the case's focus accounts: by default every account the registry gives the
/// role government; a case file may name other accounts or roles instead.
#[derive(clap::Args)]
pub struct Args {
    /// The store to read (made by `dialoog ingest`).
    #[arg(long, value_name = "STORE")]
    pub store: PathBuf,
    /// Account registry (CSV or TOML: platform, handle, id, role, organisation, level). Overrides
    /// the case file's registry.
    #[arg(long, value_name = "accounts.csv")]
    pub registry: Option<PathBuf>,
    /// Case file (TOML): title, description, period, focus accounts, time zone, events.
    #[arg(long, value_name = "case.toml")]
    pub case: Option<PathBuf>,
    /// Output folder (created when absent).
    #[arg(long, value_name = "OUT", default_value = "factsheet")]
    pub out: PathBuf,
    #[command(flatten)]
    pub overrides: Overrides,
    #[command(flatten)]
    pub privacy: PrivacyArgs,
}

/// What the command line overrides in the case file.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Overrides {
    /// Time zone of the activity chart, bursts and periods (IANA name, e.g. "Europe/Amsterdam" or
    /// "UTC"). Overrides the case file's time_zone; default Europe/Amsterdam.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Co-engagement links below this many shared posts are pruned. Overrides the case file's
    /// co_engagement_min_weight; default 5, the study's.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub co_engagement_min_weight: Option<u64>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let written = make(
        &args.store,
        args.case.as_deref(),
        args.registry.as_deref(),
        &args.out,
        &args.overrides,
        &args.privacy,
    )?;
    writeln!(std::io::stdout(), "{}", written.html.display())?;
    writeln!(std::io::stdout(), "{}", written.json.display())?;
    writeln!(std::io::stdout(), "{}", written.markdown.display())?;
    Ok(())
}

pub fn make(
    store_path: &Path,
    case_path: Option<&Path>,
    registry_path: Option<&Path>,
    out: &Path,
    overrides: &Overrides,
    privacy: &PrivacyArgs,
) -> anyhow::Result<Written> {
    let store = Store::open_existing(store_path)
        .with_context(|| format!("opening the store {}", store_path.display()))?;
    let (case, registry, registry_path) = load_case(case_path, registry_path, overrides)?;
    // The analyses need each post's link only for its host, and its text only until the text
    // measures are done; the few posts the factsheet shows get both read again afterwards.
    // Pseudonymised posts have their links and texts rewritten, so those are kept.
    let read_again = !privacy.options().pseudonymised;
    let table = if read_again {
        // Each segment's links made hosts as it is read: whole, the links were 0.8 GB at 10M
        // posts, read only to be dropped.
        let segments = store.map_segments_only(dialoog_analysis::POST_COLUMNS, |batches| {
            anyhow::Ok(PostTable::new(&batches)?.with_url_hosts())
        });
        segments.map(PostTable::concat)
    } else {
        let batches = store.read_batches_only(dialoog_analysis::POST_COLUMNS);
        batches
            .map_err(anyhow::Error::from)
            .and_then(|batches| Ok(PostTable::new(&batches)?))
    }
    .with_context(|| format!("reading the store {}", store_path.display()))?;
    let (table, registry, options) = privacy.apply_to_table(table, registry, &case)?;
    let runs = &store.manifest().runs;
    let context = Context {
        case: &case,
        registry: &registry,
        inputs: runs.iter().flat_map(|run| run.files.clone()).collect(),
        skipped: runs.iter().flat_map(|run| run.skipped.clone()).collect(),
        store: store_path.display().to_string(),
        registry_path: registry_path.map(|p| p.display().to_string()),
        case_path: case_path.map(|p| p.display().to_string()),
        dialoog_version: env!("CARGO_PKG_VERSION").to_owned(),
        generated_at: Utc::now(),
    };
    let texts = if read_again {
        Texts::Release
    } else {
        Texts::Keep
    };
    let networks = EarlyNetworks::new(out, &context);
    let on_network = |kind, graph: &_| networks.write(kind, graph);
    let mut factsheet =
        dialoog_analysis::factsheet_of_table_with(table, &context, options, texts, &on_network)?;
    if read_again {
        read_shown_posts(&store, &case, options, &mut factsheet)
            .with_context(|| format!("reading the store {}", store_path.display()))?;
    }
    Ok(dialoog_report::write_all_with(&factsheet, networks)?)
}

/// Fills in the links and texts of the posts the factsheet shows from the store: each is the
/// row the analyses took it from, the first in the case period with its platform and id; the
/// text as the analyses showed it ([`dialoog_analysis::shown_text`]).
fn read_shown_posts(
    store: &Store,
    case: &Case,
    options: PrivacyOptions,
    factsheet: &mut Factsheet,
) -> anyhow::Result<()> {
    let shown = match shown_by_row(store, factsheet)? {
        Some(shown) => shown,
        // An ingest committed since the table was read and the rows moved: each post is looked
        // for by its platform and id instead.
        None => shown_by_id(store, case, factsheet)?,
    };
    for post in factsheet.example_posts_mut() {
        let found = post
            .platform
            .parse::<Platform>()
            .ok()
            .and_then(|platform| shown.get(&(platform, post.id.clone())));
        post.url = found.and_then(|f| f.url.clone());
        post.text = found.map_or_else(String::new, |f| shown_text(&f.text, options));
    }
    Ok(())
}

/// Platform and kind: a table reads them on every row.
const SHOWN_COLUMNS: [&str; 6] = ["platform", "kind", "id", "created_at", "url", "text"];

/// The shown posts read at their rows: only the segments and pages holding them. `None` when a
/// post has no row, or its row holds another post now.
fn shown_by_row(
    store: &Store,
    factsheet: &mut Factsheet,
) -> anyhow::Result<Option<HashMap<(Platform, String), Shown>>> {
    let Some(mut rows) = factsheet
        .example_posts_mut()
        .map(|post| post.row)
        .collect::<Option<Vec<u64>>>()
    else {
        return Ok(None);
    };
    // The store gives the rows ascending, each once.
    rows.sort_unstable();
    rows.dedup();
    let batches = store.read_rows_only(&SHOWN_COLUMNS, &rows)?;
    let table = PostTable::new(&batches)?;
    if table.len() != rows.len() {
        return Ok(None);
    }
    let at: HashMap<u64, PostRef> = rows.iter().copied().zip(table.rows()).collect();
    let mut shown = HashMap::new();
    for post in factsheet.example_posts_mut() {
        let row = post.row.and_then(|row| at.get(&row));
        let Some(row) = row.filter(|row| row.id() == post.id) else {
            return Ok(None);
        };
        if row.platform().to_string() != post.platform {
            return Ok(None);
        }
        shown.insert(
            (row.platform(), row.id().to_owned()),
            Shown {
                url: row.url().map(str::to_owned),
                text: row.text().to_owned(),
            },
        );
    }
    Ok(Some(shown))
}

/// The shown posts looked for by platform and id in every segment: each one's first row in the
/// case period, as the analyses pick them.
fn shown_by_id(
    store: &Store,
    case: &Case,
    factsheet: &mut Factsheet,
) -> anyhow::Result<HashMap<(Platform, String), Shown>> {
    let mut wanted: HashMap<Platform, HashSet<String>> = HashMap::new();
    for post in factsheet.example_posts_mut() {
        if let Ok(platform) = post.platform.parse::<Platform>() {
            wanted.entry(platform).or_default().insert(post.id.clone());
        }
    }
    // Each segment's first row in the period for each post shown, with its link and text.
    let per_segment = store.map_segments_only(&SHOWN_COLUMNS, |batches| {
        let rows = PostTable::new(&batches)?;
        let mut found: HashMap<(Platform, String), Shown> = HashMap::new();
        for row in rows.rows() {
            let shown = wanted
                .get(&row.platform())
                .is_some_and(|ids| ids.contains(row.id()));
            if shown && case.in_period_at(row.created_at()) {
                found
                    .entry((row.platform(), row.id().to_owned()))
                    .or_insert_with(|| Shown {
                        url: row.url().map(str::to_owned),
                        text: row.text().to_owned(),
                    });
            }
        }
        anyhow::Ok(found)
    })?;
    let mut shown: HashMap<(Platform, String), Shown> = HashMap::new();
    for found in per_segment {
        for (key, post) in found {
            shown.entry(key).or_insert(post);
        }
    }
    Ok(shown)
}

/// What is read again of a post the factsheet shows.
struct Shown {
    url: Option<String>,
    text: String,
}

/// The case file (or the default case) with the command line's overrides, and the registry
/// (`--registry`, else the case's) with its path; warns when no account can be government.
pub fn load_case(
    case_path: Option<&Path>,
    registry_path: Option<&Path>,
    overrides: &Overrides,
) -> anyhow::Result<(Case, Registry, Option<PathBuf>)> {
    let mut case = match case_path {
        Some(path) => Case::load(path)?,
        None => Case::default(),
    };
    if let Some(tz) = &overrides.tz {
        case.time_zone = tz.clone();
    }
    if let Some(weight) = overrides.co_engagement_min_weight {
        case.co_engagement_min_weight = Some(weight);
    }
    let registry_path = registry_path
        .map(Path::to_path_buf)
        .or_else(|| case.registry.clone());
    let registry = match &registry_path {
        Some(path) => Registry::load(path)?,
        None => Registry::default(),
    };
    if registry.is_empty() && case.focus.is_empty() {
        eprintln!(
            "dialoog: warning: no registry and no focus accounts: every author counts as a citizen, \
             so the government measures are empty (give --registry accounts.csv)"
        );
    }
    Ok((case, registry, registry_path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dialoog_model::{IngestRun, Post};

    /// A store of five posts, ids 0 to 4, each with its own text and link.
    fn store(dir: &Path) -> Store {
        let mut store = Store::open(dir).unwrap();
        let mut writer = store.writer().unwrap();
        for i in 0..5 {
            let at = chrono::DateTime::from_timestamp(1_700_000_000 + i * 60, 0).unwrap();
            let mut post = Post::new(Platform::Twitter, i.to_string(), at, "a1", "a");
            post.text = format!("text {i}");
            post.url = Some(format!("https://x.com/a/status/{i}"));
            writer.add(post).unwrap();
        }
        writer.commit(IngestRun::default()).unwrap();
        store
    }

    /// The sample factsheet with its shown posts made posts of the store: the k-th shown post is
    /// post k % 5, said to be at row `row(k % 5)`, with its link and text blanked.
    fn shown_from(row: impl Fn(u64) -> u64) -> Factsheet {
        let mut factsheet = dialoog_report::sample::webcare();
        for (k, post) in factsheet.example_posts_mut().enumerate() {
            let i = k as u64 % 5;
            post.platform = Platform::Twitter.to_string();
            post.id = i.to_string();
            post.row = Some(row(i));
            (post.url, post.text) = (None, String::new());
        }
        factsheet
    }

    /// Reads the shown posts back as `make` does (default case and privacy) and checks that each
    /// got its own link and text.
    fn assert_read_back(store: &Store, factsheet: &mut Factsheet) {
        let (case, options) = (Case::default(), PrivacyOptions::default());
        read_shown_posts(store, &case, options, factsheet).unwrap();
        let mut seen = 0;
        for post in factsheet.example_posts_mut() {
            assert_eq!(post.text, format!("text {}", post.id));
            assert_eq!(
                post.url,
                Some(format!("https://x.com/a/status/{}", post.id))
            );
            seen += 1;
        }
        assert!(seen >= 5, "{seen} shown posts");
    }

    #[test]
    fn shown_posts_are_read_at_their_rows() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let mut factsheet = shown_from(|i| i);
        assert!(shown_by_row(&store, &mut factsheet).unwrap().is_some());
        assert_read_back(&store, &mut factsheet);
    }

    #[test]
    fn shown_posts_whose_rows_moved_are_found_by_id() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        // Rows that hold other posts, or none.
        let moves: [fn(u64) -> u64; 2] = [|i| (i + 1) % 5, |i| i + 5];
        for moved in moves {
            let mut factsheet = shown_from(moved);
            assert!(shown_by_row(&store, &mut factsheet).unwrap().is_none());
            assert_read_back(&store, &mut factsheet);
        }
    }
}
