//! Plausible factsheets for tests, the `sample` example and visual checks (not part of the API).

use chrono::{DateTime, Duration, TimeZone, Utc};
use dialoog_analysis::*;
use dialoog_model::{FileStats, Mode, PostKind, Role};
use std::collections::BTreeMap;

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn burst(
    start: &str,
    hours: i64,
    posts: u64,
    peak_posts: u64,
    weight: f64,
    terms: &[&str],
) -> Burst {
    let begin = DateTime::parse_from_rfc3339(start).unwrap();
    Burst {
        start: start.into(),
        end: (begin + Duration::hours(hours)).to_rfc3339(),
        hours: hours as u64,
        posts,
        peak_hour: start.into(),
        peak_posts,
        weight,
        terms: terms
            .iter()
            .enumerate()
            .map(|(i, t)| Term {
                term: (*t).into(),
                count: 10 - i as u64,
                z: 9.0 - i as f64,
            })
            .collect(),
    }
}

/// A small co-engagement network: six customers reacting to the same posts, two groups.
/// Section 8 with one offending focus post (redacted) and some citizens' personal data.
pub fn privacy() -> Privacy {
    let count = |posts: u64, found: &[(PersonalData, u64)]| PersonalDataCount {
        posts,
        posts_with_personal_data: found.iter().map(|(_, n)| n).sum(),
        found: PersonalData::ALL
            .iter()
            .map(|k| {
                let n = found.iter().find(|(f, _)| f == k).map_or(0, |(_, n)| *n);
                (*k, n)
            })
            .collect(),
    };
    let focus = count(2_013, &[(PersonalData::Phone, 1)]);
    let citizen = count(
        2_974,
        &[
            (PersonalData::Email, 6),
            (PersonalData::Phone, 4),
            (PersonalData::Address, 1),
        ],
    );
    let all = count(
        4_987,
        &[
            (PersonalData::Email, 6),
            (PersonalData::Phone, 5),
            (PersonalData::Address, 1),
        ],
    );
    Privacy {
        redacted: true,
        pseudonymised: false,
        all,
        focus: focus.clone(),
        by_role: [(Role::Government, focus), (Role::Citizen, citizen)]
            .into_iter()
            .collect(),
        organisational_contacts: 37,
        focus_examples: vec![PersonalDataExample {
            types: vec![PersonalData::Phone],
            post: ExamplePost {
                platform: "twitter".into(),
                id: "119238".into(),
                url: None,
                author_handle: "AskPlayStation".into(),
                created_at: at(2017, 10, 31, 21, 40),
                text: "@115712 We have called you on [PHONE], please pick up <3 & check your DMs"
                    .into(),
                row: None,
            },
        }],
        patterns: Vec::new(),
    }
}

pub fn co_engagement() -> CoEngagement {
    let account = |i: u64| NetworkAccount {
        handle: if i == 5 {
            "<i>fan</i>".into()
        } else {
            format!("{}", 115_700 + i)
        },
        role: Role::Citizen,
        community: u64::from(i >= 3),
        ..NetworkAccount::default()
    };
    let mut graph = Graph {
        nodes: (0..6).map(account).collect(),
        edges: [
            (0, 1, 9),
            (0, 2, 7),
            (1, 2, 5),
            (3, 4, 6),
            (4, 5, 5),
            (2, 3, 5),
        ]
        .into_iter()
        .map(|(source, target, weight)| Edge {
            source,
            target,
            kind: EdgeKind::CoEngagement,
            weight,
        })
        .collect(),
    };
    for e in graph.edges.clone() {
        for end in [e.source, e.target] {
            graph.nodes[end].in_degree += e.weight;
            graph.nodes[end].out_degree += e.weight;
        }
    }
    let mut top = graph.nodes.clone();
    top.sort_by(|a, b| b.in_degree.cmp(&a.in_degree).then(a.handle.cmp(&b.handle)));
    CoEngagement {
        min_weight: 5,
        posts_considered: 812,
        posts_skipped: 1,
        nodes: 6,
        edges: 6,
        modularity: Some(0.35),
        community_count: 2,
        top_accounts: top,
        graph,
    }
}

