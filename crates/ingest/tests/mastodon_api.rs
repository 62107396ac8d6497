//! Mastodon API statuses. Real responses from mstdn.jp (2017) in tests/fixtures/mastodon-api,
//! copied from sys1yagi/mastodon4j (MIT; see the README there): a Context (a thread with its
//! ancestors and descendants) and the head of a public timeline as JSON lines. The boost and the
//! quote are built after the documented examples at docs.joinmastodon.org.

mod common;

use common::{find, read, repo};
use dialoog_ingest::Format;
use dialoog_model::{Platform, PostKind};
use std::io::Write;

fn fixture(name: &str) -> std::path::PathBuf {
    repo(&format!("crates/ingest/tests/fixtures/mastodon-api/{name}"))
}

#[test]
fn a_context_is_a_thread_with_its_root() {
    let (sink, stats, file) = read(&fixture("context.json"));
    assert_eq!(file.format, Format::MastodonApi);
    assert_eq!(stats.format, "mastodon-api");
    assert_eq!(stats.quarantined, 0, "{:?}", sink.quarantined);
    let ids: Vec<&str> = sink.posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["6884492", "6884692", "6886129"]);
    assert!(sink.posts.iter().all(|p| p.platform == Platform::Mastodon
        && p.conversation_id.as_deref() == Some("6884492")
        && p.source_record == 1));

    let root = find(&sink.posts, "6884492");
    assert_eq!(root.kind, PostKind::Post);
    assert_eq!(root.text, "何年ぶりだろう。「ミラノサンド」と発音したのは");
    assert_eq!(root.author_id, "28497");
    assert_eq!(root.author_handle, "test@mstdn.onosendai.jp");
    assert_eq!(root.author_followers, Some(710));
    assert_eq!((root.likes, root.reshares), (Some(1), Some(0)));
    assert_eq!(root.replies, None, "no replies_count before Mastodon 2.5");
    assert_eq!(
        root.url.as_deref(),
        Some("https://mstdn.onosendai.jp/users/test/updates/3606")
    );
    assert_eq!(root.created_at.to_rfc3339(), "2017-05-03T02:23:54+00:00");

    let reply = find(&sink.posts, "6884692");
    assert_eq!(reply.kind, PostKind::Reply);
    assert_eq!(reply.in_reply_to_id.as_deref(), Some("6884492"));
    assert_eq!(reply.in_reply_to_author_id.as_deref(), Some("28497"));
    assert_eq!(reply.author_handle, "test2");
    assert_eq!(reply.mentions, ["test@mstdn.onosendai.jp"]);
    assert!(reply.urls.is_empty(), "the mention link is not a URL");
    assert!(
        reply.text.starts_with("@test")
            && reply
                .text
                .ends_with("引っ越してドトールない街に移ったのでやけに美味しそう"),
        "{}",
        reply.text
    );
    assert_eq!(
        reply.created_at.timestamp_millis(),
        1_493_778_282_799,
        "milliseconds kept"
    );
    // The last reply answers a status the context does not hold.
    let deep = find(&sink.posts, "6886129");
    assert_eq!(deep.in_reply_to_id.as_deref(), Some("6886100"));
}

#[test]
fn a_public_timeline_as_json_lines() {
    let (sink, stats, file) = read(&fixture("public_timeline_head.jsonl"));
    assert_eq!(file.format, Format::MastodonApi);
    assert_eq!(stats.quarantined, 0);
    assert_eq!(sink.posts.len(), 6);
    assert_eq!(
        sink.posts
            .iter()
            .map(|p| p.source_record)
            .collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6]
    );
    assert!(sink.posts.iter().all(|p| p.kind == PostKind::Post));
    let first = &sink.posts[0];
    assert_eq!(first.id, "172429", "integer ids become strings");
    assert_eq!(first.author_name, "イオリン");
    assert_eq!(
        first.text,
        "電話であれ、テキストであれ、伝達能力はしっかり鍛えてほしい。"
    );
    let remote = find(&sink.posts, "172427");
    assert_eq!(remote.author_handle, "cocoabottle@mastodon.cloud");
    assert_eq!(remote.reshares, Some(1));
    assert!(
        remote
            .text
            .starts_with("JP管理人さん大変だなぁ。以下引用\n【お知らせ】"),
        "<br> is a line break: {}",
        remote.text
    );
    let emoji = find(&sink.posts, "172421");
    assert_eq!(emoji.author_name, "ろすゔぁいせ🍣");
    assert_eq!(
        emoji.url.as_deref(),
        Some("https://mstdn.jp/@Rossweisse/172421")
    );
}

