//! A tokeniser for social-media text: URLs, @mentions, #hashtags, emoji (with their modifiers,
//! skin tones, zero-width-joiner sequences and flags as one token), ASCII emoticons, numbers,
//! words and punctuation.
//!
//! - **Word**: letters and digits, with an inner apostrophe or hyphen kept (`don't`, `z'n`,
//!   `corona-crisis`, `e-mail`); lower-cased, with the typographic apostrophe `’` written `'`.
//!   Dutch compounds stay one word (`coronacrisis`); the measures look words up whole.
//! - **Mention** / **Hashtag**: lower-cased, without the `@` or `#`. An `@` or `#` right after a
//!   letter or digit (`info@gemeente.nl`) does not start one.
//! - **Url**: from `http://`, `https://` or `www.` up to the next white space, as written.
//! - **Emoji**: one pictograph with what belongs to it; **Emoticon**: `:)`, `:-(`, `;)`, `:D`,
//!   `:'(`, `<3`, … (see [`EMOTICONS`]), only when followed by white space, punctuation or the end.
//! - **Number**: digits with inner `.`, `,` or `:` (`1.000`, `3,5`, `12:30`).
//! - **Punct**: any other single non-space character (`!`, `?`, `.`, …).

use std::borrow::Cow;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Mention,
    Hashtag,
    Url,
    Emoji,
    Emoticon,
    Number,
    Punct,
}

/// One token: its kind and its text (normalised as described in the module notes), borrowed
/// from the input where normalising leaves it as written (no allocation per token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: TokenKind,
    pub text: Cow<'a, str>,
}

/// The emoticons the tokeniser knows, longest first where one is a prefix of another.
pub const EMOTICONS: &[&str] = &[
    ":-)", ":)", ":-))", ":))", ":-D", ":D", ";-)", ";)", ":-P", ":P", ":-p", ":p", "=)", ":-(",
    ":(", ":-((", ":((", ":'(", ":'-(", ":-/", ":/", ":-|", ":|", ":-S", ":S", ":-@", "=(", "<3",
    "</3",
];

fn is_pictograph(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF
        | 0x2600..=0x27BF
        | 0x2300..=0x23FF
        | 0x2190..=0x21FF
        | 0x2900..=0x297F
        | 0x2B00..=0x2BFF
        | 0x3030 | 0x303D | 0x3297 | 0x3299 | 0x00A9 | 0x00AE | 0x203C | 0x2049 | 0x2122 | 0x2139)
}

/// Characters that modify the emoji before them: variation selectors, skin tones, keycap.
fn is_emoji_modifier(c: char) -> bool {
    matches!(c as u32, 0xFE0E | 0xFE0F | 0x1F3FB..=0x1F3FF | 0x20E3 | 0xE0020..=0xE007F)
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c as u32, 0x1F1E6..=0x1F1FF)
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() && !is_pictograph(c)
    }
}

