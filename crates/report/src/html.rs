//! The HTML factsheet: a view model of formatted numbers (each stable number also carried raw in a
//! `data-value` attribute), SVG charts, and one minijinja template with HTML auto-escaping.

use crate::ReportError;
use crate::charts::{self, HBar, Marker, Series, Span, Stacked, palette};
use crate::format::{self, int, pct, pct_of};
use chrono::{DateTime, FixedOffset, Utc};
use dialoog_analysis::{
    AccountDialogue, AccountVoice, Burst, EdgeKind, Factsheet, Network, ResponseTime,
};
use dialoog_model::{Mode, Role};
use minijinja::{Environment, Value};
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;

const TEMPLATE: &str = "factsheet.html";
/// Section templates the main template includes, each in its own file.
const SECTIONS: [(&str, &str); 5] = [
    ("reaction.html", include_str!("../templates/reaction.html")),
    ("headline.html", include_str!("../templates/headline.html")),
    (
        "breakdown.html",
        include_str!("../templates/breakdown.html"),
    ),
    ("spread.html", include_str!("../templates/spread.html")),
    ("privacy.html", include_str!("../templates/privacy.html")),
];
/// Example texts longer than this are cut (with an ellipsis); the full text is in factsheet.json.
pub const EXAMPLE_CHARS: usize = 480;

/// The first `max` characters of `text`, cut at a word boundary, with "…" when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut
        .rfind(char::is_whitespace)
        .filter(|i| *i > max / 2)
        .unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

/// Rows shown in the per-account tables; the rest is in factsheet.json.
pub const TOP_ACCOUNTS: usize = 15;
/// Bursts shown: the heaviest, in time order; the rest is in factsheet.json.
pub const TOP_BURSTS: usize = 10;
/// Characteristic terms shown per burst.
pub const BURST_TERMS: usize = 6;

/// A PageRank as shown: four decimals.
pub fn rank(x: f64) -> String {
    format!("{x:.4}")
}

/// A betweenness as shown: three decimals, "–" when not computed.
pub fn betweenness(x: Option<f64>) -> String {
    x.map_or_else(|| format::NONE.to_owned(), |b| format!("{b:.3}"))
}

/// The edge types as rows: (type name, edges, interactions).
pub fn edge_rows(n: &Network) -> Vec<(String, u64, u64)> {
    EdgeKind::ALL
        .iter()
        .map(|k| {
            (
                format::capitalise(k.as_str()),
                n.edges_by_type.get(k).copied().unwrap_or(0),
                n.interactions_by_type.get(k).copied().unwrap_or(0),
            )
        })
        .collect()
}

/// The bursts to show: the `TOP_BURSTS` of largest weight, in time order.
pub fn burst_rows(bursts: &[Burst]) -> Vec<&Burst> {
    let mut rows: Vec<&Burst> = bursts.iter().collect();
    rows.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.start.cmp(&b.start)));
    rows.truncate(TOP_BURSTS);
    rows.sort_by(|a, b| a.start.cmp(&b.start));
    rows
}

/// A burst's terms as shown: the first `BURST_TERMS`, comma-separated.
pub fn burst_terms(b: &Burst) -> String {
    let terms: Vec<&str> = b
        .terms
        .iter()
        .take(BURST_TERMS)
        .map(|t| t.term.as_str())
        .collect();
    if terms.is_empty() {
        format::NONE.to_owned()
    } else {
        terms.join(", ")
    }
}

/// The page of `f`, with its network's [`crate::netplot::Drawing`] when already worked out.
pub fn render(
    f: &Factsheet,
    drawing: Option<&crate::netplot::Drawing>,
) -> Result<String, ReportError> {
    let err = |source| ReportError::Template {
        template: TEMPLATE,
        source,
    };
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    env.add_template(TEMPLATE, include_str!("../templates/factsheet.html"))
        .map_err(err)?;
    for (name, source) in SECTIONS {
        env.add_template(name, source).map_err(err)?;
    }
    let drawn;
    let drawing = match drawing {
        Some(drawing) => drawing,
        None => {
            drawn = crate::netplot::Drawing::of(&f.network.graph);
            &drawn
        }
    };
    let mut data = view(f, drawing);
    if let (Json::Object(all), Json::Object(more)) = (&mut data, crate::spread::view(f)) {
        all.extend(more);
    }
    if let Json::Object(all) = &mut data {
        let focus = all["focus"].as_str().unwrap_or("government").to_owned();
        all.insert("privacy".into(), crate::privacy::view(f, &focus));
    }
    let mut ctx = match to_value(&data) {
        v if v.kind() == minijinja::value::ValueKind::Map => v,
        _ => unreachable!("the view is an object"),
    };
    let charts: BTreeMap<String, Value> = charts_of(f, drawing)
        .into_iter()
        .chain(crate::spread::charts(f))
        .map(|(k, svg)| (k.to_owned(), Value::from_safe_string(svg)))
        .collect();
    let mut top: BTreeMap<String, Value> = BTreeMap::new();
    top.insert("v".into(), std::mem::take(&mut ctx));
    top.insert("charts".into(), Value::from(charts));
    env.get_template(TEMPLATE)
        .and_then(|t| t.render(Value::from(top)))
        .map_err(err)
}

