//! Telegram Desktop chat exports, from the export in tests/fixtures/telegram (see the README
//! there).

mod common;

use common::{find, read, repo};
use dialoog_ingest::{Format, IngestError, Options};
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

#[test]
fn a_whole_account_export_is_refused_with_a_message() {
    let chat: Value = serde_json::from_slice(&std::fs::read(fixture()).unwrap()).unwrap();
    let export = json!({
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 700000000, "first_name": "Bob"},
        "chats": {"about": "", "list": [chat]},
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("result.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&export).unwrap()).unwrap();
    let planned = dialoog_ingest::plan(std::slice::from_ref(&path), &Options::default())
        .unwrap()
        .files;
    assert_eq!(planned[0].format, Format::Telegram);
    let err = dialoog_ingest::read_file(
        &planned[0],
        &Options::default(),
        &mut common::Collect::default(),
    )
    .unwrap_err();
    assert!(matches!(err, IngestError::Archive { .. }), "{err}");
    assert!(err.to_string().contains("Export chat history"), "{err}");
}
