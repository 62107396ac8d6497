mod common;

use chrono::{TimeZone, Utc};
use common::{find, read_with, repo};
use dialoog_ingest::{Format, Options};
use dialoog_model::{Platform, PostKind};

fn twcs() -> common::Collect {
    let options = Options {
        mapping: Some(repo("data/webcare/twcs.mapping.toml")),
        ..Options::default()
    };
    let (sink, stats, file) = read_with(&repo("data/webcare/twcs_head.csv"), &options);
    assert_eq!(file.format, Format::Csv);
    assert_eq!(stats.format, "csv");
    assert_eq!(stats.read, 5000);
    assert_eq!(stats.quarantined, 0, "{:?}", sink.quarantined.first());
    sink
}

#[test]
fn webcare_sample_reads_whole() {
    let sink = twcs();
    let start = Utc.with_ymd_and_hms(2017, 10, 1, 0, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2017, 12, 5, 0, 0, 0).unwrap();
    let in_period = sink
        .posts
        .iter()
        .filter(|p| p.created_at >= start && p.created_at < end)
        .count();
    assert_eq!(in_period, 4987);
    // The first data row is on line 2 (the header is line 1).
    let first = &sink.posts[0];
    assert_eq!(first.id, "1");
    assert_eq!(first.source_record, 2);
    assert!(first.source_file.ends_with("twcs_head.csv"));
    assert_eq!(first.platform, Platform::Twitter);
    assert_eq!(first.author_id, "sprintcare");
    assert_eq!(first.author_handle, "sprintcare");
    assert_eq!(first.created_at.to_rfc3339(), "2017-10-31T22:10:47+00:00");
    assert_eq!(first.kind, PostKind::Reply);
    assert_eq!(first.in_reply_to_id.as_deref(), Some("3"), "3.0 becomes 3");
    assert_eq!(first.in_reply_to_author_id, None);
    assert_eq!(first.mentions, ["115712"]);
    assert_eq!(
        first.text,
        "@115712 I understand. I would like to assist you. We would need to get you into a private secured link to further assist."
    );
    assert_eq!(
        first.url.as_deref(),
        Some("https://twitter.com/sprintcare/status/1")
    );
    assert_eq!(
        (first.likes, first.reshares, first.replies),
        (None, None, None)
    );
    // A customer's tweet that starts a thread.
    let customer = find(&sink.posts, "2");
    assert_eq!(customer.author_id, "115712");
    assert_eq!(customer.in_reply_to_id.as_deref(), Some("1"));
}

#[test]
fn the_row_with_bare_carriage_returns_stays_whole() {
    let sink = twcs();
    let torn = find(&sink.posts, "3399");
    assert_eq!(torn.author_id, "116510");
    assert_eq!(
        torn.text,
        "@AskPayPal \r\rI just love the start of email 😁 https://t.co/8u1Pf5rJoN"
    );
    assert_eq!(torn.kind, PostKind::Post);
    assert_eq!(torn.mentions, ["askpaypal"]);
    assert_eq!(torn.urls, ["https://t.co/8u1Pf5rJoN"]);
    // No id anywhere is left as a float.
    assert!(
        sink.posts.iter().all(
            |p| !p.id.contains('.') && !p.in_reply_to_id.as_deref().unwrap_or("").contains('.')
        )
    );
}

#[test]
fn the_demo_layout_finds_the_mapping_beside_the_csv() {
    // The demo copies the sample to input/twcs_head.csv and the mapping to
    // input/twcs_head.mapping.toml, then ingests the folder without --mapping.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(
        repo("data/webcare/twcs_head.csv"),
        input.join("twcs_head.csv"),
    )
    .unwrap();
    std::fs::copy(
        repo("data/webcare/twcs.mapping.toml"),
        input.join("twcs_head.mapping.toml"),
    )
    .unwrap();
    let planned = dialoog_ingest::plan(std::slice::from_ref(&input), &Options::default())
        .unwrap()
        .files;
    assert_eq!(planned.len(), 1, "the mapping file is not an input");
    let (sink, stats, _) = common::read(&input.join("twcs_head.csv"));
    assert_eq!((stats.read, stats.quarantined), (5000, 0));
    assert_eq!(sink.posts.len(), 5000);
}

#[test]
fn twitter_escaped_text_is_unescaped_when_the_mapping_says_so() {
    let sink = twcs();
    let settings = find(&sink.posts, "6594");
    assert!(
        settings
            .text
            .contains("your Account Settings > Payment Methods > Your Coupons"),
        "{}",
        settings.text
    );
    assert!(sink.posts.iter().all(|p| !p.text.contains("&gt;")));
}
