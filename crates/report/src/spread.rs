//! The headline box per focus account, section 7 (spread) and the breakdown by sender and period:
//! their view for the HTML templates (templates/headline.html, spread.html, breakdown.html) and
//! their Markdown blocks. Unknown counts show as "–", never as 0.

use crate::charts::{self, Series, Stacked, palette};
use crate::format::{self, NONE, duration, int, pct};
use crate::html::{EXAMPLE_CHARS, TOP_ACCOUNTS, clip, main_mode, role_name};
use crate::markdown::{md, table};
use dialoog_analysis::{Breakdown, CountOnPosts, DomainCount, Factsheet, HeadlineAccount, Slice};
use dialoog_model::Role;
use serde_json::{Value as Json, json};
use std::fmt::Write as _;

/// Example texts in the cascade table are cut to this many characters.
const CASCADE_CHARS: usize = EXAMPLE_CHARS / 3;

/// An optional count: "–" when unknown.
fn known(n: Option<u64>) -> String {
    n.map_or_else(|| NONE.to_owned(), int)
}

/// A non-negative number with one decimal and thousands separators: "2,807.5".
pub fn decimal1(x: f64) -> String {
    if !x.is_finite() || x < 0.0 {
        return format!("{x:.1}");
    }
    let tenths = (x * 10.0).round() as u64;
    format!("{}.{}", int(tenths / 10), tenths % 10)
}

/// A count on posts as "total (per post)", "–" when unknown.
pub fn count_on_posts(c: &CountOnPosts) -> String {
    match (c.total, c.per_post) {
        (Some(total), Some(per)) => format!("{} ({}/post)", int(total), decimal1(per)),
        _ => NONE.to_owned(),
    }
}

/// A count on posts for the HTML table: the total, and the per-post figure under it.
fn count_cell(c: &CountOnPosts) -> Json {
    json!({
        "total": known(c.total),
        "per_post": c.per_post.map(|p| format!("{} per post", decimal1(p))),
    })
}

/// A plain ratio with one decimal (likes ÷ comments), "–" when unknown.
pub fn ratio1(x: Option<f64>) -> String {
    x.map_or_else(|| NONE.to_owned(), decimal1)
}

/// Engagers ÷ followers: a share, with two decimals when small.
pub fn small_pct(x: Option<f64>) -> String {
    match x {
        Some(x) if x > 0.0 && x < 0.01 => format!("{:.2}%", x * 100.0),
        _ => pct(x),
    }
}

/// The broadcast ratio "own posts : replies : reshares".
pub fn broadcast(h: &HeadlineAccount) -> String {
    let b = &h.broadcast;
    format!(
        "{} : {} : {}",
        int(b.own_posts),
        int(b.replies),
        int(b.reshares)
    )
}

/// The role of a focus account as shown: a focus account the registry does not know has the
/// default role citizen, which would mislead here.
pub fn focus_role_name(role: Role) -> String {
    if role == Role::Citizen {
        "Not in the registry".to_owned()
    } else {
        role_name(role)
    }
}

fn handle(h: &str) -> String {
    format!("@{h}")
}

/// Rows of the per-sender and per-period tables.
fn slice_row(s: &Slice) -> Json {
    json!({
        "label": s.label,
        "accounts": int(s.accounts),
        "posts": int(s.government_posts),
        "replies": int(s.government_replies),
        "referrals": int(s.referrals),
        "referral_share": pct(s.referral_share),
        "main_mode": main_mode(&s.modes),
        "addressed": int(s.addressed),
        "answered": int(s.answered),
        "reply_rate": pct(s.reply_rate),
        "median": duration(s.response_time_seconds.median),
    })
}

/// A period label: "Wed 10 Jan 2024" for days, "8 Jan 2024" for weeks (their Monday), "Jan 2024"
/// for months.
pub fn period_label(start: &str, period: &str) -> String {
    match chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d") {
        Ok(d) if period == "month" => d.format("%b %Y").to_string(),
        Ok(d) if period == "week" => d.format("%-d %b %Y").to_string(),
        Ok(d) => d.format("%a %-d %b %Y").to_string(),
        Err(_) => start.to_owned(),
    }
}

fn domain_rows(d: &[DomainCount]) -> Vec<Json> {
    d.iter()
        .map(|d| json!({"domain": d.domain, "links": int(d.links), "posts": int(d.posts)}))
        .collect()
}

