//! Every post's words ([`crate::bursts::words`]) as ids into one table of distinct words. Bursts
//! and communities both count them; held as one `String` per word they took about 0.4 KB a post.
//! Words are a function of the text alone, so each distinct text is split once and posts keep
//! only their text's id (reshares and replies repeat texts: 1M bench posts have 545k texts).

use dialoog_model::PostRef;
use foldhash::{HashMap, HashMapExt};
use hashbrown::HashTable;
use rayon::prelude::*;
use std::hash::{Hash, Hasher};

/// Texts tokenised at a time, so only one chunk's words are held as `String`s at once.
const CHUNK: usize = 1 << 14;

#[derive(Debug, Default)]
pub(crate) struct Words {
    /// Distinct words, by id.
    table: Vec<String>,
    /// Post i's text is distinct text `text_of[i]`.
    text_of: Vec<u32>,
    /// The words of distinct text t are `ids[start[t]..start[t + 1]]`, in text order.
    start: Vec<usize>,
    ids: Vec<u32>,
}

impl Words {
    /// Tokenises the posts' distinct texts; ids are given in order of first use.
    /// [`crate::bursts::words`] treats each whitespace-separated piece of a text on its own, so
    /// each distinct piece is split into words once (in parallel), however often it is written.
    pub(crate) fn new(posts: &[PostRef]) -> Words {
        let (text_of, texts) = distinct(posts, |p| wordful_span(p.text()));
        let mut index: HashMap<String, u32> = HashMap::new();
        // Each distinct piece's words: `piece_words[ranges[p].0..ranges[p].1]`.
        let mut pieces: HashMap<&str, u32> = HashMap::new();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        let mut piece_words: Vec<u32> = Vec::new();
        let mut start = Vec::with_capacity(texts.len() + 1);
        start.push(0);
        let mut ids = Vec::new();
        for chunk in texts.chunks(CHUNK) {
            // Known pieces are looked up in parallel; only the new ones are added, in order.
            let looked_up: Vec<Vec<Result<u32, &str>>> = chunk
                .par_iter()
                .map(|text| {
                    text.split_whitespace()
                        .filter(|piece| !surely_wordless(piece))
                        .map(|piece| pieces.get(piece).copied().ok_or(piece))
                        .collect()
                })
                .collect();
            let mut new_pieces = Vec::new();
            for &piece in looked_up.iter().flatten() {
                if let Err(piece) = piece {
                    pieces.entry(piece).or_insert_with(|| {
                        new_pieces.push(piece);
                        (ranges.len() + new_pieces.len() - 1) as u32
                    });
                }
            }
            let split: Vec<Vec<String>> = new_pieces
                .par_iter()
                .map(|piece| crate::bursts::words(piece))
                .collect();
            for words in split {
                let first = piece_words.len();
                for word in words {
                    let next = index.len() as u32;
                    piece_words.push(*index.entry(word).or_insert(next));
                }
                ranges.push((first, piece_words.len()));
            }
            for text_pieces in looked_up {
                for piece in text_pieces {
                    let Some(&(from, to)) = piece
                        .or_else(|piece| pieces.get(piece).copied().ok_or(()))
                        .ok()
                        .and_then(|p| ranges.get(p as usize))
                    else {
                        continue;
                    };
                    ids.extend_from_slice(&piece_words[from..to]);
                }
                start.push(ids.len());
            }
        }
        ids.shrink_to_fit();
        let mut table = vec![String::new(); index.len()];
        for (word, id) in index {
            table[id as usize] = word;
        }
        Words {
            table,
            text_of,
            start,
            ids,
        }
    }

    /// The word ids of post i.
    pub(crate) fn of(&self, post: usize) -> &[u32] {
        let text = self.text_of[post] as usize;
        &self.ids[self.start[text]..self.start[text + 1]]
    }

    /// How often each word occurs in the given posts.
    pub(crate) fn counts(&self, posts: impl Iterator<Item = usize>) -> HashMap<&str, u64> {
        let mut counts = vec![0u64; self.table.len()];
        for post in posts {
            for &id in self.of(post) {
                counts[id as usize] += 1;
            }
        }
        counts
            .into_iter()
            .zip(&self.table)
            .filter(|&(n, _)| n > 0)
            .map(|(n, word)| (word.as_str(), n))
            .collect()
    }

    /// Counts by id as counts by word.
    pub(crate) fn named(&self, counts: HashMap<u32, u64>) -> HashMap<&str, u64> {
        counts
            .into_iter()
            .map(|(id, n)| (self.table[id as usize].as_str(), n))
            .collect()
    }
}

