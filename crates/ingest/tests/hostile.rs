//! Hostile and broken input: compression bombs (gzip, zstd, zip), deeply nested JSON, 100 MB
//! lines, NUL bytes, invalid UTF-8, byte-order marks and CRLF. Each gives a quarantined record
//! naming the file and the record, and the rest of the input is still read.

mod common;

use common::{Collect, read_with, repo};
use dialoog_ingest::{Format, InputFile, Limits, Options};
use std::io::Write;
use std::path::Path;

fn reddit_lines() -> Vec<u8> {
    std::fs::read(repo(
        "crates/ingest/tests/fixtures/reddit/r_self_1cebxh_comments.ndjson",
    ))
    .unwrap()
}

/// Limits that let a few MiB of regular data pass the floor, so a small bomb trips them.
fn tight() -> Options {
    Options {
        limits: Limits {
            expansion_floor: 1 << 20,
            ..Limits::default()
        },
        ..Options::default()
    }
}

/// A megabyte of whitespace: highly compressible (about 1000× in deflate).
fn padding(mib: usize) -> Vec<u8> {
    let mut line = vec![b' '; 1023];
    line.push(b'\n');
    line.repeat(mib * 1024)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

fn read_file(path: &Path, format: Format, options: &Options) -> Collect {
    let file = InputFile {
        path: path.to_owned(),
        size: 0,
        format,
    };
    let mut sink = Collect::default();
    let stats = dialoog_ingest::read_file(&file, options, &mut sink).unwrap();
    assert_eq!(stats.quarantined, sink.quarantined.len() as u64);
    sink
}

#[test]
fn a_gzip_bomb_keeps_the_records_before_it_and_quarantines_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let mut content = reddit_lines();
    content.extend_from_slice(&padding(8));
    content.extend_from_slice(&reddit_lines());
    let path = dir.path().join("RC_bomb.json.gz");
    std::fs::write(&path, gzip(&content)).unwrap();
    // Another file beside it is read as well.
    std::fs::write(dir.path().join("RC_good.json"), reddit_lines()).unwrap();

    let planned = dialoog_ingest::plan(&[dir.path().to_owned()], &tight())
        .unwrap()
        .files;
    assert_eq!(planned.len(), 2);
    let mut sink = Collect::default();
    for file in &planned {
        dialoog_ingest::read_file(file, &tight(), &mut sink).unwrap();
    }
    assert_eq!(
        sink.posts.len(),
        8 + 8,
        "the bomb's first lines and the good file"
    );
    assert_eq!(sink.quarantined.len(), 1);
    let q = &sink.quarantined[0];
    assert!(q.file.ends_with("RC_bomb.json.gz"), "{q:?}");
    assert!(q.record > 8, "{q:?}");
    assert!(q.reason.contains("expands more than 200×"), "{}", q.reason);
    assert!(q.reason.contains("compression bomb"), "{}", q.reason);

    // With the default limits the same file is fine: 8 MiB is under the floor.
    let (sink, _, _) = read_with(&path, &Options::default());
    assert_eq!((sink.posts.len(), sink.quarantined.len()), (16, 0));
}

#[test]
fn a_zstd_bomb_and_the_absolute_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut content = reddit_lines();
    content.extend_from_slice(&padding(4));
    let path = dir.path().join("RC_bomb.zst");
    std::fs::write(&path, zstd::encode_all(&content[..], 19).unwrap()).unwrap();
    let sink = read_file(&path, Format::Reddit, &tight());
    assert_eq!(sink.posts.len(), 8);
    assert!(
        sink.quarantined[0]
            .reason
            .contains("zstd data expands more than")
    );

    // A cap on the decompressed size, whatever the ratio.
    let options = Options {
        limits: Limits {
            max_decompressed_bytes: 2 << 20,
            ..Limits::default()
        },
        ..Options::default()
    };
    let sink = read_file(&path, Format::Reddit, &options);
    assert_eq!(sink.posts.len(), 8);
    assert!(
        sink.quarantined[0]
            .reason
            .contains("expands past 2097152 bytes"),
        "{:?}",
        sink.quarantined
    );
}

#[test]
fn a_zip_bomb_member_is_cut_off_after_its_first_tweets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twitter-archive.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("data/tweets.js", deflate).unwrap();
    zip.write_all(b"window.YTD.tweets.part0 = [ { \"tweet\" : { \"id_str\" : \"1\", \"created_at\" : \"Mon Jan 03 01:43:30 +0000 2022\", \"full_text\" : \"hallo\" } },")
        .unwrap();
    zip.write_all(&padding(4)).unwrap();
    zip.write_all(b"]").unwrap();
    zip.finish().unwrap();

    let planned = dialoog_ingest::plan(std::slice::from_ref(&path), &tight())
        .unwrap()
        .files;
    assert_eq!(planned[0].format, Format::XArchive);
    let sink = read_file(&path, Format::XArchive, &tight());
    assert_eq!(sink.posts.len(), 1);
    let q = &sink.quarantined[0];
    assert_eq!(q.record, 2);
    assert!(
        q.file.ends_with("twitter-archive.zip!data/tweets.js"),
        "{q:?}"
    );
    assert!(
        q.reason.contains("zip member data expands more than"),
        "{}",
        q.reason
    );
}

