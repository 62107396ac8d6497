//! A mutation fuzzer per parser: real records of each format (and its archive or compressed
//! forms) are damaged at random — bits flipped, bytes set to JSON and CSV punctuation, ranges cut,
//! doubled or spliced from another seed, deep nesting inserted, the whole cut short, gzipped or
//! zstd-compressed — and read by that format's reader (and detection). A workbook is mostly
//! damaged inside one of its members (with spreadsheet XML at its extremes) and zipped again, so
//! the damage gets past the zip's checksums to the XML. Every outcome but a panic is fine:
//! posts, quarantined records or an error. A panicking input is saved for replay and fails the
//! test.
//!
//! In CI each parser gets `DIALOOG_FUZZ_CASES` cases (default 48). For a long local run, one
//! parser or all, by time:
//! `DIALOOG_FUZZ_SECS=600 DIALOOG_FUZZ_FORMAT=reddit cargo test -p dialoog-ingest --release --test fuzz -- --nocapture`
//! (`DIALOOG_FUZZ_SEED` changes the random sequence.)

mod common;

use common::{Collect, data, repo};
use dialoog_ingest::{Format, InputFile, Options};
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Seeds are cut to this size: small inputs make more executions.
const SEED_BYTES: usize = 24 * 1024;

const TWEETS_JS: &str = "window.YTD.tweets.part0 = [ {\n  \"tweet\" : {\n    \"id_str\" : \"1477822234512334849\",\n    \"created_at\" : \"Mon Jan 03 01:43:30 +0000 2022\",\n    \"full_text\" : \"RT @gemeente: Hallo @Jan #wijk https://t.co/x\",\n    \"in_reply_to_status_id_str\" : \"1477822234512334848\",\n    \"in_reply_to_user_id_str\" : \"12\",\n    \"favorite_count\" : \"3\",\n    \"retweet_count\" : \"1\",\n    \"entities\" : { \"user_mentions\" : [ { \"screen_name\" : \"Jan\", \"id_str\" : \"5\" } ], \"hashtags\" : [ { \"text\" : \"wijk\" } ], \"urls\" : [ { \"url\" : \"https://t.co/x\", \"expanded_url\" : \"https://example.org\" } ] }\n  }\n} ]\n";

const ACCOUNT_JS: &str = "window.YTD.account.part0 = [ { \"account\" : { \"accountId\" : \"12\", \"username\" : \"gemeente\", \"accountDisplayName\" : \"Gemeente\" } } ]";

const OUTBOX: &str = r##"{"@context": "https://www.w3.org/ns/activitystreams", "id": "https://social.example/users/gemeente/outbox", "type": "OrderedCollection", "totalItems": 2, "orderedItems": [
{"id": "https://social.example/users/gemeente/statuses/1/activity", "type": "Create", "actor": "https://social.example/users/gemeente", "published": "2022-11-01T10:00:00Z", "object": {"id": "https://social.example/users/gemeente/statuses/1", "type": "Note", "published": "2022-11-01T10:00:00Z", "inReplyTo": "https://social.example/users/jan/statuses/9", "content": "<p>Hallo <span class=\"h-card\"><a href=\"https://social.example/@jan\" class=\"u-url mention\">@<span>jan</span></a></span> <a href=\"https://social.example/tags/wijk\" class=\"mention hashtag\">#<span>wijk</span></a></p>", "tag": [{"type": "Mention", "href": "https://social.example/users/jan", "name": "@jan"}, {"type": "Hashtag", "name": "#wijk"}]}},
{"id": "https://social.example/users/gemeente/statuses/2/activity", "type": "Announce", "actor": "https://social.example/users/gemeente", "published": "2022-11-02T10:00:00Z", "object": "https://other.example/users/x/statuses/5"}
]}"##;

