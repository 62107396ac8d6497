mod common;

use common::{find, read, shared_only};
use dialoog_ingest::Format;
use dialoog_model::{Platform, PostKind};

const NOTE: &str = "https://indieweb.social/users/dealingwith/statuses/109305976208011760";
const REPLY: &str = "https://indieweb.social/users/dealingwith/statuses/109309145334822499";

fn check_outbox(sink: &common::Collect) {
    assert_eq!(sink.posts.len(), 1586);
    assert!(
        sink.quarantined.is_empty(),
        "{:?}",
        sink.quarantined.first()
    );
    let replies = sink
        .posts
        .iter()
        .filter(|p| p.kind == PostKind::Reply)
        .count();
    assert_eq!(replies, 422);
    let reshares = sink
        .posts
        .iter()
        .filter(|p| p.kind == PostKind::Reshare)
        .count();
    assert_eq!(reshares, 326);
    assert!(
        sink.posts
            .iter()
            .all(|p| p.platform == Platform::Mastodon && p.likes.is_none() && p.reshares.is_none())
    );

    let note = find(&sink.posts, NOTE);
    assert_eq!(note.kind, PostKind::Post);
    assert_eq!(note.author_id, "https://indieweb.social/users/dealingwith");
    assert_eq!(note.author_handle, "dealingwith");
    assert_eq!(note.created_at.to_rfc3339(), "2022-11-08T03:07:14+00:00");
    assert_eq!(
        note.text,
        "As Twitter crashes and burns, it’s a good time to pull these two articles out of my deep backlog of potential blog posts.\nhttps://daniel.industries/2022/11/07/less-twitter-more-indieweb/"
    );
    assert_eq!(
        note.urls,
        ["https://daniel.industries/2022/11/07/less-twitter-more-indieweb/"]
    );
    assert_eq!(
        note.url.as_deref(),
        Some("https://indieweb.social/@dealingwith/109305976208011760")
    );
    assert_eq!(note.lang.as_deref(), Some("en"));
    assert_eq!(note.source_record, 1);

    let reply = find(&sink.posts, REPLY);
    assert_eq!(reply.kind, PostKind::Reply);
    assert_eq!(
        reply.in_reply_to_id.as_deref(),
        Some("https://social.lol/users/mcg/statuses/109308078398027392")
    );
    assert_eq!(
        reply.in_reply_to_author_id.as_deref(),
        Some("https://social.lol/users/mcg")
    );
    assert_eq!(reply.mentions, ["mcg@social.lol"]);
    assert_eq!(reply.text, "@mcg 😜");
    assert!(reply.urls.is_empty());
    assert_eq!(
        reply.conversation_id.as_deref(),
        Some("tag:social.lol,2022-11-08:objectId=673957:objectType=Conversation")
    );

    let boost = find(
        &sink.posts,
        "https://indieweb.social/users/dealingwith/statuses/109449999597967268/activity",
    );
    assert_eq!(boost.kind, PostKind::Reshare);
    assert_eq!(
        boost.reshare_of_id.as_deref(),
        Some("https://mastodon.social/users/s0mmer/statuses/109440048909776763")
    );
    assert_eq!(boost.text, "");
    assert_eq!(boost.created_at.to_rfc3339(), "2022-12-03T13:34:16+00:00");
    assert!(sink.posts.iter().any(|p| !p.hashtags.is_empty()));
    assert!(sink.posts.iter().all(|p| {
        p.hashtags
            .iter()
            .all(|h| !h.starts_with('#') && *h == h.to_lowercase())
    }));
}

#[test]
fn outbox_file_and_folder() {
    let Some(outbox) = shared_only("mastodon/outbox.json") else {
        return;
    };
    let (sink, stats, file) = read(&outbox);
    assert_eq!(file.format, Format::MastodonOutbox);
    assert_eq!(stats.format, "mastodon-outbox");
    check_outbox(&sink);
    assert!(sink.posts[0].source_file.ends_with("mastodon/outbox.json"));
    // The export folder is one input.
    let (sink, _, file) = read(outbox.parent().unwrap());
    assert_eq!(file.format, Format::MastodonOutbox);
    assert!(file.path.ends_with("mastodon"));
    check_outbox(&sink);
    assert!(sink.posts[0].source_file.ends_with("outbox.json"));
}

