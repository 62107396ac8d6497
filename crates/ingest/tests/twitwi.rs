//! The CSV exports of minet and gazouilloire (twitwi): the test exports in tests/fixtures/twitwi
//! (medialab/twitwi @fcf91221 test/resources, MIT; see the README there). The Bluesky export is
//! twitwi's CSV of the same posts as the Bluesky JSON fixture, so the two are read against each
//! other.

mod common;

use common::{find, read, repo};
use dialoog_ingest::Format;
use dialoog_model::{Platform, Post, PostKind};
use std::collections::HashMap;

fn fixture(path: &str) -> std::path::PathBuf {
    repo(&format!("crates/ingest/tests/fixtures/{path}"))
}

#[test]
fn tweet_rows_are_tweets_and_a_retweet_row_also_gives_its_original() {
    let (sink, stats, file) = read(&fixture("twitwi/tweet-export.csv"));
    assert_eq!(file.format, Format::Twitwi);
    assert_eq!(stats.format, "twitwi");
    assert!(sink.quarantined.is_empty(), "{:?}", sink.quarantined);
    // Four rows; the retweet row also gives the tweet it retweets (the row before it here).
    assert_eq!(sink.posts.len(), 5);
    assert!(sink.posts.iter().all(|p| p.platform == Platform::Twitter));

    let reply = find(&sink.posts, "1348560158264328198");
    assert_eq!(reply.kind, PostKind::Reply);
    assert_eq!(
        (
            reply.author_id.as_str(),
            reply.author_handle.as_str(),
            reply.author_name.as_str()
        ),
        (
            "1239871972554821633",
            "Consciencemalh1",
            "Conscience malheureuse"
        )
    );
    assert_eq!(reply.author_followers, Some(1298));
    assert_eq!(reply.created_at.to_rfc3339(), "2021-01-11T09:19:31+00:00");
    assert_eq!(reply.in_reply_to_id.as_deref(), Some("1348549611280064519"));
    assert_eq!(reply.in_reply_to_author_id.as_deref(), Some("302549668"));
    assert_eq!(reply.mentions, ["babswad", "dialimpa", "minutebol"]);
    assert!(reply.text.contains("\nEn revanche"), "{:?}", reply.text);
    assert_eq!(reply.lang.as_deref(), Some("fr"));
    assert_eq!((reply.likes, reply.reshares), (Some(0), Some(0)));

    let quote = find(&sink.posts, "1348592722928656384");
    assert_eq!(quote.kind, PostKind::Quote);
    assert_eq!(quote.quote_of_id.as_deref(), Some("1348565512352112640"));
    assert_eq!(
        quote.hashtags,
        [
            "biden",
            "bigtech",
            "gafam",
            "libertedexpression",
            "nouvelordremondial"
        ]
    );
    assert_eq!(quote.urls.len(), 2);
    assert_eq!((quote.likes, quote.reshares), (Some(22), Some(18)));

    let retweet = find(&sink.posts, "1348592751940673536");
    assert_eq!(retweet.kind, PostKind::Reshare);
    assert_eq!(retweet.reshare_of_id.as_deref(), Some(quote.id.as_str()));
    assert_eq!(retweet.text, "");
    assert_eq!((retweet.likes, retweet.reshares), (None, None));
    let original = sink
        .posts
        .iter()
        .rfind(|p| p.id == quote.id)
        .expect("the retweeted tweet");
    assert_eq!(original.source_record, retweet.source_record);
    assert_eq!(
        (original.author_id.as_str(), original.author_handle.as_str()),
        (quote.author_id.as_str(), quote.author_handle.as_str())
    );
    assert_eq!(original.created_at, quote.created_at);
    assert_eq!(original.text, quote.text, "the text after 'RT @user: '");
    assert_eq!((original.likes, original.reshares), (None, None));
}

