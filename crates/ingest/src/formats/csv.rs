//! CSV (or other delimited text) with a TOML column mapping that names, for each field of the
//! canonical post, the column that holds it. See [`Mapping`].
//!
//! Lines end at `\n` only (a bare `\r` inside a field stays part of it; a `\r` before the `\n` is
//! dropped). Ids written as integral floats (`3.0`) become integers (`3`); a non-integral one is
//! quarantined. Mentions, hashtags and URLs are taken from the text. The record number is the line
//! on which the row starts in the file (the header is line 1 unless `header_row` or an Excel
//! `sep=` line puts it lower).

use super::fields::{CsvRow, Fields, parse_count};
use super::{Handler, TWITTER_TIME, parse_rfc3339, parse_twitter_time, parse_with_format_in};
use crate::context::{Ctx, Reject};
use crate::lines::CappedLines;
use crate::{Format, IngestError, InputFile, Options, Post, entities, input};
use chrono::{DateTime, Utc};
use csv::{ByteRecord, ReaderBuilder, Terminator};
use dialoog_model::{Platform, PostKind};
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub(crate) const HANDLER: Handler = Handler {
    format: Format::Csv,
    name: "csv",
    description: "CSV with a TOML column mapping (--mapping, NAME.mapping.toml or mapping.toml beside it)",
    example: "dialoog ingest posts.csv --mapping posts.mapping.toml --store case.store",
    sniff,
    read,
};

/// Which column holds which field, and how to read it. Column names are matched exactly (after
/// trimming spaces). `id`, `created_at` and one of `author_id`/`author_handle` are required; each
/// falls back on the other of the two author columns.
///
/// ```toml
/// platform = "twitter"
/// time_format = "twitter"        # "rfc3339", "twitter", "unix", or a chrono format string
/// time_zone = "Europe/Amsterdam" # optional: the zone of times without an offset (default UTC)
/// delimiter = ","                # optional, default "," (or what a `sep=;` first line names)
/// encoding = "windows-1252"      # optional: a CSV that is not UTF-8 (UTF-16 needs none)
/// header_row = 3                 # optional: the line of the column names, below a title
/// url = "https://twitter.com/{author_handle}/status/{id}"   # optional template
/// link = "permalink"             # optional: the column with each post's own link
/// id = "tweet_id"
/// created_at = "created_at"
/// author_id = "author_id"
/// author_handle = "author_id"
/// text = "text"
/// in_reply_to_id = "in_response_to_tweet_id"
/// ```
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub platform: Platform,
    #[serde(default = "default_time_format")]
    pub time_format: String,
    /// The zone (IANA name) of times written without an offset: a chrono `time_format` without
    /// `%z`, and a spreadsheet's date cells. UTC when absent. Times with an offset, Twitter's and
    /// unix times are absolute.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// `time_zone`, checked by [`Mapping::load`].
    #[serde(skip)]
    pub(crate) zone: Option<chrono_tz::Tz>,
    #[serde(default)]
    pub delimiter: Option<String>,
    /// The file's text encoding when it is not UTF-8, by its WHATWG label: `windows-1252` is what
    /// Excel saves CSV in on Windows. Only encodings that write ASCII as ASCII: UTF-16 is told by
    /// its byte-order mark, without a mapping.
    #[serde(default)]
    pub encoding: Option<String>,
    /// `encoding`, checked by [`Mapping::load`].
    #[serde(skip)]
    pub(crate) text_encoding: Option<&'static encoding_rs::Encoding>,
    /// Permalink template with `{id}`, `{author_id}` and `{author_handle}`; Twitter's is the
    /// default for platform twitter.
    #[serde(default)]
    pub url: Option<String>,
    /// The column holding each post's own link (its permalink), as monitoring tools export
    /// one: it goes before the `url` template. Such a column can be the `id` as well, when the
    /// export has no ids.
    #[serde(default)]
    pub link: Option<String>,
    /// The text column holds tweet text as Twitter's API gives it, with `&`, `<` and `>` written
    /// as `&amp;`, `&lt;` and `&gt;`: undo that.
    #[serde(default)]
    pub twitter_escaped_text: bool,
    /// The worksheet of a spreadsheet to read, by name (default: the first).
    #[serde(default)]
    pub sheet: Option<String>,
    /// The line (CSV) or row (spreadsheet, as numbered there) the column names are on, when a
    /// report's title or filters come first, as in some monitoring tools' exports and hand-made
    /// sheets. Default: the first line; in a spreadsheet, its first row with a value.
    #[serde(default)]
    pub header_row: Option<u64>,
    pub id: String,
    pub created_at: String,
    #[serde(default)]
    pub author_id: Option<String>,
    #[serde(default)]
    pub author_handle: Option<String>,
    #[serde(default)]
    pub author_name: Option<String>,
    #[serde(default)]
    pub author_followers: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    #[serde(default)]
    pub in_reply_to_id: Option<String>,
    #[serde(default)]
    pub in_reply_to_author_id: Option<String>,
    #[serde(default)]
    pub reshare_of_id: Option<String>,
    #[serde(default)]
    pub quote_of_id: Option<String>,
    #[serde(default)]
    pub likes: Option<String>,
    #[serde(default)]
    pub reshares: Option<String>,
    #[serde(default)]
    pub replies: Option<String>,
    #[serde(default)]
    pub quotes: Option<String>,
    #[serde(default)]
    pub views: Option<String>,
}

