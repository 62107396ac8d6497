//! Excel workbooks with a column mapping: tests/fixtures/xlsx/webcare.xlsx holds the first 200
//! tweets of the Customer Support on Twitter sample (data/webcare, CC BY-NC-SA 4.0) as a
//! monitoring tool's export would (numbers, Excel dates, a date written as text), written by
//! make_workbook.py there, and a sheet of long ids.

mod common;

use common::{content, read, read_with, repo};
use dialoog_ingest::{Format, IngestError, Options};

fn fixture(name: &str) -> std::path::PathBuf {
    repo(&format!("crates/ingest/tests/fixtures/xlsx/{name}"))
}

#[test]
fn a_workbook_gives_the_posts_its_csv_gives() {
    // The mapping beside it (webcare.mapping.toml) names the sheet "tweets".
    let (sheet, stats, file) = read(&fixture("webcare.xlsx"));
    assert_eq!(file.format, Format::Xlsx);
    assert_eq!(stats.format, "xlsx");
    assert!(sheet.quarantined.is_empty(), "{:?}", sheet.quarantined);
    assert_eq!(sheet.posts.len(), 200);
    // Records are the rows as Excel numbers them: the header is row 1.
    assert_eq!(sheet.posts[0].source_record, 2);
    assert_eq!(sheet.posts[199].source_record, 201);

    let options = Options {
        mapping: Some(repo("data/webcare/twcs.mapping.toml")),
        ..Options::default()
    };
    let (csv, _, _) = read_with(&repo("data/webcare/twcs_head.csv"), &options);
    for (from_sheet, from_csv) in sheet.posts.iter().zip(&csv.posts) {
        assert_eq!(content(from_sheet), content(from_csv));
    }
    // Row 11 holds its date as text, in the mapping's time_format.
    let texted = &sheet.posts[9];
    assert_eq!(texted.source_record, 11);
    assert_eq!(texted.created_at.to_rfc3339(), "2017-10-31T20:03:31+00:00");
}

#[test]
fn an_id_excel_stored_as_a_long_number_is_quarantined_not_guessed() {
    let options = Options {
        mapping: Some(fixture("ids.mapping.toml")),
        ..Options::default()
    };
    let (sink, stats, _) = read_with(&fixture("webcare.xlsx"), &options);
    assert_eq!((stats.read, stats.quarantined), (3, 1));
    let ids: Vec<&str> = sink.posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["1348592722928656384", "42"]);
    let quarantined = &sink.quarantined[0];
    assert_eq!(quarantined.record, 3);
    assert_eq!(quarantined.field.as_deref(), Some("id"));
    assert!(
        quarantined.reason.contains("digits are lost"),
        "{}",
        quarantined.reason
    );
}

#[test]
fn a_workbook_without_a_mapping_or_with_a_missing_sheet_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let lone = dir.path().join("export.xlsx");
    std::fs::copy(fixture("webcare.xlsx"), &lone).unwrap();
    let err = dialoog_ingest::plan(std::slice::from_ref(&lone), &Options::default()).unwrap_err();
    assert!(
        matches!(&err, IngestError::Mapping { message, .. }
            if message.contains("a spreadsheet needs a column mapping")
                && message.contains("export.mapping.toml")),
        "{err}"
    );

    let mapping = dir.path().join("export.mapping.toml");
    let text = std::fs::read_to_string(fixture("webcare.mapping.toml"))
        .unwrap()
        .replace("sheet = \"tweets\"", "sheet = \"Blad1\"");
    std::fs::write(&mapping, text).unwrap();
    let planned = dialoog_ingest::plan(std::slice::from_ref(&lone), &Options::default()).unwrap();
    let mut sink = common::Collect::default();
    let err =
        dialoog_ingest::read_file(&planned.files[0], &Options::default(), &mut sink).unwrap_err();
    assert!(
        matches!(&err, IngestError::Mapping { message, .. } if message.contains("'Blad1'")),
        "{err}"
    );
}

