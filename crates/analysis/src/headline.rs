//! The headline box, as on the study's factsheets, for each focus account: followers where known,
//! its posts, likes/comments/shares on them (total and per post), unique engagers, engagers ÷
//! followers, likes ÷ comments, and the broadcast ratio (own posts : replies : reshares).
//!
//! Likes, comments and shares are the exported counts: a post whose export does not give a count
//! is left out of that count's total (and counted in neither `posts_known` nor the per-post
//! figure); an account none of whose posts give it shows it as unknown. Engagers come from the
//! data: the distinct other accounts whose replies, reshares or quotes of its posts are in it.

use crate::dialogue::ratio;
use crate::factsheet::{Broadcast, CountOnPosts, HeadlineAccount};
use crate::spread::shared_of;
use crate::{Prepared, is_reply};
use dialoog_model::{Platform, PostKind, Role};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

#[derive(Default)]
struct Sum {
    total: u64,
    known: u64,
}

impl Sum {
    fn add(&mut self, count: Option<u64>) {
        if let Some(n) = count {
            self.total += n;
            self.known += 1;
        }
    }

    fn done(&self) -> CountOnPosts {
        CountOnPosts {
            total: (self.known > 0).then_some(self.total),
            posts_known: self.known,
            per_post: (self.known > 0).then(|| self.total as f64 / self.known as f64),
        }
    }
}

struct Tally<'a> {
    handle: String,
    role: Role,
    posts: u64,
    broadcast: Broadcast,
    /// (time of the post, followers) of its latest post that gives followers.
    followers: Option<(i64, u64)>,
    likes: Sum,
    comments: Sum,
    shares: Sum,
    /// likes and comments over the posts that give both.
    both: (u64, u64),
    engagers: HashSet<(Platform, &'a str)>,
}

pub(crate) fn compute(prepared: &Prepared) -> Vec<HeadlineAccount> {
    let posts = &prepared.posts;
    let key = |i: usize| prepared.author_key(i);
    let mut accounts: HashMap<(Platform, &str), Tally> = HashMap::new();
    for (i, post) in posts.iter().enumerate() {
        if !prepared.focus[i] {
            continue;
        }
        let tally = accounts
            .entry((post.platform(), key(i)))
            .or_insert_with(|| Tally {
                handle: post.author_shown().to_owned(),
                role: prepared.roles[i],
                broadcast: Broadcast::default(),
                posts: 0,
                followers: None,
                likes: Sum::default(),
                comments: Sum::default(),
                shares: Sum::default(),
                both: (0, 0),
                engagers: HashSet::new(),
            });
        if let Some(n) = post.author_followers() {
            let at = post.created_at().timestamp_millis();
            if tally.followers.is_none_or(|(seen, _)| at >= seen) {
                tally.followers = Some((at, n));
            }
        }
        let b = &mut tally.broadcast;
        if post.kind() == PostKind::Reshare {
            b.reshares += 1;
            continue;
        }
        if is_reply(*post) {
            b.replies += 1;
        } else {
            b.own_posts += 1;
        }
        tally.posts += 1;
        tally.likes.add(post.likes());
        tally.comments.add(post.replies());
        tally.shares.add(post.reshares());
        if let (Some(l), Some(c)) = (post.likes(), post.replies()) {
            tally.both.0 += l;
            tally.both.1 += c;
        }
    }
    // Engagers: authors of replies, reshares and quotes of a focus account's post (not itself).
    let shared = shared_of(prepared);
    for (i, post) in posts.iter().enumerate() {
        let shared = shared[i].map(|t| t as usize);
        for target in prepared.threads.parent(i).into_iter().chain(shared) {
            if prepared.focus[target]
                && key(target) != key(i)
                && posts[target].kind() != PostKind::Reshare
                && let Some(tally) = accounts.get_mut(&(posts[target].platform(), key(target)))
            {
                tally.engagers.insert((post.platform(), key(i)));
            }
        }
    }
    let mut rows: Vec<((Platform, &str), HeadlineAccount)> = accounts
        .into_iter()
        .map(|(account, t)| {
            let followers = t.followers.map(|(_, n)| n);
            let engagers = t.engagers.len() as u64;
            let row = HeadlineAccount {
                handle: t.handle,
                platform: account.0.to_string(),
                role: t.role,
                followers,
                posts: t.posts,
                likes: t.likes.done(),
                comments: t.comments.done(),
                shares: t.shares.done(),
                unique_engagers: engagers,
                engagers_per_follower: followers.and_then(|f| ratio(engagers, f)),
                likes_per_comment: ratio(t.both.0, t.both.1),
                broadcast: t.broadcast,
            };
            (account, row)
        })
        .collect();
    // Ended by the account itself, platform first: rows equal on the rest keep one order, not
    // the hash map's (one handle on two platforms; or two authors showing the same handle,
    // `Gemeente` and one without a handle whose id is `GEMEENTE`).
    rows.sort_by(|(account_a, a), (account_b, b)| {
        (b.posts + b.broadcast.reshares)
            .cmp(&(a.posts + a.broadcast.reshares))
            .then_with(|| a.handle.to_lowercase().cmp(&b.handle.to_lowercase()))
            .then_with(|| account_a.cmp(account_b))
    });
    rows.into_iter().map(|(_, row)| row).collect()
}
