//! What sections 5 and the topic and top-post measures need of every post's text, computed once
//! from one tokenisation, in its language (as given, else detected): its three-way polarity and its
//! sentiment score ([`dialoog_text::read`]), its terms (stemmed, stopwords left out:
//! [`dialoog_text::terms`]), whether it asks a question and its topics ([`crate::topics`]). Plain
//! reshares and empty texts have none of these. All of these are a function of the text and its
//! language alone, so each distinct (text, language) is measured once, in parallel, and a post
//! keeps only the id of its text (1M bench posts have 545k texts). Stems are kept as ids into one
//! table (as `String`s they took a few hundred bytes a post).

use crate::Prepared;
use crate::factsheet::{SentimentMix, Term};
use crate::topics::{Matchers, TopicSet};
use crate::words::distinct;
use dialoog_model::PostKind;
use dialoog_text::terms::{Term as Found, terms_in};
use dialoog_text::{Polarity, Token, TokenKind, is_question, read, tokenize};
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

/// Texts measured at a time, so only one chunk's terms are held as `String`s at once.
const CHUNK: usize = 1 << 14;

/// One text's measures (its stems are in [`Wording`]).
#[derive(Debug, Clone)]
pub(crate) struct Text {
    pub polarity: Polarity,
    pub score: f64,
    pub question: bool,
    /// The topics it belongs to.
    pub topics: TopicSet,
}

pub(crate) struct Wording {
    /// Post i's text is distinct text `text_of[i]`.
    text_of: Vec<u32>,
    /// Per distinct text; `None` for plain reshares and empty texts.
    texts: Vec<Option<Text>>,
    /// The stems of distinct text t's terms as ids into `stems`, in order (repeats kept), are
    /// `text_stems[stem_start[t]..stem_start[t + 1]]`: one vector for all texts.
    text_stems: Vec<u32>,
    stem_start: Vec<usize>,
    /// Distinct stems, by id.
    stems: Vec<String>,
    ids: HashMap<String, u32>,
    /// The words written for each stem, by stem id, with their counts.
    forms: Vec<HashMap<String, u64>>,
}

impl Wording {
    /// Measures the distinct texts in parallel, a chunk at a time; each distinct word is stemmed
    /// and matched against the topics once ([`Lexicon`]), and stem ids are given in post order.
    pub(crate) fn new(prepared: &Prepared, topics: &Matchers) -> Wording {
        // Plain reshares and empty texts all share the key `None`.
        let (text_of, keys) = distinct(&prepared.posts, |post| {
            (post.kind() != PostKind::Reshare && !post.text().trim().is_empty())
                .then(|| (after_leading_mentions(post.text()), post.lang()))
        });
        // How many posts write each text: its words are counted that many times.
        let mut posts_with = vec![0u64; keys.len()];
        for &t in &text_of {
            posts_with[t as usize] += 1;
        }
        let mut lexicon = Lexicon::default();
        let mut texts = Vec::with_capacity(keys.len());
        let mut text_stems = Vec::new();
        let mut stem_start = Vec::with_capacity(keys.len() + 1);
        stem_start.push(0);
        for (chunk, times) in keys.chunks(CHUNK).zip(posts_with.chunks(CHUNK)) {
            let mut measured: Vec<Option<Measured>> = chunk
                .par_iter()
                .map(|key| {
                    let (text, lang) = (*key)?;
                    // One tokenisation for all of the text's measures; the tokens are dropped
                    // here, so a chunk keeps only their meaning ids and the few new words.
                    let tokens = tokenize(text);
                    let reading = read(&tokens, lang);
                    let (words, new) = lexicon.find(reading.language, &tokens);
                    Some(Measured {
                        language: reading.language,
                        words,
                        new,
                        polarity: reading.polarity,
                        score: reading.sentiment,
                        question: is_question(text),
                    })
                })
                .collect();
            for m in measured.iter_mut().flatten() {
                lexicon.add(m);
            }
            lexicon.understand_new(topics);
            for (m, &times) in measured.into_iter().zip(times) {
                texts.push(m.map(|m| {
                    lexicon.add_stems(&m.words, times, &mut text_stems);
                    Text {
                        polarity: m.polarity,
                        score: m.score,
                        question: m.question,
                        topics: lexicon.topics_of(&m.words),
                    }
                }));
                stem_start.push(text_stems.len());
            }
        }
        text_stems.shrink_to_fit();
        let (stems, ids, forms) = lexicon.finish();
        Wording {
            text_of,
            texts,
            text_stems,
            stem_start,
            stems,
            ids,
            forms,
        }
    }

