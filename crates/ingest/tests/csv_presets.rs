//! CSV exports of other tools, recognised by their header (no mapping file): twarc-csv and the
//! Coordination Network Toolkit. Fixtures in tests/fixtures/<tool>/ with their README.

mod common;

use common::{Collect, find, read, repo};
use dialoog_ingest::Format;
use dialoog_model::{Platform, PostKind};
use std::io::Write;
use std::path::PathBuf;

fn fixture(path: &str) -> PathBuf {
    repo(&format!("crates/ingest/tests/fixtures/{path}"))
}

#[test]
fn twarc_csv_rows_are_tweets() {
    let (sink, stats, file) = read(&fixture("twarc-csv/noflat_head.csv"));
    assert_eq!(file.format, Format::TwarcCsv);
    assert_eq!(stats.format, "twarc-csv");
    assert_eq!(sink.posts.len(), 30);
    assert!(sink.quarantined.is_empty(), "{:?}", sink.quarantined);
    let kinds = |kind| sink.posts.iter().filter(|p| p.kind == kind).count();
    assert_eq!(
        (
            kinds(PostKind::Reshare),
            kinds(PostKind::Reply),
            kinds(PostKind::Quote)
        ),
        (14, 7, 1)
    );

    let post = find(&sink.posts, "1380242597881409537");
    assert_eq!(post.platform, Platform::Twitter);
    assert_eq!(post.kind, PostKind::Post);
    assert_eq!(
        (
            post.author_id.as_str(),
            post.author_handle.as_str(),
            post.author_name.as_str()
        ),
        ("1100629650017939456", "Qrtrhrsryder", "Deplorable Me")
    );
    assert_eq!(post.author_followers, Some(2080));
    assert_eq!(post.created_at.to_rfc3339(), "2021-04-08T19:34:13+00:00");
    assert!(
        post.text
            .ends_with("laughing at us.\"\n\nhttps://t.co/X22ekrCGee via @gatewaypundit"),
        "newlines unescaped: {:?}",
        post.text
    );
    assert_eq!(post.mentions, ["gatewaypundit"]);
    assert_eq!(post.urls.len(), 1);
    assert!(post.urls[0].starts_with("https://www.thegatewaypundit.com/2021/04/nasa-emails"));
    assert_eq!(
        (post.likes, post.views),
        (Some(0), None),
        "no impressions in 2021"
    );
    assert_eq!(
        post.url.as_deref(),
        Some("https://twitter.com/Qrtrhrsryder/status/1380242597881409537")
    );

    let reply = find(&sink.posts, "1380242586288328707");
    assert_eq!(reply.kind, PostKind::Reply);
    assert_eq!(reply.in_reply_to_id.as_deref(), Some("1380229267770933248"));
    assert_eq!(
        reply.in_reply_to_author_id.as_deref(),
        Some("1142605723601264640")
    );
    assert_eq!(
        reply.conversation_id.as_deref(),
        Some("1380220754978086917")
    );
    assert_eq!(reply.mentions, ["talktothefoot", "jackposobiec"]);

    let retweet = find(&sink.posts, "1380242495091568642");
    assert_eq!(retweet.kind, PostKind::Reshare);
    assert_eq!(
        retweet.reshare_of_id.as_deref(),
        Some("1380235959644651521")
    );
    assert_eq!(retweet.text, "", "the merged-in text is the original's");
    assert_eq!(
        retweet.likes, None,
        "the merged-in metrics are the original's"
    );
    assert!(retweet.hashtags.is_empty());

    let quote = find(&sink.posts, "1380242403009966082");
    assert_eq!(quote.kind, PostKind::Quote);
    assert_eq!(quote.quote_of_id.as_deref(), Some("1380226330034372610"));
    assert!(
        quote
            .text
            .starts_with("Obama's third term is going great!🙄")
    );
    assert_eq!(quote.author_name, "Jen 🇺🇲");

    let spanish = find(&sink.posts, "1380242611781386245");
    assert_eq!(spanish.kind, PostKind::Reshare);
    assert_eq!(spanish.source_record, 2, "line 2: the first row");
}

#[test]
fn twarc_csv_agrees_with_the_twarc2_reader_on_the_same_tweets() {
    let (csv, _, _) = read(&fixture("twarc-csv/noflat_head.csv"));
    let (json, _, _) = read(&repo("testdata/twarc2/noflat.jsonl"));
    for from_csv in &csv.posts {
        let from_json = find(&json.posts, &from_csv.id);
        let shape = |p: &dialoog_model::Post| {
            (
                p.kind,
                p.created_at,
                p.author_id.clone(),
                p.author_handle.clone(),
                p.conversation_id.clone(),
                p.in_reply_to_id.clone(),
                p.in_reply_to_author_id.clone(),
                p.reshare_of_id.clone(),
                p.quote_of_id.clone(),
                p.mentions.clone(),
                p.hashtags.clone(),
            )
        };
        assert_eq!(shape(from_csv), shape(from_json), "tweet {}", from_csv.id);
        if from_csv.kind != PostKind::Reshare {
            assert_eq!(
                (
                    from_csv.likes,
                    from_csv.reshares,
                    from_csv.replies,
                    from_csv.quotes
                ),
                (
                    from_json.likes,
                    from_json.reshares,
                    from_json.replies,
                    from_json.quotes
                ),
                "tweet {}",
                from_csv.id
            );
        }
    }
}

