//! What sections 5 and the topic and top-post measures need of every post's text, computed once
//! from one tokenisation: its language (as given, else detected), its three-way polarity and its
//! sentiment score ([`dialoog_text::read`]), its terms (stemmed, stopwords left out:
//! [`dialoog_text::terms`]) and whether it asks a question. Plain reshares and empty texts have none of these.

use crate::Prepared;
use crate::factsheet::{SentimentMix, Term};
use dialoog_model::PostKind;
use dialoog_text::terms::{Vocabulary, terms_in};
use dialoog_text::{Polarity, is_question, read, tokenize};
use std::collections::HashMap;

/// One post's text measures.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    /// Stems of its terms, in order (repeats kept).
    pub stems: Vec<String>,
    /// As given, else detected; `None` when too short to tell.
    pub lang: Option<String>,
    pub polarity: Polarity,
    pub score: f64,
    pub question: bool,
}

pub(crate) struct Wording {
    /// Per post; `None` for plain reshares and empty texts.
    pub texts: Vec<Option<Text>>,
    /// The form shown for each stem.
    pub vocabulary: Vocabulary,
}

impl Wording {
    pub(crate) fn new(prepared: &Prepared) -> Wording {
        let mut vocabulary = Vocabulary::default();
        let texts = prepared
            .posts
            .iter()
            .map(|post| {
                if post.kind == PostKind::Reshare || post.text.trim().is_empty() {
                    return None;
                }
                // One tokenisation for all of the post's measures.
                let tokens = tokenize(&post.text);
                let reading = read(&tokens, post.lang.as_deref());
                let found = terms_in(&tokens, reading.language);
                for term in &found {
                    vocabulary.add(term);
                }
                Some(Text {
                    stems: found.into_iter().map(|t| t.stem).collect(),
                    polarity: reading.polarity,
                    score: reading.sentiment,
                    question: is_question(&post.text),
                    lang: reading.language.map(str::to_owned),
                })
            })
            .collect();
        Wording { texts, vocabulary }
    }

    /// The distinct stems of post i (none without text).
    pub(crate) fn distinct(&self, i: usize) -> Vec<&str> {
        let mut stems: Vec<&str> = self.texts[i]
            .iter()
            .flat_map(|t| t.stems.iter().map(String::as_str))
            .collect();
        stems.sort_unstable();
        stems.dedup();
        stems
    }

    /// Characteristic terms of a subset against a whole ([`crate::bursts::log_odds_terms`]),
    /// shown in their most written form.
    pub(crate) fn characteristic(
        &self,
        inside: &[usize],
        all: &HashMap<&str, u64>,
        limit: usize,
    ) -> Vec<Term> {
        let mut counts: HashMap<&str, u64> = HashMap::new();
        for &i in inside {
            for stem in self.texts[i].iter().flat_map(|t| &t.stems) {
                *counts.entry(stem.as_str()).or_default() += 1;
            }
        }
        crate::bursts::log_odds_terms(&counts, all, limit)
            .into_iter()
            .map(|mut t| {
                t.term = self.vocabulary.label(&t.term).to_owned();
                t
            })
            .collect()
    }

    /// Stem counts over the given posts (the prior of [`Wording::characteristic`]).
    pub(crate) fn counts(&self, posts: impl Iterator<Item = usize>) -> HashMap<&str, u64> {
        let mut counts = HashMap::new();
        for i in posts {
            for stem in self.texts[i].iter().flat_map(|t| &t.stems) {
                *counts.entry(stem.as_str()).or_default() += 1;
            }
        }
        counts
    }
}

/// Adds posts to a three-way mix; the mean score is taken at the end ([`Mix::finish`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Mix {
    mix: SentimentMix,
    sum: f64,
}

impl Mix {
    pub(crate) fn add(&mut self, text: &Text) {
        match text.polarity {
            Polarity::Negative => self.mix.negative += 1,
            Polarity::Neutral => self.mix.neutral += 1,
            Polarity::Positive => self.mix.positive += 1,
        }
        self.sum += text.score;
    }

    pub(crate) fn finish(mut self) -> SentimentMix {
        let n = self.mix.total();
        self.mix.mean_score = (n > 0).then(|| round(self.sum / n as f64));
        self.mix
    }
}

/// Rounded to four decimals, so the JSON shows what the HTML can.
pub(crate) fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
