//! OpenDocument spreadsheets (`.ods`), as LibreOffice and other office suites save them: ODF is
//! on the Dutch government's list of mandatory open standards, so an export passed around by a
//! ministry is as likely to be one as an Excel workbook. Read with the same TOML column mapping
//! ([`super::spreadsheet`] says how cells become fields).
//!
//! The sheet is streamed from `content.xml`: nothing but one row is held. ODF writes runs of
//! equal cells and rows once with a repeat count (LibreOffice ends every sheet with a million
//! empty rows of 16,384 empty cells written as one row): empty runs only move the position,
//! and runs with a value are written out, within the 16,384 columns and 1,048,576 rows a
//! spreadsheet has and within the largest record ([`crate::Limits`]), so that a damaged count
//! ends the sheet rather than taking all memory.

use super::spreadsheet::{
    DATE_FORMAT, Damage, Field, MAX_COLUMNS, NumberedRow, SheetError, SheetRows, quoted,
};
use crate::{IngestError, input};
use chrono::{NaiveDate, NaiveDateTime};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::{Reader, XmlVersion};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

pub(crate) const HANDLER: super::Handler = super::Handler {
    format: crate::Format::Ods,
    name: "ods",
    description: "OpenDocument spreadsheets (.ods, as LibreOffice saves them) with a TOML column mapping (--mapping, NAME.mapping.toml or mapping.toml beside it)",
    example: "dialoog ingest export.ods --mapping export.mapping.toml --store case.store",
    // A spreadsheet is a zip archive: told apart from other zips by its members (plan.rs).
    sniff: |_| false,
    read: super::spreadsheet::read,
};

/// The `mimetype` member of an ODF spreadsheet (a template's adds `-template`).
const MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// The member holding the sheets.
const CONTENT: &str = "content.xml";

/// Rows of a sheet (LibreOffice's and Excel's limit).
const MAX_ROWS: u64 = 1_048_576;

/// Whether the zip archive at `path` is an ODF spreadsheet.
pub(crate) fn is_ods(path: &Path) -> Result<bool, IngestError> {
    let file = File::open(path).map_err(|e| IngestError::io(path, e))?;
    let Ok(mut archive) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Ok(false);
    };
    let Ok(member) = archive.by_name("mimetype") else {
        return Ok(false);
    };
    let mut head = Vec::new();
    let read = member.take(64).read_to_end(&mut head);
    Ok(read.is_ok() && head.starts_with(MIMETYPE))
}

/// An ODF spreadsheet's archive, its file counted as it is read.
pub(crate) type Archive = zip::ZipArchive<BufReader<input::Counting<File>>>;

/// The rows of one sheet of `content.xml`.
pub(crate) struct Rows<'a> {
    xml: Reader<BufReader<zip::read::ZipFile<'a, BufReader<input::Counting<File>>>>>,
    buf: Vec<u8>,
    /// The next row's index (0 for the first row).
    next: u64,
    /// A row with values written with a repeat count: its fields and how many copies are left.
    repeated: Option<(Vec<Field>, u64)>,
    done: bool,
    max_row_bytes: u64,
}

impl<'a> Rows<'a> {
    /// The sheet named `wanted` (the first sheet when `None`), and its name.
    pub(crate) fn of(
        archive: &'a mut Archive,
        wanted: Option<&str>,
        limits: &input::Limits,
    ) -> Result<(String, Rows<'a>), SheetError> {
        let mut rows = Rows::start(archive, limits)?;
        let mut names = Vec::new();
        while let Some((name, empty)) = rows.next_sheet()? {
            if wanted.is_none_or(|wanted| wanted == name) {
                rows.done = empty;
                return Ok((name, rows));
            }
            if !empty {
                rows.skip_sheet()?;
            }
            names.push(name);
        }
        Err(SheetError::NotFound(match wanted {
            Some(wanted) => format!(
                "no worksheet '{wanted}'; the workbook has {}",
                quoted(&names)
            ),
            None => "the workbook has no worksheet".into(),
        }))
    }

