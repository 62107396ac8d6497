//! Sentiment per post in [−1, 1], Dutch and English, from word lexicons with the rules that move a
//! score: negation, intensifiers, "but", emoji and emoticons, hashtags and exclamation marks.
//!
//! ## Lexicons (both ship in `data/lexicons/`, see its SOURCE.md)
//! - **Dutch**: Pattern's subjectivity lexicon (`nl-sentiment.xml`, De Smedt & Daelemans, PDDL):
//!   3,918 senses of mostly adjectives with a polarity in [−1, 1] and an intensity. A word form's
//!   polarity is the mean over its senses. Inflected adjectives are found through their base form
//!   (`goede` → `goed`, `grote` → `groot`, `lieve` → `lief`, `beter`/`beste` → `beter`/`best`…).
//!   A small table of domain words that are not adjectives completes it ([`NL_DOMAIN`]).
//! - **English**: VADER's `vader_lexicon.txt` (Hutto & Gilbert, MIT): 7,500 words, emoticons and
//!   slang with a mean rating in −4..4, scaled to −1..1 (÷ 4).
//!
//! ## Scoring
//! Every sentiment-bearing token (lexicon word, hashtag, emoji, emoticon) gives one value; the
//! post's score is their weighted mean, multiplied for exclamation marks and clamped to [−1, 1].
//! No sentiment-bearing token gives 0.
//! - **Negation** ([`NL_NEGATIONS`], [`EN_NEGATIONS`] and any word ending in `n't`) flips and
//!   dampens the next [`NEGATION_SCOPE`] words: value × [`NEGATION_FACTOR`] (−0.5, so "niet goed"
//!   is negative and "niet slecht" mildly positive). Punctuation and "maar"/"but" end the scope.
//! - **Intensifiers** ([`NL_INTENSIFIERS`], [`EN_INTENSIFIERS`]) right before a sentiment word
//!   multiply its value (Dutch ones by the intensity Pattern gives the word where it has one,
//!   e.g. "erg" 1.9, "heel" 1.7); **dampeners** ("beetje", "slightly", …) multiply by 0.6. An
//!   intensifier used this way gives no value of its own.
//! - **But**: values before "maar"/"but"/"however" get half the weight, values after 1.5×
//!   (as in VADER).
//! - **Emoji and emoticons**: a fixed table ([`EMOJI`]); each is one value.
//! - **Hashtags**: looked up like a word (`#schande`, `#fail`), and in [`HASHTAGS`].
//! - **Exclamation**: each `!` (at most 3) multiplies a non-zero score by 1.1.
//!
//! [`polarity`] turns a score into negative / neutral / positive with [`NEGATIVE_BELOW`] and
//! [`POSITIVE_ABOVE`] (chosen by hand before evaluation; on the Dutch political dev set,
//! thresholds cross-validated over a grid do no better: see [`crate::eval`]). For a post's
//! three-way label prefer [`crate::post_polarity`], which uses a trained model for Dutch.

use crate::tokens::{Token, TokenKind, tokenize};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Three-way polarity of a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Polarity {
    Negative,
    Neutral,
    Positive,
}

impl Polarity {
    pub const ALL: [Polarity; 3] = [Polarity::Negative, Polarity::Neutral, Polarity::Positive];

    /// "negative", "neutral" or "positive".
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Negative => "negative",
            Polarity::Neutral => "neutral",
            Polarity::Positive => "positive",
        }
    }
}

/// The lexicons [`sentiment`] uses, for the factsheet's method section: (language, name and
/// authors, licence, where it ships).
pub const LEXICONS: &[(&str, &str, &str, &str)] = &[
    (
        "nl",
        "Pattern subjectivity lexicon for Dutch adjectives (De Smedt & Daelemans, CLiPS)",
        "PDDL",
        "data/lexicons/nl-sentiment.xml",
    ),
    (
        "en",
        "VADER sentiment lexicon 3.3.2 (Hutto & Gilbert)",
        "MIT",
        "data/lexicons/vader_lexicon.txt",
    ),
];

/// A score below this is [`Polarity::Negative`].
pub const NEGATIVE_BELOW: f64 = -0.05;
/// A score above this is [`Polarity::Positive`]; scores in between (inclusive) are neutral.
pub const POSITIVE_ABOVE: f64 = 0.1;

/// Three-way polarity of a sentiment score with the documented thresholds: negative below
/// [`NEGATIVE_BELOW`], positive above [`POSITIVE_ABOVE`], else neutral.
pub fn polarity(score: f64) -> Polarity {
    polarity_with(score, NEGATIVE_BELOW, POSITIVE_ABOVE)
}

