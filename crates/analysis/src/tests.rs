//! A small conversation, every number checked by hand.

use super::*;
use chrono::{Duration, NaiveDate, TimeZone};
use dialoog_model::{Account, CaseEvent, Mode, Platform};

const T: i64 = 1_704_888_000; // 2024-01-10 12:00:00 UTC = 13:00 in Amsterdam

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(T, 0).unwrap() + Duration::minutes(minutes)
}

fn post(id: &str, author: &str, minutes: i64, parent: Option<&str>, text: &str) -> Post {
    let mut p = Post::new(Platform::Twitter, id, at(minutes), author, author);
    p.text = text.into();
    if let Some(parent) = parent {
        p.in_reply_to_id = Some(parent.into());
        p.kind = PostKind::Reply;
    }
    p.mentions = text
        .split_whitespace()
        .filter_map(|w| w.strip_prefix('@'))
        .map(|m| m.trim_end_matches(['.', '?', '!', ',']).to_lowercase())
        .collect();
    p
}

fn registry() -> Registry {
    let gov = |handle: &str| Account {
        platform: Some(Platform::Twitter),
        handle: Some(handle.into()),
        id: None,
        role: Role::Government,
        organisation: handle.into(),
        level: "municipality".into(),
    };
    Registry::new(vec![gov("gemeente"), gov("politie")])
}

fn case() -> Case {
    Case {
        title: "Test".into(),
        start: NaiveDate::from_ymd_opt(2024, 1, 1),
        end: NaiveDate::from_ymd_opt(2024, 2, 1),
        time_zone: "Europe/Amsterdam".into(),
        events: vec![CaseEvent {
            at: at(60),
            label: "Storm".into(),
        }],
        ..Case::default()
    }
}

fn conversation() -> Vec<Post> {
    vec![
        // 1: addressed by mention, answered by 2 after 10 min.
        post(
            "1",
            "alice",
            0,
            None,
            "Hoe zit het met de afvalinzameling @gemeente?",
        ),
        post(
            "2",
            "gemeente",
            10,
            Some("1"),
            "Vanaf maandag wordt het afval weer opgehaald https://gemeente.nl/afval",
        ),
        // 3: addressed as a reply to a government post; answered by its grandchild 5 after 60 min.
        post(
            "3",
            "bob",
            20,
            Some("2"),
            "Dank, maar bij ons staat alles nog vol.",
        ),
        post("4", "carol", 25, Some("3"), "Bij ons ook."),
        post(
            "5",
            "gemeente",
            80,
            Some("4"),
            "Excuses, we raden u aan de container morgen buiten te zetten.",
        ),
        // 6: addressed to the police, never answered.
        post(
            "6",
            "dave",
            30,
            None,
            "Er staat een auto op de stoep @politie",
        ),
        // 7: an original police post that refers (not a reply, so not counted as a referral).
        post(
            "7",
            "politie",
            120,
            None,
            "Overlast? Neem contact op via 0900-8844.",
        ),
        // 8: addressed by mention, answered by a referral reply after an hour.
        post(
            "8",
            "eve",
            180,
            None,
            "Mijn container is niet geleegd @gemeente",
        ),
        post(
            "9",
            "gemeente",
            240,
            Some("8"),
            "Vervelend! Bel ons even op 14 020.",
        ),
        // 10: outside the period (31 Dec 2023); 11 answers it on 1 Jan: its parent is not in the data.
        post(
            "10",
            "frank",
            -(T - 1_704_063_600) / 60,
            None,
            "Vuurwerk @gemeente",
        ),
        post(
            "11",
            "gemeente",
            -(T - 1_704_096_000) / 60,
            Some("10"),
            "Dank voor uw melding.",
        ),
    ]
}

fn build(posts: &[Post], case: &Case, registry: &Registry) -> Factsheet {
    build_factsheet(posts, &context(case, registry)).unwrap()
}

