//! The demo data end to end: data/webcare/twcs_head.csv read the way scripts/reference_webcare.py
//! reads it (split on \n only, float parent ids "3.0" → "3", classic Twitter dates, mentions from
//! the text), measured with the demo case and registry; the numbers must equal the reference's.

use chrono::{DateTime, Utc};
use dialoog_analysis::{Context, build_factsheet};
use dialoog_model::{Case, Platform, Post, PostKind, Registry};
use std::path::PathBuf;

fn folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/webcare")
}

/// `(?<![A-Za-z0-9_])@([A-Za-z0-9_]+)`, lower-cased, as the reference finds mentions.
fn mentions(text: &str) -> Vec<String> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'@' && (i == 0 || !word(bytes[i - 1])) {
            let end = (i + 1..bytes.len())
                .find(|&j| !word(bytes[j]))
                .unwrap_or(bytes.len());
            if end > i + 1 {
                out.push(text[i + 1..end].to_ascii_lowercase());
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn read_posts() -> Vec<Post> {
    let raw = std::fs::read_to_string(folder().join("twcs_head.csv")).unwrap();
    let text: Vec<String> = raw
        .split('\n')
        .filter(|l| !l.is_empty())
        .map(|l| l.replace('\r', " "))
        .collect();
    let joined = text.join("\n");
    let mut reader = csv::ReaderBuilder::new().from_reader(joined.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, author, created, body, parent) = (
        col("tweet_id"),
        col("author_id"),
        col("created_at"),
        col("text"),
        col("in_response_to_tweet_id"),
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let at = DateTime::parse_from_str(&r[created], "%a %b %d %H:%M:%S %z %Y")
                .unwrap()
                .with_timezone(&Utc);
            let mut post = Post::new(Platform::Twitter, &r[id], at, &r[author], &r[author]);
            post.text = r[body].to_owned();
            post.mentions = mentions(&post.text);
            if !r[parent].is_empty() {
                let parent: f64 = r[parent].parse().unwrap();
                post.in_reply_to_id = Some((parent as i64).to_string());
                post.kind = PostKind::Reply;
            }
            post
        })
        .collect()
}

#[test]
fn mentions_follow_the_reference_pattern() {
    assert_eq!(
        mentions("@Sprintcare hi a@b @x_1, @"),
        vec!["sprintcare", "x_1"]
    );
}

fn context<'a>(case: &'a Case, registry: &'a Registry) -> Context<'a> {
    Context {
        case,
        registry,
        inputs: Vec::new(),
        skipped: Vec::new(),
        store: "memory".into(),
        registry_path: None,
        case_path: None,
        dialoog_version: "test".into(),
        generated_at: Utc::now(),
    }
}

#[test]
fn the_31_october_peak_is_a_burst() {
    let case = Case::load(&folder().join("case.toml")).unwrap();
    let registry = Registry::load(case.registry.as_ref().unwrap()).unwrap();
    let f = build_factsheet(&read_posts(), &context(&case, &registry)).unwrap();
    let bursts = &f.activity.bursts;
    for b in bursts {
        eprintln!(
            "{} – {} ({} h): {} posts, peak {} ({}), weight {}, terms {:?}",
            b.start,
            b.end,
            b.hours,
            b.posts,
            b.peak_hour,
            b.peak_posts,
            b.weight,
            b.terms.iter().map(|t| &t.term).collect::<Vec<_>>()
        );
    }
    let biggest = bursts.iter().max_by_key(|b| b.posts).unwrap();
    // The busiest hour of the sample: 31 Oct 2017, 22:00 UTC, 1,428 posts.
    assert_eq!(biggest.peak_hour, "2017-10-31T22:00:00+00:00");
    assert_eq!(biggest.peak_posts, 1428);
    assert!(biggest.start.as_str() <= "2017-10-31T22:00:00+00:00");
    assert!(biggest.end.as_str() >= "2017-10-31T23:00:00+00:00");
    assert!(biggest.posts >= 1428 + 970);
    assert!(!biggest.terms.is_empty());
    assert!(
        bursts.windows(2).all(|w| w[0].end <= w[1].start),
        "in time order, disjoint"
    );
}

#[test]
fn the_interaction_network_of_the_demo() {
    let case = Case::load(&folder().join("case.toml")).unwrap();
    let registry = Registry::load(case.registry.as_ref().unwrap()).unwrap();
    let f = build_factsheet(&read_posts(), &context(&case, &registry)).unwrap();
    let n = &f.network;
    eprintln!(
        "network: {} nodes, {} edges {:?}, interactions {:?}, self-loops {}, unresolved {}, focus {}",
        n.nodes,
        n.edges,
        n.edges_by_type,
        n.interactions_by_type,
        n.self_loops,
        n.unresolved,
        n.focus_accounts
    );
    for a in n.top_accounts.iter().take(10) {
        eprintln!(
            "  {} {:?} focus={} in={} out={} pr={:.4} btw={:?}",
            a.handle, a.role, a.focus, a.in_degree, a.out_degree, a.pagerank, a.betweenness
        );
    }
    eprintln!(
        "modularity {:?}, {} communities",
        n.modularity, n.community_count
    );
    for c in &n.communities {
        eprintln!(
            "  community {}: {} accounts ({} focus), {} posts, top {:?}, terms {:?}",
            c.id,
            c.accounts,
            c.focus_accounts,
            c.posts,
            c.top_accounts,
            c.terms.iter().map(|t| &t.term).collect::<Vec<_>>()
        );
    }
    let c = &f.co_engagement;
    eprintln!(
        "co-engagement (min {}): {} accounts, {} links, {} posts considered, {} skipped, modularity {:?}; top {:?}",
        c.min_weight,
        c.nodes,
        c.edges,
        c.posts_considered,
        c.posts_skipped,
        c.modularity,
        c.top_accounts
            .iter()
            .take(5)
            .map(|a| (&a.handle, a.in_degree))
            .collect::<Vec<_>>()
    );
    assert_eq!(c.min_weight, 5);
    assert!(c.posts_considered > 1000);
    // Customers around each support account: strongly modular.
    assert!(n.modularity.unwrap() > 0.5, "{:?}", n.modularity);
    assert!(
        n.communities
            .windows(2)
            .all(|w| w[0].accounts >= w[1].accounts)
    );
    assert_eq!(n.nodes as usize, n.graph.nodes.len());
    assert_eq!(n.edges as usize, n.graph.edges.len());
    assert_eq!(n.edges_by_type.values().sum::<u64>(), n.edges);
    let total: f64 = n.graph.nodes.iter().map(|a| a.pagerank).sum();
    assert!((total - 1.0).abs() < 1e-9);
    assert!(n.betweenness_computed);
    // Every reply whose parent is in the data is a reply edge (or a self-loop).
    assert!(n.interactions_by_type[&dialoog_analysis::EdgeKind::Reply] > 0);
    assert!(n.interactions_by_type[&dialoog_analysis::EdgeKind::Mention] > 0);
    // The support accounts are the hubs: the top account by PageRank is one of them.
    assert!(n.top_accounts[0].focus, "{:?}", n.top_accounts[0]);
}

#[test]
fn webcare_demo_equals_the_reference_computation() {
    let case = Case::load(&folder().join("case.toml")).unwrap();
    let registry = Registry::load(case.registry.as_ref().unwrap()).unwrap();
    let posts = read_posts();
    assert_eq!(posts.len(), 5000);
    let context = context(&case, &registry);
    dialoog_text::classify("warm up: compile the rules", None, true);
    let started = std::time::Instant::now();
    for p in &posts {
        dialoog_text::classify(&p.text, None, true);
    }
    let classify_all = started.elapsed();
    let started = std::time::Instant::now();
    let f = build_factsheet(&posts, &context).unwrap();
    let elapsed = started.elapsed();
    assert_eq!(f.summary.posts, 4987);
    assert_eq!(f.summary.authors, 1516);
    assert_eq!(f.dialogue.addressed, 2172);
    assert_eq!(f.dialogue.answered, 1791);
    assert_eq!(f.dialogue.reply_rate, Some(0.824585635359116));
    assert_eq!(f.dialogue.response_time_seconds.median, Some(774.0));
    assert_eq!(f.dialogue.response_time_seconds.p90, Some(31686.0));
    assert_eq!(f.dialogue.response_time_seconds.n, 1791);
    assert_eq!(
        f.dialogue.distribution.iter().map(|b| b.count).sum::<u64>(),
        1791
    );
    assert_eq!(f.activity.bucket, "day");
    assert_eq!(f.activity.series.iter().map(|b| b.total).sum::<u64>(), 4987);
    assert_eq!(
        f.voice.modes.values().sum::<u64>(),
        f.voice.government_posts
    );
    eprintln!(
        "webcare: {elapsed:?} (classifying all 5000 texts: {classify_all:?}); voice {} posts, {} replies, {} referrals ({:?}); modes {:?}; headlines {:#?}",
        f.voice.government_posts,
        f.voice.government_replies,
        f.voice.referrals,
        f.voice.referral_share,
        f.voice.modes,
        f.summary.headlines
    );
}

#[test]
fn citizens_reaction_top_posts_and_topics_of_the_demo() {
    let case = Case::load(&folder().join("case.toml")).unwrap();
    let registry = Registry::load(case.registry.as_ref().unwrap()).unwrap();
    let posts = read_posts();
    let f = build_factsheet(&posts, &context(&case, &registry)).unwrap();
    let r = &f.reaction;

    // The public: every post in the period not by a support account, with text (the CSV has no
    // reshares).
    let in_case: Vec<&Post> = {
        let mut seen = std::collections::HashSet::new();
        posts
            .iter()
            .filter(|p| case.in_period(p) && seen.insert(p.id.clone()))
            .collect()
    };
    let public = in_case
        .iter()
        .filter(|p| !case.is_focus(&registry, p) && !p.text.trim().is_empty())
        .count() as u64;
    assert_eq!(r.posts, public);
    assert_eq!(r.sentiment.total(), public);
    assert_eq!(r.over_time.len(), f.activity.series.len());
    assert_eq!(
        r.over_time.iter().map(|b| b.sentiment.total()).sum::<u64>(),
        public
    );
    // Each support account's addressed posts all have text here, so the counts are dialogue's.
    for target in &r.by_target {
        let dialogue = f
            .dialogue
            .by_account
            .iter()
            .find(|a| a.handle == target.handle)
            .unwrap();
        assert_eq!(target.posts, dialogue.addressed, "{}", target.handle);
    }
    assert_eq!(r.question_share, Some(r.questions as f64 / r.posts as f64));
    eprintln!(
        "public {} posts: {:?}; questions {}; terms {:?}",
        r.posts,
        r.sentiment,
        r.questions,
        r.top_terms
            .iter()
            .take(10)
            .map(|t| &t.term)
            .collect::<Vec<_>>()
    );

    // Top posts: no exported counts in this CSV, so reactions are direct replies by others,
    // recounted here from the parent ids.
    let top = &f.top_posts.overall;
    assert!(top.windows(2).all(|w| w[0].reactions >= w[1].reactions));
    for t in top {
        assert_eq!(t.reactions_from, "replies in the data");
        let direct = in_case
            .iter()
            .filter(|p| {
                p.in_reply_to_id.as_deref() == Some(t.post.id.as_str())
                    && p.author_id != t.post.author_handle
            })
            .count() as u64;
        assert_eq!(t.reactions, direct, "post {}", t.post.id);
        assert!(t.replies_in_data >= t.reactions);
        assert_eq!(t.replies_sentiment.total(), t.replies_in_data);
    }
    assert!(f.top_posts.focus.iter().all(|t| t.focus));

    // Customer support is service: far more service than policy or crisis, for both sides.
    let topics = &f.topics;
    let share = |id: &str, focus: bool| {
        let t = topics.topics.iter().find(|t| t.id == id).unwrap();
        if focus {
            t.focus_share
        } else {
            t.citizen_share
        }
        .unwrap()
    };
    for focus in [true, false] {
        assert!(share("service", focus) > 5.0 * share("policy", focus));
        assert!(share("service", focus) > 5.0 * share("crisis", focus));
    }
    assert!(!topics.co_occurrence.is_empty());
}