/// [`polarity`] with other thresholds (for evaluation).
pub fn polarity_with(score: f64, negative_below: f64, positive_above: f64) -> Polarity {
    if score < negative_below {
        Polarity::Negative
    } else if score > positive_above {
        Polarity::Positive
    } else {
        Polarity::Neutral
    }
}

/// Words after a negation that it reaches.
pub const NEGATION_SCOPE: usize = 3;
/// What a negation multiplies a value by.
pub const NEGATION_FACTOR: f64 = -0.5;
/// What a dampener multiplies the next value by.
pub const DAMPENER_FACTOR: f64 = 0.6;
/// What an English intensifier (and a Dutch one without a Pattern intensity) multiplies by.
pub const INTENSIFIER_FACTOR: f64 = 1.4;

pub const NL_NEGATIONS: &[&str] = &[
    "niet",
    "geen",
    "nooit",
    "niets",
    "niks",
    "nergens",
    "noch",
    "zonder",
    "allerminst",
    "geenszins",
];
pub const EN_NEGATIONS: &[&str] = &[
    "not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "without", "cannot",
    "cant", "dont", "doesnt", "didnt", "isnt", "wasnt", "wont", "hardly",
];
pub const NL_INTENSIFIERS: &[&str] = &[
    "heel",
    "erg",
    "zeer",
    "echt",
    "enorm",
    "ontzettend",
    "super",
    "hartstikke",
    "bijzonder",
    "uiterst",
    "extreem",
    "verschrikkelijk",
    "vreselijk",
    "ontzaglijk",
    "buitengewoon",
    "zó",
    "zo",
    "te",
    "veel",
    "hoogst",
    "intens",
    "diep",
    "volstrekt",
    "totaal",
    "absoluut",
    "keihard",
    "ongelooflijk",
    "mega",
    "echt",
    "werkelijk",
    "bizar",
    "knetter",
    "waanzinnig",
];
pub const EN_INTENSIFIERS: &[&str] = &[
    "very",
    "really",
    "so",
    "too",
    "extremely",
    "absolutely",
    "completely",
    "totally",
    "highly",
    "incredibly",
    "deeply",
    "truly",
    "most",
    "super",
    "utterly",
    "hugely",
    "especially",
    "remarkably",
    "terribly",
    "awfully",
    "fully",
    "entirely",
    "quite",
];
pub const NL_DAMPENERS: &[&str] = &[
    "beetje",
    "enigszins",
    "redelijk",
    "nogal",
    "tamelijk",
    "iets",
    "ietwat",
    "lichtelijk",
    "vrij",
];
pub const EN_DAMPENERS: &[&str] = &[
    "slightly", "somewhat", "barely", "fairly", "kinda", "sorta", "partly", "rather", "little",
];
const NL_BUT: &[&str] = &["maar", "echter"];
const EN_BUT: &[&str] = &["but", "however", "yet"];

/// Dutch domain words outside Pattern's adjective lexicon: thanks, congratulations, mourning,
/// blame and crisis words common in public-sector conversations. Values in [−1, 1]; written from
/// general knowledge of the register, not fitted to any labelled set.
pub const NL_DOMAIN: &[(&str, f64)] = &[
    ("bedankt", 0.6),
    ("dank", 0.5),
    ("dankjewel", 0.6),
    ("dankuwel", 0.6),
    ("dankbaar", 0.7),
    ("gefeliciteerd", 0.8),
    ("proficiat", 0.8),
    ("felicitaties", 0.8),
    ("hulde", 0.7),
    ("bravo", 0.7),
    ("chapeau", 0.7),
    ("top", 0.6),
    ("trots", 0.7),
    ("succes", 0.5),
    ("welkom", 0.4),
    ("hoera", 0.7),
    ("genieten", 0.5),
    ("steun", 0.3),
    ("hoop", 0.3),
    ("samen", 0.2),
    ("goed", 0.6),
    ("helaas", -0.5),
    ("schande", -0.8),
    ("schandaal", -0.7),
    ("teleurstelling", -0.6),
    ("teleurgesteld", -0.6),
    ("ramp", -0.6),
    ("drama", -0.5),
    ("chaos", -0.6),
    ("crisis", -0.3),
    ("slachtoffers", -0.4),
    ("slachtoffer", -0.4),
    ("verdriet", -0.6),
    ("condoleances", -0.5),
    ("overleden", -0.5),
    ("rip", -0.5),
    ("falen", -0.6),
    ("faalt", -0.6),
    ("gefaald", -0.6),
    ("mislukt", -0.6),
    ("leugen", -0.6),
    ("leugens", -0.6),
    ("liegen", -0.6),
    ("liegt", -0.6),
    ("probleem", -0.3),
    ("problemen", -0.3),
    ("blunder", -0.6),
    ("wanbeleid", -0.7),
    ("onacceptabel", -0.7),
    ("onbegrijpelijk", -0.6),
    ("zorgelijk", -0.5),
    ("woedend", -0.8),
    ("boos", -0.6),
    ("bang", -0.5),
    ("angst", -0.5),
    ("haat", -0.8),
    ("geweld", -0.6),
    ("racisme", -0.7),
    ("discriminatie", -0.7),
    ("armoede", -0.5),
    ("schaamte", -0.6),
    ("kritiek", -0.3),
    ("dreigt", -0.3),
    ("dupe", -0.6),
    ("weigert", -0.4),
    ("tekort", -0.4),
    ("tekorten", -0.4),
];