/// webcare.xlsx and its mapping copied into `dir`, each member as `edit` makes it, and `extra`
/// members added.
fn rewritten(
    dir: &std::path::Path,
    edit: impl Fn(&str, Vec<u8>) -> Vec<u8>,
    extra: &[(&str, Vec<u8>)],
) -> std::path::PathBuf {
    use std::io::{Read, Write};
    let path = dir.join("webcare.xlsx");
    std::fs::copy(
        fixture("webcare.mapping.toml"),
        dir.join("webcare.mapping.toml"),
    )
    .unwrap();
    let mut original =
        zip::ZipArchive::new(std::fs::File::open(fixture("webcare.xlsx")).unwrap()).unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for index in 0..original.len() {
        let mut member = original.by_index(index).unwrap();
        let name = member.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        member.read_to_end(&mut bytes).unwrap();
        zip.start_file(name.as_str(), deflated).unwrap();
        zip.write_all(&edit(&name, bytes)).unwrap();
    }
    for (name, bytes) in extra {
        zip.start_file(*name, deflated).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    path
}

fn read_planned(
    path: &std::path::Path,
    options: &Options,
) -> (
    common::Collect,
    Result<dialoog_ingest::FileStats, IngestError>,
) {
    let planned = dialoog_ingest::plan(&[path.to_owned()], options).unwrap();
    assert_eq!(planned.files[0].format, Format::Xlsx);
    let mut sink = common::Collect::default();
    let result = dialoog_ingest::read_file(&planned.files[0], options, &mut sink);
    (sink, result)
}

#[test]
fn a_workbook_member_that_would_expand_past_the_limits_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    // 8 MB of zeros deflate about 1000 to 1, past the 200 allowed beyond the floor.
    let bomb = rewritten(
        dir.path(),
        |_, bytes| bytes,
        &[("xl/media/image1.png", vec![0; 8 << 20])],
    );
    let options = Options {
        limits: dialoog_ingest::Limits {
            expansion_floor: 1 << 20,
            ..dialoog_ingest::Limits::default()
        },
        ..Options::default()
    };
    let (sink, result) = read_planned(&bomb, &options);
    let err = result.unwrap_err();
    assert!(
        matches!(&err, IngestError::Archive { message, .. } if message.contains("xl/media/image1.png")),
        "{err}"
    );
    assert!(sink.posts.is_empty());
}

