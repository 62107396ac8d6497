mod common;

use common::{data, find, read};
use dialoog_ingest::Format;
use dialoog_model::PostKind;
use std::io::Write;

#[test]
fn stream_payload_retweet_of_a_quote() {
    let (sink, stats, file) = read(&data("twitwi/normalization-payload-stream.json"));
    assert_eq!(file.format, Format::TwitterV1);
    assert_eq!(stats.format, "twitter-v1");
    assert_eq!(stats.quarantined, 0);
    let ids: Vec<&str> = sink.posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "1552687856111566848",
            "1552622999664205829",
            "1552568929406664705",
            "1552568929406664705"
        ]
    );
    let rt = find(&sink.posts, "1552687856111566848");
    assert_eq!(rt.kind, PostKind::Reshare);
    assert_eq!(rt.reshare_of_id.as_deref(), Some("1552622999664205829"));
    assert_eq!(rt.quote_of_id, None);
    assert_eq!(rt.text, "");
    assert_eq!(rt.author_handle, "RaidKarD");
    assert_eq!(rt.author_followers, Some(102));
    assert_eq!(rt.created_at.to_rfc3339(), "2022-07-28T16:10:07+00:00");
    assert_eq!(rt.replies, Some(0), "reply_count is in stream payloads");
    assert_eq!(rt.source_record, 1);
    let quote = find(&sink.posts, "1552622999664205829");
    assert_eq!(quote.kind, PostKind::Quote);
    assert_eq!(quote.quote_of_id.as_deref(), Some("1552568929406664705"));
    assert_eq!(quote.author_handle, "ericcoquerel");
    assert_eq!(quote.author_followers, Some(107395));
    assert!(
        quote.text.ends_with("les 300 plus grosses)"),
        "{}",
        quote.text
    );
    assert_eq!(
        (quote.likes, quote.reshares, quote.quotes),
        (Some(283), Some(156), Some(7))
    );
    let quoted = find(&sink.posts, "1552568929406664705");
    assert!(
        quoted
            .text
            .starts_with("[REVELATIONS]\n\nAlors que @TotalEnergies")
    );
    assert!(
        quoted
            .text
            .contains("https://twitter.com/MaximCombes/status/1552568929406664705/photo/1")
    );
    assert!(quoted.mentions.contains(&"totalenergies".to_owned()));
    assert_eq!(
        quoted.url.as_deref(),
        Some("https://twitter.com/MaximCombes/status/1552568929406664705")
    );
}

#[test]
fn search_and_show_payloads_use_full_text() {
    for name in ["search", "show"] {
        let (sink, stats, file) = read(&data(&format!("twitwi/normalization-payload-{name}.json")));
        assert_eq!(file.format, Format::TwitterV1, "{name}");
        assert_eq!(stats.quarantined, 0);
        let rt = find(&sink.posts, "1552687856111566848");
        assert_eq!(rt.kind, PostKind::Reshare);
        assert_eq!(
            rt.replies, None,
            "no reply_count in {name} payloads: unknown, not 0"
        );
        assert_eq!(rt.reshares, Some(156));
        let original = find(&sink.posts, "1552622999664205829");
        assert!(
            original
                .text
                .ends_with("grosses) https://twitter.com/maximcombes/status/1552568929406664705"),
            "{}",
            original.text
        );
        assert_eq!(original.kind, PostKind::Quote);
        assert_eq!(
            original.urls,
            ["https://twitter.com/maximcombes/status/1552568929406664705"]
        );
        assert!(original.text.starts_with("Voilà pourquoi j’ai proposé"));
        assert!(!original.text.contains('…'));
    }
}

#[test]
fn json_lines_and_arrays_of_statuses() {
    let status: serde_json::Value = serde_json::from_reader(
        std::fs::File::open(data("twitwi/normalization-payload-show.json")).unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let lines = dir.path().join("statuses.jsonl");
    let mut f = std::fs::File::create(&lines).unwrap();
    for _ in 0..3 {
        writeln!(f, "{}", serde_json::to_string(&status).unwrap()).unwrap();
    }
    writeln!(f, "{{\"id_str\": \"9\", \"user\": ").unwrap();
    drop(f);
    let (sink, stats, _) = read(&lines);
    assert_eq!(stats.quarantined, 1);
    assert_eq!(sink.quarantined[0].record, 4);
    assert_eq!(sink.posts.len(), 3 * 3);
    assert_eq!(sink.posts.last().unwrap().source_record, 3);

    let array = dir.path().join("statuses.json");
    std::fs::write(
        &array,
        serde_json::to_string_pretty(&serde_json::json!([status, status, {"id_str": "7"}]))
            .unwrap(),
    )
    .unwrap();
    let (sink, stats, _) = read(&array);
    assert_eq!(sink.posts.len(), 6);
    assert_eq!(stats.quarantined, 1);
    assert_eq!(sink.quarantined[0].record, 3);
    assert_eq!(sink.quarantined[0].field.as_deref(), Some("created_at"));
}

#[test]
fn search_responses_and_stream_notices() {
    let status: serde_json::Value = serde_json::from_reader(
        std::fs::File::open(data("twitwi/normalization-payload-search.json")).unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stream.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    writeln!(f, r#"{{"delete": {{"status": {{"id": 1, "id_str": "1", "user_id": 3, "user_id_str": "3"}}, "timestamp_ms": "1"}}}}"#).unwrap();
    writeln!(f, r#"{{"limit": {{"track": 5, "timestamp_ms": "1"}}}}"#).unwrap();
    writeln!(
        f,
        "{}",
        serde_json::json!({"statuses": [status], "search_metadata": {"count": 1}})
    )
    .unwrap();
    drop(f);
    let (sink, stats, file) = read(&path);
    assert_eq!(file.format, Format::TwitterV1);
    assert_eq!(stats.quarantined, 0);
    assert_eq!(
        stats.read, 3,
        "the retweet, its original and the quoted status"
    );
    assert!(sink.posts.iter().all(|p| p.source_record == 3));
}
