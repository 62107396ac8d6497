//! A small polarity classifier trained in Rust: multinomial logistic regression over hashed
//! token features and the lexicon score's parts ([`mod@crate::sentiment`]).
//!
//! Features of a text (all from [`tokenize`]):
//! - hashed (FNV-1a, [`BUCKETS`] buckets) lower-cased words, word bigrams, `#hashtags`, emoji and
//!   emoticons, and a `<url>` marker; a word within [`NEGATION_SCOPE`] words after a negation is
//!   marked negated (`!goed`). Each present feature has value 1/√(number of features).
//! - dense: the lexicon score, the sums of its positive and negative values, ln(1 + lexicon
//!   hits), and whether the text has `!` and `?`.
//!
//! Training: stochastic gradient descent with AdaGrad step sizes, L2 penalty, classes weighted
//! inversely to their frequency (macro-F1 counts each class alike), a fixed number of epochs
//! and a fixed shuffle seed: the same rows give the same model.
//!
//! The shipped Dutch model ([`NL_MODEL_PATH`]: hashed bucket weights only, no words or texts)
//! is trained on all 899 Dutch political tweets of the dev set with
//! `dialoog eval polarity --input political_tweets_polarity_dev.csv --write-model crates/text/models/nl-polarity.tsv`.
//! Held-out score, `dialoog eval polarity --input political_tweets_polarity_dev.csv --cv-folds 10`
//! (each fold labelled by a model trained on the other nine, same settings): macro-F1 0.626,
//! accuracy 0.630 (5 folds: 0.631). The lexicon alone scores 0.512 with the shipped thresholds
//! and 0.499 with thresholds cross-validated the same way. Settings were fixed before the first
//! cross-validation run and not tuned on it. Tweets of the same members of parliament can fall
//! in training and held-out folds, so expect less on other authors and other registers
//! (webcare, citizens' replies).

use crate::sentiment::{EN_NEGATIONS, NEGATION_SCOPE, NL_NEGATIONS, Polarity, Scored, scored};
use crate::tokens::{Token, TokenKind, tokenize};
use std::cell::RefCell;
use std::sync::LazyLock;

/// Where the shipped Dutch model lives in the repository.
pub const NL_MODEL_PATH: &str = "crates/text/models/nl-polarity.tsv";
/// What it was trained on.
pub const NL_MODEL_TRAINED_ON: &str = "the 899 human-labelled Dutch political tweets of ../shared/data/nl/political_tweets_polarity_dev.csv (members of parliament, April 2020)";

static NL_MODEL: LazyLock<Option<PolarityModel>> = LazyLock::new(|| {
    PolarityModel::from_text(include_str!("../models/nl-polarity.tsv")).filter(|m| m.is_trained())
});

/// The three-way polarity of a post. Dutch (`lang` "nl…", or no language and detected Dutch)
/// uses the shipped model ([`NL_MODEL_PATH`]; held-out macro-F1 on Dutch political tweets in
/// the module notes of [`crate::model`]); every other language [`crate::polarity`] of
/// [`crate::sentiment()`].
pub fn post_polarity(text: &str, lang: Option<&str>) -> Polarity {
    read(&tokenize(text), lang).polarity
}

/// A post's language, sentiment score and three-way polarity, read from its tokens once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading<'a> {
    /// `lang` as given, else [`crate::detect_language`]'s.
    pub language: Option<&'a str>,
    /// [`crate::sentiment()`] in that language.
    pub sentiment: f64,
    /// [`post_polarity`] in that language.
    pub polarity: Polarity,
}

/// [`Reading`] of a text's tokens ([`tokenize`]); `lang` is the post's language when known,
/// else it is detected.
pub fn read<'a>(tokens: &[Token], lang: Option<&'a str>) -> Reading<'a> {
    let language = lang.or_else(|| crate::lang::detect_language_in(tokens));
    let scored = scored(tokens, language);
    let dutch = language.is_some_and(|l| crate::language_is(l, "nl"));
    let polarity = match (&*NL_MODEL, dutch) {
        // A Dutch text's lexicon score is already the Dutch one the model's features need.
        (Some(model), true) => features_of(tokens, &scored, |parts| model.predict_parts(&parts)),
        _ => crate::polarity(scored.score),
    };
    Reading {
        language,
        sentiment: scored.score,
        polarity,
    }
}

