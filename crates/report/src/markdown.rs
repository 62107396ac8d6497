//! The factsheet as Markdown: the HTML's sections as headings and tables, no charts.

use crate::format::{self, int, pct, pct_of};
use crate::html::{
    TOP_ACCOUNTS, TOP_BURSTS, betweenness, burst_rows, burst_terms, dialogue_rows, edge_rows,
    event_positions, main_mode, mode_name, rank, role_name,
};
use dialoog_analysis::Factsheet;
use dialoog_model::Mode;
use std::fmt::Write as _;

/// Makes data text safe in a Markdown table cell or line: no line breaks, pipes and markup
/// characters escaped, HTML tags neutralised.
pub(crate) fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn table(out: &mut String, head: &[&str], right: &[bool], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let align: Vec<&str> = right
        .iter()
        .map(|r| if *r { "---:" } else { "---" })
        .collect();
    let _ = writeln!(out, "|{}|", align.join("|"));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
}

/// Section 5: the public's reaction, the top posts and the topic mix.
fn reaction(o: &mut String, f: &Factsheet, focus: &str) {
    use crate::reaction::{PAIRS, POSTS, TARGETS, TERMS, score, words};
    let r = &f.reaction;
    let s = &r.sentiment;
    o.push_str("## 5. Citizens' reaction\n\n");
    if r.posts == 0 {
        o.push_str("No data: no posts with text by the public.\n\n");
    } else {
        let n = s.total();
        let _ = writeln!(
            o,
            "{} posts with text by the public (every account but the {focus}): {} negative ({}), {} neutral ({}), {} positive ({}); mean sentiment score {}. {} ask a question ({}).\n",
            int(r.posts),
            int(s.negative),
            pct_of(s.negative, n),
            int(s.neutral),
            pct_of(s.neutral, n),
            int(s.positive),
            pct_of(s.positive, n),
            score(s.mean_score),
            int(r.questions),
            pct(r.question_share),
        );
    }
    if !r.by_target.is_empty() {
        o.push_str("### By the account addressed\n\n");
        let rows: Vec<Vec<String>> = r
            .by_target
            .iter()
            .take(TARGETS)
            .map(|t| {
                let n = t.sentiment.total();
                vec![
                    format!("@{}", md(&t.handle)),
                    int(t.posts),
                    pct_of(t.sentiment.negative, n),
                    pct_of(t.sentiment.neutral, n),
                    pct_of(t.sentiment.positive, n),
                    score(t.sentiment.mean_score),
                    pct(t.question_share),
                ]
            })
            .collect();
        table(
            o,
            &[
                "Addressed to",
                "Posts",
                "Negative",
                "Neutral",
                "Positive",
                "Mean score",
                "Questions",
            ],
            &[false, true, true, true, true, true, true],
            &rows,
        );
    }
    for (title, list, hash) in [
        ("Terms", &r.top_terms, ""),
        ("Hashtags", &r.top_hashtags, "#"),
    ] {
        if list.is_empty() {
            continue;
        }
        let line: Vec<String> = list
            .iter()
            .take(TERMS)
            .map(|t| format!("{hash}{} ({})", md(&t.term), int(t.posts)))
            .collect();
        let _ = writeln!(o, "**{title}** (posts using it): {}\n", line.join(", "));
    }
    for (title, list) in [
        (
            format!("### Posts by the {focus} that drew the most reactions"),
            &f.top_posts.focus,
        ),
        (
            "### Posts by anyone that drew the most reactions".to_owned(),
            &f.top_posts.overall,
        ),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(o, "{title}\n");
        let rows: Vec<Vec<String>> = list
            .iter()
            .take(POSTS)
            .enumerate()
            .map(|(i, p)| {
                let m = &p.replies_sentiment;
                vec![
                    (i + 1).to_string(),
                    format!(
                        "{} (@{})",
                        md(&crate::html::clip(
                            &p.post.text,
                            crate::reaction::POST_CHARS
                        )),
                        md(&p.post.author_handle)
                    ),
                    int(p.reactions),
                    format!(
                        "{} · {} · {}",
                        int(m.negative),
                        int(m.neutral),
                        int(m.positive)
                    ),
                    md(&words(&p.reply_terms)),
                ]
            })
            .collect();
        table(
            o,
            &[
                "#",
                "Post",
                "Reactions",
                "Replies neg. · neu. · pos.",
                "Words of the replies",
            ],
            &[true, false, true, true, false],
            &rows,
        );
    }
    let t = &f.topics;
    if !t.topics.is_empty() {
        o.push_str("### Topics: service, policy, crisis\n\n");
        let mut rows: Vec<Vec<String>> = t
            .topics
            .iter()
            .map(|x| {
                vec![
                    format!("{} ({})", md(&x.name), md(&x.dutch)),
                    int(x.focus_posts),
                    pct(x.focus_share),
                    int(x.citizen_posts),
                    pct(x.citizen_share),
                    md(&words(&x.terms)),
                ]
            })
            .collect();
        rows.push(vec![
            "None of these".into(),
            int(t.unmatched_focus_posts),
            pct_of(t.unmatched_focus_posts, t.focus_posts),
            int(t.unmatched_citizen_posts),
            pct_of(t.unmatched_citizen_posts, t.citizen_posts),
            String::new(),
        ]);
        table(
            o,
            &[
                "Topic",
                &format!("Posts by {focus}"),
                "Share",
                "Posts by citizens",
                "Share",
                "Key terms",
            ],
            &[false, true, true, true, true, false],
            &rows,
        );
        o.push_str("A post belongs to every topic whose keywords it uses; the keyword sets are in factsheet.json (topics.keyword_sets).\n\n");
    }
    if !t.co_occurrence.is_empty() {
        let pairs: Vec<String> = t
            .co_occurrence
            .iter()
            .take(PAIRS)
            .map(|p| format!("{} + {} ({})", md(&p.a), md(&p.b), int(p.posts)))
            .collect();
        let _ = writeln!(
            o,
            "**Terms used together** (posts using both): {}.\n",
            pairs.join("; ")
        );
    }
    if !r.resources.is_empty() {
        let list: Vec<String> = r
            .resources
            .iter()
            .map(|x| {
                format!(
                    "{} ({}, {}; {})",
                    md(&x.name),
                    md(&x.kind),
                    md(&x.language),
                    md(&x.licence)
                )
            })
            .collect();
        let _ = writeln!(o, "Word lists and models: {}.\n", list.join("; "));
    }
}

