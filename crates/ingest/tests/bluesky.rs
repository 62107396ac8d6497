//! Bluesky JSON: the twitwi fixtures in tests/fixtures/bluesky (medialab/twitwi @fcf91221
//! test/resources, MIT; see the README there): API post views and feed items, Jetstream
//! ("firehose") and Tap events.

mod common;

use common::{find, read, repo};
use dialoog_ingest::Format;
use dialoog_model::{Platform, PostKind};
use std::io::Write;

fn fixture(name: &str) -> std::path::PathBuf {
    repo(&format!("crates/ingest/tests/fixtures/bluesky/{name}"))
}

const MENTION: &str = "at://did:plc:f22sjd5bmoyykou3335tpznf/app.bsky.feed.post/3lkkbdz7uxs2s";
const REPLY: &str = "at://did:plc:fhv65kba5do4hgyf7yq4dtyo/app.bsky.feed.post/3lkhaibfxv22b";
const QUOTE: &str = "at://did:plc:gzm4qhibsm3o6rg46n3ubswf/app.bsky.feed.post/3lkksxdlabk2y";

#[test]
fn post_views_and_feed_items() {
    let (sink, stats, file) = read(&fixture("bluesky-posts.json"));
    assert_eq!(file.format, Format::Bluesky);
    assert_eq!(stats.format, "bluesky");
    assert!(
        sink.quarantined.is_empty(),
        "{:?}",
        sink.quarantined.first()
    );
    // 110 post views, 13 feed items holding 13 posts, 6 reply root/parent views and 2 reposts.
    assert_eq!(sink.posts.len(), 131);
    let count = |kind| sink.posts.iter().filter(|p| p.kind == kind).count();
    assert_eq!(count(PostKind::Reply), 20);
    assert_eq!(count(PostKind::Reshare), 2);
    assert_eq!(count(PostKind::Quote), 24);
    assert!(sink.posts.iter().all(|p| p.platform == Platform::Bluesky
        && p.author_id.starts_with("did:")
        && (p.conversation_id.is_some() || p.kind == PostKind::Reshare)));

    let post = find(&sink.posts, MENTION);
    assert_eq!(post.kind, PostKind::Post);
    assert_eq!(post.author_id, "did:plc:f22sjd5bmoyykou3335tpznf");
    assert_eq!(post.author_handle, "snesupfsu.bsky.social");
    assert_eq!(
        post.conversation_id.as_deref(),
        Some(MENTION),
        "its own root"
    );
    assert_eq!(
        post.created_at.to_rfc3339(),
        "2025-03-17T04:00:25.083+00:00"
    );
    assert!(post.text.starts_with("📢📢‼️Appel intersyndical"));
    assert_eq!(post.mentions, ["fsu-nationale.bsky.social"]);
    assert_eq!(post.hashtags, ["hceres"]);
    assert_eq!(
        (post.likes, post.reshares, post.replies, post.quotes),
        (Some(9), Some(1), Some(0), Some(0))
    );
    assert_eq!(post.lang.as_deref(), Some("fr"));
    assert_eq!(
        post.url.as_deref(),
        Some("https://bsky.app/profile/snesupfsu.bsky.social/post/3lkkbdz7uxs2s")
    );

    let reply = find(&sink.posts, REPLY);
    assert_eq!(reply.kind, PostKind::Reply);
    let parent = "at://did:plc:7g4ic3vzf6ts42dmpy5usg4l/app.bsky.feed.post/3lkgnjzh6ec2g";
    assert_eq!(reply.in_reply_to_id.as_deref(), Some(parent));
    assert_eq!(reply.conversation_id.as_deref(), Some(parent));
    assert_eq!(
        reply.in_reply_to_author_id.as_deref(),
        Some("did:plc:7g4ic3vzf6ts42dmpy5usg4l")
    );
    assert_eq!(reply.author_handle, "pierre.senellart.com");

    let quote = find(&sink.posts, QUOTE);
    assert_eq!(quote.kind, PostKind::Quote);
    assert_eq!(
        quote.quote_of_id.as_deref(),
        Some("at://did:plc:2tcpwnpvacttgambthndvcas/app.bsky.feed.post/3lkd73d7zlj2w")
    );

    // A feed item with a repost reason: the post, and the reshare by the reposter.
    let reposted = "at://did:plc:aru6i7k6wo43msubk6km5td3/app.bsky.feed.post/3lloj4ipqqh27";
    let repost = sink
        .posts
        .iter()
        .find(|p| p.reshare_of_id.as_deref() == Some(reposted))
        .expect("the repost");
    assert_eq!(repost.kind, PostKind::Reshare);
    assert_eq!(repost.author_handle, "yomguithereal.bsky.social");
    assert_eq!(
        repost.created_at.to_rfc3339(),
        "2025-04-02T17:00:19.684+00:00"
    );
    assert_eq!(repost.text, "");
    assert_eq!(
        repost.id,
        format!("repost:did:plc:5klvtukw5fucxsrkjldhrjxs:{reposted}")
    );
    assert_eq!(find(&sink.posts, reposted).author_handle, "korben.info");
    // A feed item with a reply: its root and parent are posts too.
    let root = "at://did:plc:oklkinuievllgvhrv2nia4gu/app.bsky.feed.post/3llorpeiynx26";
    let reply = find(
        &sink.posts,
        "at://did:plc:5klvtukw5fucxsrkjldhrjxs/app.bsky.feed.post/3llp2zd2lec2r",
    );
    assert_eq!(reply.conversation_id.as_deref(), Some(root));
    assert_eq!(
        reply.in_reply_to_id.as_deref(),
        Some("at://did:plc:oqynptsozcuxi52v5srdwau2/app.bsky.feed.post/3lloyjul7ec2u")
    );
    assert_eq!(find(&sink.posts, root).author_handle, "bearstech.com");
}

