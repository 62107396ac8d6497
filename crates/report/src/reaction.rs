//! Section 5 of the HTML factsheet — the public's reaction, the top posts and the topic mix — as
//! a view model for `templates/reaction.html`, and its chart: the sentiment of public posts over
//! the activity buckets.

use crate::charts::{self, Series, Stacked, palette};
use crate::format::{self, int, pct, pct_of};
use crate::html::clip;
use dialoog_analysis::{Factsheet, SentimentMix, Term, TopPost};
use serde_json::{Value as Json, json};

/// Rows of the per-target table; the rest is in factsheet.json.
pub const TARGETS: usize = 12;
/// Terms and hashtags shown.
pub const TERMS: usize = 15;
/// Characters of a top post's text shown.
pub const POST_CHARS: usize = 200;
/// Characteristic words shown per top post and per topic.
pub const WORDS: usize = 6;
/// Top posts shown per list.
pub const POSTS: usize = 5;
/// Term pairs shown.
pub const PAIRS: usize = 12;

/// Colour of each polarity: vermillion and blue stay apart for colour-blind readers.
pub const NEGATIVE: &str = palette::VERMILLION;
pub const NEUTRAL: &str = "#B8BEC6";
pub const POSITIVE: &str = palette::BLUE;

/// A mean sentiment score as shown: signed with a true minus, two decimals ("–" when none).
pub fn score(x: Option<f64>) -> String {
    x.map_or_else(
        || format::NONE.to_owned(),
        |s| format!("{s:+.2}").replace('-', "−"),
    )
}

fn num(key: &str, raw: String, shown: String) -> Json {
    json!({ "key": key, "raw": raw, "shown": shown })
}

fn mix(m: &SentimentMix) -> Json {
    let n = m.total();
    json!({
        "n": int(n),
        "negative_n": int(m.negative),
        "neutral_n": int(m.neutral),
        "positive_n": int(m.positive),
        "negative": pct_of(m.negative, n),
        "neutral": pct_of(m.neutral, n),
        "positive": pct_of(m.positive, n),
        "mean": score(m.mean_score),
    })
}

