//! Coosto CSV exports, from the rows in tests/fixtures/coosto (written in the columns of AmCAT's
//! Coosto importer; see the README there).

mod common;

use common::{find, read, repo};
use dialoog_ingest::Format;
use dialoog_model::{Platform, PostKind};

fn fixture(name: &str) -> std::path::PathBuf {
    repo(&format!("crates/ingest/tests/fixtures/coosto/{name}"))
}

#[test]
fn dutch_export_of_tweets_comments_and_news() {
    let (sink, stats, file) = read(&fixture("berichten.csv"));
    assert_eq!(file.format, Format::Coosto);
    assert_eq!(stats.format, "coosto");
    assert_eq!(sink.posts.len(), 7);

    let tweet = find(&sink.posts, "1763500000000000001");
    assert_eq!(tweet.platform, Platform::Twitter);
    assert_eq!(tweet.kind, PostKind::Post);
    assert_eq!(
        (tweet.author_id.as_str(), tweet.author_handle.as_str()),
        ("gemeentevoorbeeld", "gemeentevoorbeeld")
    );
    assert_eq!(
        tweet.created_at.to_rfc3339(),
        "2024-03-01T08:00:00+00:00",
        "Dutch winter time"
    );
    assert_eq!(tweet.author_followers, Some(12345), "Dutch thousands");
    assert_eq!(tweet.replies, Some(12), "the discussion length");
    assert_eq!(tweet.views, None, "reach is not views");
    assert_eq!(tweet.hashtags, ["stationsstraat"]);
    assert_eq!(tweet.urls, ["https://www.voorbeeld.nl/werk"]);
    assert_eq!(
        tweet.url.as_deref(),
        Some("https://twitter.com/gemeentevoorbeeld/status/1763500000000000001")
    );
    assert_eq!(
        tweet.conversation_id.as_deref(),
        Some("1763500000000000001")
    );
    assert_eq!(tweet.source_record, 2);

    // Two lines in one quoted field, with a semicolon: one post, at the line it starts on.
    let reply = find(&sink.posts, "1763500000000000002");
    assert_eq!(reply.author_handle, "burger_a", "without the @");
    assert!(reply.text.contains("langs; is er een omleiding?"));
    assert_eq!(reply.mentions, ["gemeentevoorbeeld"]);
    assert_eq!(reply.source_record, 3);

    let retweet = find(&sink.posts, "1763500000000000003");
    assert_eq!(retweet.platform, Platform::Twitter, "x.com");
    assert_eq!(retweet.kind, PostKind::Reshare, "RT @");
    assert!(
        retweet.mentions.is_empty(),
        "the original's, not the retweet's"
    );
    assert_eq!(retweet.author_followers, Some(1002));
    assert_eq!(retweet.source_record, 5);

    // A comment's id is its link with its author and time: comments may share their post's link.
    let comment_id = "https://www.facebook.com/gemeentevoorbeeld/posts/pfbid02aBcD?comment_id=998877#Jan de Vries@1709283720";
    let comment = find(&sink.posts, comment_id);
    assert_eq!(comment.platform, Platform::Facebook);
    assert_eq!(comment.kind, PostKind::Comment);
    assert_eq!(comment.author_handle, "Jan de Vries");
    assert_eq!(comment.conversation_id, None);

    let insta = find(&sink.posts, "C4abcDEF12");
    assert_eq!(insta.platform, Platform::Instagram);
    assert_eq!(insta.author_followers, Some(2100));

    let article_link = "https://www.voorbeeldkrant.nl/nieuws/stationsstraat-weken-dicht";
    let article = find(&sink.posts, article_link);
    assert_eq!(article.platform, Platform::Web, "news");
    assert_eq!(
        article.text, "Stationsstraat weken dicht voor werkzaamheden",
        "no text: the title"
    );

    // 02:30 on the night the clocks go forward does not exist: read an hour later.
    let night = find(
        &sink.posts,
        "https://forum.voorbeeld.nl/t/stationsstraat/12#post-2#nachtuil@1711848600",
    );
    assert_eq!(night.platform, Platform::Web, "a forum");
    assert_eq!(night.created_at.to_rfc3339(), "2024-03-31T01:30:00+00:00");

    // A date Coosto does not write is quarantined with its line and column.
    assert_eq!(sink.quarantined.len(), 1);
    let bad = &sink.quarantined[0];
    assert_eq!((bad.record, bad.field.as_deref()), (9, Some("datum")));
}

#[test]
fn english_export_with_views() {
    let (sink, _, file) = read(&fixture("messages-en.csv"));
    assert_eq!(file.format, Format::Coosto);
    assert_eq!(sink.posts.len(), 2);
    let tweet = find(&sink.posts, "1807700000000000001");
    assert_eq!(
        tweet.created_at.to_rfc3339(),
        "2024-07-01T07:00:30+00:00",
        "Dutch summer time"
    );
    assert_eq!(tweet.views, Some(1204));
    assert_eq!(tweet.author_followers, Some(12402));
    assert_eq!(tweet.mentions, ["buurtnoord"]);
    let comment = &sink.posts[1];
    assert_eq!(
        comment.id,
        "https://www.youtube.com/watch?v=abcDEF12345#Resident@1719819600"
    );
    assert_eq!(comment.platform, Platform::Youtube);
    assert_eq!(comment.kind, PostKind::Comment);
}

#[test]
fn comments_under_one_post_stay_apart_and_a_message_under_two_queries_is_one() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.csv");
    let post = "https://www.instagram.com/p/C4abcDEF12/";
    std::fs::write(
        &export,
        format!(
            "zoekopdracht;datum;url;type;auteur;bericht tekst\n\
             stationsstraat;2024-03-01 11:30;{post};post;gemeentevoorbeeld;Open!\n\
             stationsstraat;2024-03-01 11:40;{post};comment;burger_a;Mooi\n\
             stationsstraat;2024-03-01 11:41;{post};comment;burger_b;Eindelijk\n\
             fietsenstalling;2024-03-01 11:30;{post};post;gemeentevoorbeeld;Open!\n\
             fietsenstalling;2024-03-01 11:40;{post};comment;burger_a;Mooi\n"
        ),
    )
    .unwrap();
    let (sink, _, _) = read(&export);
    let mut ids: Vec<&str> = sink.posts.iter().map(|p| p.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids,
        [
            "C4abcDEF12",
            "https://www.instagram.com/p/C4abcDEF12/#burger_a@1709289600",
            "https://www.instagram.com/p/C4abcDEF12/#burger_b@1709289660",
        ]
    );
}