/// Hash buckets for sparse features.
pub const BUCKETS: usize = 1 << 14;
const DENSE: usize = 6;
const DIM: usize = BUCKETS + DENSE + 1;
const CLASSES: usize = 3;

/// Training settings (fixed; see the module notes).
pub const EPOCHS: usize = 30;
pub const LEARNING_RATE: f64 = 0.5;
pub const L2: f64 = 1e-4;

/// One text's features: (index, value) pairs.
pub type Features = Vec<(usize, f64)>;

/// FNV-1a over parts joined by a separator byte, fed piece by piece so that no joined string
/// is built.
struct Fnv(u64);

impl Fnv {
    fn new(first: &str) -> Fnv {
        Fnv(0xcbf29ce484222325).bytes(first)
    }

    fn bytes(mut self, part: &str) -> Fnv {
        for byte in part.bytes() {
            self.byte(byte);
        }
        self
    }

    fn byte(&mut self, byte: u8) {
        self.0 ^= u64::from(byte);
        self.0 = self.0.wrapping_mul(0x100000001b3);
    }

    /// The separator before the next part.
    fn separator(mut self) -> Fnv {
        self.byte(0x1f);
        self
    }

    /// The next part.
    fn part(self, part: &str) -> Fnv {
        self.separator().bytes(part)
    }

    fn bucket(self) -> usize {
        (self.0 % BUCKETS as u64) as usize
    }
}

/// The features of a text (see the module notes).
pub fn features(text: &str, lang: Option<&str>) -> Features {
    let tokens = tokenize(text);
    features_of(&tokens, &scored(&tokens, lang), |parts| {
        let mut features = Features::new();
        parts.for_each(|i, value| features.push((i, value)));
        features
    })
}

/// A text's features as [`features_of`] finds them: the present sparse buckets, each with the
/// same value, and the dense features.
struct FeatureParts<'a> {
    sparse: &'a Buckets,
    dense: [f64; DENSE],
}

impl FeatureParts<'_> {
    /// Each feature in [`Features`] order: sparse buckets (increasing), dense features, bias.
    fn for_each(&self, mut feature: impl FnMut(usize, f64)) {
        let value = if self.sparse.len == 0 {
            0.0
        } else {
            1.0 / (self.sparse.len as f64).sqrt()
        };
        for (at, &non_zero) in self.sparse.non_zero.iter().enumerate() {
            for word in set_bits(non_zero).map(|bit| at * 64 + bit) {
                let bits = self.sparse.words.get(word).copied().unwrap_or(0);
                for bit in set_bits(bits) {
                    feature(word * 64 + bit, value);
                }
            }
        }
        for (i, value) in (BUCKETS..).zip(self.dense) {
            feature(i, value);
        }
        feature(BUCKETS + DENSE, 1.0);
    }
}

const BUCKET_WORDS: usize = BUCKETS / 64;

/// A set of buckets that gives them in increasing order: a bitset, with a bit per non-zero word
/// of it so that listing and clearing them skips the empty words. (Cheaper than sorting and
/// deduplicating a post's ~60 buckets, as long as the 2 KiB set is reused rather than zeroed per
/// post: [`BUCKET_SET`].)
struct Buckets {
    words: [u64; BUCKET_WORDS],
    non_zero: [u64; BUCKET_WORDS / 64],
    len: usize,
}

impl Buckets {
    const fn new() -> Buckets {
        Buckets {
            words: [0; BUCKET_WORDS],
            non_zero: [0; BUCKET_WORDS / 64],
            len: 0,
        }
    }

    /// Empties the set, zeroing only its non-zero words.
    fn clear(&mut self) {
        let non_zero = std::mem::take(&mut self.non_zero);
        for (at, bits) in non_zero.into_iter().enumerate() {
            for bit in set_bits(bits) {
                if let Some(word) = self.words.get_mut(at * 64 + bit) {
                    *word = 0;
                }
            }
        }
        self.len = 0;
    }

    fn insert(&mut self, bucket: usize) {
        let word = (bucket / 64) % BUCKET_WORDS;
        let bit = 1 << (bucket % 64);
        if self.words[word] & bit == 0 {
            self.words[word] |= bit;
            self.non_zero[word / 64] |= 1 << (word % 64);
            self.len += 1;
        }
    }
}