/// A small interaction network: support accounts answering customers, a hub with mentions.
pub fn network() -> Network {
    use dialoog_analysis::network::{Builder, TOP};
    use dialoog_model::Platform;
    let mut b = Builder::default();
    let orgs = [
        "sprintcare",
        "applesupport",
        "amazonhelp",
        "askplaystation",
        "<b>evilcare</b>",
    ];
    let node = |b: &mut Builder, h: &str| {
        let focus = orgs.contains(&h);
        b.node(Platform::Twitter, h, || {
            (
                if focus {
                    Role::Organisation
                } else {
                    Role::Citizen
                },
                focus,
            )
        })
    };
    for i in 0..60u64 {
        let customer = format!("{}", 115_700 + i);
        let c = node(&mut b, &customer);
        let o = node(&mut b, orgs[(i % 5) as usize]);
        for _ in 0..=(i % 3) {
            b.edge(c, o, EdgeKind::Mention);
        }
        b.edge(o, c, EdgeKind::Reply);
        if i % 4 == 0 {
            b.edge(c, o, EdgeKind::Reply);
        }
        if i % 9 == 0 {
            let m = node(&mut b, "media_outlet");
            b.edge(m, o, EdgeKind::Quote);
            b.edge(c, m, EdgeKind::Reshare);
        }
    }
    let graph = b.finish();
    let mut edges_by_type: BTreeMap<EdgeKind, u64> =
        EdgeKind::ALL.iter().map(|&k| (k, 0)).collect();
    let mut interactions_by_type = edges_by_type.clone();
    for e in &graph.edges {
        *edges_by_type.entry(e.kind).or_default() += 1;
        *interactions_by_type.entry(e.kind).or_default() += e.weight;
    }
    let mut top = graph.nodes.clone();
    top.sort_by(|a, b| {
        b.pagerank
            .total_cmp(&a.pagerank)
            .then(a.handle.cmp(&b.handle))
    });
    top.truncate(TOP);
    Network {
        nodes: graph.nodes.len() as u64,
        edges: graph.edges.len() as u64,
        edges_by_type,
        interactions_by_type,
        self_loops: 3,
        unresolved: 1,
        betweenness_computed: true,
        focus_accounts: graph.nodes.iter().filter(|n| n.focus).count() as u64,
        top_accounts: top,
        modularity: Some(0.61),
        community_count: 5,
        communities: (0..5)
            .map(|id| Community {
                id,
                accounts: 13,
                focus_accounts: 1,
                top_accounts: vec![orgs[id as usize].to_owned(), "115700".into()],
                posts: 40 - id * 3,
                terms: vec![Term {
                    term: "refund".into(),
                    count: 5,
                    z: 3.2,
                }],
            })
            .collect(),
        graph,
    }
}

/// A factsheet with no posts at all: every share and time unknown.
pub fn empty() -> Factsheet {
    Factsheet {
        title: "Dialoog factsheet".into(),
        description: String::new(),
        generated_at: at(2026, 11, 25, 10, 0),
        focus_label: "government".into(),
        summary: Summary::default(),
        activity: Activity {
            time_zone: "Europe/Amsterdam".into(),
            bucket: "hour".into(),
            ..Activity::default()
        },
        voice: Voice::default(),
        dialogue: Dialogue::default(),
        network: Network::default(),
        co_engagement: CoEngagement::default(),
        reaction: Default::default(),
        top_posts: Default::default(),
        topics: Default::default(),
        headline: Vec::new(),
        spread: Spread::default(),
        breakdown: Breakdown::default(),
        privacy: Privacy::default(),
        method: Method {
            dialoog_version: "0.1.0".into(),
            store: "store".into(),
            ..Method::default()
        },
    }
}

