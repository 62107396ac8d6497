//! Facebook Graph API responses, from the real responses in tests/fixtures/facebook (see the
//! README there).

mod common;

use common::{find, read, repo};
use dialoog_ingest::Format;
use dialoog_model::{Platform, PostKind};
use serde_json::{Value, json};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    repo(&format!("crates/ingest/tests/fixtures/facebook/{name}"))
}

fn load(name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(fixture(name)).unwrap()).unwrap()
}

#[test]
fn a_page_feed() {
    let (sink, stats, file) = read(&fixture("feed_fields_p1.json"));
    assert_eq!(file.format, Format::Facebook);
    assert_eq!(stats.format, "facebook");
    assert_eq!(sink.posts.len(), 5);
    assert!(sink.quarantined.is_empty(), "{:?}", sink.quarantined);
    let post = find(&sink.posts, "4_10113477241177441");
    assert_eq!(post.platform, Platform::Facebook);
    assert_eq!(post.kind, PostKind::Post);
    assert_eq!(post.text, "Happy July 4th! 🇺🇸");
    assert_eq!(post.created_at.to_rfc3339(), "2021-07-04T19:50:58+00:00");
    assert_eq!(post.author_id, "[unknown]", "`from` was not asked for");
    assert_eq!(post.conversation_id.as_deref(), Some("4_10113477241177441"));
    assert_eq!(
        post.url.as_deref(),
        Some("https://www.facebook.com/4_10113477241177441")
    );
    assert_eq!(
        (post.likes, post.replies, post.reshares),
        (None, None, None)
    );
}

#[test]
fn a_group_feed_with_a_media_only_post() {
    let (sink, _, file) = read(&fixture("group_feed_p1.json"));
    assert_eq!(file.format, Format::Facebook);
    assert_eq!(sink.posts.len(), 5);
    let media = find(&sink.posts, "2260975870792283_3038566336366562");
    assert_eq!(media.text, "", "no message: a photo or a link only");
    let long = find(&sink.posts, "2260975870792283_2965835246973005");
    assert!(
        long.urls
            .contains(&"https://developers.facebook.com/developercircles/lead/apply".to_owned())
    );
    assert!(long.text.ends_with("Thank you and stay safe.🥰"));
}

#[test]
fn comments_with_authors_answer_the_post() {
    let (sink, _, file) = read(&fixture("comment_by_parent_p1.json"));
    assert_eq!(file.format, Format::Facebook);
    assert_eq!(sink.posts.len(), 5);
    for comment in &sink.posts {
        assert_eq!(comment.kind, PostKind::Comment);
        assert_eq!(
            comment.in_reply_to_id.as_deref(),
            Some("2121008874780932_2498598377021978"),
            "the post in the permalink"
        );
        assert_eq!(
            comment.conversation_id.as_deref(),
            Some("2121008874780932_2498598377021978")
        );
    }
    let photo = find(&sink.posts, "2498598377021978_2498617433686739");
    assert_eq!(
        (photo.author_id.as_str(), photo.author_name.as_str()),
        ("2711636948859886", "Kun Liu")
    );
    assert_eq!(photo.text, "Good job!😏");
    assert_eq!((photo.likes, photo.replies), (Some(2), Some(0)));
    let chinese = find(&sink.posts, "2498598377021978_2499265936955222");
    assert_eq!(chinese.text, "中午要吃俩鸡腿？");
    assert_eq!(chinese.author_name, "杨佳名");
}

#[test]
fn comments_without_ids_or_authors_are_placed_by_their_permalink() {
    let (sink, _, file) = read(&fixture("comments_p1.json"));
    assert_eq!(file.format, Format::Facebook);
    assert_eq!(sink.posts.len(), 10);
    assert!(sink.quarantined.is_empty(), "{:?}", sink.quarantined);
    assert!(sink.posts.iter().all(|p| p.author_id == "[unknown]"
        && p.conversation_id.as_deref() == Some("19292868552_10158407654328553")));
    let question = find(&sink.posts, "10158407903973553");
    assert_eq!(
        question.in_reply_to_id.as_deref(),
        Some("19292868552_10158407654328553")
    );
    assert_eq!(question.replies, Some(2));
    let answer = find(&sink.posts, "10158409983033553");
    assert_eq!(answer.in_reply_to_id.as_deref(), Some("10158407903973553"));
    assert_eq!(answer.in_reply_to_author_id, None, "unknown");
    assert_eq!(answer.urls, ["http://bit.ly/2NsSg8i"]);
    let portuguese = find(&sink.posts, "10158407835073553");
    assert!(portuguese.text.starts_with("Boa noite peço ajuda"));
}

