//! Spreadsheets: Excel workbooks (`.xlsx`) here, OpenDocument ones (`.ods`) in [`super::ods`],
//! as social media monitoring tools and colleagues hand posts over, with the same TOML column
//! mapping as CSV ([`Mapping`]; `sheet` names the worksheet, the first by default). The sheet's
//! first row is the header; each row after it a post, its record number the row's number as the
//! spreadsheet shows it (the header is row 1 when the sheet starts there).
//!
//! A workbook is recognised by its content (a zip archive holding `xl/workbook.xml`, or an ODF
//! `mimetype`), not its name. Cells are read as text as CSV fields are: a whole number as its
//! digits, a date in ISO 8601 without a zone (spreadsheet dates carry none), read in the
//! mapping's `time_zone` (UTC by default) whatever its `time_format` says of dates written as
//! text. Excel keeps numbers to 15–17 digits: an id it stored as a number past 2^53 has lost its
//! last digits, and is written out in floating-point notation, so that the row is quarantined
//! naming the column rather than stored with another post's id (export ids as text). A
//! worksheet is read cell by cell, but an Excel workbook's shared strings (every distinct text)
//! are held while it is read. Members whose declared size is past [`Limits`](crate::Limits) are
//! refused before reading.

use super::Handler;
use super::csv::{Mapping, Row, emit_row, encode, required_mapping, resolve_columns};
use super::ods;
use crate::context::Ctx;
use crate::{Format, IngestError, InputFile, Options, input};
use calamine::{DataRef, Reader, Xlsx};
use csv::ByteRecord;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

pub(crate) const HANDLER: Handler = Handler {
    format: Format::Xlsx,
    name: "xlsx",
    description: "Excel workbooks (.xlsx) with a TOML column mapping (--mapping, NAME.mapping.toml or mapping.toml beside it), as monitoring tools export posts",
    example: "dialoog ingest export.xlsx --mapping export.mapping.toml --store case.store",
    // A workbook is a zip archive: told apart from other zips by its members (plan.rs).
    sniff: |_| false,
    read,
};

/// The member every `.xlsx` workbook holds.
const WORKBOOK: &str = "xl/workbook.xml";

/// Whether the zip archive at `path` is an Excel workbook.
pub(crate) fn is_xlsx(path: &Path) -> Result<bool, IngestError> {
    let file = File::open(path).map_err(|e| IngestError::io(path, e))?;
    Ok(zip::ZipArchive::new(BufReader::new(file))
        .is_ok_and(|archive| archive.index_for_name(WORKBOOK).is_some()))
}

/// What to do with a spreadsheet zip Dialoog does not read, told by a member only it holds:
/// an Excel binary workbook (`.xlsb`) or an Apple Numbers document.
pub(crate) fn unread_kind(path: &Path) -> Result<Option<&'static str>, IngestError> {
    let file = File::open(path).map_err(|e| IngestError::io(path, e))?;
    let Ok(archive) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Ok(None);
    };
    Ok(if archive.index_for_name("xl/workbook.bin").is_some() {
        Some("an Excel binary workbook (.xlsb): save it as .xlsx (or .ods, or CSV) first")
    } else if archive.index_for_name("Index/Document.iwa").is_some() {
        Some("an Apple Numbers document: export it as .xlsx or CSV first")
    } else {
        None
    })
}

/// The first bytes of an OLE compound file: an old Excel workbook (.xls), or another Office
/// binary file.
pub(crate) const COMPOUND_FILE: &[u8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";

/// Refuses a workbook with a member that would expand past `limits` (a zip bomb), by the sizes
/// its directory declares, before calamine inflates any.
fn check_sizes(path: &Path, limits: &input::Limits) -> Result<(), IngestError> {
    let archive_error = |message: String| IngestError::Archive {
        path: path.to_owned(),
        message,
    };
    let file = File::open(path).map_err(|e| IngestError::io(path, e))?;
    let mut archive = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| archive_error(format!("not a readable workbook: {e}")))?;
    for index in 0..archive.len() {
        let member = archive
            .by_index_raw(index)
            .map_err(|e| archive_error(format!("not a readable workbook: {e}")))?;
        let allowed = member
            .compressed_size()
            .saturating_mul(limits.max_expansion_ratio)
            .max(limits.expansion_floor)
            .min(limits.max_decompressed_bytes);
        if member.size() > allowed {
            return Err(archive_error(format!(
                "member {} declares {} bytes from {} compressed, past the limits on expansion (Limits): not read",
                member.name().unwrap_or_default(),
                member.size(),
                member.compressed_size()
            )));
        }
    }
    // calamine makes room for as many shared strings as the table says it holds, before
    // reading one: a damaged count would take all memory. Each string takes at least
    // `<si><t/></si>` (13 bytes) of the table.
    let Ok(mut strings) = archive.by_name(SHARED_STRINGS) else {
        return Ok(());
    };
    let size = strings.size();
    let mut head = Vec::new();
    (&mut strings)
        .take(4096)
        .read_to_end(&mut head)
        .map_err(|e| archive_error(format!("{SHARED_STRINGS} cannot be read: {e}")))?;
    if let Some(count) = unique_count(&head)
        && count > size / 13
    {
        return Err(archive_error(format!(
            "{SHARED_STRINGS} says it holds {count} strings in {size} bytes: the workbook is damaged"
        )));
    }
    Ok(())
}