fn is_handle_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `text` lower-cased. `lowered` is the same span of the text ASCII-lower-cased, when the caller
/// has it: then ASCII text borrows from it instead of allocating.
fn lower<'a>(text: &'a str, lowered: Option<&'a str>) -> Cow<'a, str> {
    if text.is_ascii() {
        return match lowered {
            Some(lowered) => Cow::Borrowed(lowered),
            None if text.bytes().any(|b| b.is_ascii_uppercase()) => {
                Cow::Owned(text.to_ascii_lowercase())
            }
            None => Cow::Borrowed(text),
        };
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '’' {
            out.push('\'');
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    Cow::Owned(out)
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Split a text into tokens (see the module notes). Never panics; linear in the text's length.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    tokenize_in(text, None)
}

/// [`tokenize`] with the text ASCII-lower-cased once (`lowered`, `text.to_ascii_lowercase()`):
/// lower-cased ASCII tokens borrow from it rather than each allocating its own copy.
pub(crate) fn tokenize_lowered<'a>(text: &'a str, lowered: &'a str) -> Vec<Token<'a>> {
    tokenize_in(text, Some(lowered))
}

/// [`tokenize`]; `lowered`, when given, is `text` ASCII-lower-cased (same byte offsets).
fn tokenize_in<'a>(text: &'a str, lowered: Option<&'a str>) -> Vec<Token<'a>> {
    let lowered_span = |from: usize, to: usize| lowered.and_then(|l| l.get(from..to));
    // About one token per five bytes of tweet text: one allocation for most texts.
    let mut tokens = Vec::with_capacity(text.len() / 4 + 1);
    let mut start = 0;
    while let Some(c) = char_at(text, start) {
        if c == ' ' {
            // The commonest token boundary, skipped without the checks below.
            start += 1;
            continue;
        }
        // The commonest token, an ASCII word or number, first: it cannot start a URL unless it
        // starts with "ht" or "ww" (any case), nor a mention, hashtag, emoticon or emoji.
        let url_like = |second: u8| {
            text.as_bytes()
                .get(start + 1)
                .is_some_and(|b| b.eq_ignore_ascii_case(&second))
        };
        if c.is_ascii_alphanumeric()
            && !(matches!(c, 'h' | 'H') && url_like(b't'))
            && !(matches!(c, 'w' | 'W') && url_like(b'w'))
            && let Some((token, end)) = ascii_word(text, lowered, start)
        {
            tokens.push(token);
            start = end;
            continue;
        }
        // ASCII punctuation that cannot start a mention, hashtag or emoticon is one Punct token.
        if c.is_ascii_punctuation() && !matches!(c, '@' | '#' | ':' | ';' | '=' | '<') {
            tokens.push(Token {
                kind: TokenKind::Punct,
                text: Cow::Borrowed(&text[start..start + 1]),
            });
            start += 1;
            continue;
        }
        let rest = &text[start..];
        // Only URLs, mentions and hashtags ask, so it is not worked out for every token.
        let after_word = || text[..start].chars().next_back().is_some_and(is_word_char);
        let after_c = start + c.len_utf8();
        let (token, end) = if c.is_whitespace() {
            (None, after_c)
        } else if matches!(c, 'h' | 'H' | 'w' | 'W')
            && (starts_with_ignore_case(rest, "http://")
                || starts_with_ignore_case(rest, "https://")
                || starts_with_ignore_case(rest, "www."))
            && !after_word()
        {
            let end = end_of_url(text, after_c);
            let token = Token {
                kind: TokenKind::Url,
                text: Cow::Borrowed(&text[start..end]),
            };
            (Some(token), end)
        } else if (c == '@' || c == '#' || c == '＃')
            && !after_word()
            && char_at(text, after_c).is_some_and(|n| {
                if c == '@' {
                    is_handle_char(n)
                } else {
                    is_word_char(n) || n == '_'
                }
            })
        {
            let end = if c == '@' {
                end_of_run(text, after_c, |n, _| is_handle_char(n))
            } else {
                end_of_run(text, after_c, |n, _| is_word_char(n) || n == '_')
            };
            let token = Token {
                kind: if c == '@' {
                    TokenKind::Mention
                } else {
                    TokenKind::Hashtag
                },
                text: lower(&text[after_c..end], lowered_span(after_c, end)),
            };
            (Some(token), end)
        } else if let Some((token, end)) = c
            .is_ascii_alphanumeric()
            .then(|| ascii_word(text, lowered, start))
            .flatten()
        {
            (Some(token), end)
        } else if let Some(emoticon) = emoticon_at(rest) {
            let token = Token {
                kind: TokenKind::Emoticon,
                text: Cow::Borrowed(&rest[..emoticon.len()]),
            };
            (Some(token), start + emoticon.len())
        } else if is_pictograph(c) || is_regional_indicator(c) {
            let flag = is_regional_indicator(c);
            let mut end = after_c;
            let mut joined = false;
            let mut flag_done = false;
            while let Some(next) = char_at(text, end) {
                let take = if is_emoji_modifier(next) {
                    true
                } else if next == '\u{200D}' {
                    joined = true;
                    true
                } else if joined && is_pictograph(next) {
                    joined = false;
                    true
                } else if flag && !flag_done && is_regional_indicator(next) {
                    flag_done = true;
                    true
                } else {
                    false
                };
                if !take {
                    break;
                }
                end += next.len_utf8();
            }
            let token = Token {
                kind: TokenKind::Emoji,
                text: Cow::Borrowed(&text[start..end]),
            };
            (Some(token), end)
        } else if is_word_char(c) {
            let end = end_of_run(text, after_c, |n, after| {
                is_word_char(n)
                    || (matches!(n, '\'' | '’' | '-' | '.' | ',' | ':')
                        && char_at(text, after).is_some_and(is_word_char))
            });
            let raw = &text[start..end];
            // Digits with inner punctuation are one number; '.', ',' and ':' otherwise end a word.
            if raw
                .chars()
                .all(|ch| ch.is_ascii_digit() || matches!(ch, '.' | ',' | ':'))
            {
                let token = Token {
                    kind: TokenKind::Number,
                    text: Cow::Borrowed(raw),
                };
                (Some(token), end)
            } else if let Some(cut) = raw.bytes().position(|b| matches!(b, b'.' | b',' | b':')) {
                // Re-split "woord.Volgende" style runs: keep the first part, push the rest back.
                tokens.push(word_token(&raw[..cut], lowered_span(start, start + cut)));
                tokens.extend(tokenize_in(&raw[cut..], lowered_span(start + cut, end)));
                (None, end)
            } else {
                (Some(word_token(raw, lowered_span(start, end))), end)
            }
        } else {
            let token = Token {
                kind: TokenKind::Punct,
                text: Cow::Borrowed(&rest[..c.len_utf8()]),
            };
            (Some(token), after_c)
        };
        tokens.extend(token);
        start = end;
    }
    tokens
}

const ALNUM: u8 = 1;
const UPPER: u8 = 2;
const DIGIT: u8 = 4;

/// What [`ascii_word`] asks of each byte, one table load instead of three range checks.
static ASCII_CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        class[byte] = if b.is_ascii_uppercase() {
            ALNUM | UPPER
        } else if b.is_ascii_digit() {
            ALNUM | DIGIT
        } else if b.is_ascii_lowercase() {
            ALNUM
        } else {
            0
        };
        byte += 1;
    }
    class
};

