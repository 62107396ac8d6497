//! Mentions, hashtags and URLs found in plain text, and small text helpers shared by the formats.

use regex::Regex;
use std::sync::LazyLock;

// Constant patterns: `None` (never, the tests compile them) would find nothing instead of panicking.
static MENTION: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"@([A-Za-z0-9_]+)").ok());
static HASHTAG: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"[#＃](\w+)").ok());
static URL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"https?://[^\s<>"'“”‘’]+"#).ok());

fn is_word_byte(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether the match starting at `start` follows a word character (then it is not a mention or
/// a hashtag: `mail@example.org`, `a#b`).
fn after_word_char(text: &str, start: usize) -> bool {
    text.get(..start)
        .and_then(|before| before.chars().next_back())
        .is_some_and(|c| is_word_byte(c) || c == '@' || c == '#')
}

/// `@handle`s not preceded by a letter, digit or `_`, lower-cased, each once, in order.
pub fn mentions(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for caps in MENTION.iter().flat_map(|re| re.captures_iter(text)) {
        if let (Some(whole), Some(name)) = (caps.get(0), caps.get(1))
            && !after_word_char(text, whole.start())
        {
            push_unique(&mut out, name.as_str().to_lowercase());
        }
    }
    out
}

/// `#tag`s not preceded by a word character and not all digits, lower-cased, without `#`.
pub fn hashtags(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for caps in HASHTAG.iter().flat_map(|re| re.captures_iter(text)) {
        if let (Some(whole), Some(tag)) = (caps.get(0), caps.get(1))
            && !after_word_char(text, whole.start())
            && !tag.as_str().chars().all(|c| c.is_ascii_digit())
        {
            push_unique(&mut out, tag.as_str().to_lowercase());
        }
    }
    out
}

/// Mentions, hashtags and URLs read from the post's text, for formats that give no entity lists.
pub fn fill_from_text(post: &mut dialoog_model::Post) {
    post.mentions = mentions(&post.text);
    post.hashtags = hashtags(&post.text);
    post.urls = urls(&post.text);
}

/// `http(s)://` URLs, without trailing punctuation.
pub fn urls(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for m in URL.iter().flat_map(|re| re.find_iter(text)) {
        let url = m
            .as_str()
            .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '}', '…']);
        if url.len() > "https://".len() {
            push_unique(&mut out, url.to_owned());
        }
    }
    out
}

/// Appends `value` unless it is empty or already there.
pub fn push_unique(list: &mut Vec<String>, value: String) {
    if !value.is_empty() && !list.contains(&value) {
        list.push(value);
    }
}

/// Twitter escapes `&`, `<` and `>` in tweet text; this undoes it.
pub fn unescape_twitter(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A language tag as given, except the "undetermined" ones, which become unknown.
pub fn language(tag: Option<&str>) -> Option<String> {
    match tag.map(str::trim) {
        None | Some("") | Some("und") => None,
        Some(tag) => Some(tag.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_need_a_non_word_character_before_them() {
        assert_eq!(
            mentions("@SprintCare hi @115712, mail a@b.nl (@x_y) @SprintCare"),
            vec!["sprintcare", "115712", "x_y"]
        );
        assert!(mentions("user@example.org").is_empty());
    }

    #[test]
    fn hashtags_are_lower_cased_and_not_numbers() {
        assert_eq!(
            hashtags("#Aardbeving in #Groningen, not #1 or a#b; #café"),
            vec!["aardbeving", "groningen", "café"]
        );
    }

    #[test]
    fn urls_lose_trailing_punctuation() {
        assert_eq!(
            urls("see https://t.co/abc. and (http://x.nl/a?b=1)"),
            vec!["https://t.co/abc", "http://x.nl/a?b=1"]
        );
    }

    #[test]
    fn twitter_escapes_are_undone_once() {
        assert_eq!(unescape_twitter("a &amp;lt; b &gt; c"), "a &lt; b > c");
    }
}
