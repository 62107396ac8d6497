//! Planning: folders expanded, each file's format detected from its content.

use crate::formats::{self, csv, mastodon, ods, spreadsheet, x_archive};
use crate::input::{self, SNIFF_BYTES};
use crate::{Format, IngestError, InputFile, Options, Skipped};
use std::fs;
use std::path::{Path, PathBuf};

/// What to read, and what was found in the given folders but is left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The inputs to read, in order.
    pub files: Vec<InputFile>,
    /// Files inside the given folders that are not read, each with why: of no known format (a
    /// LICENSE, a README, a PDF), a CSV file without a column mapping, unreadable.
    pub skipped: Vec<Skipped>,
}

/// Expands folders (recursively, sorted by name; hidden files and column mappings skipped) and
/// detects each file's format from its content, through gzip and zstd. A Mastodon export — a folder holding
/// `outbox.json`, that file itself, or the archive `.tar.gz` — is one input. An X account archive
/// folder (holding `data/tweets.js`, or that `data` folder) gives its tweets files, and only them;
/// the archive `.zip` is one input.
///
/// A file named in `inputs` that is of unknown format, or a CSV file without a column mapping, is
/// an error that names it. The same inside a folder is [`Plan::skipped`] with its reason, and the
/// rest of the folder is read: exports often come with a README, a licence or a registry beside them.
pub fn plan(inputs: &[PathBuf], options: &Options) -> Result<Plan, IngestError> {
    let mut planned = Plan::default();
    for input in inputs {
        let meta = fs::metadata(input).map_err(|e| IngestError::io(input, e))?;
        if meta.is_dir() {
            expand(input, options, &mut planned)?;
        } else {
            planned.files.push(classify(input, meta.len(), options)?);
        }
    }
    Ok(planned)
}

fn expand(dir: &Path, options: &Options, planned: &mut Plan) -> Result<(), IngestError> {
    let outbox = dir.join(mastodon::OUTBOX);
    if let Ok(meta) = fs::metadata(&outbox)
        && meta.is_file()
    {
        planned.files.push(InputFile {
            path: dir.to_owned(),
            size: meta.len(),
            format: Format::MastodonOutbox,
        });
        return Ok(());
    }
    let parts = x_archive::folder_parts(dir);
    if !parts.is_empty() {
        for path in parts {
            let meta = fs::metadata(&path).map_err(|e| IngestError::io(&path, e))?;
            planned.files.push(InputFile {
                path,
                size: meta.len(),
                format: Format::XArchive,
            });
        }
        return Ok(());
    }
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| IngestError::io(dir, e))? {
        let entry = entry.map_err(|e| IngestError::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || is_mapping(&name) {
            continue;
        }
        entries.push((name, entry.path()));
    }
    entries.sort();
    for (_, path) in entries {
        let found = fs::metadata(&path)
            .map_err(|e| IngestError::io(&path, e))
            .and_then(|meta| {
                if meta.is_dir() {
                    expand(&path, options, planned)
                } else {
                    classify(&path, meta.len(), options).map(|file| planned.files.push(file))
                }
            });
        if let Err(e) = found {
            planned.skipped.push(skipped(e));
        }
    }
    Ok(())
}

/// A file left out of a folder, with the error's reason (the list of known formats is left to
/// `dialoog formats`: it would repeat for every file).
fn skipped(e: IngestError) -> Skipped {
    let (path, reason) = match e {
        IngestError::UnknownFormat { path, reason, .. } => {
            (path, format!("unknown format: {reason}"))
        }
        IngestError::Io { path, source } => (path, source.to_string()),
        IngestError::Mapping { path, message } | IngestError::Archive { path, message } => {
            (path, message)
        }
        IngestError::Sink { path, source, .. } => (path, source.to_string()),
    };
    Skipped {
        path: path.display().to_string(),
        reason,
    }
}

fn is_mapping(name: &str) -> bool {
    name == "mapping.toml" || name.ends_with(".mapping.toml")
}

/// Whether the file is delimited text from the line its mapping names as the header on (a
/// report's title above it need not look like a header).
fn below_a_title(path: &Path, head: &[u8], options: &Options) -> Result<bool, IngestError> {
    let Some(mapping) = csv::mapping_path(path, options) else {
        return Ok(false);
    };
    let mapping = csv::Mapping::load(&mapping)?;
    let mut rest = head;
    crate::lines::skip_lines(&mut rest, mapping.before_header())
        .map_err(|e| IngestError::io(path, e))?;
    Ok(mapping.before_header() > 0 && csv::sniff(rest))
}

fn classify(path: &Path, size: u64, options: &Options) -> Result<InputFile, IngestError> {
    let head = input::head(path, SNIFF_BYTES)?;
    let unknown = |reason: &str| IngestError::UnknownFormat {
        path: path.to_owned(),
        reason: reason.to_owned(),
        known: formats::known_formats(),
    };
    let format = if mastodon::is_tar(&head) {
        if mastodon::archive_member(path)?.is_none() {
            return Err(unknown("a tar archive without outbox.json"));
        }
        Format::MastodonOutbox
    } else if input::trim_start(&head).is_empty() {
        return Err(unknown("the file is empty"));
    } else if x_archive::is_zip(&head) {
        if spreadsheet::is_xlsx(path)? {
            Format::Xlsx
        } else if ods::is_ods(path)? {
            Format::Ods
        } else if let Some(kind) = spreadsheet::unread_kind(path)? {
            return Err(unknown(kind));
        } else if x_archive::zip_parts(path)?.is_empty() {
            return Err(unknown(
                "a zip archive that is neither an X account archive (data/tweets.js) nor a spreadsheet (.xlsx, .ods): unpack it first",
            ));
        } else {
            Format::XArchive
        }
    } else if head.starts_with(spreadsheet::COMPOUND_FILE) {
        return Err(unknown(
            "an old Excel workbook (.xls) or another Office binary file: save it as .xlsx, .ods or CSV first",
        ));
    } else if let Some(format) = formats::sniff(&head) {
        format
    } else if below_a_title(path, &head, options)? {
        Format::Csv
    } else {
        return Err(unknown("the content matches none of the known formats"));
    };
    let unmapped = match format {
        Format::Csv => Some("a CSV file in none of the known column layouts"),
        Format::Xlsx | Format::Ods => Some("a spreadsheet"),
        _ => None,
    };
    if let Some(what) = unmapped
        && csv::mapping_path(path, options).is_none()
    {
        return Err(IngestError::Mapping {
            path: path.to_owned(),
            message: format!(
                "{what} needs a column mapping: give --mapping, or put {} or mapping.toml beside it (`dialoog mapping {}` drafts one)",
                csv::default_mapping_name(path),
                path.display()
            ),
        });
    }
    Ok(InputFile {
        path: path.to_owned(),
        size,
        format,
    })
}