fn default_time_format() -> String {
    "rfc3339".to_owned()
}

impl Mapping {
    /// Reads a mapping file.
    pub fn load(path: &Path) -> Result<Mapping, IngestError> {
        let text = std::fs::read_to_string(path).map_err(|e| IngestError::io(path, e))?;
        let mapping: Mapping = toml::from_str(&text).map_err(|e| IngestError::Mapping {
            path: path.to_owned(),
            message: format!("invalid column mapping: {e}"),
        })?;
        if mapping.author_id.is_none() && mapping.author_handle.is_none() {
            return Err(IngestError::Mapping {
                path: path.to_owned(),
                message: "the mapping names neither an author_id nor an author_handle column"
                    .into(),
            });
        }
        mapping
            .delimiter_byte()
            .map_err(|message| IngestError::Mapping {
                path: path.to_owned(),
                message,
            })?;
        if mapping.header_row == Some(0) {
            return Err(IngestError::Mapping {
                path: path.to_owned(),
                message: "header_row counts from 1 (the first line)".into(),
            });
        }
        let mut mapping = mapping;
        mapping.text_encoding = match &mapping.encoding {
            None => None,
            Some(label) => Some(
                encoding_rs::Encoding::for_label(label.trim().as_bytes())
                    .filter(|e| e.is_ascii_compatible())
                    .ok_or_else(|| IngestError::Mapping {
                        path: path.to_owned(),
                        message: format!(
                            "unknown encoding '{label}': give a label such as windows-1252 or iso-8859-15 (UTF-16 is read by its byte-order mark, as Excel writes it: leave encoding out)"
                        ),
                    })?,
            ),
        };
        mapping.zone = match &mapping.time_zone {
            None => None,
            Some(name) => Some(name.parse().map_err(|_| IngestError::Mapping {
                path: path.to_owned(),
                message: format!(
                    "unknown time_zone '{name}': give an IANA name such as Europe/Amsterdam"
                ),
            })?),
        };
        Ok(mapping)
    }

    /// Lines (or rows) before the header.
    pub(crate) fn before_header(&self) -> u64 {
        self.header_row.unwrap_or(1).saturating_sub(1)
    }

    fn delimiter_byte(&self) -> Result<u8, String> {
        match self.delimiter.as_deref() {
            None => Ok(b','),
            Some("\\t" | "tab") => Ok(b'\t'),
            Some(d) if d.len() == 1 => d.bytes().next().ok_or_else(|| "empty delimiter".to_owned()),
            Some(d) => Err(format!(
                "delimiter must be one ASCII character (or \"tab\"), not '{d}'"
            )),
        }
    }
}

/// `<stem>.mapping.toml` for a file (`twcs_head.csv` → `twcs_head.mapping.toml`).
pub(crate) fn default_mapping_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name
        .strip_suffix(".gz")
        .unwrap_or(&name)
        .rsplit_once('.')
        .map_or(name.as_str(), |(stem, _)| stem)
        .to_owned();
    format!("{stem}.mapping.toml")
}