    /// The names of the workbook's sheets, in order.
    pub(crate) fn sheet_names(archive: &'a mut Archive) -> Result<Vec<String>, SheetError> {
        let mut rows = Rows::start(archive, &input::Limits::default())?;
        let mut names = Vec::new();
        while let Some((name, empty)) = rows.next_sheet()? {
            if !empty {
                rows.skip_sheet()?;
            }
            names.push(name);
        }
        Ok(names)
    }

    /// `content.xml`, read from its start.
    fn start(archive: &'a mut Archive, limits: &input::Limits) -> Result<Rows<'a>, SheetError> {
        let content = archive
            .by_name(CONTENT)
            .map_err(|e| SheetError::Damaged(format!("{CONTENT}: {e}")))?;
        Ok(Rows {
            xml: Reader::from_reader(BufReader::new(content)),
            buf: Vec::new(),
            next: 0,
            repeated: None,
            done: false,
            max_row_bytes: limits.max_record_bytes,
        })
    }

    /// The next sheet's start: its name, and whether it is empty (written as one element).
    fn next_sheet(&mut self) -> Result<Option<(String, bool)>, SheetError> {
        loop {
            self.buf.clear();
            let (name, empty) = match self.xml.read_event_into(&mut self.buf) {
                Ok(Event::Start(e)) if e.name() == TABLE => (sheet_name(&e), false),
                Ok(Event::Empty(e)) if e.name() == TABLE => (sheet_name(&e), true),
                Ok(Event::Eof) => return Ok(None),
                Ok(_) => continue,
                Err(e) => return Err(damaged(e)),
            };
            return Ok(Some((name.map_err(damaged)?, empty)));
        }
    }

    /// Reads past the rest of the sheet just started.
    fn skip_sheet(&mut self) -> Result<(), SheetError> {
        self.buf.clear();
        self.xml
            .read_to_end_into(TABLE, &mut self.buf)
            .map_err(damaged)?;
        Ok(())
    }

    /// The row number (as a spreadsheet shows it) of the next row.
    fn line(&self) -> u64 {
        self.next + 1
    }

    fn damage(&mut self, message: String) -> Damage {
        self.done = true;
        (self.line(), message)
    }

    fn xml_damage(&mut self, e: quick_xml::Error) -> Damage {
        self.damage(format!("{CONTENT}: {e}"))
    }

    fn too_long(&mut self) -> Damage {
        let message = format!(
            "a row of more than {} bytes, past the largest record (Limits)",
            self.max_row_bytes
        );
        self.damage(message)
    }

    /// The fields of the row whose start was just read, up to its end.
    fn read_row(&mut self) -> Result<Vec<Field>, Damage> {
        let mut fields: Vec<Field> = Vec::new();
        // The column the next cell starts at: runs of empty cells only move it.
        let mut column: u64 = 0;
        let mut bytes: u64 = 0;
        loop {
            self.buf.clear();
            let event = self.xml.read_event_into(&mut self.buf);
            let (cell, closed) = match event {
                Ok(Event::Start(e)) if is_cell(&e) => (Cell::of(&e), false),
                Ok(Event::Empty(e)) if is_cell(&e) => (Cell::of(&e), true),
                Ok(Event::End(e)) if e.name() == ROW => return Ok(fields),
                Ok(Event::Eof) => {
                    return Err(self.damage(format!("{CONTENT} ends inside a row")));
                }
                Err(e) => return Err(self.xml_damage(e)),
                Ok(_) => continue,
            };
            let cell = cell.map_err(|e| self.damage(format!("{CONTENT}: {e}")))?;
            let text = if closed {
                String::new()
            } else {
                self.cell_text(cell.wants_text())?
            };
            let field = cell.field(text);
            if field == Field::default() {
                column = column.saturating_add(cell.repeats);
                continue;
            }
            let end = column.saturating_add(cell.repeats);
            if end > u64::from(MAX_COLUMNS) {
                return Err(self.damage(format!(
                    "a cell in column {end}, past a spreadsheet's {MAX_COLUMNS} columns: the sheet is damaged"
                )));
            }
            bytes = bytes.saturating_add((field.text.len() as u64).saturating_mul(cell.repeats));
            if bytes > self.max_row_bytes {
                return Err(self.too_long());
            }
            // Both within MAX_COLUMNS: checked above.
            fields.resize_with(column as usize, Field::default);
            fields.resize(end as usize, field);
            column = end;
        }
    }

    /// A cell's text up to its end: its paragraphs on lines of their own, `<text:s>` as spaces,
    /// tabs and line breaks as written; annotations (comments) left out. Not `keep`: only read
    /// past it.
    fn cell_text(&mut self, keep: bool) -> Result<String, Damage> {
        let mut text = String::new();
        let mut paragraphs = 0u32;
        let mut depth_in_paragraph = 0u32;
        // Cells of a table inside this one (a drawing's): their ends are not this cell's.
        let mut nested_cells = 0u32;
        loop {
            self.buf.clear();
            let event = match self.xml.read_event_into(&mut self.buf) {
                Ok(event) => event,
                Err(e) => return Err(self.xml_damage(e)),
            };
            let mut annotation = false;
            match event {
                Event::End(e) if is_cell_name(e.name()) => {
                    if nested_cells == 0 {
                        return Ok(text);
                    }
                    nested_cells -= 1;
                }
                Event::Start(e) if is_cell(&e) => nested_cells += 1,
                Event::Eof => return Err(self.damage(format!("{CONTENT} ends inside a cell"))),
                _ if !keep => {}
                Event::Start(e) if e.name() == ANNOTATION => annotation = true,
                Event::Start(e) if is_paragraph(&e) => {
                    if paragraphs > 0 && depth_in_paragraph == 0 {
                        text.push('\n');
                    }
                    paragraphs += 1;
                    depth_in_paragraph += 1;
                }
                Event::Empty(e) if is_paragraph(&e) => {
                    if paragraphs > 0 {
                        text.push('\n');
                    }
                    paragraphs += 1;
                }
                Event::End(e) if e.name() == PARAGRAPH || e.name() == HEADING => {
                    depth_in_paragraph = depth_in_paragraph.saturating_sub(1);
                }
                Event::Start(e) | Event::Empty(e) if depth_in_paragraph > 0 => {
                    match e.name().as_ref() {
                        "text:s" => {
                            let count = attribute(&e, "text:c")
                                .ok()
                                .flatten()
                                .and_then(|c| c.parse::<u64>().ok())
                                .unwrap_or(1);
                            let room = self.max_row_bytes.saturating_sub(text.len() as u64);
                            if count > room {
                                return Err(self.too_long());
                            }
                            text.extend(std::iter::repeat_n(' ', count as usize));
                        }
                        "text:tab" => text.push('\t'),
                        "text:line-break" => text.push('\n'),
                        _ => {}
                    }
                }
                Event::Text(t) if depth_in_paragraph > 0 => text.push_str(&t.xml10_content()),
                Event::GeneralRef(r) if depth_in_paragraph > 0 => {
                    let entity: &str = &r;
                    match quick_xml::escape::resolve_predefined_entity(entity) {
                        Some(resolved) => text.push_str(resolved),
                        None => match r.resolve_char_ref() {
                            Ok(Some(c)) => text.push(c),
                            _ => {
                                let message = format!("{CONTENT}: unknown entity &{entity};");
                                return Err(self.damage(message));
                            }
                        },
                    }
                }
                _ => {}
            }
            if annotation {
                self.buf.clear();
                if let Err(e) = self.xml.read_to_end_into(ANNOTATION, &mut self.buf) {
                    return Err(self.xml_damage(e));
                }
            }
            if text.len() as u64 > self.max_row_bytes {
                return Err(self.too_long());
            }
        }
    }
}

impl SheetRows for Rows<'_> {
    fn next_row(&mut self) -> Result<Option<NumberedRow>, Damage> {
        if let Some((fields, left)) = &mut self.repeated {
            let fields = if *left > 1 {
                *left -= 1;
                fields.clone()
            } else {
                let fields = std::mem::take(fields);
                self.repeated = None;
                fields
            };
            let line = self.line();
            self.next += 1;
            return Ok(Some((line, fields)));
        }
        // Nested tables (a table in a drawing) are skipped: only this table's end ends it.
        let mut nested = 0u32;
        while !self.done {
            self.buf.clear();
            let (repeats, closed) = match self.xml.read_event_into(&mut self.buf) {
                Ok(Event::Start(e)) if e.name() == ROW && nested == 0 => (row_repeats(&e), false),
                Ok(Event::Empty(e)) if e.name() == ROW && nested == 0 => (row_repeats(&e), true),
                Ok(Event::Start(e)) if e.name() == TABLE => {
                    nested += 1;
                    continue;
                }
                Ok(Event::End(e)) if e.name() == TABLE => {
                    if nested == 0 {
                        self.done = true;
                    }
                    nested = nested.saturating_sub(1);
                    continue;
                }
                Ok(Event::Eof) => {
                    return Err(self.damage(format!("{CONTENT} ends inside the worksheet")));
                }
                Err(e) => return Err(self.xml_damage(e)),
                Ok(_) => continue,
            };
            let repeats = repeats.map_err(|e| self.damage(format!("{CONTENT}: {e}")))?;
            let fields = if closed { Vec::new() } else { self.read_row()? };
            if fields.is_empty() {
                self.next = self.next.saturating_add(repeats);
                continue;
            }
            if self.next.saturating_add(repeats) > MAX_ROWS {
                let last = self.next.saturating_add(repeats);
                return Err(self.damage(format!(
                    "a row repeated up to row {last}, past a spreadsheet's {MAX_ROWS} rows: the sheet is damaged"
                )));
            }
            if repeats > 1 {
                self.repeated = Some((fields.clone(), repeats - 1));
            }
            let line = self.line();
            self.next += 1;
            return Ok(Some((line, fields)));
        }
        Ok(None)
    }
}