/// serde_json → minijinja, keeping object key order irrelevant (templates index by name).
pub(crate) fn to_value(v: &Json) -> Value {
    match v {
        Json::Null => Value::from(()),
        Json::Bool(b) => Value::from(*b),
        Json::Number(num) => match (num.as_u64(), num.as_i64()) {
            (Some(u), _) => Value::from(u),
            (_, Some(i)) => Value::from(i),
            _ => Value::from(num.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::from(s.as_str()),
        Json::Array(a) => Value::from(a.iter().map(to_value).collect::<Vec<_>>()),
        Json::Object(o) => Value::from(
            o.iter()
                .map(|(k, v)| (k.clone(), to_value(v)))
                .collect::<BTreeMap<String, Value>>(),
        ),
    }
}

/// A number as shown, with its stable key and exact JSON value for `data-key`/`data-value`.
fn num(key: &str, raw: String, shown: String) -> Json {
    json!({ "key": key, "raw": raw, "shown": shown })
}

pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Inform => "Inform",
        Mode::Advise => "Advise",
        Mode::Consult => "Consult",
        Mode::CoDecide => "Co-decide",
        Mode::CoProduce => "Co-produce",
        Mode::Internal => "Internal",
        Mode::Referral => "Referral",
        Mode::Other => "Other",
    }
}

pub fn role_name(role: Role) -> String {
    format::capitalise(role.as_str())
}

fn response(rt: &ResponseTime) -> Json {
    json!({
        "n": int(rt.n),
        "median": format::duration(rt.median),
        "p90": format::duration(rt.p90),
        "mean": format::duration(rt.mean),
    })
}

/// Per-account dialogue rows, most addressed first.
pub fn dialogue_rows(accounts: &[AccountDialogue]) -> Vec<&AccountDialogue> {
    let mut rows: Vec<&AccountDialogue> = accounts.iter().collect();
    rows.sort_by(|a, b| b.addressed.cmp(&a.addressed).then(a.handle.cmp(&b.handle)));
    rows
}

/// Per-account voice rows, most posts first.
pub fn voice_rows(accounts: &[AccountVoice]) -> Vec<&AccountVoice> {
    let mut rows: Vec<&AccountVoice> = accounts.iter().collect();
    rows.sort_by(|a, b| b.posts.cmp(&a.posts).then(a.handle.cmp(&b.handle)));
    rows
}

/// The most frequent mode of an account ("–" when it has none).
pub fn main_mode(modes: &BTreeMap<Mode, u64>) -> String {
    modes
        .iter()
        .filter(|(_, n)| **n > 0)
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map_or_else(
            || format::NONE.to_owned(),
            |(m, _)| mode_name(*m).to_owned(),
        )
}

