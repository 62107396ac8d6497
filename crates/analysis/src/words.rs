//! Every post's words ([`crate::bursts::words`]) as ids into one table of distinct words. Bursts
//! and communities both count them; held as one `String` per word they took about 0.4 KB a post.

use dialoog_model::PostRef;
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

/// Posts tokenised at a time, so only one chunk's words are held as `String`s at once.
const CHUNK: usize = 1 << 14;

#[derive(Debug, Default)]
pub(crate) struct Words {
    /// Distinct words, by id.
    table: Vec<String>,
    /// The words of post i are `ids[start[i]..start[i + 1]]`, in text order.
    start: Vec<usize>,
    ids: Vec<u32>,
}

impl Words {
    /// Tokenises the posts' texts; ids are given in order of first use. [`crate::bursts::words`]
    /// treats each whitespace-separated piece of a text on its own, so each distinct piece is
    /// split into words once (in parallel), however often it is written.
    pub(crate) fn new(posts: &[PostRef]) -> Words {
        let mut index: HashMap<String, u32> = HashMap::new();
        // Each distinct piece's words: `piece_words[ranges[p].0..ranges[p].1]`.
        let mut pieces: HashMap<&str, u32> = HashMap::new();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        let mut piece_words: Vec<u32> = Vec::new();
        let mut start = Vec::with_capacity(posts.len() + 1);
        start.push(0);
        let mut ids = Vec::new();
        for chunk in posts.chunks(CHUNK) {
            // Known pieces are looked up in parallel; only the new ones are added, in order.
            let looked_up: Vec<Vec<Result<u32, &str>>> = chunk
                .par_iter()
                .map(|post| {
                    post.text()
                        .split_whitespace()
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
            for post_pieces in looked_up {
                for piece in post_pieces {
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
        Words { table, start, ids }
    }

    /// The word ids of post i.
    pub(crate) fn of(&self, post: usize) -> &[u32] {
        &self.ids[self.start[post]..self.start[post + 1]]
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;
    use dialoog_model::{Platform, Post, PostTable};

    #[test]
    fn words_are_shared_between_posts_and_counted_by_post() {
        let texts = ["Storing in Utrecht, storing!", "", "Utrecht heeft internet"];
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
        let counts = words.counts(0..3);
        assert_eq!(counts["storing"], 2);
        assert_eq!(counts["utrecht"], 2);
        assert_eq!(counts["internet"], 1);
        assert_eq!(words.counts(1..2), HashMap::new());
    }
}
