//! Several cases side by side: the headline measures of each factsheet in one self-contained HTML
//! page (templates/compare.html; tables and two bar charts, no script) and in Markdown. The input
//! is the factsheets themselves, so every number on the page is in one of their factsheet.json
//! files; the page's own compare.json repeats the rows as shown.

use crate::ReportError;
use crate::charts::{self, HBar, palette};
use crate::format::{self, NONE, duration, int, pct};
use crate::html::{mode_name, to_value};
use crate::markdown::{md, table};
use dialoog_analysis::Factsheet;
use dialoog_model::Mode;
use minijinja::{Environment, Value};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

const TEMPLATE: &str = "compare.html";

/// One case to compare: its label (column heading) and its factsheet.
pub struct Case<'a> {
    pub label: String,
    pub factsheet: &'a Factsheet,
}

/// One row of the comparison: a measure and its value per case, as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub group: &'static str,
    pub measure: String,
    /// The factsheet.json key the values come from ("" for derived text such as a period).
    pub key: &'static str,
    pub values: Vec<String>,
}

fn sum_known<'a>(totals: impl Iterator<Item = (Option<u64>, u64)> + 'a) -> (Option<u64>, u64) {
    totals.fold((None, 0), |(sum, known), (total, posts)| match total {
        Some(t) => (Some(sum.unwrap_or(0) + t), known + posts),
        None => (sum, known),
    })
}

fn per_post(total: Option<u64>, known: u64) -> String {
    match total {
        Some(t) if known > 0 => crate::spread::decimal1(t as f64 / known as f64),
        _ => NONE.to_owned(),
    }
}

