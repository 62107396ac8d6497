//! The posts that drew the most reactions — of the focus accounts, and of everyone — with the
//! sentiment mix of their replies and the words that set those replies apart.
//!
//! A post's reactions are likes + reshares + replies + quotes as the export gives them (the
//! counts it knows; a post with none known falls back), or else its direct replies in the data by
//! other accounts than its author (what an export's reply count counts). Plain reshares are not
//! ranked; posts without reactions are left out. The sentiment and words of a top post's replies
//! are over every post below it in its reply tree by other accounts than its author; the words
//! are their terms against the terms of all replies in the case (log-odds with an informative
//! Dirichlet prior, as for bursts).

use crate::factsheet::{ExamplePost, TopPost, TopPosts};
use crate::wording::{Mix, Wording};
use crate::{Prepared, is_reply};
use dialoog_model::PostKind;

/// Posts kept per list.
pub const TOP: usize = 10;
/// Characteristic words kept per post.
pub const TERMS: usize = 8;

pub(crate) fn compute(prepared: &Prepared, wording: &Wording) -> TopPosts {
    let posts = &prepared.posts;
    // Reactions of every rankable post, and where they come from.
    let mut ranked: Vec<(usize, u64, bool)> = (0..posts.len())
        .filter(|&i| posts[i].kind() != PostKind::Reshare)
        .filter_map(|i| {
            let p = posts[i];
            let known = [p.likes(), p.reshares(), p.replies(), p.quotes()];
            let exported = known.iter().any(Option::is_some);
            let reactions = if exported {
                known.iter().flatten().sum()
            } else {
                let author = p.author_id();
                prepared
                    .threads
                    .children(i)
                    .filter(|&c| posts[c].author_id() != author)
                    .count() as u64
            };
            (reactions > 0).then_some((i, reactions, exported))
        })
        .collect();
    // Each post's time read once, not in every comparison.
    ranked.sort_by_cached_key(|&(i, reactions, _)| {
        (std::cmp::Reverse(reactions), posts[i].created_at(), i)
    });
    let all_replies = wording.counts((0..posts.len()).filter(|&i| is_reply(posts[i])));
    let row = |&(i, reactions, exported): &(usize, u64, bool)| -> TopPost {
        let p = posts[i];
        let replies = replies_of(prepared, i);
        let mut mix = Mix::default();
        for &r in &replies {
            if let Some(t) = wording.text(r) {
                mix.add(t);
            }
        }
        TopPost {
            post: ExamplePost::of(p),
            focus: prepared.focus[i],
            reactions,
            reactions_from: if exported {
                "exported counts"
            } else {
                "replies in the data"
            }
            .into(),
            likes: p.likes(),
            reshares: p.reshares(),
            replies: p.replies(),
            quotes: p.quotes(),
            replies_in_data: replies.len() as u64,
            replies_sentiment: mix.finish(),
            reply_terms: wording.characteristic(&replies, &all_replies, TERMS),
        }
    };
    TopPosts {
        focus: ranked
            .iter()
            .filter(|r| prepared.focus[r.0])
            .take(TOP)
            .map(row)
            .collect(),
        overall: ranked.iter().take(TOP).map(row).collect(),
    }
}

/// The posts below post i in its reply tree by other accounts than its author, in input order.
fn replies_of(prepared: &Prepared, i: usize) -> Vec<usize> {
    let author = prepared.posts[i].author_id();
    let mut below: Vec<usize> = prepared
        .threads
        .descendants(i)
        .into_iter()
        .filter(|&d| d != i && prepared.posts[d].author_id() != author)
        .collect();
    below.sort_unstable();
    below
}