fn view(f: &Factsheet, drawing: &crate::netplot::Drawing) -> Json {
    let s = &f.summary;
    let d = &f.dialogue;
    let v = &f.voice;
    let m = &f.method;
    let a = &f.activity;
    let focus = f.focus_label.trim();
    let focus = if focus.is_empty() {
        "government"
    } else {
        focus
    };

    let rt = &d.response_time_seconds;
    let headline = json!({
        "posts": num("summary.posts", s.posts.to_string(), int(s.posts)),
        "authors": num("summary.authors", s.authors.to_string(), int(s.authors)),
        "focus_active": num("summary.focus_accounts_active", s.focus_accounts_active.to_string(), int(s.focus_accounts_active)),
        "focus_registered": num("summary.focus_accounts_registered", s.focus_accounts_registered.to_string(), int(s.focus_accounts_registered)),
        "focus_posts": num("summary.focus_posts", s.focus_posts.to_string(), int(s.focus_posts)),
        "reply_rate": num("dialogue.reply_rate", format::raw_f64(d.reply_rate), pct(d.reply_rate)),
        "addressed": num("dialogue.addressed", d.addressed.to_string(), int(d.addressed)),
        "answered": num("dialogue.answered", d.answered.to_string(), int(d.answered)),
        "median": num("dialogue.response_time_seconds.median", format::raw_f64(rt.median), format::duration(rt.median)),
        "p90": num("dialogue.response_time_seconds.p90", format::raw_f64(rt.p90), format::duration(rt.p90)),
        "mean": num("dialogue.response_time_seconds.mean", format::raw_f64(rt.mean), format::duration(rt.mean)),
        "rt_n": num("dialogue.response_time_seconds.n", rt.n.to_string(), int(rt.n)),
        "referral_share": num("voice.referral_share", format::raw_f64(v.referral_share), pct(v.referral_share)),
        "referrals": num("voice.referrals", v.referrals.to_string(), int(v.referrals)),
        "government_replies": num("voice.government_replies", v.government_replies.to_string(), int(v.government_replies)),
        "government_posts": num("voice.government_posts", v.government_posts.to_string(), int(v.government_posts)),
        "reciprocity": num("dialogue.replies_to_public_share", format::raw_f64(d.replies_to_public_share), pct(d.replies_to_public_share)),
    });

    let dq = &s.data_quality;
    let data_quality = json!([
        {"label": "Records read", "value": num("summary.data_quality.read", dq.read.to_string(), int(dq.read))},
        {"label": "Stored (new posts)", "value": num("summary.data_quality.stored", dq.stored.to_string(), int(dq.stored))},
        {"label": "Updated (new counts)", "value": num("summary.data_quality.updated", dq.updated.to_string(), int(dq.updated))},
        {"label": "Duplicates", "value": num("summary.data_quality.duplicates", dq.duplicates.to_string(), int(dq.duplicates))},
        {"label": "Quarantined (unreadable)", "value": num("summary.data_quality.quarantined", dq.quarantined.to_string(), int(dq.quarantined))},
    ]);

    let count_rows = |items: Vec<(String, String, u64)>, total: u64| -> Json {
        Json::Array(
            items
                .into_iter()
                .map(|(key, label, n)| {
                    json!({"label": label, "value": num(&key, n.to_string(), int(n)), "share": pct_of(n, total)})
                })
                .collect(),
        )
    };
    let platforms = count_rows(
        s.platforms
            .iter()
            .map(|(p, n)| (format!("summary.platforms.{p}"), format::capitalise(p), *n))
            .collect(),
        s.posts,
    );
    let roles = count_rows(
        s.posts_by_role
            .iter()
            .map(|(r, n)| (format!("summary.posts_by_role.{r}"), role_name(*r), *n))
            .collect(),
        s.posts,
    );
    let kinds = count_rows(
        s.posts_by_kind
            .iter()
            .map(|(k, n)| {
                (
                    format!("summary.posts_by_kind.{k}"),
                    format::capitalise(k.as_str()),
                    *n,
                )
            })
            .collect(),
        s.posts,
    );

    // Activity.
    let positions = event_positions(f);
    let events: Vec<Json> = a
        .events
        .iter()
        .zip(&positions)
        .enumerate()
        .map(|(i, (e, pos))| {
            json!({
                "tag": (i + 1).to_string(),
                "at": event_time(f, &e.at),
                "label": e.label,
                "outside": pos.is_none(),
            })
        })
        .collect();
    let bucket_word = if a.bucket == "hour" { "hour" } else { "day" };
    let peak = a.peak.as_ref().filter(|p| p.total > 0).map(|p| {
        json!({
            "label": format::bucket_label(&p.start, &a.bucket),
            "total": int(p.total),
            "raw": p.total.to_string(),
        })
    });
    let series_totals: u64 = a.series.iter().map(|b| b.total).sum();
    let bursts: Vec<Json> = burst_rows(&a.bursts)
        .into_iter()
        .map(|b| {
            json!({
                "span": format::span(&b.start, &b.end),
                "hours": int(b.hours),
                "posts": int(b.posts),
                "peak": format::bucket_label(&b.peak_hour, "hour"),
                "peak_posts": int(b.peak_posts),
                "weight": int(b.weight.round() as u64),
                "terms": burst_terms(b),
            })
        })
        .collect();

    // Voice.
    let modes: Vec<Json> = Mode::ALL
        .iter()
        .map(|mode| {
            let n = v.modes.get(mode).copied().unwrap_or(0);
            json!({
                "name": mode_name(*mode),
                "dutch": mode.dutch(),
                "value": num(&format!("voice.modes.{mode}"), n.to_string(), int(n)),
                "share": pct_of(n, v.modes.values().sum()),
            })
        })
        .collect();
    let examples: Vec<Json> = Mode::ALL
        .iter()
        .filter_map(|mode| {
            let items: Vec<Json> = v
                .examples
                .iter()
                .filter(|e| e.mode == *mode)
                .map(|e| {
                    json!({
                        "text": clip(&e.post.text, EXAMPLE_CHARS),
                        "handle": e.post.author_handle,
                        "platform": format::capitalise(&e.post.platform),
                        "date": format::date_time(&e.post.created_at),
                        "rule": e.rule,
                        "url": e.post.url,
                        "id": e.post.id,
                    })
                })
                .collect();
            (!items.is_empty())
                .then(|| json!({"mode": mode_name(*mode), "dutch": mode.dutch(), "items": items}))
        })
        .collect();
    let voice_accounts = voice_rows(&v.by_account);
    let voice_table: Vec<Json> = voice_accounts
        .iter()
        .take(TOP_ACCOUNTS)
        .map(|acc| {
            json!({
                "handle": acc.handle,
                "posts": int(acc.posts),
                "replies": int(acc.replies),
                "referrals": int(acc.referrals),
                "referral_share": pct(acc.referral_share),
                "main_mode": main_mode(&acc.modes),
            })
        })
        .collect();

    // Dialogue.
    let dialogue_accounts = dialogue_rows(&d.by_account);
    let dialogue_table: Vec<Json> = dialogue_accounts
        .iter()
        .take(TOP_ACCOUNTS)
        .map(|acc| {
            json!({
                "handle": acc.handle,
                "addressed": int(acc.addressed),
                "answered": int(acc.answered),
                "reply_rate": pct(acc.reply_rate),
                "rt": response(&acc.response_time_seconds),
            })
        })
        .collect();
    let bands: Vec<Json> = d
        .distribution
        .iter()
        .map(|b| {
            json!({
                "label": b.label,
                "count": int(b.count),
                "share": pct_of(b.count, d.distribution.iter().map(|b| b.count).sum()),
            })
        })
        .collect();

    // Network.
    let n = &f.network;
    let network_accounts: Vec<Json> = n
        .top_accounts
        .iter()
        .take(TOP_ACCOUNTS)
        .enumerate()
        .map(|(i, acc)| {
            json!({
                "rank": i + 1,
                "handle": acc.handle,
                "focus": acc.focus,
                "role": role_name(acc.role),
                "in": int(acc.in_degree),
                "out": int(acc.out_degree),
                "pagerank": rank(acc.pagerank),
                "pagerank_raw": acc.pagerank.to_string(),
                "betweenness": betweenness(acc.betweenness),
            })
        })
        .collect();
    let edge_types: Vec<Json> = edge_rows(n)
        .into_iter()
        .map(|(name, edges, interactions)| {
            json!({
                "name": name,
                "key": format!("network.edges_by_type.{}", name.to_lowercase()),
                "edges": num(&format!("network.edges_by_type.{}", name.to_lowercase()), edges.to_string(), int(edges)),
                "interactions": int(interactions),
            })
        })
        .collect();
    let interactions: u64 = n.interactions_by_type.values().sum();
    let colours = &drawing.colours;
    let communities: Vec<Json> = n
        .communities
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "colour": colours.get(&c.id).copied(),
                "accounts": int(c.accounts),
                "share": pct_of(c.accounts, n.nodes),
                "focus": int(c.focus_accounts),
                "posts": int(c.posts),
                "top": c.top_accounts.iter().map(|h| format!("@{h}")).collect::<Vec<_>>().join(", "),
                "terms": c.terms.iter().take(BURST_TERMS).map(|t| t.term.as_str()).collect::<Vec<_>>().join(", "),
            })
        })
        .collect();

    // Method.
    let input_row = |fs: &dialoog_model::FileStats| {
        json!({
            "path": fs.path,
            "format": fs.format,
            "read": int(fs.read),
            "stored": int(fs.stored),
            "updated": int(fs.updated),
            "duplicates": int(fs.duplicates),
            "quarantined": int(fs.quarantined),
        })
    };
    let inputs: Vec<Json> = m.inputs.iter().map(input_row).collect();
    let mut total = dialoog_model::FileStats {
        path: "Total".into(),
        ..Default::default()
    };
    for fs in &m.inputs {
        total.read += fs.read;
        total.stored += fs.stored;
        total.updated += fs.updated;
        total.duplicates += fs.duplicates;
        total.quarantined += fs.quarantined;
    }
    let rules: Vec<Json> = v
        .rules
        .iter()
        .map(|r| {
            json!({"id": r.id, "mode": mode_name(r.mode), "language": r.language, "pattern": r.pattern, "description": r.description})
        })
        .collect();
    let definitions: Vec<Json> = m
        .definitions
        .iter()
        .map(|(term, def)| json!({"term": term, "definition": def}))
        .collect();

    json!({
        "title": f.title,
        "description": f.description,
        "focus": focus,
        "Focus": format::capitalise(focus),
        "generated": format::date_time(&f.generated_at),
        "generated_raw": f.generated_at.to_rfc3339(),
        "period": format::period(s.period_start.as_ref(), s.period_end.as_ref()),
        "platform_list": s.platforms.keys().map(|p| format::capitalise(p)).collect::<Vec<_>>().join(", "),
        "empty": s.posts == 0,
        "h": headline,
        "headlines": s.headlines,
        "data_quality": data_quality,
        "platforms": platforms,
        "roles": roles,
        "kinds": kinds,
        "activity": {
            "time_zone": if a.time_zone.is_empty() { "UTC" } else { a.time_zone.as_str() },
            "bucket": bucket_word,
            "buckets": int(a.series.len() as u64),
            "total": int(series_totals),
            "events": events,
            "peak": peak,
            "has_hours": a.hour_of_day.iter().any(|h| h.values().any(|n| *n > 0)),
            "bursts": bursts,
            "bursts_total": a.bursts.len(),
            "bursts_more": a.bursts.len().saturating_sub(TOP_BURSTS),
        },
        "voice": {
            "modes": modes,
            "examples": examples,
            "accounts": voice_table,
            "accounts_more": voice_accounts.len().saturating_sub(TOP_ACCOUNTS),
            "accounts_total": voice_accounts.len(),
        },
        "dialogue": {
            "bands": bands,
            "unanswered": int(d.addressed.saturating_sub(d.answered)),
            "accounts": dialogue_table,
            "accounts_more": dialogue_accounts.len().saturating_sub(TOP_ACCOUNTS),
            "accounts_total": dialogue_accounts.len(),
        },
        "network": {
            "nodes": num("network.nodes", n.nodes.to_string(), int(n.nodes)),
            "edges": num("network.edges", n.edges.to_string(), int(n.edges)),
            "interactions": int(interactions),
            "focus_accounts": int(n.focus_accounts),
            "self_loops": int(n.self_loops),
            "unresolved": int(n.unresolved),
            "betweenness": n.betweenness_computed,
            "drawn": n.graph.nodes.len().min(crate::netplot::NODES),
            "core": n.graph.nodes.len().min(crate::netplot::CORE),
            "labelled": n.graph.nodes.len().min(crate::netplot::LABELS),
            "rounds": crate::netplot::ROUNDS,
            "types": edge_types,
            "accounts": network_accounts,
            "accounts_more": n.top_accounts.len().saturating_sub(TOP_ACCOUNTS),
            "accounts_total": n.nodes,
            "modularity": num("network.modularity", format::raw_f64(n.modularity), n.modularity.map_or_else(|| format::NONE.to_owned(), |q| format!("{q:.2}"))),
            "community_count": int(n.community_count),
            "communities": communities,
            "communities_more": n.community_count.saturating_sub(n.communities.len() as u64),
        },
        "reaction": crate::reaction::view(f),
        "co": {
            "min_weight": f.co_engagement.min_weight,
            "nodes": num("co_engagement.nodes", f.co_engagement.nodes.to_string(), int(f.co_engagement.nodes)),
            "edges": num("co_engagement.edges", f.co_engagement.edges.to_string(), int(f.co_engagement.edges)),
            "posts": int(f.co_engagement.posts_considered),
            "skipped": int(f.co_engagement.posts_skipped),
            "modularity": f.co_engagement.modularity.map(|q| format!("{q:.2}")),
            "communities": int(f.co_engagement.community_count),
            "top": f.co_engagement.top_accounts.iter().take(10).map(|a| json!({"handle": a.handle, "focus": a.focus, "role": role_name(a.role), "weight": int(a.in_degree)})).collect::<Vec<_>>(),
        },
        "method": {
            "version": m.dialoog_version,
            "store": m.store,
            "inputs": inputs,
            "total": if m.inputs.len() > 1 { input_row(&total) } else { Json::Null },
            "skipped": m.skipped.iter().map(|s| json!({"path": s.path, "reason": s.reason})).collect::<Vec<_>>(),
            "registry": m.registry,
            "registry_accounts": int(m.registry_accounts),
            "case_file": m.case_file,
            "source_note": m.source_note,
            "definitions": definitions,
            "rules": rules,
        },
    })
}

