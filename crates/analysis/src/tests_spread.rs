//! The headline box, spread and the breakdowns on a small conversation, every number checked by
//! hand: a municipality posts, citizens reshare, quote and reply, a minister reshares and posts.

use super::*;
use crate::factsheet::Cascade;
use chrono::{Duration, TimeZone};
use dialoog_model::{Account, Mode, Platform};

const T: i64 = 1_704_888_000; // 2024-01-10 12:00:00 UTC = 13:00 in Amsterdam

fn post(id: &str, author: &str, minutes: i64, text: &str) -> Post {
    let mut p = Post::new(
        Platform::Twitter,
        id,
        Utc.timestamp_opt(T, 0).unwrap() + Duration::minutes(minutes),
        author,
        author,
    );
    p.text = text.into();
    p.mentions = text
        .split_whitespace()
        .filter_map(|w| w.strip_prefix('@'))
        .map(|m| m.trim_end_matches(['.', '?', '!', ',']).to_lowercase())
        .collect();
    p
}

fn reply(id: &str, author: &str, minutes: i64, parent: &str, text: &str) -> Post {
    let mut p = post(id, author, minutes, text);
    p.kind = PostKind::Reply;
    p.in_reply_to_id = Some(parent.into());
    p
}

fn reshare(id: &str, author: &str, minutes: i64, of: &str, followers: Option<u64>) -> Post {
    let mut p = post(id, author, minutes, "");
    p.kind = PostKind::Reshare;
    p.reshare_of_id = Some(of.into());
    p.author_followers = followers;
    p
}

fn conversation() -> Vec<Post> {
    let mut g1 = post("g1", "gemeente", 0, "Nieuwe afvalregels vanaf maandag.");
    (g1.likes, g1.replies, g1.reshares) = (Some(10), Some(4), Some(3));
    g1.author_followers = Some(1000);
    g1.urls = vec![
        "https://www.Rijksoverheid.nl/afval".into(),
        "https://twitter.com/gemeente/status/g0".into(),
    ];
    let mut q1 = post("q1", "carol", 30, "Eindelijk! https://nos.nl/artikel/1");
    q1.kind = PostKind::Quote;
    q1.quote_of_id = Some("g1".into());
    q1.author_followers = Some(200);
    q1.urls = vec!["https://nos.nl/artikel/1".into()];
    let mut g2 = reply(
        "g2",
        "gemeente",
        65,
        "c1",
        "Vervelend! Bel ons even op 14 020.",
    );
    g2.author_followers = Some(1200);
    let mut m1 = post("m1", "minister", 24 * 60, "Vandaag in Groningen.");
    m1.author_followers = Some(5000);
    vec![
        g1,
        reshare("r1", "alice", 10, "g1", Some(100)),
        reshare("r2", "bob", 20, "g1", Some(50)),
        q1,
        reshare("r3", "dave", 40, "q1", None),
        reshare("r4", "minister", 50, "g1", Some(5000)),
        reply("c1", "alice", 5, "g1", "@gemeente waarom?"),
        reply("b1", "bob", 15, "g1", "Goed plan."),
        g2,
        m1,
        post("e1", "erin", 24 * 60 + 10, "@minister hoe zit het?"),
        reshare("g3", "gemeente", 70, "elsewhere", None),
    ]
}

fn factsheet() -> Factsheet {
    let account = |handle: &str, role| Account {
        platform: Some(Platform::Twitter),
        handle: Some(handle.into()),
        id: None,
        role,
        organisation: handle.into(),
        level: String::new(),
    };
    let registry = Registry::new(vec![
        account("gemeente", Role::Government),
        account("minister", Role::Politician),
    ]);
    let case = Case {
        focus_roles: vec![Role::Government, Role::Politician],
        ..Case::default()
    };
    let context = Context::bare(&case, &registry);
    build_factsheet(&conversation(), &context).unwrap()
}