/// The mapping for a CSV file: `--mapping`, else `<stem>.mapping.toml`, else `mapping.toml`
/// beside it.
pub(crate) fn mapping_path(path: &Path, options: &Options) -> Option<PathBuf> {
    if let Some(mapping) = &options.mapping {
        return Some(mapping.clone());
    }
    let dir = path.parent().unwrap_or(Path::new(""));
    [
        dir.join(default_mapping_name(path)),
        dir.join("mapping.toml"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

/// Whether the file starts as delimited text with a header.
pub(crate) fn sniff(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let first_line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    // A text header (allowing a character cut off at the end of the head) with a delimiter in
    // it; bad bytes further down are the records' problem, not the format's. A header in a
    // single-byte encoding (Excel's windows-1252 CSV) is text too: no control bytes.
    let text_header = match std::str::from_utf8(first_line) {
        Ok(_) => true,
        Err(e) if e.error_len().is_none() && first_line.len() == head.len() => true,
        Err(_) => !first_line
            .iter()
            .any(|b| *b < 0x20 && !matches!(b, b'\t' | b'\r')),
    };
    let starts_json = matches!(input::trim_start(head).first(), Some(b'{' | b'['));
    // A Markdown heading (a README's first line) is prose, whatever commas it holds.
    let markdown_heading = first_line.starts_with(b"# ");
    text_header
        && !starts_json
        && !markdown_heading
        && !head.contains(&0)
        && [b',', b';', b'\t', b'|']
            .iter()
            .any(|d| first_line.contains(d))
}

/// Column positions of the mapped fields.
pub(crate) struct Columns {
    id: usize,
    pub(crate) created_at: usize,
    author_id: Option<usize>,
    author_handle: Option<usize>,
    author_name: Option<usize>,
    author_followers: Option<usize>,
    text: Option<usize>,
    lang: Option<usize>,
    conversation_id: Option<usize>,
    in_reply_to_id: Option<usize>,
    in_reply_to_author_id: Option<usize>,
    reshare_of_id: Option<usize>,
    quote_of_id: Option<usize>,
    likes: Option<usize>,
    reshares: Option<usize>,
    replies: Option<usize>,
    quotes: Option<usize>,
    views: Option<usize>,
    link: Option<usize>,
}

/// The mapping of a file that needs one (`what` it is, for the error when there is none) and
/// where it was found.
pub(crate) fn required_mapping(
    file: &InputFile,
    options: &Options,
    what: &str,
) -> Result<(Mapping, PathBuf), IngestError> {
    let mapping_file = mapping_path(&file.path, options).ok_or_else(|| IngestError::Mapping {
        path: file.path.clone(),
        message: format!(
            "{what} needs a column mapping: give --mapping, or put {} or mapping.toml beside it (`dialoog mapping {}` drafts one)",
            default_mapping_name(&file.path),
            file.path.display()
        ),
    })?;
    Ok((Mapping::load(&mapping_file)?, mapping_file))
}

fn read(file: &InputFile, options: &Options, ctx: &mut Ctx<'_>) -> Result<(), IngestError> {
    let (mapping, mapping_file) = required_mapping(file, options, "a CSV file")?;
    let delimiter = mapping
        .delimiter_byte()
        .map_err(|message| IngestError::Mapping {
            path: mapping_file.clone(),
            message,
        })?;
    read_rows(
        file,
        ctx,
        Dialect {
            delimiter: mapping.delimiter.is_some().then_some(delimiter),
            encoding: mapping.text_encoding,
            before_header: mapping.before_header(),
        },
        |headers| resolve_columns(&mapping, &mapping_file, file, headers),
        |columns, headers, record| {
            Row {
                headers,
                mapping: &mapping,
                columns,
            }
            .to_post(record)
            .map(std::iter::once)
        },
    )
}

/// The delimiter a file's first line names as `sep=;` (Excel's convention, which some tools write
/// so that Excel splits the columns), and the length of that line.
pub(crate) fn excel_separator(head: &[u8]) -> Option<(u8, usize)> {
    let bom = if head.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    let rest = head.get(bom..)?;
    let end = rest.iter().position(|b| *b == b'\n')?;
    let line = rest[..end].strip_suffix(b"\r").unwrap_or(&rest[..end]);
    match line {
        [b's' | b'S', b'e' | b'E', b'p' | b'P', b'=', delimiter] if *delimiter != b'"' => {
            Some((*delimiter, bom + end + 1))
        }
        _ => None,
    }
}

/// How a delimited file is written.
pub(crate) struct Dialect {
    /// `None`: a comma, unless a `sep=` line names another.
    pub(crate) delimiter: Option<u8>,
    /// The fields' encoding when not UTF-8.
    pub(crate) encoding: Option<&'static encoding_rs::Encoding>,
    /// Lines before the header (a report's title or filters), skipped unread.
    pub(crate) before_header: u64,
}

impl Dialect {
    /// Comma-separated UTF-8 with the header first, as the tools write.
    const TOOL: Dialect = Dialect {
        delimiter: None,
        encoding: None,
        before_header: 0,
    };
}

/// Reads a delimited file row by row: `setup` sees the column names first (and may refuse them),
/// then `each` maps every row to its posts (one, as a rule). Blank rows are skipped; the record
/// number is the line on which the row starts. With an encoding, the fields are made UTF-8
/// before `setup` and `each` see them; the raw records keep the file's bytes.
pub(crate) fn read_rows<S, P: IntoIterator<Item = Post>>(
    file: &InputFile,
    ctx: &mut Ctx<'_>,
    dialect: Dialect,
    setup: impl FnOnce(&[String]) -> Result<S, IngestError>,
    each: impl Fn(&S, &[String], &ByteRecord) -> Result<P, Reject>,
) -> Result<(), IngestError> {
    let Dialect {
        delimiter,
        encoding,
        mut before_header,
    } = dialect;
    let mut reader = ctx.open(&file.path)?;
    // Excel's `sep=` line names the delimiter, unless the mapping does; the header follows it.
    let head = reader
        .fill_buf()
        .map_err(|e| IngestError::io(&file.path, e))?;
    let separator = excel_separator(head).filter(|_| before_header == 0);
    if separator.is_some() {
        before_header = 1;
    }
    let delimiter = delimiter
        .or(separator.map(|(named, _)| named))
        .unwrap_or(b',');
    // Lines are numbered in the file: the readers below count from the header.
    let skipped = crate::lines::skip_lines(&mut reader, before_header)
        .map_err(|e| IngestError::io(&file.path, e))?;
    let (reader, cut_lines) = CappedLines::new(reader, ctx.limits.max_record_bytes);
    let mut csv = ReaderBuilder::new()
        .delimiter(delimiter)
        .terminator(Terminator::Any(b'\n'))
        .flexible(true)
        .has_headers(true)
        .from_reader(reader);
    let csv_io = |e: csv::Error| IngestError::io(&file.path, std::io::Error::other(e));
    let header_record = csv.byte_headers().map_err(csv_io)?.clone();
    // The header gives no post, but re-mapping a row needs it: record 0.
    ctx.raw_now(0, &encode(&header_record, delimiter))?;
    let headers = header_names(&in_utf8(&header_record, encoding));
    let state = setup(&headers)?;
    let mut record = ByteRecord::new();
    loop {
        let line = csv.position().line() + skipped;
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                let e = match e.into_kind() {
                    csv::ErrorKind::Io(e) => e,
                    other => std::io::Error::other(format!("{other:?}")),
                };
                return ctx.unreadable(line, &e);
            }
            Err(e) => return Err(csv_io(e)),
        }
        let from_header = record.position().map_or(line - skipped, |p| p.line());
        let line = from_header + skipped;
        // A row over a line cut short is quarantined, not mapped from its cut fields.
        let next = csv.position().line();
        let cut = {
            let mut cut_lines = cut_lines.borrow_mut();
            let cut = (cut_lines.iter().copied()).find(|l| (from_header..next).contains(l));
            cut_lines.retain(|l| *l >= next);
            cut
        };
        if let Some(cut) = cut {
            let reason = format!(
                "line {} is longer than {} bytes (Limits::max_record_bytes); the row is skipped",
                cut + skipped,
                ctx.limits.max_record_bytes
            );
            ctx.quarantine(line, Reject::new(reason), record.as_slice())?;
            continue;
        }
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let result = each(&state, &headers, &in_utf8(&record, encoding));
        emit_row(ctx, line, encode(&record, delimiter), result)?;
    }
    Ok(())
}

/// Sends on what a row gave: its raw bytes `raw`, then its posts or the reason it is quarantined.
pub(crate) fn emit_row<P: IntoIterator<Item = Post>>(
    ctx: &mut Ctx<'_>,
    line: u64,
    raw: Vec<u8>,
    result: Result<P, Reject>,
) -> Result<(), IngestError> {
    ctx.raw(line, &raw);
    ctx.emit_each(result, line, &|| raw.clone())
}

/// The record's fields decoded from `encoding` to UTF-8 (as they are without one).
fn in_utf8<'r>(
    record: &'r ByteRecord,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> std::borrow::Cow<'r, ByteRecord> {
    let Some(encoding) = encoding else {
        return std::borrow::Cow::Borrowed(record);
    };
    let mut decoded = ByteRecord::new();
    for field in record {
        decoded.push_field(encoding.decode_without_bom_handling(field).0.as_bytes());
    }
    decoded.set_position(record.position().cloned());
    std::borrow::Cow::Owned(decoded)
}

/// Column names without a byte-order mark and surrounding spaces.
fn header_names(record: &ByteRecord) -> Vec<String> {
    record
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = if i == 0 {
                h.strip_prefix(b"\xef\xbb\xbf").unwrap_or(h)
            } else {
                h
            };
            String::from_utf8_lossy(h).trim().to_owned()
        })
        .collect()
}

