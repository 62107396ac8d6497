mod common;

use common::{Collect, data, read, read_with, shared_only};
use dialoog_ingest::{Format, IngestError, InputFile, Options, Post, Quarantined, Sink, SinkError};
use std::io::Write;
use std::path::Path;

fn flat_lines() -> Vec<Vec<u8>> {
    std::fs::read(data("twarc2/flat.jsonl"))
        .unwrap()
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

/// Posts one flattened line gives (the tweet and its expanded referenced tweets).
fn posts_of(line: &[u8]) -> usize {
    let v: serde_json::Value = serde_json::from_slice(line).unwrap();
    1 + v["referenced_tweets"]
        .as_array()
        .map_or(0, |r| r.iter().filter(|t| t.get("text").is_some()).count())
}

#[test]
fn bad_json_lines_are_quarantined_with_their_line_and_the_rest_is_read() {
    let lines = flat_lines();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    let mut expected_posts = 0;
    // 1: good; 2: invalid JSON; 3: good; 4: invalid UTF-8; 5: no id; 6: good; 7: truncated, no newline.
    f.write_all(&lines[0]).unwrap();
    expected_posts += posts_of(&lines[0]);
    f.write_all(b"\n{\"data\": [nonsense]}\n").unwrap();
    f.write_all(&lines[1]).unwrap();
    expected_posts += posts_of(&lines[1]);
    f.write_all(b"\n").unwrap();
    let mut bad_utf8 = lines[2].clone();
    let at = bad_utf8.windows(7).position(|w| w == b"\"text\":").unwrap() + 9;
    bad_utf8.insert(at, 0xff);
    f.write_all(&bad_utf8).unwrap();
    f.write_all(b"\n").unwrap();
    let mut no_id: serde_json::Value = serde_json::from_slice(&lines[3]).unwrap();
    no_id.as_object_mut().unwrap().remove("id");
    no_id.as_object_mut().unwrap().remove("referenced_tweets");
    writeln!(f, "{no_id}").unwrap();
    f.write_all(b"\n").unwrap(); // an empty line is skipped, but counted as a line
    f.write_all(&lines[4]).unwrap();
    expected_posts += posts_of(&lines[4]);
    f.write_all(b"\n").unwrap();
    f.write_all(&lines[5][..lines[5].len() / 2]).unwrap();
    drop(f);

    let (sink, stats, file) = read(&path);
    assert_eq!(file.format, Format::Twarc2);
    assert_eq!(sink.posts.len(), expected_posts);
    let got: Vec<(u64, Option<&str>, &str)> = sink
        .quarantined
        .iter()
        .map(|q| (q.record, q.field.as_deref(), q.reason.as_str()))
        .collect();
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[0].0, 2);
    assert!(got[0].2.starts_with("invalid JSON"));
    assert_eq!(got[1].0, 4);
    assert!(got[1].2.starts_with("invalid UTF-8"));
    assert_eq!((got[2].0, got[2].1), (5, Some("id")));
    assert_eq!(got[3].0, 8);
    assert!(got[3].2.starts_with("truncated record"), "{}", got[3].2);
    assert!(sink.quarantined.iter().all(|q| q.excerpt.len() <= 2048 + 3));
    assert_eq!(stats.read, expected_posts as u64 + 4);
    assert_eq!(stats.quarantined, 4);
    assert!(sink.posts.iter().any(|p| p.source_record == 7));
}

#[test]
fn gzip_is_detected_by_content_and_read() {
    let dir = tempfile::tempdir().unwrap();
    // No .gz in the name: the content decides.
    let path = dir.path().join("pages.data");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(&std::fs::read(data("twarc2/noflat.jsonl")).unwrap())
        .unwrap();
    gz.finish().unwrap();
    let (sink, stats, file) = read(&path);
    assert_eq!(file.format, Format::Twarc2);
    assert_eq!(file.size, std::fs::metadata(&path).unwrap().len());
    assert_eq!(stats.read, 166);
    let (plain, _, _) = read(&data("twarc2/noflat.jsonl"));
    let strip = |posts: &[Post]| posts.iter().map(common::content).collect::<Vec<_>>();
    assert_eq!(strip(&sink.posts), strip(&plain.posts));
    assert_eq!(sink.progress.last(), Some(&file.size));
}

#[test]
fn unknown_formats_are_an_error_naming_the_file_and_the_formats() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "just some words\nand more\n").unwrap();
    let err = dialoog_ingest::plan(std::slice::from_ref(&path), &Options::default()).unwrap_err();
    assert!(matches!(err, IngestError::UnknownFormat { .. }));
    let message = err.to_string();
    assert!(message.contains("notes.txt"), "{message}");
    for name in [
        "twarc2",
        "twitter-v1",
        "mastodon-outbox",
        "mastodon-api",
        "bluesky",
        "reddit",
        "x-archive",
        "csv",
    ] {
        assert!(message.contains(name), "{message}");
    }
    // Another file of an X archive (not tweets) is not a format we read.
    let other = dir.path().join("like.js");
    std::fs::write(&other, "window.YTD.like.part0 = [ ]").unwrap();
    let err = dialoog_ingest::plan(&[other], &Options::default()).unwrap_err();
    assert!(err.to_string().contains("like.js"));
    // A missing file is an I/O error naming it.
    let err =
        dialoog_ingest::plan(&[dir.path().join("absent.jsonl")], &Options::default()).unwrap_err();
    assert!(matches!(err, IngestError::Io { .. }));
    assert!(err.to_string().contains("absent.jsonl"));
}

