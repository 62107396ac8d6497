//! Per-post text measures: the participation mode of a government post (after the Twente study's
//! ladder: inform, advise, consult, co-decide, co-produce, plus internal, referral and other),
//! whether it refers the person to another channel, and whether a text asks a question.
//!
//! Everything is rule-based with documented, case-insensitive Dutch and English patterns
//! ([`rules`]), kept in one file per language (`crates/text/rules/nl.toml`, `en.toml`, `any.toml`;
//! each rule with the texts it must and must not find, which are its tests), turned into a static
//! table at build time and compiled once. [`classify`] tries the rules in a fixed order and the first rule
//! that matches decides the mode:
//!
//! 1. **referral** — sends the person to another channel instead of answering (phone number,
//!    "14 020", "bel ons", "mail ons", "DM ons", "kijk op", "neem contact op", a form or desk URL;
//!    "DM us", "please call", "contact us at", "reach out to", "email us", "fill out the form", …).
//!    A referral post's mode is always [`Mode::Referral`].
//! 2. **internal** — about the organisation itself (vacancies, colleagues).
//! 3. **co_decide** — a poll, vote or binding choice.
//! 4. **co_produce** — asks citizens to act, report or contribute.
//! 5. **consult** — asks opinions, feedback or questions; also any *original* post (not a reply)
//!    that asks a question (rule `consult.question`). Questions inside replies are not counted
//!    as consultation: there they ask the one person for details ("Which version do you use?"),
//!    which is service, not asking the public's opinion.
//! 6. **advise** — recommends what to do ("we raden aan", "tip:", "we recommend", "make sure you",
//!    "try …").
//! 7. **inform** — a link or an announcement.
//! 8. **other** — everything else (thanks, apologies, small talk); empty text has no rule.
//!
//! Rules match on the text with URLs replaced by the token `urlx` and @mentions removed, so a
//! handle such as `@belastingdienst` or a URL path cannot trigger a word rule; rules marked
//! `raw` (URL and e-mail address rules) match on the text as given.
//!
//! A rule's `language` is "nl", "en" or "any". When the post's language is known to be Dutch,
//! English rules are skipped, and vice versa; other or unknown languages use every rule.
//!
//! Besides the rules: [`detect_language`] ([`lang`]), a social-media tokeniser ([`tokens`]),
//! lexicon-based [`sentiment()`] with three-way [`polarity`] ([`sentiment`](mod@sentiment)), stemmed
//! terms without stopwords for counting what people write about ([`terms`]) and the
//! evaluation of all measures against labelled sets ([`eval`]).

pub mod eval;
pub mod lang;
pub mod model;
pub mod pii;
pub mod pseudonym;
pub mod sentiment;
pub mod terms;
pub mod tokens;

pub use lang::{detect_language, detect_language_in};
pub use model::{Reading, post_polarity, read};
pub use sentiment::{Polarity, polarity, sentiment};
pub use tokens::{Token, TokenKind, tokenize};

use dialoog_model::Mode;
use regex::{Regex, RegexSet, RegexSetBuilder};
use std::borrow::Cow;
use std::sync::LazyLock;

/// The outcome of [`classify`] for one text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classification {
    pub mode: Mode,
    /// Id of the rule that decided the mode (`None` for empty text, or "other" by default).
    pub rule: Option<&'static str>,
    /// The text refers the person to another channel (then `mode` is [`Mode::Referral`]).
    pub referral: bool,
    /// The text asks a question ([`is_question`]).
    pub question: bool,
}

/// All per-post measures of one text, from one tokenisation: see [`measure`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextMeasures<'a> {
    /// `lang` as given, else [`detect_language`]'s.
    pub language: Option<&'a str>,
    /// [`sentiment()`] in that language.
    pub sentiment: f64,
    /// [`post_polarity`] in that language.
    pub polarity: Polarity,
    /// [`classify`] in that language (with [`Classification::question`], [`is_question`]).
    pub classification: Classification,
}