#[test]
fn a_cell_past_the_last_column_ends_the_sheet_without_making_room_for_it() {
    // Found by the fuzzer: a damaged reference made the reader reserve 100 GB for one row.
    let dir = tempfile::tempdir().unwrap();
    let damaged = rewritten(
        dir.path(),
        |name, bytes| {
            if name == "xl/worksheets/sheet1.xml" {
                String::from_utf8(bytes)
                    .unwrap()
                    .replace(r#"<c r="B101""#, r#"<c r="ZZZZZZ101""#)
                    .into_bytes()
            } else {
                bytes
            }
        },
        &[],
    );
    let (sink, result) = read_planned(&damaged, &Options::default());
    result.unwrap();
    // Rows 2 to 100 are read; the damaged row ends the sheet, quarantined with the reason.
    assert_eq!(sink.posts.len(), 99);
    assert_eq!(sink.quarantined.len(), 1);
    assert_eq!(sink.quarantined[0].record, 101);
    assert!(
        sink.quarantined[0]
            .reason
            .contains("past Excel's 16384 columns"),
        "{}",
        sink.quarantined[0].reason
    );
}

#[test]
fn a_shared_strings_table_claiming_more_strings_than_it_can_hold_is_refused() {
    // calamine reserves room for the claimed number before reading a string.
    let dir = tempfile::tempdir().unwrap();
    let damaged = rewritten(
        dir.path(),
        |name, bytes| {
            if name != "xl/sharedStrings.xml" {
                return bytes;
            }
            let table = String::from_utf8(bytes).unwrap();
            let start = table.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
            let end = start + table[start..].find('"').unwrap();
            format!("{}99999999999{}", &table[..start], &table[end..]).into_bytes()
        },
        &[],
    );
    let (sink, result) = read_planned(&damaged, &Options::default());
    let err = result.unwrap_err();
    assert!(
        matches!(&err, IngestError::Archive { message, .. }
            if message.contains("99999999999 strings")),
        "{err}"
    );
    assert!(sink.posts.is_empty());
}

#[test]
fn date_cells_and_text_dates_are_read_in_the_mappings_time_zone() {
    let dir = tempfile::tempdir().unwrap();
    let workbook = dir.path().join("webcare.xlsx");
    std::fs::copy(fixture("webcare.xlsx"), &workbook).unwrap();
    let mapping = std::fs::read_to_string(fixture("webcare.mapping.toml")).unwrap();
    std::fs::write(
        dir.path().join("webcare.mapping.toml"),
        format!("time_zone = \"Europe/Amsterdam\"\n{mapping}"),
    )
    .unwrap();
    let (in_utc, _, _) = read(&fixture("webcare.xlsx"));
    let (in_amsterdam, stats, _) = read(&workbook);
    assert_eq!(stats.quarantined, 0);
    // The same wall-clock times, now in Amsterdam: an hour ahead of UTC in winter time, two in
    // summer time (the sample spans 29 October 2017), date cells and the text date alike.
    use chrono::TimeZone as _;
    let mut offsets = std::collections::BTreeSet::new();
    for (utc, local) in in_utc.posts.iter().zip(&in_amsterdam.posts) {
        let wall_clock = utc.created_at.naive_utc();
        let expected = chrono_tz::Europe::Amsterdam
            .from_local_datetime(&wall_clock)
            .earliest()
            .unwrap();
        assert_eq!(local.created_at, expected, "{}", local.source_record);
        offsets.insert((utc.created_at - local.created_at).num_hours());
    }
    assert_eq!(offsets.into_iter().collect::<Vec<_>>(), [1, 2]);
    assert_eq!(in_amsterdam.posts.len(), 200);

    std::fs::write(
        dir.path().join("webcare.mapping.toml"),
        format!("time_zone = \"Amsterdam\"\n{mapping}"),
    )
    .unwrap();
    let err = dialoog_ingest::read_file(
        &dialoog_ingest::InputFile {
            path: workbook.clone(),
            size: 1,
            format: Format::Xlsx,
        },
        &Options::default(),
        &mut common::Collect::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, IngestError::Mapping { message, .. }
            if message.contains("unknown time_zone 'Amsterdam'")),
        "{err}"
    );
}

#[test]
fn spreadsheets_that_are_not_read_say_how_to_save_them() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    // An old .xls starts as every OLE compound file does.
    let xls = dir.path().join("export.xls");
    let mut compound = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
    compound.resize(4096, 0);
    std::fs::write(&xls, compound).unwrap();
    let zipped = |name: &str, member: &str| {
        let path = dir.path().join(name);
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        zip.start_file(member, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"\x00\x01").unwrap();
        zip.finish().unwrap();
        path
    };
    let xlsb = zipped("export.xlsb", "xl/workbook.bin");
    let numbers = zipped("export.numbers", "Index/Document.iwa");
    for (path, said) in [
        (xls, "an old Excel workbook (.xls)"),
        (xlsb, "an Excel binary workbook (.xlsb): save it as .xlsx"),
        (
            numbers,
            "an Apple Numbers document: export it as .xlsx or CSV",
        ),
    ] {
        let err =
            dialoog_ingest::plan(std::slice::from_ref(&path), &Options::default()).unwrap_err();
        assert!(
            matches!(&err, IngestError::UnknownFormat { reason, .. } if reason.contains(said)),
            "{err}"
        );
        let err = dialoog_ingest::draft_mapping(&path).unwrap_err();
        assert!(err.to_string().contains(said), "{err}");
    }
}