/// A boost as `POST /api/v1/statuses/:id/reblog` returns it (ids and times from the example at
/// docs.joinmastodon.org/methods/statuses/#boost; the elided fields filled in), and a Mastodon
/// 4.5 quote (the `quote` object of docs.joinmastodon.org/entities/Quote/).
const BOOST_AND_QUOTE: &str = r#"[
 {"id": "103254401326800919", "created_at": "2019-12-05T09:12:09.625Z", "in_reply_to_id": null,
  "in_reply_to_account_id": null, "uri": "https://mastodon.social/users/trwnh/statuses/103254401326800919/activity",
  "url": null, "content": "", "spoiler_text": "", "language": null, "replies_count": 0, "reblogs_count": 0,
  "favourites_count": 0, "mentions": [], "tags": [],
  "account": {"id": "14715", "username": "trwnh", "acct": "trwnh", "display_name": "infinite love ⴳ", "followers_count": 821},
  "reblog": {"id": "99734435964706331", "created_at": "2018-03-23T17:38:40.700Z", "in_reply_to_id": null,
   "in_reply_to_account_id": null, "uri": "https://mastodon.social/users/trwnh/statuses/99734435964706331",
   "url": "https://mastodon.social/@trwnh/99734435964706331", "spoiler_text": "", "language": "en",
   "content": "<p>Posting a <a href=\"https://mastodon.social/tags/test\" class=\"mention hashtag\" rel=\"tag\">#<span>Test</span></a> with a link <a href=\"https://example.org/a?b=1\" rel=\"nofollow noopener\">example.org/a?b=1</a></p>",
   "replies_count": 1, "reblogs_count": 5, "favourites_count": 6, "mentions": [],
   "tags": [{"name": "Test", "url": "https://mastodon.social/tags/test"}],
   "account": {"id": "14715", "username": "trwnh", "acct": "trwnh", "display_name": "infinite love ⴳ", "followers_count": 821}}},
 {"id": "115000000000000001", "created_at": "2025-10-01T12:00:00.000Z", "in_reply_to_id": null,
  "in_reply_to_account_id": null, "spoiler_text": "CW: politiek", "language": "nl",
  "content": "<p>Eens met <span class=\"h-card\"><a href=\"https://mastodon.social/@Gargron\" class=\"u-url mention\">@<span>Gargron</span></a></span></p>",
  "url": "https://mastodon.nl/@a/115000000000000001", "replies_count": 0, "reblogs_count": 0, "favourites_count": 2, "quotes_count": 0,
  "mentions": [{"id": "1", "username": "Gargron", "acct": "Gargron@mastodon.social", "url": "https://mastodon.social/@Gargron"}], "tags": [],
  "account": {"id": "7", "username": "a", "acct": "a", "display_name": "A"},
  "quote": {"state": "accepted", "quoted_status": {"id": "103270115826048975", "created_at": "2019-12-08T03:48:33.901Z",
   "in_reply_to_id": null, "content": "<p>&quot;I lost my inheritance with one wrong digit on my sort code&quot;</p>",
   "url": "https://mastodon.social/@Gargron/103270115826048975", "language": "en",
   "account": {"id": "1", "username": "Gargron", "acct": "Gargron@mastodon.social", "display_name": "Eugen", "followers_count": 322930},
   "replies_count": 5, "reblogs_count": 6, "favourites_count": 11}}}
]"#;