fn damaged(e: quick_xml::Error) -> SheetError {
    SheetError::Damaged(format!("{CONTENT}: {e}"))
}

const TABLE: QName<'static> = QName("table:table");
const ROW: QName<'static> = QName("table:table-row");
const ANNOTATION: QName<'static> = QName("office:annotation");
const PARAGRAPH: QName<'static> = QName("text:p");
const HEADING: QName<'static> = QName("text:h");

fn is_cell_name(name: QName<'_>) -> bool {
    name.as_ref() == "table:table-cell" || name.as_ref() == "table:covered-table-cell"
}

fn is_cell(e: &BytesStart<'_>) -> bool {
    is_cell_name(e.name())
}

fn is_paragraph(e: &BytesStart<'_>) -> bool {
    e.name() == PARAGRAPH || e.name() == HEADING
}

/// An attribute's value, unescaped; `None` when absent.
fn attribute(e: &BytesStart<'_>, key: &str) -> Result<Option<String>, quick_xml::Error> {
    for attribute in e.attributes() {
        let attribute = attribute.map_err(quick_xml::Error::from)?;
        if attribute.key.as_ref() == key {
            return Ok(Some(
                attribute
                    .normalized_value(XmlVersion::Implicit1_0)?
                    .into_owned(),
            ));
        }
    }
    Ok(None)
}

