//! Section 7, spread: how far the focus accounts' posts travel. For each focus-account post (plain
//! reshares aside) its cascade is every reshare and quote of it in the data, and the reshares and
//! quotes of those quotes, and so on: size (reshares and quotes in it), depth (the longest chain;
//! 1 when all reshare or quote the post itself) and time to half of reshares (from the post to the
//! cascade post of rank ⌈size/2⌉ in time order). Reach via non-government accounts: the share of
//! cascade posts by accounts that are not focus accounts, and the same weighted by the followers of
//! the distinct accounts in each cascade where the export gives them.
//!
//! Beside the cascades, the external domains linked: in the focus accounts' posts and in the
//! citizens' posts. A domain is external when it is not the platform's own (x.com, t.co, bsky.app,
//! reddit.com, the post's own instance, …).

use crate::Prepared;
use crate::dialogue::{nearest_rank, ratio};
use crate::factsheet::{AccountSpread, Cascade, DomainCount, ExamplePost, Spread};
use crate::threads::Grouped;
use dialoog_model::{Platform, PostKind, Role, url_host};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

/// Cascades listed in `spread.top`.
pub const TOP: usize = 10;
/// Domains listed per group.
pub const TOP_DOMAINS: usize = 10;

/// For each post, the post it reshares or quotes, when that post is in the data (as `u32`, like
/// [`crate::threads::Threads`]' links: 8 bytes a post instead of 16).
pub(crate) fn shared_of(prepared: &Prepared) -> Vec<Option<u32>> {
    let threads = &prepared.threads;
    (0..prepared.posts.len())
        .map(|i| {
            let shared = if prepared.posts[i].reshare_of_id().is_some() {
                threads.reshare_of(i)
            } else {
                threads.quote_of(i)
            };
            shared.map(|t| t as u32)
        })
        .collect()
}

#[derive(Default)]
struct AccountTally {
    handle: String,
    posts: u64,
    spread_posts: u64,
    cascade_posts: u64,
    non_government: u64,
}