/// Language, sentiment, polarity, participation mode and question of one post at once: what
/// [`detect_language`] (when `lang` is `None`), [`sentiment()`], [`post_polarity`] and
/// [`classify`] give one by one, with the text tokenised once.
pub fn measure<'a>(text: &str, lang: Option<&'a str>, is_reply: bool) -> TextMeasures<'a> {
    // Lower-cased once for all tokens, rather than a copy per capitalised word.
    let lowered = text.to_ascii_lowercase();
    let reading = read(&tokens::tokenize_lowered(text, &lowered), lang);
    TextMeasures {
        language: reading.language,
        sentiment: reading.sentiment,
        polarity: reading.polarity,
        classification: classify(text, reading.language, is_reply),
    }
}

/// One documented pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, `mode.what.language`, e.g. "referral.dm.en".
    pub id: &'static str,
    pub mode: Mode,
    /// "nl", "en" or "any".
    pub language: &'static str,
    /// Regular expression (matched case-insensitively), or a description in parentheses for the
    /// one rule that is not a pattern (`consult.question`).
    pub pattern: &'static str,
    pub description: &'static str,
    /// Matched on the raw text (URLs and mentions kept) instead of the cleaned text.
    pub raw: bool,
}

/// The id of the one rule that is not a pattern: an original post that asks a question.
pub const QUESTION_RULE: &str = "consult.question";

// RULES (and, for tests, RULE_EXAMPLES): generated by build.rs from rules/{nl,en,any}.toml.
include!(concat!(env!("OUT_DIR"), "/rules.rs"));

/// All rules, in the order [`classify`] tries them.
pub fn rules() -> &'static [Rule] {
    RULES
}

struct Compiled {
    /// Rule indexes (into RULES) per set, and the sets.
    clean_rules: Vec<usize>,
    clean: RegexSet,
    raw_rules: Vec<usize>,
    raw: RegexSet,
    /// Index of [`QUESTION_RULE`] in RULES.
    question_rule: Option<usize>,
}

static COMPILED: LazyLock<Compiled> = LazyLock::new(|| {
    let mut clean_rules = Vec::new();
    let mut raw_rules = Vec::new();
    let mut question_rule = None;
    for (index, rule) in RULES.iter().enumerate() {
        if rule.id == QUESTION_RULE {
            question_rule = Some(index);
            continue;
        }
        if rule.raw {
            raw_rules.push(index);
        } else {
            clean_rules.push(index);
        }
    }
    let set = |indexes: &[usize]| {
        // A roomy lazy-DFA cache: with the default one the set falls back to the slow engine.
        RegexSetBuilder::new(indexes.iter().map(|&i| compiled_pattern(RULES[i].pattern)))
            .dfa_size_limit(64 << 20)
            .build()
            .expect("the built-in rules compile")
    };
    Compiled {
        clean: set(&clean_rules),
        clean_rules,
        raw: set(&raw_rules),
        raw_rules,
        question_rule,
    }
});

/// A rule's pattern exactly as [`classify`] compiles it: case-insensitive, ASCII word boundaries.
/// Exported so that other tools (the benchmark's DuckDB, polars and pandas peers) apply the same
/// regexes.
pub fn compiled_pattern(pattern: &str) -> String {
    format!("(?i){}", ascii_boundaries(pattern))
}

/// What [`classify`] replaces by ` urlx ` before matching the non-raw rules.
pub const URL_PATTERN: &str = r"(?i)(?:https?://|\bwww\.)\S+";
/// What [`classify`] removes (after the URLs) before matching the non-raw rules.
pub const MENTION_PATTERN: &str = r"\B@\w+";

/// Word boundaries as ASCII ones: Unicode `\b` makes the regex engine leave its fast DFA on any
/// non-ASCII text (emoji, curly quotes), which is many times slower. The patterns' words are
/// ASCII at their edges, so matches change only next to non-ASCII letters (on the webcare demo,
/// one reply of 2,196).
fn ascii_boundaries(pattern: &str) -> String {
    pattern
        .replace(r"\b", r"(?-u:\b)")
        .replace(r"\B", r"(?-u:\B)")
}

static MENTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&ascii_boundaries(MENTION_PATTERN)).expect("valid"));
/// Whether a text has a `?` or a full-width `？`.
fn has_question_mark(text: &str) -> bool {
    question_mark_at(text).is_some()
}