/// The measures compared, one row each, in the factsheet's order.
pub fn rows(cases: &[Case]) -> Vec<Row> {
    let row = |group, measure: &str, key, value: &dyn Fn(&Factsheet) -> String| Row {
        group,
        measure: measure.to_owned(),
        key,
        values: cases.iter().map(|c| value(c.factsheet)).collect(),
    };
    let mut rows = vec![
        row("Case", "Period", "summary.period_start", &|f| {
            format::period(
                f.summary.period_start.as_ref(),
                f.summary.period_end.as_ref(),
            )
        }),
        row("Case", "Platforms", "summary.platforms", &|f| {
            let p: Vec<String> = f
                .summary
                .platforms
                .keys()
                .map(|p| format::capitalise(p))
                .collect();
            if p.is_empty() {
                NONE.to_owned()
            } else {
                p.join(", ")
            }
        }),
        row("Case", "Focus accounts", "focus_label", &|f| {
            f.focus_label.clone()
        }),
        row("Case", "Posts", "summary.posts", &|f| int(f.summary.posts)),
        row("Case", "Authors", "summary.authors", &|f| {
            int(f.summary.authors)
        }),
        row(
            "Case",
            "Focus accounts active / registered",
            "summary.focus_accounts_active",
            &|f| {
                format!(
                    "{} / {}",
                    int(f.summary.focus_accounts_active),
                    int(f.summary.focus_accounts_registered)
                )
            },
        ),
        row(
            "Case",
            "Posts by focus accounts",
            "summary.focus_posts",
            &|f| int(f.summary.focus_posts),
        ),
        row(
            "Headline box",
            "Followers (sum of the known)",
            "headline.followers",
            &|f| {
                let known: Vec<u64> = f.headline.iter().filter_map(|h| h.followers).collect();
                if known.is_empty() {
                    NONE.to_owned()
                } else {
                    int(known.iter().sum())
                }
            },
        ),
        row("Headline box", "Likes per post", "headline.likes", &|f| {
            let (t, k) = sum_known(
                f.headline
                    .iter()
                    .map(|h| (h.likes.total, h.likes.posts_known)),
            );
            per_post(t, k)
        }),
        row(
            "Headline box",
            "Comments per post",
            "headline.comments",
            &|f| {
                let (t, k) = sum_known(
                    f.headline
                        .iter()
                        .map(|h| (h.comments.total, h.comments.posts_known)),
                );
                per_post(t, k)
            },
        ),
        row("Headline box", "Shares per post", "headline.shares", &|f| {
            let (t, k) = sum_known(
                f.headline
                    .iter()
                    .map(|h| (h.shares.total, h.shares.posts_known)),
            );
            per_post(t, k)
        }),
        row(
            "Headline box",
            "Unique engagers (sum over accounts)",
            "headline.unique_engagers",
            &|f| int(f.headline.iter().map(|h| h.unique_engagers).sum()),
        ),
        row(
            "Headline box",
            "Broadcast ratio (posts : replies : reshares)",
            "headline.broadcast",
            &|f| {
                let (p, r, s) = f.headline.iter().fold((0, 0, 0), |(p, r, s), h| {
                    (
                        p + h.broadcast.own_posts,
                        r + h.broadcast.replies,
                        s + h.broadcast.reshares,
                    )
                });
                format!("{} : {} : {}", int(p), int(r), int(s))
            },
        ),
        row(
            "Voice",
            "Posts by focus accounts (no plain reshares)",
            "voice.government_posts",
            &|f| int(f.voice.government_posts),
        ),
        row(
            "Voice",
            "Of them replies",
            "voice.government_replies",
            &|f| int(f.voice.government_replies),
        ),
        row("Voice", "Referral share", "voice.referral_share", &|f| {
            pct(f.voice.referral_share)
        }),
    ];
    for mode in Mode::ALL {
        rows.push(Row {
            group: "Voice",
            measure: format!("Mode: {} ({})", mode_name(*mode), mode.dutch()),
            key: "voice.modes",
            values: cases
                .iter()
                .map(|c| {
                    let modes = &c.factsheet.voice.modes;
                    let n = modes.get(mode).copied().unwrap_or(0);
                    format!("{} ({})", int(n), format::pct_of(n, modes.values().sum()))
                })
                .collect(),
        });
    }
    rows.extend([
        row(
            "Dialogue",
            "Addressed to focus accounts",
            "dialogue.addressed",
            &|f| int(f.dialogue.addressed),
        ),
        row("Dialogue", "Answered", "dialogue.answered", &|f| {
            int(f.dialogue.answered)
        }),
        row("Dialogue", "Reply rate", "dialogue.reply_rate", &|f| {
            pct(f.dialogue.reply_rate)
        }),
        row(
            "Dialogue",
            "Median response time",
            "dialogue.response_time_seconds.median",
            &|f| duration(f.dialogue.response_time_seconds.median),
        ),
        row(
            "Dialogue",
            "90th percentile response time",
            "dialogue.response_time_seconds.p90",
            &|f| duration(f.dialogue.response_time_seconds.p90),
        ),
        row(
            "Dialogue",
            "Replies that go to the public",
            "dialogue.replies_to_public_share",
            &|f| pct(f.dialogue.replies_to_public_share),
        ),
    ]);
    // By whom: the reply rate and referral share of each sender role any case has.
    let mut roles: Vec<&str> = cases
        .iter()
        .flat_map(|c| {
            c.factsheet
                .breakdown
                .by_role
                .iter()
                .map(|s| s.label.as_str())
        })
        .collect();
    roles.sort_unstable();
    roles.dedup();
    for role in roles {
        let name = role
            .parse::<dialoog_model::Role>()
            .map_or_else(|_| format::capitalise(role), crate::spread::focus_role_name);
        let slice = |f: &Factsheet| {
            f.breakdown
                .by_role
                .iter()
                .find(|s| s.label == role)
                .cloned()
        };
        rows.push(Row {
            group: "By sender role",
            measure: format!("{name}: reply rate"),
            key: "breakdown.by_role.reply_rate",
            values: cases
                .iter()
                .map(|c| slice(c.factsheet).map_or_else(|| NONE.to_owned(), |s| pct(s.reply_rate)))
                .collect(),
        });
        rows.push(Row {
            group: "By sender role",
            measure: format!("{name}: referral share"),
            key: "breakdown.by_role.referral_share",
            values: cases
                .iter()
                .map(|c| {
                    slice(c.factsheet).map_or_else(|| NONE.to_owned(), |s| pct(s.referral_share))
                })
                .collect(),
        });
    }
    rows.extend([
        row("Activity", "Bursts", "activity.bursts", &|f| {
            int(f.activity.bursts.len() as u64)
        }),
        row("Network", "Accounts that interact", "network.nodes", &|f| {
            int(f.network.nodes)
        }),
        row(
            "Network",
            "Modularity (Louvain)",
            "network.modularity",
            &|f| {
                f.network
                    .modularity
                    .map_or_else(|| NONE.to_owned(), |q| format!("{q:.2}"))
            },
        ),
        row(
            "Network",
            "Co-engagement links",
            "co_engagement.edges",
            &|f| int(f.co_engagement.edges),
        ),
        row(
            "Spread",
            "Focus posts reshared or quoted",
            "spread.spread_posts",
            &|f| {
                format!(
                    "{} of {}",
                    int(f.spread.spread_posts),
                    int(f.spread.focus_posts)
                )
            },
        ),
        row(
            "Spread",
            "Reshares / quotes in cascades",
            "spread.reshares",
            &|f| format!("{} / {}", int(f.spread.reshares), int(f.spread.quotes)),
        ),
        row(
            "Spread",
            "Via non-government accounts",
            "spread.non_government_share",
            &|f| pct(f.spread.non_government_share),
        ),
        row(
            "Spread",
            "Median time to half of reshares",
            "spread.median_half_time_seconds",
            &|f| duration(f.spread.median_half_time_seconds),
        ),
    ]);
    rows
}