fn sheet_name(e: &BytesStart<'_>) -> Result<String, quick_xml::Error> {
    Ok(attribute(e, "table:name")?.unwrap_or_default())
}

/// A repeat count: 1 when absent.
fn repeats(e: &BytesStart<'_>, key: &str) -> Result<u64, String> {
    match attribute(e, key).map_err(|e| e.to_string())? {
        None => Ok(1),
        Some(text) => match text.parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!("{key} is not a repeat count: '{text}'")),
        },
    }
}

fn row_repeats(e: &BytesStart<'_>) -> Result<u64, String> {
    repeats(e, "table:number-rows-repeated")
}

/// What a cell's attributes say: its type, its value when not its text, how often it repeats.
struct Cell {
    value_type: Option<String>,
    value: Option<String>,
    error: bool,
    repeats: u64,
}

impl Cell {
    fn of(e: &BytesStart<'_>) -> Result<Cell, String> {
        let mut cell = Cell {
            value_type: None,
            value: None,
            error: false,
            repeats: repeats(e, "table:number-columns-repeated")?,
        };
        for attribute in e.attributes() {
            let attribute = attribute.map_err(|e| e.to_string())?;
            let value = || {
                attribute
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map(|v| v.into_owned())
                    .map_err(|e| e.to_string())
            };
            match attribute.key.as_ref() {
                "office:value-type" => cell.value_type = Some(value()?),
                "calcext:value-type" => cell.error = value()? == "error",
                "office:value"
                | "office:date-value"
                | "office:time-value"
                | "office:boolean-value"
                | "office:string-value" => cell.value = Some(value()?),
                _ => {}
            }
        }
        Ok(cell)
    }

