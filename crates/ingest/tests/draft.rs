//! `dialoog mapping`'s drafts: a draft for the shipped webcare sample, as CSV and as a workbook,
//! reads it as the hand-written mapping does; a draft for a file without ids says what is missing.

mod common;

use common::{read_with, repo, shared_only};
use dialoog_ingest::{Mapping, Options};

fn drafted(export: &std::path::Path, dir: &std::path::Path) -> (String, Options) {
    let draft = dialoog_ingest::draft_mapping(export).unwrap();
    let path = dir.join("draft.mapping.toml");
    std::fs::write(&path, &draft).unwrap();
    let options = Options {
        mapping: Some(path),
        ..Options::default()
    };
    (draft, options)
}

/// Asserts that the draft has a line starting with each of `lines`.
fn assert_lines(draft: &str, lines: &[&str]) {
    for line in lines {
        assert!(
            draft.lines().any(|l| l.starts_with(line)),
            "{line} in\n{draft}"
        );
    }
}

#[test]
fn a_draft_for_the_webcare_sample_reads_it_as_the_hand_written_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let csv = repo("data/webcare/twcs_head.csv");
    let (draft, options) = drafted(&csv, dir.path());
    assert_lines(
        &draft,
        &[
            "platform = \"twitter\"",
            "time_format = \"twitter\"",
            "id = \"tweet_id\"",
            "created_at = \"created_at\"",
            "author_id = \"author_id\"",
            "text = \"text\"",
            "in_reply_to_id = \"in_response_to_tweet_id\"",
        ],
    );
    let (by_draft, stats, _) = read_with(&csv, &options);
    assert_eq!((stats.read, stats.quarantined), (5000, 0));
    let hand = Options {
        mapping: Some(repo("data/webcare/twcs.mapping.toml")),
        ..Options::default()
    };
    let (by_hand, _, _) = read_with(&csv, &hand);
    let key = |p: &dialoog_model::Post| {
        (
            p.id.clone(),
            p.author_id.clone(),
            p.created_at,
            p.in_reply_to_id.clone(),
        )
    };
    let by_draft_keys: Vec<_> = by_draft.posts.iter().map(key).collect();
    let handed: Vec<_> = by_hand.posts.iter().map(key).collect();
    assert_eq!(by_draft_keys, handed);

    // The same tweets in a workbook: the sheet named, its date cells read.
    let workbook = repo("crates/ingest/tests/fixtures/xlsx/webcare.xlsx");
    let (draft, options) = drafted(&workbook, dir.path());
    assert!(draft.contains("sheet = \"tweets\""), "{draft}");
    let (sink, stats, _) = read_with(&workbook, &options);
    assert_eq!((stats.read, stats.quarantined), (200, 0));
    assert_eq!(sink.posts[0].created_at, by_hand.posts[0].created_at);
}

#[test]
fn a_draft_for_a_file_without_ids_leaves_them_to_fill_in() {
    let Some(party) = shared_only("nl/party_tweets_2021_2023.csv") else {
        return;
    };
    let draft = dialoog_ingest::draft_mapping(&party).unwrap();
    assert!(
        draft.contains("# id = \"\"   # REQUIRED: no column looked like it"),
        "{draft}"
    );
    assert!(draft.contains("created_at = \"Date\""), "{draft}");
    assert!(draft.contains("time_format = \"%Y-%m-%d\""), "{draft}");
    assert!(draft.contains("text = \"Tweet\""), "{draft}");
    // It does not load until the id is named.
    let path = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(path.path(), &draft).unwrap();
    let err = Mapping::load(path.path()).unwrap_err();
    assert!(err.to_string().contains("missing field `id`"), "{err}");
}