    /// Post i's text measures; `None` for plain reshares and empty texts.
    pub(crate) fn text(&self, i: usize) -> Option<&Text> {
        self.texts[self.text_of[i] as usize].as_ref()
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

    /// The stem ids of post i (none without text), repeats kept.
    fn stem_ids(&self, i: usize) -> &[u32] {
        let t = self.text_of[i] as usize;
        &self.text_stems[self.stem_start[t]..self.stem_start[t + 1]]
    }

    /// The id of a stem, if any post has it.
    pub(crate) fn stem_id(&self, stem: &str) -> Option<u32> {
        self.ids.get(stem).copied()
    }

    /// How many stems there are (ids are below this).
    pub(crate) fn stem_count(&self) -> usize {
        self.stems.len()
    }

    /// The distinct stem ids of post i (none without text), ascending.
    pub(crate) fn distinct_ids(&self, i: usize) -> Vec<u32> {
        let mut ids = self.stem_ids(i).to_vec();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// For each stem, how many of the given posts use it (each post once).
    pub(crate) fn posts_using(&self, posts: impl Iterator<Item = usize>) -> HashMap<&str, u64> {
        let mut counts = vec![0u64; self.stems.len()];
        // The last post (by its place in `posts`, from 1) each stem was counted for: a stem a
        // post repeats counts once, without sorting the post's stems.
        let mut counted_for = vec![0usize; self.stems.len()];
        for (n, i) in posts.enumerate() {
            for &id in self.stem_ids(i) {
                let id = id as usize;
                if counted_for[id] != n + 1 {
                    counted_for[id] = n + 1;
                    counts[id] += 1;
                }
            }
        }
        self.named(counts)
    }

    /// Counts by stem id (dense) as counts by stem, zeros left out.
    fn named(&self, counts: Vec<u64>) -> HashMap<&str, u64> {
        counts
            .into_iter()
            .enumerate()
            .filter(|&(_, n)| n > 0)
            .map(|(id, n)| (self.stems[id].as_str(), n))
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
        let mut by_id: HashMap<u32, u64> = HashMap::new();
        for &i in inside {
            for &id in self.stem_ids(i) {
                *by_id.entry(id).or_default() += 1;
            }
        }
        let counts: HashMap<&str, u64> = by_id
            .into_iter()
            .map(|(id, n)| (self.stems[id as usize].as_str(), n))
            .collect();
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
        let mut counts = vec![0u64; self.stems.len()];
        for i in posts {
            for &id in self.stem_ids(i) {
                counts[id as usize] += 1;
            }
        }
        self.named(counts)
    }
}

/// A text without the mentions it starts with (`@` and ASCII letters, digits or `_`, then
/// white space and more text), which none of its measures read: the tokeniser makes each a
/// mention token, which sentiment, the Dutch model's features, language detection and the
/// lexicon pass over, and the question test removes mentions (none holds a question mark). The
/// last white space before the rest is kept: the question test takes a question word at the
/// very start of the text, after mentions are removed, and one after removed mentions is not
/// there. Texts that differ only in whom they answer (replies, webcare's standard answers) are
/// measured once.
fn after_leading_mentions(text: &str) -> &str {
    let mut kept = text;
    let mut rest = text;
    while let Some(handle) = rest.strip_prefix('@') {
        let end = handle
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
            .unwrap_or(handle.len());
        let gap = &handle[end..];
        let after = gap.trim_start();
        let spaces = gap.len() - after.len();
        if end == 0 || spaces == 0 || after.is_empty() {
            break;
        }
        let last = gap[..spaces].chars().next_back().map_or(0, char::len_utf8);
        kept = &gap[spaces - last..];
        rest = after;
    }
    kept
}

/// What [`Wording::new`] keeps of a text's reading before its words are looked up.
struct Measured<'a> {
    /// As given, else detected.
    language: Option<&'a str>,
    /// The meaning ids of its word and hashtag tokens, in order; [`NEW`] for the tokens not yet
    /// in the lexicon, which are `new`, in order.
    words: Vec<u32>,
    new: Vec<Token<'a>>,
    polarity: Polarity,
    score: f64,
    question: bool,
}

/// [`Measured::words`]' mark of a token still to be added to the lexicon.
const NEW: u32 = u32::MAX;

/// What a distinct word or hashtag token means in one language: worked out once, however often
/// it is written.
struct Meaning<'a> {
    language: Option<&'a str>,
    token: Token<'static>,
    /// Its stem (an id into the stems) when it is a term ([`terms_in`]), and the word counted.
    term: Option<(u32, String)>,
    /// The topics it matches ([`Matchers::topics_in`]).
    topics: TopicSet,
    /// Times it was written as a term: how often the word is written for its stem.
    uses: u64,
}