/// Words joined for a cell ("–" when none).
pub fn words(terms: &[Term]) -> String {
    if terms.is_empty() {
        return format::NONE.to_owned();
    }
    terms
        .iter()
        .take(WORDS)
        .map(|t| t.term.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn top_post(rank: usize, p: &TopPost) -> Json {
    json!({
        "rank": rank,
        "text": clip(&p.post.text, POST_CHARS),
        "handle": p.post.author_handle,
        "date": format::date(&p.post.created_at),
        "focus": p.focus,
        "reactions": int(p.reactions),
        "from_counts": p.reactions_from == "exported counts",
        "replies": int(p.replies_in_data),
        "mix": mix(&p.replies_sentiment),
        "words": words(&p.reply_terms),
    })
}

pub(crate) fn view(f: &Factsheet) -> Json {
    let r = &f.reaction;
    let s = &r.sentiment;
    let n = s.total();
    let targets: Vec<Json> = r
        .by_target
        .iter()
        .take(TARGETS)
        .map(|t| {
            json!({
                "handle": t.handle,
                "posts": int(t.posts),
                "mix": mix(&t.sentiment),
                "questions": pct(t.question_share),
            })
        })
        .collect();
    let counts = |rows: &[dialoog_analysis::TermCount]| -> Vec<Json> {
        rows.iter()
            .take(TERMS)
            .map(|t| json!({"term": t.term, "posts": int(t.posts), "share": pct_of(t.posts, r.posts)}))
            .collect()
    };
    let t = &f.topics;
    let topics: Vec<Json> = t
        .topics
        .iter()
        .map(|topic| {
            json!({
                "name": topic.name,
                "dutch": topic.dutch,
                "focus": num(&format!("topics.{}.focus_posts", topic.id), topic.focus_posts.to_string(), int(topic.focus_posts)),
                "focus_share": pct(topic.focus_share),
                "citizens": num(&format!("topics.{}.citizen_posts", topic.id), topic.citizen_posts.to_string(), int(topic.citizen_posts)),
                "citizen_share": pct(topic.citizen_share),
                "words": words(&topic.terms),
            })
        })
        .collect();
    let sets: Vec<Json> = t
        .keyword_sets
        .iter()
        .map(|k| {
            json!({
                "name": k.name,
                "dutch": k.dutch,
                "description": k.description,
                "nl": k.nl.len(),
                "en": k.en.len(),
            })
        })
        .collect();
    let resources: Vec<Json> = r
        .resources
        .iter()
        .map(|x| json!({"kind": x.kind, "language": x.language, "name": x.name, "licence": x.licence, "file": x.file}))
        .collect();
    json!({
        "posts": num("reaction.posts", r.posts.to_string(), int(r.posts)),
        "negative": num("reaction.sentiment.negative", s.negative.to_string(), int(s.negative)),
        "neutral": num("reaction.sentiment.neutral", s.neutral.to_string(), int(s.neutral)),
        "positive": num("reaction.sentiment.positive", s.positive.to_string(), int(s.positive)),
        "negative_share": pct_of(s.negative, n),
        "positive_share": pct_of(s.positive, n),
        "neutral_share": pct_of(s.neutral, n),
        "mean": num("reaction.sentiment.mean_score", format::raw_f64(s.mean_score), score(s.mean_score)),
        "negative_below": num("reaction.negative_below", r.negative_below.to_string(), format!("{:.2}", r.negative_below).replace('-', "−")),
        "positive_above": num("reaction.positive_above", r.positive_above.to_string(), format!("{:.2}", r.positive_above)),
        "questions": num("reaction.questions", r.questions.to_string(), int(r.questions)),
        "question_share": num("reaction.question_share", format::raw_f64(r.question_share), pct(r.question_share)),
        "targets": targets,
        "targets_more": r.by_target.len().saturating_sub(TARGETS),
        "terms": counts(&r.top_terms),
        "hashtags": counts(&r.top_hashtags),
        "resources": resources,
        "top_focus": f.top_posts.focus.iter().take(POSTS).enumerate().map(|(i, p)| top_post(i + 1, p)).collect::<Vec<_>>(),
        "top_overall": f.top_posts.overall.iter().take(POSTS).enumerate().map(|(i, p)| top_post(i + 1, p)).collect::<Vec<_>>(),
        "topics": topics,
        "topic_focus_posts": int(t.focus_posts),
        "topic_citizen_posts": int(t.citizen_posts),
        "unmatched_focus": int(t.unmatched_focus_posts),
        "unmatched_focus_share": pct_of(t.unmatched_focus_posts, t.focus_posts),
        "unmatched_citizens": int(t.unmatched_citizen_posts),
        "unmatched_citizen_share": pct_of(t.unmatched_citizen_posts, t.citizen_posts),
        "pairs": t.co_occurrence.iter().take(PAIRS).map(|p| json!({"a": p.a, "b": p.b, "posts": int(p.posts)})).collect::<Vec<_>>(),
        "sets": sets,
    })
}

/// Public posts per activity bucket, stacked by polarity.
pub(crate) fn chart(f: &Factsheet) -> String {
    let a = &f.activity;
    let buckets = &f.reaction.over_time;
    let title = format!(
        "Posts by the public per {} by sentiment",
        if a.bucket == "hour" { "hour" } else { "day" }
    );
    if f.reaction.posts == 0 {
        return charts::no_data(&title);
    }
    let ticks: Vec<(String, u8)> = buckets
        .iter()
        .map(|b| format::bucket_tick(&b.start, &a.bucket, buckets.len()))
        .collect();
    let series = |name: &str, colour: &str, pick: fn(&SentimentMix) -> u64| Series {
        name: name.into(),
        colour: colour.into(),
        values: buckets.iter().map(|b| pick(&b.sentiment)).collect(),
    };
    charts::stacked(&Stacked {
        title,
        categories: buckets
            .iter()
            .map(|b| format::bucket_label(&b.start, &a.bucket))
            .collect(),
        tick_labels: ticks.iter().map(|(label, _)| label.clone()).collect(),
        tick_rank: ticks.iter().map(|(_, rank)| *rank).collect(),
        series: vec![
            series("Negative", NEGATIVE, |m| m.negative),
            series("Neutral", NEUTRAL, |m| m.neutral),
            series("Positive", POSITIVE, |m| m.positive),
        ],
        legend: true,
        height: 160.0,
        ..Stacked::default()
    })
}