fn context<'a>(case: &'a Case, registry: &'a Registry) -> Context<'a> {
    Context {
        case,
        registry,
        inputs: vec![FileStats {
            path: "a.csv".into(),
            read: 12,
            stored: 11,
            quarantined: 1,
            ..FileStats::default()
        }],
        skipped: vec![dialoog_model::Skipped {
            path: "notes.txt".into(),
            reason: "unknown format".into(),
        }],
        store: "store".into(),
        registry_path: Some("accounts.csv".into()),
        case_path: None,
        dialoog_version: "0.1.0".into(),
        generated_at: DateTime::UNIX_EPOCH,
    }
}

#[test]
fn texts_released_and_read_again_give_the_factsheet_that_kept_them() {
    let mut posts = conversation();
    posts.push(post(
        "12",
        "gemeente",
        300,
        Some("6"),
        "Mail jan.jansen@gmail.com even, of bel 06-12345678.",
    ));
    // A classic retweet without the original's id: its edge comes from its text.
    let mut retweet = post(
        "13",
        "carol",
        310,
        None,
        "RT @politie: Overlast? Bel 0900-8844.",
    );
    retweet.kind = PostKind::Reshare;
    posts.push(retweet);
    let (case, registry) = (case(), registry());
    let context = context(&case, &registry);
    let options = PrivacyOptions::default();
    let of = |texts| {
        factsheet_of_table(
            PostTable::from_posts(&posts).unwrap(),
            &context,
            options,
            texts,
        )
        .unwrap()
    };
    let kept = of(Texts::Keep);
    let mut released = of(Texts::Release);
    assert!(released.example_posts_mut().any(|p| p.text.is_empty()));
    for shown in released.example_posts_mut() {
        let written = posts.iter().find(|p| p.id == shown.id).unwrap();
        shown.text = shown_text(&written.text, options);
    }
    assert_eq!(released, kept);
    let example = &kept.privacy.focus_examples[0].post;
    assert_eq!(example.text, "Mail [EMAIL] even, of bel [PHONE].");
    assert_eq!(kept.network.interactions_by_type[&EdgeKind::Reshare], 1);
}

#[test]
fn each_network_is_handed_out_once_as_the_factsheet_holds_it() {
    let posts = conversation();
    let (case, registry) = (case(), registry());
    let context = context(&case, &registry);
    let handed: std::sync::Mutex<Vec<(NetworkKind, Graph)>> = Default::default();
    let on_network = |kind, graph: &Graph| handed.lock().unwrap().push((kind, graph.clone()));
    let table = PostTable::from_posts(&posts).unwrap();
    let options = PrivacyOptions::default();
    let f = factsheet_of_table_with(table, &context, options, Texts::Keep, &on_network).unwrap();
    let mut handed = handed.into_inner().unwrap();
    handed.sort_by_key(|(kind, _)| *kind as u8);
    assert_eq!(
        handed,
        vec![
            (NetworkKind::Interaction, f.network.graph.clone()),
            (NetworkKind::CoEngagement, f.co_engagement.graph.clone()),
        ]
    );
    assert!(!f.network.graph.edges.is_empty());
}

