//! Arbitrary bytes into every reader (and into detection) never panic: they give posts,
//! quarantined records or an error.

mod common;

use common::Collect;
use dialoog_ingest::{InputFile, Options};
use proptest::prelude::*;
use std::io::Write;

const MAPPING: &str = "platform = \"twitter\"\ntime_format = \"twitter\"\nid = \"a\"\ncreated_at = \"b\"\nauthor_id = \"c\"\ntext = \"d\"\nin_reply_to_id = \"e\"\nlikes = \"f\"\n";

/// Prefixes that lead the readers past their first checks.
const PREFIXES: &[&[u8]] = &[
    b"",
    b"{\"data\": [{\"id\": \"1\", \"created_at\": ",
    b"{\"id\": \"1\", \"author_id\": \"2\", \"referenced_tweets\": [",
    b"[{\"id_str\": \"1\", \"user\": ",
    b"{\"orderedItems\": [{\"type\": \"Create\", \"object\": ",
    b"a,b,c,d,e,f\n",
    b"window.YTD.tweets.part0 = [ {\"tweet\": {\"id_str\": \"1\", \"created_at\": ",
    b"PK\x03\x04",
    b"\x28\xb5\x2f\xfd",
    b"[{\"id\": \"1\", \"account\": {\"id\": 2}, \"reblogs_count\": 1, \"reblog\": ",
    b"{\"subreddit\": \"self\", \"created_utc\": 1366044279.0, \"link_id\": \"t3_1\", \"id\": ",
    b"[{\"kind\": \"Listing\", \"data\": {\"children\": [{\"kind\": \"t1\", \"data\": ",
    b"[{\"uri\": \"at://did:plc:a/app.bsky.feed.post/3l\", \"author\": {\"did\": \"did:plc:a\"}, \"record\": ",
    b"{\"did\": \"did:plc:a\", \"kind\": \"commit\", \"commit\": {\"collection\": \"app.bsky.feed.post\", \"operation\": \"create\", \"rkey\": \"3l\", \"record\": ",
    b"{\"ancestors\": [{\"id\": 1, \"created_at\": \"2017-05-03T02:23:54.000Z\", \"account\": ",
    b"id,conversation_id,referenced_tweets.replied_to.id,referenced_tweets.retweeted.id,author_id,created_at,text,entities.urls\n1,1,,,2,2021-04-08T19:34:13.000Z,",
    b"message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n1,4,user_4,,",
    b"id,thread_id,timestamp,unix_timestamp,link,body,author,author_id,like_count,is_retweet,mentions\n1,1,2021-04-08 19:34:16,",
    b"videoId,id,totalReplyCount,likeCount,publishedAt,authorName,authorChannelId,text,isReplyToId\nv,c,",
    b"{\"kind\": \"youtube#commentThreadListResponse\", \"items\": [{\"id\": \"t\", \"snippet\": {\"videoId\": \"v\", \"topLevelComment\": ",
    b"{\"data\": [{\"id\": \"4_1\", \"created_time\": \"2021-07-04T19:50:58+0000\", \"permalink_url\": \"https://www.facebook.com/4/posts/1/?comment_id=",
    b"{\"name\": \"K\", \"type\": \"public_channel\", \"id\": 12, \"messages\": [{\"id\": 1, \"type\": \"message\", \"date_unixtime\": \"1652135033\", \"from_id\": \"channel12\", \"text\": ",
    b"[{\"id\": \"4_1\", \"created_time\": \"2021-07-04T19:50:58+0000\", \"from\": {\"id\": \"4\"}, \"comment_count\": 1, \"comments\": {\"data\": [",
    // A Bluesky repository CAR: its header, the commit and the first blocks.
    include_bytes!("fixtures/bluesky/bnewbold.robocracy.org.car")
        .split_at(700)
        .0,
];

fn run_all(bytes: &[u8], gzip: bool) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input");
    let mut f = std::fs::File::create(&path).unwrap();
    if gzip {
        let mut gz = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap();
    } else {
        f.write_all(bytes).unwrap();
    }
    let mapping = dir.path().join("m.toml");
    std::fs::write(&mapping, MAPPING).unwrap();
    let options = Options {
        mapping: Some(mapping),
        ..Options::default()
    };
    let _ = dialoog_ingest::plan(std::slice::from_ref(&path), &options);
    for &format in dialoog_ingest::formats() {
        let file = InputFile {
            path: path.clone(),
            size: bytes.len() as u64,
            format,
        };
        let mut sink = Collect::default();
        if let Ok(stats) = dialoog_ingest::read_file(&file, &options, &mut sink) {
            assert_eq!(
                stats.read,
                (sink.posts.len() + sink.quarantined.len()) as u64
            );
        }
    }
}