/// A CSV as Dutch Excel saves it: semicolons, day-first times, windows-1252, thousands grouped
/// with a point.
fn excel_csv(dir: &std::path::Path) -> std::path::PathBuf {
    let text = "Bericht-ID;Datum;Gebruiker;Bericht;Volgers;Geüpload\r\n\
                1;31-10-2017 23:10;gemeente;Café De Wereld is dicht – kijk op onze site;12.345;ja\r\n\
                2;01-11-2017 08:05;burger;Wanneer gaat het café weer open? Kost €5;87;nee\r\n\
                3;01-11-2017 09:00;gemeente;@burger Vanaf maandag, ‘gewoon’ weer open;1.000;ja\r\n";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    let path = dir.join("export.csv");
    std::fs::write(&path, &bytes).unwrap();
    path
}

#[test]
fn a_windows_1252_csv_is_read_through_its_mappings_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let export = excel_csv(dir.path());
    let (draft, options) = drafted(&export, dir.path());
    // Its header is not UTF-8 either: still a CSV, its names decoded.
    assert!(
        draft.contains("Its columns: Bericht-ID, Datum, Gebruiker, Bericht, Volgers, Geüpload"),
        "{draft}"
    );
    assert_lines(
        &draft,
        &[
            "encoding = \"windows-1252\"",
            "delimiter = \";\"",
            "time_format = \"%d-%m-%Y %H:%M\"",
            "id = \"Bericht-ID\"",
            "created_at = \"Datum\"",
            "author_handle = \"Gebruiker\"",
            "text = \"Bericht\"",
            "author_followers = \"Volgers\"",
        ],
    );
    let (sink, stats, _) = read_with(&export, &options);
    assert_eq!((stats.read, stats.quarantined), (3, 0));
    // 1.000 is a thousand followers, not one.
    let followers: Vec<_> = sink.posts.iter().map(|p| p.author_followers).collect();
    assert_eq!(followers, [Some(12_345), Some(87), Some(1_000)]);
    assert_eq!(
        sink.posts[1].text,
        "Wanneer gaat het café weer open? Kost €5"
    );
    assert_eq!(
        sink.posts[0].created_at.to_rfc3339(),
        "2017-10-31T23:10:00+00:00"
    );

    // Without the encoding, the rows with other than ASCII are quarantined, naming the field.
    let utf8_only = draft.replace("encoding = \"windows-1252\"", "");
    std::fs::write(dir.path().join("draft.mapping.toml"), &utf8_only).unwrap();
    let (_, stats, _) = read_with(&export, &options);
    assert_eq!((stats.read, stats.quarantined), (3, 3));

    for (label, said) in [
        ("klingon", "unknown encoding 'klingon'"),
        ("utf-16le", "UTF-16 is read by its byte-order mark"),
    ] {
        let bad = draft.replace("\"windows-1252\"", &format!("\"{label}\""));
        std::fs::write(dir.path().join("draft.mapping.toml"), &bad).unwrap();
        let err = Mapping::load(&dir.path().join("draft.mapping.toml")).unwrap_err();
        assert!(err.to_string().contains(said), "{err}");
    }
}

#[test]
fn a_utf16_export_is_read_by_its_byte_order_mark() {
    // As Excel saves "Unicode text": UTF-16 little-endian with its mark, tab-separated, CRLF.
    let dir = tempfile::tempdir().unwrap();
    let text = "Bericht-ID\tDatum\tGebruiker\tBericht\r\n\
                1\t31-10-2017 23:10\tgemeente\tCafé De Wereld is dicht 😀\r\n\
                2\t01-11-2017 08:05\tburger\tΚαλημέρα, wanneer weer open?\r\n";
    for (name, encoding) in [
        ("export-le.txt", encoding_rs::UTF_16LE),
        ("export-be.txt", encoding_rs::UTF_16BE),
    ] {
        let mut bytes: Vec<u8> = Vec::new();
        for unit in text.encode_utf16() {
            let pair = if encoding == encoding_rs::UTF_16LE {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            };
            bytes.extend(pair);
        }
        let mark: &[u8] = if encoding == encoding_rs::UTF_16LE {
            b"\xff\xfe"
        } else {
            b"\xfe\xff"
        };
        let export = dir.path().join(name);
        std::fs::write(&export, [mark, &bytes].concat()).unwrap();
        let (draft, options) = drafted(&export, dir.path());
        assert_lines(
            &draft,
            &[
                "delimiter = \"tab\"",
                "id = \"Bericht-ID\"",
                "text = \"Bericht\"",
            ],
        );
        assert!(!draft.contains("encoding ="), "{draft}");
        let (sink, stats, _) = read_with(&export, &options);
        assert_eq!((stats.read, stats.quarantined), (2, 0), "{name}");
        assert_eq!(sink.posts[0].text, "Café De Wereld is dicht 😀");
        assert_eq!(sink.posts[1].text, "Καλημέρα, wanneer weer open?");
    }
}