/// A webcare-like case: 64 days, five roles, 40 support accounts, examples for most modes.
pub fn webcare() -> Factsheet {
    let days = 64;
    let start = at(2017, 10, 1, 0, 0);
    let mut series = Vec::new();
    let mut posts_by_role: BTreeMap<Role, u64> = BTreeMap::new();
    for d in 0..days {
        let wave = ((d as f64 / 9.0).sin() * 0.5 + 1.0) * if d == 31 { 3.0 } else { 1.0 };
        let mut counts = BTreeMap::new();
        for (role, base) in [
            (Role::Citizen, 40.0),
            (Role::Organisation, 30.0),
            (Role::Media, 3.0),
            (Role::Government, 1.5),
            (Role::Politician, 0.6),
        ] {
            let v = (base * wave + (d % 5) as f64).round() as u64;
            counts.insert(role, v);
            *posts_by_role.entry(role).or_default() += v;
        }
        let total = counts.values().sum();
        let day = start + Duration::days(d);
        series.push(Bucket {
            start: day.format("%Y-%m-%dT00:00:00+00:00").to_string(),
            focus: counts[&Role::Organisation],
            counts,
            total,
        });
    }
    let posts: u64 = posts_by_role.values().sum();
    let peak = series.iter().max_by_key(|b| b.total).cloned();
    let hour_of_day = (0..24)
        .map(|h: u64| {
            let day_curve = if (8..22).contains(&h) { 3 } else { 1 };
            BTreeMap::from([
                (Role::Citizen, 60 * day_curve + h * 3),
                (Role::Organisation, 45 * day_curve + h),
                (Role::Media, 4 * day_curve),
                (Role::Government, day_curve),
            ])
        })
        .collect();

    let modes = BTreeMap::from([
        (Mode::Inform, 612),
        (Mode::Advise, 1_204),
        (Mode::Consult, 388),
        (Mode::CoDecide, 0),
        (Mode::CoProduce, 57),
        (Mode::Internal, 12),
        (Mode::Referral, 431),
        (Mode::Other, 96),
    ]);
    let government_posts: u64 = modes.values().sum();
    let government_replies = 2_410;
    let referrals = 431;
    let example = |mode, rule: &str, handle: &str, day, text: &str| Example {
        mode,
        rule: rule.into(),
        post: ExamplePost {
            platform: "twitter".into(),
            id: format!("{}", 1_000_000 + day),
            url: Some(format!(
                "https://twitter.com/{handle}/status/{}",
                1_000_000 + day
            )),
            author_handle: handle.into(),
            created_at: at(2017, 10, 1, 9 + (day as u32 % 10), 17) + Duration::days(day),
            text: text.into(),
            row: None,
        },
    };
    let examples = vec![
        example(
            Mode::Inform,
            "en.inform.update",
            "AppleSupport",
            2,
            "iOS 11.1 is now available with fixes for the keyboard issue many of you reported. Update via Settings > General > Software Update.",
        ),
        example(
            Mode::Advise,
            "en.advise.try",
            "AmazonHelp",
            4,
            "Sorry to hear that! Please try signing out of the app and back in, then restart your device. Let us know if that helps.",
        ),
        example(
            Mode::Advise,
            "en.advise.steps",
            "SpotifyCares",
            9,
            "Could you try reinstalling the app? Here's how: https://spoti.fi/reinstall – that clears the cache too.",
        ),
        example(
            Mode::Consult,
            "en.consult.question",
            "British_Airways",
            11,
            "We'd love your feedback on the new app: which features would make check-in easier for you?",
        ),
        example(
            Mode::CoProduce,
            "en.coproduce.report",
            "TMobileHelp",
            14,
            "Seeing an outage in your area? Reply with your ZIP code so we can map it and get the crews there faster.",
        ),
        example(
            Mode::Referral,
            "en.referral.dm",
            "Delta",
            20,
            "We're sorry for the delay. Please DM us your confirmation number and we'll take a closer look.",
        ),
        example(
            Mode::Referral,
            "en.referral.contact",
            "comcastcares",
            21,
            "For account questions please call us at 1-800-XFINITY or chat with us at https://xfinity.com/chat so we can verify your identity.",
        ),
        example(
            Mode::Internal,
            "en.internal.team",
            "AskPlayStation",
            30,
            "Thanks team – handing this one over to @AskPS_UK for the EU store.",
        ),
        example(
            Mode::Other,
            "en.other.default",
            "VirginTrains",
            33,
            "🚆😂 thanks for riding with us!",
        ),
    ];
    let rules = vec![
        RuleDoc {
            id: "en.referral.dm".into(),
            mode: Mode::Referral,
            language: "en".into(),
            pattern: r"\b(dm|direct message|private message)\b".into(),
            description: "Asks the person to continue in a direct message.".into(),
        },
        RuleDoc {
            id: "en.referral.contact".into(),
            mode: Mode::Referral,
            language: "en".into(),
            pattern: r"\b(call us|chat with us|contact us at|visit (our|the) (store|website))\b"
                .into(),
            description: "Sends the person to another channel (phone, chat, website, counter)."
                .into(),
        },
        RuleDoc {
            id: "en.advise.try".into(),
            mode: Mode::Advise,
            language: "en".into(),
            pattern: r"\b(please try|could you try|try (restarting|signing|updating))\b".into(),
            description: "Gives advice the person can act on.".into(),
        },
        RuleDoc {
            id: "en.consult.question".into(),
            mode: Mode::Consult,
            language: "en".into(),
            pattern: r"\b(feedback|what do you think|which .* would)\b".into(),
            description: "Asks the public for opinions.".into(),
        },
        RuleDoc {
            id: "en.inform.update".into(),
            mode: Mode::Inform,
            language: "en".into(),
            pattern: r"\b(now available|update|announce)\b".into(),
            description: "Announces or explains.".into(),
        },
    ];
    let handles = [
        "AmazonHelp",
        "AppleSupport",
        "Uber_Support",
        "SpotifyCares",
        "Delta",
        "Tesco",
        "AmericanAir",
        "comcastcares",
        "TMobileHelp",
        "British_Airways",
        "SouthwestAir",
        "Ask_Spectrum",
        "hulu_support",
        "AskPlayStation",
        "sprintcare",
        "XboxSupport",
        "UPSHelp",
        "VirginTrains",
        "AskPayPal",
        "ChipotleTweets",
        "AlaskaAir",
        "sainsburys",
        "GWRHelp",
        "AskTarget",
        "NikeSupport",
        "AzureSupport",
        "VerizonSupport",
        "ArgosHelpers",
        "JetBlue",
        "AskLyft",
        "askpanera",
        "DropboxSupport",
        "McDonalds",
        "HPSupport",
        "CenturyLinkHelp",
        "Safaricom_Care",
        "O2",
        "AskEbay",
        "DoorDash_Help",
        "a_very_long_support_handle_that_should_wrap_nicely_2017",
    ];
    let mut by_account_dialogue = Vec::new();
    let mut by_account_voice = Vec::new();
    for (i, h) in handles.iter().enumerate() {
        let addressed = 400 / (i as u64 + 1) + 3;
        let answered = addressed * (90 - i as u64) / 100;
        by_account_dialogue.push(AccountDialogue {
            handle: (*h).into(),
            addressed,
            answered,
            reply_rate: Some(answered as f64 / addressed as f64),
            response_time_seconds: ResponseTime {
                n: answered,
                median: Some(300.0 + 97.0 * i as f64),
                p90: Some(3_000.0 + 1_400.0 * i as f64),
                mean: Some(900.0 + 400.0 * i as f64),
            },
        });
        let replies = addressed;
        let refs = replies / (2 + i as u64 % 4);
        by_account_voice.push(AccountVoice {
            handle: (*h).into(),
            posts: replies + 4,
            replies,
            referrals: refs,
            referral_share: Some(refs as f64 / replies as f64),
            modes: BTreeMap::from([
                (Mode::Advise, replies / 2),
                (Mode::Referral, refs),
                (Mode::Inform, 4),
            ]),
        });
    }
    by_account_dialogue.push(AccountDialogue {
        handle: "silent_account".into(),
        addressed: 2,
        answered: 0,
        reply_rate: Some(0.0),
        response_time_seconds: ResponseTime::default(),
    });

    let inputs = vec![
        FileStats { path: "dialoog-demo/input/twcs_head.csv".into(), format: "csv".into(), read: 5_000, stored: 4_987, updated: 0, duplicates: 9, quarantined: 4 },
        FileStats { path: "exports/2017-11/twarc2_support_accounts_with_a_very_long_file_name_for_wrapping.jsonl.gz".into(), format: "twarc2".into(), read: 1_204, stored: 1_150, updated: 31, duplicates: 23, quarantined: 0 },
    ];
    let addressed = 2_874;
    let answered = 2_191;
    let reaction_sample = reaction(&series);
    Factsheet {
        title: "Webcare on Twitter: 76 support accounts answering the public".into(),
        description: "The first 5,000 tweets of the Customer Support on Twitter corpus (October–December 2017): customers addressing the support accounts of 76 organisations and the replies they received.".into(),
        generated_at: at(2026, 11, 25, 10, 12),
        focus_label: "support accounts".into(),
        summary: Summary {
            posts,
            authors: 2_968,
            period_start: Some(at(2017, 10, 1, 0, 12)),
            period_end: Some(at(2017, 12, 3, 22, 40)),
            platforms: BTreeMap::from([("twitter".into(), posts)]),
            posts_by_role,
            posts_by_kind: BTreeMap::from([
                (PostKind::Post, 1_466),
                (PostKind::Reply, posts - 1_466 - 120),
                (PostKind::Reshare, 80),
                (PostKind::Quote, 40),
            ]),
            focus_accounts_active: 40,
            focus_accounts_registered: 76,
            focus_posts: government_posts,
            top_authors: Vec::new(),
            data_quality: FileStats { path: "(all files)".into(), format: String::new(), read: 6_204, stored: 6_137, updated: 31, duplicates: 32, quarantined: 4 },
            headlines: vec![
                format!("{} of {} posts addressed to the support accounts were answered (76.2%).", answered, addressed),
                "Half of the answers came within 13 minutes; one in ten took longer than 4 hours.".into(),
                "17.9% of the support accounts' replies refer the customer to another channel.".into(),
            ],
        },
        activity: Activity {
            time_zone: "UTC".into(),
            bucket: "day".into(),
            peak,
            series,
            hour_of_day,
            events: vec![
                Event { at: at(2017, 10, 12, 9, 0), label: "iOS 11.0.3 released".into() },
                Event { at: at(2017, 10, 13, 14, 0), label: "Outage <b>east coast</b> & \"network\"".into() },
                Event { at: at(2017, 11, 1, 12, 0), label: "Storm warning".into() },
                Event { at: at(2017, 11, 24, 0, 0), label: "Black Friday".into() },
                Event { at: at(2018, 1, 1, 0, 0), label: "New year".into() },
            ],
            bursts: vec![
                burst("2017-10-09T00:00:00+00:00", 1, 77, 77, 52.97, &["accts", "crash", "fingerprint"]),
                burst("2017-10-30T18:00:00+00:00", 48, 3_442, 1_428, 2_227.41, &["halloween", "xbox", "ios", "costume", "burrito", "becky", "<b>boo</b>"]),
                burst("2017-11-25T15:00:00+00:00", 11, 728, 442, 468.27, &["gate", "dtw", "fargo"]),
                burst("2017-12-01T06:00:00+00:00", 1, 18, 18, 9.14, &[]),
            ],
        },
        voice: Voice {
            government_posts,
            government_replies,
            referrals,
            referral_share: Some(referrals as f64 / government_replies as f64),
            modes,
            examples,
            rules,
            by_account: by_account_voice,
        },
        dialogue: Dialogue {
            addressed,
            answered,
            reply_rate: Some(answered as f64 / addressed as f64),
            response_time_seconds: ResponseTime { n: answered, median: Some(781.0), p90: Some(14_950.0), mean: Some(5_342.5) },
            distribution: vec![
                Band { label: "< 5 min".into(), upper_seconds: Some(300), count: 612 },
                Band { label: "5–15 min".into(), upper_seconds: Some(900), count: 540 },
                Band { label: "15–60 min".into(), upper_seconds: Some(3_600), count: 489 },
                Band { label: "1–4 h".into(), upper_seconds: Some(14_400), count: 330 },
                Band { label: "4–24 h".into(), upper_seconds: Some(86_400), count: 170 },
                Band { label: "1–7 days".into(), upper_seconds: Some(604_800), count: 45 },
                Band { label: "≥ 7 days".into(), upper_seconds: None, count: 5 },
            ],
            replies_to_public_share: Some(0.943),
            by_account: by_account_dialogue,
        },
        network: network(),
        co_engagement: co_engagement(),
        reaction: reaction_sample,
        top_posts: top_posts(),
        topics: topics(),
        headline: headline(),
        spread: spread(),
        breakdown: breakdown(),
        privacy: privacy(),
        method: Method {
            dialoog_version: "0.1.0".into(),
            store: "dialoog-demo/store".into(),
            inputs,
            skipped: vec![dialoog_model::Skipped {
                path: "exports/2017-11/README.txt".into(),
                reason: "unknown format: the content matches none of the known formats".into(),
            }],
            registry: Some("dialoog-demo/input/registry.csv".into()),
            registry_accounts: 76,
            case_file: Some("dialoog-demo/input/case.toml".into()),
            source_note: "Customer Support on Twitter (Thought Vector / Kaggle), first 5,000 rows; CC BY-NC-SA 4.0. Customers are anonymised as numbers by the publisher.".into(),
            definitions: BTreeMap::from([
                ("addressed".into(), "Non-government posts that reply to a government post or mention a government account.".into()),
                ("answered".into(), "Addressed posts with at least one government post among their descendants.".into()),
                ("reply rate".into(), "answered ÷ addressed.".into()),
                ("response time".into(), "Time of the earliest government descendant − the post's own time; median and p90 by nearest rank.".into()),
                ("referral share".into(), "Government replies classified as referral ÷ government replies.".into()),
            ]),
        },
    }
}

