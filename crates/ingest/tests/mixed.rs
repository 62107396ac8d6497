//! One folder with every new source in it, compressed in different ways: each file is detected by
//! its content (not its name) and read; a broken file gives its own quarantine and the rest is
//! still read.

mod common;

use common::{Collect, repo};
use dialoog_ingest::{Format, Options};
use std::io::Write;
use std::path::Path;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(repo(&format!("crates/ingest/tests/fixtures/{path}"))).unwrap()
}

fn write_zst(path: &Path, bytes: &[u8]) {
    let mut encoder =
        zstd::stream::write::Encoder::new(std::fs::File::create(path).unwrap(), 3).unwrap();
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap();
}

fn write_gz(path: &Path, bytes: &[u8]) {
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(path).unwrap(),
        flate2::Compression::fast(),
    );
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap();
}

#[test]
fn a_folder_of_mixed_sources_misleadingly_named() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Names that say nothing (or the wrong thing) about the content.
    write_zst(
        &root.join("a.json"),
        &fixture("reddit/r_self_1cebxh_comments.ndjson"),
    );
    write_gz(
        &root.join("b.csv"),
        &fixture("mastodon-api/public_timeline_head.jsonl"),
    );
    std::fs::write(
        root.join("c.txt"),
        fixture("bluesky/bluesky-firehose-posts.json"),
    )
    .unwrap();
    std::fs::write(
        root.join("d.jsonl"),
        "\u{feff}window.YTD.tweets.part0 = [ { \"tweet\" : { \"id_str\" : \"1\", \"created_at\" : \"Mon Jan 03 01:43:30 +0000 2022\", \"full_text\" : \"hallo\" } } ]\r\n",
    )
    .unwrap();
    // A Reddit dump whose second line is cut off and third is not UTF-8.
    let mut broken = fixture("reddit/r_self_1cebxh_submission.ndjson");
    broken.extend_from_slice(b"{\"id\": \"x\", \"subreddit\": \"self\", \"created_utc\": \n");
    broken.extend_from_slice(
        b"{\"id\": \"y\", \"subreddit\": \"self\", \"created_utc\": 1, \"title\": \"\xff\xfe\"}\n",
    );
    write_zst(&root.join("e.zst"), &broken);

    let planned = dialoog_ingest::plan(&[root.to_owned()], &Options::default())
        .unwrap()
        .files;
    let formats: Vec<Format> = planned.iter().map(|f| f.format).collect();
    assert_eq!(
        formats,
        [
            Format::Reddit,
            Format::MastodonApi,
            Format::Bluesky,
            Format::XArchive,
            Format::Reddit
        ]
    );
    let mut counts = Vec::new();
    for file in &planned {
        let mut sink = Collect::default();
        let stats = dialoog_ingest::read_file(file, &Options::default(), &mut sink).unwrap();
        counts.push((stats.read, stats.quarantined));
        if file.path.ends_with("e.zst") {
            let records: Vec<u64> = sink.quarantined.iter().map(|q| q.record).collect();
            assert_eq!(records, [2, 3]);
            assert!(
                sink.quarantined[1].reason.contains("UTF-8"),
                "{:?}",
                sink.quarantined[1]
            );
            assert!(sink.quarantined[0].file.ends_with("e.zst"));
        }
    }
    assert_eq!(counts, [(8, 0), (6, 0), (9, 0), (1, 0), (3, 2)]);
}

/// An export folder as users have it: exports beside a licence, a README, a PDF, a registry CSV
/// without a mapping, an empty file, a zip that is no X archive and a hidden file. Those are
/// skipped, each with its path and reason; every export is still planned and read.
#[test]
fn files_of_unknown_format_in_a_folder_are_skipped_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::create_dir_all(root.join("youtube")).unwrap();
    std::fs::copy(
        repo("crates/ingest/tests/fixtures/reddit/r_self_1cebxh_comments.ndjson"),
        root.join("comments.ndjson"),
    )
    .unwrap();
    std::fs::copy(
        repo("crates/ingest/tests/fixtures/youtube/ytdt_v2_comments.csv"),
        root.join("youtube/comments.csv"),
    )
    .unwrap();
    std::fs::copy(
        repo("crates/ingest/tests/fixtures/4cat/LICENSE"),
        root.join("LICENSE"),
    )
    .unwrap();
    std::fs::write(
        root.join("README.md"),
        "# Export of 2024-05-01\n\nCollected with twarc2.\n",
    )
    .unwrap();
    std::fs::write(
        root.join("docs/method.pdf"),
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
    )
    .unwrap();
    std::fs::write(
        root.join("registry.csv"),
        "handle,role\ngemeente,government\n",
    )
    .unwrap();
    std::fs::write(root.join("empty.jsonl"), "").unwrap();
    std::fs::write(root.join("photos.zip"), b"PK\x03\x04garbage").unwrap();
    std::fs::write(root.join(".DS_Store"), b"\0\0\0\x01Bud1").unwrap();

    let plan = dialoog_ingest::plan(&[root.to_owned()], &Options::default()).unwrap();
    let name = |path: &Path| path.strip_prefix(root).unwrap().display().to_string();
    let files: Vec<(String, Format)> = plan
        .files
        .iter()
        .map(|f| (name(&f.path), f.format))
        .collect();
    assert_eq!(
        files,
        [
            ("comments.ndjson".to_owned(), Format::Reddit),
            ("youtube/comments.csv".to_owned(), Format::YoutubeDataTools),
        ]
    );
    let skipped: Vec<(String, &str)> = plan
        .skipped
        .iter()
        .map(|s| (name(Path::new(&s.path)), s.reason.as_str()))
        .collect();
    let names: Vec<&str> = skipped.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "LICENSE",
            "README.md",
            "docs/method.pdf",
            "empty.jsonl",
            "photos.zip",
            "registry.csv"
        ]
    );
    for (file, reason) in &skipped {
        let expected = match file.as_str() {
            "empty.jsonl" => "the file is empty",
            "photos.zip" => "zip",
            "registry.csv" => "registry.mapping.toml",
            _ => "unknown format: the content matches none of the known formats",
        };
        assert!(reason.contains(expected), "{file}: {reason}");
    }
    for file in &plan.files {
        let mut sink = Collect::default();
        let stats = dialoog_ingest::read_file(file, &Options::default(), &mut sink).unwrap();
        assert!(stats.read > 0 && stats.quarantined == 0, "{stats:?}");
    }

    // Named explicitly, a file of unknown format is still an error.
    let err = dialoog_ingest::plan(&[root.join("LICENSE")], &Options::default()).unwrap_err();
    assert!(matches!(
        err,
        dialoog_ingest::IngestError::UnknownFormat { .. }
    ));
}