pub fn render(f: &Factsheet) -> String {
    let s = &f.summary;
    let d = &f.dialogue;
    let v = &f.voice;
    let a = &f.activity;
    let m = &f.method;
    let focus = if f.focus_label.trim().is_empty() {
        "government".to_owned()
    } else {
        md(f.focus_label.trim())
    };
    let rt = &d.response_time_seconds;
    let mut o = String::new();

    let _ = writeln!(o, "# {}\n", md(&f.title));
    if !f.description.is_empty() {
        let _ = writeln!(o, "{}\n", md(&f.description));
    }
    let _ = writeln!(
        o,
        "Period: {} · Platforms: {} · Focus accounts: {} · Generated: {}\n",
        format::period(s.period_start.as_ref(), s.period_end.as_ref()),
        if s.platforms.is_empty() {
            format::NONE.to_owned()
        } else {
            s.platforms
                .keys()
                .map(|p| md(&format::capitalise(p)))
                .collect::<Vec<_>>()
                .join(", ")
        },
        focus,
        format::date_time(&f.generated_at),
    );
    if s.posts == 0 {
        o.push_str("> **No data.** This case has no posts: the store is empty, or no post falls within the case period.\n\n");
    }

    o.push_str("## 1. The case in numbers\n\n");
    table(
        &mut o,
        &["Measure", "Value"],
        &[false, true],
        &[
            vec!["Posts".into(), int(s.posts)],
            vec!["Authors".into(), int(s.authors)],
            vec![
                format!("{} active / registered", format::capitalise(&focus)),
                format!(
                    "{} / {}",
                    int(s.focus_accounts_active),
                    int(s.focus_accounts_registered)
                ),
            ],
            vec![
                format!(
                    "Reply rate ({} of {} addressed posts answered)",
                    int(d.answered),
                    int(d.addressed)
                ),
                pct(d.reply_rate),
            ],
            vec!["Median response time".into(), format::duration(rt.median)],
            vec![
                format!(
                    "Referral share ({} of {} replies)",
                    int(v.referrals),
                    int(v.government_replies)
                ),
                pct(v.referral_share),
            ],
        ],
    );
    crate::spread::headline_markdown(&mut o, f);
    for line in &s.headlines {
        let _ = writeln!(o, "- {}", md(line));
    }
    if !s.headlines.is_empty() {
        o.push('\n');
    }
    if !s.posts_by_role.is_empty() {
        o.push_str("### Posts by role\n\n");
        let rows: Vec<Vec<String>> = s
            .posts_by_role
            .iter()
            .map(|(r, n)| vec![role_name(*r), int(*n), pct_of(*n, s.posts)])
            .collect();
        table(
            &mut o,
            &["Role", "Posts", "Share"],
            &[false, true, true],
            &rows,
        );
    }
    if !s.posts_by_kind.is_empty() {
        o.push_str("### Posts by kind\n\n");
        let rows: Vec<Vec<String>> = s
            .posts_by_kind
            .iter()
            .map(|(k, n)| vec![format::capitalise(k.as_str()), int(*n), pct_of(*n, s.posts)])
            .collect();
        table(
            &mut o,
            &["Kind", "Posts", "Share"],
            &[false, true, true],
            &rows,
        );
    }
    let dq = &s.data_quality;
    o.push_str("### Data quality\n\n");
    table(
        &mut o,
        &["Read", "Stored", "Updated", "Duplicates", "Quarantined"],
        &[true; 5],
        &[vec![
            int(dq.read),
            int(dq.stored),
            int(dq.updated),
            int(dq.duplicates),
            int(dq.quarantined),
        ]],
    );

    o.push_str("## 2. Activity over time\n\n");
    if let Some(peak) = a.peak.as_ref().filter(|p| p.total > 0) {
        let _ = writeln!(
            o,
            "Busiest {}: {} with {} posts ({} time).\n",
            if a.bucket == "hour" { "hour" } else { "day" },
            md(&format::bucket_label(&peak.start, &a.bucket)),
            int(peak.total),
            md(&a.time_zone),
        );
    } else {
        o.push_str("No data.\n\n");
    }
    let roles: Vec<dialoog_model::Role> = dialoog_model::Role::ALL
        .iter()
        .copied()
        .filter(|r| {
            a.hour_of_day
                .iter()
                .any(|h| h.get(r).is_some_and(|n| *n > 0))
        })
        .collect();
    if !roles.is_empty() {
        let _ = writeln!(
            o,
            "### Posts per hour of the day ({} time)\n",
            md(&a.time_zone)
        );
        let mut head = vec!["Hour".to_owned()];
        head.extend(roles.iter().map(|r| role_name(*r)));
        head.push("All".into());
        let head: Vec<&str> = head.iter().map(String::as_str).collect();
        let rows: Vec<Vec<String>> = a
            .hour_of_day
            .iter()
            .enumerate()
            .map(|(h, counts)| {
                let mut row = vec![format!("{h:02}:00")];
                row.extend(
                    roles
                        .iter()
                        .map(|r| int(counts.get(r).copied().unwrap_or(0))),
                );
                row.push(int(counts.values().sum()));
                row
            })
            .collect();
        let mut right = vec![true; head.len()];
        right[0] = false;
        table(&mut o, &head, &right, &rows);
    }
    if !a.series.is_empty() {
        let _ = writeln!(
            o,
            "Posts per {} by role: {} buckets in factsheet.json (activity.series).\n",
            if a.bucket == "hour" { "hour" } else { "day" },
            int(a.series.len() as u64)
        );
    }
    if !a.series.is_empty() {
        let _ = writeln!(o, "### Bursts ({} time)\n", md(&a.time_zone));
        if a.bursts.is_empty() {
            o.push_str("No bursts (Kleinberg's two-state automaton on the posts per hour).\n\n");
        } else {
            let rows: Vec<Vec<String>> = burst_rows(&a.bursts)
                .into_iter()
                .map(|b| {
                    vec![
                        md(&format::span(&b.start, &b.end)),
                        int(b.hours),
                        int(b.posts),
                        format!(
                            "{} ({})",
                            md(&format::bucket_label(&b.peak_hour, "hour")),
                            int(b.peak_posts)
                        ),
                        int(b.weight.round() as u64),
                        md(&burst_terms(b)),
                    ]
                })
                .collect();
            table(
                &mut o,
                &[
                    "When",
                    "Hours",
                    "Posts",
                    "Busiest hour",
                    "Weight",
                    "Characteristic terms",
                ],
                &[false, true, true, true, true, false],
                &rows,
            );
            if a.bursts.len() > TOP_BURSTS {
                let _ = writeln!(
                    o,
                    "The {TOP_BURSTS} heaviest of {} bursts, in time order; all in factsheet.json (activity.bursts).\n",
                    a.bursts.len()
                );
            }
        }
    }
    if !a.events.is_empty() {
        o.push_str("Case events:\n\n");
        for (i, (e, pos)) in a.events.iter().zip(event_positions(f)).enumerate() {
            let _ = writeln!(
                o,
                "{}. {} – {}{}",
                i + 1,
                md(&crate::html::event_time(f, &e.at)),
                md(&e.label),
                if pos.is_none() {
                    " (outside the period)"
                } else {
                    ""
                }
            );
        }
        o.push('\n');
    }

    let _ = writeln!(o, "## 3. The voice of the {focus}\n");
    let _ = writeln!(
        o,
        "{} posts by {focus} (without plain reshares), {} of them replies; {} of the replies ({}) refer to another channel.\n",
        int(v.government_posts),
        int(v.government_replies),
        pct(v.referral_share),
        int(v.referrals),
    );
    let total: u64 = v.modes.values().sum();
    let rows: Vec<Vec<String>> = Mode::ALL
        .iter()
        .map(|mode| {
            let n = v.modes.get(mode).copied().unwrap_or(0);
            vec![
                mode_name(*mode).into(),
                mode.dutch().into(),
                int(n),
                pct_of(n, total),
            ]
        })
        .collect();
    table(
        &mut o,
        &["Mode", "Dutch", "Posts", "Share"],
        &[false, false, true, true],
        &rows,
    );
    if !v.examples.is_empty() {
        o.push_str("### Typical posts per mode\n\n");
        for mode in Mode::ALL {
            for e in v.examples.iter().filter(|e| e.mode == *mode) {
                let _ = writeln!(
                    o,
                    "> {}\n>\n> — @{}, {}, {} · {} · rule {}{}\n",
                    md(&e.post.text),
                    md(&e.post.author_handle),
                    md(&e.post.platform),
                    format::date_time(&e.post.created_at),
                    mode_name(*mode),
                    md(&e.rule),
                    e.post
                        .url
                        .as_deref()
                        .map(|u| format!(" · {}", md(u)))
                        .unwrap_or_default(),
                );
            }
        }
    }
    if !v.by_account.is_empty() {
        o.push_str("### Per account\n\n");
        let rows: Vec<Vec<String>> = crate::html::voice_rows(&v.by_account)
            .iter()
            .take(TOP_ACCOUNTS)
            .map(|acc| {
                vec![
                    format!("@{}", md(&acc.handle)),
                    int(acc.posts),
                    int(acc.replies),
                    int(acc.referrals),
                    pct(acc.referral_share),
                    main_mode(&acc.modes),
                ]
            })
            .collect();
        table(
            &mut o,
            &[
                "Account",
                "Posts",
                "Replies",
                "Referrals",
                "Referral share",
                "Most frequent mode",
            ],
            &[false, true, true, true, true, false],
            &rows,
        );
        if v.by_account.len() > TOP_ACCOUNTS {
            let _ = writeln!(
                o,
                "{} more accounts in factsheet.json.\n",
                v.by_account.len() - TOP_ACCOUNTS
            );
        }
    }

    let _ = writeln!(o, "## 4. Dialogue\n");
    table(
        &mut o,
        &["Measure", "Value"],
        &[false, true],
        &[
            vec![format!("Posts addressed to {focus}"), int(d.addressed)],
            vec!["Answered".into(), int(d.answered)],
            vec!["Reply rate".into(), pct(d.reply_rate)],
            vec!["Response time, median".into(), format::duration(rt.median)],
            vec![
                "Response time, 90th percentile".into(),
                format::duration(rt.p90),
            ],
            vec!["Response time, mean".into(), format::duration(rt.mean)],
            vec!["Answered posts measured".into(), int(rt.n)],
            vec![
                format!("Replies of {focus} that go to the public"),
                pct(d.replies_to_public_share),
            ],
        ],
    );
    if !d.distribution.is_empty() {
        o.push_str("### Response-time distribution\n\n");
        let total: u64 = d.distribution.iter().map(|b| b.count).sum();
        let rows: Vec<Vec<String>> = d
            .distribution
            .iter()
            .map(|b| vec![md(&b.label), int(b.count), pct_of(b.count, total)])
            .collect();
        table(
            &mut o,
            &["Time to first answer", "Answered posts", "Share"],
            &[false, true, true],
            &rows,
        );
    }
    if !d.by_account.is_empty() {
        o.push_str("### Per account\n\n");
        let all = dialogue_rows(&d.by_account);
        let rows: Vec<Vec<String>> = all
            .iter()
            .take(TOP_ACCOUNTS)
            .map(|acc| {
                vec![
                    format!("@{}", md(&acc.handle)),
                    int(acc.addressed),
                    int(acc.answered),
                    pct(acc.reply_rate),
                    format::duration(acc.response_time_seconds.median),
                    format::duration(acc.response_time_seconds.p90),
                ]
            })
            .collect();
        table(
            &mut o,
            &[
                "Account",
                "Addressed",
                "Answered",
                "Reply rate",
                "Median",
                "p90",
            ],
            &[false, true, true, true, true, true],
            &rows,
        );
        if all.len() > TOP_ACCOUNTS {
            let _ = writeln!(
                o,
                "{} more accounts in factsheet.json.\n",
                all.len() - TOP_ACCOUNTS
            );
        }
    }

    reaction(&mut o, f, &focus);
    crate::spread::breakdown_markdown(&mut o, f);

    let n = &f.network;
    o.push_str("## 6. Actors and network\n\n");
    if n.nodes == 0 {
        o.push_str("No data: no replies, mentions, reshares or quotes between accounts.\n\n");
    } else {
        let _ = writeln!(
            o,
            "{} accounts that interact, {} typed edges, {} of the accounts are {focus}. The whole network is in network.gexf (GEXF 1.3).\n",
            int(n.nodes),
            int(n.edges),
            int(n.focus_accounts),
        );
        let rows: Vec<Vec<String>> = edge_rows(n)
            .into_iter()
            .map(|(name, edges, interactions)| vec![name, int(edges), int(interactions)])
            .collect();
        table(
            &mut o,
            &["Edge type", "Edges", "Interactions"],
            &[false, true, true],
            &rows,
        );
        o.push_str("### Central accounts (by PageRank)\n\n");
        let rows: Vec<Vec<String>> = n
            .top_accounts
            .iter()
            .take(TOP_ACCOUNTS)
            .enumerate()
            .map(|(i, a)| {
                vec![
                    (i + 1).to_string(),
                    format!(
                        "@{}{}",
                        md(&a.handle),
                        if a.focus {
                            format!(" ({focus})")
                        } else {
                            String::new()
                        }
                    ),
                    role_name(a.role),
                    int(a.in_degree),
                    int(a.out_degree),
                    rank(a.pagerank),
                    betweenness(a.betweenness),
                ]
            })
            .collect();
        table(
            &mut o,
            &[
                "#",
                "Account",
                "Role",
                "In",
                "Out",
                "PageRank",
                "Betweenness",
            ],
            &[true, false, false, true, true, true, true],
            &rows,
        );
    }

    let c = &f.co_engagement;
    let _ = writeln!(
        o,
        "### Co-engagement\n\nAccounts linked when both react (reply, comment, reshare, quote) to at least {} of the same posts: {} accounts, {} links over {} posts that drew reactions{}. The whole network is in co-engagement.gexf.\n",
        c.min_weight,
        int(c.nodes),
        int(c.edges),
        int(c.posts_considered),
        c.modularity.map_or_else(String::new, |q| format!(
            "; {} Louvain communities, modularity {q:.2}",
            int(c.community_count)
        )),
    );
    if !c.top_accounts.is_empty() {
        let rows: Vec<Vec<String>> = c
            .top_accounts
            .iter()
            .take(10)
            .map(|a| {
                vec![
                    format!("@{}", md(&a.handle)),
                    role_name(a.role),
                    int(a.in_degree),
                ]
            })
            .collect();
        table(
            &mut o,
            &["Account", "Role", "Shared reactions"],
            &[false, false, true],
            &rows,
        );
    }

    crate::spread::spread_markdown(&mut o, f, &focus);
    crate::privacy::markdown(f, &focus, &mut o);

    o.push_str("## Method and provenance\n\n");
    if !m.inputs.is_empty() {
        let rows: Vec<Vec<String>> = m
            .inputs
            .iter()
            .map(|i| {
                vec![
                    md(&i.path),
                    md(&i.format),
                    int(i.read),
                    int(i.stored),
                    int(i.updated),
                    int(i.duplicates),
                    int(i.quarantined),
                ]
            })
            .collect();
        table(
            &mut o,
            &[
                "File",
                "Format",
                "Read",
                "Stored",
                "Updated",
                "Duplicate",
                "Quarantined",
            ],
            &[false, false, true, true, true, true, true],
            &rows,
        );
    }
    if !m.skipped.is_empty() {
        o.push_str("Files in the given folders that were not read:\n\n");
        let rows: Vec<Vec<String>> = m
            .skipped
            .iter()
            .map(|s| vec![md(&s.path), md(&s.reason)])
            .collect();
        table(&mut o, &["File", "Why not read"], &[false, false], &rows);
    }
    let _ = writeln!(o, "- Store: {}", md(&m.store));
    let _ = writeln!(
        o,
        "- Registry: {}",
        m.registry
            .as_deref()
            .map(|r| format!("{} ({} accounts)", md(r), int(m.registry_accounts)))
            .unwrap_or_else(|| "none".into())
    );
    let _ = writeln!(
        o,
        "- Case file: {}",
        m.case_file
            .as_deref()
            .map(md)
            .unwrap_or_else(|| "none (defaults)".into())
    );
    if !m.source_note.is_empty() {
        let _ = writeln!(o, "- Source: {}", md(&m.source_note));
    }
    let _ = writeln!(
        o,
        "- Dialoog version {}, generated {}\n",
        md(&m.dialoog_version),
        format::date_time(&f.generated_at)
    );
    if !m.definitions.is_empty() {
        o.push_str("### Definitions\n\n");
        for (term, def) in &m.definitions {
            let _ = writeln!(o, "- **{}**: {}", md(term), md(def));
        }
        o.push('\n');
    }
    if !v.rules.is_empty() {
        o.push_str("### Participation-mode rules in force\n\n");
        let rows: Vec<Vec<String>> = v
            .rules
            .iter()
            .map(|r| {
                vec![
                    md(&r.id),
                    mode_name(r.mode).into(),
                    md(&r.language),
                    md(&r.description),
                ]
            })
            .collect();
        table(
            &mut o,
            &["Rule", "Mode", "Language", "What it recognises"],
            &[false; 4],
            &rows,
        );
        o.push_str("The regular expressions of the rules are in factsheet.json (voice.rules).\n");
    }
    o
}