/// A text without the pieces at its start and end that surely have no words
/// ([`surely_wordless`]): it has the same words. Replies start with the mentions of whom they
/// answer and posts often end with a link, so texts that differ only there are split once.
fn wordful_span(text: &str) -> &str {
    let mut span = text.trim();
    loop {
        let end = span.find(char::is_whitespace).unwrap_or(span.len());
        if end == 0 || !surely_wordless(&span[..end]) {
            break;
        }
        span = span[end..].trim_start();
    }
    loop {
        let last = span
            .split(char::is_whitespace)
            .next_back()
            .unwrap_or_default();
        if last.is_empty() || !surely_wordless(last) {
            break;
        }
        span = span[..span.len() - last.len()].trim_end();
    }
    span
}

/// Whether [`crate::bursts::words`] surely finds no word in a whitespace-separated piece: too
/// short for a word of three characters, a mention or a link. Lower-casing maps ASCII to ASCII
/// and keeps neighbours neighbours, so what is seen here is seen there too. Such pieces (links
/// and mentions are mostly distinct) are left out before the look-up, which at 10M posts waited
/// on a table of millions of them.
fn surely_wordless(piece: &str) -> bool {
    let bytes = piece.as_bytes();
    bytes.len() < 3
        || bytes[0] == b'@'
        || bytes.windows(4).any(|w| {
            w.eq_ignore_ascii_case(b"http") || w.eq_ignore_ascii_case(b"www.") || &w[..3] == b"://"
        })
        || bytes.ends_with(b"://")
}

/// Items hashed at a time by [`distinct`], so only one chunk's hashes are held.
const HASHED: usize = 1 << 16;

/// Each item's key's id among the distinct keys (in order of first appearance), and the distinct
/// keys by id. Keys are hashed in parallel and told apart by that hash alone: a 128-bit
/// [`fingerprint`], so that a repeated key (replies and reshares repeat texts) is not compared
/// byte for byte with its first copy, which lies anywhere in memory: those comparisons were
/// most of `distinct`'s time at 10M posts. Two distinct keys share a fingerprint with a chance
/// of about n²/2¹²⁹ (1e-25 at 10 million), as in the store's dedupe index. The table holds bare
/// ids and grows on the kept fingerprints without hashing a key again.
pub(crate) fn distinct<T: Sync, K: Hash + Copy + Send>(
    items: &[T],
    key: impl Fn(&T) -> K + Sync,
) -> (Vec<u32>, Vec<K>) {
    let mut table: HashTable<u32> = HashTable::new();
    let mut keys: Vec<K> = Vec::new();
    let mut fingerprints: Vec<u128> = Vec::new();
    let mut ids = Vec::with_capacity(items.len());
    for chunk in items.chunks(HASHED) {
        let hashed: Vec<(K, u128)> = chunk
            .par_iter()
            .map_init(Vec::new, |bytes, item| {
                let k = key(item);
                (k, fingerprint(&k, bytes))
            })
            .collect();
        for (k, print) in hashed {
            let id = *table
                .entry(
                    print as u64,
                    |&id| fingerprints[id as usize] == print,
                    |&id| fingerprints[id as usize] as u64,
                )
                .or_insert_with(|| {
                    keys.push(k);
                    fingerprints.push(print);
                    (keys.len() - 1) as u32
                })
                .get();
            ids.push(id);
        }
    }
    (ids, keys)
}

/// xxh3-128 of the bytes `key`'s [`Hash`] writes (into `bytes`, reused between keys).
fn fingerprint<K: Hash>(key: &K, bytes: &mut Vec<u8>) -> u128 {
    bytes.clear();
    key.hash(&mut Written(bytes));
    twox_hash::XxHash3_128::oneshot(bytes)
}

/// A [`Hasher`] that only collects what is written to it.
struct Written<'a>(&'a mut Vec<u8>);

