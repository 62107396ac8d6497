//! The topic mix: service (dienstverlening), policy (beleid) and crisis, from the documented
//! keyword sets in `crates/analysis/data/topics.toml` (read its notes); the share of focus posts
//! and of citizen posts per topic, each topic's key terms, and the pairs of terms used together
//! in the most posts.
//!
//! A post with text (plain reshares and empty texts left out) belongs to every topic one of whose
//! keywords it uses as a word or hashtag: a whole word, or a word start for a keyword ending in
//! `*`. Dutch posts are matched with the Dutch keywords, English posts with the English ones,
//! others with both; a post without a language is detected first (too short to tell: both).
//! Key terms: the terms of a topic's posts against all posts with text (log-odds with an
//! informative Dirichlet prior, as for bursts). Co-occurrence: over all posts with text, the
//! [`PAIR_VOCABULARY`] terms used in the most posts; each post counts each pair of
//! its distinct terms among them once (a post's [`PAIR_TERMS_PER_POST`] most common ones).

use crate::AnalysisError;
use crate::Prepared;
use crate::factsheet::{KeywordSet, TermPair, TopicShare, Topics};
use crate::wording::Wording;
use dialoog_model::Role;
use dialoog_text::{Token, TokenKind};
use foldhash::{HashMap, HashMapExt, HashSet};

/// Key terms kept per topic.
pub const TERMS: usize = 8;
/// Term pairs kept.
pub const PAIRS: usize = 15;
/// Co-occurrence counts pairs among this many of the most used terms.
pub const PAIR_VOCABULARY: usize = 300;
/// Of a post's terms among them, at most this many (the most used) make pairs.
pub const PAIR_TERMS_PER_POST: usize = 40;

const KEYWORDS: &str = include_str!("../data/topics.toml");

#[derive(serde::Deserialize)]
struct File {
    topic: Vec<KeywordSet>,
}

/// The keyword sets in force: at most [`TopicSet::MAX`].
pub fn keyword_sets() -> Result<Vec<KeywordSet>, AnalysisError> {
    let sets = toml::from_str::<File>(KEYWORDS)
        .map(|f| f.topic)
        .map_err(|e| AnalysisError::Topics(e.to_string()))?;
    if sets.len() > TopicSet::MAX {
        return Err(AnalysisError::Topics(format!(
            "{} topics, at most {} are counted",
            sets.len(),
            TopicSet::MAX
        )));
    }
    Ok(sets)
}

/// Topics (indexes into the keyword sets) as bits: every distinct text keeps one, and a `Vec`
/// per text took 24 bytes and an allocation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TopicSet(u64);

impl TopicSet {
    pub(crate) const MAX: usize = u64::BITS as usize;

    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub(crate) fn union(self, other: TopicSet) -> TopicSet {
        TopicSet(self.0 | other.0)
    }

    /// The topics, ascending.
    pub(crate) fn iter(self) -> impl Iterator<Item = usize> {
        (0..Self::MAX).filter(move |&k| self.0 & (1 << k) != 0)
    }
}

impl FromIterator<usize> for TopicSet {
    /// Indexes from [`TopicSet::MAX`] on cannot occur: [`keyword_sets`] refuses more sets.
    fn from_iter<I: IntoIterator<Item = usize>>(topics: I) -> TopicSet {
        TopicSet(
            topics
                .into_iter()
                .filter(|&k| k < Self::MAX)
                .fold(0, |bits, k| bits | 1 << k),
        )
    }
}

/// One language's keywords of a topic, ready to match lower-cased words.
#[derive(Debug, Default)]
struct Matcher {
    words: HashSet<String>,
    starts: Vec<String>,
}

impl Matcher {
    fn new(keywords: &[String]) -> Matcher {
        let mut m = Matcher::default();
        for k in keywords {
            let k = k.trim().to_lowercase();
            match k.strip_suffix('*') {
                Some(start) if !start.is_empty() => m.starts.push(start.to_owned()),
                Some(_) => {}
                None => {
                    m.words.insert(k);
                }
            }
        }
        m
    }