/// Emoji and emoticons with a value in [−1, 1]: faces, hearts, hands and a few symbols whose
/// sense is stable; others (flags, objects, arrows) have none.
pub const EMOJI: &[(&str, f64)] = &[
    ("😀", 0.7),
    ("😃", 0.7),
    ("😄", 0.7),
    ("😁", 0.7),
    ("😆", 0.6),
    ("😂", 0.4),
    ("🤣", 0.4),
    ("😊", 0.7),
    ("🙂", 0.5),
    ("😉", 0.4),
    ("😍", 0.9),
    ("🥰", 0.9),
    ("😘", 0.7),
    ("😎", 0.5),
    ("🤗", 0.6),
    ("🥳", 0.8),
    ("😇", 0.6),
    ("👍", 0.6),
    ("👏", 0.7),
    ("🙌", 0.7),
    ("💪", 0.6),
    ("🎉", 0.8),
    ("🎊", 0.7),
    ("🍾", 0.6),
    ("🥂", 0.6),
    ("❤", 0.8),
    ("❤️", 0.8),
    ("💙", 0.7),
    ("💚", 0.7),
    ("💛", 0.7),
    ("🧡", 0.7),
    ("💜", 0.7),
    ("💕", 0.8),
    ("💖", 0.8),
    ("😻", 0.7),
    ("✅", 0.3),
    ("🌞", 0.5),
    ("☀️", 0.4),
    ("🌷", 0.4),
    ("💐", 0.6),
    ("🙏", 0.4),
    ("✨", 0.4),
    ("⭐", 0.4),
    ("🤞", 0.3),
    ("👌", 0.5),
    ("😢", -0.6),
    ("😭", -0.7),
    ("😞", -0.6),
    ("😔", -0.5),
    ("😟", -0.5),
    ("😕", -0.4),
    ("🙁", -0.5),
    ("☹️", -0.6),
    ("😩", -0.6),
    ("😫", -0.6),
    ("😠", -0.8),
    ("😡", -0.9),
    ("🤬", -0.9),
    ("😤", -0.6),
    ("🙄", -0.5),
    ("😒", -0.5),
    ("🤮", -0.8),
    ("🤢", -0.7),
    ("😱", -0.6),
    ("😨", -0.5),
    ("😰", -0.5),
    ("🤦", -0.6),
    ("🤦‍♂️", -0.6),
    ("🤦‍♀️", -0.6),
    ("👎", -0.6),
    ("💔", -0.7),
    ("😬", -0.3),
    ("🤔", -0.1),
    ("❌", -0.3),
    ("⚠️", -0.2),
    ("🖕", -0.9),
    ("💩", -0.7),
    (":)", 0.6),
    (":-)", 0.6),
    (":))", 0.7),
    (":-))", 0.7),
    (":D", 0.7),
    (":-D", 0.7),
    (";)", 0.4),
    (";-)", 0.4),
    ("=)", 0.5),
    (":P", 0.3),
    (":-P", 0.3),
    (":p", 0.3),
    (":-p", 0.3),
    ("<3", 0.8),
    (":(", -0.6),
    (":-(", -0.6),
    (":((", -0.7),
    (":-((", -0.7),
    (":'(", -0.7),
    (":'-(", -0.7),
    ("=(", -0.6),
    (":/", -0.3),
    (":-/", -0.3),
    (":|", -0.2),
    (":-|", -0.2),
    (":S", -0.4),
    (":-S", -0.4),
    (":-@", -0.8),
    ("</3", -0.7),
];

