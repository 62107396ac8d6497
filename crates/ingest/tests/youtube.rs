//! YouTube comments: Data API responses and YouTube Data Tools CSVs, from the real responses in
//! tests/fixtures/youtube (see the README there).

mod common;

use common::{Collect, find, read, repo};
use dialoog_ingest::Format;
use dialoog_model::{Platform, PostKind};
use serde_json::Value;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    repo(&format!("crates/ingest/tests/fixtures/youtube/{name}"))
}

#[test]
fn comment_threads_on_a_video() {
    let (sink, stats, file) = read(&fixture("comment_threads_by_video_paged_2.json"));
    assert_eq!(file.format, Format::Youtube);
    assert_eq!(stats.format, "youtube");
    assert_eq!(sink.posts.len(), 5);
    assert!(sink.quarantined.is_empty(), "{:?}", sink.quarantined);
    assert!(sink.posts.iter().all(|p| p.platform == Platform::Youtube
        && p.kind == PostKind::Comment
        && p.in_reply_to_id.as_deref() == Some("F1UP7wRCPH8")
        && p.conversation_id.as_deref() == Some("F1UP7wRCPH8")
        && p.source_record == 1));
    let link = find(&sink.posts, "UgyZ1jqkHKYvi1-ruOZ4AaABAg");
    assert_eq!(link.text, "Google.com");
    assert_eq!(link.urls, ["http://google.com/"], "the link in textDisplay");
    assert_eq!(
        (
            link.author_id.as_str(),
            link.author_handle.as_str(),
            link.author_name.as_str()
        ),
        (
            "UCzj-CjKYmGlZ7vTL-vOe57A",
            "himani agarwal",
            "himani agarwal"
        )
    );
    assert_eq!(link.created_at.to_rfc3339(), "2019-11-26T15:51:44+00:00");
    assert_eq!(
        link.url.as_deref(),
        Some("https://www.youtube.com/watch?v=F1UP7wRCPH8&lc=UgyZ1jqkHKYvi1-ruOZ4AaABAg")
    );
    let tags = find(&sink.posts, "UgwI_ylXVnzPS8Q-oAV4AaABAg");
    assert!(
        tags.text.starts_with("Lot's of good light"),
        "textOriginal, unescaped"
    );
    assert_eq!(tags.hashtags, ["chromedevsummit"]);
    assert!(tags.urls.is_empty(), "hashtag searches are not links");
    assert_eq!((tags.likes, tags.replies), (Some(0), Some(2)));
    assert_eq!(
        tags.in_reply_to_author_id, None,
        "the response does not name the video's channel"
    );
    let likes = find(&sink.posts, "UgysQP-vp089eFP0Stl4AaABAg");
    assert_eq!(likes.likes, Some(4));
}

#[test]
fn channel_threads_with_and_without_a_video() {
    let (sink, _, file) = read(&fixture("comment_threads_all_to_me.json"));
    assert_eq!(file.format, Format::Youtube);
    assert_eq!(sink.posts.len(), 4);
    let on_video = find(&sink.posts, "Ugw5zYU6n9pmIgAZWvN4AaABAg");
    assert_eq!(on_video.in_reply_to_id.as_deref(), Some("JE8xdDp5B8Q"));
    assert_eq!(
        on_video.in_reply_to_author_id.as_deref(),
        Some("UCa-vrCLQHviTOVnEKDOdetQ"),
        "the channel the video belongs to"
    );
    let chinese = find(&sink.posts, "UgwSRpgkjCe6OHHe3IJ4AaABAg");
    assert_eq!(chinese.text, "中午吃啥");
    assert_eq!(chinese.author_handle, "杨佳名");
    assert_eq!(
        (
            chinese.in_reply_to_id.as_deref(),
            chinese.conversation_id.as_deref()
        ),
        (None, None),
        "a channel comment answers no video"
    );
    assert_eq!(chinese.url, None);
    assert_eq!(chinese.replies, Some(1));
}

#[test]
fn replies_in_a_comments_list_answer_their_parent() {
    let (sink, _, file) = read(&fixture("comments_by_parent_paged_1.json"));
    assert_eq!(file.format, Format::Youtube);
    assert_eq!(sink.posts.len(), 2);
    for reply in &sink.posts {
        assert_eq!(reply.kind, PostKind::Comment);
        assert_eq!(
            reply.in_reply_to_id.as_deref(),
            Some("Ugw5zYU6n9pmIgAZWvN4AaABAg")
        );
        assert_eq!(reply.in_reply_to_author_id, None, "not in a comments list");
        assert_eq!(reply.conversation_id, None, "no video in a comments list");
    }
}