/// The webcare case over three days in hourly buckets (72 buckets, events inside).
pub fn hourly() -> Factsheet {
    let mut f = webcare();
    let start = at(2017, 10, 31, 0, 0);
    f.activity.bucket = "hour".into();
    f.activity.time_zone = "Europe/Amsterdam".into();
    f.activity.series = (0..72)
        .map(|h| {
            let t = start + Duration::hours(h);
            let local = t + Duration::hours(1);
            let hour = (h % 24) as u64;
            let day = if (8..23).contains(&hour) { 4 } else { 1 };
            let counts = BTreeMap::from([
                (Role::Citizen, day * 9 + hour % 5),
                (Role::Organisation, day * 6 + hour % 3),
                (Role::Media, hour % 2),
            ]);
            Bucket {
                start: local.format("%Y-%m-%dT%H:00:00+01:00").to_string(),
                total: counts.values().sum(),
                focus: counts.get(&Role::Government).copied().unwrap_or(0),
                counts,
            }
        })
        .collect();
    f.activity.peak = f.activity.series.iter().max_by_key(|b| b.total).cloned();
    f.activity.events = vec![
        Event {
            at: at(2017, 10, 31, 13, 0),
            label: "Outage begins".into(),
        },
        Event {
            at: at(2017, 10, 31, 14, 30),
            label: "Statement".into(),
        },
        Event {
            at: at(2017, 11, 2, 9, 0),
            label: "Resolved".into(),
        },
    ];
    f.summary.period_start = Some(start);
    f.summary.period_end = Some(start + Duration::hours(71));
    f
}