#[test]
fn jetstream_events() {
    let (sink, stats, file) = read(&fixture("bluesky-firehose-posts.json"));
    assert_eq!(file.format, Format::Bluesky);
    assert_eq!(stats.quarantined, 0);
    assert_eq!(sink.posts.len(), 9);
    let reply = find(
        &sink.posts,
        "at://did:plc:als3olc4h5kbm5ntevl7mexn/app.bsky.feed.post/3m7hzqqgw622p",
    );
    assert_eq!(reply.kind, PostKind::Reply);
    assert_eq!(reply.text, "Beautiful colors.  🍁");
    assert_eq!(reply.author_id, "did:plc:als3olc4h5kbm5ntevl7mexn");
    assert_eq!(reply.author_handle, "", "events carry no handle");
    assert_eq!(
        reply.in_reply_to_author_id.as_deref(),
        Some("did:plc:4h65nhr2m7biwnispzw7ewqg")
    );
    assert_eq!(
        reply.url.as_deref(),
        Some("https://bsky.app/profile/did:plc:als3olc4h5kbm5ntevl7mexn/post/3m7hzqqgw622p")
    );
    let first = &sink.posts[0];
    assert_eq!(
        first.created_at.to_rfc3339(),
        "2025-12-05T10:16:59.783492+00:00",
        "eight fractional digits"
    );
    assert!(
        sink.posts
            .iter()
            .any(|p| p.hashtags.contains(&"outdoor".to_owned()))
    );
}

#[test]
fn tap_events() {
    let (sink, stats, file) = read(&fixture("bluesky-tap-posts.json"));
    assert_eq!(file.format, Format::Bluesky);
    assert_eq!(stats.quarantined, 0);
    assert_eq!(sink.posts.len(), 14);
    assert_eq!(
        sink.posts
            .iter()
            .filter(|p| p.kind == PostKind::Reply)
            .count(),
        6
    );
    let first = find(
        &sink.posts,
        "at://did:plc:whubiapecod3q5lebxfsqv3t/app.bsky.feed.post/3lephz5f6fk2a",
    );
    assert_eq!(
        first.hashtags,
        ["lackadaisy", "lackadaisyrocky", "lackadaisyivy"]
    );
    assert_eq!(first.urls.len(), 1);
    assert!(first.urls[0].starts_with("https://www.reddit.com/r/Lackadaisy/comments/1bi3vwa/"));
    assert_eq!(first.lang.as_deref(), Some("en"));
}