#[test]
fn boosts_and_quotes_emit_the_original_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("statuses.json");
    std::fs::write(&path, BOOST_AND_QUOTE).unwrap();
    let (sink, stats, file) = read(&path);
    assert_eq!(file.format, Format::MastodonApi);
    assert_eq!(stats.quarantined, 0, "{:?}", sink.quarantined);
    let ids: Vec<&str> = sink.posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "103254401326800919",
            "99734435964706331",
            "115000000000000001",
            "103270115826048975"
        ]
    );
    let boost = &sink.posts[0];
    assert_eq!(boost.kind, PostKind::Reshare);
    assert_eq!(boost.reshare_of_id.as_deref(), Some("99734435964706331"));
    assert_eq!(boost.text, "");
    assert!(boost.hashtags.is_empty() && boost.urls.is_empty());
    assert_eq!(
        boost.url, None,
        "url null, uri not the status page: unknown"
    );
    assert_eq!(boost.author_name, "infinite love ⴳ");
    let original = &sink.posts[1];
    assert_eq!(original.kind, PostKind::Post);
    assert_eq!(
        original.text,
        "Posting a #Test with a link example.org/a?b=1"
    );
    assert_eq!(original.hashtags, ["test"]);
    assert_eq!(original.urls, ["https://example.org/a?b=1"]);
    assert_eq!(
        (original.likes, original.reshares, original.replies),
        (Some(6), Some(5), Some(1))
    );
    assert_eq!(original.source_record, 1);
    let quote = &sink.posts[2];
    assert_eq!(quote.kind, PostKind::Quote);
    assert_eq!(quote.quote_of_id.as_deref(), Some("103270115826048975"));
    assert_eq!(quote.text, "CW: politiek\n\nEens met @Gargron");
    assert_eq!(quote.mentions, ["gargron@mastodon.social"]);
    assert_eq!(quote.lang.as_deref(), Some("nl"));
    assert_eq!(quote.quotes, Some(0));
    let quoted = &sink.posts[3];
    assert_eq!(
        quoted.text,
        "\"I lost my inheritance with one wrong digit on my sort code\""
    );
    assert_eq!(quoted.author_followers, Some(322930));
    assert_eq!(quoted.source_record, 2);
}

#[test]
fn bad_records_are_quarantined_with_their_line() {
    let context: serde_json::Value =
        serde_json::from_reader(std::fs::File::open(fixture("context.json")).unwrap()).unwrap();
    let reply = &context["ancestors"][1];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notifications.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    // 1: a mention notification; 2: a follow notification (no post); 3: no account;
    // 4: a bad time; 5: broken JSON; 6: a search result; 7: a plain status.
    let mention = serde_json::json!({"id": "9", "type": "mention", "created_at": "2017-05-03T02:24:43.000Z",
        "account": reply["account"], "status": reply});
    writeln!(f, "{mention}").unwrap();
    writeln!(f, r#"{{"id": "10", "type": "follow", "created_at": "2017-05-03T02:24:43.000Z", "account": {{"id": 1}}}}"#).unwrap();
    let mut no_account = reply.clone();
    no_account.as_object_mut().unwrap().remove("account");
    writeln!(f, "{no_account}").unwrap();
    let mut bad_time = reply.clone();
    bad_time["created_at"] = "gisteren".into();
    writeln!(f, "{bad_time}").unwrap();
    writeln!(f, r#"{{"id": 1, "account": "#).unwrap();
    writeln!(
        f,
        "{}",
        serde_json::json!({"accounts": [], "statuses": [reply], "hashtags": []})
    )
    .unwrap();
    writeln!(f, "{reply}").unwrap();
    drop(f);
    let (sink, stats, file) = read(&path);
    assert_eq!(file.format, Format::MastodonApi);
    assert_eq!(
        sink.posts
            .iter()
            .map(|p| p.source_record)
            .collect::<Vec<_>>(),
        [1, 6, 7]
    );
    assert!(sink.posts.iter().all(|p| p.id == "6884692"));
    assert_eq!(stats.quarantined, 3);
    let q: Vec<(u64, Option<&str>)> = sink
        .quarantined
        .iter()
        .map(|q| (q.record, q.field.as_deref()))
        .collect();
    assert_eq!(
        q,
        [(3, Some("account")), (4, Some("created_at")), (5, None)]
    );
    assert!(
        sink.quarantined[2].reason.contains("truncated")
            || sink.quarantined[2].reason.contains("JSON")
    );
}