fn share_bars(
    cases: &[Case],
    value: &dyn Fn(&Factsheet) -> Option<f64>,
    colour: &str,
) -> Vec<HBar> {
    cases
        .iter()
        .map(|c| {
            let v = value(c.factsheet);
            HBar {
                label: c.label.clone(),
                value: v.map_or(0, |v| (v.clamp(0.0, 1.0) * 1000.0).round() as u64),
                colour: colour.into(),
                note: pct(v),
            }
        })
        .collect()
}

/// The comparison as a self-contained HTML page.
pub fn render_html(cases: &[Case]) -> Result<String, ReportError> {
    let err = |source| ReportError::Template {
        template: TEMPLATE,
        source,
    };
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.add_template(TEMPLATE, include_str!("../templates/compare.html"))
        .map_err(err)?;
    let reply = charts::hbars(
        "Reply rate: posts addressed to the focus accounts that were answered",
        &share_bars(cases, &|f| f.dialogue.reply_rate, palette::GREEN),
        1000,
    );
    let referral = charts::hbars(
        "Referral share: replies of the focus accounts that refer to another channel",
        &share_bars(cases, &|f| f.voice.referral_share, palette::VERMILLION),
        1000,
    );
    let rows = rows(cases);
    let mut groups: Vec<(&str, Vec<&Row>)> = Vec::new();
    for r in &rows {
        match groups.last_mut() {
            Some((g, list)) if *g == r.group => list.push(r),
            _ => groups.push((r.group, vec![r])),
        }
    }
    let data = serde_json::json!({
        "labels": cases.iter().map(|c| &c.label).collect::<Vec<_>>(),
        "titles": cases.iter().map(|c| &c.factsheet.title).collect::<Vec<_>>(),
        "groups": groups,
        "version": env!("CARGO_PKG_VERSION"),
    });
    let mut ctx: BTreeMap<String, Value> = BTreeMap::new();
    if let serde_json::Value::Object(map) = &data {
        for (k, v) in map {
            ctx.insert(k.clone(), to_value(v));
        }
    }
    ctx.insert("reply_chart".into(), Value::from_safe_string(reply));
    ctx.insert("referral_chart".into(), Value::from_safe_string(referral));
    env.get_template(TEMPLATE)
        .and_then(|t| t.render(Value::from(ctx)))
        .map_err(err)
}