#[test]
fn headline_box_per_focus_account() {
    let f = factsheet();
    let handles: Vec<&str> = f.headline.iter().map(|h| h.handle.as_str()).collect();
    assert_eq!(
        handles,
        ["gemeente", "minister"],
        "most posts and reshares first"
    );
    let g = &f.headline[0];
    assert_eq!(g.role, Role::Government);
    assert_eq!(
        g.followers,
        Some(1200),
        "from its latest post that gives followers"
    );
    assert_eq!(
        g.posts, 2,
        "g1 and g2; the reshare g3 is not a post of its own"
    );
    assert_eq!(
        (g.likes.total, g.likes.posts_known, g.likes.per_post),
        (Some(10), 1, Some(10.0))
    );
    assert_eq!((g.comments.total, g.shares.total), (Some(4), Some(3)));
    // Replies c1 (alice), b1 (bob); reshares r1 (alice), r2 (bob), r4 (minister); quote q1
    // (carol). dave reshared the quote, not g1.
    assert_eq!(g.unique_engagers, 4);
    assert_eq!(g.engagers_per_follower, Some(4.0 / 1200.0));
    assert_eq!(g.likes_per_comment, Some(2.5));
    assert_eq!(
        (
            g.broadcast.own_posts,
            g.broadcast.replies,
            g.broadcast.reshares
        ),
        (1, 1, 1)
    );
    let m = &f.headline[1];
    assert_eq!(
        (m.role, m.followers, m.posts),
        (Role::Politician, Some(5000), 1)
    );
    assert_eq!(
        (m.likes.total, m.likes.posts_known, m.likes.per_post),
        (None, 0, None),
        "unknown, not 0"
    );
    assert_eq!((m.unique_engagers, m.engagers_per_follower), (0, Some(0.0)));
    assert_eq!(m.likes_per_comment, None);
    assert_eq!(
        (
            m.broadcast.own_posts,
            m.broadcast.replies,
            m.broadcast.reshares
        ),
        (1, 0, 1)
    );
}

/// A government account of the registry, by handle or id.
fn government(platform: Platform, handle: Option<&str>, id: Option<&str>) -> Account {
    Account {
        platform: Some(platform),
        handle: handle.map(Into::into),
        id: id.map(Into::into),
        role: Role::Government,
        organisation: "Gemeente".into(),
        level: String::new(),
    }
}

#[test]
fn one_handle_on_two_platforms_has_a_row_on_each_in_a_fixed_order() {
    let registry = Registry::new(vec![
        government(Platform::Twitter, Some("gemeente"), None),
        government(Platform::Instagram, Some("gemeente"), None),
    ]);
    let case = Case::default();
    let context = Context::bare(&case, &registry);
    let mut on_instagram = post("i1", "gemeente", 5, "Open!");
    on_instagram.platform = Platform::Instagram;
    // Equal posts on both: the order is the platforms', not the hash map's.
    for posts in [
        vec![post("t1", "gemeente", 0, "Open!"), on_instagram.clone()],
        vec![on_instagram, post("t1", "gemeente", 0, "Open!")],
    ] {
        let f = build_factsheet(&posts, &context).unwrap();
        let rows: Vec<(&str, &str)> = f
            .headline
            .iter()
            .map(|h| (h.handle.as_str(), h.platform.as_str()))
            .collect();
        assert_eq!(rows, [("gemeente", "twitter"), ("gemeente", "instagram")]);
        let rows: Vec<(&str, &str)> = f
            .spread
            .by_account
            .iter()
            .map(|a| (a.handle.as_str(), a.platform.as_str()))
            .collect();
        assert_eq!(rows, [("gemeente", "twitter"), ("gemeente", "instagram")]);
    }
}

#[test]
fn two_accounts_showing_one_handle_keep_one_order() {
    // `Gemeente`, and an account without a handle whose id is `GEMEENTE`: both show as
    // "gemeente" once lower-cased, and are two accounts.
    let registry = Registry::new(vec![
        government(Platform::Twitter, Some("gemeente"), None),
        government(Platform::Twitter, None, Some("GEMEENTE")),
    ]);
    let case = Case::default();
    let context = Context::bare(&case, &registry);
    let named = post("n1", "Gemeente", 0, "Open!");
    let mut unnamed = post("u1", "GEMEENTE", 5, "Dicht!");
    unnamed.author_handle = String::new();
    let mut seen = Vec::new();
    for posts in [vec![named.clone(), unnamed.clone()], vec![unnamed, named]] {
        let f = build_factsheet(&posts, &context).unwrap();
        let headline: Vec<String> = f.headline.iter().map(|h| h.handle.clone()).collect();
        let voice: Vec<String> = f
            .voice
            .by_account
            .iter()
            .map(|a| a.handle.clone())
            .collect();
        let spread: Vec<String> = f
            .spread
            .by_account
            .iter()
            .map(|a| a.handle.clone())
            .collect();
        assert_eq!(headline.len(), 2);
        seen.push((headline, voice, spread));
    }
    assert_eq!(seen[0], seen[1]);
}

