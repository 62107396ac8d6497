//! OpenDocument spreadsheets with a column mapping: tests/fixtures/xlsx/webcare.ods is
//! webcare.xlsx saved by LibreOffice 7.4 (`soffice --headless --convert-to ods webcare.xlsx`),
//! so it holds the same posts, as LibreOffice writes them (runs of cells and rows with repeat
//! counts, a million empty rows at the end of each sheet). Smaller sheets are written here.

mod common;

use common::{content, read, read_with, repo};
use dialoog_ingest::{Format, IngestError, Options};
use std::io::Write;

fn fixture(name: &str) -> std::path::PathBuf {
    repo(&format!("crates/ingest/tests/fixtures/xlsx/{name}"))
}

#[test]
fn an_ods_gives_the_posts_the_xlsx_gives() {
    let (ods, stats, file) = read(&fixture("webcare.ods"));
    assert_eq!(file.format, Format::Ods);
    assert_eq!(stats.format, "ods");
    assert!(ods.quarantined.is_empty(), "{:?}", ods.quarantined);
    let (xlsx, _, _) = read(&fixture("webcare.xlsx"));
    assert_eq!(ods.posts.len(), 200);
    for (from_ods, from_xlsx) in ods.posts.iter().zip(&xlsx.posts) {
        assert_eq!(from_ods.source_record, from_xlsx.source_record);
        assert_eq!(content(from_ods), content(from_xlsx));
    }
}

#[test]
fn an_id_stored_as_a_long_number_is_quarantined_not_guessed() {
    let options = Options {
        mapping: Some(fixture("ids.mapping.toml")),
        ..Options::default()
    };
    let (sink, stats, _) = read_with(&fixture("webcare.ods"), &options);
    assert_eq!((stats.read, stats.quarantined), (3, 1));
    let ids: Vec<&str> = sink.posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["1348592722928656384", "42"]);
    assert_eq!(sink.quarantined[0].record, 3);
    assert!(
        sink.quarantined[0].reason.contains("digits are lost"),
        "{}",
        sink.quarantined[0].reason
    );
}

#[test]
fn a_missing_sheet_is_named_with_the_sheets_there_are() {
    let dir = tempfile::tempdir().unwrap();
    let workbook = dir.path().join("webcare.ods");
    std::fs::copy(fixture("webcare.ods"), &workbook).unwrap();
    let mapping = std::fs::read_to_string(fixture("webcare.mapping.toml"))
        .unwrap()
        .replace("sheet = \"tweets\"", "sheet = \"Blad1\"");
    std::fs::write(dir.path().join("webcare.mapping.toml"), mapping).unwrap();
    let planned =
        dialoog_ingest::plan(std::slice::from_ref(&workbook), &Options::default()).unwrap();
    let err = dialoog_ingest::read_file(
        &planned.files[0],
        &Options::default(),
        &mut common::Collect::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, IngestError::Mapping { message, .. }
            if message.contains("no worksheet 'Blad1'; the workbook has 'tweets', 'ids'")),
        "{err}"
    );
}

const MAPPING: &str = r#"
platform = "mastodon"
time_format = "%Y-%m-%d"
id = "id"
created_at = "date"
author_handle = "user"
text = "text"
likes = "likes"
reshares = "reshares"
"#;

/// An ODF spreadsheet in `dir` whose first sheet holds `rows` (table rows as content.xml writes
/// them, after a header row), with [`MAPPING`] beside it.
fn sheet(dir: &std::path::Path, rows: &str) -> std::path::PathBuf {
    sheet_below(dir, "", rows)
}

/// [`sheet`] with `above` (rows) above the header row.
fn sheet_below(dir: &std::path::Path, above: &str, rows: &str) -> std::path::PathBuf {
    sheets_after(dir, "", above, rows)
}

