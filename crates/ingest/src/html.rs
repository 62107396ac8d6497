//! HTML (as in Mastodon's `content`) to plain text: tags stripped, `<br>` and `</p>` become line
//! breaks, character references decoded; and the links (`<a href class>`) it holds.

use regex::Regex;
use std::sync::LazyLock;

static ATTR: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(?i)\b(href|class)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).ok());

/// Plain text of an HTML fragment. Written into one string, tag names compared in place: a
/// string per text run and two per tag were most of the Mastodon mapping's allocations.
pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = memchr::memchr(b'<', rest.as_bytes()) {
        decode_entities_into(rest.get(..open).unwrap_or_default(), &mut out);
        let after = rest.get(open..).unwrap_or_default();
        let Some(close) = memchr::memchr(b'>', after.as_bytes()) else {
            // A lone '<': keep it as text.
            decode_entities_into(after, &mut out);
            rest = "";
            break;
        };
        let tag = after.get(1..close).unwrap_or_default().trim_start();
        let name_length = tag
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'/')
            .count();
        let name = tag.get(..name_length).unwrap_or_default();
        if ["br", "br/", "/p"]
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n))
        {
            out.push('\n');
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    decode_entities_into(rest, &mut out);
    let kept = out.trim_end_matches(['\n', ' ']).len();
    out.truncate(kept);
    // As long as the text: the post holds it until its segment is written.
    out.shrink_to_fit();
    out
}

/// One `<a>` element's `href` and `class`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub href: String,
    pub class: String,
}

/// The links in an HTML fragment, in order.
pub fn links(html: &str) -> Vec<Link> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = memchr::memchr(b'<', rest.as_bytes()) {
        let after = rest.get(open + 1..).unwrap_or_default();
        let close = memchr::memchr(b'>', after.as_bytes()).unwrap_or(after.len());
        let tag = after.get(..close).unwrap_or_default();
        let is_a = tag.len() > 1
            && tag
                .as_bytes()
                .first()
                .is_some_and(|b| b.eq_ignore_ascii_case(&b'a'))
            && tag.as_bytes().get(1).is_some_and(u8::is_ascii_whitespace);
        if is_a {
            let mut link = Link {
                href: String::new(),
                class: String::new(),
            };
            for_each_attribute(tag, |name, value| {
                if name.eq_ignore_ascii_case("href") {
                    link.href = decode_entities(value);
                } else if name.eq_ignore_ascii_case("class") {
                    link.class = decode_entities(value);
                }
            });
            if !link.href.is_empty() {
                out.push(link);
            }
        }
        rest = after.get(close..).unwrap_or_default();
    }
    out
}

/// Calls `each(name, value)` for the matches of [`ATTR`] in a tag, in order. An ASCII tag is
/// scanned by hand with the same rules (in ASCII the regex's Unicode case folding, word
/// characters and white space are ASCII's): its captures took ~3 % of the 100k ingest's
/// instructions, more than the rest of the Mastodon mapping.
fn for_each_attribute<'t>(tag: &'t str, mut each: impl FnMut(&'t str, &'t str)) {
    if !tag.is_ascii() {
        for caps in ATTR.iter().flat_map(|attr| attr.captures_iter(tag)) {
            let value = caps.get(2).or_else(|| caps.get(3));
            each(
                caps.get(1).map_or("", |m| m.as_str()),
                value.map_or("", |m| m.as_str()),
            );
        }
        return;
    }
    let mut at = 0;
    while at < tag.len() {
        match ascii_attribute(tag, at) {
            Some((name, value, end)) => {
                each(name, value);
                at = end;
            }
            None => at += 1,
        }
    }
}