/// The table of the workbook's distinct texts.
const SHARED_STRINGS: &str = "xl/sharedStrings.xml";

/// The `uniqueCount` of the `<sst>` element at the start of a shared strings table (`None` when
/// absent or not a number: calamine then reserves nothing).
fn unique_count(head: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let element = &text[text.find("<sst")?..];
    let element = &element[..element.find('>').unwrap_or(element.len())];
    let value = element.split("uniqueCount=").nth(1)?;
    let digits: String = value
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    // A number past u64 is past any table.
    Some(digits.parse().unwrap_or(u64::MAX)).filter(|_| !digits.is_empty())
}

/// An Excel workbook as [`open`] opens it: its file counted as it is read, for progress.
pub(crate) type Workbook = Xlsx<BufReader<input::Counting<File>>>;

/// A workbook of either kind.
pub(crate) enum Book {
    /// Boxed: calamine's reader is 376 bytes beside the archive's 64.
    Xlsx(Box<Workbook>),
    Ods(ods::Archive),
}

/// Why a sheet cannot be read from its first row.
#[derive(Debug)]
pub(crate) enum SheetError {
    /// No sheet of that name (the mapping's fault).
    NotFound(String),
    /// The workbook is damaged before the sheet starts.
    Damaged(String),
}

/// The workbook at `path`, checked against `limits` first ([`check_sizes`]), and the counter of
/// the bytes read from its file.
pub(crate) fn open(
    path: &Path,
    limits: &input::Limits,
) -> Result<(Book, input::Counter), IngestError> {
    check_sizes(path, limits)?;
    let is_ods = ods::is_ods(path)?;
    let file = File::open(path).map_err(|e| IngestError::io(path, e))?;
    let (counted, counter) = input::counting(file);
    let reader = BufReader::new(counted);
    let unreadable = |message: String| IngestError::Archive {
        path: path.to_owned(),
        message: format!("not a readable workbook: {message}"),
    };
    let book = if is_ods {
        Book::Ods(zip::ZipArchive::new(reader).map_err(|e| unreadable(e.to_string()))?)
    } else {
        Book::Xlsx(Box::new(
            Xlsx::new(reader).map_err(|e| unreadable(e.to_string()))?,
        ))
    };
    Ok((book, counter))
}

impl Book {
    /// The names of the worksheets, in order.
    pub(crate) fn sheet_names(&mut self) -> Result<Vec<String>, SheetError> {
        match self {
            Book::Xlsx(workbook) => Ok(workbook.sheet_names()),
            Book::Ods(archive) => ods::Rows::sheet_names(archive),
        }
    }

    /// The rows of the worksheet named `sheet` (the first when `None`), and its name.
    pub(crate) fn sheet(
        &mut self,
        sheet: Option<&str>,
        limits: &input::Limits,
    ) -> Result<(String, Box<dyn SheetRows + '_>), SheetError> {
        match self {
            Book::Xlsx(workbook) => {
                let name = match sheet {
                    Some(name) => name.to_owned(),
                    None => workbook.sheet_names().first().cloned().ok_or_else(|| {
                        SheetError::NotFound("the workbook has no worksheet".into())
                    })?,
                };
                let names = quoted(workbook.sheet_names());
                let rows = Rows::of(workbook, &name).map_err(|e| match e {
                    calamine::XlsxError::WorksheetNotFound(_) => SheetError::NotFound(format!(
                        "no worksheet '{name}'; the workbook has {names}"
                    )),
                    e => SheetError::Damaged(e.to_string()),
                })?;
                Ok((name, Box::new(rows)))
            }
            Book::Ods(archive) => {
                let (name, rows) = ods::Rows::of(archive, sheet, limits)?;
                Ok((name, Box::new(rows)))
            }
        }
    }
}

/// Sheet names as a message lists them: `'a', 'b'`.
pub(crate) fn quoted(names: impl IntoIterator<Item = impl std::fmt::Display>) -> String {
    let names: Vec<String> = names.into_iter().map(|n| format!("'{n}'")).collect();
    names.join(", ")
}