/// Hashtags with a value beyond the word lexicons.
pub const HASHTAGS: &[(&str, f64)] = &[
    ("fail", -0.7),
    ("epicfail", -0.8),
    ("schande", -0.8),
    ("fml", -0.7),
    ("win", 0.6),
    ("trots", 0.7),
    ("proud", 0.7),
    ("blij", 0.6),
    ("boos", -0.6),
    ("woest", -0.8),
    ("zucht", -0.4),
    ("sad", -0.6),
    ("happy", 0.6),
    ("love", 0.7),
    ("thanks", 0.5),
    ("bedankt", 0.6),
    ("dank", 0.5),
    ("respect", 0.5),
    ("helden", 0.7),
    ("toppers", 0.7),
];

/// One word's entry: polarity and, for Pattern words, intensity.
#[derive(Debug, Clone, Copy)]
struct Entry {
    polarity: f64,
    intensity: f64,
}

/// What a word does to the words around it (see the module notes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Role {
    #[default]
    Plain,
    Negation,
    But,
    Dampener,
    Intensifier,
}

/// A known word: its lexicon entry, if any, the entry of its base form (an inflected Dutch
/// adjective), and its role, so that scoring a word takes one hash lookup.
#[derive(Debug, Clone, Copy, Default)]
struct Known {
    entry: Option<Entry>,
    /// [`first_dutch_base`]'s entry, for Dutch words without an entry of their own.
    base: Option<Entry>,
    role: Role,
}

struct Lexicon {
    words: foldhash::HashMap<String, Known>,
    dutch: bool,
}

const NL_XML: &str = include_str!("../../../data/lexicons/nl-sentiment.xml");
const EN_VADER: &str = include_str!("../../../data/lexicons/vader_lexicon.txt");

/// The value of attribute `name` in one XML start tag (`name="value"`).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut search = tag;
    loop {
        let at = search.find(name)?;
        let before = search[..at].chars().next_back();
        let after = &search[at + name.len()..];
        if before.is_none_or(char::is_whitespace) && after.starts_with("=\"") {
            let value = &after[2..];
            return value.find('"').map(|end| &value[..end]);
        }
        search = &search[at + name.len()..];
    }
}

/// Pattern's XML: `<word form=".." polarity=".." intensity=".." …/>`, one sense per element.
/// The mean polarity and the largest intensity over a form's senses.
fn parse_pattern(xml: &str) -> HashMap<String, Entry> {
    let mut sums: HashMap<String, (f64, f64, usize)> = HashMap::new();
    for tag in xml.split("<word ").skip(1) {
        let tag = tag.split("/>").next().unwrap_or(tag);
        let (Some(form), Some(polarity)) = (attribute(tag, "form"), attribute(tag, "polarity"))
        else {
            continue;
        };
        let Ok(polarity) = polarity.parse::<f64>() else {
            continue;
        };
        let intensity = attribute(tag, "intensity")
            .and_then(|i| i.parse::<f64>().ok())
            .unwrap_or(1.0);
        let entry = sums.entry(form.to_lowercase()).or_insert((0.0, 0.0, 0));
        entry.0 += polarity;
        entry.1 = entry.1.max(intensity);
        entry.2 += 1;
    }
    sums.into_iter()
        .map(|(form, (sum, intensity, n))| {
            (
                form,
                Entry {
                    polarity: sum / n as f64,
                    intensity,
                },
            )
        })
        .collect()
}

/// VADER's lexicon: `token<TAB>mean rating (−4..4)<TAB>sd<TAB>ratings`; scaled to −1..1.
fn parse_vader(text: &str) -> HashMap<String, Entry> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let token = fields.next()?;
            let rating = fields.next()?.trim().parse::<f64>().ok()?;
            Some((
                token.to_lowercase(),
                Entry {
                    polarity: (rating / 4.0).clamp(-1.0, 1.0),
                    intensity: 1.0,
                },
            ))
        })
        .collect()
}

static DUTCH: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut words = parse_pattern(NL_XML);
    for &(word, value) in NL_DOMAIN {
        words.entry(word.to_string()).or_insert(Entry {
            polarity: value,
            intensity: 1.0,
        });
    }
    Lexicon::new(
        words,
        NL_NEGATIONS,
        NL_BUT,
        NL_DAMPENERS,
        NL_INTENSIFIERS,
        true,
    )
});

static ENGLISH: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(
        parse_vader(EN_VADER),
        EN_NEGATIONS,
        EN_BUT,
        EN_DAMPENERS,
        EN_INTENSIFIERS,
        false,
    )
});

static EMOJI_MAP: LazyLock<foldhash::HashMap<&'static str, f64>> =
    LazyLock::new(|| EMOJI.iter().copied().collect());