/// [`sheet_below`] as the sheet after `before` (whole tables).
fn sheets_after(
    dir: &std::path::Path,
    before: &str,
    above: &str,
    rows: &str,
) -> std::path::PathBuf {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>
{before}<table:table table:name="export"><table:table-column table:number-columns-repeated="5"/>
{above}<table:table-row><table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>date</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>user</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>text</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>likes</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>reshares</text:p></table:table-cell></table:table-row>
{rows}
<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let path = dir.join("export.ods");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file(
        "content.xml",
        stored.compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
    std::fs::write(dir.join("export.mapping.toml"), MAPPING).unwrap();
    path
}

/// A row of cells, each `<table:table-cell …>` as given.
fn row(cells: &[&str]) -> String {
    format!("<table:table-row>{}</table:table-row>", cells.concat())
}

fn text(value: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>"#
    )
}

fn date(day: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="date" office:date-value="{day}"><text:p>{day}</text:p></table:table-cell>"#
    )
}

#[test]
fn repeated_cells_and_rows_paragraphs_spaces_and_comments_read_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let first = row(&[
        &text("1"),
        &date("2024-03-01"),
        &text("gemeente"),
        // Two paragraphs, a run of spaces, a tab, an escaped ampersand and a comment.
        r#"<table:table-cell office:value-type="string"><office:annotation><text:p>check this</text:p></office:annotation><text:p>Tot <text:span>ziens</text:span> &amp; dank<text:s text:c="3"/>x<text:tab/>y</text:p><text:p>tweede regel</text:p></table:table-cell>"#,
        // likes and reshares: both 0, written once with a repeat count.
        r#"<table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="0"><text:p>0</text:p></table:table-cell>"#,
    ]);
    // An empty cell between two values, then 1.234 written as a number with a Dutch display.
    let second = row(&[
        &text("2"),
        &date("2024-03-02T10:30:00"),
        &text("burger"),
        r#"<table:table-cell table:number-columns-repeated="1"/>"#,
        r#"<table:table-cell office:value-type="float" office:value="1234"><text:p>1.234</text:p></table:table-cell>"#,
    ]);
    // Empty rows between posts move the row number only; a row with values written with a
    // repeat count stands for that many rows.
    let rows = format!(
        r#"{first}<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="6"/></table:table-row>{second}<table:table-row table:number-rows-repeated="2">{}</table:table-row>"#,
        [
            text("3"),
            date("2024-03-03"),
            text("burger"),
            text("dubbel"),
        ]
        .concat()
    );
    let path = sheet(dir.path(), &rows);
    let (sink, stats, _) = read(&path);
    assert!(sink.quarantined.is_empty(), "{:?}", sink.quarantined);
    assert_eq!(stats.read, 4);
    let first = &sink.posts[0];
    assert_eq!(first.text, "Tot ziens & dank   x\ty\ntweede regel");
    assert_eq!((first.likes, first.reshares), (Some(0), Some(0)));
    let second = &sink.posts[1];
    assert_eq!(second.text, "");
    assert_eq!((second.likes, second.reshares), (Some(1234), None));
    assert_eq!(second.created_at.to_rfc3339(), "2024-03-02T10:30:00+00:00");
    let records: Vec<u64> = sink.posts.iter().map(|p| p.source_record).collect();
    assert_eq!(records, [2, 6, 7, 8]);
    // The repeated row twice: the store keeps one.
    assert_eq!(content(&sink.posts[2]), content(&sink.posts[3]));
}