#[test]
fn cascades_reach_and_domains() {
    let s = factsheet().spread;
    assert_eq!(
        (s.focus_posts, s.spread_posts),
        (3, 1),
        "g1, g2, m1; only g1 spreads"
    );
    assert_eq!((s.reshares, s.quotes, s.reshares_exported), (4, 1, Some(3)));
    assert_eq!((s.max_size, s.max_depth), (5, 2));
    // r1 r2 q1 r3 r4 at 10..50 min: the 3rd of 5 comes after 30 min.
    assert_eq!(s.median_half_time_seconds, Some(1800.0));
    // The minister's reshare r4 is a focus account's: 4 of 5 from outside.
    assert_eq!(s.non_government_share, Some(0.8));
    // Followers: alice 100, bob 50, carol 200, minister 5000; dave unknown.
    assert_eq!(s.non_government_follower_share, Some(350.0 / 5350.0));
    let c: &Cascade = &s.top[0];
    assert_eq!(c.post.id, "g1");
    assert_eq!((c.size, c.reshares, c.quotes, c.depth), (5, 4, 1, 2));
    assert_eq!((c.accounts, c.non_government_accounts), (5, 4));
    assert_eq!(c.half_time_seconds, Some(1800.0));
    assert_eq!(s.top.len(), 1);
    let g = &s.by_account[0];
    assert_eq!(
        (
            g.handle.as_str(),
            g.posts,
            g.spread_posts,
            g.cascade_posts,
            g.non_government_share
        ),
        ("gemeente", 2, 1, 5, Some(0.8))
    );
    assert_eq!(
        (s.by_account[1].posts, s.by_account[1].non_government_share),
        (1, None)
    );
    let domains = |d: &[crate::factsheet::DomainCount]| -> Vec<(String, u64, u64)> {
        d.iter()
            .map(|d| (d.domain.clone(), d.links, d.posts))
            .collect()
    };
    assert_eq!(
        domains(&s.domains_focus),
        [("rijksoverheid.nl".to_owned(), 1, 1)],
        "twitter.com is the platform's own"
    );
    assert_eq!(domains(&s.domains_citizens), [("nos.nl".to_owned(), 1, 1)]);
}

#[test]
fn voice_and_dialogue_by_role_and_by_day() {
    let b = factsheet().breakdown;
    let roles: Vec<&str> = b.by_role.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(roles, ["government", "politician"]);
    let g = &b.by_role[0];
    assert_eq!(
        (
            g.accounts,
            g.government_posts,
            g.government_replies,
            g.referrals,
            g.referral_share
        ),
        (1, 2, 1, 1, Some(1.0))
    );
    assert_eq!(g.modes[&Mode::Referral], 1);
    // c1 (answered by g2 after 60 min) and b1 (not answered) address the municipality.
    assert_eq!((g.addressed, g.answered, g.reply_rate), (2, 1, Some(0.5)));
    assert_eq!(g.response_time_seconds.median, Some(3600.0));
    let p = &b.by_role[1];
    assert_eq!(
        (
            p.accounts,
            p.government_posts,
            p.government_replies,
            p.referral_share
        ),
        (1, 1, 0, None)
    );
    assert_eq!(
        (p.addressed, p.answered, p.reply_rate),
        (1, 0, Some(0.0)),
        "e1 mentions the minister"
    );
    assert_eq!(p.response_time_seconds.n, 0);

    assert_eq!(b.period, "day");
    let days: Vec<(&str, u64, u64, u64)> = b
        .by_period
        .iter()
        .map(|s| {
            (
                s.label.as_str(),
                s.government_posts,
                s.addressed,
                s.answered,
            )
        })
        .collect();
    assert_eq!(days, [("2024-01-10", 2, 2, 1), ("2024-01-11", 1, 1, 0)]);
    assert_eq!(b.by_period[0].referral_share, Some(1.0));
    assert_eq!(b.by_period[1].modes.len(), Mode::ALL.len());
}

#[test]
fn the_activity_series_counts_the_focus_accounts_posts() {
    let a = factsheet().activity;
    // Hourly: g1 and r4 (0 and 50 min) in the first hour, g2 and g3 (65, 70 min) in the second,
    // m1 a day later.
    let focus: Vec<u64> = a.series.iter().map(|b| b.focus).collect();
    assert_eq!(
        (a.bucket.as_str(), focus),
        ("hour", {
            let mut v = vec![0; a.series.len()];
            (v[0], v[1], v[24]) = (2, 2, 1);
            v
        })
    );
}

#[test]
fn the_case_sets_the_co_engagement_minimum_weight() {
    let registry = Registry::default();
    let case = Case {
        co_engagement_min_weight: Some(1),
        ..Case::default()
    };
    let context = Context::bare(&case, &registry);
    let f = build_factsheet(&conversation(), &context).unwrap();
    let co = &f.co_engagement;
    // g1 drew reactions from alice, bob, carol and the minister: every pair of them shares it.
    assert_eq!((co.min_weight, co.nodes, co.edges), (1, 4, 6));
    assert!(f.method.definitions["co_engagement"].contains("(1 shared posts;"));
    // The default stays the study's 5: no pair shares five posts here.
    let f = factsheet();
    assert_eq!((f.co_engagement.min_weight, f.co_engagement.edges), (5, 0));
}
