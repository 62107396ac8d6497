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

#[test]
fn italian_conversation_with_entities_and_a_reply_to_a_deleted_post() {
    let (sink, _, _) = read(&data("twarc2/entities_test.jsonl"));
    assert!(sink.quarantined.is_empty());
    assert_eq!(sink.posts.len(), 474 + 197);
    // Hashtags lower-cased, t.co expanded in the text and the URL list; a quote.
    let p = find(&sink.posts, "1574186940609581056");
    assert_eq!(p.author_handle, "piunord");
    assert_eq!(p.kind, PostKind::Quote);
    assert_eq!(p.quote_of_id.as_deref(), Some("1573975826508423169"));
    assert_eq!(p.hashtags, ["salviniout", "elezionipolitiche2022"]);
    assert_eq!(
        p.urls,
        ["https://twitter.com/Storace/status/1573975826508423169"]
    );
    assert!(p.text.ends_with(
        "#Salviniout #ElezioniPolitiche2022 https://twitter.com/Storace/status/1573975826508423169"
    ));
    assert!(!p.text.contains("t.co"));
    assert_eq!(p.likes, Some(8));
    assert_eq!(
        p.views,
        Some(0),
        "impression_count is given, so views is known"
    );
    assert_eq!(p.lang, None, "this export has no lang field");
    assert_eq!(p.created_at.to_rfc3339(), "2022-09-25T23:59:48+00:00");
    // A reply whose parent is in neither data nor includes (deleted or not collected).
    let r = find(&sink.posts, "1574185776430325761");
    assert_eq!(r.kind, PostKind::Reply);
    assert_eq!(r.in_reply_to_id.as_deref(), Some("1574182774923296771"));
    assert_eq!(
        r.in_reply_to_author_id.as_deref(),
        Some("1496454723045634052")
    );
    assert_eq!(r.author_handle, "off___gio");
    assert_eq!(r.mentions, ["lillypois"]);
    assert!(
        r.text
            .starts_with("@lillypois a me piace il confronto ma solo se è fatto")
    );
    assert!(sink.posts.iter().all(|p| p.id != "1574182774923296771"));
}

#[test]
fn retweet_of_a_quote_and_non_latin_text() {
    let (sink, stats, _) = read(&data("twarc2/2sets.jsonl"));
    assert_eq!(stats.quarantined, 0);
    assert_eq!(sink.posts.len(), 100 + 23 + 100 + 59);
    let rt = find(&sink.posts, "1440716512201904128");
    assert_eq!(rt.kind, PostKind::Reshare);
    assert_eq!(rt.reshare_of_id.as_deref(), Some("1440410495547179021"));
    assert_eq!(rt.quote_of_id, None);
    assert!(rt.text.is_empty() && rt.mentions.is_empty());
    assert_eq!(rt.source_record, 2);
    let quote = find(&sink.posts, "1440410495547179021");
    assert_eq!(quote.kind, PostKind::Quote);
    assert_eq!(quote.author_handle, "Anna_Soubry");
    assert_eq!(quote.quote_of_id.as_deref(), Some("1440316111136837639"));
    assert!(quote.hashtags.contains(&"brexit".to_owned()));
    // Japanese text and hashtags.
    let jp = find(&sink.posts, "1440716520372404238");
    assert!(jp.text.starts_with("「Boys be LOUD (初回ポスター丸めて付)"));
    assert!(
        jp.text
            .contains("https://www.amazon.co.jp/dp/B09G2NSXZ1?&_encoding=UTF8&tag=issy4504-22")
    );
    assert_eq!(
        jp.hashtags,
        [
            "cd",
            "音楽",
            "アジアンポップ",
            "kpop",
            "新作",
            "variousartists"
        ]
    );
}

#[test]
fn withheld_tweets_and_authors_missing_from_includes() {
    let (sink, stats, _) = read(&data("twarc2/withheld.jsonl"));
    assert_eq!(stats.quarantined, 0);
    let ru = find(&sink.posts, "506695756406095872");
    assert_eq!(ru.lang.as_deref(), Some("ru"));
    assert!(ru.text.contains("Отлично, этот твит"));
    assert_eq!(ru.in_reply_to_id.as_deref(), Some("506694458445152256"));
    assert_eq!(ru.conversation_id.as_deref(), Some("506694458445152256"));
    // Withheld users are not in includes.users: the id is known, the handle is not.
    let hidden = find(&sink.posts, "1404393119253250054");
    assert_eq!(hidden.author_handle, "");
    assert_eq!(
        hidden.url.as_deref(),
        Some("https://twitter.com/i/web/status/1404393119253250054")
    );
    assert!(!hidden.author_id.is_empty());
    assert_eq!(hidden.source_record, 5);
}