/// The column names of a comma-separated file from its first bytes, for detection; `None` when
/// the start is not a text header.
pub(crate) fn sniff_header(head: &[u8]) -> Option<Vec<String>> {
    sniff_header_with(head, b',')
}

/// [`sniff_header`] of a file separated by `delimiter`.
pub(crate) fn sniff_header_with(head: &[u8], delimiter: u8) -> Option<Vec<String>> {
    if !sniff(head) {
        return None;
    }
    let mut csv = ReaderBuilder::new()
        .delimiter(delimiter)
        .terminator(Terminator::Any(b'\n'))
        .flexible(true)
        .has_headers(true)
        .from_reader(head);
    csv.byte_headers().ok().map(header_names)
}

/// Whether every one of `names` is a column.
pub(crate) fn has_columns(header: &[String], names: &[&str]) -> bool {
    names.iter().all(|n| header.iter().any(|h| h == n))
}

/// Reads a comma-separated file whose columns are found by name, for the tools' CSV presets.
pub(crate) fn read_named(
    file: &InputFile,
    ctx: &mut Ctx<'_>,
    to_post: fn(&dyn Fields) -> Result<Post, Reject>,
) -> Result<(), IngestError> {
    read_named_posts(file, ctx, |row| to_post(row).map(std::iter::once))
}

