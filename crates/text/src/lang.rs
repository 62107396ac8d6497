//! Language detection per post with [`whatlang`] (trigram models compiled into the crate: no
//! download at run time).
//!
//! Mentions, hashtags' `#`, URLs and e-mail addresses are removed before detection, so
//! `@belastingdienst` or a URL path cannot decide the language. Texts with fewer than
//! [`MIN_LETTERS`] letters left get `None`: there is too little to go on.
//!
//! Afrikaans is reported as Dutch: whatlang confuses the two on short texts, and Dutch is by far the
//! likelier language of posts in conversations with Dutch government accounts.

use crate::tokens::{TokenKind, tokenize};

/// Fewer letters than this (after removing mentions and URLs) give `None`.
pub const MIN_LETTERS: usize = 8;

/// The text's language as an ISO 639-1 code ("nl", "en", "de", …), or `None` when the text has
/// too few letters, or whatlang cannot tell. Languages without a two-letter code keep whatlang's
/// three-letter ISO 639-3 code (e.g. "cmn" for Mandarin).
pub fn detect_language(text: &str) -> Option<&'static str> {
    let mut cleaned = String::with_capacity(text.len());
    let mut letters = 0;
    for token in tokenize(text) {
        if matches!(token.kind, TokenKind::Word | TokenKind::Hashtag) {
            letters += token.text.chars().filter(|c| c.is_alphabetic()).count();
            cleaned.push_str(&token.text);
            cleaned.push(' ');
        } else if token.kind == TokenKind::Punct {
            cleaned.push_str(&token.text);
        }
    }
    if letters < MIN_LETTERS {
        return None;
    }
    let info = whatlang::detect(&cleaned)?;
    Some(iso639_1(info.lang()))
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