#[test]
fn stream_lines_with_a_broken_last_line() {
    let (sink, stats, file) = read(&data("twarc2/streaming_output_with_error.jsonl"));
    assert_eq!(file.format, Format::Twarc2);
    assert_eq!(stats.quarantined, 1);
    let q = &sink.quarantined[0];
    assert_eq!(q.record, 8);
    assert!(q.reason.starts_with("truncated record"), "{}", q.reason);
    assert!(
        q.excerpt
            .starts_with("{\"data\": {\"author_id\": \"1021159080151404544\"")
    );
    assert!(q.file.ends_with("streaming_output_with_error.jsonl"));
    // The stream gives `data` as one object.
    let p = find(&sink.posts, "1377650093109743620");
    assert_eq!(p.author_handle, "sheelaghb18");
    assert_eq!(p.kind, PostKind::Reply);
    assert_eq!(p.in_reply_to_id.as_deref(), Some("1377266697850257410"));
    assert_eq!(p.mentions, ["policemutual"]);
    assert_eq!(p.source_record, 2);
    let parent = find(&sink.posts, "1377266697850257410");
    assert_eq!(parent.author_handle, "PoliceMutual");
    assert_eq!(parent.likes, Some(404));
}

#[test]
fn media_posts_emoji_and_a_reply_that_quotes() {
    let (sink, _, _) = read(&data("twarc2/media_tweet.jsonl"));
    let p = find(&sink.posts, "1558553189766631429");
    assert_eq!(
        p.text,
        "She's GOING with it! 🐍 https://twitter.com/IgorBrigadir/status/1558553189766631429/video/1"
    );
    assert_eq!(p.author_handle, "IgorBrigadir");
    assert_eq!(p.author_followers, Some(3560));
    assert!(p.author_name.starts_with("Igor Brigadir 🇺🇦"));
    // A post that is only a photo.
    let (sink, _, _) = read(&data("twarc2/noflat.jsonl"));
    let photo = find(&sink.posts, "1380240726429143044");
    assert_eq!(
        photo.text,
        "https://twitter.com/ComfortablySmug/status/1380240726429143044/photo/1"
    );
    assert_eq!(photo.urls.len(), 1);
    let (sink, _, _) = read(&data("twarc2/quoted_edit.jsonl"));
    let p = find(&sink.posts, "1576995594388000768");
    assert_eq!(
        p.kind,
        PostKind::Reply,
        "a reply that also quotes is a reply"
    );
    assert_eq!(p.in_reply_to_id.as_deref(), Some("1576994789110992896"));
    assert_eq!(p.quote_of_id.as_deref(), Some("1576994746135764992"));
    assert_eq!(p.author_handle, "dappdavid99");
    assert_eq!(
        find(&sink.posts, "1576994789110992896").lang.as_deref(),
        Some("qst")
    );
}

#[test]
fn error_only_lines_are_neither_posts_nor_quarantined() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("with_errors.jsonl");
    let page = std::fs::read_to_string(data("twarc2/two_tweets.jsonl")).unwrap();
    let errors = r#"{"errors": [{"value": "1", "detail": "Could not find tweet with ids: [1].", "title": "Not Found Error", "resource_type": "tweet", "parameter": "ids", "resource_id": "1", "type": "https://api.twitter.com/2/problems/resource-not-found"}], "__twarc": {"url": "https://api.twitter.com/2/tweets", "version": "2.0.3", "retrieved_at": "2021-04-08T19:34:32+00:00"}}"#;
    std::fs::write(&path, format!("{errors}\n{page}")).unwrap();
    let (sink, stats, file) = read(&path);
    assert_eq!(file.format, Format::Twarc2);
    assert_eq!(stats.quarantined, 0);
    assert_eq!(stats.read, 2);
    assert!(sink.posts.iter().all(|p| p.source_record == 2));
}

#[test]
fn pretty_printed_api_v2_responses() {
    let (sink, stats, file) = read(&data("twitwi/payload-v2.json"));
    assert_eq!(file.format, Format::Twarc2);
    assert_eq!(stats.quarantined, 0, "{:?}", sink.quarantined.first());
    assert_eq!(sink.posts.len(), 10 + 5);
    assert!(sink.posts.iter().all(|p| p.source_record == 1));
    let (sink, stats, _) = read(&data("twitwi/alternative-payload-v2.json"));
    assert_eq!(stats.quarantined, 0);
    assert_eq!(sink.posts.len(), 100 + 69);
    assert!(
        sink.posts
            .iter()
            .all(|p| !p.author_handle.is_empty() || p.url.is_some())
    );
}

#[test]
fn an_array_of_pages_is_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pages.json");
    let page: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("twarc2/two_tweets.jsonl")).unwrap())
            .unwrap();
    std::fs::write(&path, serde_json::to_string(&[&page, &page]).unwrap()).unwrap();
    let (sink, stats, file) = read(&path);
    assert_eq!(file.format, Format::Twarc2);
    assert_eq!((stats.read, stats.quarantined), (4, 0));
    assert_eq!(sink.posts[3].source_record, 2);
}
