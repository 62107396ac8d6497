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

use dialoog_analysis::{Factsheet, Network};
use std::io::Write;
use std::path::{Path, PathBuf};

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
    gexf::in_memory(|out| interaction_gexf(f, out))
}

/// The co-engagement network of a factsheet as GEXF 1.3 (undirected; edge type co_engagement).
pub fn render_co_engagement_gexf(f: &Factsheet) -> String {
    gexf::in_memory(|out| co_engagement_gexf(f, out))
}

fn interaction_gexf(f: &Factsheet, out: &mut impl Write) -> std::io::Result<()> {
    graph_gexf(f, &f.network.graph, INTERACTION, true, out)
}

fn co_engagement_gexf(f: &Factsheet, out: &mut impl Write) -> std::io::Result<()> {
    graph_gexf(f, &f.co_engagement.graph, CO_ENGAGEMENT, false, out)
}

fn graph_gexf(
    f: &Factsheet,
    graph: &dialoog_analysis::Graph,
    what: &str,
    directed: bool,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let creator = format!("Dialoog {}", f.method.dialoog_version);
    let date = f.generated_at.format("%Y-%m-%d").to_string();
    gexf::write_gexf(
        graph,
        &gexf::About {
            title: &f.title,
            creator: &creator,
            date: &date,
            what,
            directed,
        },
        out,
    )
}

/// The factsheet as a self-contained HTML page.
pub fn render_html(f: &Factsheet) -> Result<String, ReportError> {
    html::render(f)
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
    std::fs::create_dir_all(out).map_err(|source| ReportError::Io {
        path: out.to_owned(),
        source,
    })?;
    let written = Written {
        html: out.join("factsheet.html"),
        json: out.join("factsheet.json"),
        markdown: out.join("factsheet.md"),
        gexf: out.join("network.gexf"),
        co_engagement_gexf: out.join("co-engagement.gexf"),
    };
    // The networks stream to their temporary files while the pages render (at 10M posts each
    // takes seconds on one core); they are renamed into place only once every page rendered.
    let (pages, networks) = rayon::join(
        || {
            let (html, (json, markdown)) = rayon::join(
                || render_html(f),
                || rayon::join(|| render_json(f), || render_markdown(f)),
            );
            Ok::<_, ReportError>((html?, json?, markdown?))
        },
        || stage_networks(f, &written.gexf, &written.co_engagement_gexf),
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
    std::fs::create_dir_all(out).map_err(|source| ReportError::Io {
        path: out.to_owned(),
        source,
    })?;
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
/// `out/co-engagement.gexf` (for `dialoog export --to gexf`), creating `out` when absent.
pub fn write_networks(f: &Factsheet, out: &Path) -> Result<[PathBuf; 2], ReportError> {
    std::fs::create_dir_all(out).map_err(|source| ReportError::Io {
        path: out.to_owned(),
        source,
    })?;
    let paths = [out.join("network.gexf"), out.join("co-engagement.gexf")];
    let (network, co_engagement) = stage_networks(f, &paths[0], &paths[1])?;
    network.commit()?;
    co_engagement.commit()?;
    Ok(paths)
}

/// The interaction and co-engagement networks streamed side by side to temporary files beside
/// `network` and `co_engagement`.
fn stage_networks(
    f: &Factsheet,
    network: &Path,
    co_engagement: &Path,
) -> Result<(Staged, Staged), ReportError> {
    let (network, co_engagement) = rayon::join(
        || stage(network, |out| interaction_gexf(f, out)),
        || stage(co_engagement, |out| co_engagement_gexf(f, out)),
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