    fn matches(&self, word: &str) -> bool {
        self.words.contains(word) || self.starts.iter().any(|s| word.starts_with(s.as_str()))
    }
}

/// Each topic's Dutch and English keywords, in the order of the keyword sets.
pub(crate) struct Matchers(Vec<(Matcher, Matcher)>);

impl Matchers {
    pub(crate) fn new(sets: &[KeywordSet]) -> Matchers {
        Matchers(
            sets.iter()
                .map(|s| (Matcher::new(&s.nl), Matcher::new(&s.en)))
                .collect(),
        )
    }

    /// Which topics a text's tokens ([`dialoog_text::tokenize`]) belong to, in the text's
    /// language (indexes into the sets).
    pub(crate) fn topics_in(&self, tokens: &[Token], lang: Option<&str>) -> TopicSet {
        let lang = lang.map(|l| l.trim().to_ascii_lowercase());
        let (dutch, english) = match lang.as_deref() {
            Some(l) if l.starts_with("nl") => (true, false),
            Some(l) if l.starts_with("en") => (false, true),
            _ => (true, true),
        };
        let words = tokens
            .iter()
            .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Hashtag));
        self.0
            .iter()
            .enumerate()
            .filter(|(_, (nl, en))| {
                words
                    .clone()
                    .any(|w| (dutch && nl.matches(&w.text)) || (english && en.matches(&w.text)))
            })
            .map(|(k, _)| k)
            .collect()
    }
}

/// `sets` are the keyword sets the `wording` was made with.
pub(crate) fn compute(prepared: &Prepared, wording: &Wording, sets: Vec<KeywordSet>) -> Topics {
    let with_text: Vec<usize> = (0..prepared.posts.len())
        .filter(|&i| wording.text(i).is_some())
        .collect();
    let citizen = |i: usize| !prepared.focus[i] && prepared.roles[i] == Role::Citizen;
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); sets.len()];
    let (mut focus_posts, mut citizen_posts) = (0u64, 0u64);
    let (mut unmatched_focus, mut unmatched_citizen) = (0u64, 0u64);
    for &i in &with_text {
        let found = wording.text(i).map(|t| t.topics).unwrap_or_default();
        focus_posts += u64::from(prepared.focus[i]);
        citizen_posts += u64::from(citizen(i));
        if found.is_empty() {
            unmatched_focus += u64::from(prepared.focus[i]);
            unmatched_citizen += u64::from(citizen(i));
        }
        for k in found.iter() {
            members[k].push(i);
        }
    }
    let all = wording.counts(with_text.iter().copied());
    let share = |part: u64, whole: u64| (whole > 0).then(|| part as f64 / whole as f64);
    let topics = sets
        .iter()
        .zip(&members)
        .map(|(set, posts)| {
            let focus = posts.iter().filter(|&&i| prepared.focus[i]).count() as u64;
            let citizens = posts.iter().filter(|&&i| citizen(i)).count() as u64;
            TopicShare {
                id: set.id.clone(),
                name: set.name.clone(),
                dutch: set.dutch.clone(),
                posts: posts.len() as u64,
                focus_posts: focus,
                focus_share: share(focus, focus_posts),
                citizen_posts: citizens,
                citizen_share: share(citizens, citizen_posts),
                terms: wording.characteristic(posts, &all, TERMS),
            }
        })
        .collect();
    Topics {
        focus_posts,
        citizen_posts,
        topics,
        unmatched_focus_posts: unmatched_focus,
        unmatched_citizen_posts: unmatched_citizen,
        co_occurrence: co_occurrence(wording, &with_text),
        keyword_sets: sets,
    }
}