/// Where the first `?` or full-width `？` (U+FF1F, found by its last byte as `str::find` does,
/// but with memchr's SIMD search) starts.
fn question_mark_at(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let ascii = memchr::memchr(b'?', bytes);
    // A full-width one counts only before it.
    let before = &bytes[..ascii.unwrap_or(bytes.len())];
    memchr::memchr_iter(0x9F, before)
        .find(|&at| at >= 2 && before[at - 2..=at] == *"？".as_bytes())
        .map(|at| at - 2)
        .or(ascii)
}

/// The English and the Dutch question words of [`QUESTION_PHRASE`].
const ENGLISH_QUESTION_WORDS: [&str; 7] = ["how", "what", "why", "where", "when", "who", "which"];
const DUTCH_QUESTION_WORDS: [&str; 7] = ["hoe", "wat", "waarom", "waar", "wanneer", "wie", "welke"];

/// A question phrase: a question word and a verb ("how do", "what is", "hoe kan", "waarom is", …).
static QUESTION_PHRASE: LazyLock<String> = LazyLock::new(|| {
    format!(
        r"(?i)(?:(?:{})\s+(?:do|does|did|can|could|is|are|was|were|would|should|will|have|has)|(?:{})\s+(?:kan|kun|kunt|kunnen|moet|moeten|is|zijn|doe|doet|heb|hebt|heeft|hebben|wordt|worden|gaat|gaan|zit|weet|vind|vindt))\b",
        ENGLISH_QUESTION_WORDS.join("|"),
        DUTCH_QUESTION_WORDS.join("|"),
    )
});

/// Whether a sentence of the text could start with a question word once it is cleaned
/// ([`clean`]), so that [`starts_question`] could find a question phrase: a question word (in
/// any case, as [`QUESTION_PHRASE`] matches it: ASCII case, and "welke" also with the Kelvin
/// sign, the one non-ASCII letter that folds to one of their letters) at the start of the text,
/// or after a sentence mark, white space and mentions. Cleaning only removes mentions (an `@`
/// and the word characters after it, so what follows is neither white space nor a word
/// character unless it is white space) and puts ` urlx ` in place of URLs, so every sentence
/// start of the cleaned text is one of these places; a text with none is no question by its
/// phrases, and [`is_question`] skips cleaning it.
fn may_start_question(text: &str) -> bool {
    let bytes = text.as_bytes();
    let word_at = |at: usize| {
        ENGLISH_QUESTION_WORDS
            .iter()
            .chain(&DUTCH_QUESTION_WORDS)
            .chain(&["wel\u{212A}e"])
            .any(|word| {
                bytes
                    .get(at..at + word.len())
                    .is_some_and(|found| found.eq_ignore_ascii_case(word.as_bytes()))
            })
    };
    // After a sentence mark: white space, and any mention with the white space after it (all
    // of a mention's non-space characters skipped: where cleaning keeps some of them, no word
    // starts there in the cleaned text either).
    at_sentence_start(text, word_at, |after| {
        let mut rest = after.trim_start();
        while let Some(mention) = rest.strip_prefix('@') {
            rest = mention
                .trim_start_matches(|c: char| !c.is_whitespace())
                .trim_start();
        }
        rest
    })
}

/// Whether `found` holds where a question word may start a sentence: at the start of the text
/// or after a mark (`.`, `!`, `:`, `;` or a line break), at the rest of the text that `skip`
/// leaves of what follows the mark. Only the marks are visited (found by memchr), and `found`
/// is asked only where an `h` or `w` starts, as every question word does.
fn at_sentence_start(
    text: &str,
    found: impl Fn(usize) -> bool,
    skip: impl Fn(&str) -> &str,
) -> bool {
    let bytes = text.as_bytes();
    let found = |at: usize| {
        bytes
            .get(at)
            .is_some_and(|b| matches!(b, b'h' | b'H' | b'w' | b'W'))
            && found(at)
    };
    // The marks are ASCII, so `mark + 1` is a char boundary.
    let after_mark = |mark: usize| found(text.len() - skip(&text[mark + 1..]).len());
    found(0)
        || memchr::memchr3_iter(b'.', b'!', b':', bytes).any(after_mark)
        || memchr::memchr2_iter(b';', b'\n', bytes).any(after_mark)
}

/// [`QUESTION_PHRASE`] at the start of a haystack.
static QUESTION_PHRASE_AT_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!("^{}", ascii_boundaries(&QUESTION_PHRASE))).expect("valid")
});