#[test]
fn a_report_title_above_the_header_is_found_and_skipped() {
    // As some monitoring tools export: the report's name and filters, a blank line, then the
    // column names. Texts hold more commas than the header.
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("rapport.csv");
    std::fs::write(
        &export,
        "Rapport: reacties op @gemeente\n\
         Periode: 1-10-2024 t/m 31-10-2024\n\
         \n\
         Bericht-ID,Datum,Gebruiker,Bericht\n\
         1,2024-10-01T09:00:00Z,gemeente,\"Goedemorgen, vandaag, morgen, en overmorgen open\"\n\
         2,2024-10-01T09:05:00Z,burger,\"Dank, dank, dank, dank\"\n\
         3,,burger,geen datum\n\
         4,2024-10-01T10:00:00Z,burger,\"Nog een, twee, drie, vier, vijf\"\n",
    )
    .unwrap();
    // No mapping: the title is no header, and the file no known format.
    let err = dialoog_ingest::plan(std::slice::from_ref(&export), &Options::default());
    assert!(err.is_err());

    let (draft, options) = drafted(&export, dir.path());
    assert_lines(
        &draft,
        &[
            "header_row = 4",
            "id = \"Bericht-ID\"",
            "text = \"Bericht\"",
            "time_format = \"rfc3339\"",
        ],
    );
    let (sink, stats, _) = read_with(&export, &options);
    assert_eq!((stats.read, stats.quarantined), (4, 1));
    // Records are the file's lines.
    let lines: Vec<u64> = sink.posts.iter().map(|p| p.source_record).collect();
    assert_eq!(lines, [5, 6, 8]);
    assert_eq!(sink.quarantined[0].record, 7);
    assert_eq!(
        sink.posts[0].text,
        "Goedemorgen, vandaag, morgen, en overmorgen open"
    );

    // Found beside it, the mapping makes the file a CSV for planning too.
    std::fs::copy(
        dir.path().join("draft.mapping.toml"),
        dir.path().join("rapport.mapping.toml"),
    )
    .unwrap();
    let planned = dialoog_ingest::plan(std::slice::from_ref(&export), &Options::default()).unwrap();
    assert_eq!(planned.files[0].format, dialoog_ingest::Format::Csv);

    // header_row counts from 1.
    let zero = draft.replace("header_row = 4", "header_row = 0");
    std::fs::write(dir.path().join("draft.mapping.toml"), zero).unwrap();
    let err = Mapping::load(&dir.path().join("draft.mapping.toml")).unwrap_err();
    assert!(
        err.to_string().contains("header_row counts from 1"),
        "{err}"
    );
}

