//! Telegram Desktop chat exports, from the export in tests/fixtures/telegram (see the README
//! there).

mod common;

use common::{find, read, repo};
use dialoog_ingest::Format;
use dialoog_model::{Platform, PostKind};
use serde_json::{Value, json};
use std::path::PathBuf;

fn fixture() -> PathBuf {
    repo("crates/ingest/tests/fixtures/telegram/DM_2A_7M.json")
}

#[test]
fn a_personal_chat() {
    let (sink, stats, file) = read(&fixture());
    assert_eq!(file.format, Format::Telegram);
    assert_eq!(stats.format, "telegram");
    assert_eq!(sink.posts.len(), 6, "the service message is no post");
    assert!(sink.quarantined.is_empty(), "{:?}", sink.quarantined);
    let link = find(&sink.posts, "700000000/3644");
    assert_eq!(link.platform, Platform::Telegram);
    assert_eq!(link.kind, PostKind::Post);
    assert_eq!(link.text, "https://google.com 👀");
    assert_eq!(link.urls, ["https://google.com"]);
    assert_eq!(
        (link.author_id.as_str(), link.author_name.as_str()),
        ("user700000000", "Bob")
    );
    assert_eq!(
        link.created_at.to_rfc3339(),
        "2019-07-12T16:55:32+00:00",
        "date, read as UTC"
    );
    assert_eq!(link.source_record, 2);
    let unix = find(&sink.posts, "700000000/3662");
    assert_eq!(unix.created_at.timestamp(), 1_652_135_033);
    let photo = find(&sink.posts, "700000000/3672");
    assert_eq!(photo.text, "", "a photo only");
    assert_eq!(photo.likes, None, "no reactions exported: unknown");
}