/// The webcare case stretched over 400 days: the activity chart becomes an area.
pub fn long() -> Factsheet {
    let mut f = webcare();
    let start = at(2017, 1, 1, 0, 0);
    f.activity.series = (0..400)
        .map(|d| {
            let t = start + Duration::days(d);
            let w = ((d as f64 / 30.0).sin() * 10.0 + 12.0) as u64 + (d as u64 * 7 % 11);
            let counts = BTreeMap::from([
                (Role::Citizen, w * 2),
                (Role::Organisation, w),
                (Role::Government, w / 4),
            ]);
            Bucket {
                start: t.format("%Y-%m-%dT00:00:00+00:00").to_string(),
                total: counts.values().sum(),
                focus: counts.get(&Role::Government).copied().unwrap_or(0),
                counts,
            }
        })
        .collect();
    f.activity.peak = f.activity.series.iter().max_by_key(|b| b.total).cloned();
    f.activity.events = vec![
        Event {
            at: at(2017, 3, 15, 12, 0),
            label: "Elections".into(),
        },
        Event {
            at: at(2017, 3, 17, 12, 0),
            label: "Results".into(),
        },
        Event {
            at: at(2017, 10, 26, 0, 0),
            label: "New cabinet".into(),
        },
    ];
    f.summary.period_start = Some(start);
    f.summary.period_end = Some(start + Duration::days(399));
    f
}