/// The comparison as Markdown: one table, a column per case.
pub fn render_markdown(cases: &[Case]) -> String {
    let mut o = String::from("# Cases side by side\n\n");
    for (i, c) in cases.iter().enumerate() {
        let _ = writeln!(
            o,
            "{}. **{}**: {}",
            i + 1,
            md(&c.label),
            md(&c.factsheet.title)
        );
    }
    o.push('\n');
    let mut head = vec!["Measure".to_owned()];
    head.extend(cases.iter().map(|c| md(&c.label)));
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let mut right = vec![false];
    right.extend(cases.iter().map(|_| true));
    let mut group = "";
    let mut body: Vec<Vec<String>> = Vec::new();
    for r in rows(cases) {
        if r.group != group {
            if !body.is_empty() {
                table(&mut o, &head, &right, &body);
                body.clear();
            }
            let _ = writeln!(o, "## {}\n", r.group);
            group = r.group;
        }
        let mut cells = vec![md(&r.measure)];
        cells.extend(r.values.iter().map(|v| md(v)));
        body.push(cells);
    }
    if !body.is_empty() {
        table(&mut o, &head, &right, &body);
    }
    o.push_str("Every value is in the factsheet.json of its case (the key is in compare.json). Sums over accounts add the headline rows of each case's focus accounts; per-post figures are over the posts whose export gives the count; – is unknown.\n");
    o
}

/// The rows as JSON: labels, titles and every row with its source key.
pub fn render_json(cases: &[Case]) -> Result<String, ReportError> {
    #[derive(Serialize)]
    struct Out<'a> {
        labels: Vec<&'a str>,
        titles: Vec<&'a str>,
        rows: Vec<Row>,
    }
    let mut text = serde_json::to_string_pretty(&Out {
        labels: cases.iter().map(|c| c.label.as_str()).collect(),
        titles: cases.iter().map(|c| c.factsheet.title.as_str()).collect(),
        rows: rows(cases),
    })?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_by_side_rows_escape_and_keep_unknowns() {
        let a = crate::sample::webcare();
        let mut b = crate::sample::empty();
        b.title = "<script>alert(1)</script>".into();
        let cases = [
            Case {
                label: "Webcare".into(),
                factsheet: &a,
            },
            Case {
                label: "<b>Empty</b>".into(),
                factsheet: &b,
            },
        ];
        let rows = rows(&cases);
        let find = |m: &str| rows.iter().find(|r| r.measure == m).unwrap();
        assert_eq!(find("Reply rate").values, ["76.2%", NONE]);
        assert_eq!(find("Posts").values, ["5,666", "0"]);
        assert_eq!(find("Likes per post").values[1], NONE, "unknown, not 0");
        assert_eq!(
            find("Likes per post").values[0],
            "3.2",
            "1,318 likes over 412 posts"
        );
        assert_eq!(find("Government: reply rate").values, ["45.0%", NONE]);
        assert_eq!(find("Organisation: referral share").values, ["31.3%", NONE]);
        let html = render_html(&cases).unwrap();
        assert!(!html.contains("<script"), "titles are escaped");
        assert!(!html.contains("<b>Empty"), "labels are escaped");
        assert!(html.contains("&lt;b&gt;Empty"));
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "no external resources"
        );
        let md = render_markdown(&cases);
        assert!(md.contains("| Reply rate | 76.2% | – |"), "{md}");
        let json: serde_json::Value = serde_json::from_str(&render_json(&cases).unwrap()).unwrap();
        assert_eq!(json["labels"][1], "<b>Empty</b>");
    }
}