/// An account row's platform as the headline and spread tables show it: only in a case of
/// several platforms, where one handle may have a row on each.
fn shown_platform(f: &Factsheet, platform: &str) -> Option<String> {
    (f.summary.platforms.len() > 1).then(|| format::capitalise(platform))
}

/// An account in a Markdown table: `@handle`, with its platform in a case of several.
fn account_in_markdown(f: &Factsheet, account: &str, platform: &str) -> String {
    match shown_platform(f, platform) {
        Some(platform) => format!("{} ({platform})", handle(account)),
        None => handle(account),
    }
}

/// The view of the headline box, the spread section and the breakdown for the templates.
pub(crate) fn view(f: &Factsheet) -> Json {
    let headline: Vec<Json> = f
        .headline
        .iter()
        .take(TOP_ACCOUNTS)
        .map(|h| {
            json!({
                "handle": h.handle,
                "platform": shown_platform(f, &h.platform),
                "role": focus_role_name(h.role),
                "followers": known(h.followers),
                "posts": int(h.posts),
                "likes": count_cell(&h.likes),
                "comments": count_cell(&h.comments),
                "shares": count_cell(&h.shares),
                "engagers": int(h.unique_engagers),
                "engagers_per_follower": small_pct(h.engagers_per_follower),
                "likes_per_comment": ratio1(h.likes_per_comment),
                "broadcast": broadcast(h),
            })
        })
        .collect();
    let s = &f.spread;
    let cascades: Vec<Json> = s
        .top
        .iter()
        .map(|c| {
            json!({
                "text": if c.post.text.trim().is_empty() { NONE.to_owned() } else { clip(&c.post.text, CASCADE_CHARS) },
                "handle": c.post.author_handle,
                "date": format::date_time(&c.post.created_at),
                "url": c.post.url,
                "size": int(c.size),
                "reshares": int(c.reshares),
                "quotes": int(c.quotes),
                "depth": int(c.depth),
                "half": duration(c.half_time_seconds),
                "accounts": int(c.accounts),
                "outside": int(c.non_government_accounts),
            })
        })
        .collect();
    let spread_accounts: Vec<Json> = s
        .by_account
        .iter()
        .take(TOP_ACCOUNTS)
        .map(|a| {
            json!({
                "handle": a.handle,
                "platform": shown_platform(f, &a.platform),
                "posts": int(a.posts),
                "spread": int(a.spread_posts),
                "cascade": int(a.cascade_posts),
                "outside": pct(a.non_government_share),
            })
        })
        .collect();
    let b: &Breakdown = &f.breakdown;
    let periods: Vec<Json> = b
        .by_period
        .iter()
        .map(|p| {
            let mut row = slice_row(p);
            row["label"] = Json::from(period_label(&p.label, &b.period));
            row
        })
        .collect();
    json!({
        "headline": {
            "rows": headline,
            // Whether the export gives any follower, like, comment or share count: without any,
            // those columns would only say "unknown".
            "has_counts": f.headline.iter().any(|h| h.followers.is_some()
                || h.likes.total.is_some()
                || h.comments.total.is_some()
                || h.shares.total.is_some()),
            "more": f.headline.len().saturating_sub(TOP_ACCOUNTS),
            "total": f.headline.len(),
        },
        "spread": {
            "focus_posts": int(s.focus_posts),
            "spread_posts": int(s.spread_posts),
            "spread_share": format::pct_of(s.spread_posts, s.focus_posts),
            "reshares": int(s.reshares),
            "quotes": int(s.quotes),
            "exported": known(s.reshares_exported),
            "outside": pct(s.non_government_share),
            "outside_raw": format::raw_f64(s.non_government_share),
            "outside_followers": pct(s.non_government_follower_share),
            "max_size": int(s.max_size),
            "max_depth": int(s.max_depth),
            "half": duration(s.median_half_time_seconds),
            "cascades": cascades,
            "accounts": spread_accounts,
            "accounts_more": s.by_account.len().saturating_sub(TOP_ACCOUNTS),
            "domains_focus": domain_rows(&s.domains_focus),
            "domains_citizens": domain_rows(&s.domains_citizens),
        },
        "breakdown": {
            "roles": b.by_role.iter().map(|r| {
                let mut row = slice_row(r);
                row["label"] = Json::from(
                    r.label
                        .parse::<Role>()
                        .map_or_else(|_| format::capitalise(&r.label), focus_role_name),
                );
                row
            }).collect::<Vec<_>>(),
            "period": b.period,
            "period_heading": match b.period.as_str() {
                "week" => "Week from",
                "month" => "Month",
                _ => "Day",
            },
            "periods": periods,
        },
    })
}