/// The fields both exports hold, as the JSON reader and this one make them. Not the counts: both
/// files hold some posts more than once, collected at different times.
fn shared_fields(post: &Post) -> impl PartialEq + std::fmt::Debug + '_ {
    (
        post.kind,
        &post.author_id,
        &post.author_handle,
        (&post.in_reply_to_id, &post.in_reply_to_author_id),
        &post.conversation_id,
        (&post.quote_of_id, &post.reshare_of_id),
        // twitwi's whole seconds, truncated toward zero (as a post dated in year 0 shows).
        post.created_at.timestamp_millis() / 1000,
    )
}

#[test]
fn bluesky_rows_give_the_posts_the_json_gives() {
    let (sink, stats, file) = read(&fixture("twitwi/bluesky-posts-export.csv"));
    assert_eq!(file.format, Format::Twitwi);
    assert_eq!(stats.format, "twitwi");
    assert!(sink.quarantined.is_empty(), "{:?}", sink.quarantined);
    // 157 rows, two of them collected through a repost, which they give too.
    assert_eq!(sink.posts.len(), 159);
    assert!(sink.posts.iter().all(|p| p.platform == Platform::Bluesky));

    let (json, _, _) = read(&fixture("bluesky/bluesky-posts.json"));
    // Both files hold some posts more than once (one of them in two versions): a row has to
    // match one of the JSON's copies.
    let mut from_json: HashMap<&str, Vec<&Post>> = HashMap::new();
    for post in &json.posts {
        from_json.entry(post.id.as_str()).or_default().push(post);
    }
    let text = |post: &Post| post.text.replace('\r', "").trim().to_owned();
    let mut compared = std::collections::HashSet::new();
    for post in &sink.posts {
        let Some(twins) = from_json.get(post.id.as_str()) else {
            continue;
        };
        assert!(
            twins
                .iter()
                .any(|twin| shared_fields(post) == shared_fields(twin) && text(post) == text(twin)),
            "{:?}\nis none of\n{:?}",
            (shared_fields(post), text(post)),
            twins
                .iter()
                .map(|twin| (shared_fields(twin), text(twin)))
                .collect::<Vec<_>>()
        );
        compared.insert(post.id.as_str());
    }
    assert_eq!(compared.len(), from_json.len(), "every post of the JSON");

    let first = find(
        &sink.posts,
        "at://did:plc:crmrddqmbqzyqd24yjlpibz2/app.bsky.feed.post/3lkicuf37nc2v",
    );
    assert_eq!(
        (first.reshares, first.likes, first.replies, first.quotes),
        (Some(20), Some(77), Some(5), Some(5))
    );
    assert_eq!(first.hashtags, ["esr", "hceres"]);
    assert!(first.text.ends_with("Donc \"le soupçon\"...😵\u{200d}💫"));

    let repost = sink
        .posts
        .iter()
        .find(|p| p.kind == PostKind::Reshare)
        .expect("a repost");
    assert_eq!(repost.author_handle, "yomguithereal.bsky.social");
    let original = repost.reshare_of_id.as_deref().expect("what it reposts");
    assert!(repost.id.starts_with("repost:did:plc:") && repost.id.ends_with(original));
}

#[test]
fn gazouilloire_json_lines_give_the_posts_the_csv_gives() {
    // gazouilloire's Elasticsearch dump of the same tweets: `_id` and a typed `_source`.
    let (json, stats, file) = read(&fixture("twitwi/tweet-export.jsonl"));
    assert_eq!(file.format, Format::Twitwi);
    assert!(json.quarantined.is_empty(), "{:?}", json.quarantined);
    let (csv, _, _) = read(&fixture("twitwi/tweet-export.csv"));
    // Four documents; the retweet also gives its original.
    assert_eq!(stats.read, 5);
    let records: Vec<u64> = json.posts.iter().map(|p| p.source_record).collect();
    assert_eq!(records, [1, 2, 3, 4, 4]);
    // Each post as the store keeps it (the first copy): the retweet's original is also a row.
    for from_json in json.posts.iter().map(|p| find(&json.posts, &p.id)) {
        let from_csv = find(&csv.posts, &from_json.id);
        let mut expected = common::content(from_csv);
        // The dump holds no reply or impression counts.
        expected.replies = None;
        expected.views = None;
        assert_eq!(common::content(from_json), expected, "{}", from_json.id);
    }
}