/// The word or number at byte `start` when it is ASCII and needs no re-splitting, in one pass
/// over its bytes (what the general word branch of [`tokenize`] gives in several); `None`
/// leaves it to that branch (a non-ASCII character in or after the run, or a `.`, `,` or `:`
/// inside a word).
// Inlined into both call sites: most tokens are ASCII words, and the call and the returned
// (Token, end) through memory cost more than the two copies of the code.
#[inline(always)]
fn ascii_word<'a>(
    text: &'a str,
    lowered: Option<&'a str>,
    start: usize,
) -> Option<(Token<'a>, usize)> {
    let bytes = text.as_bytes();
    let mut end = start;
    // The classes of the run's letters and digits, or-ed and and-ed: any capital, all digits.
    let mut any = 0;
    let mut all = ALNUM | UPPER | DIGIT;
    // An inner '\'' or '-' (not a number), an inner '.', ',' or ':' (to re-split).
    let mut inner_joiner = false;
    let mut inner_stop = false;
    loop {
        for &byte in bytes.get(end..).unwrap_or_default() {
            let class = ASCII_CLASS[usize::from(byte)];
            if class & ALNUM == 0 {
                break;
            }
            any |= class;
            all &= class;
            end += 1;
        }
        match bytes.get(end) {
            Some(&byte) if matches!(byte, b'\'' | b'-' | b'.' | b',' | b':') => {
                match bytes.get(end + 1) {
                    Some(next) if next.is_ascii_alphanumeric() => {
                        if matches!(byte, b'.' | b',' | b':') {
                            inner_stop = true;
                        } else {
                            inner_joiner = true;
                        }
                        end += 1;
                    }
                    Some(next) if !next.is_ascii() => return None,
                    _ => break,
                }
            }
            Some(byte) if !byte.is_ascii() => return None,
            _ => break,
        }
    }
    let upper = any & UPPER != 0;
    let number = all & DIGIT != 0 && !inner_joiner;
    let raw = &text[start..end];
    let token = if number {
        Token {
            kind: TokenKind::Number,
            text: Cow::Borrowed(raw),
        }
    } else if inner_stop {
        return None;
    } else {
        Token {
            kind: TokenKind::Word,
            text: if !upper {
                Cow::Borrowed(raw)
            } else if let Some(lowered) = lowered.and_then(|l| l.get(start..end)) {
                Cow::Borrowed(lowered)
            } else {
                Cow::Owned(raw.to_ascii_lowercase())
            },
        }
    };
    Some((token, end))
}

/// The char at byte offset `at` (a char boundary), without decoding for ASCII.
fn char_at(text: &str, at: usize) -> Option<char> {
    match text.as_bytes().get(at) {
        Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
        Some(_) => text[at..].chars().next(),
        None => None,
    }
}

/// The end (byte offset) of a URL whose rest starts at byte `from`: the next white space. ASCII
/// bytes are looked at one by one without decoding them.
fn end_of_url(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = from;
    while let Some(&byte) = bytes.get(end) {
        if byte.is_ascii() {
            // char::is_whitespace of an ASCII char.
            if matches!(byte, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') {
                break;
            }
            end += 1;
        } else {
            match text.get(end..).and_then(|rest| rest.chars().next()) {
                Some(c) if !c.is_whitespace() => end += c.len_utf8(),
                _ => break,
            }
        }
    }
    end
}

/// The end (byte offset) of the run of chars from byte `from` that `keep` accepts; `keep` gets
/// each char and the offset after it.
fn end_of_run(text: &str, from: usize, keep: impl Fn(char, usize) -> bool) -> usize {
    let mut end = from;
    while let Some(next) = char_at(text, end) {
        let after = end + next.len_utf8();
        if !keep(next, after) {
            break;
        }
        end = after;
    }
    end
}

