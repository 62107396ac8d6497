//! The original record of every post is kept: each post's (source_file, source_record) has
//! exactly one raw record, and the raw records alone, written back as a file of the same format,
//! give the same posts again — re-mapping never needs the export.

mod common;

use common::{Collect, content, data, read, read_with, repo};
use dialoog_ingest::{Format, Options, Post};
use std::collections::HashSet;
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    repo(&format!("crates/ingest/tests/fixtures/{name}"))
}

/// Every post and quarantined record has its raw record, sent once.
fn check_complete(sink: &Collect) {
    let mut keys = HashSet::new();
    for raw in &sink.raw {
        assert!(
            keys.insert((raw.file.as_str(), raw.record)),
            "sent twice: {} {}",
            raw.file,
            raw.record
        );
        assert!(!raw.bytes.is_empty());
    }
    for post in &sink.posts {
        assert!(
            keys.contains(&(post.source_file.as_str(), post.source_record)),
            "no raw record for {} {}",
            post.source_file,
            post.source_record
        );
    }
    for q in &sink.quarantined {
        assert!(keys.contains(&(q.file.as_str(), q.record)), "{q:?}");
    }
}

fn sorted(posts: &[Post]) -> Vec<Post> {
    let mut posts: Vec<Post> = posts.iter().map(content).collect();
    posts.sort_by(|a, b| a.id.cmp(&b.id).then(a.kind.cmp(&b.kind)));
    posts
}

/// Writes the raw records as JSON lines and reads them back as `format`.
fn remap_as_lines(sink: &Collect, dir: &Path, format: Format) -> Collect {
    let path = dir.join(format!("raw-{}.jsonl", format.name()));
    let mut lines = Vec::new();
    for raw in &sink.raw {
        lines.extend_from_slice(&raw.bytes);
        lines.push(b'\n');
    }
    std::fs::write(&path, lines).unwrap();
    let (again, _, file) = read(&path);
    assert_eq!(file.format, format);
    again
}

#[test]
fn json_records_are_kept_exactly_and_remap_to_the_same_posts() {
    let dir = tempfile::tempdir().unwrap();
    for (path, format) in [
        (data("twarc2/noflat.jsonl"), Format::Twarc2),
        (data("twarc2/flat.jsonl"), Format::Twarc2),
        (
            data("twitwi/normalization-payload-show.json"),
            Format::TwitterV1,
        ),
        (fixture("mastodon-api/context.json"), Format::MastodonApi),
        (
            fixture("mastodon-api/public_timeline_head.jsonl"),
            Format::MastodonApi,
        ),
        (fixture("bluesky/bluesky-posts.json"), Format::Bluesky),
        (fixture("bluesky/bluesky-tap-posts.json"), Format::Bluesky),
        (fixture("bluesky/paul_staging.repo.car"), Format::Bluesky),
        (
            fixture("reddit/r_self_1cebxh_comments.ndjson"),
            Format::Reddit,
        ),
    ] {
        let (sink, _, file) = read(&path);
        assert_eq!(file.format, format);
        assert!(!sink.posts.is_empty());
        check_complete(&sink);
        assert!(sink.raw.iter().all(|r| r.format == format.name()));
        let again = remap_as_lines(&sink, dir.path(), format);
        assert_eq!(
            sorted(&again.posts),
            sorted(&sink.posts),
            "{}",
            path.display()
        );
    }
    // JSON lines are kept byte for byte.
    let lines = std::fs::read(data("twarc2/flat.jsonl")).unwrap();
    let (sink, _, _) = read(&data("twarc2/flat.jsonl"));
    let first_line = lines.split(|b| *b == b'\n').next().unwrap();
    assert_eq!(sink.raw[0].bytes, first_line);
    assert_eq!(sink.raw[0].record, 1);
}

#[test]
fn array_items_are_kept_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("items.json");
    let items = [
        r#"{"id": "a1", "subreddit": "self", "created_utc": 1366044279, "author": "x", "body": "one, [two]"}"#,
        r#"{"id":"a2","subreddit":"self","created_utc":1366044280.0,"author":"y","body":"}"}"#,
    ];
    std::fs::write(&path, format!("[\n  {},\n  {}\n]\n", items[0], items[1])).unwrap();
    let (sink, _, _) = read(&path);
    let raws: Vec<&[u8]> = sink.raw.iter().map(|r| r.bytes.as_slice()).collect();
    assert_eq!(raws, [items[0].as_bytes(), items[1].as_bytes()]);
}

#[test]
fn archive_members_keep_their_items() {
    let (sink, _, file) = read(&fixture("bluesky/bnewbold.robocracy.org.car"));
    assert_eq!(file.format, Format::Bluesky);
    check_complete(&sink);
    // An X archive zip: the raw records are the tweets.js items, named by member.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    zip.start_file("data/tweets.js", zip::write::SimpleFileOptions::default())
        .unwrap();
    let item = r#"{ "tweet" : { "id_str" : "1", "created_at" : "Mon Jan 03 01:43:30 +0000 2022", "full_text" : "hallo" } }"#;
    std::io::Write::write_all(
        &mut zip,
        format!("window.YTD.tweets.part0 = [ {item} ]").as_bytes(),
    )
    .unwrap();
    zip.finish().unwrap();
    let (sink, _, _) = read(&path);
    check_complete(&sink);
    assert_eq!(sink.raw[0].bytes, item.as_bytes());
    assert!(sink.raw[0].file.ends_with("archive.zip!data/tweets.js"));
}

#[test]
fn csv_rows_keep_the_header_as_record_0() {
    let options = Options {
        mapping: Some(repo("data/webcare/twcs.mapping.toml")),
        ..Options::default()
    };
    let (sink, _, _) = read_with(&repo("data/webcare/twcs_head.csv"), &options);
    check_complete(&sink);
    assert_eq!(sink.raw[0].record, 0);
    assert!(sink.raw[0].bytes.starts_with(b",tweet_id,author_id,"));
    // Header and rows, written back, are the same CSV to the reader.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("again.csv");
    let bytes: Vec<u8> = sink.raw.iter().flat_map(|r| r.bytes.clone()).collect();
    std::fs::write(&path, bytes).unwrap();
    let (again, _, _) = read_with(&path, &options);
    assert_eq!(sorted(&again.posts), sorted(&sink.posts));
}
