//! Language detection per post with [`whatlang`] (trigram models compiled into the crate: no
//! download at run time).
//!
//! Mentions, hashtags' `#`, URLs and e-mail addresses are removed before detection, so
//! `@belastingdienst` or a URL path cannot decide the language. Texts with fewer than
//! [`MIN_LETTERS`] letters left get `None`: there is too little to go on.
//!
//! Speed: a text with at least two ([`FAST_PATH_WORDS`]) distinct Dutch function words and no
//! English one ([`NL_FUNCTION_WORDS`]) is Dutch without asking whatlang, and the other way round
//! for English ([`EN_FUNCTION_WORDS`]); whatlang (about 400k instructions a call, most of the
//! pipeline's time where it is called) decides the rest. Two words instead of three skip 342 of the
//! 908 whatlang calls on the webcare tweets and 110 of 273 on the Dutch dev set, and change none
//! of the languages detected on either set.
//!
//! Afrikaans is reported as Dutch: whatlang confuses the two on short texts, and Dutch is by far the
//! likelier language of posts in conversations with Dutch government accounts. When whatlang
//! calls its own guess unreliable (short texts), the function words decide: more distinct Dutch
//! ones → "nl", more English ones → "en"; on a tie, an unreliable Dutch (or Afrikaans) guess
//! without any English function word is kept as "nl", anything else is `None`.
//!
//! Measured: the 899 Dutch political tweets of the shared dev set → 886 "nl", 13 `None`; the
//! 5,000 webcare tweets (data/webcare, English support conversations) → 4,614 "en", 7 "nl",
//! 293 `None`, the rest Japanese, Spanish, German and others.

use crate::tokens::{Token, TokenKind, tokenize};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Dutch function words that are neither English words nor common in German, French or Spanish
/// (fast path, see the module notes; distinct words are counted).
pub const NL_FUNCTION_WORDS: &[&str] = &[
    "het", "een", "van", "dat", "niet", "op", "voor", "ook", "maar", "bij", "naar", "wat", "nog",
    "deze", "ik", "jij", "jullie", "uw", "ons", "onze", "wij", "zij", "wordt", "hebben", "heeft",
    "kan", "moet", "uit", "aan", "tot", "geen", "meer", "wel", "dit", "hoe", "waarom", "omdat",
    "mijn", "jouw", "graag",
];
/// English function words that are not Dutch words.
pub const EN_FUNCTION_WORDS: &[&str] = &[
    "the", "and", "to", "you", "your", "for", "that", "this", "with", "are", "be", "have", "has",
    "not", "but", "they", "our", "us", "please", "thanks", "thank", "will", "can", "would", "what",
    "how", "why", "it's", "i'm", "from", "at", "by", "an", "or", "if", "just", "been", "there",
    "their", "about", "my", "do", "does", "did", "don't", "get", "all", "any", "we're", "it", "i",
    "can't", "we'll", "doesn't", "won't", "didn't", "isn't", "i've", "you're", "we've", "i'll",
    "you'll", "that's", "there's", "here", "when", "which", "who", "were", "no", "so", "too",
    "very", "still", "on", "up", "out",
];

/// Distinct function words of one language, and none of the other, that decide without
/// whatlang (see the module notes).
pub const FAST_PATH_WORDS: u32 = 2;

/// Fewer letters than this (after removing mentions and URLs) give `None`.
pub const MIN_LETTERS: usize = 8;

/// The text's language as an ISO 639-1 code ("nl", "en", "de", …), or `None` when the text has
/// too few letters, or whatlang cannot tell (see the module notes). Languages without a two-letter code keep whatlang's
/// three-letter ISO 639-3 code (e.g. "cmn" for Mandarin).
pub fn detect_language(text: &str) -> Option<&'static str> {
    detect_language_in(&tokenize(text))
}

/// Each function word's bit: Dutch ones in the low bits ([`DUTCH_BITS`]), English ones above. A
/// set bit per distinct word found makes counting distinct words a popcount.
static FUNCTION_WORDS: LazyLock<HashMap<&'static str, u128>> = LazyLock::new(|| {
    let mut bits = HashMap::new();
    for (i, word) in NL_FUNCTION_WORDS.iter().enumerate() {
        bits.entry(*word).or_insert(1u128 << i);
    }
    for (i, word) in EN_FUNCTION_WORDS.iter().enumerate() {
        // A word on both lists counts as Dutch, as it always has.
        bits.entry(*word)
            .or_insert(1u128 << (NL_FUNCTION_WORDS.len() + i));
    }
    bits
});

const DUTCH_BITS: u128 = (1u128 << NL_FUNCTION_WORDS.len()) - 1;
const _: () = assert!(NL_FUNCTION_WORDS.len() + EN_FUNCTION_WORDS.len() <= 128);