static HASHTAG_MAP: LazyLock<foldhash::HashMap<&'static str, f64>> =
    LazyLock::new(|| HASHTAGS.iter().copied().collect());

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// The first of the base forms of an inflected Dutch adjective, most likely first, for which
/// `found` gives a value: per suffix (-ste, -st, -ere, -er, -e) the stem, the stem without a
/// doubled final consonant (dikk(e) → dik), the devoiced stem with its vowel made long
/// (grot(e) → groot, boz(e) → boos) and the devoiced stem (liev(e) → lief). One buffer for
/// all forms: this runs for every unknown Dutch word.
fn first_dutch_base<T>(word: &str, found: impl Fn(&str) -> Option<T>) -> Option<T> {
    let mut form = String::new();
    for suffix in ["ste", "st", "ere", "er", "e"] {
        let Some(stem) = word.strip_suffix(suffix) else {
            continue;
        };
        // The stem's last three chars, last first: stems of fewer than three are skipped.
        let mut from_end = stem.chars().rev();
        let (Some(last), Some(second), Some(third)) =
            (from_end.next(), from_end.next(), from_end.next())
        else {
            continue;
        };
        let all_but_last = &stem[..stem.len() - last.len_utf8()];
        if let Some(value) = found(stem) {
            return Some(value);
        }
        if last == second
            && !is_vowel(last)
            && let Some(value) = found(all_but_last)
        {
            return Some(value);
        }
        let devoiced = match last {
            'v' => 'f',
            'z' => 's',
            other => other,
        };
        if !is_vowel(devoiced) && is_vowel(second) && !is_vowel(third) && second != 'i' {
            form.clear();
            form.push_str(all_but_last);
            form.push(second);
            form.push(devoiced);
            if let Some(value) = found(&form) {
                return Some(value);
            }
        }
        if devoiced != last {
            form.clear();
            form.push_str(all_but_last);
            form.push(devoiced);
            if let Some(value) = found(&form) {
                return Some(value);
            }
        }
    }
    None
}

impl Lexicon {
    /// The lexicon's words with the role lists; a word on several lists keeps the role that
    /// [`score`] checks first (negation, but, dampener, intensifier).
    fn new(
        entries: HashMap<String, Entry>,
        negations: &[&str],
        but: &[&str],
        dampeners: &[&str],
        intensifiers: &[&str],
        dutch: bool,
    ) -> Lexicon {
        let mut words: foldhash::HashMap<String, Known> = entries
            .into_iter()
            .map(|(word, entry)| {
                let known = Known {
                    entry: Some(entry),
                    ..Known::default()
                };
                (word, known)
            })
            .collect();
        for (list, role) in [
            (intensifiers, Role::Intensifier),
            (dampeners, Role::Dampener),
            (but, Role::But),
            (negations, Role::Negation),
        ] {
            for word in list {
                words.entry((*word).to_string()).or_default().role = role;
            }
        }
        if dutch {
            add_dutch_bases(&mut words);
        }
        Lexicon { words, dutch }
    }

    /// A word's entry and role (English "…n't" words are negations).
    fn known(&self, word: &str) -> Known {
        let mut known = self.words.get(word).copied().unwrap_or_default();
        if known.role == Role::Plain && !self.dutch && word.ends_with("n't") {
            known.role = Role::Negation;
        }
        known
    }

    /// The entry of a word as written, else (Dutch) of its base form.
    fn lookup(&self, word: &str) -> Option<Entry> {
        self.words.get(word).and_then(Known::entry_or_base)
    }
}

impl Known {
    fn entry_or_base(&self) -> Option<Entry> {
        self.entry.or(self.base)
    }
}

/// Fills in [`Known::base`]: every word longer than four bytes without an entry of its own for
/// which [`first_dutch_base`] finds one, so that scoring looks a word up once instead of trying
/// up to a dozen base forms of every unknown word. Such a word is one of the inflections of a
/// lexicon word that [`first_dutch_base`] undoes (its base + suffix, with the final consonant
/// doubled, with a long vowel shortened and a consonant voiced, or with f/s voiced to v/z): those
/// are generated from each entry and each kept with what [`first_dutch_base`] itself says.
fn add_dutch_bases(words: &mut foldhash::HashMap<String, Known>) {
    let direct = |words: &foldhash::HashMap<String, Known>, form: &str| {
        words.get(form).and_then(|k| k.entry)
    };
    let mut candidates: Vec<String> = words
        .iter()
        .filter(|(_, known)| known.entry.is_none())
        .map(|(word, _)| word.clone())
        .collect();
    for (base, _) in words.iter().filter(|(_, known)| known.entry.is_some()) {
        let chars: Vec<char> = base.chars().collect();
        let mut stems = vec![base.clone()];
        if let Some(&last) = chars.last() {
            // Doubled final consonant: dik → dikk(e).
            stems.push(format!("{base}{last}"));
            let all_but_last: String = chars[..chars.len() - 1].iter().collect();
            // Voiced f/s: lief → liev(e), boos → booz(e) (with the long vowel shortened below).
            let voiced = match last {
                'f' => Some('v'),
                's' => Some('z'),
                _ => None,
            };
            if let Some(voiced) = voiced {
                stems.push(format!("{all_but_last}{voiced}"));
            }
            // Long vowel written once: groot → grot(e), boos → boz(e).
            if chars.len() >= 3 && chars[chars.len() - 2] == chars[chars.len() - 3] {
                let shortened: String = chars[..chars.len() - 2].iter().collect();
                stems.push(format!("{shortened}{last}"));
                if let Some(voiced) = voiced {
                    stems.push(format!("{shortened}{voiced}"));
                }
            }
        }
        for stem in stems {
            for suffix in ["ste", "st", "ere", "er", "e"] {
                candidates.push(format!("{stem}{suffix}"));
            }
        }
    }
    for word in candidates {
        if word.len() <= 4 || direct(words, &word).is_some() {
            continue;
        }
        if let Some(entry) = first_dutch_base(&word, |form| direct(words, form)) {
            words.entry(word).or_default().base = Some(entry);
        }
    }
}

