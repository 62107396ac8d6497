//! Reddit dumps. Real records of one r/self thread (2013) in tests/fixtures/reddit, from the API
//! response in turnage/graw @9bb7bfdd reddit/internal/testdata/thread.json (see the README
//! there): the submission and eight comments, one per line as Pushshift / Arctic Shift store them.

mod common;

use common::{find, read, repo};
use dialoog_ingest::Format;
use dialoog_model::{Platform, PostKind};
use std::io::Write;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    repo(&format!("crates/ingest/tests/fixtures/reddit/{name}"))
}

#[test]
fn a_submission() {
    let (sink, stats, file) = read(&fixture("r_self_1cebxh_submission.ndjson"));
    assert_eq!(file.format, Format::Reddit);
    assert_eq!(stats.format, "reddit");
    assert_eq!(sink.posts.len(), 1);
    let post = &sink.posts[0];
    assert_eq!(post.platform, Platform::Reddit);
    assert_eq!(post.id, "1cebxh");
    assert_eq!(post.kind, PostKind::Post);
    assert_eq!(post.conversation_id.as_deref(), Some("1cebxh"));
    assert_eq!(
        (post.author_id.as_str(), post.author_handle.as_str()),
        ("hglkgkjd", "hglkgkjd")
    );
    assert_eq!(post.created_at.to_rfc3339(), "2013-04-15T16:44:39+00:00");
    assert!(post.text.starts_with(
        "my wife passed away eight months ago, yesterday I found a post-it note she'd hidden in my office.\n\nit feels like"
    ));
    assert!(post.text.ends_with("my heart is just brimming. "));
    assert_eq!((post.likes, post.replies), (Some(5730), Some(1655)));
    assert_eq!(
        post.url.as_deref(),
        Some(
            "https://www.reddit.com/r/self/comments/1cebxh/my_wife_passed_away_eight_months_ago_yesterday_i/"
        )
    );
    assert!(post.urls.is_empty(), "a self post links to itself only");
}

fn check_comments(sink: &common::Collect) {
    assert_eq!(sink.posts.len(), 8);
    assert!(sink.quarantined.is_empty(), "{:?}", sink.quarantined);
    assert!(
        sink.posts
            .iter()
            .all(|p| p.kind == PostKind::Comment && p.conversation_id.as_deref() == Some("1cebxh"))
    );
    let top = find(&sink.posts, "c9ftsjg");
    assert_eq!(
        top.in_reply_to_id.as_deref(),
        Some("1cebxh"),
        "t3_ parent: the submission"
    );
    assert_eq!(top.in_reply_to_author_id, None, "not in the dumps");
    assert_eq!(top.author_handle, "bacon_cake");
    assert_eq!(top.likes, Some(1058));
    assert_eq!(
        top.url.as_deref(),
        Some("https://www.reddit.com/comments/1cebxh/_/c9ftsjg/")
    );
    let op = find(&sink.posts, "c9fwx7a");
    assert_eq!(
        op.in_reply_to_id.as_deref(),
        Some("c9ftsjg"),
        "t1_ parent: a comment"
    );
    assert_eq!(op.author_id, "hglkgkjd");
    let deleted = find(&sink.posts, "c9h8wz5");
    assert_eq!(deleted.author_id, "[deleted]");
    assert_eq!(
        deleted.text,
        "Historians will note this era as the \"hglkgkjd baby boom\" "
    );
    assert_eq!(deleted.created_at.to_rfc3339(), "2013-04-17T20:50:47+00:00");
    let link = find(&sink.posts, "c9fygn5");
    assert_eq!(link.urls, ["http://i.imgur.com/nRGuj.gif"]);
    assert_eq!(link.in_reply_to_id.as_deref(), Some("c9fwmti"));
}

#[test]
fn comments_link_to_their_parents_and_the_submission() {
    let (sink, _, file) = read(&fixture("r_self_1cebxh_comments.ndjson"));
    assert_eq!(file.format, Format::Reddit);
    check_comments(&sink);
    assert_eq!(
        sink.posts
            .iter()
            .map(|p| p.source_record)
            .collect::<Vec<_>>(),
        (1..=8).collect::<Vec<u64>>()
    );
}

