//! Section 5 and the topic mix on real Dutch text: the tweets of 14 Dutch parties (2021–2023,
//! ../shared/data/nl/party_tweets_2021_2023.csv; no licence stated, so tests only and skipped when
//! absent). The parties are the focus accounts; nobody else posts, so the public is empty.

use chrono::{NaiveDate, TimeZone, Utc};
use dialoog_analysis::{Context, build_factsheet};
use dialoog_model::{Account, Case, Platform, Post, Registry, Role};
use std::path::PathBuf;

fn read() -> Option<Vec<Post>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/nl/party_tweets_2021_2023.csv");
    let Ok(mut reader) = csv::Reader::from_path(&path) else {
        eprintln!("skipped: {} is absent", path.display());
        return None;
    };
    let posts = reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            let r = r.unwrap();
            let day = NaiveDate::parse_from_str(&r[3], "%Y-%m-%d").unwrap();
            let at = Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap());
            let mut post = Post::new(Platform::Twitter, i.to_string(), at, &r[1], &r[1]);
            post.text = r[4].to_owned();
            post
        })
        .collect();
    Some(posts)
}

#[test]
fn dutch_party_tweets_are_policy_and_stemmed() {
    let Some(posts) = read() else { return };
    let parties: Vec<Account> = {
        let mut names: Vec<&str> = posts.iter().map(|p| p.author_id.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names
            .into_iter()
            .map(|name| Account {
                platform: Some(Platform::Twitter),
                handle: Some(name.to_owned()),
                id: None,
                role: Role::Politician,
                organisation: name.to_owned(),
                level: "national".into(),
            })
            .collect()
    };
    let registry = Registry::new(parties);
    let case = Case {
        title: "Dutch parties".into(),
        focus_roles: vec![Role::Politician],
        ..Case::default()
    };
    let context = Context {
        case: &case,
        registry: &registry,
        inputs: Vec::new(),
        skipped: Vec::new(),
        store: "memory".into(),
        registry_path: None,
        case_path: None,
        dialoog_version: "test".into(),
        generated_at: Utc::now(),
    };
    let f = build_factsheet(&posts, &context).unwrap();
    assert_eq!(f.reaction.posts, 0, "only the parties post");
    let topics = &f.topics;
    let share = |id: &str| {
        topics
            .topics
            .iter()
            .find(|t| t.id == id)
            .and_then(|t| t.focus_share)
            .unwrap()
    };
    for t in &topics.topics {
        eprintln!(
            "{}: {} of {} ({:.3}); terms {:?}",
            t.id,
            t.focus_posts,
            topics.focus_posts,
            t.focus_share.unwrap_or(0.0),
            t.terms.iter().map(|x| &x.term).collect::<Vec<_>>()
        );
    }
    eprintln!(
        "pairs {:?}",
        topics
            .co_occurrence
            .iter()
            .map(|p| format!("{}+{} {}", p.a, p.b, p.posts))
            .collect::<Vec<_>>()
    );
    assert!(share("policy") > share("service"));
    assert!(share("policy") > share("crisis"));
}