pub(crate) fn compute(prepared: &Prepared) -> Spread {
    let posts = &prepared.posts;
    let shared = shared_of(prepared);
    // The reshares and quotes of each post, in input order.
    let below = Grouped::new(posts.len(), || {
        shared
            .iter()
            .enumerate()
            .filter_map(|(i, t)| t.filter(|&t| t as usize != i).map(|t| (t, i as u32)))
    });
    drop(shared);
    let key = |i: usize| prepared.author_key(i);
    let mut spread = Spread::default();
    let mut cascades: Vec<Cascade> = Vec::new();
    let mut half_times: Vec<f64> = Vec::new();
    let (mut cascade_posts, mut non_government) = (0u64, 0u64);
    let (mut followers_all, mut followers_outside) = (0u64, 0u64);
    let mut exported: Option<u64> = None;
    let mut accounts: HashMap<(Platform, &str), AccountTally> = HashMap::new();
    for root in 0..posts.len() {
        if !prepared.focus[root] || posts[root].kind() == PostKind::Reshare {
            continue;
        }
        spread.focus_posts += 1;
        if let Some(n) = posts[root].reshares() {
            *exported.get_or_insert(0) += n;
        }
        let tally = accounts
            .entry((posts[root].platform(), key(root)))
            .or_insert_with(|| AccountTally {
                handle: posts[root].author_shown().to_owned(),
                ..AccountTally::default()
            });
        tally.posts += 1;
        // Breadth first from the root, each post once (dirty data may loop).
        let mut seen: HashSet<usize> = HashSet::from_iter([root]);
        let mut level: Vec<usize> = vec![root];
        let mut members: Vec<usize> = Vec::new();
        let mut depth = 0u64;
        while !level.is_empty() {
            let next: Vec<usize> = level
                .iter()
                .flat_map(|&p| below.of(p))
                .filter(|&c| seen.insert(c))
                .collect();
            if next.is_empty() {
                break;
            }
            depth += 1;
            members.extend_from_slice(&next);
            level = next;
        }
        if members.is_empty() {
            continue;
        }
        spread.spread_posts += 1;
        tally.spread_posts += 1;
        let size = members.len() as u64;
        let reshares = members
            .iter()
            .filter(|&&m| posts[m].kind() == PostKind::Reshare)
            .count() as u64;
        let outside = members.iter().filter(|&&m| !prepared.focus[m]).count() as u64;
        tally.cascade_posts += size;
        tally.non_government += outside;
        cascade_posts += size;
        non_government += outside;
        spread.reshares += reshares;
        spread.quotes += size - reshares;
        let mut times: Vec<f64> = members
            .iter()
            .map(|&m| {
                (posts[m].created_at() - posts[root].created_at()).num_milliseconds() as f64
                    / 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let half = nearest_rank(&times, 50);
        half_times.extend(half);
        // Distinct accounts of the cascade, each with its latest known followers.
        let mut people: HashMap<&str, (bool, Option<u64>)> = HashMap::new();
        for &m in &members {
            let entry = people.entry(key(m)).or_insert((prepared.focus[m], None));
            if posts[m].author_followers().is_some() {
                entry.1 = posts[m].author_followers();
            }
        }
        for (focus, followers) in people.values() {
            if let Some(n) = followers {
                followers_all += n;
                if !focus {
                    followers_outside += n;
                }
            }
        }
        cascades.push(Cascade {
            post: ExamplePost::of(posts[root]),
            size,
            reshares,
            quotes: size - reshares,
            depth,
            half_time_seconds: half,
            accounts: people.len() as u64,
            non_government_accounts: people.values().filter(|(focus, _)| !focus).count() as u64,
        });
    }
    spread.reshares_exported = exported;
    spread.non_government_share = ratio(non_government, cascade_posts);
    spread.non_government_follower_share = ratio(followers_outside, followers_all);
    spread.max_size = cascades.iter().map(|c| c.size).max().unwrap_or(0);
    spread.max_depth = cascades.iter().map(|c| c.depth).max().unwrap_or(0);
    half_times.sort_by(f64::total_cmp);
    spread.median_half_time_seconds = nearest_rank(&half_times, 50);
    cascades.sort_by(|a, b| {
        b.size
            .cmp(&a.size)
            .then(a.post.created_at.cmp(&b.post.created_at))
            .then_with(|| a.post.id.cmp(&b.post.id))
    });
    cascades.truncate(TOP);
    spread.top = cascades;
    let mut by_account: Vec<((Platform, &str), AccountSpread)> = accounts
        .into_iter()
        .map(|(account, t)| {
            let row = AccountSpread {
                handle: t.handle,
                platform: account.0.to_string(),
                posts: t.posts,
                spread_posts: t.spread_posts,
                cascade_posts: t.cascade_posts,
                non_government_share: ratio(t.non_government, t.cascade_posts),
            };
            (account, row)
        })
        .collect();
    // Ended by the account itself: rows equal on the rest (one handle on two platforms) keep
    // one order, not the hash map's.
    by_account.sort_by(|(account_a, a), (account_b, b)| {
        b.cascade_posts
            .cmp(&a.cascade_posts)
            .then(b.posts.cmp(&a.posts))
            .then_with(|| a.handle.to_lowercase().cmp(&b.handle.to_lowercase()))
            .then_with(|| account_a.cmp(account_b))
    });
    spread.by_account = by_account.into_iter().map(|(_, row)| row).collect();
    spread.domains_focus = domains(prepared, |i| prepared.focus[i]);
    spread.domains_citizens = domains(prepared, |i| {
        !prepared.focus[i] && prepared.roles[i] == Role::Citizen
    });
    spread
}

/// The most linked external domains in the posts `include` picks (plain reshares aside: their
/// links are the original's).
fn domains(prepared: &Prepared, include: impl Fn(usize) -> bool) -> Vec<DomainCount> {
    let mut counts: HashMap<String, (u64, u64)> = HashMap::new();
    for (i, post) in prepared.posts.iter().enumerate() {
        if !include(i) || post.kind() == PostKind::Reshare {
            continue;
        }
        let own = post.url_host();
        let mut in_post: HashSet<String> = HashSet::new();
        let unique: HashSet<&str> = post.urls().collect();
        for url in unique {
            let Some(domain) = url_host(url) else {
                continue;
            };
            if own.as_deref() == Some(domain.as_str()) || is_platform_host(post.platform(), &domain)
            {
                continue;
            }
            counts.entry(domain.clone()).or_default().0 += 1;
            in_post.insert(domain);
        }
        for domain in in_post {
            counts.entry(domain).or_default().1 += 1;
        }
    }
    let mut rows: Vec<DomainCount> = counts
        .into_iter()
        .map(|(domain, (links, posts))| DomainCount {
            domain,
            links,
            posts,
        })
        .collect();
    rows.sort_by(|a, b| b.links.cmp(&a.links).then_with(|| a.domain.cmp(&b.domain)));
    rows.truncate(TOP_DOMAINS);
    rows
}

fn is_platform_host(platform: Platform, host: &str) -> bool {
    let own: &[&str] = match platform {
        Platform::Twitter => &[
            "twitter.com",
            "x.com",
            "t.co",
            "pic.twitter.com",
            "mobile.twitter.com",
        ],
        Platform::Bluesky => &["bsky.app", "bsky.social"],
        Platform::Reddit => &[
            "reddit.com",
            "redd.it",
            "old.reddit.com",
            "i.redd.it",
            "v.redd.it",
        ],
        Platform::Facebook => &["facebook.com", "fb.com", "m.facebook.com", "fb.me"],
        Platform::Instagram => &["instagram.com"],
        Platform::Youtube => &["youtube.com", "youtu.be", "m.youtube.com"],
        Platform::Tiktok => &["tiktok.com", "vm.tiktok.com"],
        Platform::Telegram => &["t.me", "telegram.org"],
        Platform::Mastodon | Platform::Web | Platform::Other => &[],
    };
    own.contains(&host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_hosts() {
        assert!(is_platform_host(Platform::Twitter, "t.co"));
        assert!(!is_platform_host(Platform::Bluesky, "t.co"));
    }
}