/// [`ATTR`] matched at byte `start` of an ASCII tag: name, value and the end of the match.
fn ascii_attribute(tag: &str, start: usize) -> Option<(&str, &str, usize)> {
    let bytes = tag.as_bytes();
    let is_word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    // `\b` before a name, which starts with a word character.
    if start > 0 && bytes.get(start - 1).is_some_and(is_word) {
        return None;
    }
    let name = ["href", "class"].into_iter().find(|name| {
        bytes
            .get(start..start + name.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(name.as_bytes()))
    })?;
    // `\s` in ASCII: tab, line feed, vertical tab, form feed, carriage return, space.
    let is_space = |b: &u8| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ');
    let mut at = start + name.len();
    while bytes.get(at).is_some_and(is_space) {
        at += 1;
    }
    if bytes.get(at) != Some(&b'=') {
        return None;
    }
    at += 1;
    while bytes.get(at).is_some_and(is_space) {
        at += 1;
    }
    let quote = *bytes.get(at).filter(|q| matches!(q, b'"' | b'\''))?;
    let close = at + 1 + memchr::memchr(quote, bytes.get(at + 1..)?)?;
    Some((
        tag.get(start..start + name.len())?,
        tag.get(at + 1..close)?,
        close + 1,
    ))
}

/// Decodes numeric character references and the common named ones (`&amp;`, `&lt;`, `&gt;`,
/// `&quot;`, `&apos;`, `&nbsp;` and typographic quotes and dashes); others are kept as written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    decode_entities_into(text, &mut out);
    out
}

/// [`decode_entities`] onto the end of `out`.
fn decode_entities_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let after = rest.get(amp + 1..).unwrap_or_default();
        let end = after
            .char_indices()
            .take(32)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| {
            let name = after.get(..end)?;
            let c = decode_one(name)?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = after.get(end + 1..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

fn decode_one(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse::<u32>().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "euro" => '€',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn by_regex(tag: &str) -> Vec<(String, String)> {
        ATTR.iter()
            .flat_map(|attr| attr.captures_iter(tag))
            .map(|caps| {
                let value = caps
                    .get(2)
                    .or_else(|| caps.get(3))
                    .map_or("", |m| m.as_str());
                (caps[1].to_owned(), value.to_owned())
            })
            .collect()
    }

    fn by_hand(tag: &str) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for_each_attribute(tag, |name, value| {
            found.push((name.to_owned(), value.to_owned()))
        });
        found
    }

    proptest! {
        #[test]
        fn attributes_by_hand_are_the_regex_matches(
            tag in proptest::collection::vec(
                prop::sample::select(vec![
                    "href", "HrEf", "class", "CLASS", "hre", "lass", "=", " ", "\t", "\u{b}",
                    "\u{c}", "\r", "\n", "\u{1c}", "\"", "'", "_", "x", "1", "-", "a", "ſ", "é",
                    "\u{a0}",
                ]),
                0..24,
            )
        ) {
            let tag = tag.concat();
            prop_assert_eq!(by_hand(&tag), by_regex(&tag), "{:?}", tag);
        }
    }

    #[test]
    fn attributes_by_hand_in_examples() {
        for tag in [
            "a href=\"x\" class='m h'",
            "a xhref=\"x\" _class='y' href = \"z\"",
            "a href=\"unclosed class='c'",
            "a HREF\u{b}=\u{c}'v' href=\"\"",
            "a href=x class=\"c\"",
        ] {
            assert_eq!(by_hand(tag), by_regex(tag), "{tag:?}");
        }
    }

    #[test]
    fn strips_tags_and_breaks_lines() {
        assert_eq!(
            to_text(
                "<p>Hi &amp; welcome<br>to <a href=\"x\">#<span>tag</span></a></p><p>it&#39;s &quot;ok&quot; &#x1F600;</p>"
            ),
            "Hi & welcome\nto #tag\nit's \"ok\" 😀"
        );
        assert_eq!(to_text("a < b & c"), "a < b & c");
        assert_eq!(to_text("&unknown; &#xZZ; &"), "&unknown; &#xZZ; &");
        assert_eq!(to_text("a<BR>b< Br/ >c</P >d<brx>e<p>\n \n"), "a\nb\nc\nde");
    }

    #[test]
    fn finds_links_with_their_class() {
        let links = links(
            "<a href=\"https://a.nl/?x=1&amp;y=2\" rel=\"x\">a</a> <a class=\"mention hashtag\" href='https://m/tags/t'>#t</a><abbr>",
        );
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].href, "https://a.nl/?x=1&y=2");
        assert_eq!(links[1].class, "mention hashtag");
        let upper = super::links("<A HREF='https://b.nl' CLASS=\"u-url\">b</A>");
        assert_eq!(
            (upper[0].href.as_str(), upper[0].class.as_str()),
            ("https://b.nl", "u-url")
        );
    }
}