impl Hasher for Written<'_> {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    fn finish(&self) -> u64 {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;
    use dialoog_model::{Platform, Post, PostTable};

    #[test]
    fn words_are_shared_between_posts_and_counted_by_post() {
        let texts = [
            "Storing in Utrecht, storing!",
            "",
            "Utrecht heeft internet",
            "Storing in Utrecht, storing!",
        ];
        let posts: Vec<Post> = texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let mut p = Post::new(
                    Platform::Twitter,
                    i.to_string(),
                    DateTime::UNIX_EPOCH,
                    "a",
                    "a",
                );
                p.text = (*text).to_owned();
                p
            })
            .collect();
        let table = PostTable::from_posts(&posts).unwrap();
        let refs: Vec<PostRef> = table.rows().collect();
        let words = Words::new(&refs);
        assert_eq!(words.of(0).len(), 3);
        assert!(words.of(1).is_empty());
        assert_eq!(words.of(0)[1], words.of(2)[0], "utrecht has one id");
        assert_eq!(
            words.of(3),
            words.of(0),
            "a repeated text has the same words"
        );
        let counts = words.counts(0..3);
        assert_eq!(counts["storing"], 2);
        assert_eq!(counts["utrecht"], 2);
        assert_eq!(counts["internet"], 1);
        let counts = words.counts(0..4);
        assert_eq!(
            (counts["storing"], counts["utrecht"]),
            (4, 3),
            "counted by post"
        );
        assert_eq!(words.counts(1..2), HashMap::new());
    }

    #[test]
    fn pieces_left_out_have_no_words() {
        let built = [
            "ab",
            "é",
            "@KPN",
            "@",
            "HTTPS://t.co/x",
            "xHtTp",
            "Www.rijksoverheid.nl",
            "a://b",
            "://",
            "K\u{212a}",
            "İa",
            "İİİ",
            "x://",
            "(https://x)",
            "wWw.",
            "nl/www.",
        ];
        // The shipped webcare sample: Twitter texts with mentions, links and short words.
        let sample = include_str!("../../../data/webcare/twcs_head.csv");
        let pieces = built.into_iter().chain(sample.split_whitespace());
        let mut left_out = 0;
        for piece in pieces {
            if surely_wordless(piece) {
                left_out += 1;
                assert_eq!(crate::bursts::words(piece), Vec::<String>::new(), "{piece}");
            }
        }
        assert!(
            left_out > 1_000,
            "the sample's mentions and links are left out"
        );
        assert!(!surely_wordless("İa") && !surely_wordless("Utrecht"));
    }

    /// The pieces of a text that may have words, in order.
    fn with_words(text: &str) -> Vec<&str> {
        text.split_whitespace()
            .filter(|piece| !surely_wordless(piece))
            .collect()
    }

    #[test]
    fn a_texts_wordful_span_has_its_pieces_with_words() {
        let built = [
            "",
            "   ",
            "@a @b",
            "@gemeente storing in Utrecht https://t.co/x",
            "RT @gemeente: storing\u{2003}in Utrecht",
            "\u{2003}@x\u{2003}storing\u{a0}ok ab https://t.co/y\u{2003}",
            "storing",
            "a storing b",
            "@x https://t.co/y ab",
        ];
        let sample = include_str!("../../../data/webcare/twcs_head.csv");
        let mut shortened = 0;
        for text in built.into_iter().chain(sample.lines()) {
            let span = wordful_span(text);
            assert!(text.contains(span));
            assert_eq!(with_words(span), with_words(text), "{text:?}");
            shortened += usize::from(span.len() < text.trim().len());
        }
        assert!(shortened > 100, "the sample's replies start with mentions");
        assert_eq!(wordful_span("@x https://t.co/y ab"), "");
        assert_eq!(wordful_span("@x"), "");
        assert_eq!(
            wordful_span("RT @gemeente: storing\u{2003}in Utrecht https://t.co/x"),
            "storing\u{2003}in Utrecht"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_texts_wordful_span_has_its_pieces_with_words(
            pieces in proptest::collection::vec(
                proptest::string::string_regex("(@|http|www\\.|://|RT|[a-zA-Zé]{1,4}|[ \u{a0}\u{2003}\t\n])*").unwrap(),
                0..12,
            )
        ) {
            let text = pieces.concat();
            let span = wordful_span(&text);
            proptest::prop_assert_eq!(with_words(span), with_words(&text));
            proptest::prop_assert!(text.contains(span));
        }
    }

    /// `distinct` by the definition: a map from each key to the id it got when first met.
    fn distinct_by_map<K: Hash + Eq + Copy>(keys: &[K]) -> (Vec<u32>, Vec<K>) {
        let mut first: std::collections::HashMap<K, u32> = std::collections::HashMap::new();
        let mut order = Vec::new();
        let ids = keys
            .iter()
            .map(|&k| {
                *first.entry(k).or_insert_with(|| {
                    order.push(k);
                    (order.len() - 1) as u32
                })
            })
            .collect();
        (ids, order)
    }

    #[test]
    fn keys_are_numbered_in_order_of_first_use_across_hashed_chunks() {
        // Past one chunk, with keys whose parts run into each other when joined.
        let keys: Vec<(&str, Option<&str>)> = (0..HASHED * 2 + 5)
            .map(|i| match i % 5 {
                0 => ("a", Some("bc")),
                1 => ("ab", Some("c")),
                2 => ("abc", None),
                3 => ("", Some("abc")),
                _ => (["x", "y", "z"][i % 3], Some("")),
            })
            .collect();
        let (ids, distinct_keys) = distinct(&keys, |k| *k);
        assert_eq!((ids, distinct_keys.clone()), distinct_by_map(&keys));
        assert_eq!(distinct_keys.len(), 7);
    }

    proptest::proptest! {
        #[test]
        fn distinct_texts_are_those_a_map_finds(
            texts in proptest::collection::vec("[ab ]{0,6}", 0..300),
        ) {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(distinct(&texts, |t| *t), distinct_by_map(&texts));
        }
    }
}