/// The chart of the breakdown by period: posts addressed to the focus accounts per period,
/// answered and not; empty when nothing was addressed.
pub(crate) fn charts(f: &Factsheet) -> Vec<(&'static str, String)> {
    let b = &f.breakdown;
    if b.by_period.iter().all(|p| p.addressed == 0) {
        return Vec::new();
    }
    let focus = if f.focus_label.trim().is_empty() {
        "government"
    } else {
        f.focus_label.trim()
    };
    let chart = charts::stacked(&Stacked {
        title: format!(
            "Posts addressed to {focus} per {}, answered and not",
            b.period
        ),
        categories: b
            .by_period
            .iter()
            .map(|p| period_label(&p.label, &b.period))
            .collect(),
        series: vec![
            Series {
                name: "Answered".into(),
                colour: palette::GREEN.into(),
                values: b.by_period.iter().map(|p| p.answered).collect(),
            },
            Series {
                name: "Not answered".into(),
                colour: palette::SKY_BLUE.into(),
                values: b
                    .by_period
                    .iter()
                    .map(|p| p.addressed.saturating_sub(p.answered))
                    .collect(),
            },
        ],
        legend: true,
        height: 140.0,
        ..Stacked::default()
    });
    vec![("by_period", chart)]
}

/// The headline box as Markdown.
pub(crate) fn headline_markdown(o: &mut String, f: &Factsheet) {
    if f.headline.is_empty() {
        return;
    }
    let _ = writeln!(o, "### Headline box per account\n");
    let rows: Vec<Vec<String>> = f
        .headline
        .iter()
        .take(TOP_ACCOUNTS)
        .map(|h| {
            vec![
                md(&account_in_markdown(f, &h.handle, &h.platform)),
                known(h.followers),
                int(h.posts),
                count_on_posts(&h.likes),
                count_on_posts(&h.comments),
                count_on_posts(&h.shares),
                int(h.unique_engagers),
                small_pct(h.engagers_per_follower),
                ratio1(h.likes_per_comment),
                broadcast(h),
            ]
        })
        .collect();
    table(
        o,
        &[
            "Account",
            "Followers",
            "Posts",
            "Likes",
            "Comments",
            "Shares",
            "Unique engagers",
            "Engagers ÷ followers",
            "Likes ÷ comments",
            "Posts : replies : reshares",
        ],
        &[false, true, true, true, true, true, true, true, true, true],
        &rows,
    );
    o.push_str("Likes, comments and shares as the export counts them (– where it does not); engagers: distinct accounts whose replies, reshares or quotes of the account's posts are in the data.\n\n");
}

/// Section 7 as Markdown.
pub(crate) fn spread_markdown(o: &mut String, f: &Factsheet, focus: &str) {
    let s = &f.spread;
    o.push_str("## 7. Spread\n\n");
    table(
        o,
        &["Measure", "Value"],
        &[false, true],
        &[
            vec![
                format!("Posts by {focus} reshared or quoted in the data"),
                format!("{} of {}", int(s.spread_posts), int(s.focus_posts)),
            ],
            vec![
                "Reshares / quotes in their cascades".into(),
                format!("{} / {}", int(s.reshares), int(s.quotes)),
            ],
            vec!["Reshares as exported".into(), known(s.reshares_exported)],
            vec![
                "Share via non-government accounts".into(),
                pct(s.non_government_share),
            ],
            vec![
                "… weighted by followers".into(),
                pct(s.non_government_follower_share),
            ],
            vec![
                "Largest cascade / deepest".into(),
                format!("{} / {}", int(s.max_size), int(s.max_depth)),
            ],
            vec![
                "Median time to half of reshares".into(),
                duration(s.median_half_time_seconds),
            ],
        ],
    );
    if !s.top.is_empty() {
        o.push_str("### Largest cascades\n\n");
        let rows: Vec<Vec<String>> = s
            .top
            .iter()
            .map(|c| {
                vec![
                    format!(
                        "{}: {}",
                        md(&handle(&c.post.author_handle)),
                        md(&clip(&c.post.text, CASCADE_CHARS))
                    ),
                    int(c.size),
                    int(c.reshares),
                    int(c.quotes),
                    int(c.depth),
                    duration(c.half_time_seconds),
                    format!(
                        "{} ({} outside)",
                        int(c.accounts),
                        int(c.non_government_accounts)
                    ),
                ]
            })
            .collect();
        table(
            o,
            &[
                "Post",
                "Size",
                "Reshares",
                "Quotes",
                "Depth",
                "Time to half",
                "Accounts",
            ],
            &[false, true, true, true, true, true, true],
            &rows,
        );
    }
    if s.spread_posts > 0 {
        let _ = writeln!(o, "### Per account\n");
        let rows: Vec<Vec<String>> = s
            .by_account
            .iter()
            .take(TOP_ACCOUNTS)
            .map(|a| {
                vec![
                    md(&account_in_markdown(f, &a.handle, &a.platform)),
                    int(a.posts),
                    int(a.spread_posts),
                    int(a.cascade_posts),
                    pct(a.non_government_share),
                ]
            })
            .collect();
        table(
            o,
            &[
                "Account",
                "Posts",
                "Spread",
                "Reshares and quotes",
                "Outside",
            ],
            &[false, true, true, true, true],
            &rows,
        );
    }
    for (title, list) in [
        (format!("Domains linked by {focus}"), &s.domains_focus),
        ("Domains linked by citizens".to_owned(), &s.domains_citizens),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(o, "### {title}\n");
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|d| vec![md(&d.domain), int(d.links), int(d.posts)])
            .collect();
        table(
            o,
            &["Domain", "Links", "Posts"],
            &[false, true, true],
            &rows,
        );
    }
}