/// [`detect_language`] on a text's tokens ([`tokenize`]).
pub fn detect_language_in(tokens: &[Token]) -> Option<&'static str> {
    let mut letters = 0;
    let mut found = 0u128;
    for token in tokens {
        if token.kind == TokenKind::Word {
            found |= FUNCTION_WORDS
                .get(token.text.as_ref())
                .copied()
                .unwrap_or(0);
        }
        if matches!(token.kind, TokenKind::Word | TokenKind::Hashtag) {
            letters += token.text.chars().filter(|c| c.is_alphabetic()).count();
        }
    }
    let dutch = (found & DUTCH_BITS).count_ones();
    let english = (found & !DUTCH_BITS).count_ones();
    if letters < MIN_LETTERS {
        return None;
    }
    // Fast path: distinct function words that leave no doubt between Dutch and English.
    if dutch >= FAST_PATH_WORDS && english == 0 {
        return Some("nl");
    }
    if english >= FAST_PATH_WORDS && dutch == 0 {
        return Some("en");
    }
    let info = whatlang::detect(&whatlang_text(tokens));
    match info {
        Some(info) if info.is_reliable() => Some(iso639_1(info.lang())),
        // An unreliable guess: the function words decide between Dutch and English, if they can.
        _ if dutch > english => Some("nl"),
        Some(info)
            if english == 0 && matches!(info.lang(), whatlang::Lang::Nld | whatlang::Lang::Afr) =>
        {
            Some("nl")
        }
        _ if english > dutch => Some("en"),
        _ => None,
    }
}

/// What whatlang reads: words and hashtags (without `#`) each followed by a space, punctuation as
/// is; mentions, URLs, numbers and emoji left out.
fn whatlang_text(tokens: &[Token]) -> String {
    let mut cleaned = String::new();
    for token in tokens {
        if matches!(token.kind, TokenKind::Word | TokenKind::Hashtag) {
            cleaned.push_str(&token.text);
            cleaned.push(' ');
        } else if token.kind == TokenKind::Punct {
            cleaned.push_str(&token.text);
        }
    }
    cleaned
}

/// ISO 639-1 code for a whatlang language (Afrikaans → "nl", see the module notes).
fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Nld | Afr => "nl",
        Eng => "en",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Tur => "tr",
        Ara => "ar",
        Pol => "pl",
        Rus => "ru",
        Ukr => "uk",
        Epo => "eo",
        Ben => "bn",
        Kat => "ka",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
        Cym => "cy",
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_and_english() {
        assert_eq!(
            detect_language(
                "Vandaag is het stadhuis gesloten vanwege de storm, morgen zijn we weer open."
            ),
            Some("nl")
        );
        assert_eq!(
            detect_language("Sorry to hear that, please send us a DM with your order number."),
            Some("en")
        );
        assert_eq!(
            detect_language(
                "Heute ist das Rathaus wegen des Sturms geschlossen, morgen sind wir wieder da."
            ),
            Some("de")
        );
        assert_eq!(
            detect_language(
                "La casa de la cultura de la ciudad de Madrid está cerrada hoy por la tormenta."
            ),
            Some("es")
        );
    }

    #[test]
    fn mentions_and_urls_do_not_decide() {
        // Only English words are left once the Dutch-looking handle and URL path are removed.
        assert_eq!(
            detect_language(
                "@gemeentevanwaardenburgbestuur thank you so much for the quick help! https://www.gemeente.nl/afvalkalender-ophalen-wijzigingen"
            ),
            Some("en")
        );
    }

    #[test]
    fn too_little_text() {
        assert_eq!(detect_language(""), None);
        assert_eq!(detect_language("@iemand https://t.co/abc 👍"), None);
        assert_eq!(detect_language("Top!"), None);
        let long = "Dit is een lange Nederlandse tekst over het beleid. ".repeat(2_000);
        assert_eq!(detect_language(&long), Some("nl"));
    }

    /// A regression guard on real data (measured: 886 of 899 Dutch, 13 `None`); skipped when
    /// the shared data is absent.
    #[test]
    fn dev_set_is_dutch() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/nl/political_tweets_polarity_dev.csv"
        );
        let Ok(file) = std::fs::File::open(path) else {
            println!("skipped: {path} is absent");
            return;
        };
        let rows = crate::eval::read_labelled(file, "polarity").expect("the dev set reads");
        let dutch = rows
            .iter()
            .filter(|(text, _)| detect_language(text) == Some("nl"))
            .count();
        let other = rows
            .iter()
            .filter(|(text, _)| detect_language(text).is_some_and(|l| l != "nl"))
            .count();
        assert!(dutch >= 870, "{dutch} of {} detected Dutch", rows.len());
        assert!(other <= 5, "{other} detected as another language");
    }
}