#[test]
fn folders_expand_sorted_skipping_hidden_files_and_mappings() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("b/masto")).unwrap();
    std::fs::copy(data("twarc2/two_tweets.jsonl"), root.join("c.jsonl")).unwrap();
    std::fs::copy(
        data("twitwi/normalization-payload-show.json"),
        root.join("a.json"),
    )
    .unwrap();
    // An empty outbox is enough to be detected as one.
    std::fs::write(
        root.join("b/masto/outbox.json"),
        r#"{"@context": "https://www.w3.org/ns/activitystreams", "type": "OrderedCollection", "totalItems": 0, "orderedItems": []}"#,
    )
    .unwrap();
    std::fs::write(root.join("b/masto/actor.json"), "{}").unwrap();
    std::fs::write(root.join(".hidden.jsonl"), "garbage").unwrap();
    std::fs::write(
        root.join("posts.csv"),
        "id,time,who,text\n1,2021-03-01T10:00:00Z,@Gemeente,Hallo @Jan #Wijk\n",
    )
    .unwrap();
    std::fs::write(
        root.join("mapping.toml"),
        "platform = \"facebook\"\nid = \"id\"\ncreated_at = \"time\"\nauthor_handle = \"who\"\ntext = \"text\"\n",
    )
    .unwrap();
    let planned = dialoog_ingest::plan(&[root.to_owned()], &Options::default())
        .unwrap()
        .files;
    let got: Vec<(String, Format)> = planned
        .iter()
        .map(|f| {
            (
                f.path.strip_prefix(root).unwrap().display().to_string(),
                f.format,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("a.json".to_owned(), Format::TwitterV1),
            ("b/masto".to_owned(), Format::MastodonOutbox),
            ("c.jsonl".to_owned(), Format::Twarc2),
            ("posts.csv".to_owned(), Format::Csv),
        ]
    );
    // The CSV finds mapping.toml beside it.
    let (sink, _, _) = read(&root.join("posts.csv"));
    let post = &sink.posts[0];
    assert_eq!(post.author_handle, "Gemeente");
    assert_eq!(post.author_id, "Gemeente");
    assert_eq!(post.mentions, ["jan"]);
    assert_eq!(post.hashtags, ["wijk"]);
    assert_eq!(post.url, None);
    // <stem>.mapping.toml wins over mapping.toml.
    std::fs::write(
        root.join("posts.mapping.toml"),
        "platform = \"twitter\"\nid = \"id\"\ncreated_at = \"time\"\nauthor_handle = \"who\"\ntext = \"text\"\n",
    )
    .unwrap();
    let (sink, _, _) = read(&root.join("posts.csv"));
    assert_eq!(
        sink.posts[0].url.as_deref(),
        Some("https://twitter.com/Gemeente/status/1")
    );
}

#[test]
fn csv_without_a_mapping_or_with_a_wrong_one_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("posts.csv");
    std::fs::write(&path, "id,time\n1,2021\n").unwrap();
    let err = dialoog_ingest::plan(std::slice::from_ref(&path), &Options::default()).unwrap_err();
    assert!(err.to_string().contains("posts.mapping.toml"), "{err}");
    let mapping = dir.path().join("m.toml");
    std::fs::write(
        &mapping,
        "platform = \"twitter\"\nid = \"id\"\ncreated_at = \"date\"\nauthor_id = \"id\"\n",
    )
    .unwrap();
    let options = Options {
        mapping: Some(mapping.clone()),
        ..Options::default()
    };
    let file = dialoog_ingest::plan(std::slice::from_ref(&path), &options)
        .unwrap()
        .files
        .remove(0);
    let err = dialoog_ingest::read_file(&file, &options, &mut Collect::default()).unwrap_err();
    assert!(err.to_string().contains("column 'date'"), "{err}");
    std::fs::write(&mapping, "platform = \"twitter\"\nid = \"id\"\ncreated_at = \"time\"\nauthor_id = \"id\"\ncolour = \"x\"\n").unwrap();
    let err = dialoog_ingest::read_file(&file, &options, &mut Collect::default()).unwrap_err();
    assert!(err.to_string().contains("colour"), "{err}");
}