    /// Whether the field is the cell's text (a string, or a value that does not read).
    fn wants_text(&self) -> bool {
        !self.error && self.value_field().is_none()
    }

    /// The field its value attribute gives, when it gives one.
    fn value_field(&self) -> Option<Field> {
        let value = self.value.as_deref()?;
        match self.value_type.as_deref()? {
            "float" | "percentage" | "currency" => {
                let x: f64 = value.trim().parse().ok()?;
                // ODF writers keep 15 significant digits in exponent notation: an id past
                // 10^15 has lost some, whatever the double holds.
                let lost = value.contains(['e', 'E']) && x.abs() >= 1e15;
                Some(if lost {
                    Field::lost_digits(x)
                } else {
                    Field::number(x)
                })
            }
            "date" => {
                let moment = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f")
                    .ok()
                    .or_else(|| {
                        let day = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()?;
                        day.and_hms_opt(0, 0, 0)
                    })?;
                Some(Field {
                    text: moment.format(DATE_FORMAT).to_string(),
                    is_date: true,
                })
            }
            "boolean" => Some(Field::of_text(value.to_ascii_lowercase())),
            "time" | "string" => Some(Field::of_text(value.to_owned())),
            _ => None,
        }
    }

    fn field(&self, text: String) -> Field {
        if self.error {
            return Field::default();
        }
        self.value_field().unwrap_or_else(|| Field::of_text(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(xml: &str) -> Cell {
        let mut reader = Reader::from_str(xml);
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => Cell::of(&e).unwrap(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn values_are_read_from_their_attributes() {
        let float = cell(r#"<table:table-cell office:value-type="float" office:value="119237">"#);
        assert_eq!(float.field("119.237".into()).text, "119237");
        let lost = cell(
            r#"<table:table-cell office:value-type="float" office:value="1.34859275194067E+018">"#,
        );
        let lost = lost.field(String::new()).text;
        assert!(super::super::csv::normalize_id(&lost).is_err(), "{lost}");
        let date = cell(
            r#"<table:table-cell office:value-type="date" office:date-value="2017-10-31T22:10:47">"#,
        );
        assert_eq!(
            date.field(String::new()),
            Field {
                text: "2017-10-31T22:10:47.000".into(),
                is_date: true
            }
        );
        let day =
            cell(r#"<table:table-cell office:value-type="date" office:date-value="2017-10-31"/>"#);
        assert_eq!(day.field(String::new()).text, "2017-10-31T00:00:00.000");
        let error = cell(
            r#"<table:table-cell office:value-type="string" calcext:value-type="error" office:string-value="">"#,
        );
        assert_eq!(error.field("#N/A".into()), Field::default());
        let text = cell(r#"<table:table-cell office:value-type="string">"#);
        assert!(text.wants_text());
        assert_eq!(text.field("a &b".into()).text, "a &b");
        assert_eq!(
            cell(r#"<table:table-cell table:number-columns-repeated="16378"/>"#).repeats,
            16378
        );
        let bad = r#"<table:table-cell table:number-columns-repeated="-1"/>"#;
        let mut reader = Reader::from_str(bad);
        let Ok(Event::Empty(e)) = reader.read_event() else {
            panic!()
        };
        assert!(Cell::of(&e).is_err());
    }
}