/// The distinct tokens of the posts, per language and kind. Stemming and topic matching are a
/// function of the token and the language alone, so each distinct one is done once instead of
/// once per use (most words are written thousands of times).
#[derive(Default)]
struct Lexicon<'a> {
    languages: Vec<Option<&'a str>>,
    /// Per language (its index times two) and kind (+1 for hashtags): token text → meaning id.
    index: Vec<HashMap<String, u32>>,
    meanings: Vec<Meaning<'a>>,
    /// Meanings from `understood` on are still to be worked out.
    understood: usize,
    stem_ids: HashMap<String, u32>,
}

impl<'a> Lexicon<'a> {
    /// The index slot of a language and a token kind.
    fn slot(language: usize, token: &Token) -> usize {
        2 * language + usize::from(token.kind == TokenKind::Hashtag)
    }

    /// The meaning ids of a text's word and hashtag tokens in a language, [`NEW`] for those not
    /// added yet, and those tokens (a read-only look-up, made in parallel).
    fn find<'t>(&self, language: Option<&str>, tokens: &[Token<'t>]) -> (Vec<u32>, Vec<Token<'t>>) {
        let language = self.languages.iter().position(|&l| l == language);
        let mut new = Vec::new();
        // Sized for all tokens: a filtered collect would grow it a few times per text.
        let mut words = Vec::with_capacity(tokens.len());
        for token in tokens {
            if !matches!(token.kind, TokenKind::Word | TokenKind::Hashtag) {
                continue;
            }
            let known = language
                .and_then(|language| self.index.get(Self::slot(language, token)))
                .and_then(|index| index.get(token.text.as_ref()).copied());
            words.push(known.unwrap_or_else(|| {
                new.push(token.clone());
                NEW
            }));
        }
        (words, new)
    }

    /// Gives a text's [`NEW`] words their meaning ids, adding the ones not seen before (an
    /// earlier text of the chunk may have added them).
    fn add(&mut self, post: &mut Measured<'a>) {
        if post.new.is_empty() {
            return;
        }
        let language = match self.languages.iter().position(|&l| l == post.language) {
            Some(k) => k,
            None => {
                self.languages.push(post.language);
                self.index.extend([HashMap::new(), HashMap::new()]);
                self.languages.len() - 1
            }
        };
        let mut new = post.new.drain(..);
        for word in post.words.iter_mut().filter(|w| **w == NEW) {
            let Some(token) = new.next() else { break };
            let slot = Self::slot(language, &token);
            *word = match self.index[slot].get(token.text.as_ref()) {
                Some(&id) => id,
                None => {
                    let id = self.meanings.len() as u32;
                    let token = Token {
                        kind: token.kind,
                        text: token.text.into_owned().into(),
                    };
                    self.index[slot].insert(token.text.to_string(), id);
                    self.meanings.push(Meaning {
                        language: post.language,
                        token,
                        term: None,
                        topics: TopicSet::default(),
                        uses: 0,
                    });
                    id
                }
            };
        }
    }

    /// Stems and matches the tokens added since the last call, in parallel; their stems get ids
    /// in the order the tokens were first written.
    fn understand_new(&mut self, topics: &Matchers) {
        let new = &mut self.meanings[self.understood..];
        let found: Vec<Option<Found>> = new
            .par_iter_mut()
            .map(|meaning| {
                let token = std::slice::from_ref(&meaning.token);
                meaning.topics = topics.topics_in(token, meaning.language);
                terms_in(token, meaning.language).pop()
            })
            .collect();
        for (meaning, term) in new.iter_mut().zip(found) {
            meaning.term = term.map(|term| {
                let next = self.stem_ids.len() as u32;
                (*self.stem_ids.entry(term.stem).or_insert(next), term.word)
            });
        }
        self.understood = self.meanings.len();
    }

    /// Appends the stem ids of a text's tokens in order, repeats kept; counts the words as
    /// written `times` (by that many posts).
    fn add_stems(&mut self, words: &[u32], times: u64, stems: &mut Vec<u32>) {
        stems.extend(words.iter().filter_map(|&w| {
            let meaning = &mut self.meanings[w as usize];
            meaning.uses += times;
            meaning.term.as_ref().map(|(stem, _)| *stem)
        }));
    }

    /// The topics any of a text's tokens match.
    fn topics_of(&self, words: &[u32]) -> TopicSet {
        words.iter().fold(TopicSet::default(), |topics, &w| {
            topics.union(self.meanings[w as usize].topics)
        })
    }

    /// The stems by id, their ids, and the words written for each with their counts.
    #[allow(clippy::type_complexity)]
    fn finish(self) -> (Vec<String>, HashMap<String, u32>, Vec<HashMap<String, u64>>) {
        let mut stems = vec![String::new(); self.stem_ids.len()];
        for (stem, &id) in &self.stem_ids {
            stems[id as usize].clone_from(stem);
        }
        let mut forms: Vec<HashMap<String, u64>> = vec![HashMap::new(); stems.len()];
        for meaning in self.meanings {
            if let Some((stem, word)) = meaning.term {
                *forms[stem as usize].entry(word).or_default() += meaning.uses;
            }
        }
        (stems, self.stem_ids, forms)
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

#[cfg(test)]
mod tests {
    use super::*;
    use dialoog_text::Reading;

    /// What the measures read of a text: its reading (language given or detected, sentiment,
    /// polarity), whether it asks a question, and its tokens but mentions.
    fn measures(text: &str, lang: Option<&str>) -> (String, bool, Vec<Token<'static>>) {
        let tokens = tokenize(text);
        let Reading {
            language,
            sentiment,
            polarity,
        } = read(&tokens, lang);
        let kept = tokens
            .into_iter()
            .filter(|t| t.kind != TokenKind::Mention)
            .map(|t| Token {
                kind: t.kind,
                text: t.text.into_owned().into(),
            })
            .collect();
        (
            format!("{language:?} {sentiment:?} {polarity:?}"),
            is_question(text),
            kept,
        )
    }

    /// Guards `after_leading_mentions`: a measure that comes to read mentions fails here.
    #[test]
    fn leading_mentions_change_no_measure() {
        // The shipped webcare sample's texts: customers' questions and the companies' answers.
        let sample: Vec<String> = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(include_str!("../../../data/webcare/twcs_head.csv").as_bytes())
            .records()
            .filter_map(|record| Some(record.ok()?.get(5)?.to_owned()))
            .collect();
        assert!(sample.len() > 4_000);
        let built = [
            "@a hoe laat gaat het loket open?",
            "@gemeente_x @B2\u{a0} wat is dit",
            "@x\twie helpt mij? https://t.co/x",
            "@x Waarom?",
            "@x",
            "@x ",
            "@x@y hallo",
            "@x, hallo",
            "@é hallo",
            "@ hallo",
            "hallo @x",
        ];
        let mut stripped = 0;
        for text in built.into_iter().chain(sample.iter().map(String::as_str)) {
            let rest = after_leading_mentions(text);
            assert!(text.ends_with(rest));
            stripped += usize::from(rest.len() < text.len());
            for lang in [None, Some("nl"), Some("en")] {
                assert_eq!(measures(rest, lang), measures(text, lang), "{text:?}");
                let addressed = format!("@gemeente_x @Klant_99 {text}");
                assert_eq!(
                    measures(after_leading_mentions(&addressed), lang),
                    measures(&addressed, lang),
                    "{addressed:?}"
                );
            }
        }
        assert!(stripped > 3_000, "the sample's replies start with mentions");
        assert_eq!(
            after_leading_mentions("@a @b_2 \u{a0}hoi @c"),
            "\u{a0}hoi @c"
        );
        for kept in [
            "@x",
            "@x ",
            "@x, hallo",
            "@x@y hallo",
            "@é hallo",
            "@ hallo",
        ] {
            assert_eq!(after_leading_mentions(kept), kept);
        }
    }

    proptest::proptest! {
        #[test]
        fn leading_mentions_change_no_measure_of_any_text(
            handles in proptest::collection::vec("[A-Za-z0-9_]{1,16}", 0..4),
            gaps in proptest::collection::vec("[ \t\n\u{a0}\u{2003}]{1,3}", 4),
            text in "(@x|#y|https://t\\.co/z|www\\.a\\.nl|wat|waarom|niet|goed|slecht|hoe|\\?|!|\\.|:\\)|😀|[a-zé]{1,5}|[ \u{a0}\n])*",
        ) {
            let mut written = String::new();
            for (handle, gap) in handles.iter().zip(&gaps) {
                written.push('@');
                written.push_str(handle);
                written.push_str(gap);
            }
            written.push_str(&text);
            let rest = after_leading_mentions(&written);
            for lang in [None, Some("nl")] {
                proptest::prop_assert_eq!(measures(rest, lang), measures(&written, lang));
            }
        }
    }
}