#[test]
fn small_conversation_every_number_by_hand() {
    let (case, registry) = (case(), registry());
    let f = build(&conversation(), &case, &registry);

    let s = &f.summary;
    assert_eq!(s.posts, 10);
    assert_eq!(s.authors, 7);
    assert_eq!(s.focus_posts, 5);
    assert_eq!(
        (s.focus_accounts_active, s.focus_accounts_registered),
        (2, 2)
    );
    assert_eq!(s.posts_by_role[&Role::Citizen], 5);
    assert_eq!(s.posts_by_role[&Role::Government], 5);
    assert_eq!(s.posts_by_kind[&PostKind::Reply], 6);
    assert_eq!(s.platforms["twitter"], 10);
    assert_eq!(
        s.period_start,
        Some(Utc.with_ymd_and_hms(2024, 1, 1, 8, 0, 0).unwrap())
    );
    assert_eq!(s.period_end, Some(at(240)));
    assert_eq!(
        (
            s.data_quality.read,
            s.data_quality.stored,
            s.data_quality.quarantined
        ),
        (12, 11, 1)
    );
    assert!(s.headlines.iter().any(|h| h == "75.0% of the 4 posts addressed to government were answered; median response time 1 h, 90% within 1 h."), "{:?}", s.headlines);

    let d = &f.dialogue;
    assert_eq!((d.addressed, d.answered), (4, 3));
    assert_eq!(d.reply_rate, Some(0.75));
    let rt = &d.response_time_seconds;
    assert_eq!(
        (rt.n, rt.median, rt.p90, rt.mean),
        (3, Some(3600.0), Some(3600.0), Some(2600.0))
    );
    let counts: Vec<u64> = d.distribution.iter().map(|b| b.count).collect();
    assert_eq!(counts, vec![1, 0, 2, 0, 0]);
    assert_eq!(d.replies_to_public_share, Some(1.0));
    assert_eq!(d.by_account.len(), 2);
    let gemeente = &d.by_account[0];
    assert_eq!(
        (
            gemeente.handle.as_str(),
            gemeente.addressed,
            gemeente.answered
        ),
        ("gemeente", 3, 3)
    );
    assert_eq!(gemeente.response_time_seconds.median, Some(3600.0));
    let politie = &d.by_account[1];
    assert_eq!(
        (politie.handle.as_str(), politie.addressed, politie.answered),
        ("politie", 1, 0)
    );
    assert_eq!(
        (politie.reply_rate, politie.response_time_seconds.n),
        (Some(0.0), 0)
    );

    let v = &f.voice;
    assert_eq!(
        (v.government_posts, v.government_replies, v.referrals),
        (5, 4, 1)
    );
    assert_eq!(v.referral_share, Some(0.25));
    assert_eq!(v.modes.len(), Mode::ALL.len());
    assert_eq!(v.modes[&Mode::Inform], 1);
    assert_eq!(v.modes[&Mode::Advise], 1);
    assert_eq!(v.modes[&Mode::Referral], 2);
    assert_eq!(v.modes[&Mode::Other], 1);
    assert_eq!(v.modes[&Mode::Consult], 0);
    let rules_of = |mode| -> Vec<(&str, &str)> {
        v.examples
            .iter()
            .filter(|e| e.mode == mode)
            .map(|e| (e.post.id.as_str(), e.rule.as_str()))
            .collect()
    };
    assert_eq!(
        rules_of(Mode::Referral),
        vec![("7", "referral.contact.nl"), ("9", "referral.14.nl")]
    );
    assert_eq!(rules_of(Mode::Advise), vec![("5", "advise.nl")]);
    assert_eq!(rules_of(Mode::Other), vec![("11", "none")]);
    assert_eq!(v.rules.len(), dialoog_text::rules().len());
    let gemeente = &v.by_account[0];
    assert_eq!(
        (
            gemeente.handle.as_str(),
            gemeente.posts,
            gemeente.replies,
            gemeente.referrals
        ),
        ("gemeente", 4, 4, 1)
    );
    assert_eq!(gemeente.referral_share, Some(0.25));
    let politie = &v.by_account[1];
    assert_eq!(
        (politie.posts, politie.replies, politie.referral_share),
        (1, 0, None)
    );

    let a = &f.activity;
    assert_eq!(
        (a.time_zone.as_str(), a.bucket.as_str()),
        ("Europe/Amsterdam", "day")
    );
    assert_eq!(a.series.len(), 10);
    assert_eq!(a.series[0].start, "2024-01-01T00:00:00+01:00");
    assert_eq!(a.series[0].total, 1);
    assert!(
        a.series[1..9]
            .iter()
            .all(|b| b.total == 0 && b.counts[&Role::Citizen] == 0)
    );
    assert_eq!(a.series[9].total, 9);
    assert_eq!(a.series[9].counts[&Role::Government], 4);
    assert_eq!(
        a.peak.as_ref().map(|b| b.start.as_str()),
        Some("2024-01-10T00:00:00+01:00")
    );
    let hours: Vec<u64> = a.hour_of_day.iter().map(|h| h.values().sum()).collect();
    let mut expected = vec![0u64; 24];
    (
        expected[9],
        expected[13],
        expected[14],
        expected[15],
        expected[16],
        expected[17],
    ) = (1, 5, 1, 1, 1, 1);
    assert_eq!(hours, expected);
    assert_eq!(a.events.len(), 1);

    assert_eq!(f.method.skipped.len(), 1);
    assert_eq!(f.method.skipped[0].path, "notes.txt");
    assert_eq!(f.method.registry_accounts, 2);
    assert!(f.method.definitions.contains_key("addressed"));
    assert!(f.method.definitions.contains_key("referral_share"));
}

