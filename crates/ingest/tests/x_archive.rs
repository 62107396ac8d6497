//! The X account archive: `tweets.js` from ../shared/data/x-archive (smithjd/twitter_archive
//! @39186057 data/tweets.js; no licence stated, so it is read from ../shared and never copied
//! into the repository: those tests skip with a note where it is absent), alone, in an archive
//! folder with `account.js`, and inside a `.zip`; small written archives for the rest.

mod common;

use common::{content, find, read, shared_only};
use dialoog_ingest::{Format, Options};
use dialoog_model::{Platform, PostKind};
use std::io::Write;
use std::path::Path;

/// An `account.js` as the archive writes it (layout of X's archive README). The id is the one
/// the archive's own thread replies point to (`in_reply_to_screen_name` "smithjd"); the rest is
/// made up.
const ACCOUNT_JS: &str = r#"window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "someone@example.org",
      "createdVia" : "web",
      "username" : "smithjd",
      "accountId" : "5838832",
      "createdAt" : "2008-06-24T19:09:43.000Z",
      "accountDisplayName" : "John David Smith"
    }
  }
]"#;

fn check_tweets(sink: &common::Collect, owner_id: &str, owner_handle: &str) {
    assert_eq!(sink.posts.len(), 1758);
    assert!(
        sink.quarantined.is_empty(),
        "{:?}",
        sink.quarantined.first()
    );
    let count = |kind| sink.posts.iter().filter(|p| p.kind == kind).count();
    assert_eq!(count(PostKind::Reply), 160);
    assert_eq!(count(PostKind::Reshare), 128);
    assert!(sink.posts.iter().all(|p| p.platform == Platform::Twitter
        && p.author_id == owner_id
        && p.author_handle == owner_handle
        && p.likes.is_some()
        && p.reshares.is_some()));

    let reply = find(&sink.posts, "1582825767519809536");
    assert_eq!(reply.kind, PostKind::Reply);
    assert_eq!(reply.in_reply_to_id.as_deref(), Some("1582702502297755653"));
    assert_eq!(reply.in_reply_to_author_id.as_deref(), Some("10915042"));
    assert_eq!(reply.created_at.to_rfc3339(), "2022-10-19T20:07:25+00:00");
    assert_eq!(
        reply.text,
        "@sharon000 @lorenzwalthert @krlmlr Does it work OK with .qmd files?"
    );
    assert_eq!(reply.mentions, ["sharon000", "lorenzwalthert", "krlmlr"]);
    assert_eq!((reply.likes, reply.reshares), (Some(1), Some(0)));
    assert_eq!(reply.replies, None, "not in the archive: unknown, not 0");
    assert_eq!(reply.lang.as_deref(), Some("en"));

    // A retweet, with an emoji and an escaped '&' in the (truncated) retweeted text.
    let rt = find(&sink.posts, "1464661424580354048");
    assert_eq!(rt.kind, PostKind::Reshare);
    assert_eq!(rt.text, "");
    assert_eq!(
        rt.reshare_of_id, None,
        "the archive does not say which tweet"
    );
    assert_eq!(rt.mentions, ["luckymarmot"]);
    assert!(rt.urls.is_empty() && rt.in_reply_to_id.is_none());

    // A thread: the owner replies to their own post.
    let root = find(&sink.posts, "1552312411591417860");
    assert_eq!(root.kind, PostKind::Post);
    assert_eq!(root.urls, ["https://sched.co/137li"]);
    assert_eq!(root.hashtags, ["rstudioconf"]);
    let link = find(&sink.posts, "1552312824818458627");
    assert_eq!(link.kind, PostKind::Reply);
    assert_eq!(link.in_reply_to_id.as_deref(), Some(root.id.as_str()));
    assert_eq!(link.in_reply_to_author_id.as_deref(), Some("5838832"));
    assert_eq!(
        link.text,
        "Here are some musings about the issues based on my recent experiences to kick off the conversation. https://learningalliances.net/2022/07/musing-about-data-analytics-in-faith-based-organizations/"
    );
    assert_eq!(
        link.urls,
        [
            "https://learningalliances.net/2022/07/musing-about-data-analytics-in-faith-based-organizations/"
        ]
    );

    let emoji = find(&sink.posts, "1318227658761629699");
    assert!(
        emoji.text.contains("good one. 👏✨✨ https://"),
        "{}",
        emoji.text
    );

    let tags = find(&sink.posts, "1580696888344707072");
    assert_eq!(tags.hashtags, ["quartopub", "googledocs", "googledrive"]);

    let photo = find(&sink.posts, "1552679756239441920");
    assert_eq!(
        photo.urls,
        ["https://twitter.com/smithjd/status/1552679756239441920/photo/1"]
    );
    assert_eq!(
        photo.text,
        "Awesome simultaneous conversation with presenters from Africa #rstudioconf2022 https://twitter.com/smithjd/status/1552679756239441920/photo/1"
    );
}