/// The sentiment of a text in [−1, 1] (see the module notes). `lang` picks the lexicon: "nl"
/// (or any "nl-…") for Dutch, "en" for English; any other or no language scores with both
/// lexicons and keeps the one that finds more sentiment words (Dutch on a tie). Empty text → 0.
pub fn sentiment(text: &str, lang: Option<&str>) -> f64 {
    scored(&tokenize(text), lang).score
}

/// The lexicon score of tokens with its parts.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Scored {
    pub score: f64,
    /// Lexicon words found (also those with polarity 0).
    pub hits: usize,
    /// Sum of the positive and of the negative values (emoji and hashtags included).
    pub positive: f64,
    pub negative: f64,
}

/// [`sentiment`] on tokens, with the parts of the score.
pub(crate) fn scored(tokens: &[Token], lang: Option<&str>) -> Scored {
    match lang {
        Some(l) if crate::language_is(l, "nl") => score(tokens, &DUTCH),
        Some(l) if crate::language_is(l, "en") => score(tokens, &ENGLISH),
        _ => {
            let nl = score(tokens, &DUTCH);
            let en = score(tokens, &ENGLISH);
            if en.hits > nl.hits { en } else { nl }
        }
    }
}

/// The sums [`score`] needs of its (value, weight) pairs, kept as they come instead of keeping
/// the pairs: each sum adds in the same order, and halving every weight so far halves the two
/// weighted sums exactly (a power of two; short of a post with a thousand "but"s, where the
/// weights would underflow), so the result is what summing the pairs gives.
struct Values {
    positive: f64,
    negative: f64,
    weight: f64,
    weighted: f64,
}

impl Default for Values {
    /// Empty sums are −0.0, as `Iterator::sum` of `f64` starts (the model's features keep it).
    fn default() -> Values {
        Values {
            positive: -0.0,
            negative: -0.0,
            weight: -0.0,
            weighted: -0.0,
        }
    }
}

impl Values {
    fn push(&mut self, value: f64, weight: f64) {
        self.positive += value.max(0.0);
        self.negative += value.min(0.0);
        self.weight += weight;
        self.weighted += value * weight;
    }

    /// "but": what came before weighs half.
    fn halve_weights(&mut self) {
        self.weight *= 0.5;
        self.weighted *= 0.5;
    }
}