/// The breakdown by sender role and by period as Markdown.
pub(crate) fn breakdown_markdown(o: &mut String, f: &Factsheet) {
    let b = &f.breakdown;
    let head = [
        "Posts",
        "Replies",
        "Referral share",
        "Main mode",
        "Addressed",
        "Answered",
        "Reply rate",
        "Median response",
    ];
    let cells = |s: &Slice| -> Vec<String> {
        vec![
            int(s.government_posts),
            int(s.government_replies),
            pct(s.referral_share),
            main_mode(&s.modes),
            int(s.addressed),
            int(s.answered),
            pct(s.reply_rate),
            duration(s.response_time_seconds.median),
        ]
    };
    let right = [false, true, true, true, true, false, true, true, true, true];
    if !b.by_role.is_empty() {
        o.push_str("### By sender role\n\n");
        let mut h = vec!["Role", "Accounts"];
        h.extend(head);
        let rows: Vec<Vec<String>> = b
            .by_role
            .iter()
            .map(|s| {
                let label = s
                    .label
                    .parse::<Role>()
                    .map_or_else(|_| format::capitalise(&s.label), focus_role_name);
                let mut row = vec![md(&label), int(s.accounts)];
                row.extend(cells(s));
                row
            })
            .collect();
        table(o, &h, &right, &rows);
    }
    if !b.by_period.is_empty() {
        let _ = writeln!(o, "### By {}\n", md(&b.period));
        if b.period == "week" {
            o.push_str("Weeks start on Monday; each row is labelled by its Monday.\n\n");
        }
        let mut h = vec!["Period"];
        h.extend(head);
        let rows: Vec<Vec<String>> = b
            .by_period
            .iter()
            .map(|s| {
                let mut row = vec![md(&period_label(&s.label, &b.period))];
                row.extend(cells(s));
                row
            })
            .collect();
        table(o, &h, &right[1..], &rows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_counts_show_as_unknown() {
        assert_eq!(count_on_posts(&CountOnPosts::default()), NONE);
        let c = CountOnPosts {
            total: Some(1200),
            posts_known: 3,
            per_post: Some(400.0),
        };
        assert_eq!(count_on_posts(&c), "1,200 (400.0/post)");
        assert_eq!(known(None), NONE);
        assert_eq!(small_pct(Some(4.0 / 1200.0)), "0.33%");
        assert_eq!(ratio1(None), NONE);
        assert_eq!(decimal1(2807.45), "2,807.5");
        assert_eq!(decimal1(0.04), "0.0");
        assert_eq!(period_label("2024-01-08", "week"), "8 Jan 2024");
        assert_eq!(period_label("2024-01-01", "month"), "Jan 2024");
        assert_eq!(period_label("2024-01-10", "day"), "Wed 10 Jan 2024");
        assert_eq!(focus_role_name(Role::Citizen), "Not in the registry");
        assert_eq!(focus_role_name(Role::Politician), "Politician");
    }
}
