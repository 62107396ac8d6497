//! Section 5, top posts and topics on a small English conversation, every number checked by hand.
//!
//! 1 council  "We are changing the waste collection policy from Monday."   (focus, policy)
//! 2 alice  → 1  "Terrible decision, worst policy ever"   negative (VADER: terrible, worst), policy
//! 3 bob    → 1  "Great news, thanks!"                     positive (great, thanks)
//! 4 carol  → 3  "Where is my refund?"                     neutral, a question, service
//! 5 council → 2 "Sorry to hear that. Please call us."     (focus, no topic)
//! 6 dave        "@council flood in our street, send someone"  neutral, crisis; 5 likes exported

use super::*;
use chrono::{Duration, NaiveDate, TimeZone};
use dialoog_model::{Account, Platform};

fn post(id: &str, author: &str, minutes: i64, parent: Option<&str>, text: &str) -> Post {
    let at = Utc.with_ymd_and_hms(2024, 3, 1, 12, 0, 0).unwrap() + Duration::minutes(minutes);
    let mut p = Post::new(Platform::Twitter, id, at, author, author);
    p.text = text.into();
    p.lang = Some("en".into());
    if let Some(parent) = parent {
        p.in_reply_to_id = Some(parent.into());
        p.kind = PostKind::Reply;
    }
    p.mentions = text
        .split_whitespace()
        .filter_map(|w| w.strip_prefix('@'))
        .map(str::to_lowercase)
        .collect();
    p
}

fn factsheet() -> Factsheet {
    let mut dave = post(
        "6",
        "dave",
        50,
        None,
        "@council flood in our street, send someone",
    );
    dave.likes = Some(5);
    let posts = vec![
        post(
            "1",
            "council",
            0,
            None,
            "We are changing the waste collection policy from Monday.",
        ),
        post(
            "2",
            "alice",
            10,
            Some("1"),
            "Terrible decision, worst policy ever",
        ),
        post("3", "bob", 20, Some("1"), "Great news, thanks!"),
        post("4", "carol", 30, Some("3"), "Where is my refund?"),
        post(
            "5",
            "council",
            40,
            Some("2"),
            "Sorry to hear that. Please call us.",
        ),
        dave,
    ];
    let registry = Registry::new(vec![Account {
        platform: Some(Platform::Twitter),
        handle: Some("council".into()),
        id: None,
        role: Role::Government,
        organisation: "Council".into(),
        level: "municipality".into(),
    }]);
    let case = Case {
        title: "Test".into(),
        start: NaiveDate::from_ymd_opt(2024, 3, 1),
        end: NaiveDate::from_ymd_opt(2024, 3, 2),
        time_zone: "UTC".into(),
        ..Case::default()
    };
    let context = Context {
        case: &case,
        registry: &registry,
        inputs: Vec::new(),
        skipped: Vec::new(),
        store: "store".into(),
        registry_path: None,
        case_path: None,
        dialoog_version: "0.1.0".into(),
        generated_at: DateTime::UNIX_EPOCH,
    };
    build_factsheet(&posts, &context).unwrap()
}

fn mix(negative: u64, neutral: u64, positive: u64) -> (u64, u64, u64) {
    (negative, neutral, positive)
}

fn of(m: &SentimentMix) -> (u64, u64, u64) {
    (m.negative, m.neutral, m.positive)
}