#[test]
fn a_bad_twarc_csv_row_is_quarantined_with_its_line_and_field() {
    let fixture = std::fs::read_to_string(fixture("twarc-csv/noflat_head.csv")).unwrap();
    let mut lines = fixture.lines();
    let header = lines.next().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tweets.csv");
    let mut f = std::fs::File::create(&path).unwrap();
    writeln!(f, "{header}").unwrap();
    writeln!(f, "{}", lines.next().unwrap()).unwrap();
    // The second row with its time cut off.
    let row = lines
        .next()
        .unwrap()
        .replace("2021-04-08T19:34:13.000Z", "yesterday");
    writeln!(f, "{row}").unwrap();
    drop(f);
    let (sink, _, _) = read(&path);
    assert_eq!(sink.posts.len(), 1);
    let bad = &sink.quarantined[0];
    assert_eq!((bad.record, bad.field.as_deref()), (3, Some("created_at")));
    assert!(bad.reason.contains("yesterday"), "{}", bad.reason);
}

fn check_coordination(sink: &Collect) {
    assert_eq!(sink.posts.len(), 15);
    assert!(sink.quarantined.is_empty(), "{:?}", sink.quarantined);
    let first = find(&sink.posts, "1");
    assert_eq!(first.platform, Platform::Other);
    assert_eq!(
        (first.author_id.as_str(), first.author_handle.as_str()),
        ("4", "user_4")
    );
    assert_eq!(first.text, "mango reindeer apple");
    assert_eq!(first.urls, ["http://example.com/2"]);
    assert_eq!(first.created_at.timestamp_millis(), 1_606_451_170_518);
    assert_eq!(
        (first.likes, first.replies),
        (None, None),
        "not in the format"
    );
    let repost = find(&sink.posts, "2");
    assert_eq!(repost.kind, PostKind::Reshare);
    assert_eq!(repost.reshare_of_id.as_deref(), Some("1"));
    assert!(repost.text.is_empty() && repost.urls.is_empty());
    let reply = find(&sink.posts, "12");
    assert_eq!(reply.kind, PostKind::Reply);
    assert_eq!(reply.in_reply_to_id.as_deref(), Some("10"));
    assert_eq!(
        reply.urls,
        ["http://example.com/6"],
        "the urls column, not the text"
    );
    let no_urls = find(&sink.posts, "5");
    assert!(no_urls.urls.is_empty());
    assert_eq!(
        sink.posts
            .iter()
            .filter(|p| p.kind == PostKind::Reshare)
            .count(),
        7
    );
}

#[test]
fn coordination_toolkit_rows_are_messages() {
    let (sink, stats, file) = read(&fixture("coordination-csv/sample_data_head.csv"));
    assert_eq!(file.format, Format::CoordinationCsv);
    assert_eq!(stats.format, "coordination-csv");
    check_coordination(&sink);
}

#[test]
fn presets_need_no_mapping_and_read_through_gzip() {
    let plain = std::fs::read(fixture("coordination-csv/sample_data_head.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("messages.csv.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    encoder.write_all(&plain).unwrap();
    encoder.finish().unwrap();
    let (sink, _, file) = read(&gz);
    assert_eq!(file.format, Format::CoordinationCsv);
    check_coordination(&sink);
}

#[test]
fn a_4cat_twitter_dataset() {
    let (sink, stats, file) = read(&fixture("4cat/twitter_noflat_head.csv"));
    assert_eq!(file.format, Format::FourCat);
    assert_eq!(stats.format, "4cat");
    assert_eq!(sink.posts.len(), 30);
    assert!(sink.quarantined.is_empty(), "{:?}", sink.quarantined);
    assert!(sink.posts.iter().all(|p| p.platform == Platform::Twitter));
    let post = find(&sink.posts, "1380242597881409537");
    assert_eq!(post.kind, PostKind::Post);
    assert_eq!(
        (
            post.author_id.as_str(),
            post.author_handle.as_str(),
            post.author_name.as_str()
        ),
        ("1100629650017939456", "Qrtrhrsryder", "Deplorable Me")
    );
    assert_eq!(post.author_followers, Some(2080));
    assert_eq!(post.created_at.to_rfc3339(), "2021-04-08T19:34:13+00:00");
    assert_eq!(post.mentions, ["gatewaypundit"]);
    assert_eq!(post.lang.as_deref(), Some("en"));
    let retweet = find(&sink.posts, "1380242611781386245");
    assert_eq!(retweet.kind, PostKind::Reshare);
    assert_eq!(
        retweet.text, "",
        "4CAT writes 'RT @name: ' and the original's text"
    );
    assert_eq!(
        retweet.reshare_of_id, None,
        "4CAT keeps no id of the retweeted tweet"
    );
    let reply = find(&sink.posts, "1380242586288328707");
    assert_eq!(reply.kind, PostKind::Reply);
    assert_eq!(
        reply.conversation_id.as_deref(),
        Some("1380220754978086917")
    );
    assert_eq!(
        reply.in_reply_to_id, None,
        "4CAT keeps the replied-to account only"
    );

    // The same tweets through twarc-csv: the same kinds, authors, times and counts.
    let (twarc, _, _) = read(&fixture("twarc-csv/noflat_head.csv"));
    for from_4cat in &sink.posts {
        let from_twarc = find(&twarc.posts, &from_4cat.id);
        assert_eq!(
            (
                from_4cat.kind,
                from_4cat.created_at,
                &from_4cat.author_id,
                &from_4cat.conversation_id
            ),
            (
                from_twarc.kind,
                from_twarc.created_at,
                &from_twarc.author_id,
                &from_twarc.conversation_id
            ),
            "tweet {}",
            from_4cat.id
        );
        if from_4cat.kind != PostKind::Reshare {
            assert_eq!(
                (from_4cat.likes, from_4cat.reshares, from_4cat.replies),
                (from_twarc.likes, from_twarc.reshares, from_twarc.replies)
            );
            assert_eq!(
                from_4cat.hashtags, from_twarc.hashtags,
                "tweet {}",
                from_4cat.id
            );
        }
    }
}