/// A post of the group feed with the real comments nested as `fields=comments{comments}` gives
/// them: the commented comments of `comment_by_parent_p1.json`, the first with the replies of
/// `comments_p1.json` nested again; and a post that shares another, with page authors.
fn nested_feed(dir: &std::path::Path) -> PathBuf {
    let mut feed = load("group_feed_p1.json");
    let mut comments = load("comment_by_parent_p1.json")["data"].clone();
    let replies: Vec<Value> = load("comments_p1.json")["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["permalink_url"]
                .as_str()
                .unwrap()
                .contains("reply_comment_id")
        })
        .cloned()
        .collect();
    comments[0]["comments"] = json!({ "data": replies });
    let posts = feed["data"].as_array_mut().unwrap();
    posts[0]["from"] = json!({"name": "DevC Hong Kong", "id": "2260975870792283"});
    posts[0]["comments"] = json!({ "data": comments, "summary": {"total_count": 7} });
    posts[0]["reactions"] = json!({ "data": [], "summary": {"total_count": 12} });
    posts[1]["parent_id"] = json!("2260975870792283_3053924814830714");
    posts[3]["parent_id"] = json!("2260975870792283_2757016177854914");
    posts[3]["shares"] = json!({"count": 3});
    let path = dir.join("feed.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&feed).unwrap()).unwrap();
    path
}

#[test]
fn comments_nested_in_posts_and_replies_nested_in_comments() {
    let dir = tempfile::tempdir().unwrap();
    let (sink, _, file) = read(&nested_feed(dir.path()));
    assert_eq!(file.format, Format::Facebook);
    assert!(sink.quarantined.is_empty(), "{:?}", sink.quarantined);
    assert_eq!(sink.posts.len(), 5 + 5 + 4);
    let post = find(&sink.posts, "2260975870792283_3053924814830714");
    assert_eq!(post.author_id, "2260975870792283");
    assert_eq!((post.likes, post.replies), (Some(12), Some(7)));
    let comment = find(&sink.posts, "2498598377021978_2499265936955222");
    assert_eq!(
        comment.in_reply_to_id.as_deref(),
        Some("2260975870792283_3053924814830714")
    );
    assert_eq!(
        comment.in_reply_to_author_id.as_deref(),
        Some("2260975870792283")
    );
    assert_eq!(
        comment.conversation_id.as_deref(),
        Some("2260975870792283_3053924814830714")
    );
    let reply = find(&sink.posts, "10158409984103553");
    assert_eq!(
        reply.in_reply_to_id.as_deref(),
        Some("10158407835073553"),
        "the reply_comment_id's comment, not the nesting"
    );
    let nested = find(&sink.posts, "10158411321043553");
    assert_eq!(
        nested.conversation_id.as_deref(),
        Some("2260975870792283_3053924814830714")
    );
    let quote = find(&sink.posts, "2260975870792283_3053924731497389");
    assert_eq!(quote.kind, PostKind::Quote);
    assert_eq!(
        quote.quote_of_id.as_deref(),
        Some("2260975870792283_3053924814830714")
    );
    let share = find(&sink.posts, "2260975870792283_3038566336366562");
    assert_eq!(share.kind, PostKind::Reshare);
    assert_eq!(
        share.reshare_of_id.as_deref(),
        Some("2260975870792283_2757016177854914")
    );
    assert_eq!(share.reshares, Some(3));
}

#[test]
fn a_post_without_time_is_quarantined_and_the_rest_read() {
    let mut feed = load("feed_fields_p1.json");
    feed["data"][2]
        .as_object_mut()
        .unwrap()
        .remove("created_time");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.jsonl");
    std::fs::write(&path, serde_json::to_string(&feed).unwrap()).unwrap();
    let (sink, _, _) = read(&path);
    assert_eq!(sink.posts.len(), 4);
    let bad = &sink.quarantined[0];
    assert_eq!(
        (bad.record, bad.field.as_deref()),
        (1, Some("created_time"))
    );
    assert!(bad.excerpt.contains("4_10113400535556121"));
}