fn mix(negative: u64, neutral: u64, positive: u64, mean: f64) -> SentimentMix {
    SentimentMix {
        negative,
        neutral,
        positive,
        mean_score: Some(mean),
    }
}

fn counts(items: &[(&str, u64)]) -> Vec<TermCount> {
    items
        .iter()
        .map(|(t, n)| TermCount {
            term: (*t).into(),
            posts: *n,
        })
        .collect()
}

fn terms(words: &[&str]) -> Vec<Term> {
    words
        .iter()
        .enumerate()
        .map(|(i, t)| Term {
            term: (*t).into(),
            count: 12 - i as u64,
            z: 6.0 - i as f64 / 2.0,
        })
        .collect()
}

/// Section 5 over the given activity buckets: a third of each bucket's posts, mostly negative.
pub fn reaction(series: &[Bucket]) -> Reaction {
    let over_time: Vec<SentimentBucket> = series
        .iter()
        .map(|b| {
            let n = b.total / 3;
            SentimentBucket {
                start: b.start.clone(),
                sentiment: mix(n / 2, n / 3, n - n / 2 - n / 3, -0.12),
            }
        })
        .collect();
    let mut total = SentimentMix::default();
    for b in &over_time {
        total.negative += b.sentiment.negative;
        total.neutral += b.sentiment.neutral;
        total.positive += b.sentiment.positive;
    }
    total.mean_score = Some(-0.118);
    let posts = total.total();
    Reaction {
        posts,
        sentiment: total,
        negative_below: -0.05,
        positive_above: 0.1,
        over_time,
        by_target: vec![
            TargetReaction {
                handle: "AmazonHelp".into(),
                posts: 412,
                sentiment: mix(201, 130, 81, -0.15),
                questions: 120,
                question_share: Some(120.0 / 412.0),
            },
            TargetReaction {
                handle: "AppleSupport".into(),
                posts: 388,
                sentiment: mix(160, 170, 58, -0.08),
                questions: 171,
                question_share: Some(171.0 / 388.0),
            },
            TargetReaction {
                handle: "Uber_Support".into(),
                posts: 97,
                sentiment: mix(60, 25, 12, -0.31),
                questions: 22,
                question_share: Some(22.0 / 97.0),
            },
        ],
        questions: posts / 3,
        question_share: Some((posts / 3) as f64 / posts.max(1) as f64),
        top_terms: counts(&[
            ("help", 301),
            ("order", 240),
            ("phone", 198),
            ("service", 187),
            ("update", 150),
            ("account", 121),
            ("delivery", 98),
            ("flight", 80),
        ]),
        top_hashtags: counts(&[("ios11", 31), ("fail", 12), ("customerservice", 9)]),
        resources: reaction_resources(),
    }
}