pub(crate) fn read(
    file: &InputFile,
    options: &Options,
    ctx: &mut Ctx<'_>,
) -> Result<(), IngestError> {
    let path = &file.path;
    let (mapping, mapping_file) = required_mapping(file, options, "a spreadsheet")?;
    let (mut book, counter) = open(path, &ctx.limits)?;
    ctx.watch(counter);
    let limits = ctx.limits;
    let (sheet, mut rows) = book
        .sheet(mapping.sheet.as_deref(), &limits)
        .map_err(|e| match e {
            SheetError::NotFound(message) => IngestError::Mapping {
                path: mapping_file.clone(),
                message: format!("{}: {message}", path.display()),
            },
            SheetError::Damaged(message) => IngestError::Archive {
                path: path.to_owned(),
                message: format!("not a readable workbook: {message}"),
            },
        })?;
    // The same mapping reads a date cell as the wall-clock time it is, in the mapping's zone.
    let for_dates = Mapping {
        time_format: DATE_FORMAT.into(),
        ..mapping.clone()
    };
    let mut header: Option<(Vec<String>, super::csv::Columns)> = None;
    loop {
        let (line, fields) = match rows.next_row() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err((line, damage)) => {
                return ctx.unreadable(line, &std::io::Error::other(damage));
            }
        };
        match &header {
            // A title or report details above the column names.
            None if line <= mapping.before_header() => {}
            None => {
                let names: Vec<String> = fields.iter().map(|f| f.text.trim().to_owned()).collect();
                let columns = resolve_columns(&mapping, &mapping_file, file, &names)?;
                ctx.raw_now(0, &encode(&record_of(&fields), b','))?;
                header = Some((names, columns));
            }
            Some((names, columns)) => {
                let record = record_of(&fields);
                if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                    continue;
                }
                let dated = fields
                    .get(columns.created_at)
                    .is_some_and(|field| field.is_date);
                let result = Row {
                    headers: names,
                    mapping: if dated { &for_dates } else { &mapping },
                    columns,
                }
                .to_post(&record)
                .map(std::iter::once);
                emit_row(ctx, line, encode(&record, b','), result)?;
            }
        }
    }
    if header.is_none() {
        return Err(IngestError::Mapping {
            path: mapping_file,
            message: format!("worksheet '{sheet}' of {} is empty", path.display()),
        });
    }
    Ok(())
}

/// A row's number as the spreadsheet shows it, and its fields.
pub(crate) type NumberedRow = (u64, Vec<Field>);

/// Where a sheet stops reading (the row's number), and why.
pub(crate) type Damage = (u64, String);

/// A worksheet's rows, read one at a time.
pub(crate) trait SheetRows {
    /// The next row with a value: its number as the spreadsheet shows it, and its fields
    /// (empty where no cell). Or the row number at which the sheet stops reading and why.
    fn next_row(&mut self) -> Result<Option<NumberedRow>, Damage>;
}

/// A worksheet's rows, from its cells as calamine streams them (only cells with a value, row by
/// row, left to right).
struct Rows<'a, RS: std::io::Read + std::io::Seek> {
    cells: calamine::XlsxCellReader<'a, RS>,
    /// The next row's first cell, read while finding where the row before ended.
    pending: Option<(u32, u32, Field)>,
    done: bool,
}

impl<'a, RS: std::io::Read + std::io::Seek> Rows<'a, RS> {
    fn of(workbook: &'a mut Xlsx<RS>, sheet: &str) -> Result<Self, calamine::XlsxError> {
        Ok(Rows {
            cells: workbook.worksheet_cells_reader(sheet)?,
            pending: None,
            done: false,
        })
    }
}

impl<RS: std::io::Read + std::io::Seek> SheetRows for Rows<'_, RS> {
    fn next_row(&mut self) -> Result<Option<NumberedRow>, Damage> {
        let mut fields: Vec<Field> = Vec::new();
        let mut current = None;
        loop {
            let next = match self.pending.take() {
                Some(cell) => Some(cell),
                None if self.done => None,
                None => {
                    let line = current.map_or(0, |r: u32| u64::from(r) + 1);
                    match self.cells.next_cell() {
                        Ok(Some(cell)) => {
                            let (at, column) = cell.get_position();
                            Some((at, column, Field::of(cell.get_value())))
                        }
                        Ok(None) => {
                            self.done = true;
                            None
                        }
                        Err(e) => {
                            self.done = true;
                            return Err((line, e.to_string()));
                        }
                    }
                }
            };
            let Some((at, column, field)) = next else {
                return Ok(current.map(|r| (u64::from(r) + 1, fields)));
            };
            if current.is_some_and(|r| r != at) {
                self.pending = Some((at, column, field));
                return Ok(current.map(|r| (u64::from(r) + 1, fields)));
            }
            current = Some(at);
            if column >= MAX_COLUMNS {
                // A damaged cell reference: making room for it could take gigabytes.
                self.done = true;
                return Err((
                    u64::from(at) + 1,
                    format!(
                        "a cell in column {} of row {}, past Excel's {MAX_COLUMNS} columns: the sheet is damaged",
                        u64::from(column) + 1,
                        u64::from(at) + 1
                    ),
                ));
            }
            let column = column as usize;
            if fields.len() <= column {
                fields.resize_with(column + 1, Field::default);
            }
            if let Some(slot) = fields.get_mut(column) {
                *slot = field;
            }
        }
    }
}