#[test]
fn short_periods_are_bucketed_by_hour_zero_filled() {
    let (case, registry) = (case(), registry());
    let posts: Vec<Post> = conversation().into_iter().take(9).collect();
    let f = build(&posts, &case, &registry);
    assert_eq!(f.activity.bucket, "hour");
    let totals: Vec<u64> = f.activity.series.iter().map(|b| b.total).collect();
    assert_eq!(totals, vec![5, 1, 1, 1, 1]);
    assert_eq!(f.activity.series[0].start, "2024-01-10T13:00:00+01:00");
}

#[test]
fn reply_cycles_terminate_and_share_their_descendants() {
    // a replies to b and b to a (dirty data); the government answers b: a reaches it via b.
    let (case, registry) = (case(), registry());
    let posts = vec![
        post("a", "alice", 0, Some("b"), "@gemeente help"),
        post("b", "bob", 5, Some("a"), "same"),
        post("c", "gemeente", 7, Some("b"), "We kijken ernaar."),
    ];
    let f = build(&posts, &case, &registry);
    assert_eq!((f.dialogue.addressed, f.dialogue.answered), (1, 1));
    assert_eq!(f.dialogue.response_time_seconds.median, Some(420.0));
}

#[test]
fn unknown_time_zone_is_an_error() {
    let case = Case {
        time_zone: "Mars/Olympus".into(),
        ..Case::default()
    };
    let registry = Registry::default();
    let context = Context::bare(&case, &registry);
    let error = build_factsheet(&[], &context).unwrap_err().to_string();
    assert!(error.contains("Mars/Olympus"), "{error}");
}

#[test]
fn no_posts_gives_empty_measures_not_errors() {
    let (case, registry) = (case(), registry());
    let f = build(&[], &case, &registry);
    assert_eq!(f.summary.posts, 0);
    assert_eq!(f.dialogue.reply_rate, None);
    assert_eq!(f.voice.referral_share, None);
    assert!(f.activity.series.is_empty());
    assert_eq!(f.voice.modes.values().sum::<u64>(), 0);
}

#[test]
fn top_authors_rank_by_posts_then_handle() {
    let (case, registry) = (case(), registry());
    let mut posts = Vec::new();
    // 25 authors: "a00" with 25 posts down to "a24" with 1; "b00" ties "a00".
    for k in 0..25 {
        for j in 0..(25 - k) {
            posts.push(post(
                &format!("a{k}-{j}"),
                &format!("a{k:02}"),
                j as i64,
                None,
                "x",
            ));
        }
    }
    for j in 0..25 {
        posts.push(post(&format!("b-{j}"), "b00", j, None, "x"));
    }
    let top = build(&posts, &case, &registry).summary.top_authors;
    assert_eq!(top.len(), summary::TOP_AUTHORS);
    let ranked: Vec<(&str, u64)> = top.iter().map(|a| (a.handle.as_str(), a.posts)).collect();
    assert_eq!(&ranked[..3], &[("a00", 25), ("b00", 25), ("a01", 24)]);
    assert_eq!(ranked[19], ("a18", 7));
    assert!(top.iter().all(|a| a.platform == "twitter"));
}