/// [`read_named`] for tools whose rows may each hold more than one post.
pub(crate) fn read_named_posts<P: IntoIterator<Item = Post>>(
    file: &InputFile,
    ctx: &mut Ctx<'_>,
    to_posts: impl Fn(&dyn Fields) -> Result<P, Reject>,
) -> Result<(), IngestError> {
    read_rows(
        file,
        ctx,
        Dialect::TOOL,
        |_| Ok(()),
        |_, headers, record| to_posts(&CsvRow { headers, record }),
    )
}

/// [`read_named`] for a tool that separates its columns by `delimiter`.
pub(crate) fn read_named_delimited(
    file: &InputFile,
    ctx: &mut Ctx<'_>,
    delimiter: u8,
    to_post: impl Fn(&dyn Fields) -> Result<Post, Reject>,
) -> Result<(), IngestError> {
    let dialect = Dialect {
        delimiter: Some(delimiter),
        ..Dialect::TOOL
    };
    read_rows(
        file,
        ctx,
        dialect,
        |_| Ok(()),
        |_, headers, record| to_post(&CsvRow { headers, record }).map(std::iter::once),
    )
}

pub(crate) fn resolve_columns(
    mapping: &Mapping,
    mapping_file: &Path,
    file: &InputFile,
    headers: &[String],
) -> Result<Columns, IngestError> {
    let find = |column: &Option<String>| -> Result<Option<usize>, IngestError> {
        let Some(column) = column else {
            return Ok(None);
        };
        headers
            .iter()
            .position(|h| h == column.trim())
            .map(Some)
            .ok_or_else(|| IngestError::Mapping {
                path: mapping_file.to_owned(),
                message: format!(
                    "column '{column}' is not in {} (its columns: {})",
                    file.path.display(),
                    headers.join(", ")
                ),
            })
    };
    let required = |column: &String| -> Result<usize, IngestError> {
        find(&Some(column.clone())).map(|c| c.unwrap_or_default())
    };
    Ok(Columns {
        id: required(&mapping.id)?,
        created_at: required(&mapping.created_at)?,
        author_id: find(&mapping.author_id)?,
        author_handle: find(&mapping.author_handle)?,
        author_name: find(&mapping.author_name)?,
        author_followers: find(&mapping.author_followers)?,
        text: find(&mapping.text)?,
        lang: find(&mapping.lang)?,
        conversation_id: find(&mapping.conversation_id)?,
        in_reply_to_id: find(&mapping.in_reply_to_id)?,
        in_reply_to_author_id: find(&mapping.in_reply_to_author_id)?,
        reshare_of_id: find(&mapping.reshare_of_id)?,
        quote_of_id: find(&mapping.quote_of_id)?,
        likes: find(&mapping.likes)?,
        reshares: find(&mapping.reshares)?,
        replies: find(&mapping.replies)?,
        quotes: find(&mapping.quotes)?,
        views: find(&mapping.views)?,
        link: find(&mapping.link)?,
    })
}