/// The [`PAIRS`] pairs of terms used together in the most posts (see the module notes).
fn co_occurrence(wording: &Wording, posts: &[usize]) -> Vec<TermPair> {
    let used = wording.posts_using(posts.iter().copied());
    let mut vocabulary: Vec<(&str, u64)> = used.into_iter().collect();
    vocabulary.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    vocabulary.truncate(PAIR_VOCABULARY);
    // Rank in the vocabulary by stem id: lower is more used.
    let mut rank: Vec<Option<u32>> = vec![None; wording.stem_count()];
    for (r, (stem, _)) in vocabulary.iter().enumerate() {
        if let Some(slot) = wording
            .stem_id(stem)
            .and_then(|id| rank.get_mut(id as usize))
        {
            *slot = Some(r as u32);
        }
    }
    let mut pairs: HashMap<(u32, u32), u64> = HashMap::new();
    for &i in posts {
        let mut ranks: Vec<u32> = wording
            .distinct_ids(i)
            .into_iter()
            .filter_map(|id| rank.get(id as usize).copied().flatten())
            .collect();
        ranks.sort_unstable();
        ranks.truncate(PAIR_TERMS_PER_POST);
        for (x, &a) in ranks.iter().enumerate() {
            for &b in &ranks[x + 1..] {
                *pairs.entry((a, b)).or_default() += 1;
            }
        }
    }
    let mut top: Vec<((u32, u32), u64)> = pairs.into_iter().filter(|(_, n)| *n >= 2).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(PAIRS);
    top.into_iter()
        .map(|((a, b), n)| TermPair {
            a: wording.label(vocabulary[a as usize].0).to_owned(),
            b: wording.label(vocabulary[b as usize].0).to_owned(),
            posts: n,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_keyword_sets_parse_and_are_complete() {
        let sets = keyword_sets().unwrap();
        let ids: Vec<&str> = sets.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["service", "policy", "crisis"]);
        for s in &sets {
            assert!(
                !s.nl.is_empty() && !s.en.is_empty() && !s.description.is_empty(),
                "{}",
                s.id
            );
            for k in s.nl.iter().chain(&s.en) {
                assert_eq!(k, &k.to_lowercase(), "keywords are lower case: {k}");
                assert!(k != "*" && !k.contains(' '), "one word per keyword: {k:?}");
            }
        }
    }

    #[test]
    fn topic_sets_hold_each_topic_once_in_order() {
        let set: TopicSet = [5, 0, 63, 5, 64].into_iter().collect();
        assert_eq!(set.iter().collect::<Vec<_>>(), [0, 5, 63]);
        assert!(TopicSet::default().is_empty());
        let more = set.union([1].into_iter().collect());
        assert_eq!(more.iter().collect::<Vec<_>>(), [0, 1, 5, 63]);
    }

    #[test]
    fn words_prefixes_hashtags_and_languages_match() {
        let sets = keyword_sets().unwrap();
        let m = Matchers::new(&sets);
        let topics_of = |text: &str, lang: Option<&str>, m: &Matchers| {
            let found = m.topics_in(&dialoog_text::tokenize(text), lang);
            found.iter().collect::<Vec<usize>>()
        };
        // "vergunning*" is a word start; "#aardbeving" a hashtag.
        assert_eq!(
            topics_of("Mijn vergunningaanvraag na de #aardbeving", Some("nl"), &m),
            vec![0, 2]
        );
        // English keywords do not apply to a Dutch post, and vice versa.
        assert!(topics_of("the refund", Some("nl"), &m).is_empty());
        assert_eq!(topics_of("the refund", Some("en"), &m), vec![0]);
        // Unknown language: both.
        assert_eq!(topics_of("refund", None, &m), vec![0]);
        // A whole-word keyword does not match inside another word.
        assert!(topics_of("bagels", Some("en"), &m).is_empty());
        assert_eq!(
            topics_of("De gemeenteraad besluit", Some("nl"), &m),
            vec![1]
        );
    }
}