/// Cases per property: 96 in CI; `DIALOOG_FUZZ_CASES=100000 cargo test -p dialoog-ingest --test
/// never_panic` for a long local run.
fn cases() -> u32 {
    std::env::var("DIALOOG_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(96)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn arbitrary_bytes_never_panic(
        prefix in 0..PREFIXES.len(),
        body in proptest::collection::vec(any::<u8>(), 0..600),
        gzip in any::<bool>(),
    ) {
        let mut bytes = PREFIXES[prefix].to_vec();
        bytes.extend_from_slice(&body);
        run_all(&bytes, gzip);
    }

    #[test]
    fn json_like_text_never_panics(
        prefix in 0..PREFIXES.len(),
        body in "[\\[\\]{}\":,0-9a-z_\\n\\r\\\\ .@#<>&;-]{0,400}",
    ) {
        let mut bytes = PREFIXES[prefix].to_vec();
        bytes.extend_from_slice(body.as_bytes());
        run_all(&bytes, false);
    }
}

#[test]
fn damaged_real_files_never_panic() {
    // Every cut of a real record: the readers see all kinds of truncation.
    let page = std::fs::read(common::data("twarc2/two_tweets.jsonl")).unwrap();
    for cut in (0..page.len()).step_by(97) {
        run_all(&page[..cut], false);
    }
    let status = std::fs::read(common::data("twitwi/normalization-payload-stream.json")).unwrap();
    for cut in (0..status.len()).step_by(1499) {
        run_all(&status[..cut], cut % 2 == 0);
    }
    let context = std::fs::read(common::repo(
        "crates/ingest/tests/fixtures/mastodon-api/context.json",
    ))
    .unwrap();
    for cut in (0..context.len()).step_by(701) {
        run_all(&context[..cut], false);
    }
    let events = std::fs::read(common::repo(
        "crates/ingest/tests/fixtures/bluesky/bluesky-tap-posts.json",
    ))
    .unwrap();
    for cut in (0..events.len()).step_by(2003) {
        run_all(&events[..cut], false);
    }
    let comments = std::fs::read(common::repo(
        "crates/ingest/tests/fixtures/reddit/r_self_1cebxh_comments.ndjson",
    ))
    .unwrap();
    for cut in (0..comments.len()).step_by(499) {
        run_all(&comments[..cut], cut % 2 == 1);
    }
    for (fixture, step) in [
        ("youtube/comment_threads_all_to_me.json", 307),
        ("facebook/comment_by_parent_p1.json", 257),
        ("facebook/comments_p1.json", 263),
        ("telegram/DM_2A_7M.json", 131),
        ("telegram/account_result.json", 173),
        ("zeeschuimer/instagram.ndjson", 97),
        ("zeeschuimer/tiktok.ndjson", 101),
        ("crowdtangle/facebook_pages.csv", 89),
        ("crowdtangle/instagram.csv", 29),
        ("coosto/berichten.csv", 23),
        ("youtube/ytdt_v2_comments.csv", 211),
        ("twarc-csv/noflat_head.csv", 4999),
        ("coordination-csv/sample_data_head.csv", 101),
        ("4cat/twitter_noflat_head.csv", 1999),
    ] {
        let bytes = std::fs::read(common::repo(&format!(
            "crates/ingest/tests/fixtures/{fixture}"
        )))
        .unwrap();
        for cut in (0..bytes.len()).step_by(step) {
            run_all(&bytes[..cut], false);
        }
    }
    let car = std::fs::read(common::repo(
        "crates/ingest/tests/fixtures/bluesky/bnewbold.robocracy.org.car",
    ))
    .unwrap();
    for cut in (0..car.len()).step_by(211) {
        run_all(&car[..cut], cut % 2 == 0);
        // A flipped byte: damaged lengths, CIDs and CBOR inside the blocks.
        let mut flipped = car.clone();
        flipped[cut] ^= 0x5a;
        run_all(&flipped, false);
    }
}