/// A row as one CSV record (quoted where needed, `\n`-terminated), for the raw record.
pub(crate) fn encode(record: &ByteRecord, delimiter: u8) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(Terminator::Any(b'\n'))
        .buffer_capacity(256)
        .from_writer(Vec::new());
    if writer.write_byte_record(record).is_err() {
        return record.as_slice().to_vec();
    }
    writer.into_inner().unwrap_or_default()
}

pub(crate) struct Row<'a> {
    pub(crate) headers: &'a [String],
    pub(crate) mapping: &'a Mapping,
    pub(crate) columns: &'a Columns,
}

impl Row<'_> {
    fn name(&self, column: usize) -> String {
        self.headers.get(column).cloned().unwrap_or_default()
    }

    /// A field's trimmed text; `None` when empty or absent.
    fn get<'r>(
        &self,
        record: &'r ByteRecord,
        column: Option<usize>,
    ) -> Result<Option<&'r str>, Reject> {
        let Some(column) = column else {
            return Ok(None);
        };
        let Some(bytes) = record.get(column) else {
            return Ok(None);
        };
        let text = std::str::from_utf8(bytes).map_err(|e| {
            Reject::field(
                &self.name(column),
                format!("invalid UTF-8 at byte {} of the field", e.valid_up_to()),
            )
        })?;
        if let Some(at) = text.find('\0') {
            // NUL is never text: a damaged file (zero-filled after a crash) or binary data.
            return Err(Reject::field(
                &self.name(column),
                format!("NUL byte at byte {at} of the field"),
            ));
        }
        let text = text.strip_suffix('\r').unwrap_or(text).trim();
        Ok(Some(text).filter(|t| !t.is_empty()))
    }

    fn id(&self, record: &ByteRecord, column: Option<usize>) -> Result<Option<String>, Reject> {
        match self.get(record, column)? {
            None => Ok(None),
            Some(text) => normalize_id(text)
                .map(Some)
                .map_err(|reason| Reject::field(&self.name(column.unwrap_or_default()), reason)),
        }
    }

    fn count(&self, record: &ByteRecord, column: Option<usize>) -> Result<Option<u64>, Reject> {
        match self.get(record, column)? {
            None => Ok(None),
            Some(text) => parse_count(text).map(Some).ok_or_else(|| {
                Reject::field(
                    &self.name(column.unwrap_or_default()),
                    format!("not a count: '{text}'"),
                )
            }),
        }
    }

    fn time(&self, text: &str) -> Option<DateTime<Utc>> {
        match self.mapping.time_format.as_str() {
            "rfc3339" | "iso8601" => parse_rfc3339(text),
            "twitter" => parse_twitter_time(text),
            "unix" => text
                .parse::<f64>()
                .ok()
                .and_then(|s| DateTime::from_timestamp_millis((s * 1000.0).round() as i64)),
            TWITTER_TIME => parse_twitter_time(text),
            format => parse_with_format_in(text, format, self.mapping.zone),
        }
    }

    pub(crate) fn to_post(&self, record: &ByteRecord) -> Result<Post, Reject> {
        let c = self.columns;
        let id_name = self.name(c.id);
        let mut id = self
            .id(record, Some(c.id))?
            .ok_or_else(|| Reject::missing(&id_name))?;
        // A tweet's link as its id (an export without ids) gives the tweet's own id, so that the
        // post is the one an API export holds.
        if self.mapping.platform == Platform::Twitter
            && let Some(status) = tweet_id_of_link(&id)
        {
            id = status.to_owned();
        }
        let time_name = self.name(c.created_at);
        let time_text = self
            .get(record, Some(c.created_at))?
            .ok_or_else(|| Reject::missing(&time_name))?;
        let created_at = self.time(time_text).ok_or_else(|| {
            Reject::field(
                &time_name,
                format!(
                    "unparseable time '{time_text}' (time_format '{}')",
                    self.mapping.time_format
                ),
            )
        })?;
        let author_id = self.id(record, c.author_id)?;
        let handle = self
            .get(record, c.author_handle)?
            .map(|h| h.trim_start_matches('@').to_owned());
        let (author_id, handle) = match (author_id, handle) {
            (Some(id), Some(handle)) => (id, handle),
            (Some(id), None) => (id.clone(), id),
            (None, Some(handle)) => (handle.clone(), handle),
            (None, None) => return Err(Reject::missing("author")),
        };
        let mut post = Post::new(self.mapping.platform, id, created_at, author_id, handle);
        post.author_name = self
            .get(record, c.author_name)?
            .unwrap_or_default()
            .to_owned();
        post.author_followers = self.count(record, c.author_followers)?;
        let text = self.get(record, c.text)?.unwrap_or_default();
        post.text = if self.mapping.twitter_escaped_text {
            entities::unescape_twitter(text)
        } else {
            text.to_owned()
        };
        post.lang = entities::language(self.get(record, c.lang)?);
        post.conversation_id = self.id(record, c.conversation_id)?;
        post.in_reply_to_id = self.id(record, c.in_reply_to_id)?;
        post.in_reply_to_author_id = self.id(record, c.in_reply_to_author_id)?;
        post.reshare_of_id = self.id(record, c.reshare_of_id)?;
        post.quote_of_id = self.id(record, c.quote_of_id)?;
        post.kind = super::twarc2::kind(&post);
        post.likes = self.count(record, c.likes)?;
        post.reshares = self.count(record, c.reshares)?;
        post.replies = self.count(record, c.replies)?;
        post.quotes = self.count(record, c.quotes)?;
        post.views = self.count(record, c.views)?;
        if post.kind != PostKind::Reshare {
            post.mentions = entities::mentions(&post.text);
            post.hashtags = entities::hashtags(&post.text);
            post.urls = entities::urls(&post.text);
        }
        let link = self.get(record, c.link)?.filter(|l| !l.is_empty());
        post.url = match (link, &self.mapping.url) {
            (Some(link), _) => Some(link.to_owned()),
            (None, Some(template)) => Some(
                template
                    .replace("{id}", &post.id)
                    .replace("{author_id}", &post.author_id)
                    .replace("{author_handle}", &post.author_handle),
            ),
            (None, None) if post.platform == Platform::Twitter => Some(format!(
                "https://twitter.com/{}/status/{}",
                post.author_handle, post.id
            )),
            (None, None) => None,
        };
        Ok(post)
    }
}