/// Whether a sentence starts with [`QUESTION_PHRASE`]: at the start of the text, or after `.`,
/// `!`, `:`, `;` or a line break and any white space (the regex
/// `(?:^|[.!:;\n]\s*)QUESTION_PHRASE`). Only those places are tried (the marks found by memchr),
/// and only where an `h` or `w` starts, as every question word does: cheaper than running that
/// regex over the whole text.
fn starts_question(text: &str) -> bool {
    let phrase_at = |at: usize| {
        text.get(at..)
            .is_some_and(|rest| QUESTION_PHRASE_AT_START.is_match(rest))
    };
    // After a sentence mark and any white space.
    at_sentence_start(text, phrase_at, str::trim_start)
}

/// The text rules match on: URLs replaced by ` urlx `, @mentions removed. What replacing
/// [`URL_PATTERN`] and then [`MENTION_PATTERN`] gives, by a scan of the bytes instead of two regex
/// passes (a third of `classify`'s instructions); borrowed when the text has neither.
fn clean(text: &str) -> Cow<'_, str> {
    match replace_urls(text) {
        Cow::Borrowed(text) => remove_mentions(text),
        Cow::Owned(replaced) => {
            let removed = match remove_mentions(&replaced) {
                Cow::Owned(removed) => Some(removed),
                Cow::Borrowed(_) => None,
            };
            Cow::Owned(removed.unwrap_or(replaced))
        }
    }
}

/// [`URL_PATTERN`]'s matches replaced by ` urlx `.
fn replace_urls(text: &str) -> Cow<'_, str> {
    let mut cleaned = String::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(start) = next_url(text, at) {
        // The match runs to the next white space (`\S+`, Unicode).
        let end = text[start..]
            .char_indices()
            .find(|&(_, c)| c.is_whitespace())
            .map_or(text.len(), |(offset, _)| start + offset);
        if cleaned.is_empty() {
            // Replaced URLs are rarely shorter than ` urlx `: room for the whole text at once.
            cleaned.reserve(text.len() + 6);
        }
        cleaned.push_str(&text[copied..start]);
        cleaned.push_str(" urlx ");
        copied = end;
        at = end;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    cleaned.push_str(&text[copied..]);
    Cow::Owned(cleaned)
}