/// The parsers, each with its seeds (file contents) and a name.
fn parsers() -> Vec<(Format, Vec<Vec<u8>>)> {
    let file = |path: PathBuf| {
        let mut bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        bytes.truncate(SEED_BYTES);
        bytes
    };
    let fixture = |name: &str| file(repo(&format!("crates/ingest/tests/fixtures/{name}")));
    vec![
        (
            Format::Twarc2,
            vec![
                file(data("twarc2/two_tweets.jsonl")),
                file(data("twarc2/flat.jsonl")),
            ],
        ),
        (
            Format::TwitterV1,
            vec![
                file(data("twitwi/normalization-payload-show.json")),
                file(data("twitwi/normalization-payload-stream.json")),
            ],
        ),
        (
            Format::MastodonOutbox,
            vec![OUTBOX.as_bytes().to_vec(), tar_gz(OUTBOX)],
        ),
        (
            Format::XArchive,
            vec![TWEETS_JS.as_bytes().to_vec(), x_archive_zip()],
        ),
        (
            Format::MastodonApi,
            vec![
                fixture("mastodon-api/context.json"),
                fixture("mastodon-api/public_timeline_head.jsonl"),
            ],
        ),
        (
            Format::Bluesky,
            vec![
                fixture("bluesky/bluesky-posts.json"),
                fixture("bluesky/bluesky-firehose-posts.json"),
                fixture("bluesky/bluesky-tap-posts.json"),
                std::fs::read(repo(
                    "crates/ingest/tests/fixtures/bluesky/bnewbold.robocracy.org.car",
                ))
                .unwrap(),
            ],
        ),
        (
            Format::Reddit,
            vec![
                fixture("reddit/r_self_1cebxh_comments.ndjson"),
                fixture("reddit/r_self_1cebxh_submission.ndjson"),
            ],
        ),
        (
            Format::Zeeschuimer,
            vec![
                fixture("zeeschuimer/instagram.ndjson"),
                fixture("zeeschuimer/tiktok.ndjson"),
                fixture("zeeschuimer/4cat_tiktok_export.ndjson"),
            ],
        ),
        (
            Format::CrowdTangle,
            vec![
                fixture("crowdtangle/facebook_pages.csv"),
                fixture("crowdtangle/facebook_group.csv"),
                fixture("crowdtangle/instagram.csv"),
            ],
        ),
        (
            Format::Coosto,
            vec![
                fixture("coosto/berichten.csv"),
                fixture("coosto/messages-en.csv"),
            ],
        ),
        (Format::Csv, vec![file(repo("data/webcare/twcs_head.csv"))]),
        (
            Format::Youtube,
            vec![
                fixture("youtube/comment_threads_all_to_me.json"),
                fixture("youtube/comment_threads_by_video_paged_2.json"),
                fixture("youtube/comments_by_parent_paged_1.json"),
            ],
        ),
        (
            Format::YoutubeDataTools,
            vec![
                fixture("youtube/ytdt_classic_comments.csv"),
                fixture("youtube/ytdt_v2_comments.csv"),
            ],
        ),
        (
            Format::Facebook,
            vec![
                fixture("facebook/feed_fields_p1.json"),
                fixture("facebook/group_feed_p1.json"),
                fixture("facebook/comments_p1.json"),
                fixture("facebook/comment_by_parent_p1.json"),
            ],
        ),
        (
            Format::Telegram,
            vec![
                fixture("telegram/DM_2A_7M.json"),
                fixture("telegram/account_result.json"),
            ],
        ),
        (Format::TwarcCsv, vec![fixture("twarc-csv/noflat_head.csv")]),
        (
            Format::CoordinationCsv,
            vec![fixture("coordination-csv/sample_data_head.csv")],
        ),
        (
            Format::FourCat,
            vec![fixture("4cat/twitter_noflat_head.csv")],
        ),
        // The tweets sheet is the first, which the CSV's mapping (the fuzz's) reads.
        (Format::Xlsx, vec![fixture("xlsx/webcare.xlsx")]),
        // Only the members read: the thumbnail alone would pass the seed size.
        (
            Format::Ods,
            vec![members(
                &repo("crates/ingest/tests/fixtures/xlsx/webcare.ods"),
                &["mimetype", "content.xml"],
            )],
        ),
        (
            Format::Twitwi,
            vec![
                fixture("twitwi/tweet-export.csv"),
                fixture("twitwi/tweet-export.jsonl"),
                fixture("twitwi/bluesky-posts-export.csv"),
            ],
        ),
    ]
}

