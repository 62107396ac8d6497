mod common;

use common::{content, data, find, read};
use dialoog_ingest::Format;
use dialoog_model::{Platform, PostKind};
use std::collections::BTreeMap;

#[test]
fn noflat_page_maps_every_field() {
    let (sink, stats, file) = read(&data("twarc2/noflat.jsonl"));
    assert_eq!(file.format, Format::Twarc2);
    assert_eq!(stats.format, "twarc2");
    assert_eq!(sink.quarantined.len(), 0);
    // 100 tweets in data, 66 referenced tweets in includes.
    assert_eq!(sink.posts.len(), 166);
    let rt = find(&sink.posts, "1380242611781386245");
    assert_eq!(rt.platform, Platform::Twitter);
    assert_eq!(rt.kind, PostKind::Reshare);
    assert_eq!(rt.reshare_of_id.as_deref(), Some("1380175475545362437"));
    assert_eq!(rt.text, "");
    assert_eq!(rt.author_id, "1352661060663336960");
    assert_eq!(rt.author_handle, "Alexandravm12");
    assert_eq!(rt.author_name, "Alexandra Machado");
    assert_eq!(rt.author_followers, Some(58));
    assert_eq!(rt.created_at.to_rfc3339(), "2021-04-08T19:34:16+00:00");
    assert_eq!(rt.lang.as_deref(), Some("es"));
    assert_eq!(rt.conversation_id.as_deref(), Some("1380242611781386245"));
    assert_eq!(
        (rt.likes, rt.reshares, rt.replies, rt.quotes, rt.views),
        (Some(0), Some(410), Some(0), Some(0), None)
    );
    assert_eq!(
        rt.url.as_deref(),
        Some("https://twitter.com/Alexandravm12/status/1380242611781386245")
    );
    assert_eq!(rt.source_record, 1);
    assert!(rt.source_file.ends_with("noflat.jsonl"));
    // The retweeted post itself comes from includes.tweets, with its own counts and text.
    let original = find(&sink.posts, "1380175475545362437");
    assert_eq!(original.author_handle, "williamserafino");
    assert!(
        original.text.starts_with("De manera simultánea"),
        "{}",
        original.text
    );
    assert_eq!(original.likes, Some(241));
}

#[test]
fn flat_and_noflat_give_the_same_posts() {
    let (flat, _, flat_file) = read(&data("twarc2/flat.jsonl"));
    let (noflat, _, _) = read(&data("twarc2/noflat.jsonl"));
    assert_eq!(flat_file.format, Format::Twarc2);
    let by_id = |posts: &[dialoog_model::Post]| -> BTreeMap<String, dialoog_model::Post> {
        posts.iter().map(|p| (p.id.clone(), content(p))).collect()
    };
    let (a, b) = (by_id(&flat.posts), by_id(&noflat.posts));
    assert_eq!(a.len(), 164);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (id, post) in &a {
        assert_eq!(Some(post), b.get(id), "post {id} differs");
    }
    // Line numbers: the flattened file has one tweet per line.
    assert_eq!(flat.posts.last().map(|p| p.source_record), Some(100));
}