fn score(tokens: &[Token], lexicon: &Lexicon) -> Scored {
    let mut values = Values::default();
    let mut negation_left = 0usize;
    let mut multiplier = 1.0f64;
    let mut after_but = false;
    let mut lexicon_hits = 0usize;
    let mut exclamations = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        match token.kind {
            TokenKind::Word => {
                let word = token.text.as_ref();
                let known = lexicon.known(word);
                // Looked up only for dampeners and intensifiers: most words are neither.
                let next_scores = || {
                    tokens.get(i + 1).is_some_and(|next| {
                        next.kind == TokenKind::Word
                            && lexicon
                                .lookup(&next.text)
                                .is_some_and(|e| e.polarity != 0.0)
                    })
                };
                match known.role {
                    Role::Negation => {
                        negation_left = NEGATION_SCOPE;
                        multiplier = 1.0;
                        continue;
                    }
                    Role::But => {
                        values.halve_weights();
                        after_but = true;
                        negation_left = 0;
                        continue;
                    }
                    Role::Dampener if next_scores() => {
                        multiplier = DAMPENER_FACTOR;
                        continue;
                    }
                    Role::Intensifier if next_scores() => {
                        multiplier = match known.entry {
                            Some(entry) if lexicon.dutch && entry.intensity > 1.0 => {
                                entry.intensity
                            }
                            _ => INTENSIFIER_FACTOR,
                        };
                        continue;
                    }
                    _ => {}
                }
                if let Some(entry) = known.entry_or_base() {
                    lexicon_hits += 1;
                    if entry.polarity != 0.0 {
                        let mut value = entry.polarity * multiplier;
                        if negation_left > 0 {
                            value *= NEGATION_FACTOR;
                        }
                        values.push(value, if after_but { 1.5 } else { 1.0 });
                    }
                }
                multiplier = 1.0;
                negation_left = negation_left.saturating_sub(1);
            }
            TokenKind::Hashtag => {
                let value = HASHTAG_MAP
                    .get(token.text.as_ref())
                    .copied()
                    .or_else(|| lexicon.lookup(&token.text).map(|e| e.polarity));
                if let Some(value) = value.filter(|v| *v != 0.0) {
                    values.push(value, 1.0);
                }
            }
            TokenKind::Emoji | TokenKind::Emoticon => {
                let value = EMOJI_MAP.get(token.text.as_ref()).copied().or_else(|| {
                    // Without modifiers: 👍🏽 → 👍, ❤️ → ❤.
                    let base = token
                        .text
                        .chars()
                        .next()
                        .map_or("", |c| &token.text[..c.len_utf8()]);
                    EMOJI_MAP.get(base).copied()
                });
                if let Some(value) = value {
                    values.push(value, 1.0);
                }
            }
            TokenKind::Punct => {
                // One char: its bytes are compared, not strings.
                let text = token.text.as_bytes();
                if text == b"!" {
                    exclamations += 1;
                }
                if matches!(text, [b'.' | b',' | b';' | b':' | b'!' | b'?']) {
                    negation_left = 0;
                    multiplier = 1.0;
                }
            }
            TokenKind::Mention | TokenKind::Url | TokenKind::Number => {}
        }
    }
    let mut scored = Scored {
        hits: lexicon_hits,
        positive: values.positive,
        negative: values.negative,
        ..Scored::default()
    };
    let weight = values.weight;
    if weight > 0.0 {
        let mean = values.weighted / weight;
        let boosted = mean * 1.1f64.powi(exclamations.min(3) as i32);
        scored.score = boosted.clamp(-1.0, 1.0);
    }
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nl(text: &str) -> f64 {
        sentiment(text, Some("nl"))
    }

    fn en(text: &str) -> f64 {
        sentiment(text, Some("en"))
    }

    #[test]
    fn lexicons_load() {
        assert!(DUTCH.words.len() > 3000);
        assert!(ENGLISH.words.len() > 7000);
        // Mean over senses: "goed" has two senses, 0.6 and 0.5 (domain table does not override).
        assert!((DUTCH.lookup("goed").expect("goed").polarity - 0.55).abs() < 1e-9);
        assert!((ENGLISH.lookup("good").expect("good").polarity - 1.9 / 4.0).abs() < 1e-9);
    }

    #[test]
    fn plain_words() {
        assert!(nl("Dit is een mooi plan") > 0.3);
        assert!(nl("Dit is een slecht plan") < -0.3);
        assert!(en("This is a great plan") > 0.3);
        assert!(en("This is a terrible plan") < -0.3);
        assert_eq!(nl("De vergadering is om drie uur"), 0.0);
    }

    #[test]
    fn inflected_dutch_adjectives() {
        assert!(nl("Een goede dag") > 0.3);
        assert!(nl("Wat een slechte beslissing") < -0.3);
        assert!(nl("Grote zorgen") != 0.0);
        let base_of =
            |word: &str, wanted: &str| first_dutch_base(word, |b| (b == wanted).then_some(()));
        assert!(base_of("grote", "groot").is_some());
        assert!(base_of("lieve", "lief").is_some());
        assert!(base_of("dikke", "dik").is_some());
        assert!(base_of("boze", "boos").is_some());
        assert!(base_of("mooiste", "mooi").is_some());
        assert!(base_of("grote", "grot").is_some());
        assert!(base_of("gras", "gra").is_none());
    }

    #[test]
    fn base_forms_table_agrees_with_first_dutch_base() {
        let direct = |form: &str| DUTCH.words.get(form).and_then(|k| k.entry);
        let expected = |word: &str| {
            direct(word).or_else(|| {
                if word.len() > 4 {
                    first_dutch_base(word, direct)
                } else {
                    None
                }
            })
        };
        let bits =
            |entry: Option<Entry>| entry.map(|e| (e.polarity.to_bits(), e.intensity.to_bits()));
        let mut checked = 0;
        let mut found = 0;
        // Every third entry with its last chars cut and others added, then each suffix: a
        // neighbourhood of the inflections, built independently of how the table is filled.
        let mut entries: Vec<&String> = DUTCH
            .words
            .iter()
            .filter(|(_, known)| known.entry.is_some())
            .map(|(word, _)| word)
            .collect();
        entries.sort_unstable();
        for word in entries.into_iter().step_by(3) {
            let chars: Vec<char> = word.chars().collect();
            for cut in 0..=2.min(chars.len()) {
                let kept: String = chars[..chars.len() - cut].iter().collect();
                for added in ["", "e", "o", "f", "v", "s", "z", "t", "k"] {
                    for suffix in ["", "ste", "st", "ere", "er", "e"] {
                        let form = format!("{kept}{added}{suffix}");
                        let got = bits(DUTCH.lookup(&form));
                        assert_eq!(got, bits(expected(&form)), "{form}");
                        checked += 1;
                        found += usize::from(got.is_some());
                    }
                }
            }
        }
        assert!(checked > 50_000 && found > 2_000, "{checked} {found}");
    }

    #[test]
    fn negation_flips_and_dampens() {
        assert!(nl("Dit is niet goed") < 0.0);
        assert!(nl("Dit is geen goed plan") < 0.0);
        assert!(nl("Dat is niet slecht") > 0.0);
        assert!(nl("Niet goed") > nl("Slecht"));
        assert!(en("This is not good") < 0.0);
        assert!(en("This isn't good") < 0.0);
        assert!(en("This is never bad") > 0.0);
        // Scope ends at punctuation.
        assert!(nl("Niet doen. Goed plan") > 0.3);
    }

    #[test]
    fn intensifiers_and_dampeners() {
        assert!(nl("Dit is heel goed") > nl("Dit is goed"));
        assert!(nl("Dit is erg slecht") < nl("Dit is slecht"));
        assert!(nl("Dit is een beetje slecht") > nl("Dit is slecht"));
        assert!(en("This is very good") > en("This is good"));
        assert!(en("This is slightly bad") > en("This is bad"));
        // An intensifier alone is not a value.
        assert_eq!(en("very much so"), 0.0);
    }

    #[test]
    fn but_weighs_the_second_clause() {
        assert!(nl("Het plan is goed maar de uitvoering is slecht") < 0.0);
        assert!(en("The plan is bad but the result is great") > 0.0);
    }

    #[test]
    fn emoji_emoticons_hashtags_exclamation() {
        assert!(nl("Vandaag 😍") > 0.5);
        assert!(nl("Vandaag 😡") < -0.5);
        assert!(nl("Vandaag 👍🏽") > 0.3);
        assert!(en("Today :(") < 0.0);
        assert!(en("Today <3") > 0.0);
        assert!(nl("Weer de trein #fail") < 0.0);
        assert!(nl("Goed!!!") > nl("Goed"));
    }

    #[test]
    fn mixed_and_unknown_language() {
        // No language: the lexicon with more hits decides.
        assert!(sentiment("What a great and wonderful day", None) > 0.3);
        assert!(sentiment("Wat een prachtige en fijne dag", None) > 0.3);
        // Mixed Dutch and English: both give a sign.
        assert!(sentiment("Super blij met dit great result", None) > 0.0);
        assert!(sentiment("Wat een slechte dag, so sad", Some("en")) < 0.0);
    }

    #[test]
    fn empty_and_long_text() {
        assert_eq!(nl(""), 0.0);
        assert_eq!(en("   "), 0.0);
        assert_eq!(sentiment("@someone https://x.nl", None), 0.0);
        let long = "Dit is niet goed maar erg mooi 😀! ".repeat(3_000);
        assert!(long.len() > 100_000);
        let score = nl(&long);
        assert!((-1.0..=1.0).contains(&score));
        let noise: String = (0..100_000u32)
            .map(|i| char::from_u32(0x20 + (i * 7919) % 0x2FFF).unwrap_or('x'))
            .collect();
        assert!((-1.0..=1.0).contains(&sentiment(&noise, None)));
    }

    #[test]
    fn polarity_thresholds() {
        assert_eq!(polarity(0.0), Polarity::Neutral);
        assert_eq!(polarity(0.5), Polarity::Positive);
        assert_eq!(polarity(-0.5), Polarity::Negative);
        assert_eq!(polarity(POSITIVE_ABOVE), Polarity::Neutral);
        assert_eq!(polarity(NEGATIVE_BELOW), Polarity::Neutral);
    }
}