fn reaction_resources() -> Vec<Resource> {
    vec![
        Resource {
            kind: "sentiment lexicon".into(),
            language: "nl".into(),
            name: "Pattern subjectivity lexicon for Dutch adjectives".into(),
            licence: "PDDL".into(),
            file: "data/lexicons/nl-sentiment.xml".into(),
        },
        Resource {
            kind: "sentiment lexicon".into(),
            language: "en".into(),
            name: "VADER sentiment lexicon 3.3.2".into(),
            licence: "MIT".into(),
            file: "data/lexicons/vader_lexicon.txt".into(),
        },
        Resource {
            kind: "stopwords".into(),
            language: "en".into(),
            name: "stopwords-iso English".into(),
            licence: "MIT".into(),
            file: "crates/text/data/stopwords-iso-en.txt".into(),
        },
    ]
}

/// Two top posts: a support account's and a customer's (with a hostile text for escaping).
pub fn top_posts() -> TopPosts {
    let post = |id: &str, handle: &str, text: &str| ExamplePost {
        platform: "twitter".into(),
        id: id.into(),
        url: None,
        author_handle: handle.into(),
        created_at: at(2017, 10, 31, 22, 10),
        text: text.into(),
        row: None,
    };
    let support = TopPost {
        post: post(
            "101",
            "AppleSupport",
            "We're here to help. Which version of iOS are you running?",
        ),
        focus: true,
        reactions: 14,
        reactions_from: "replies in the data".into(),
        likes: None,
        reshares: None,
        replies: None,
        quotes: None,
        replies_in_data: 16,
        replies_sentiment: mix(9, 5, 2, -0.21),
        reply_terms: terms(&["battery", "ios", "update"]),
    };
    let customer = TopPost {
        post: post(
            "102",
            "115712",
            "@sprintcare <b>still</b> no signal & no answer",
        ),
        focus: false,
        reactions: 9,
        reactions_from: "replies in the data".into(),
        replies_in_data: 9,
        replies_sentiment: mix(1, 6, 2, 0.05),
        reply_terms: Vec::new(),
        ..support.clone()
    };
    TopPosts {
        focus: vec![support.clone()],
        overall: vec![support, customer],
    }
}

/// The topic mix: service dominates, crisis is rare.
pub fn topics() -> Topics {
    let topic =
        |id: &str, name: &str, dutch: &str, focus: u64, citizens: u64, words: &[&str]| TopicShare {
            id: id.into(),
            name: name.into(),
            dutch: dutch.into(),
            posts: focus + citizens,
            focus_posts: focus,
            focus_share: Some(focus as f64 / 2_201.0),
            citizen_posts: citizens,
            citizen_share: Some(citizens as f64 / 2_480.0),
            terms: terms(words),
        };
    let set = |id: &str, name: &str, dutch: &str| KeywordSet {
        id: id.into(),
        name: name.into(),
        dutch: dutch.into(),
        description: format!("Sample keywords of {name}."),
        nl: vec!["vergunning*".into()],
        en: vec!["refund*".into()],
    };
    Topics {
        focus_posts: 2_201,
        citizen_posts: 2_480,
        topics: vec![
            topic(
                "service",
                "Service",
                "dienstverlening",
                1_310,
                1_120,
                &["order", "refund", "account"],
            ),
            topic("policy", "Policy", "beleid", 41, 88, &["policy", "fees"]),
            topic("crisis", "Crisis", "crisis", 3, 12, &["outage"]),
        ],
        unmatched_focus_posts: 860,
        unmatched_citizen_posts: 1_290,
        co_occurrence: vec![
            TermPair {
                a: "help".into(),
                b: "order".into(),
                posts: 64,
            },
            TermPair {
                a: "flight".into(),
                b: "delay".into(),
                posts: 31,
            },
        ],
        keyword_sets: vec![
            set("service", "Service", "dienstverlening"),
            set("policy", "Policy", "beleid"),
            set("crisis", "Crisis", "crisis"),
        ],
    }
}