/// The first `count` rows of a sheet, as [`read`] reads them (for drafting a mapping).
pub(crate) fn sample_rows(
    rows: &mut dyn SheetRows,
    count: usize,
) -> Result<Vec<NumberedRow>, String> {
    let mut sample = Vec::new();
    while sample.len() < count {
        match rows.next_row() {
            Ok(Some(row)) => sample.push(row),
            Ok(None) => break,
            Err((_, damage)) => return Err(damage),
        }
    }
    Ok(sample)
}

/// How a date cell is written out: the spreadsheet's wall-clock time, without a zone.
pub(crate) const DATE_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.3f";

/// Columns of a worksheet (A to XFD).
pub(crate) const MAX_COLUMNS: u32 = 16_384;

/// A cell as CSV-like text.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Field {
    pub(crate) text: String,
    /// A date cell, read whatever `time_format` says.
    pub(crate) is_date: bool,
}

/// Integers a double holds exactly: Excel's numbers past this have lost digits.
const EXACT: f64 = 9_007_199_254_740_992.0;

impl Field {
    pub(crate) fn of_text(text: String) -> Field {
        Field {
            text,
            is_date: false,
        }
    }

    /// A number: a whole one as its digits, unless past what a double holds exactly.
    pub(crate) fn number(x: f64) -> Field {
        if x.fract() == 0.0 && x.abs() < EXACT {
            Field::of_text(format!("{x:.0}"))
        } else if x.fract() == 0.0 {
            Field::lost_digits(x)
        } else {
            Field::of_text(x.to_string())
        }
    }

    /// A whole number that has lost digits: floating-point notation tells a reader of ids so.
    pub(crate) fn lost_digits(x: f64) -> Field {
        Field::of_text(format!("{x:e}"))
    }

    fn of(value: &DataRef<'_>) -> Field {
        match value {
            DataRef::Int(n) => Field::of_text(n.to_string()),
            DataRef::Float(x) => Field::number(*x),
            DataRef::String(s) => Field::of_text(s.clone()),
            DataRef::SharedString(s) => Field::of_text((*s).to_owned()),
            DataRef::Bool(b) => Field::of_text(b.to_string()),
            DataRef::DateTime(date) => match date.as_datetime() {
                Some(moment) => Field {
                    text: moment.format(DATE_FORMAT).to_string(),
                    is_date: true,
                },
                None => Field::of_text(date.as_f64().to_string()),
            },
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Field::of_text(s.clone()),
            // An error cell (#N/A, #REF!, …) holds no value.
            DataRef::Error(_) | DataRef::Empty => Field::default(),
        }
    }
}

fn record_of(fields: &[Field]) -> ByteRecord {
    let mut record = ByteRecord::new();
    for field in fields {
        record.push_field(field.text.as_bytes());
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_strings_count_is_read_from_the_table_start() {
        let head = br#"<?xml version="1.0"?><sst xmlns="x" count="9" uniqueCount="7"><si>"#;
        assert_eq!(unique_count(head), Some(7));
        assert_eq!(
            unique_count(br#"<sst uniqueCount='99999999999999999999999'>"#),
            Some(u64::MAX)
        );
        assert_eq!(
            unique_count(br#"<sst count="3"><si uniqueCount="5">"#),
            None
        );
        assert_eq!(unique_count(b"<other/>"), None);
    }

    #[test]
    fn numbers_keep_their_digits_or_say_they_lost_them() {
        assert_eq!(Field::of(&DataRef::Float(119237.0)).text, "119237");
        assert_eq!(Field::of(&DataRef::Float(0.5)).text, "0.5");
        assert_eq!(Field::of(&DataRef::Int(-3)).text, "-3");
        let lost = Field::of(&DataRef::Float(1_348_592_722_928_656_384.0)).text;
        assert!(lost.contains('e'), "{lost}");
        assert!(super::super::csv::normalize_id(&lost).is_err());
        assert_eq!(Field::of(&DataRef::Empty), Field::default());
    }
}