/// The indexes of the set bits of a word, lowest first.
fn set_bits(mut bits: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (bits != 0).then(|| {
            let bit = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            bit
        })
    })
}

/// The Dutch and English negations, for the negated-word features, with a bitset of their shapes
/// ([`shape`]) that turns most other words away before hashing them.
static NEGATIONS: LazyLock<(foldhash::HashSet<&'static str>, [u64; 16])> = LazyLock::new(|| {
    let words: foldhash::HashSet<&'static str> =
        NL_NEGATIONS.iter().chain(EN_NEGATIONS).copied().collect();
    let mut shapes = [0u64; 16];
    for word in &words {
        let bit = shape(word);
        shapes[bit / 64] |= 1 << (bit % 64);
    }
    (words, shapes)
});

/// A word's length and first and last bytes, folded into 0..1024.
fn shape(word: &str) -> usize {
    let bytes = word.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return 0;
    };
    (usize::from(first) * 31 + usize::from(last) * 7 + bytes.len()) % 1024
}

/// Whether a word is in [`NL_NEGATIONS`] or [`EN_NEGATIONS`], or ends in "n't".
fn is_negation(word: &str) -> bool {
    let (words, shapes) = &*NEGATIONS;
    let bit = shape(word);
    (shapes[bit / 64] & (1 << (bit % 64)) != 0 && words.contains(word)) || word.ends_with("n't")
}

thread_local! {
    /// The bucket set [`features_of`] fills, one per thread, reused.
    static BUCKET_SET: RefCell<Buckets> = const { RefCell::new(Buckets::new()) };
}

