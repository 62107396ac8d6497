//! CrowdTangle CSV exports, from the rows in tests/fixtures/crowdtangle (written in the columns of
//! 4CAT's CrowdTangle importer; see the README there).

mod common;

use common::{find, read, repo};
use dialoog_ingest::Format;
use dialoog_model::{Platform, PostKind};

fn fixture(name: &str) -> std::path::PathBuf {
    repo(&format!("crates/ingest/tests/fixtures/crowdtangle/{name}"))
}

#[test]
fn facebook_page_posts() {
    let (sink, stats, file) = read(&fixture("facebook_pages.csv"));
    assert_eq!(file.format, Format::CrowdTangle);
    assert_eq!(stats.format, "crowdtangle");
    assert_eq!(sink.posts.len(), 2);
    let link = find(&sink.posts, "pfbid02aBcD");
    assert_eq!(link.platform, Platform::Facebook);
    assert_eq!(link.kind, PostKind::Post);
    assert_eq!(
        (
            link.author_id.as_str(),
            link.author_handle.as_str(),
            link.author_name.as_str()
        ),
        ("100064000000001", "gemeentevoorbeeld", "Gemeente Voorbeeld")
    );
    assert_eq!(
        link.created_at.to_rfc3339(),
        "2024-03-01T08:00:00+00:00",
        "CET"
    );
    assert_eq!(
        link.likes,
        Some(1100 + 60 + 3 + 2 + 40 + 9),
        "every reaction"
    );
    assert_eq!((link.replies, link.reshares), (Some(87), Some(41)));
    assert_eq!(link.views, None, "no video: unknown, not 0");
    assert_eq!(link.author_followers, Some(13902));
    assert_eq!(link.hashtags, ["stationsstraat"]);
    assert_eq!(link.mentions, ["buurtvereniging"]);
    assert_eq!(
        link.urls,
        [
            "https://www.voorbeeld.nl/werk",
            "https://www.voorbeeld.nl/werkzaamheden/stationsstraat"
        ]
    );
    assert_eq!(link.conversation_id.as_deref(), Some("pfbid02aBcD"));
    let video = find(&sink.posts, "987654321012345");
    assert_eq!(
        video.created_at.to_rfc3339(),
        "2021-07-06T20:45:29+00:00",
        "EDT"
    );
    assert_eq!(video.views, Some(6004));
    assert_eq!(video.text, "");
    // A time CrowdTangle would never write is quarantined with its line and column.
    let bad = &sink.quarantined[0];
    assert_eq!(
        (bad.record, bad.field.as_deref()),
        (4, Some("Post Created"))
    );
}

#[test]
fn facebook_group_posts() {
    let (sink, _, file) = read(&fixture("facebook_group.csv"));
    assert_eq!(file.format, Format::CrowdTangle);
    let post = find(&sink.posts, "3344556677");
    assert_eq!(post.author_name, "Buurt Noord");
    assert_eq!(post.author_handle, "2209876543210", "no user name: the id");
    assert_eq!(post.author_followers, None);
    assert_eq!(post.mentions, ["gemeentevoorbeeld"]);
    assert_eq!(post.likes, Some(3));
}

#[test]
fn instagram_posts() {
    let (sink, _, file) = read(&fixture("instagram.csv"));
    assert_eq!(file.format, Format::CrowdTangle);
    assert!(sink.quarantined.is_empty(), "{:?}", sink.quarantined);
    let photo = find(&sink.posts, "C4AbCdEfGhI");
    assert_eq!(photo.platform, Platform::Instagram);
    assert_eq!(
        (photo.author_id.as_str(), photo.author_name.as_str()),
        ("gemeentevoorbeeld", "Gemeente Voorbeeld")
    );
    assert_eq!(
        photo.url.as_deref(),
        Some("https://www.instagram.com/p/C4AbCdEfGhI/")
    );
    assert_eq!(
        (photo.likes, photo.replies, photo.views),
        (Some(290), Some(22), None)
    );
    assert_eq!(photo.hashtags, ["voorbeeld"]);
    assert_eq!(photo.mentions, ["wethouderjansen"]);
    let reel = find(&sink.posts, "C4BcDeFgHiJ");
    assert_eq!((reel.likes, reel.views), (Some(1001), Some(12800)));
    assert_eq!(reel.author_followers, Some(8440));
}