#[test]
fn jetstream_lines_with_reposts_likes_deletions_and_bad_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jetstream.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    // 1: a repost; 2: a like (skipped); 3: a deletion (skipped); 4: an identity event (skipped);
    // 5: a post without createdAt; 6: broken JSON; 7: a post in Dutch.
    writeln!(f, r#"{{"did":"did:plc:r","time_us":1,"kind":"commit","commit":{{"operation":"create","collection":"app.bsky.feed.repost","rkey":"3rp","record":{{"$type":"app.bsky.feed.repost","createdAt":"2025-01-01T00:00:00Z","subject":{{"uri":"at://did:plc:a/app.bsky.feed.post/3x","cid":"c"}}}}}}}}"#).unwrap();
    writeln!(f, r#"{{"did":"did:plc:r","time_us":2,"kind":"commit","commit":{{"operation":"create","collection":"app.bsky.feed.like","rkey":"3lk","record":{{"subject":{{"uri":"at://did:plc:a/app.bsky.feed.post/3x"}}}}}}}}"#).unwrap();
    writeln!(f, r#"{{"did":"did:plc:r","time_us":3,"kind":"commit","commit":{{"operation":"delete","collection":"app.bsky.feed.post","rkey":"3old"}}}}"#).unwrap();
    writeln!(f, r#"{{"did":"did:plc:r","time_us":4,"kind":"identity","identity":{{"did":"did:plc:r","handle":"r.bsky.social"}}}}"#).unwrap();
    writeln!(f, r#"{{"did":"did:plc:r","time_us":5,"kind":"commit","commit":{{"operation":"create","collection":"app.bsky.feed.post","rkey":"3nt","record":{{"text":"no time"}}}}}}"#).unwrap();
    writeln!(f, r#"{{"did":"did:plc:r","kind":"commit","commit":{{"#).unwrap();
    writeln!(f, r#"{{"did":"did:plc:g","time_us":7,"kind":"commit","commit":{{"operation":"create","collection":"app.bsky.feed.post","rkey":"3nl","record":{{"$type":"app.bsky.feed.post","createdAt":"2025-01-02T10:00:00.000Z","langs":["nl"],"text":"Bel 14 020 of kijk op gemeente.nl"}}}}}}"#).unwrap();
    drop(f);
    let (sink, stats, file) = read(&path);
    assert_eq!(file.format, Format::Bluesky);
    let ids: Vec<&str> = sink.posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "at://did:plc:r/app.bsky.feed.repost/3rp",
            "at://did:plc:g/app.bsky.feed.post/3nl"
        ]
    );
    assert_eq!(sink.posts[0].kind, PostKind::Reshare);
    assert_eq!(
        sink.posts[0].reshare_of_id.as_deref(),
        Some("at://did:plc:a/app.bsky.feed.post/3x")
    );
    assert_eq!(sink.posts[1].lang.as_deref(), Some("nl"));
    assert_eq!(sink.posts[1].source_record, 7);
    assert_eq!(stats.quarantined, 2);
    assert_eq!(sink.quarantined[0].record, 5);
    assert_eq!(sink.quarantined[0].field.as_deref(), Some("createdAt"));
    assert_eq!(sink.quarantined[1].record, 6);
}

#[test]
fn repository_car_exports() {
    // indigo's test repositories (MIT/Apache-2.0): 101 posts and 15 reposts; 23 posts and a repost.
    let (sink, stats, file) = read(&fixture("paul_staging.repo.car"));
    assert_eq!(file.format, Format::Bluesky);
    assert_eq!(stats.quarantined, 0);
    let count =
        |posts: &[dialoog_model::Post], kind| posts.iter().filter(|p| p.kind == kind).count();
    let kinds = |posts: &[dialoog_model::Post]| {
        [
            PostKind::Post,
            PostKind::Reply,
            PostKind::Quote,
            PostKind::Reshare,
        ]
        .map(|k| count(posts, k))
    };
    assert_eq!(kinds(&sink.posts), [76, 19, 6, 15]);
    const DID: &str = "did:plc:cmpvykrzb2l22kj4ojlv3ox4";
    assert!(sink.posts.iter().all(|p| p.author_id == DID
        && p.id.starts_with(&format!("at://{DID}/app.bsky.feed."))
        && p.source_file.ends_with("paul_staging.repo.car")));
    let reply = find(
        &sink.posts,
        "at://did:plc:cmpvykrzb2l22kj4ojlv3ox4/app.bsky.feed.post/3jqrdsnsktk2s",
    );
    assert_eq!(reply.kind, PostKind::Reply);
    assert_eq!(reply.text, "shits fucked yo");
    assert_eq!(
        reply.in_reply_to_id.as_deref(),
        Some("at://did:plc:cmpvykrzb2l22kj4ojlv3ox4/app.bsky.feed.post/3jqrdqhai2c2m")
    );
    assert_eq!(reply.in_reply_to_author_id.as_deref(), Some(DID));
    assert_eq!(reply.conversation_id, reply.in_reply_to_id);
    assert_eq!(
        reply.created_at.to_rfc3339(),
        "2023-03-12T21:11:47.524+00:00"
    );
    let quote = find(
        &sink.posts,
        "at://did:plc:cmpvykrzb2l22kj4ojlv3ox4/app.bsky.feed.post/3jrzqjdt6lc2n",
    );
    assert_eq!(quote.kind, PostKind::Quote);
    assert_eq!(
        quote.quote_of_id.as_deref(),
        Some("at://did:plc:cmpvykrzb2l22kj4ojlv3ox4/app.bsky.feed.post/3jrzqisyaic2k")
    );
    assert_eq!(quote.urls, ["https://atproto.com"]);
    let repost = find(
        &sink.posts,
        "at://did:plc:cmpvykrzb2l22kj4ojlv3ox4/app.bsky.feed.repost/3jnoypgoigc2z",
    );
    assert_eq!(repost.kind, PostKind::Reshare);
    assert_eq!(
        repost.reshare_of_id.as_deref(),
        Some("at://did:plc:cmpvykrzb2l22kj4ojlv3ox4/app.bsky.feed.post/3jnm7vxn4gk2t")
    );

    // A record from before facets: its mention is in the legacy `entities`.
    let legacy = find(
        &sink.posts,
        "at://did:plc:cmpvykrzb2l22kj4ojlv3ox4/app.bsky.feed.post/3jqw6wwrh2s2f",
    );
    assert_eq!(
        legacy.text,
        "okay @staging.divy.zone I think I fixe mention"
    );
    assert_eq!(legacy.mentions, ["staging.divy.zone"]);

    let (sink, _, _) = read(&fixture("bnewbold.robocracy.org.car"));
    assert_eq!(kinds(&sink.posts), [20, 2, 1, 1]);
    let quote = find(
        &sink.posts,
        "at://did:plc:nhxcyu4ewwhl5pqil4dotqjo/app.bsky.feed.post/3ktbn5b7zkc26",
    );
    assert_eq!(quote.mentions, ["bnewbold.net"]);
    assert_eq!(quote.lang.as_deref(), Some("en"));
}

#[test]
fn a_cut_or_damaged_car_keeps_the_records_before_the_damage() {
    let car = std::fs::read(fixture("paul_staging.repo.car")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Cut in the middle: records before the cut whose MST node came before it too are read.
    let path = dir.path().join("cut.car");
    std::fs::write(&path, &car[..car.len() * 3 / 4]).unwrap();
    let (sink, _, file) = read(&path);
    assert_eq!(file.format, Format::Bluesky);
    assert!(
        sink.posts.len() > 20 && sink.posts.len() < 116,
        "{}",
        sink.posts.len()
    );
    assert_eq!(sink.quarantined.len(), 1);
    assert!(
        sink.quarantined[0]
            .reason
            .starts_with("truncated CAR: block"),
        "{}",
        sink.quarantined[0].reason
    );
    // Gzipped whole: the same as plain.
    let path = dir.path().join("repo.car.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(&car).unwrap();
    gz.finish().unwrap();
    let (sink, _, _) = read(&path);
    assert_eq!(sink.posts.len(), 116);
}