#[test]
fn tweets_js_alone_has_the_documented_unknown_owner() {
    let Some(tweets) = shared_only("x-archive/tweets.js") else {
        return;
    };
    let (sink, stats, file) = read(&tweets);
    assert_eq!(file.format, Format::XArchive);
    assert_eq!(stats.format, "x-archive");
    check_tweets(&sink, "archive-owner", "");
    assert_eq!(sink.posts[0].source_record, 1);
    assert_eq!(sink.posts[0].id, "1582825767519809536");
    assert_eq!(sink.posts.last().unwrap().source_record, 1758);
    assert_eq!(
        find(&sink.posts, "1582825767519809536").url.as_deref(),
        Some("https://twitter.com/i/web/status/1582825767519809536")
    );
}

/// An archive folder: `<dir>/data/tweets.js` and `account.js`, plus other archive files that
/// are not tweets (they are not read).
fn archive_folder(dir: &Path, tweets: &Path) {
    let data_dir = dir.join("data");
    std::fs::create_dir_all(data_dir.join("tweets_media")).unwrap();
    std::fs::copy(tweets, data_dir.join("tweets.js")).unwrap();
    std::fs::write(data_dir.join("account.js"), ACCOUNT_JS).unwrap();
    std::fs::write(
        data_dir.join("like.js"),
        "window.YTD.like.part0 = [ {\"like\": {\"tweetId\": \"1\"}} ]",
    )
    .unwrap();
    std::fs::write(data_dir.join("tweets_media/a.jpg"), b"\xff\xd8\xff").unwrap();
    std::fs::write(dir.join("Your archive.html"), "<html></html>").unwrap();
}

#[test]
fn the_archive_folder_takes_its_owner_from_account_js() {
    let Some(tweets) = shared_only("x-archive/tweets.js") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    archive_folder(dir.path(), &tweets);
    for input in [dir.path().to_owned(), dir.path().join("data")] {
        let (sink, _, file) = read(&input);
        assert_eq!(file.format, Format::XArchive);
        assert!(
            file.path.ends_with("data/tweets.js"),
            "{}",
            file.path.display()
        );
        check_tweets(&sink, "5838832", "smithjd");
        let post = find(&sink.posts, "1552312824818458627");
        assert_eq!(post.in_reply_to_author_id, Some(post.author_id.clone()));
        assert_eq!(post.author_name, "John David Smith");
        assert_eq!(
            post.url.as_deref(),
            Some("https://twitter.com/smithjd/status/1552312824818458627")
        );
    }
}

fn write_zip(path: &Path, members: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn the_archive_zip_is_read_as_a_whole() {
    let Some(tweets_js) = shared_only("x-archive/tweets.js") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let tweets = std::fs::read(&tweets_js).unwrap();
    let zip_path = dir.path().join("twitter-2022-11-01-abc.zip");
    // tweets.js before account.js: the owner is still found.
    write_zip(
        &zip_path,
        &[
            ("data/tweets.js", &tweets),
            ("data/account.js", ACCOUNT_JS.as_bytes()),
            ("Your archive.html", b"<html></html>"),
        ],
    );
    let (sink, stats, file) = read(&zip_path);
    assert_eq!(file.format, Format::XArchive);
    check_tweets(&sink, "5838832", "smithjd");
    assert!(
        sink.posts[0]
            .source_file
            .ends_with("twitter-2022-11-01-abc.zip!data/tweets.js"),
        "{}",
        sink.posts[0].source_file
    );
    assert_eq!(stats.read, 1758);
    assert!(
        sink.progress.last().copied().unwrap_or(0) > 0,
        "progress is reported"
    );

    // The same posts as from the folder.
    let folder = tempfile::tempdir().unwrap();
    archive_folder(folder.path(), &tweets_js);
    let (from_folder, _, _) = read(folder.path());
    assert!(
        sink.posts
            .iter()
            .zip(&from_folder.posts)
            .all(|(a, b)| content(a) == content(b))
    );
}

#[test]
fn a_big_archive_in_parts_and_a_broken_part() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("archive.zip");
    let part1 = r#"window.YTD.tweets.part1 = [ {
  "tweet" : { "id_str" : "2", "created_at" : "Mon Jan 03 01:43:30 +0000 2022",
    "full_text" : "Одна минута 😀 日本語", "favorite_count" : "3", "retweet_count" : "1",
    "entities" : { "hashtags" : [ ], "user_mentions" : [ ], "urls" : [ ] }, "lang" : "ru" } },
  { "tweet" : { "id_str" : "3", "created_at" : "yesterday", "full_text" : "x" } },
  { "tweet" : { "id_str" : "4", "created_at" : "Mon Jan 03 01:43:30 +0000 2022", "full_text" : "y" } },
  { "tweet" : { "id_str" : "5", "#;
    write_zip(
        &zip_path,
        &[
            ("data/tweets-part1.js", part1.as_bytes()),
            (
                "data/tweets.js",
                br#"window.YTD.tweets.part0 = [ { "tweet" : { "id" : "1", "created_at" : "Sun Jan 02 01:43:30 +0000 2022", "full_text" : "@a hi", "in_reply_to_status_id" : "9", "in_reply_to_user_id" : "8" } } ]"#,
            ),
        ],
    );
    let (sink, stats, _) = read(&zip_path);
    let ids: Vec<&str> = sink.posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "4"], "part0 first, then part1");
    assert_eq!(sink.posts[0].kind, PostKind::Reply);
    assert_eq!(sink.posts[0].in_reply_to_author_id.as_deref(), Some("8"));
    assert_eq!(sink.posts[0].author_id, "archive-owner");
    let two = &sink.posts[1];
    assert_eq!(two.text, "Одна минута 😀 日本語");
    assert_eq!((two.likes, two.reshares), (Some(3), Some(1)));
    assert_eq!(two.lang.as_deref(), Some("ru"));
    assert!(two.source_file.ends_with("!data/tweets-part1.js"));
    assert_eq!(stats.quarantined, 2);
    assert_eq!(sink.quarantined[0].record, 2);
    assert_eq!(sink.quarantined[0].field.as_deref(), Some("created_at"));
    assert_eq!(sink.quarantined[1].record, 4);
    assert!(
        sink.quarantined[1]
            .reason
            .contains("the rest of the file cannot be read"),
        "{}",
        sink.quarantined[1].reason
    );
    assert!(sink.quarantined[1].file.ends_with("!data/tweets-part1.js"));
}