/// [`features`] of tokens and their lexicon score, handed to `then`.
fn features_of<R>(
    tokens: &[Token],
    scored: &Scored,
    then: impl FnOnce(FeatureParts<'_>) -> R,
) -> R {
    BUCKET_SET.with_borrow_mut(|sparse| {
        sparse.clear();
        features_into(tokens, scored, sparse, then)
    })
}

/// [`features_of`] with an empty bucket set.
fn features_into<R>(
    tokens: &[Token],
    scored: &Scored,
    sparse: &mut Buckets,
    then: impl FnOnce(FeatureParts<'_>) -> R,
) -> R {
    let mut negation_left = 0usize;
    // The bigram hash of the previous word so far ("b", previous word): each word's bytes are
    // hashed once for its word feature, its bigram with the previous word and the start of the
    // next bigram, in one loop.
    let mut previous: Option<Fnv> = None;
    let mut exclamation = false;
    let mut question = false;
    for token in tokens {
        match token.kind {
            TokenKind::Word => {
                let word = token.text.as_ref();
                let negation = is_negation(word);
                // A negated word is hashed as "!word".
                let negated = if negation_left > 0 {
                    negation_left -= 1;
                    "!"
                } else {
                    ""
                };
                if negation {
                    negation_left = NEGATION_SCOPE;
                }
                let mut unigram = Fnv::new("w").part(negated);
                let mut bigram = previous.map(Fnv::separator);
                let mut next_bigram = Fnv::new("b").separator();
                // Two loops rather than a test of `bigram` for every byte.
                match &mut bigram {
                    Some(bigram) => {
                        for byte in word.bytes() {
                            unigram.byte(byte);
                            bigram.byte(byte);
                            next_bigram.byte(byte);
                        }
                    }
                    None => {
                        for byte in word.bytes() {
                            unigram.byte(byte);
                            next_bigram.byte(byte);
                        }
                    }
                }
                sparse.insert(unigram.bucket());
                if let Some(bigram) = bigram {
                    sparse.insert(bigram.bucket());
                }
                previous = Some(next_bigram);
            }
            TokenKind::Hashtag => sparse.insert(Fnv::new("#").part(&token.text).bucket()),
            TokenKind::Emoji | TokenKind::Emoticon => {
                let base = token
                    .text
                    .chars()
                    .next()
                    .map_or("", |c| &token.text[..c.len_utf8()]);
                sparse.insert(Fnv::new("e").part(base).bucket());
            }
            TokenKind::Url => sparse.insert(Fnv::new("<url>").bucket()),
            // Punctuation is one char: its bytes are compared, not strings.
            TokenKind::Punct => {
                let text = token.text.as_bytes();
                exclamation |= text == b"!";
                question |= text == b"?";
                if matches!(text, [b'.' | b',' | b';' | b':' | b'!' | b'?']) {
                    negation_left = 0;
                    previous = None;
                }
            }
            TokenKind::Mention | TokenKind::Number => {}
        }
    }
    then(FeatureParts {
        sparse,
        dense: [
            scored.score,
            scored.positive,
            scored.negative,
            (scored.hits as f64).ln_1p(),
            f64::from(u8::from(exclamation)),
            f64::from(u8::from(question)),
        ],
    })
}

/// Class probabilities from the logits.
fn softmax(logits: [f64; CLASSES]) -> [f64; CLASSES] {
    let max = logits.iter().copied().fold(f64::MIN, f64::max);
    let exp = logits.map(|l| (l - max).exp());
    let sum: f64 = exp.iter().sum();
    [exp[0] / sum, exp[1] / sum, exp[2] / sum]
}

/// The polarity with the highest probability (the last of equal ones).
fn most_probable(p: [f64; CLASSES]) -> Polarity {
    let best = (0..CLASSES)
        .max_by(|&a, &b| p[a].total_cmp(&p[b]))
        .unwrap_or(1);
    Polarity::ALL[best]
}

/// Weights of a trained model: `weights[feature * 3 + class]`, classes in [`Polarity::ALL`] order.
#[derive(Debug, Clone, PartialEq)]
pub struct PolarityModel {
    weights: Vec<f64>,
}

fn class_index(polarity: Polarity) -> usize {
    match polarity {
        Polarity::Negative => 0,
        Polarity::Neutral => 1,
        Polarity::Positive => 2,
    }
}

impl PolarityModel {
    /// Whether any weight is set (an untrained model predicts nothing useful).
    pub fn is_trained(&self) -> bool {
        self.weights.iter().any(|w| *w != 0.0)
    }

    /// Class probabilities (negative, neutral, positive) for a text's features.
    pub fn probabilities(&self, features: &Features) -> [f64; CLASSES] {
        self.probabilities_from(features.iter().copied())
    }

    /// [`PolarityModel::probabilities`] of features in [`Features`] order, however held.
    fn probabilities_from(&self, features: impl Iterator<Item = (usize, f64)>) -> [f64; CLASSES] {
        let mut logits = [0.0; CLASSES];
        for (i, value) in features {
            self.add(&mut logits, i, value);
        }
        softmax(logits)
    }

    /// One feature's share of the logits.
    fn add(&self, logits: &mut [f64; CLASSES], i: usize, value: f64) {
        // A feature outside the model (only a hand-made Features can have one) adds nothing.
        if let Some(weights) = self.weights.get(i * CLASSES..(i + 1) * CLASSES) {
            for (logit, weight) in logits.iter_mut().zip(weights) {
                *logit += weight * value;
            }
        }
    }

    /// [`PolarityModel::predict`] of a post's [`FeatureParts`], without collecting them.
    fn predict_parts(&self, parts: &FeatureParts) -> Polarity {
        let mut logits = [0.0; CLASSES];
        parts.for_each(|i, value| self.add(&mut logits, i, value));
        most_probable(softmax(logits))
    }

    /// The most probable polarity.
    pub fn predict(&self, features: &Features) -> Polarity {
        most_probable(self.probabilities(features))
    }

    /// Train on (features, gold polarity) examples (see the module notes).
    pub fn train(examples: &[(Features, Polarity)]) -> PolarityModel {
        let weights = vec![0.0; DIM * CLASSES];
        let mut squares = vec![1e-8; DIM * CLASSES];
        let mut counts = [0usize; CLASSES];
        for (_, gold) in examples {
            counts[class_index(*gold)] += 1;
        }
        let n = examples.len().max(1) as f64;
        let class_weight: Vec<f64> = counts
            .iter()
            .map(|&c| {
                if c == 0 {
                    0.0
                } else {
                    n / (CLASSES as f64 * c as f64)
                }
            })
            .collect();
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut seed: u64 = 0x2545F4914F6CDD1D;
        let mut model = PolarityModel { weights };
        for _ in 0..EPOCHS {
            // Fisher–Yates with a fixed xorshift seed.
            for i in (1..order.len()).rev() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                order.swap(i, (seed % (i as u64 + 1)) as usize);
            }
            for &e in &order {
                let (features, gold) = &examples[e];
                let gold = class_index(*gold);
                let p = model.probabilities(features);
                for &(i, value) in features {
                    for (c, &pc) in p.iter().enumerate() {
                        let target = if c == gold { 1.0 } else { 0.0 };
                        let k = i * CLASSES + c;
                        let gradient =
                            class_weight[gold] * (pc - target) * value + L2 * model.weights[k];
                        squares[k] += gradient * gradient;
                        model.weights[k] -= LEARNING_RATE * gradient / squares[k].sqrt();
                    }
                }
            }
        }
        model
    }

    /// The model as text: a header line, then `index<TAB>w_negative<TAB>w_neutral<TAB>w_positive`
    /// for every feature with a non-zero weight.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "# dialoog polarity model: logistic regression, {BUCKETS} hash buckets + {DENSE} dense + bias\n"
        );
        for i in 0..DIM {
            let w = &self.weights[i * CLASSES..(i + 1) * CLASSES];
            if w.iter().any(|x| *x != 0.0) {
                out.push_str(&format!("{i}\t{:.6}\t{:.6}\t{:.6}\n", w[0], w[1], w[2]));
            }
        }
        out
    }

    /// Read [`PolarityModel::to_text`]'s format; `None` when it does not parse.
    pub fn from_text(text: &str) -> Option<PolarityModel> {
        let mut weights = vec![0.0; DIM * CLASSES];
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let mut fields = line.split('\t');
            let i: usize = fields.next()?.parse().ok()?;
            if i >= DIM {
                return None;
            }
            for c in 0..CLASSES {
                weights[i * CLASSES + c] = fields.next()?.parse().ok()?;
            }
        }
        Some(PolarityModel { weights })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trains_separates_and_round_trips() {
        let mut examples = Vec::new();
        for i in 0..20 {
            examples.push((
                features(&format!("heel goed plan {i}"), Some("nl")),
                Polarity::Positive,
            ));
            examples.push((
                features(&format!("slecht plan, schande {i}"), Some("nl")),
                Polarity::Negative,
            ));
            examples.push((
                features(&format!("vergadering om {i} uur"), Some("nl")),
                Polarity::Neutral,
            ));
        }
        let model = PolarityModel::train(&examples);
        assert_eq!(
            model.predict(&features("goed plan", Some("nl"))),
            Polarity::Positive
        );
        assert_eq!(
            model.predict(&features("schande", Some("nl"))),
            Polarity::Negative
        );
        assert_eq!(
            model.predict(&features("vergadering", Some("nl"))),
            Polarity::Neutral
        );
        let again = PolarityModel::from_text(&model.to_text()).unwrap();
        let f = features("goed plan", Some("nl"));
        let (a, b) = (model.probabilities(&f), again.probabilities(&f));
        assert!((a[2] - b[2]).abs() < 1e-4);
        assert_eq!(PolarityModel::train(&examples), model, "deterministic");
    }

    #[test]
    fn shipped_model_loads_and_post_polarity_is_robust() {
        assert!(
            NL_MODEL.is_some(),
            "crates/text/models/nl-polarity.tsv parses"
        );
        assert_eq!(post_polarity("", None), Polarity::Neutral);
        assert_eq!(post_polarity("   ", Some("nl")), Polarity::Neutral);
        assert_eq!(
            post_polarity("Wat een prachtige dag, gefeliciteerd! 🎉", Some("nl")),
            Polarity::Positive
        );
        assert_eq!(
            post_polarity(
                "Dit is een schande, echt onacceptabel en slecht beleid.",
                Some("nl")
            ),
            Polarity::Negative
        );
        // English goes to the lexicon.
        assert_eq!(
            post_polarity("This is terrible, I hate it", Some("en")),
            Polarity::Negative
        );
        let long = "Het kabinet is niet goed bezig, maar de burgemeester doet het prima 😀! "
            .repeat(1_500);
        assert!(long.len() > 100_000);
        let _ = post_polarity(&long, None);
        let _ = features(&long, Some("nl"));
    }
}
