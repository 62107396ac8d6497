//! Terms for counting and comparing what people write about: the words of a text without
//! stopwords, stemmed per language, and its hashtags.
//!
//! - **Words** come from [`tokenize`]: lower-cased word tokens; URLs, @mentions, numbers, emoji
//!   and punctuation are no terms. Words under 3 letters, words that start with a digit ("23rd",
//!   "4g") and stopwords are left out. An apostrophe at either end is trimmed.
//! - **Stopwords**: stopwords-iso English and Dutch (MIT) and Pattern's Dutch list (BSD-3),
//!   shipped in `crates/text/data` ([`STOPWORD_LISTS`]). A word in any list is left out whatever
//!   the post's language, so an English word in a Dutch post is dropped too.
//! - **Stemming**: the Snowball stemmer of the post's language (Dutch or English, `rust-stemmers`);
//!   other and unknown languages are not stemmed (callers detect a missing language first, with
//!   [`crate::detect_language`]). Terms are counted by stem ([`Term::stem`]) and shown as the form most often
//!   written for it ([`Vocabulary`]), so "delayed" and "delays" count as one term "delay…" shown
//!   as whichever people wrote most.

use crate::tokens::{Token, TokenKind, tokenize};
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The stopword lists in force: (name, licence, file in the repository).
pub const STOPWORD_LISTS: &[(&str, &str, &str)] = &[
    (
        "stopwords-iso English (stopwordsiso 0.7.1)",
        "MIT",
        "crates/text/data/stopwords-iso-en.txt",
    ),
    (
        "stopwords-iso Dutch (stopwordsiso 0.7.1)",
        "MIT",
        "crates/text/data/stopwords-iso-nl.txt",
    ),
    (
        "Pattern Dutch stopwords (CLiPS, University of Antwerp)",
        "BSD-3-Clause",
        "crates/text/data/stopwords-nl-pattern.txt",
    ),
];

/// Words shorter than this (in characters) are no terms.
pub const MIN_CHARS: usize = 3;

// foldhash rather than SipHash: every distinct word is looked up.
static STOPWORDS: LazyLock<foldhash::HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/stopwords-iso-en.txt")
        .lines()
        .chain(include_str!("../data/stopwords-iso-nl.txt").lines())
        .chain(include_str!("../data/stopwords-nl-pattern.txt").split(','))
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .collect()
});

static DUTCH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Dutch));
static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Whether a lower-cased word is on one of the stopword lists.
pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(word)
}

/// One term of a text: the stem it is counted by and the word as written (lower-cased).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub stem: String,
    pub word: String,
}

/// The stemmer for a language tag ("nl", "en-GB", …); `None` for other languages.
fn stemmer(lang: &str) -> Option<&'static Stemmer> {
    if crate::language_is(lang, "nl") {
        Some(&DUTCH)
    } else if crate::language_is(lang, "en") {
        Some(&ENGLISH)
    } else {
        None
    }
}

/// The terms of a text in order (see the module notes), stemmed for `lang` ("nl", "en", …).
pub fn terms(text: &str, lang: Option<&str>) -> Vec<Term> {
    terms_in(&tokenize(text), lang)
}

/// [`terms`] of a text's tokens ([`tokenize`]).
pub fn terms_in(tokens: &[Token], lang: Option<&str>) -> Vec<Term> {
    let stem = lang.and_then(stemmer);
    tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .filter_map(|t| {
            let word = t.text.trim_matches('\'');
            let keep = word.chars().count() >= MIN_CHARS
                && word.chars().next().is_some_and(char::is_alphabetic)
                && !is_stopword(word);
            keep.then(|| Term {
                stem: stem.map_or_else(|| word.to_owned(), |s| s.stem(word).into_owned()),
                word: word.to_owned(),
            })
        })
        .collect()
}

/// The hashtags of a text, lower-cased, without `#`, in order.
pub fn hashtags(text: &str) -> Vec<String> {
    tokenize(text)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Hashtag)
        .map(|t| t.text.into_owned())
        .collect()
}

/// Which written form stands for each stem: the one written most often (alphabetically first
/// on a tie).
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    forms: HashMap<String, HashMap<String, u64>>,
}

impl Vocabulary {
    pub fn add(&mut self, term: &Term) {
        *self
            .forms
            .entry(term.stem.clone())
            .or_default()
            .entry(term.word.clone())
            .or_default() += 1;
    }

    /// The form shown for a stem (the stem itself when never seen).
    pub fn label<'a>(&'a self, stem: &'a str) -> &'a str {
        self.forms
            .get(stem)
            .and_then(|forms| {
                forms
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(w, _)| w.as_str())
            })
            .unwrap_or(stem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str, lang: Option<&str>) -> Vec<String> {
        terms(text, lang).into_iter().map(|t| t.stem).collect()
    }

    #[test]
    fn stopwords_mentions_urls_numbers_and_short_words_are_no_terms() {
        assert_eq!(
            stems(
                "@gemeente Wanneer wordt het afval opgehaald? Zie https://x.nl 2024 ok #afval",
                Some("nl")
            ),
            vec!["afval", "opgehaald", "zie"]
        );
        // Pattern's Dutch list is comma-separated: its words are stopwords too.
        assert!(is_stopword("reeds") && is_stopword("the") && is_stopword("niet"));
        assert!(terms("", None).is_empty());
    }

    #[test]
    fn dutch_and_english_are_stemmed_by_their_own_stemmer() {
        assert_eq!(
            stems("flights delayed, delays everywhere", Some("en")),
            vec!["flight", "delay", "delay"]
        );
        assert_eq!(
            stems("aanvragen paspoorten", Some("nl")),
            vec!["aanvrag", "paspoort"]
        );
        // Another or no language: words as written.
        assert_eq!(stems("Verspätungen", Some("de")), vec!["verspätungen"]);
        assert_eq!(stems("delays", None), vec!["delays"]);
    }

    #[test]
    fn the_most_written_form_labels_a_stem() {
        let mut vocabulary = Vocabulary::default();
        for t in terms("delays delay delays delayed", Some("en")) {
            vocabulary.add(&t);
        }
        assert_eq!(vocabulary.label("delay"), "delays");
        assert_eq!(vocabulary.label("unseen"), "unseen");
    }

    #[test]
    fn hashtags_are_lower_cased() {
        assert_eq!(
            hashtags("Storing #KPN en #storing!"),
            vec!["kpn", "storing"]
        );
    }
}