#[test]
fn gzipped_tweets_js() {
    let Some(tweets) = shared_only("x-archive/tweets.js") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let gz_path = dir.path().join("tweets.js.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz_path).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(&std::fs::read(tweets).unwrap()).unwrap();
    gz.finish().unwrap();
    let (sink, _, file) = read(&gz_path);
    assert_eq!(file.format, Format::XArchive);
    assert_eq!(sink.posts.len(), 1758);
}

#[test]
fn a_small_archive_folder_and_a_bad_wrapper() {
    // Always runs: an archive folder written here, with account.js and a retweet.
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    std::fs::write(data_dir.join("account.js"), ACCOUNT_JS).unwrap();
    std::fs::write(
        data_dir.join("tweets.js"),
        r#"window.YTD.tweets.part0 = [ { "tweet" : { "id_str" : "7", "created_at" : "Mon Jan 03 01:43:30 +0000 2022",
          "full_text" : "RT @szpak: Evolution is highly uneven…", "favorite_count" : "0", "retweet_count" : "0",
          "entities" : { "user_mentions" : [ { "screen_name" : "szpak", "id_str" : "9263412" } ], "urls" : [ ], "hashtags" : [ ] } } } ]"#,
    )
    .unwrap();
    let (sink, _, file) = read(dir.path());
    assert_eq!(file.format, Format::XArchive);
    assert_eq!(sink.posts.len(), 1);
    let rt = &sink.posts[0];
    assert_eq!(
        (rt.author_id.as_str(), rt.author_handle.as_str()),
        ("5838832", "smithjd")
    );
    assert_eq!(rt.kind, PostKind::Reshare);
    assert_eq!(rt.mentions, ["szpak"]);
    assert_eq!(rt.text, "");

    // Forced to read something that is not an archive file: one quarantined record, no panic.
    let bad = dir.path().join("tweets.js");
    std::fs::write(&bad, "window.YTD.tweets.part0 = { \"tweet\": 1 }").unwrap();
    let file = dialoog_ingest::InputFile {
        path: bad,
        size: 1,
        format: Format::XArchive,
    };
    let mut sink = common::Collect::default();
    let stats = dialoog_ingest::read_file(&file, &Options::default(), &mut sink).unwrap();
    assert_eq!(stats.quarantined, 1);
    assert!(sink.posts.is_empty());
}

#[test]
fn a_zip_that_is_not_an_archive_is_an_unknown_format() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("photos.zip");
    write_zip(&zip_path, &[("a.jpg", b"\xff\xd8\xff")]);
    let err = dialoog_ingest::plan(&[zip_path], &Options::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("neither an X account archive (data/tweets.js) nor a spreadsheet"),
        "{err}"
    );
    // A damaged zip names the file.
    let broken = dir.path().join("broken.zip");
    std::fs::write(&broken, b"PK\x03\x04 not really").unwrap();
    let err = dialoog_ingest::plan(std::slice::from_ref(&broken), &Options::default()).unwrap_err();
    assert!(err.to_string().contains("broken.zip"), "{err}");
}