#[test]
fn bad_csv_rows_are_quarantined_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.csv");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(b"id,time,who,parent,likes,text\n").unwrap();
    f.write_all(b"1.0,2021-03-01 10:00,a,,5,fine\n").unwrap(); // line 2
    f.write_all(b",2021-03-01 10:00,a,,,no id\n").unwrap(); // line 3
    f.write_all(b"3,yesterday,a,,,bad time\n").unwrap(); // line 4
    f.write_all(b"4,2021-03-01 10:00,a,2.5,,fractional parent\n")
        .unwrap(); // line 5
    f.write_all(b"5,2021-03-01 10:00,a,1.0,,\"bad \xff utf-8\"\n")
        .unwrap(); // line 6
    f.write_all(b"6,2021-03-01 10:00,,,,no author\n").unwrap(); // line 7
    f.write_all(b"7,2021-03-01 10:00,b,1.0,x,bad count\n")
        .unwrap(); // line 8
    f.write_all(b"8,2021-03-01 10:00,b,1.0,,\"multi\nline\"\n")
        .unwrap(); // lines 9-10
    f.write_all(b"9,2021-03-01 10:00,b\n").unwrap(); // line 11: short row
    drop(f);
    std::fs::write(
        dir.path().join("rows.mapping.toml"),
        "platform = \"other\"\ntime_format = \"%Y-%m-%d %H:%M\"\nid = \"id\"\ncreated_at = \"time\"\nauthor_id = \"who\"\nin_reply_to_id = \"parent\"\nlikes = \"likes\"\ntext = \"text\"\n",
    )
    .unwrap();
    let (sink, stats, _) = read_with(&path, &Options::default());
    let got: Vec<(u64, Option<&str>)> = sink
        .quarantined
        .iter()
        .map(|q| (q.record, q.field.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (3, Some("id")),
            (4, Some("time")),
            (5, Some("parent")),
            (6, Some("text")),
            (7, Some("author")),
            (8, Some("likes")),
        ]
    );
    assert_eq!(stats.read, 9);
    let ids: Vec<(&str, u64)> = sink
        .posts
        .iter()
        .map(|p| (p.id.as_str(), p.source_record))
        .collect();
    assert_eq!(ids, [("1", 2), ("8", 9), ("9", 11)]);
    assert_eq!(sink.posts[0].likes, Some(5));
    assert_eq!(
        sink.posts[0].created_at.to_rfc3339(),
        "2021-03-01T10:00:00+00:00"
    );
    assert_eq!(sink.posts[1].text, "multi\nline");
    assert_eq!(sink.posts[1].in_reply_to_id.as_deref(), Some("1"));
    assert_eq!(sink.posts[2].text, "");
}

#[test]
fn a_truncated_outbox_keeps_the_activities_before_the_break() {
    let Some(outbox) = shared_only("mastodon/outbox.json") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.json");
    let full = std::fs::read(outbox).unwrap();
    std::fs::write(&path, &full[..full.len() / 2]).unwrap();
    let (sink, stats, _) = read(&path);
    assert_eq!(stats.quarantined, 1);
    assert!(sink.posts.len() > 500 && sink.posts.len() < 1586);
    let q = &sink.quarantined[0];
    assert_eq!(q.record, sink.posts.len() as u64 + 1);
    assert!(q.reason.starts_with("truncated JSON"), "{}", q.reason);
}

struct Failing;

impl Sink for Failing {
    fn post(&mut self, _: Post) -> Result<(), SinkError> {
        Err("disk full".into())
    }
    fn quarantine(&mut self, _: Quarantined) -> Result<(), SinkError> {
        Ok(())
    }
}

#[test]
fn a_failing_sink_stops_reading_with_an_error() {
    for (path, format) in [
        (data("twarc2/flat.jsonl"), Format::Twarc2),
        (data("mastodon/outbox.json"), Format::MastodonOutbox),
        (
            data("twitwi/normalization-payload-show.json"),
            Format::TwitterV1,
        ),
    ]
    .into_iter()
    .filter(|(path, _)| path.exists())
    {
        let file = InputFile {
            size: 0,
            path: path.clone(),
            format,
        };
        let err = dialoog_ingest::read_file(&file, &Options::default(), &mut Failing).unwrap_err();
        assert!(matches!(err, IngestError::Sink { record: 1, .. }), "{err}");
        assert!(err.to_string().contains("disk full"));
    }
}

#[test]
fn formats_have_names_and_descriptions() {
    let names: Vec<&str> = dialoog_ingest::formats().iter().map(|f| f.name()).collect();
    assert_eq!(names.len(), 21);
    for name in [
        "4cat",
        "twitwi",
        "xlsx",
        "ods",
        "crowdtangle",
        "coosto",
        "zeeschuimer",
        "telegram",
        "facebook",
        "twarc-csv",
        "coordination-csv",
        "youtube",
        "ytdt-comments",
        "twarc2",
        "twitter-v1",
        "mastodon-outbox",
        "mastodon-api",
        "bluesky",
        "reddit",
        "x-archive",
        "csv",
    ] {
        assert!(names.contains(&name));
    }
    assert!(
        dialoog_ingest::formats()
            .iter()
            .all(|f| !f.description().is_empty() && f.example().starts_with("dialoog ingest "))
    );
    assert!(Path::new(&data("twarc2")).is_dir());
}