fn tar_gz(outbox: &str) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    let mut header = tar::Header::new_gnu();
    header.set_size(outbox.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append_data(&mut header, "archive/outbox.json", outbox.as_bytes())
        .unwrap();
    tar.into_inner().unwrap().finish().unwrap()
}

fn x_archive_zip() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("data/account.js", deflate).unwrap();
    zip.write_all(ACCOUNT_JS.as_bytes()).unwrap();
    zip.start_file("data/tweets.js", deflate).unwrap();
    zip.write_all(TWEETS_JS.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

/// xorshift64*: fast, seedable, enough for choosing mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const INTERESTING: &[u8] = b"\0\xff\x80\xc3\"{}[],:\n\r\\ 0-.eE,;ty";

/// One damaged copy of a seed.
fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let seed = seeds[rng.below(seeds.len())].clone();
    let bytes = damage(rng, seed, seeds);
    match rng.below(10) {
        0 => {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(&bytes).unwrap();
            gz.finish().unwrap()
        }
        1 => zstd::encode_all(&bytes[..], 1).unwrap(),
        _ => bytes,
    }
}

/// Spreadsheet XML pushed to its extremes, for damage inside a workbook's members.
const XML_EXTREMES: &[&[u8]] = &[
    b"<c r=\"XFD1048576\" t=\"s\"><v>4294967295</v></c>",
    b"<c r=\"AAAAAAAAAAAA1\"><v>1</v></c>",
    b"<row r=\"18446744073709551615\">",
    b" uniqueCount=\"4294967295\"",
    b" t=\"inlineStr\"><is><t>",
    b"<v>1e308</v>",
    b" s=\"65535\"",
    b"<dimension ref=\"A1:XFD1048576\"/>",
    b"&#0;&#xFFFF;",
    b"</sheetData>",
    b" table:number-columns-repeated=\"4294967295\"",
    b" table:number-rows-repeated=\"18446744073709551615\"",
    b"<table:table-cell office:value-type=\"float\" office:value=\"1e308\"/>",
    b"<text:s text:c=\"999999999\"/>",
    b"<office:annotation><text:p>",
    b"<table:table table:name=\"x\"><table:table-row><table:table-cell>",
    b"</table:table-row>",
    b"</table:table>",
];

/// The zip archive at `path` with only the members named.
fn members(path: &std::path::Path, names: &[&str]) -> Vec<u8> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for name in names {
        let mut bytes = Vec::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        zip.start_file(*name, deflate).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// One damaged copy of a workbook seed: one of its members damaged (often with spreadsheet XML
/// at its extremes), the rest as they were, zipped again, so the damage reaches the XML behind
/// the zip's checksums.
fn mutate_member(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    use std::io::Read;
    let seed = &seeds[rng.below(seeds.len())];
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(seed.as_slice())) else {
        return mutate(rng, seeds);
    };
    let damaged = rng.below(archive.len());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for index in 0..archive.len() {
        let mut member = archive.by_index(index).unwrap();
        let name = member.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        member.read_to_end(&mut bytes).unwrap();
        if index == damaged {
            bytes = damage(rng, bytes, seeds);
            for _ in 0..rng.below(4) {
                let at = rng.below(bytes.len() + 1);
                let extreme = XML_EXTREMES[rng.below(XML_EXTREMES.len())];
                bytes.splice(at..at, extreme.iter().copied());
            }
        }
        zip.start_file(name, deflate).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// `bytes` damaged at random: bits flipped, bytes set to punctuation, ranges cut, doubled or
/// spliced from another seed, deep nesting or extreme numbers inserted, the end cut off.
fn damage(rng: &mut Rng, mut bytes: Vec<u8>, seeds: &[Vec<u8>]) -> Vec<u8> {
    for _ in 0..1 + rng.below(8) {
        let len = bytes.len();
        let at = rng.below(len + 1);
        match rng.below(9) {
            0 if len > 0 => bytes[at.min(len - 1)] ^= 1 << rng.below(8),
            1 if len > 0 => bytes[at.min(len - 1)] = INTERESTING[rng.below(INTERESTING.len())],
            2 => {
                let end = (at + rng.below(64)).min(len);
                bytes.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(256)).min(len);
                let copy = bytes[at..end].to_vec();
                let to = rng.below(bytes.len() + 1);
                bytes.splice(to..to, copy);
            }
            4 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len());
                let end = (from + rng.below(512)).min(other.len());
                bytes.splice(at..at, other[from..end].iter().copied());
            }
            5 => {
                let open = [b"[".as_slice(), b"{\"a\":", b"{\"record\":"][rng.below(3)];
                bytes.splice(at..at, open.repeat(1 + rng.below(300)));
            }
            6 => bytes.truncate(at),
            7 => {
                let n = rng.below(16);
                let noise: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                bytes.splice(at..at, noise);
            }
            _ => {
                // A number, id or length pushed to an extreme.
                let extreme = [
                    b"18446744073709551616".as_slice(),
                    b"-1",
                    b"1e999",
                    b"\"\"",
                    b"null",
                ][rng.below(5)];
                bytes.splice(at..at, extreme.iter().copied());
            }
        }
    }
    bytes
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Reads one input as `format` (and plans it): anything but a panic is fine.
fn run_one(path: &Path, format: Format, options: &Options, size: u64) {
    let _ = dialoog_ingest::plan(&[path.to_owned()], options);
    let file = InputFile {
        path: path.to_owned(),
        size,
        format,
    };
    let mut sink = Collect::default();
    if let Ok(stats) = dialoog_ingest::read_file(&file, options, &mut sink) {
        assert_eq!(
            stats.read,
            (sink.posts.len() + sink.quarantined.len()) as u64
        );
    }
}

