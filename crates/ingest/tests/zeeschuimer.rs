//! Zeeschuimer captures and 4CAT's NDJSON exports of them, from the records in
//! tests/fixtures/zeeschuimer (written in the fields 4CAT's mappers read; see the README there).

mod common;

use common::{find, read, repo};
use dialoog_ingest::Format;
use dialoog_model::{Platform, PostKind};

fn fixture(name: &str) -> std::path::PathBuf {
    repo(&format!("crates/ingest/tests/fixtures/zeeschuimer/{name}"))
}

#[test]
fn instagram_items_and_graph_nodes() {
    let (sink, stats, file) = read(&fixture("instagram.ndjson"));
    assert_eq!(file.format, Format::Zeeschuimer);
    assert_eq!(stats.format, "zeeschuimer");
    assert_eq!(sink.posts.len(), 3);
    let post = find(&sink.posts, "C4AbCdEfGhI");
    assert_eq!(post.platform, Platform::Instagram);
    assert_eq!(
        (
            post.author_id.as_str(),
            post.author_handle.as_str(),
            post.author_name.as_str()
        ),
        ("51000000001", "gemeentevoorbeeld", "Gemeente Voorbeeld")
    );
    assert_eq!(post.created_at.timestamp(), 1_709_292_600);
    assert_eq!((post.likes, post.replies), (Some(290), Some(22)));
    assert_eq!(post.hashtags, ["voorbeeld"]);
    assert_eq!(post.mentions, ["wethouderjansen"]);
    assert_eq!(
        post.url.as_deref(),
        Some("https://www.instagram.com/p/C4AbCdEfGhI")
    );
    let carousel = find(&sink.posts, "C4BcDeFgHiJ");
    assert_eq!(carousel.text, "", "no caption");
    assert_eq!(carousel.replies, Some(2), "counted from the comments given");
    let graph = find(&sink.posts, "C4CdEfGhIjK");
    assert_eq!(
        graph.text,
        "Inloopavond over het nieuwe bestemmingsplan #Noord"
    );
    assert_eq!((graph.likes, graph.replies), (Some(57), Some(4)));
    assert_eq!(graph.created_at.timestamp(), 1_709_575_200);
    // The ad is quarantined, as 4CAT refuses it.
    assert_eq!(sink.quarantined.len(), 1);
    assert_eq!(sink.quarantined[0].record, 4);
    assert!(sink.quarantined[0].reason.contains("ad"));
}

#[test]
fn tiktok_videos_and_comments() {
    let (sink, _, file) = read(&fixture("tiktok.ndjson"));
    assert_eq!(file.format, Format::Zeeschuimer);
    assert_eq!(sink.posts.len(), 4);
    let video = find(&sink.posts, "7341000000000000001");
    assert_eq!(video.platform, Platform::Tiktok);
    assert_eq!(
        (video.author_id.as_str(), video.author_handle.as_str()),
        ("6800000000000000001", "gemeentevoorbeeld")
    );
    assert_eq!(
        (video.likes, video.replies, video.reshares, video.views),
        (Some(480), Some(35), Some(12), Some(15300))
    );
    assert_eq!(video.author_followers, Some(2210));
    assert_eq!(video.hashtags, ["afval", "gemeente"]);
    assert_eq!(video.mentions, ["buurtapp"]);
    assert_eq!(
        video.url.as_deref(),
        Some("https://www.tiktok.com/@gemeentevoorbeeld/video/7341000000000000001")
    );
    let embedded = find(&sink.posts, "7341000000000000002");
    assert_eq!(
        (
            embedded.author_handle.as_str(),
            embedded.author_name.as_str()
        ),
        ("bewoner_noord", "Bewoner Noord")
    );
    let comment = find(&sink.posts, "7341100000000000001");
    assert_eq!(comment.kind, PostKind::Reply);
    assert_eq!(
        comment.in_reply_to_id.as_deref(),
        Some("7341000000000000001")
    );
    assert_eq!(
        comment.conversation_id.as_deref(),
        Some("7341000000000000001")
    );
    assert_eq!(comment.lang.as_deref(), Some("nl"));
    let reply = find(&sink.posts, "7341100000000000002");
    assert_eq!(reply.in_reply_to_id.as_deref(), Some("7341100000000000001"));
    assert_eq!(
        reply.author_id, "6800000000000000001",
        "the video's author answers"
    );
    assert_eq!(reply.urls, ["https://www.voorbeeld.nl/afvalpas"]);
    // A platform not read is named.
    assert_eq!(sink.quarantined.len(), 1);
    assert!(sink.quarantined[0].reason.contains("linkedin.com"));
}

#[test]
fn a_4cat_ndjson_export_reads_as_the_capture() {
    let (export, _, file) = read(&fixture("4cat_tiktok_export.ndjson"));
    assert_eq!(file.format, Format::Zeeschuimer);
    let (capture, _, _) = read(&fixture("tiktok.ndjson"));
    assert_eq!(export.posts.len(), 2);
    for post in &export.posts {
        assert_eq!(
            common::content(post),
            common::content(find(&capture.posts, &post.id))
        );
    }
}
