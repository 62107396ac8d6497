//! Section 5, the public's reaction: the posts of everyone but the focus accounts (plain
//! reshares and empty texts left out) by sentiment — overall, per bucket of the activity series
//! and per focus account they address — how many ask a question, and the terms and hashtags used
//! in the most of them.

use crate::Prepared;
use crate::dialogue::{Addressing, ratio};
use crate::factsheet::{Activity, Reaction, Resource, SentimentBucket, TargetReaction, TermCount};
use crate::wording::{Mix, Wording};
use chrono::{DateTime, Utc};
use foldhash::{HashMap, HashMapExt};

/// Terms and hashtags kept.
pub const TOP_TERMS: usize = 20;

pub(crate) fn compute(
    prepared: &Prepared,
    addressing: &Addressing,
    wording: &Wording,
    activity: &Activity,
) -> Reaction {
    let public: Vec<usize> = (0..prepared.posts.len())
        .filter(|&i| !prepared.focus[i] && wording.text(i).is_some())
        .collect();
    let text = |i: usize| wording.text(i);

    let mut overall = Mix::default();
    let mut questions = 0u64;
    for &i in &public {
        if let Some(t) = text(i) {
            overall.add(t);
            questions += u64::from(t.question);
        }
    }

    // The activity buckets as instants; a post falls in the last bucket starting at or before it.
    let starts: Vec<(usize, DateTime<Utc>)> = activity
        .series
        .iter()
        .enumerate()
        .filter_map(|(k, b)| {
            DateTime::parse_from_rfc3339(&b.start)
                .ok()
                .map(|t| (k, t.with_timezone(&Utc)))
        })
        .collect();
    let mut per_bucket: Vec<Mix> = vec![Mix::default(); activity.series.len()];
    for &i in &public {
        let at = prepared.posts[i].created_at();
        let before = starts.partition_point(|(_, s)| *s <= at);
        if let (Some(&(k, _)), Some(t)) =
            (before.checked_sub(1).and_then(|b| starts.get(b)), text(i))
        {
            per_bucket[k].add(t);
        }
    }
    let over_time = activity
        .series
        .iter()
        .zip(per_bucket)
        .map(|(b, mix)| SentimentBucket {
            start: b.start.clone(),
            sentiment: mix.finish(),
        })
        .collect();

    let mut targets: Vec<(Mix, u64)> = vec![(Mix::default(), 0); addressing.handles.len()];
    for &i in &public {
        if let (Some(to), Some(t)) = (addressing.targets(i), text(i)) {
            for &a in to {
                let (mix, asked) = &mut targets[a as usize];
                mix.add(t);
                *asked += u64::from(t.question);
            }
        }
    }
    let mut by_target: Vec<TargetReaction> = targets
        .into_iter()
        .zip(&addressing.handles)
        .map(|((mix, asked), handle)| {
            let sentiment = mix.finish();
            let posts = sentiment.total();
            TargetReaction {
                handle: handle.clone(),
                posts,
                sentiment,
                questions: asked,
                question_share: ratio(asked, posts),
            }
        })
        .filter(|t| t.posts > 0)
        .collect();
    by_target.sort_by(|a, b| {
        b.posts
            .cmp(&a.posts)
            .then_with(|| a.handle.to_lowercase().cmp(&b.handle.to_lowercase()))
    });

    let terms = wording.posts_using(public.iter().copied());
    let mut hashtags: HashMap<String, u64> = HashMap::new();
    for &i in &public {
        let mut tags: Vec<String> = prepared.posts[i]
            .hashtags()
            .map(|h| h.trim_start_matches('#').to_lowercase())
            .filter(|h| !h.is_empty())
            .collect();
        tags.sort_unstable();
        tags.dedup();
        for tag in tags {
            *hashtags.entry(tag).or_default() += 1;
        }
    }
    let top_terms = top(terms
        .into_iter()
        .map(|(stem, n)| (wording.label(stem).to_owned(), n)));
    let top_hashtags = top(hashtags.into_iter());

    let posts = public.len() as u64;
    Reaction {
        posts,
        sentiment: overall.finish(),
        negative_below: dialoog_text::sentiment::NEGATIVE_BELOW,
        positive_above: dialoog_text::sentiment::POSITIVE_ABOVE,
        over_time,
        by_target,
        questions,
        question_share: ratio(questions, posts),
        top_terms,
        top_hashtags,
        resources: resources(),
    }
}

/// The `TOP_TERMS` most used, most first, alphabetical on a tie.
fn top(counts: impl Iterator<Item = (String, u64)>) -> Vec<TermCount> {
    let mut rows: Vec<TermCount> = counts
        .map(|(term, posts)| TermCount { term, posts })
        .collect();
    rows.sort_by(|a, b| b.posts.cmp(&a.posts).then_with(|| a.term.cmp(&b.term)));
    rows.truncate(TOP_TERMS);
    rows
}

/// The lexicons, the Dutch polarity model and the stopword lists, with their licences.
pub fn resources() -> Vec<Resource> {
    let resource = |kind: &str, language: &str, name: &str, licence: &str, file: &str| Resource {
        kind: kind.into(),
        language: language.into(),
        name: name.into(),
        licence: licence.into(),
        file: file.into(),
    };
    let mut out: Vec<Resource> = dialoog_text::sentiment::LEXICONS
        .iter()
        .map(|(language, name, licence, file)| {
            resource("sentiment lexicon", language, name, licence, file)
        })
        .collect();
    out.push(resource(
        "polarity model",
        "nl",
        "Dialoog's Dutch three-way polarity model, trained on 899 human-labelled Dutch political tweets",
        "EUPL-1.2 (part of Dialoog)",
        dialoog_text::model::NL_MODEL_PATH,
    ));
    for (name, licence, file) in dialoog_text::terms::STOPWORD_LISTS {
        let language = if name.contains("English") { "en" } else { "nl" };
        out.push(resource("stopwords", language, name, licence, file));
    }
    out
}