#[test]
fn deeply_nested_json_is_quarantined_and_the_next_lines_read() {
    let dir = tempfile::tempdir().unwrap();
    let lines = reddit_lines();
    let mut content = Vec::new();
    let mut split = lines.split_inclusive(|b| *b == b'\n');
    content.extend_from_slice(split.next().unwrap());
    // 100,000 levels: far past serde_json's recursion limit, and past any stack.
    content.extend_from_slice(&b"{\"a\":[".repeat(100_000));
    content.push(b'\n');
    for line in split {
        content.extend_from_slice(line);
    }
    let path = dir.path().join("RC_deep.ndjson");
    std::fs::write(&path, &content).unwrap();
    let (sink, _, _) = read_with(&path, &Options::default());
    assert_eq!(sink.posts.len(), 8);
    assert_eq!(sink.quarantined.len(), 1);
    assert_eq!(sink.quarantined[0].record, 2);
    assert!(
        sink.quarantined[0].reason.contains("recursion limit"),
        "{}",
        sink.quarantined[0].reason
    );

    // In an array the rest cannot be read past the break, but what came before is kept.
    let mut array = b"[".to_vec();
    for line in lines.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        array.extend_from_slice(line);
        array.push(b',');
    }
    array.extend_from_slice(&b"[".repeat(100_000));
    let path = dir.path().join("RC_deep.json");
    std::fs::write(&path, &array).unwrap();
    let (sink, _, _) = read_with(&path, &Options::default());
    assert_eq!(sink.posts.len(), 8);
    assert_eq!(sink.quarantined[0].record, 9);
    assert!(sink.quarantined[0].reason.contains("recursion limit"));
}

#[test]
fn a_100_mb_line_is_skipped_without_being_buffered() {
    let dir = tempfile::tempdir().unwrap();
    let lines = reddit_lines();
    let path = dir.path().join("RC_long.ndjson");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    f.write_all(&lines).unwrap();
    f.write_all(b"{\"subreddit\": \"self\", \"body\": \"")
        .unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..100 {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(b"\"}\n").unwrap();
    f.write_all(&lines).unwrap();
    drop(f);
    let (sink, _, _) = read_with(&path, &Options::default());
    assert_eq!(sink.posts.len(), 16);
    let q = &sink.quarantined[0];
    assert_eq!(q.record, 9);
    assert!(
        q.reason
            .starts_with("line of 104857634 bytes is longer than the limit"),
        "{}",
        q.reason
    );
    assert!(q.excerpt.len() <= 2048);
    // Only whole records are kept as originals.
    assert!(sink.raw.iter().all(|r| r.record != 9));
    assert_eq!(sink.raw.len(), 16);
    // Records after the long line keep their line numbers.
    assert_eq!(sink.posts.last().unwrap().source_record, 17);
}

#[test]
fn a_huge_item_in_a_json_array_is_quarantined() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("RC_big_item.json");
    let mut array = b"[".to_vec();
    for line in reddit_lines()
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
    {
        array.extend_from_slice(line);
        array.push(b',');
    }
    array.extend_from_slice(b"{\"body\": \"");
    array.extend_from_slice(&vec![b'x'; 3 << 20]);
    array.extend_from_slice(b"\"}]");
    std::fs::write(&path, &array).unwrap();
    let options = Options {
        limits: Limits {
            max_record_bytes: 1 << 20,
            ..Limits::default()
        },
        ..Options::default()
    };
    let (sink, _, _) = read_with(&path, &options);
    assert_eq!(sink.posts.len(), 8);
    let q = &sink.quarantined[0];
    assert_eq!(q.record, 9);
    assert!(
        q.reason.contains("a record is longer than 1048576 bytes"),
        "{}",
        q.reason
    );
}

#[test]
fn a_long_csv_line_is_quarantined_and_the_next_rows_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.csv");
    let mut csv = b"id,time,who,text\n1,2021-03-01T10:00:00Z,a,first\n".to_vec();
    csv.extend_from_slice(b"2,2021-03-01T10:00:00Z,a,");
    csv.extend_from_slice(&vec![b'y'; 3 << 20]);
    csv.extend_from_slice(b"\n3,2021-03-01T10:00:00Z,b,\"after,\nthe long one\"\n");
    csv.extend_from_slice(b"4,2021-03-01T10:00:00Z,b,nul \0 byte\n");
    csv.extend_from_slice(b"5,2021-03-01T10:00:00Z,c,last\r\n");
    std::fs::write(&path, &csv).unwrap();
    std::fs::write(
        dir.path().join("rows.mapping.toml"),
        "platform = \"other\"\nid = \"id\"\ncreated_at = \"time\"\nauthor_id = \"who\"\ntext = \"text\"\n",
    )
    .unwrap();
    let options = Options {
        limits: Limits {
            max_record_bytes: 1 << 20,
            ..Limits::default()
        },
        ..Options::default()
    };
    let (sink, _, _) = read_with(&path, &options);
    let ids: Vec<(&str, u64, &str)> = sink
        .posts
        .iter()
        .map(|p| (p.id.as_str(), p.source_record, p.text.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("1", 2, "first"),
            ("3", 4, "after,\nthe long one"),
            ("5", 7, "last")
        ]
    );
    let got: Vec<(u64, Option<&str>, &str)> = sink
        .quarantined
        .iter()
        .map(|q| (q.record, q.field.as_deref(), q.reason.as_str()))
        .collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].0, 3);
    assert!(got[0].2.starts_with("line 3 is longer than 1048576 bytes"));
    assert_eq!((got[1].0, got[1].1), (6, Some("text")));
    assert!(got[1].2.starts_with("NUL byte"));
}