/// Headline rows: one account with every count, one whose export gives none.
pub fn headline() -> Vec<HeadlineAccount> {
    let count = |total: u64, posts: u64| CountOnPosts {
        total: Some(total),
        posts_known: posts,
        per_post: Some(total as f64 / posts as f64),
    };
    vec![
        HeadlineAccount {
            handle: "AmazonHelp".into(),
            platform: "twitter".into(),
            role: Role::Organisation,
            followers: Some(181_204),
            posts: 412,
            likes: count(1_318, 412),
            comments: count(377, 412),
            shares: count(52, 412),
            unique_engagers: 389,
            engagers_per_follower: Some(389.0 / 181_204.0),
            likes_per_comment: Some(1_318.0 / 377.0),
            broadcast: Broadcast {
                own_posts: 3,
                replies: 409,
                reshares: 0,
            },
        },
        HeadlineAccount {
            handle: "gemeente_<script>".into(),
            platform: "twitter".into(),
            role: Role::Government,
            followers: None,
            posts: 12,
            likes: CountOnPosts::default(),
            comments: CountOnPosts::default(),
            shares: CountOnPosts::default(),
            unique_engagers: 9,
            engagers_per_follower: None,
            likes_per_comment: None,
            broadcast: Broadcast {
                own_posts: 8,
                replies: 2,
                reshares: 4,
            },
        },
    ]
}

/// A spread section with two cascades and linked domains.
pub fn spread() -> Spread {
    let post = |id: &str, text: &str, at: DateTime<Utc>| ExamplePost {
        platform: "twitter".into(),
        id: id.into(),
        url: Some(format!("https://twitter.com/AmazonHelp/status/{id}")),
        author_handle: "AmazonHelp".into(),
        created_at: at,
        text: text.into(),
        row: None,
    };
    Spread {
        focus_posts: 424,
        spread_posts: 2,
        reshares: 14,
        quotes: 3,
        reshares_exported: Some(52),
        non_government_share: Some(15.0 / 17.0),
        non_government_follower_share: Some(0.41),
        max_size: 12,
        max_depth: 2,
        median_half_time_seconds: Some(2_700.0),
        top: vec![
            Cascade {
                post: post(
                    "1",
                    "Prime Day deals start tonight at midnight — see our help pages for delivery times.",
                    at(2017, 10, 11, 9, 0),
                ),
                size: 12,
                reshares: 10,
                quotes: 2,
                depth: 2,
                half_time_seconds: Some(1_800.0),
                accounts: 12,
                non_government_accounts: 11,
            },
            Cascade {
                post: post(
                    "2",
                    "Our service is back <b>up</b>.",
                    at(2017, 11, 2, 14, 0),
                ),
                size: 5,
                reshares: 4,
                quotes: 1,
                depth: 1,
                half_time_seconds: Some(3_600.0),
                accounts: 5,
                non_government_accounts: 4,
            },
        ],
        by_account: vec![AccountSpread {
            handle: "AmazonHelp".into(),
            platform: "twitter".into(),
            posts: 412,
            spread_posts: 2,
            cascade_posts: 17,
            non_government_share: Some(15.0 / 17.0),
        }],
        domains_focus: vec![DomainCount {
            domain: "amazon.com".into(),
            links: 31,
            posts: 30,
        }],
        domains_citizens: vec![
            DomainCount {
                domain: "youtube.com".into(),
                links: 4,
                posts: 4,
            },
            DomainCount {
                domain: "<img src=x>.example".into(),
                links: 1,
                posts: 1,
            },
        ],
    }
}

/// Voice and dialogue by role and by week.
pub fn breakdown() -> Breakdown {
    let slice = |label: &str,
                 accounts,
                 posts,
                 replies,
                 referrals,
                 addressed,
                 answered,
                 median: Option<f64>| Slice {
        label: label.into(),
        accounts,
        government_posts: posts,
        government_replies: replies,
        referrals,
        referral_share: (replies > 0).then(|| referrals as f64 / replies as f64),
        modes: BTreeMap::from([
            (Mode::Inform, posts - referrals),
            (Mode::Referral, referrals),
        ]),
        addressed,
        answered,
        reply_rate: (addressed > 0).then(|| answered as f64 / addressed as f64),
        response_time_seconds: ResponseTime {
            n: answered,
            median,
            p90: median.map(|m| m * 4.0),
            mean: median.map(|m| m * 1.5),
        },
    };
    Breakdown {
        by_role: vec![
            slice("government", 1, 12, 2, 1, 20, 9, Some(5_400.0)),
            slice(
                "organisation",
                75,
                2_000,
                1_950,
                610,
                2_854,
                2_182,
                Some(774.0),
            ),
        ],
        period: "week".into(),
        by_period: vec![
            slice("2017-09-25", 0, 310, 300, 90, 420, 330, Some(800.0)),
            slice("2017-10-02", 0, 0, 0, 0, 0, 0, None),
            slice(
                "2017-10-09",
                0,
                1_702,
                1_652,
                521,
                2_454,
                1_861,
                Some(760.0),
            ),
        ],
    }
}