/// The chat as a public channel's export: replies, a forward and reactions on the real messages.
fn channel(dir: &std::path::Path) -> PathBuf {
    let mut chat: Value = serde_json::from_slice(&std::fs::read(fixture()).unwrap()).unwrap();
    let messages = chat["messages"].as_array_mut().unwrap();
    messages[2]["reply_to_message_id"] = json!(3644);
    messages[3]["forwarded_from"] = json!("Rijksoverheid");
    messages[4]["reactions"] = json!([{"type": "emoji", "count": 3, "emoji": "👍"}, {"type": "emoji", "count": 2, "emoji": "❤"}]);
    let anonymous = messages[5].as_object_mut().unwrap();
    anonymous.remove("from");
    anonymous.remove("from_id");
    // Telegram Desktop writes the chat's fields first, in this order (serde_json would sort them).
    let text = format!(
        "{{\n \"name\": \"Gemeente Voorbeeld\",\n \"type\": \"public_channel\",\n \"id\": 700000000,\n \"messages\": {}\n}}\n",
        serde_json::to_string_pretty(&chat["messages"]).unwrap()
    );
    let path = dir.join("result.json");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_channel_with_replies_forwards_and_reactions() {
    let dir = tempfile::tempdir().unwrap();
    let (sink, _, file) = read(&channel(dir.path()));
    assert_eq!(file.format, Format::Telegram);
    assert_eq!(sink.posts.len(), 6);
    let reply = find(&sink.posts, "700000000/3645");
    assert_eq!(reply.kind, PostKind::Reply);
    assert_eq!(reply.in_reply_to_id.as_deref(), Some("700000000/3644"));
    let forward = find(&sink.posts, "700000000/3662");
    assert_eq!(forward.kind, PostKind::Reshare);
    assert_eq!(forward.reshare_of_id, None, "not in the export");
    assert_eq!(forward.text, "world?", "the only copy of the text");
    let liked = find(&sink.posts, "700000000/3663");
    assert_eq!(liked.likes, Some(5));
    let channel_post = find(&sink.posts, "700000000/3672");
    assert_eq!(
        (
            channel_post.author_id.as_str(),
            channel_post.author_name.as_str()
        ),
        ("channel700000000", "Gemeente Voorbeeld"),
        "a channel post without an author is the channel's"
    );
}

#[test]
fn a_message_without_time_is_quarantined_and_a_cut_file_keeps_what_came_before() {
    let text = std::fs::read_to_string(fixture()).unwrap();
    let broken = text.replacen("\"date_unixtime\": \"1652138769\",", "", 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("result.json");
    std::fs::write(&path, &broken).unwrap();
    let (sink, _, _) = read(&path);
    assert_eq!(sink.posts.len(), 5);
    let bad = &sink.quarantined[0];
    assert_eq!((bad.record, bad.field.as_deref()), (5, Some("date")));

    let cut = &text[..text.find("\"id\": 3663").unwrap()];
    std::fs::write(&path, cut).unwrap();
    let (sink, _, _) = read(&path);
    assert_eq!(sink.posts.len(), 3);
    assert!(
        sink.quarantined[0]
            .reason
            .contains("the rest of the file cannot be read")
    );
}

/// A whole-account export built from the chat export's messages (make_account_export.py beside
/// the fixtures): every chat, and the channels left, read in one stream.
#[test]
fn a_whole_account_export_gives_every_chat() {
    let path = repo("crates/ingest/tests/fixtures/telegram/account_result.json");
    let (sink, stats, file) = read(&path);
    assert_eq!(file.format, Format::Telegram);
    assert!(sink.quarantined.is_empty(), "{:?}", sink.quarantined);
    // 1 saved message + 6 of the personal chat (its service message is none) + 3 channel posts
    // + 0 of the empty group + 2 of the chat left; contacts are no posts.
    assert_eq!(sink.posts.len(), 12);
    assert_eq!(stats.read, 12);
    let ids: Vec<&str> = sink.posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "300000000/3645",
            "700000000/3644",
            "700000000/3645",
            "700000000/3662",
            "700000000/3663",
            "700000000/3672",
            "700000000/3673",
            "1500000000/3644",
            "1500000000/3645",
            "1500000000/3663",
            "1700000000/3662",
            "1700000000/3672",
        ],
        "the same message id in two chats gives two posts"
    );
    // Records count messages over the whole file, service messages included.
    let records: Vec<u64> = sink.posts.iter().map(|p| p.source_record).collect();
    assert_eq!(records, [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    assert!(sink.raw.iter().all(|r| r.bytes.starts_with(b"{")));

    let saved = find(&sink.posts, "300000000/3645");
    assert_eq!(
        saved.kind,
        PostKind::Reshare,
        "forwarded into saved messages"
    );
    assert_eq!(saved.author_id, "user300000000");
    // The personal chat reads as its own export does.
    let (alone, _, _) = read(&fixture());
    for post in &alone.posts {
        let same = find(&sink.posts, &post.id);
        assert_eq!(common::content(same), common::content(post));
    }
    let anonymous = find(&sink.posts, "1500000000/3644");
    assert_eq!(
        (anonymous.author_id.as_str(), anonymous.author_name.as_str()),
        ("channel1500000000", "Gemeente Voorbeeld")
    );
    let reply = find(&sink.posts, "1500000000/3645");
    assert_eq!(reply.kind, PostKind::Reply);
    assert_eq!(reply.in_reply_to_id.as_deref(), Some("1500000000/3644"));
    assert_eq!(find(&sink.posts, "1500000000/3663").likes, Some(5));
    let left = find(&sink.posts, "1700000000/3662");
    assert_eq!(left.created_at.timestamp(), 1_652_135_033);
    assert_eq!(left.author_id, "user700000000");
}

/// A whole-account export cut off in a chat keeps the messages before the cut, and quarantines
/// the rest with the record where it broke off.
#[test]
fn a_cut_account_export_keeps_what_came_before() {
    let text = std::fs::read_to_string(repo(
        "crates/ingest/tests/fixtures/telegram/account_result.json",
    ))
    .unwrap();
    let cut = &text[..text.find("\"reply_to_message_id\"").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("result.json");
    std::fs::write(&path, cut).unwrap();
    let (sink, _, _) = read(&path);
    assert_eq!(sink.posts.len(), 8, "up to the channel's first post");
    assert_eq!(sink.quarantined.len(), 1);
    assert_eq!(sink.quarantined[0].record, 10);
    assert!(
        sink.quarantined[0]
            .reason
            .contains("the rest of the file cannot be read")
    );
}