/// An event's time in the activity chart's local time (the offset of the bucket it falls in, or
/// of the nearest bucket), with the time zone's name; in UTC when no bucket says its offset.
pub fn event_time(f: &Factsheet, at: &DateTime<Utc>) -> String {
    let offsets: Vec<DateTime<FixedOffset>> = f
        .activity
        .series
        .iter()
        .filter_map(|b| DateTime::parse_from_rfc3339(&b.start).ok())
        .collect();
    let offset = offsets
        .iter()
        .rev()
        .find(|s| *s <= at)
        .or(offsets.first())
        .map(|s| *s.offset());
    match offset {
        Some(o) if o.local_minus_utc() != 0 || !is_utc(&f.activity.time_zone) => format!(
            "{} {}",
            at.with_timezone(&o).format("%-d %b %Y, %H:%M"),
            f.activity.time_zone
        ),
        _ => format::date_time(at),
    }
}

fn is_utc(tz: &str) -> bool {
    matches!(tz.trim(), "" | "UTC" | "Etc/UTC" | "Z" | "GMT")
}

/// Where each burst falls on the activity chart, as (from, to) in buckets from the left edge;
/// `None` when it is outside the charted period or its times do not parse.
pub fn burst_positions(f: &Factsheet) -> Vec<Option<(f64, f64)>> {
    let a = &f.activity;
    let starts: Vec<Option<DateTime<FixedOffset>>> = a
        .series
        .iter()
        .map(|b| DateTime::parse_from_rfc3339(&b.start).ok())
        .collect();
    let default_len = if a.bucket == "hour" { 3_600 } else { 86_400 };
    let at = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    a.bursts
        .iter()
        .map(|b| {
            let from = position(&starts, at(&b.start)?, default_len)?;
            // The end is exclusive: place it by its last second.
            let to = position(
                &starts,
                at(&b.end)? - chrono::Duration::seconds(1),
                default_len,
            )?;
            Some((from, to.max(from)))
        })
        .collect()
}