#[test]
fn outbox_inside_a_tar_gz_archive() {
    let Some(outbox) = shared_only("mastodon/outbox.json") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive-20221204.tar.gz");
    let gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&archive).unwrap(),
        flate2::Compression::fast(),
    );
    let mut tar = tar::Builder::new(gz);
    let actor = br#"{"type": "Person"}"#;
    let mut header = tar::Header::new_gnu();
    header.set_size(actor.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append_data(&mut header, "actor.json", &actor[..])
        .unwrap();
    tar.append_path_with_name(outbox, "outbox.json").unwrap();
    tar.into_inner().unwrap().finish().unwrap();

    let (sink, _, file) = read(&archive);
    assert_eq!(file.format, Format::MastodonOutbox);
    check_outbox(&sink);
    assert!(
        sink.posts[0]
            .source_file
            .ends_with("archive-20221204.tar.gz!outbox.json"),
        "{}",
        sink.posts[0].source_file
    );
}

#[test]
fn a_tar_without_an_outbox_is_an_unknown_format() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("photos.tar");
    let mut tar = tar::Builder::new(std::fs::File::create(&archive).unwrap());
    let mut header = tar::Header::new_gnu();
    header.set_size(3);
    header.set_cksum();
    tar.append_data(&mut header, "a.jpg", &b"abc"[..]).unwrap();
    tar.into_inner().unwrap();
    let err = dialoog_ingest::plan(&[archive], &dialoog_ingest::Options::default()).unwrap_err();
    assert!(err.to_string().contains("without outbox.json"), "{err}");
}

/// The real archive's `actor.json` (dealingwith/masto-archive @9e988f1b), the fields Dialoog reads,
/// with a follower count added (Mastodon's export gives only the followers collection's URL).
const ACTOR: &str = r#"{"id": "https://indieweb.social/users/dealingwith", "type": "Person", "preferredUsername": "dealingwith", "name": "dealingwith", "followers": {"type": "OrderedCollection", "totalItems": 321}}"#;

fn check_profile(sink: &common::Collect) {
    check_outbox_profile(find(&sink.posts, NOTE));
    let boost = find(
        &sink.posts,
        "https://indieweb.social/users/dealingwith/statuses/109449999597967268/activity",
    );
    check_outbox_profile(boost);
}

fn check_outbox_profile(post: &dialoog_model::Post) {
    assert_eq!(post.author_handle, "dealingwith");
    assert_eq!(post.author_name, "dealingwith", "empty without actor.json");
    assert_eq!(post.author_followers, Some(321));
}

#[test]
fn actor_json_gives_the_owners_profile_in_a_folder_and_in_the_archive() {
    let Some(outbox) = shared_only("mastodon/outbox.json") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("export");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(&outbox, folder.join("outbox.json")).unwrap();
    std::fs::write(folder.join("actor.json"), ACTOR).unwrap();
    let (sink, _, _) = read(&folder);
    check_outbox(&sink);
    check_profile(&sink);
    let (sink, _, _) = read(&folder.join("outbox.json"));
    check_profile(&sink);

    // In the archive, after outbox.json.
    let archive = dir.path().join("archive-20221204.tar.gz");
    let gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&archive).unwrap(),
        flate2::Compression::fast(),
    );
    let mut tar = tar::Builder::new(gz);
    tar.append_path_with_name(&outbox, "outbox.json").unwrap();
    let mut header = tar::Header::new_gnu();
    header.set_size(ACTOR.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append_data(&mut header, "actor.json", ACTOR.as_bytes())
        .unwrap();
    tar.into_inner().unwrap().finish().unwrap();
    let (sink, _, _) = read(&archive);
    check_outbox(&sink);
    check_profile(&sink);
}
