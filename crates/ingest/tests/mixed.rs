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

    let planned = dialoog_ingest::plan(&[root.to_owned()], &Options::default()).unwrap();
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
