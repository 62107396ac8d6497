//! What sections 5 and the topic and top-post measures need of every post's text, computed once
//! from one tokenisation, in its language (as given, else detected): its three-way polarity and its
//! sentiment score ([`dialoog_text::read`]), its terms (stemmed, stopwords left out:
//! [`dialoog_text::terms`]), whether it asks a question and its topics ([`crate::topics`]). Plain
//! reshares and empty texts have none of these. Posts are measured in parallel; stems are kept as
//! ids into one table (as `String`s they took a few hundred bytes a post).

use crate::Prepared;
use crate::factsheet::{SentimentMix, Term};
use crate::topics::Matchers;
use dialoog_model::PostKind;
use dialoog_text::terms::{Term as Found, terms_in};
use dialoog_text::{Polarity, is_question, read, tokenize};
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

/// Posts measured at a time, so only one chunk's terms are held as `String`s at once.
const CHUNK: usize = 1 << 14;

/// One post's text measures.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    /// Stems of its terms as ids into [`Wording::stems`], in order (repeats kept).
    pub stems: Vec<u32>,
    pub polarity: Polarity,
    pub score: f64,
    pub question: bool,
    /// The topics it belongs to (indexes into the keyword sets).
    pub topics: Vec<usize>,
}

pub(crate) struct Wording {
    /// Per post; `None` for plain reshares and empty texts.
    pub texts: Vec<Option<Text>>,
    /// Distinct stems, by id.
    stems: Vec<String>,
    ids: HashMap<String, u32>,
    /// The words written for each stem, by stem id, with their counts.
    forms: Vec<HashMap<String, u64>>,
}

impl Wording {
    /// Measures the posts in parallel; the vocabulary and stem ids are then made in post order.
    pub(crate) fn new(prepared: &Prepared, topics: &Matchers) -> Wording {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut forms: Vec<HashMap<String, u64>> = Vec::new();
        let mut texts = Vec::with_capacity(prepared.posts.len());
        for chunk in prepared.posts.chunks(CHUNK) {
            let measured: Vec<Option<(Text, Vec<Found>)>> = chunk
                .par_iter()
                .map(|post| {
                    if post.kind == PostKind::Reshare || post.text.trim().is_empty() {
                        return None;
                    }
                    // One tokenisation for all of the post's measures.
                    let tokens = tokenize(&post.text);
                    let reading = read(&tokens, post.lang.as_deref());
                    let found = terms_in(&tokens, reading.language);
                    let text = Text {
                        stems: Vec::new(),
                        polarity: reading.polarity,
                        score: reading.sentiment,
                        question: is_question(&post.text),
                        topics: topics.topics_in(&tokens, reading.language),
                    };
                    Some((text, found))
                })
                .collect();
            texts.extend(measured.into_iter().map(|m| {
                m.map(|(mut text, found)| {
                    text.stems = found
                        .into_iter()
                        .map(|term| {
                            let next = ids.len() as u32;
                            let id = *ids.entry(term.stem).or_insert(next);
                            if id == next {
                                forms.push(HashMap::new());
                            }
                            *forms[id as usize].entry(term.word).or_default() += 1;
                            id
                        })
                        .collect();
                    text
                })
            }));
        }
        let mut stems = vec![String::new(); ids.len()];
        for (stem, &id) in &ids {
            stems[id as usize].clone_from(stem);
        }
        Wording {
            texts,
            stems,
            ids,
            forms,
        }
    }

    /// The form shown for a stem: the word most written for it, the first in sort order among
    /// equals ([`dialoog_text::terms::Vocabulary::label`]'s rule); the stem itself when never seen.
    pub(crate) fn label<'a>(&'a self, stem: &'a str) -> &'a str {
        self.ids
            .get(stem)
            .and_then(|&id| {
                self.forms[id as usize]
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(word, _)| word.as_str())
            })
            .unwrap_or(stem)
    }

    /// The stems of post i (none without text), repeats kept.
    fn stems_of(&self, i: usize) -> impl Iterator<Item = &str> {
        self.texts[i]
            .iter()
            .flat_map(|t| t.stems.iter().map(|&id| self.stems[id as usize].as_str()))
    }

    /// The distinct stems of post i (none without text), in no particular order.
    pub(crate) fn distinct(&self, i: usize) -> Vec<&str> {
        let mut ids: Vec<u32> = self.texts[i].iter().flat_map(|t| t.stems.clone()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .map(|id| self.stems[id as usize].as_str())
            .collect()
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
            for stem in self.stems_of(i) {
                *counts.entry(stem).or_default() += 1;
            }
        }
        crate::bursts::log_odds_terms(&counts, all, limit)
            .into_iter()
            .map(|mut t| {
                t.term = self.label(&t.term).to_owned();
                t
            })
            .collect()
    }

    /// Stem counts over the given posts (the prior of [`Wording::characteristic`]).
    pub(crate) fn counts(&self, posts: impl Iterator<Item = usize>) -> HashMap<&str, u64> {
        let mut counts = HashMap::new();
        for i in posts {
            for stem in self.stems_of(i) {
                *counts.entry(stem).or_default() += 1;
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