/// Where the leftmost match of [`URL_PATTERN`] at or after byte `from` starts: `http://`,
/// `https://` (any case; `ſ` folds to `s` as in the regex) or `www.` after an ASCII word boundary,
/// followed by a non-space character. Found from the `://` and `.` in the text (memchr-fast)
/// rather than by looking at every `h` and `w`.
fn next_url(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let followed = |at: usize| {
        text[at..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace())
    };
    let ends_with_ignore_case = |end: usize, word: &[u8]| {
        end >= from + word.len() && bytes[end - word.len()..end].eq_ignore_ascii_case(word)
    };
    let scheme = memchr::memchr_iter(b':', &bytes[from..]).find_map(|offset| {
        let colon = from + offset;
        if !text[colon..].starts_with("://") {
            return None;
        }
        let start = if ends_with_ignore_case(colon, b"https") {
            colon - 5
        } else if text[..colon].ends_with('ſ') && ends_with_ignore_case(colon - 2, b"http") {
            colon - 6
        } else if ends_with_ignore_case(colon, b"http") {
            colon - 4
        } else {
            return None;
        };
        followed(colon + 3).then_some(start)
    });
    // A `www.` that starts after the scheme's start cannot come first.
    let before = scheme.unwrap_or(bytes.len());
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let www = memchr::memchr_iter(b'.', &bytes[from..])
        .map(|offset| from + offset)
        .take_while(|&dot| dot < before + 3)
        .find(|&dot| {
            let start = dot.wrapping_sub(3);
            ends_with_ignore_case(dot, b"www")
                && (start == 0 || !is_word(bytes[start - 1]))
                && followed(dot + 1)
        })
        .map(|dot| dot - 3);
    match (scheme, www) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// [`MENTION_PATTERN`]'s matches removed: `@` after a non-word byte, then word characters.
fn remove_mentions(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut cleaned = String::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'@', &bytes[at..]) {
        let start = at + offset;
        let end = start
            + 1
            + bytes[start + 1..]
                .iter()
                .take_while(|&&b| is_word(b))
                .count();
        if bytes.get(end).is_some_and(|b| !b.is_ascii()) {
            // A non-ASCII letter can continue a handle (`\w` is Unicode): the regex decides.
            return MENTION.replace_all(text, "");
        }
        if end > start + 1 && (start == 0 || !is_word(bytes[start - 1])) {
            if cleaned.is_empty() {
                cleaned.reserve(text.len());
            }
            cleaned.push_str(&text[copied..start]);
            copied = end;
        }
        at = end.max(start + 1);
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    cleaned.push_str(&text[copied..]);
    Cow::Owned(cleaned)
}

/// Whether a text asks a question: a question mark outside URLs, or a sentence that starts with
/// a question phrase ("how do", "what is", "hoe kan", "waarom is", …). Dutch and English.
pub fn is_question(text: &str) -> bool {
    // Cleaning removes no question mark before the first URL (mentions have none), and starts
    // no sentence with a question word that [`may_start_question`] does not see: most texts are
    // decided without cleaning them.
    let mark = question_mark_at(text);
    if let Some(mark) = mark
        && next_url(text, 0).is_none_or(|url| mark < url)
    {
        return true;
    }
    if mark.is_none() && !may_start_question(text) {
        return false;
    }
    let cleaned = clean(text);
    has_question_mark(&cleaned) || starts_question(&cleaned)
}

/// Whether a language tag (trimmed, any case) starts with an ISO code: "nl", "NL", "nl-BE" are
/// all "nl".
pub(crate) fn language_is(lang: &str, code: &str) -> bool {
    // A tag that starts and ends with an ASCII letter or digit (any detected one) has nothing to
    // trim: White_Space characters are ASCII white space or not ASCII.
    let bytes = lang.as_bytes();
    let lang = match (bytes.first(), bytes.last()) {
        (Some(first), Some(last))
            if first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric() =>
        {
            bytes
        }
        _ => lang.trim().as_bytes(),
    };
    lang.len() >= code.len() && lang[..code.len()].eq_ignore_ascii_case(code.as_bytes())
}

/// Whether a rule applies to a post in language `lang`: Dutch rules not to English posts and
/// vice versa.
fn language_allows(rule: &Rule, lang: Option<&str>) -> bool {
    match (rule.language, lang) {
        ("nl", Some(l)) => !language_is(l, "en"),
        ("en", Some(l)) => !language_is(l, "nl"),
        _ => true,
    }
}

/// The participation mode of one (government) post. `lang` is the post's language when known
/// ("nl", "en", …); `is_reply` says whether the post replies to another (then a question is not
/// consultation). The first rule in [`rules`] order that matches decides.
pub fn classify(text: &str, lang: Option<&str>, is_reply: bool) -> Classification {
    if text.trim().is_empty() {
        return Classification {
            mode: Mode::Other,
            rule: None,
            referral: false,
            question: false,
        };
    }
    let compiled = &*COMPILED;
    let cleaned = clean(text);
    let question = has_question_mark(&cleaned) || starts_question(&cleaned);
    // The first rule in RULES order that matched and applies to the language. Half the posts
    // match no rule: a plain is_match search says so more cheaply than the overlapping search
    // that tells which rules matched.
    let hits = |set: &RegexSet, rules: &'static [usize], haystack: &str| {
        set.is_match(haystack)
            .then(|| set.matches(haystack))
            .into_iter()
            .flatten()
            .map(move |hit| rules[hit])
    };
    let winner = hits(&compiled.clean, &compiled.clean_rules, &cleaned)
        .chain(hits(&compiled.raw, &compiled.raw_rules, text))
        .chain(compiled.question_rule.filter(|_| question && !is_reply))
        .filter(|&index| language_allows(&RULES[index], lang))
        .min()
        .map(|index| &RULES[index]);
    match winner {
        Some(rule) => Classification {
            mode: rule.mode,
            rule: Some(rule.id),
            referral: rule.mode == Mode::Referral,
            question,
        },
        None => Classification {
            mode: Mode::Other,
            rule: None,
            referral: false,
            question,
        },
    }
}

#[cfg(test)]
mod tests;
