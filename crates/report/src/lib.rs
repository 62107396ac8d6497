//! Renders a [`Factsheet`] three ways: a self-contained HTML page (inline CSS and SVG charts, no
//! script, no network; prints on A4), pretty JSON (every number the HTML shows, stable keys in
//! docs/factsheet-json.md) and Markdown (the same sections as headings and tables, for notes).
//!
//! Beside them, [`write_all`] writes the interaction and co-engagement networks as GEXF 1.3
//! ([`gexf`]).
//!
//! All text that comes from the data (post texts, handles, titles, event labels) is escaped.

pub mod charts;
pub mod compare;
pub mod export;
pub mod format;
mod gexf;
mod html;
mod markdown;
pub mod netplot;
mod privacy;
mod reaction;
#[doc(hidden)]
pub mod sample;
mod spread;

use chrono::{DateTime, Utc};
use dialoog_analysis::{Context, Factsheet, Graph, Network, NetworkKind};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// Errors from rendering or writing a factsheet; file errors name the path.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("rendering the factsheet template {template}: {source}")]
    Template {
        template: &'static str,
        #[source]
        source: minijinja::Error,
    },
    #[error("writing the factsheet as JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("making the rows to export: {0}")]
    Model(#[from] dialoog_model::ModelError),
    #[error("making the rows to export: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    #[error("{path}: {source}")]
    Parquet {
        path: PathBuf,
        #[source]
        source: parquet::errors::ParquetError,
    },
    #[error("{path}: {source}")]
    Csv {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The files [`write_all`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub html: PathBuf,
    pub json: PathBuf,
    pub markdown: PathBuf,
    /// The interaction network, GEXF 1.3.
    pub gexf: PathBuf,
    /// The co-engagement network, GEXF 1.3.
    pub co_engagement_gexf: PathBuf,
}

const INTERACTION: &str = "Interaction network: accounts linked by replies, mentions, reshares and quotes (typed, directed, weighted by posts)";
const CO_ENGAGEMENT: &str = "Co-engagement network: accounts linked when both react to the same posts (undirected, weighted by shared posts, weak links pruned)";

/// The interaction network of a factsheet as a GEXF 1.3 document (the whole graph, not only the
/// top accounts): node attributes role, focus, in_degree, out_degree, pagerank, betweenness;
/// edge weight and attribute type.
pub fn gexf(network: &Network) -> String {
    let creator = format!("Dialoog {}", env!("CARGO_PKG_VERSION"));
    gexf::gexf(
        &network.graph,
        &gexf::About {
            title: "",
            creator: &creator,
            date: "",
            what: INTERACTION,
            directed: true,
        },
    )
}

/// [`gexf`] with the factsheet's title, version and date in its meta element.
pub fn render_gexf(f: &Factsheet) -> String {
    render_network(f, NetworkKind::Interaction)
}

/// The co-engagement network of a factsheet as GEXF 1.3 (undirected; edge type co_engagement).
pub fn render_co_engagement_gexf(f: &Factsheet) -> String {
    render_network(f, NetworkKind::CoEngagement)
}

fn render_network(f: &Factsheet, kind: NetworkKind) -> String {
    gexf::in_memory(|out| network_gexf(&Meta::of(f), kind, graph_of(f, kind), out))
}

fn graph_of(f: &Factsheet, kind: NetworkKind) -> &Graph {
    match kind {
        NetworkKind::Interaction => &f.network.graph,
        NetworkKind::CoEngagement => &f.co_engagement.graph,
    }
}

/// What a factsheet's GEXF files say of themselves: the case's title, the version that made
/// them and the day.
struct Meta {
    title: String,
    creator: String,
    date: String,
}

impl Meta {
    fn new(title: &str, version: &str, generated_at: DateTime<Utc>) -> Meta {
        Meta {
            title: title.to_owned(),
            creator: format!("Dialoog {version}"),
            date: generated_at.format("%Y-%m-%d").to_string(),
        }
    }

    fn of(f: &Factsheet) -> Meta {
        Meta::new(&f.title, &f.method.dialoog_version, f.generated_at)
    }
}

fn network_gexf(
    meta: &Meta,
    kind: NetworkKind,
    graph: &Graph,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let (what, directed) = match kind {
        NetworkKind::Interaction => (INTERACTION, true),
        NetworkKind::CoEngagement => (CO_ENGAGEMENT, false),
    };
    gexf::write_gexf(
        graph,
        &gexf::About {
            title: &meta.title,
            creator: &meta.creator,
            date: &meta.date,
            what,
            directed,
        },
        out,
    )
}

/// A network's GEXF file in a factsheet's folder.
fn network_file(out: &Path, kind: NetworkKind) -> PathBuf {
    out.join(match kind {
        NetworkKind::Interaction => "network.gexf",
        NetworkKind::CoEngagement => "co-engagement.gexf",
    })
}

/// A network streamed to a temporary file beside its place in `out`.
fn stage_network(
    meta: &Meta,
    out: &Path,
    kind: NetworkKind,
    graph: &Graph,
) -> Result<Staged, ReportError> {
    stage(&network_file(out, kind), |file| {
        network_gexf(meta, kind, graph, file)
    })
}

fn create_dir(out: &Path) -> Result<(), ReportError> {
    std::fs::create_dir_all(out).map_err(|source| ReportError::Io {
        path: out.to_owned(),
        source,
    })
}

/// The factsheet as a self-contained HTML page.
pub fn render_html(f: &Factsheet) -> Result<String, ReportError> {
    html::render(f, None)
}

/// The factsheet as pretty JSON: the serialisation of [`Factsheet`], ending in a newline.
pub fn render_json(f: &Factsheet) -> Result<String, ReportError> {
    let mut text = serde_json::to_string_pretty(f)?;
    text.push('\n');
    Ok(text)
}

/// The factsheet as Markdown: the same sections, tables instead of charts.
pub fn render_markdown(f: &Factsheet) -> Result<String, ReportError> {
    Ok(markdown::render(f))
}

/// Renders all three and writes `out/factsheet.html`, `factsheet.json` and `factsheet.md`, and the
/// interaction and co-engagement networks as `out/network.gexf` and `out/co-engagement.gexf`,
/// creating `out` when absent. Each file is written to a temporary file beside it and renamed into
/// place, so a reader never sees half a file; nothing is written when rendering fails.
pub fn write_all(f: &Factsheet, out: &Path) -> Result<Written, ReportError> {
    write_pages_beside(f, out, [None, None], None)
}

/// The networks' GEXF files streamed while a factsheet is computed: [`EarlyNetworks::write`] is
/// the hook of [`dialoog_analysis::factsheet_of_table_with`], called as each graph is final,
/// and [`write_all_with`] renders the pages and puts every file in place. At 10M posts the
/// interaction network's 1.9 GB of XML otherwise took the last two seconds, on one core.
pub struct EarlyNetworks {
    out: PathBuf,
    meta: Meta,
    /// By [`NetworkKind`]: interaction, co-engagement.
    staged: [Mutex<Option<Result<Staged, ReportError>>>; 2],
    /// The interaction network's accounts drawn on the page: choosing them reads the whole
    /// graph (half a second at 10M posts), done beside its GEXF instead of last.
    drawing: Mutex<Option<netplot::Drawing>>,
}

impl EarlyNetworks {
    /// For the factsheet of `context`, to be written to the folder `out`.
    pub fn new(out: &Path, context: &Context) -> EarlyNetworks {
        EarlyNetworks {
            out: out.to_owned(),
            meta: Meta::new(
                &context.case.title,
                &context.dialoog_version,
                context.generated_at,
            ),
            staged: [Mutex::new(None), Mutex::new(None)],
            drawing: Mutex::new(None),
        }
    }

    /// Streams a network to a temporary file beside its place (creating the folder); a failure
    /// is reported by [`write_all_with`].
    /// A network handed over again replaces the one before.
    pub fn write(&self, kind: NetworkKind, graph: &Graph) {
        let slot = &self.staged[kind as usize];
        // Both use one temporary file: the one before goes first, or dropping it later would
        // remove the new one.
        drop(locked(slot).take());
        let stage = || {
            create_dir(&self.out).and_then(|()| stage_network(&self.meta, &self.out, kind, graph))
        };
        let staged = match kind {
            NetworkKind::Interaction => {
                let (staged, drawing) = rayon::join(stage, || netplot::Drawing::of(graph));
                *locked(&self.drawing) = Some(drawing);
                staged
            }
            NetworkKind::CoEngagement => stage(),
        };
        *locked(slot) = Some(staged);
    }
}

/// [`write_all`] to the folder of `early`, for the factsheet whose graphs it was handed: those
/// networks are put in place as streamed, the others are written now.
pub fn write_all_with(f: &Factsheet, early: EarlyNetworks) -> Result<Written, ReportError> {
    let EarlyNetworks {
        out,
        staged,
        drawing,
        ..
    } = early;
    let staged = staged.map(|slot| slot.into_inner().unwrap_or_else(PoisonError::into_inner));
    let drawing = drawing.into_inner().unwrap_or_else(PoisonError::into_inner);
    write_pages_beside(f, &out, staged, drawing.as_ref())
}

/// What a mutex holds, also after a thread panicked holding it (the values here are whole).
fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Renders the pages while the networks not `staged` yet stream to disk (at 10M posts each
/// takes seconds on one core); every file is renamed into place only once every page rendered.
fn write_pages_beside(
    f: &Factsheet,
    out: &Path,
    staged: [Option<Result<Staged, ReportError>>; 2],
    drawing: Option<&netplot::Drawing>,
) -> Result<Written, ReportError> {
    create_dir(out)?;
    let written = Written {
        html: out.join("factsheet.html"),
        json: out.join("factsheet.json"),
        markdown: out.join("factsheet.md"),
        gexf: network_file(out, NetworkKind::Interaction),
        co_engagement_gexf: network_file(out, NetworkKind::CoEngagement),
    };
    let (pages, networks) = rayon::join(
        || {
            let (html, (json, markdown)) = rayon::join(
                || html::render(f, drawing),
                || rayon::join(|| render_json(f), || render_markdown(f)),
            );
            Ok::<_, ReportError>((html?, json?, markdown?))
        },
        || stage_networks(f, out, staged),
    );
    let (html, json, markdown) = pages?;
    let (network, co_engagement) = networks?;
    write_atomic(&written.html, &html)?;
    write_atomic(&written.json, &json)?;
    write_atomic(&written.markdown, &markdown)?;
    network.commit()?;
    co_engagement.commit()?;
    Ok(written)
}

/// The files [`write_compare`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenCompare {
    pub html: PathBuf,
    pub markdown: PathBuf,
    pub json: PathBuf,
}

/// Renders several cases side by side and writes `out/compare.html`, `compare.md` and
/// `compare.json` (each atomically), creating `out` when absent.
pub fn write_compare(cases: &[compare::Case], out: &Path) -> Result<WrittenCompare, ReportError> {
    let html = compare::render_html(cases)?;
    let markdown = compare::render_markdown(cases);
    let json = compare::render_json(cases)?;
    create_dir(out)?;
    let written = WrittenCompare {
        html: out.join("compare.html"),
        markdown: out.join("compare.md"),
        json: out.join("compare.json"),
    };
    write_atomic(&written.html, &html)?;
    write_atomic(&written.markdown, &markdown)?;
    write_atomic(&written.json, &json)?;
    Ok(written)
}

/// The interaction and co-engagement networks of a factsheet as `out/network.gexf` and
/// `out/co-engagement.gexf` (for `dialoog export --to gexf`), side by side, creating `out` when
/// absent.
pub fn write_networks(f: &Factsheet, out: &Path) -> Result<[PathBuf; 2], ReportError> {
    create_dir(out)?;
    let (network, co_engagement) = stage_networks(f, out, [None, None])?;
    network.commit()?;
    co_engagement.commit()?;
    Ok([
        network_file(out, NetworkKind::Interaction),
        network_file(out, NetworkKind::CoEngagement),
    ])
}

/// Both networks of a factsheet side by side: each as `staged` holds it, or streamed now to a
/// temporary file in `out`.
fn stage_networks(
    f: &Factsheet,
    out: &Path,
    staged: [Option<Result<Staged, ReportError>>; 2],
) -> Result<(Staged, Staged), ReportError> {
    let meta = Meta::of(f);
    let stage_of = |kind| stage_network(&meta, out, kind, graph_of(f, kind));
    let [network, co_engagement] = staged;
    let (network, co_engagement) = rayon::join(
        || network.unwrap_or_else(|| stage_of(NetworkKind::Interaction)),
        || co_engagement.unwrap_or_else(|| stage_of(NetworkKind::CoEngagement)),
    );
    Ok((network?, co_engagement?))
}

/// Writes a file into a temporary file beside it, then renames it into place, so a reader never
/// sees half a file.
pub(crate) fn write_atomic(path: &Path, text: impl AsRef<[u8]>) -> Result<(), ReportError> {
    stage(path, |out| out.write_all(text.as_ref()))?.commit()
}

/// Writes a file through `write` into a temporary file beside `path`, to be renamed into place by
/// [`Staged::commit`]; removed if never committed.
fn stage(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> Result<Staged, ReportError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staged = Staged {
        tmp: path.with_file_name(format!(".{name}.{}.tmp", std::process::id())),
        path: path.to_owned(),
    };
    std::fs::File::create(&staged.tmp)
        .and_then(|file| {
            let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
            write(&mut out)?;
            out.into_inner().map_err(|error| error.into_error())?;
            Ok(())
        })
        .map_err(|source| ReportError::Io {
            path: staged.tmp.clone(),
            source,
        })?;
    Ok(staged)
}

/// A file written in full beside its place, not yet renamed into it.
struct Staged {
    tmp: PathBuf,
    path: PathBuf,
}

impl Staged {
    fn commit(self) -> Result<(), ReportError> {
        std::fs::rename(&self.tmp, &self.path).map_err(|source| ReportError::Io {
            path: self.path.clone(),
            source,
        })
        // On failure `self` drops here and removes the temporary file.
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // After a rename there is nothing left to remove; the error is then expected.
        let _ = std::fs::remove_file(&self.tmp);
    }
}