/// The thread of `comment_threads_all_to_me.json` with the replies of
/// `comments_by_parent_paged_1.json` under `replies.comments`, as `part=snippet,replies` gives
/// them, one response per line.
fn thread_with_replies(dir: &std::path::Path) -> PathBuf {
    let read_json = |name: &str| -> Value {
        serde_json::from_slice(&std::fs::read(fixture(name)).unwrap()).unwrap()
    };
    let mut threads = read_json("comment_threads_all_to_me.json");
    let replies = read_json("comments_by_parent_paged_1.json")["items"].clone();
    let items = threads["items"].as_array_mut().unwrap();
    let thread = items
        .iter_mut()
        .find(|t| t["id"] == "Ugw5zYU6n9pmIgAZWvN4AaABAg")
        .unwrap();
    thread["replies"] = serde_json::json!({ "comments": replies });
    let path = dir.join("threads.jsonl");
    let lines = [
        serde_json::to_string(&threads).unwrap(),
        serde_json::to_string(&read_json("comment_threads_by_video_paged_2.json")).unwrap(),
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

#[test]
fn replies_nested_in_a_thread_know_whom_they_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (sink, _, file) = read(&thread_with_replies(dir.path()));
    assert_eq!(file.format, Format::Youtube);
    assert_eq!(sink.posts.len(), 11);
    let reply = find(
        &sink.posts,
        "Ugw5zYU6n9pmIgAZWvN4AaABAg.91zT3cYb5B291za6voUoRh",
    );
    assert_eq!(
        reply.in_reply_to_id.as_deref(),
        Some("Ugw5zYU6n9pmIgAZWvN4AaABAg")
    );
    assert_eq!(
        reply.in_reply_to_author_id.as_deref(),
        Some("UCNvMBmCASzTNNX8lW3JRMbw")
    );
    assert_eq!(reply.conversation_id.as_deref(), Some("JE8xdDp5B8Q"));
    assert_eq!(reply.source_record, 1);
    assert_eq!(
        find(&sink.posts, "UgysQP-vp089eFP0Stl4AaABAg").source_record,
        2
    );
}

#[test]
fn a_comment_without_time_is_quarantined_and_the_rest_read() {
    let text = std::fs::read_to_string(fixture("comment_threads_by_video_paged_2.json")).unwrap();
    let broken = text.replacen("\"publishedAt\": \"2019-11-21T19:18:39.000Z\",", "", 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("threads.json");
    std::fs::write(&path, broken).unwrap();
    let (sink, _, _) = read(&path);
    assert_eq!(sink.posts.len(), 4);
    let bad = &sink.quarantined[0];
    assert_eq!(bad.field.as_deref(), Some("publishedAt"));
    assert!(bad.excerpt.contains("Ugy4OzAuz5uJuFt3FH54AaABAg"));
}

fn check_ytdt(sink: &Collect) {
    assert_eq!(sink.posts.len(), 9);
    assert!(sink.quarantined.is_empty(), "{:?}", sink.quarantined);
    assert!(sink.posts.iter().all(|p| p.kind == PostKind::Comment));
    let top = find(&sink.posts, "UgwI_ylXVnzPS8Q-oAV4AaABAg");
    assert_eq!(top.created_at.to_rfc3339(), "2019-11-14T23:31:33+00:00");
    assert_eq!(top.author_id, "UCACHW4qVHoE4zqhHxcVE3Kw");
    assert_eq!(top.hashtags, ["chromedevsummit"]);
    assert_eq!((top.likes, top.replies), (Some(0), Some(2)));
    let reply = find(
        &sink.posts,
        "Ugw5zYU6n9pmIgAZWvN4AaABAg.91zT3cYb5B291za5eJxzs1",
    );
    assert_eq!(
        reply.in_reply_to_id.as_deref(),
        Some("Ugw5zYU6n9pmIgAZWvN4AaABAg")
    );
    assert_eq!(reply.replies, None, "a reply's reply count is not given");
    assert_eq!(reply.text, "this is the second reply!");
}

#[test]
fn youtube_data_tools_csv_version_2() {
    let (sink, stats, file) = read(&fixture("ytdt_v2_comments.csv"));
    assert_eq!(file.format, Format::YoutubeDataTools);
    assert_eq!(stats.format, "ytdt-comments");
    check_ytdt(&sink);
    let top = find(&sink.posts, "UgwI_ylXVnzPS8Q-oAV4AaABAg");
    assert_eq!(
        top.in_reply_to_id.as_deref(),
        Some("F1UP7wRCPH8"),
        "the video"
    );
    assert_eq!(top.conversation_id.as_deref(), Some("F1UP7wRCPH8"));
    assert_eq!(
        top.url.as_deref(),
        Some("https://www.youtube.com/watch?v=F1UP7wRCPH8&lc=UgwI_ylXVnzPS8Q-oAV4AaABAg")
    );
}

#[test]
fn youtube_data_tools_csv_classic() {
    let (sink, _, file) = read(&fixture("ytdt_classic_comments.csv"));
    assert_eq!(file.format, Format::YoutubeDataTools);
    check_ytdt(&sink);
    let top = find(&sink.posts, "UgwI_ylXVnzPS8Q-oAV4AaABAg");
    assert_eq!(
        top.in_reply_to_id, None,
        "the classic export does not name the video"
    );
    assert_eq!(top.url, None);
}

#[test]
fn the_csv_and_the_api_agree_on_the_same_comments() {
    let dir = tempfile::tempdir().unwrap();
    let (api, _, _) = read(&thread_with_replies(dir.path()));
    let (csv, _, _) = read(&fixture("ytdt_v2_comments.csv"));
    for from_csv in &csv.posts {
        let from_api = find(&api.posts, &from_csv.id);
        let shape = |p: &dialoog_model::Post| {
            (
                p.created_at,
                p.author_id.clone(),
                p.author_handle.clone(),
                p.in_reply_to_id.clone(),
                p.conversation_id.clone(),
                p.likes,
                p.hashtags.clone(),
            )
        };
        assert_eq!(shape(from_csv), shape(from_api), "comment {}", from_csv.id);
    }
}