#[test]
fn the_publics_sentiment_questions_and_terms() {
    let r = factsheet().reaction;
    // Public posts: 2, 3, 4, 6.
    assert_eq!(r.posts, 4);
    assert_eq!(of(&r.sentiment), mix(1, 2, 1));
    let mean = r.sentiment.mean_score.unwrap();
    assert!(
        mean.abs() < 0.5,
        "one clearly negative, one clearly positive: {mean}"
    );
    assert_eq!(r.questions, 1);
    assert_eq!(r.question_share, Some(0.25));
    // One hour bucket holds them all.
    assert_eq!(r.over_time.len(), 1);
    assert_eq!(of(&r.over_time[0].sentiment), mix(1, 2, 1));
    // Addressed to the council: 2 and 3 reply to its post, 6 mentions it; 4 replies to bob.
    assert_eq!(r.by_target.len(), 1);
    let council = &r.by_target[0];
    assert_eq!((council.handle.as_str(), council.posts), ("council", 3));
    assert_eq!(of(&council.sentiment), mix(1, 1, 1));
    assert_eq!((council.questions, council.question_share), (0, Some(0.0)));
    // Every term is in one post; stopwords ("where", "is", "my", "in", "our") are not terms.
    assert!(r.top_terms.iter().all(|t| t.posts == 1));
    let terms: Vec<&str> = r.top_terms.iter().map(|t| t.term.as_str()).collect();
    for expected in ["refund", "flood", "street", "terrible", "policy"] {
        assert!(terms.contains(&expected), "{terms:?}");
    }
    for stopword in ["where", "our", "is"] {
        assert!(!terms.contains(&stopword), "{terms:?}");
    }
    assert!(r.top_hashtags.is_empty());
    assert!(r.resources.iter().any(|x| x.licence == "PDDL"));
    assert!(
        r.resources
            .iter()
            .any(|x| x.kind == "stopwords" && x.licence == "BSD-3-Clause")
    );
}

#[test]
fn top_posts_by_exported_counts_else_replies_in_the_data() {
    let t = factsheet().top_posts;
    let ids = |list: &[TopPost]| list.iter().map(|p| p.post.id.clone()).collect::<Vec<_>>();
    // 6: 5 likes exported. 1: two direct replies by others (2, 3). 2: one (5, by the council).
    // 3: one (4). 4, 5: none.
    assert_eq!(ids(&t.overall), ["6", "1", "2", "3"]);
    assert_eq!(
        t.overall.iter().map(|p| p.reactions).collect::<Vec<_>>(),
        [5, 2, 1, 1]
    );
    assert_eq!(t.overall[0].reactions_from, "exported counts");
    assert_eq!(t.overall[1].reactions_from, "replies in the data");
    assert_eq!(ids(&t.focus), ["1"]);
    // Below 1 by other accounts than the council: 2, 3, 4 (5 is the council's own).
    let top = &t.focus[0];
    assert_eq!(top.replies_in_data, 3);
    assert_eq!(of(&top.replies_sentiment), mix(1, 1, 1));
    // Each word of those replies is used once, so none is characteristic (at least two uses).
    assert!(top.reply_terms.is_empty());
    // Dave's post has no replies in the data.
    assert_eq!(t.overall[0].replies_in_data, 0);
    assert_eq!(of(&t.overall[0].replies_sentiment), mix(0, 0, 0));
}

#[test]
fn topic_shares_of_focus_and_citizen_posts() {
    let t = factsheet().topics;
    assert_eq!((t.focus_posts, t.citizen_posts), (2, 4));
    let topic = |id: &str| t.topics.iter().find(|x| x.id == id).unwrap();
    let service = topic("service");
    assert_eq!((service.focus_posts, service.citizen_posts), (0, 1));
    let policy = topic("policy");
    assert_eq!(
        (policy.focus_posts, policy.citizen_posts, policy.posts),
        (1, 1, 2)
    );
    assert_eq!(
        (policy.focus_share, policy.citizen_share),
        (Some(0.5), Some(0.25))
    );
    let crisis = topic("crisis");
    assert_eq!((crisis.focus_posts, crisis.citizen_posts), (0, 1));
    // Unmatched: the council's reply 5, and bob's thanks.
    assert_eq!((t.unmatched_focus_posts, t.unmatched_citizen_posts), (1, 1));
    // "policy" is in both policy posts: the topic's key term.
    assert_eq!(
        policy.terms.first().map(|x| x.term.as_str()),
        Some("policy")
    );
    // Only "policy" is in two posts; no other pair of terms is shared by two posts.
    assert!(t.co_occurrence.is_empty());
    assert_eq!(t.keyword_sets.len(), 3);
}