#[test]
fn an_excel_sep_line_names_the_delimiter() {
    // Some tools start a CSV with Excel's `sep=;`, so that Excel splits its columns.
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.csv");
    std::fs::write(
        &export,
        "sep=;\r\nBericht-ID;Datum;Gebruiker;Bericht\r\n\
         1;2024-10-01T09:00:00Z;gemeente;Goedemorgen, iedereen\r\n\
         2;2024-10-01T09:05:00Z;burger;Dank\r\n",
    )
    .unwrap();
    let (draft, options) = drafted(&export, dir.path());
    assert_lines(&draft, &["delimiter = \";\"", "id = \"Bericht-ID\""]);
    assert!(!draft.contains("header_row"), "{draft}");
    // A mapping without a delimiter reads it too: the line names it.
    let without = draft.replace("delimiter = \";\"", "");
    std::fs::write(dir.path().join("export.mapping.toml"), without).unwrap();
    let planned = dialoog_ingest::plan(std::slice::from_ref(&export), &Options::default()).unwrap();
    assert_eq!(planned.files[0].format, dialoog_ingest::Format::Csv);
    for options in [options, Options::default()] {
        let (sink, stats, _) = read_with(&export, &options);
        assert_eq!((stats.read, stats.quarantined), (2, 0));
        assert_eq!(sink.posts[0].text, "Goedemorgen, iedereen");
        assert_eq!(sink.posts[0].source_record, 3);
    }
}

#[test]
fn an_export_without_ids_takes_each_posts_link_as_its_id() {
    // As monitoring tools export mentions: a link per post, no platform ids.
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("vermeldingen.csv");
    std::fs::write(
        &export,
        "Datum;Auteur;Bericht;URL\n\
         2024-10-01 09:00;gemeente;Vandaag open tot 17.00;https://x.com/gemeente/status/11\n\
         2024-10-01 09:05;burger;Dank!;https://x.com/burger/status/12\n",
    )
    .unwrap();
    let (draft, options) = drafted(&export, dir.path());
    assert_lines(
        &draft,
        &[
            "id = \"URL\"   # no id column: each post's link serves as its id",
            "link = \"URL\"",
            "platform = \"twitter\"",
        ],
    );
    let (sink, stats, _) = read_with(&export, &options);
    assert_eq!((stats.read, stats.quarantined), (2, 0));
    // A tweet's link gives the tweet's own id: the post an API export of it holds.
    assert_eq!(sink.posts[0].id, "11");
    // The post's own link, not one made from the Twitter template.
    assert_eq!(
        sink.posts[1].url.as_deref(),
        Some("https://x.com/burger/status/12")
    );
}

#[test]
fn monitoring_tools_column_names_are_matched() {
    // Coosto's Dutch columns (as AmCAT's importer names them), saved as a sheet that needs a
    // mapping; and OBI4wan's author column, as an analysis script of its export names it.
    let dir = tempfile::tempdir().unwrap();
    let coosto = dir.path().join("coosto.tsv");
    std::fs::write(
        &coosto,
        "datum\turl\tauteur\tvolgers\tdiscussielengte\tbericht tekst\n\
         2024-10-01 09:00\thttps://x.com/gemeente/status/11\tgemeente\t10\t2\tOpen tot 17.00\n",
    )
    .unwrap();
    let (draft, _) = drafted(&coosto, dir.path());
    assert_lines(
        &draft,
        &[
            "text = \"bericht tekst\"",
            "replies = \"discussielengte\"",
            "author_followers = \"volgers\"",
        ],
    );
    let obi = dir.path().join("berichten.csv");
    std::fs::write(
        &obi,
        "Datum;Geplaatst door (optioneel);Bericht;URL\n\
         2021-06-09 12:31;@gemeente;Dank voor je melding;https://x.com/gemeente/status/13\n",
    )
    .unwrap();
    let (draft, _) = drafted(&obi, dir.path());
    assert_lines(
        &draft,
        &[
            "author_handle = \"Geplaatst door (optioneel)\"",
            "text = \"Bericht\"",
        ],
    );
}

#[test]
fn the_mapping_examples_in_the_docs_load() {
    let docs = std::fs::read_to_string(repo("docs/mapping.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let blocks: Vec<&str> = docs
        .split("```toml\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    assert_eq!(blocks.len(), 3);
    for (i, block) in blocks.iter().enumerate() {
        let path = dir.path().join(format!("example{i}.mapping.toml"));
        std::fs::write(&path, block).unwrap();
        Mapping::load(&path).unwrap_or_else(|e| panic!("example {i}: {e}"));
    }
}