#[test]
fn zst_and_gz_dumps_are_read_as_the_plain_file() {
    let plain = std::fs::read(fixture("r_self_1cebxh_comments.ndjson")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Two zstd frames, written with a long window as the Arctic Shift dumps are.
    let zst = dir.path().join("RC_2013-04.zst");
    let mut out = std::fs::File::create(&zst).unwrap();
    let half = plain.iter().position(|b| *b == b'\n').unwrap() + 1;
    for part in [&plain[..half], &plain[half..]] {
        let mut encoder = zstd::stream::write::Encoder::new(&mut out, 19).unwrap();
        encoder.long_distance_matching(true).unwrap();
        encoder.window_log(27).unwrap();
        encoder.write_all(part).unwrap();
        encoder.finish().unwrap();
    }
    drop(out);
    let (sink, _, file) = read(&zst);
    assert_eq!(file.format, Format::Reddit);
    check_comments(&sink);

    let gz = dir.path().join("RC_2013-04.ndjson.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    encoder.write_all(&plain).unwrap();
    encoder.finish().unwrap();
    let (sink, _, _) = read(&gz);
    check_comments(&sink);
}

#[test]
fn string_times_crossposts_listings_and_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("RS_mixed.ndjson");
    let mut f = std::fs::File::create(&path).unwrap();
    // 1: an old-dump submission (string time, link post); 2: a crosspost with a removed body;
    // 3: no time; 4: invalid JSON; 5: an API listing with a comment and its nested reply;
    // 6: a non-Latin comment with emoji.
    writeln!(f, r#"{{"id": "5yba3", "author": "Arve", "subreddit": "reddit.com", "created_utc": "1192450643", "title": "Ajax &amp; more", "selftext": "", "is_self": false, "url": "https://example.org/ajax", "score": 7, "num_comments": 3, "permalink": "/r/reddit.com/comments/5yba3/ajax/"}}"#).unwrap();
    writeln!(f, r#"{{"id": "xp1", "author": "someone", "author_fullname": "t2_abc", "subreddit": "nederland", "created_utc": 1700000000, "title": "Gemeente reageert", "selftext": "[removed]", "crosspost_parent": "t3_orig1", "is_self": true, "score": 2}}"#).unwrap();
    writeln!(f, r#"{{"id": "c1", "author": "x", "subreddit": "self", "link_id": "t3_1cebxh", "body": "hi"}}"#).unwrap();
    writeln!(f, r#"{{"id": "c2", "author": "#).unwrap();
    writeln!(f, r#"{{"kind": "Listing", "data": {{"children": [{{"kind": "t1", "data": {{"id": "c3", "author": "a", "subreddit": "self", "created_utc": 1366059088.0, "link_id": "t3_1cebxh", "parent_id": "t3_1cebxh", "body": "top", "replies": {{"kind": "Listing", "data": {{"children": [{{"kind": "t1", "data": {{"id": "c4", "author": "b", "subreddit": "self", "created_utc": 1366059099, "link_id": "t3_1cebxh", "parent_id": "t1_c3", "body": "nested", "replies": ""}}}}, {{"kind": "more", "data": {{"count": 2, "parent_id": "t1_c3", "children": ["c5"]}}}}]}}}}}}}}]}}}}"#).unwrap();
    writeln!(f, r#"{{"id": "c6", "author": "猫", "subreddit": "japan", "created_utc": 1700000001, "link_id": "t3_j1", "parent_id": "t1_c5", "body": "日本語 😀 &gt; quote", "score": -3}}"#).unwrap();
    drop(f);
    let (sink, stats, file) = read(&path);
    assert_eq!(file.format, Format::Reddit);
    let ids: Vec<&str> = sink.posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["5yba3", "xp1", "c3", "c4", "c6"]);
    let old = &sink.posts[0];
    assert_eq!(old.created_at.to_rfc3339(), "2007-10-15T12:17:23+00:00");
    assert_eq!(old.text, "Ajax & more");
    assert_eq!(old.urls, ["https://example.org/ajax"]);
    let crosspost = &sink.posts[1];
    assert_eq!(crosspost.kind, PostKind::Quote);
    assert_eq!(crosspost.quote_of_id.as_deref(), Some("orig1"));
    assert_eq!(crosspost.text, "Gemeente reageert", "[removed] is no text");
    assert_eq!(
        crosspost.url.as_deref(),
        Some("https://www.reddit.com/comments/xp1/")
    );
    let nested = find(&sink.posts, "c4");
    assert_eq!(nested.in_reply_to_id.as_deref(), Some("c3"));
    assert_eq!(nested.source_record, 5);
    let cjk = find(&sink.posts, "c6");
    assert_eq!(cjk.text, "日本語 😀 > quote");
    assert_eq!(cjk.author_handle, "猫");
    assert_eq!(cjk.likes, None, "a negative score is no count of likes");
    assert_eq!(stats.quarantined, 2);
    assert_eq!(sink.quarantined[0].record, 3);
    assert_eq!(sink.quarantined[0].field.as_deref(), Some("created_utc"));
    assert_eq!(sink.quarantined[1].record, 4);
}