fn word_token<'a>(raw: &'a str, lowered: Option<&'a str>) -> Token<'a> {
    let kind = if raw.bytes().all(|b| b.is_ascii_digit()) {
        TokenKind::Number
    } else {
        TokenKind::Word
    };
    Token {
        kind,
        text: lower(raw, lowered),
    }
}

/// The emoticon at the start of `text`, when one ends there at white space, punctuation or the end.
fn emoticon_at(text: &str) -> Option<&'static str> {
    let first = text.chars().next()?;
    if !matches!(first, ':' | ';' | '=' | '<') {
        return None;
    }
    EMOTICONS
        .iter()
        .filter(|e| text.starts_with(**e))
        .filter(|e| {
            text[e.len()..]
                .chars()
                .next()
                .is_none_or(|n| !n.is_alphanumeric())
        })
        .max_by_key(|e| e.len())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, String)> {
        tokenize(text)
            .into_iter()
            .map(|t| (t.kind, t.text.into_owned()))
            .collect()
    }

    #[test]
    fn mentions_hashtags_urls_words() {
        use TokenKind::*;
        assert_eq!(
            kinds("Dank @Gemeente_Utrecht! Zie https://www.utrecht.nl/Afval #Afval2020 :)"),
            vec![
                (Word, "dank".into()),
                (Mention, "gemeente_utrecht".into()),
                (Punct, "!".into()),
                (Word, "zie".into()),
                (Url, "https://www.utrecht.nl/Afval".into()),
                (Hashtag, "afval2020".into()),
                (Emoticon, ":)".into()),
            ]
        );
    }

    #[test]
    fn email_is_not_a_mention_and_apostrophes_stay() {
        use TokenKind::*;
        let tokens = kinds("Mail info@gemeente.nl, don’t z'n corona-crisis.");
        assert!(!tokens.iter().any(|(k, _)| *k == Mention), "{tokens:?}");
        assert!(tokens.contains(&(Word, "don't".into())));
        assert!(tokens.contains(&(Word, "z'n".into())));
        assert!(tokens.contains(&(Word, "corona-crisis".into())));
        assert_eq!(tokens.last(), Some(&(Punct, ".".into())));
    }

    #[test]
    fn emoji_sequences_are_one_token() {
        let tokens = kinds("Top 👍🏽👨‍👩‍👧 🇳🇱❤️!");
        let emoji: Vec<_> = tokens
            .iter()
            .filter(|(k, _)| *k == TokenKind::Emoji)
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(emoji, vec!["👍🏽", "👨‍👩‍👧", "🇳🇱", "❤️"]);
    }

    #[test]
    fn numbers_and_sentence_ends() {
        use TokenKind::*;
        assert_eq!(
            kinds("Om 12:30 waren er 1.000 mensen.Goed"),
            vec![
                (Word, "om".into()),
                (Number, "12:30".into()),
                (Word, "waren".into()),
                (Word, "er".into()),
                (Number, "1.000".into()),
                (Word, "mensen".into()),
                (Punct, ".".into()),
                (Word, "goed".into()),
            ]
        );
    }

    #[test]
    fn ascii_runs_that_need_the_general_branch() {
        use TokenKind::*;
        assert_eq!(
            kinds("3.5km Café-Bar x-é 1-2 WiFi"),
            vec![
                (Number, "3".into()),
                (Punct, ".".into()),
                (Word, "5km".into()),
                (Word, "café-bar".into()),
                (Word, "x-é".into()),
                (Word, "1-2".into()),
                (Word, "wifi".into()),
            ]
        );
    }

    #[test]
    fn tokens_borrowed_from_the_lowered_text_are_the_same() {
        for text in [
            "Dank @Gemeente_Utrecht! Zie https://www.utrecht.nl/Afval #Afval2020 :)",
            "Om 12:30 waren er 1.000 mensen.Goed WOORD.Volgende",
            "3.5km Café-Bar x-é 1-2 WiFi #ÉÉN @Ünïcode İstanbul don’t Z'N",
            "",
            "ALL CAPS, Mixed Case and lower",
        ] {
            let lowered = text.to_ascii_lowercase();
            assert_eq!(tokenize_lowered(text, &lowered), tokenize(text), "{text}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "", " ", "@", "#", ":", "<3", "http://", "’", "\u{200D}", "🇳", "a-", "x'",
        ] {
            let _ = tokenize(text);
        }
        assert_eq!(tokenize(&"ab 😀 ".repeat(25_000)).len(), 50_000);
    }
}