#[test]
fn each_parser_survives_damaged_real_records() {
    let cases = env_u64("DIALOOG_FUZZ_CASES").unwrap_or(48);
    let budget = env_u64("DIALOOG_FUZZ_SECS").map(Duration::from_secs);
    let only = std::env::var("DIALOOG_FUZZ_FORMAT").ok();
    let seed = env_u64("DIALOOG_FUZZ_SEED").unwrap_or(0x9e37_79b9_7f4a_7c15) | 1;
    let dir = tempfile::tempdir().unwrap();
    let mapping = dir.path().join("twcs.mapping.toml");
    std::fs::copy(repo("data/webcare/twcs.mapping.toml"), &mapping).unwrap();
    let options = Options {
        mapping: Some(mapping),
        ..Options::default()
    };
    let mut crashes = Vec::new();
    for (format, seeds) in parsers() {
        if only.as_deref().is_some_and(|o| o != format.name()) {
            continue;
        }
        let mut rng = Rng(seed ^ format.name().len() as u64);
        let path = dir.path().join(format!("input-{}", format.name()));
        // Every seed is a readable input of its format: the damage starts from real records.
        for seed in &seeds {
            std::fs::write(&path, seed).unwrap();
            let file = InputFile {
                path: path.clone(),
                size: seed.len() as u64,
                format,
            };
            let mut sink = Collect::default();
            dialoog_ingest::read_file(&file, &options, &mut sink).unwrap();
            assert!(!sink.posts.is_empty(), "{format}: a seed without posts");
        }
        let start = Instant::now();
        let mut executions = 0u64;
        loop {
            let done = match budget {
                Some(budget) => start.elapsed() >= budget,
                None => executions >= cases,
            };
            if done {
                break;
            }
            // Damage behind a workbook's zip checksums, most of the time, or to the zip itself.
            let workbook = matches!(format, Format::Xlsx | Format::Ods);
            let input = if workbook && rng.below(4) > 0 {
                mutate_member(&mut rng, &seeds)
            } else {
                mutate(&mut rng, &seeds)
            };
            std::fs::write(&path, &input).unwrap();
            executions += 1;
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                run_one(&path, format, &options, input.len() as u64)
            }));
            if outcome.is_err() {
                let saved = std::env::temp_dir()
                    .join(format!("dialoog-fuzz-{}-{executions}", format.name()));
                std::fs::write(&saved, &input).unwrap();
                crashes.push(format!("{format}: {}", saved.display()));
            }
        }
        eprintln!(
            "fuzz {}: {executions} executions in {:.0?}, {} panics",
            format.name(),
            start.elapsed(),
            crashes
                .iter()
                .filter(|c| c.starts_with(&format!("{format}:")))
                .count()
        );
    }
    assert!(crashes.is_empty(), "panicking inputs saved: {crashes:?}");
}