/// Every shipped fixture is detected as its own format: no detector takes another's files.
#[test]
fn every_fixture_is_detected_as_its_format() {
    let expected = [
        ("4cat/twitter_noflat_head.csv", Format::FourCat),
        ("bluesky/bluesky-firehose-posts.json", Format::Bluesky),
        ("bluesky/bluesky-posts.json", Format::Bluesky),
        ("bluesky/bluesky-tap-posts.json", Format::Bluesky),
        ("bluesky/bnewbold.robocracy.org.car", Format::Bluesky),
        ("bluesky/paul_staging.repo.car", Format::Bluesky),
        (
            "coordination-csv/sample_data_head.csv",
            Format::CoordinationCsv,
        ),
        ("coosto/berichten.csv", Format::Coosto),
        ("coosto/messages-en.csv", Format::Coosto),
        ("crowdtangle/facebook_group.csv", Format::CrowdTangle),
        ("crowdtangle/facebook_pages.csv", Format::CrowdTangle),
        ("crowdtangle/instagram.csv", Format::CrowdTangle),
        ("facebook/comment_by_parent_p1.json", Format::Facebook),
        ("facebook/comments_p1.json", Format::Facebook),
        ("facebook/feed_fields_p1.json", Format::Facebook),
        ("facebook/group_feed_p1.json", Format::Facebook),
        ("mastodon-api/context.json", Format::MastodonApi),
        (
            "mastodon-api/public_timeline_head.jsonl",
            Format::MastodonApi,
        ),
        ("reddit/r_self_1cebxh_comments.ndjson", Format::Reddit),
        ("reddit/r_self_1cebxh_submission.ndjson", Format::Reddit),
        ("telegram/DM_2A_7M.json", Format::Telegram),
        ("telegram/account_result.json", Format::Telegram),
        ("twarc-csv/noflat_head.csv", Format::TwarcCsv),
        ("twitwi/bluesky-posts-export.csv", Format::Twitwi),
        ("twitwi/tweet-export.csv", Format::Twitwi),
        ("twitwi/tweet-export.jsonl", Format::Twitwi),
        ("xlsx/webcare.ods", Format::Ods),
        ("xlsx/webcare.xlsx", Format::Xlsx),
        ("youtube/comment_threads_all_to_me.json", Format::Youtube),
        (
            "youtube/comment_threads_by_video_paged_2.json",
            Format::Youtube,
        ),
        ("youtube/comments_by_parent_paged_1.json", Format::Youtube),
        (
            "youtube/ytdt_classic_comments.csv",
            Format::YoutubeDataTools,
        ),
        ("youtube/ytdt_v2_comments.csv", Format::YoutubeDataTools),
        ("zeeschuimer/4cat_tiktok_export.ndjson", Format::Zeeschuimer),
        ("zeeschuimer/instagram.ndjson", Format::Zeeschuimer),
        ("zeeschuimer/tiktok.ndjson", Format::Zeeschuimer),
    ];
    let root = repo("crates/ingest/tests/fixtures");
    let plan = dialoog_ingest::plan(std::slice::from_ref(&root), &Options::default()).unwrap();
    let got: Vec<(String, Format)> = plan
        .files
        .iter()
        .map(|f| {
            (
                f.path.strip_prefix(&root).unwrap().display().to_string(),
                f.format,
            )
        })
        .collect();
    let want: Vec<(String, Format)> = expected
        .iter()
        .map(|(p, f)| ((*p).to_owned(), *f))
        .collect();
    assert_eq!(got, want);
    // The rest of the folder (licences, READMEs, scripts) is skipped, each with a reason.
    assert!(plan.skipped.iter().all(|s| !s.reason.is_empty()));
    assert!(plan.skipped.iter().any(|s| s.path.ends_with("README.md")));
}

#[test]
fn a_tool_csv_behind_an_excel_sep_line_is_still_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let original = repo("crates/ingest/tests/fixtures/twitwi/tweet-export.csv");
    let with_sep = dir.path().join("tweets.csv");
    let mut bytes = b"sep=,\r\n".to_vec();
    bytes.extend(std::fs::read(&original).unwrap());
    std::fs::write(&with_sep, bytes).unwrap();
    let (plain, _, _) = common::read(&original);
    let (behind, stats, file) = common::read(&with_sep);
    assert_eq!(file.format, Format::Twitwi);
    assert_eq!(stats.quarantined, 0);
    assert_eq!(behind.posts.len(), plain.posts.len());
    // Records are the file's lines: one more than without the line.
    for (a, b) in behind.posts.iter().zip(&plain.posts) {
        assert_eq!(a.source_record, b.source_record + 1);
        assert_eq!(common::content(a), common::content(b));
    }
}