#[test]
fn nul_bytes_and_invalid_utf8_in_json_are_quarantined_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let lines = reddit_lines();
    let mut split = lines.split_inclusive(|b| *b == b'\n');
    let mut content = split.next().unwrap().to_vec();
    // A raw NUL inside a string, a zero-filled stretch (as a crash leaves), bad UTF-8.
    content.extend_from_slice(b"{\"subreddit\": \"self\", \"body\": \"a\0b\"}\n");
    content.extend_from_slice(&[0u8; 5000]);
    content.push(b'\n');
    content.extend_from_slice(b"{\"subreddit\": \"self\", \"body\": \"\xc3\x28\"}\n");
    for line in split {
        content.extend_from_slice(line);
    }
    let path = dir.path().join("RC_nul.ndjson");
    std::fs::write(&path, &content).unwrap();
    let (sink, _, _) = read_with(&path, &Options::default());
    assert_eq!(sink.posts.len(), 8);
    let got: Vec<(u64, &str)> = sink
        .quarantined
        .iter()
        .map(|q| (q.record, q.reason.as_str()))
        .collect();
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0].0, 2);
    assert!(got[0].1.contains("control character"), "{}", got[0].1);
    assert_eq!(got[1].0, 3);
    assert!(got[1].1.starts_with("invalid JSON"), "{}", got[1].1);
    assert_eq!(got[2].0, 4);
    assert!(
        got[2].1.starts_with("invalid UTF-8 at byte 31"),
        "{}",
        got[2].1
    );
    assert!(
        sink.quarantined
            .iter()
            .all(|q| q.file.ends_with("RC_nul.ndjson"))
    );

    // Invalid UTF-8 inside a JSON array: what came before is kept.
    let mut array = b"[".to_vec();
    array.extend_from_slice(lines.split(|b| *b == b'\n').next().unwrap());
    array.extend_from_slice(b", {\"subreddit\": \"self\", \"body\": \"\xff\"}]");
    let path = dir.path().join("RC_utf8.json");
    std::fs::write(&path, &array).unwrap();
    let (sink, _, _) = read_with(&path, &Options::default());
    assert_eq!((sink.posts.len(), sink.quarantined[0].record), (1, 2));
}

#[test]
fn byte_order_marks_and_crlf_are_read_like_plain_lines() {
    let dir = tempfile::tempdir().unwrap();
    let lines = reddit_lines();
    let crlf: Vec<u8> = lines
        .split_inclusive(|b| *b == b'\n')
        .flat_map(|l| [l.strip_suffix(b"\n").unwrap_or(l), b"\r\n"].concat())
        .collect();
    let with_bom = [b"\xef\xbb\xbf".as_slice(), &crlf].concat();
    let plain = dir.path().join("plain.ndjson");
    std::fs::write(&plain, &lines).unwrap();
    let (expected, _, _) = read_with(&plain, &Options::default());
    let strip = |c: &Collect| c.posts.iter().map(common::content).collect::<Vec<_>>();
    for (name, bytes) in [
        ("bom.ndjson", with_bom.clone()),
        ("bom.ndjson.gz", gzip(&with_bom)),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let (sink, _, file) = read_with(&path, &Options::default());
        assert_eq!(file.format, Format::Reddit);
        assert!(
            sink.quarantined.is_empty(),
            "{name}: {:?}",
            sink.quarantined
        );
        assert_eq!(strip(&sink), strip(&expected), "{name}");
    }
    // A BOM before a JSON array, with CRLF between the items.
    let mut array = b"\xef\xbb\xbf[\r\n".to_vec();
    let items: Vec<&[u8]> = lines
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    array.extend_from_slice(&items.join(&b",\r\n"[..]));
    array.extend_from_slice(b"\r\n]\r\n");
    let path = dir.path().join("bom.json");
    std::fs::write(&path, array).unwrap();
    let (sink, _, _) = read_with(&path, &Options::default());
    assert!(sink.quarantined.is_empty(), "{:?}", sink.quarantined);
    assert_eq!(sink.posts.len(), 8);
}