/// The tweet id in a tweet's link (`https://x.com/handle/status/123`, also twitter.com and its
/// mobile host); `None` for anything else.
pub(crate) fn tweet_id_of_link(link: &str) -> Option<&str> {
    let host = dialoog_model::url_host(link)?;
    let twitter = ["twitter.com", "x.com", "mobile.twitter.com", "mobile.x.com"];
    if !twitter.contains(&host.as_str()) {
        return None;
    }
    // After the scheme, the authority ends at the first '/'.
    let (_, after_scheme) = link.trim().split_once("://")?;
    let (_, rest) = after_scheme.split_once('/')?;
    let path = rest.split(['?', '#']).next()?;
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    segments.find(|s| matches!(*s, "status" | "statuses"))?;
    segments
        .next()
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// An id as written: integers stay, integral floats (`3.0`, as pandas writes ids in a column with
/// gaps) become integers, non-integral or exponent floats are refused (their digits are lost);
/// other text (handles, URLs) is kept.
pub(crate) fn normalize_id(text: &str) -> Result<String, String> {
    let text = text.trim();
    if let Some((whole, fraction)) = text.split_once('.')
        && !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return if fraction.bytes().all(|b| b == b'0') {
            Ok(whole.to_owned())
        } else {
            Err(format!("id '{text}' is not an integer"))
        };
    }
    let exponent = text.contains(['e', 'E'])
        && text.parse::<f64>().is_ok()
        && text.bytes().next().is_some_and(|b| b.is_ascii_digit());
    if exponent {
        return Err(format!(
            "id '{text}' is written in floating-point notation; its digits are lost"
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_ids_become_integers() {
        assert_eq!(normalize_id("3.0").as_deref(), Ok("3"));
        assert_eq!(normalize_id("115712").as_deref(), Ok("115712"));
        assert_eq!(normalize_id("sprintcare").as_deref(), Ok("sprintcare"));
        assert_eq!(normalize_id("12.").as_deref(), Ok("12"));
        assert!(normalize_id("3.5").is_err());
        assert!(normalize_id("1.2e+18").is_err());
    }

    #[test]
    fn mapping_names_are_beside_the_file() {
        assert_eq!(
            default_mapping_name(Path::new("a/twcs_head.csv")),
            "twcs_head.mapping.toml"
        );
        assert_eq!(
            default_mapping_name(Path::new("posts.csv.gz")),
            "posts.mapping.toml"
        );
    }

    #[test]
    fn sniffs_delimited_text_only() {
        assert!(sniff(b",tweet_id,author_id\n0,1,a\n"));
        assert!(!sniff(b"{\"a\": 1}"));
        assert!(!sniff(b"just some words\n"));
        assert!(!sniff(
            b"# Data: posts, labels and lexicons\n\n| path | what |\n"
        ));
        assert!(!sniff(b"a,b\x00\xff"));
        assert!(sniff(b"a,b\n1,\xff\n"));
        // A windows-1252 header ("Geüpload;Bericht") is text; control bytes are not.
        assert!(sniff(b"Ge\xfcpload;Bericht\n1;a\n"));
        assert!(!sniff(b"a\x01\xff,b\n"));
    }

    #[test]
    fn a_tweets_link_gives_its_id() {
        for link in [
            "https://x.com/gemeente/status/1348592722928656384",
            "https://twitter.com/gemeente/status/1348592722928656384?s=20",
            "http://mobile.twitter.com/i/web/status/1348592722928656384/",
            "https://www.twitter.com/gemeente/statuses/1348592722928656384#m",
        ] {
            assert_eq!(
                tweet_id_of_link(link),
                Some("1348592722928656384"),
                "{link}"
            );
        }
        for other in [
            "https://x.com/gemeente",
            "https://x.com/gemeente/status/",
            "https://x.com/gemeente/status/12ab",
            "https://example.org/gemeente/status/1",
            "1348592722928656384",
        ] {
            assert_eq!(tweet_id_of_link(other), None, "{other}");
        }
    }

    #[test]
    fn an_excel_sep_line_names_its_delimiter() {
        assert_eq!(excel_separator(b"sep=;\r\na;b\n"), Some((b';', 7)));
        assert_eq!(
            excel_separator(b"\xef\xbb\xbfSEP=\t\na\tb\n"),
            Some((b'\t', 9))
        );
        assert_eq!(excel_separator(b"sep=;;\na\n"), None);
        assert_eq!(excel_separator(b"sep=\"\na\n"), None);
        assert_eq!(excel_separator(b"separator,x\n"), None);
        // No line end within the head: not a line.
        assert_eq!(excel_separator(b"sep=;"), None);
    }
}