/// Where each event falls on the activity chart, in buckets from the left edge; `None` when it is
/// outside the charted period.
pub fn event_positions(f: &Factsheet) -> Vec<Option<f64>> {
    let a = &f.activity;
    let starts: Vec<Option<DateTime<FixedOffset>>> = a
        .series
        .iter()
        .map(|b| DateTime::parse_from_rfc3339(&b.start).ok())
        .collect();
    let default_len = if a.bucket == "hour" { 3_600 } else { 86_400 };
    a.events
        .iter()
        .map(|e| position(&starts, e.at, default_len))
        .collect()
}

fn position(
    starts: &[Option<DateTime<FixedOffset>>],
    at: DateTime<Utc>,
    default_len: i64,
) -> Option<f64> {
    let i = starts.iter().rposition(|s| s.is_some_and(|s| s <= at))?;
    let start = starts[i]?;
    let len = starts
        .get(i + 1)
        .copied()
        .flatten()
        .map_or(default_len, |next| (next - start).num_seconds())
        .max(1);
    let frac = (at - start.with_timezone(&Utc)).num_seconds() as f64 / len as f64;
    (frac <= 1.0).then_some(i as f64 + frac)
}

fn charts_of(f: &Factsheet, drawing: &crate::netplot::Drawing) -> Vec<(&'static str, String)> {
    let a = &f.activity;
    let focus = if f.focus_label.trim().is_empty() {
        "government"
    } else {
        f.focus_label.trim()
    };
    let period = format::period(
        f.summary.period_start.as_ref(),
        f.summary.period_end.as_ref(),
    );
    let roles_present: Vec<Role> = Role::ALL
        .iter()
        .copied()
        .filter(|r| {
            a.series
                .iter()
                .any(|b| b.counts.get(r).is_some_and(|n| *n > 0))
                || a.hour_of_day
                    .iter()
                    .any(|h| h.get(r).is_some_and(|n| *n > 0))
        })
        .collect();
    let role_series = |rows: &dyn Fn(Role) -> Vec<u64>| -> Vec<Series> {
        roles_present
            .iter()
            .map(|r| Series {
                name: role_name(*r),
                colour: charts::role_colour(*r).into(),
                values: rows(*r),
            })
            .collect()
    };

    let markers = event_positions(f)
        .into_iter()
        .zip(&a.events)
        .enumerate()
        .filter_map(|(i, (pos, e))| {
            pos.map(|position| Marker {
                position,
                tag: (i + 1).to_string(),
                label: e.label.clone(),
            })
        })
        .collect();
    let spans = burst_positions(f)
        .into_iter()
        .zip(&a.bursts)
        .filter_map(|(pos, b)| {
            pos.map(|(start, end)| Span {
                start,
                end,
                label: format!(
                    "Burst {}: {} posts",
                    format::span(&b.start, &b.end),
                    int(b.posts)
                ),
            })
        })
        .collect();
    let ticks: Vec<(String, u8)> = a
        .series
        .iter()
        .map(|b| format::bucket_tick(&b.start, &a.bucket, a.series.len()))
        .collect();
    let activity = charts::stacked(&Stacked {
        title: format!(
            "Posts per {} by role of the author, {period}",
            if a.bucket == "hour" { "hour" } else { "day" }
        ),
        categories: a
            .series
            .iter()
            .map(|b| format::bucket_label(&b.start, &a.bucket))
            .collect(),
        tick_labels: ticks.iter().map(|(label, _)| label.clone()).collect(),
        tick_rank: ticks.iter().map(|(_, rank)| *rank).collect(),
        series: role_series(&|r| {
            a.series
                .iter()
                .map(|b| b.counts.get(&r).copied().unwrap_or(0))
                .collect()
        }),
        markers,
        spans,
        value_labels: false,
        legend: true,
        height: 200.0,
        line: Some(Series {
            name: format!("Posts by {focus}"),
            colour: palette::BLACK.into(),
            values: a.series.iter().map(|b| b.focus).collect(),
        }),
    });
    let hours = charts::stacked(&Stacked {
        title: "Posts per hour of the day (local time) by role of the author".into(),
        categories: (0..a.hour_of_day.len())
            .map(|h| format!("{h:02}"))
            .collect(),
        series: role_series(&|r| {
            a.hour_of_day
                .iter()
                .map(|h| h.get(&r).copied().unwrap_or(0))
                .collect()
        }),
        markers: Vec::new(),
        value_labels: false,
        legend: true,
        height: 150.0,
        ..Stacked::default()
    });

    let v = &f.voice;
    let mode_total: u64 = v.modes.values().sum();
    let modes = charts::hbars(
        &format!("Posts by {focus} per participation mode"),
        &Mode::ALL
            .iter()
            .map(|mode| {
                let n = v.modes.get(mode).copied().unwrap_or(0);
                HBar {
                    label: format!("{} ({})", mode_name(*mode), mode.dutch()),
                    value: n,
                    colour: if *mode == Mode::Referral {
                        palette::VERMILLION
                    } else {
                        palette::BLUE
                    }
                    .into(),
                    note: format!("{} ({})", int(n), pct_of(n, mode_total)),
                }
            })
            .collect::<Vec<_>>(),
        0,
    );

    let d = &f.dialogue;
    let addressed = charts::hbars(
        &format!("Posts addressed to {focus} and how many were answered"),
        &[
            HBar {
                label: "Addressed".into(),
                value: d.addressed,
                colour: palette::SKY_BLUE.into(),
                note: format!("{} posts", int(d.addressed)),
            },
            HBar {
                label: "Answered".into(),
                value: d.answered,
                colour: palette::GREEN.into(),
                note: format!("{} ({})", int(d.answered), pct(d.reply_rate)),
            },
        ],
        d.addressed,
    );
    let distribution = charts::stacked(&Stacked {
        title: format!("Answered posts by time until the first answer of {focus}"),
        categories: d.distribution.iter().map(|b| b.label.clone()).collect(),
        series: vec![Series {
            name: "Answered posts".into(),
            colour: palette::BLUE.into(),
            values: d.distribution.iter().map(|b| b.count).collect(),
        }],
        markers: Vec::new(),
        value_labels: true,
        legend: false,
        height: 150.0,
        ..Stacked::default()
    });
    let title = format!(
        "Interaction network: the {} accounts of highest PageRank and their strongest contacts",
        f.network.graph.nodes.len().min(crate::netplot::CORE)
    );
    let network = crate::netplot::picture(&f.network.graph, drawing, &title)
        .unwrap_or_else(|| charts::no_data(&title));
    vec![
        ("sentiment", crate::reaction::chart(f)),
        ("network", network),
        ("activity", activity),
        ("hours", hours),
        ("modes", modes),
        ("addressed", addressed),
        ("distribution", distribution),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use dialoog_analysis::{Bucket, Event};

    #[test]
    fn clips_long_text_at_a_word() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("één twee drie vier", 12), "één twee…");
        let long = "word ".repeat(200);
        let c = clip(&long, EXAMPLE_CHARS);
        assert!(c.ends_with('…'));
        assert!(c.chars().count() <= EXAMPLE_CHARS + 1);
        assert_eq!(clip(&"x".repeat(20), 10), format!("{}…", "x".repeat(10)));
    }

    #[test]
    fn events_fall_in_their_bucket() {
        let mut f = crate::sample::empty();
        f.activity.bucket = "day".into();
        f.activity.series = (1..=3)
            .map(|d| Bucket {
                start: format!("2018-01-0{d}T00:00:00+01:00"),
                ..Default::default()
            })
            .collect();
        let at = |d, h| Utc.with_ymd_and_hms(2018, 1, d, h, 0, 0).unwrap();
        f.activity.events = [at(1, 11), at(3, 23), at(4, 0), at(1, 0)]
            .into_iter()
            .map(|at| Event {
                at,
                label: "e".into(),
            })
            .collect();
        let pos = event_positions(&f);
        // 11:00 UTC is 12:00 local: halfway through the first day.
        assert_eq!(pos[0], Some(0.5));
        // 23:00 UTC on the 3rd is midnight local: the right edge of the last bucket.
        assert_eq!(pos[1], Some(3.0));
        assert_eq!(pos[2], None, "after the last bucket");
        assert_eq!(pos[3], Some(1.0 / 24.0), "01:00 local on the 1st");
        f.activity.events.push(Event {
            at: at(1, 0) - chrono::Duration::days(1),
            label: "before".into(),
        });
        assert_eq!(event_positions(&f)[4], None, "before the first bucket");
    }

    #[test]
    fn bursts_are_shaded_where_they_fall() {
        let mut f = crate::sample::webcare();
        let pos = burst_positions(&f);
        assert_eq!(pos.len(), f.activity.bursts.len());
        // 30 Oct 18:00 to 1 Nov 18:00 on days from 1 Oct (UTC): from 29.75 to just before 31.75.
        let (from, to) = pos[1].unwrap();
        assert_eq!(from, 29.75);
        assert!((to - 31.75).abs() < 1e-3, "{to}");
        f.activity.bursts[0].start = "2016-01-01T00:00:00+00:00".into();
        f.activity.bursts[2].end = "not a time".into();
        let pos = burst_positions(&f);
        assert_eq!((pos[0], pos[2]), (None, None));
        let html = render(&f, None).unwrap();
        assert_eq!(html.matches(r##"fill="#F0E442" fill-opacity"##).count(), 2);
    }

    #[test]
    fn event_times_are_local() {
        let mut f = crate::sample::hourly();
        let at = Utc.with_ymd_and_hms(2017, 10, 31, 13, 0, 0).unwrap();
        assert_eq!(event_time(&f, &at), "31 Oct 2017, 14:00 Europe/Amsterdam");
        f.activity.series.clear();
        assert_eq!(event_time(&f, &at), "31 Oct 2017, 13:00 UTC");
        let f = crate::sample::webcare();
        assert_eq!(event_time(&f, &at), "31 Oct 2017, 13:00 UTC");
    }

    #[test]
    fn main_mode_and_sorting() {
        let modes = BTreeMap::from([(Mode::Inform, 2), (Mode::Referral, 5), (Mode::Other, 5)]);
        assert_eq!(main_mode(&modes), "Referral", "ties go to the earlier mode");
        assert_eq!(main_mode(&BTreeMap::new()), format::NONE);
        let f = crate::sample::webcare();
        let rows = dialogue_rows(&f.dialogue.by_account);
        assert!(rows.windows(2).all(|w| w[0].addressed >= w[1].addressed));
    }
}