#[test]
fn damaged_repeat_counts_end_the_sheet_without_expanding() {
    let dir = tempfile::tempdir().unwrap();
    let good = row(&[&text("1"), &date("2024-03-01"), &text("gemeente")]);
    for (damage, reason) in [
        (
            // A value repeated past the last column would be a row of billions of cells.
            row(&[
                &text("2"),
                r#"<table:table-cell table:number-columns-repeated="4000000000" office:value-type="string"><text:p>x</text:p></table:table-cell>"#,
            ]),
            "past a spreadsheet's 16384 columns",
        ),
        (
            format!(
                r#"<table:table-row table:number-rows-repeated="99999999">{}</table:table-row>"#,
                text("3")
            ),
            "past a spreadsheet's 1048576 rows",
        ),
        (
            row(&[r#"<table:table-cell table:number-columns-repeated="many"/>"#]),
            "not a repeat count: 'many'",
        ),
        (
            row(&[
                r#"<table:table-cell office:value-type="string"><text:p>a<text:s text:c="999999999999"/></text:p></table:table-cell>"#,
            ]),
            "past the largest record",
        ),
    ] {
        let path = sheet(dir.path(), &format!("{good}{damage}"));
        let (sink, stats, _) = read(&path);
        assert_eq!(sink.posts.len(), 1, "{reason}");
        assert_eq!(stats.quarantined, 1, "{reason}");
        assert_eq!(sink.quarantined[0].record, 3);
        assert!(
            sink.quarantined[0].reason.contains(reason),
            "{reason}: {}",
            sink.quarantined[0].reason
        );
    }
}

#[test]
fn a_draft_mapping_reads_an_ods() {
    let dir = tempfile::tempdir().unwrap();
    let path = sheet(
        dir.path(),
        &row(&[&text("1"), &date("2024-03-01"), &text("gemeente")]),
    );
    let draft = dialoog_ingest::draft_mapping(&path).unwrap();
    assert!(draft.contains("sheet = \"export\""), "{draft}");
    assert!(draft.contains("id = \"id\""), "{draft}");
    assert!(draft.contains("text = \"text\""), "{draft}");
}

#[test]
fn a_title_above_the_header_is_found_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let title = format!(
        "{}<table:table-row/>{}",
        row(&[&text("Reacties op @gemeente, oktober 2024")]),
        row(&[&text("Bron: webcare"), &text("export van 1 november")]),
    );
    let path = sheet_below(
        dir.path(),
        &title,
        &[
            row(&[
                &text("1"),
                &date("2024-10-01"),
                &text("gemeente"),
                &text("a"),
            ]),
            row(&[&text("2"), &date("2024-10-02"), &text("burger"), &text("b")]),
        ]
        .concat(),
    );
    // Without header_row the title is taken for the header, and the columns are missing.
    let planned = dialoog_ingest::plan(std::slice::from_ref(&path), &Options::default()).unwrap();
    let err = dialoog_ingest::read_file(
        &planned.files[0],
        &Options::default(),
        &mut common::Collect::default(),
    )
    .unwrap_err();
    assert!(matches!(err, IngestError::Mapping { .. }), "{err}");

    let draft = dialoog_ingest::draft_mapping(&path).unwrap();
    assert!(draft.contains("header_row = 4 "), "{draft}");
    assert!(draft.contains("id = \"id\""), "{draft}");
    std::fs::write(dir.path().join("export.mapping.toml"), &draft).unwrap();
    let (sink, stats, _) = read(&path);
    assert_eq!((stats.read, stats.quarantined), (2, 0));
    let rows: Vec<u64> = sink.posts.iter().map(|p| p.source_record).collect();
    assert_eq!(rows, [5, 6]);
}

#[test]
fn a_draft_passes_over_a_summary_sheet_before_the_posts() {
    let dir = tempfile::tempdir().unwrap();
    let summary = format!(
        r#"<table:table table:name="Samenvatting">{}{}</table:table>"#,
        row(&[&text("Periode"), &text("oktober 2024")]),
        row(&[&text("Berichten"), &text("2")]),
    );
    let path = sheets_after(
        dir.path(),
        &summary,
        "",
        &row(&[
            &text("1"),
            &date("2024-10-01"),
            &text("gemeente"),
            &text("a"),
        ]),
    );
    let draft = dialoog_ingest::draft_mapping(&path).unwrap();
    assert!(draft.contains("sheet = \"export\""), "{draft}");
    assert!(
        draft.contains("# the other worksheets: \"Samenvatting\""),
        "{draft}"
    );
    assert!(draft.contains("id = \"id\""), "{draft}");
}