#[test]
fn authors_count_by_platform_and_id_whatever_their_handle() {
    let (case, registry) = (case(), registry());
    let mut posts = Vec::new();
    // Account 7 posts as "Kim", is renamed "kim_nl" and posts twice more: one author of three
    // posts, shown with the handle of its first post.
    for (n, handle) in ["Kim", "kim_nl", "kim_nl"].into_iter().enumerate() {
        posts.push(Post::new(
            Platform::Twitter,
            format!("k{n}"),
            at(n as i64),
            "7",
            handle,
        ));
    }
    // The same handle and id on Mastodon is another author.
    for n in 0..2 {
        posts.push(Post::new(
            Platform::Mastodon,
            format!("m{n}"),
            at(n),
            "7",
            "Kim",
        ));
    }
    // Without an id the handle is the key.
    posts.push(Post::new(Platform::Twitter, "x", at(5), "", "noid"));
    let s = build(&posts, &case, &registry).summary;
    assert_eq!(s.authors, 3);
    let top: Vec<(&str, &str, u64)> = s
        .top_authors
        .iter()
        .map(|a| (a.platform.as_str(), a.handle.as_str(), a.posts))
        .collect();
    assert_eq!(
        top,
        [
            ("twitter", "Kim", 3),
            ("mastodon", "Kim", 2),
            ("twitter", "noid", 1)
        ]
    );
    assert_eq!(s.platforms["twitter"], 4);
    assert_eq!(s.platforms["mastodon"], 2);
}

#[test]
fn authors_are_numbered_by_handle_and_id_in_order_of_first_post() {
    // (platform, author id, handle): one account on two platforms, handles that differ only in
    // case or `@` (one key, two numbers), an id alone.
    let authors = [
        (Platform::Twitter, "1", "Ann"),
        (Platform::Mastodon, "1", "Ann"),
        (Platform::Mastodon, "7", "ann"),
        (Platform::Twitter, "2", ""),
        (Platform::Twitter, "2", "@Bob"),
        (Platform::Twitter, "1", "Ann"),
        (Platform::Twitter, "3", "bob"),
        (Platform::Twitter, "2", ""),
    ];
    let posts: Vec<Post> = authors
        .iter()
        .enumerate()
        .map(|(i, &(platform, id, handle))| {
            Post::new(platform, i.to_string(), at(i as i64), id, handle)
        })
        .collect();
    let table = PostTable::from_posts(&posts).unwrap();
    let refs: Vec<PostRef> = table.rows().collect();
    let numbered = Authors::new(&refs);
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (i, &(_, id, handle)) in authors.iter().enumerate() {
        let number = match seen.iter().position(|&s| s == (handle, id)) {
            Some(number) => number,
            None => {
                seen.push((handle, id));
                seen.len() - 1
            }
        };
        assert_eq!(numbered.ids[i] as usize, number, "post {i}");
    }
    assert_eq!(numbered.table, ["ann", "ann", "2", "bob", "bob"]);
}

#[test]
fn the_first_in_order_are_what_a_stable_sort_puts_first() {
    // Ties on the first field keep their order, as in a stable sort.
    let items: Vec<(u8, usize)> = (0..200).map(|i| ((i * 7 % 5) as u8, i)).collect();
    let mut sorted: Vec<&(u8, usize)> = items.iter().collect();
    sorted.sort_by_key(|item| std::cmp::Reverse(item.0));
    for k in [0, 1, 5, 39, 40, 41, 199, 200, 500] {
        let first = first_in_order(&items, k, |a, b| b.0.cmp(&a.0));
        assert_eq!(first, sorted[..k.min(items.len())], "k = {k}");
    }
}
