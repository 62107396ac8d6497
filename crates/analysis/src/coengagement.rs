//! The co-engagement network, the study's method: two accounts are linked when both react to the
//! same posts, weighted by how many posts they share, and links below a minimum weight (default
//! [`MIN_WEIGHT`]) are pruned. Reacting is what the canonical posts record per person: replying
//! (or commenting), resharing or quoting a post in the data; an account reacting to its own post
//! does not count, and several reactions of one account to one post count once. (Likes are only
//! counts in the exports, not people, so they cannot link anyone.)
//!
//! A post with more than [`MAX_REACTORS`] distinct reacting accounts is left out (its pairs alone
//! would be quadratic); how many were left out is reported. On the pruned graph: weighted degree,
//! Louvain communities and modularity as for the interaction network.

use crate::Prepared;
use crate::factsheet::{CoEngagement, Edge, EdgeKind, Graph, NetworkAccount};
use dialoog_model::Platform;
use foldhash::{HashMap, HashMapExt, HashSet};

/// Links below this weight (shared posts) are pruned.
pub const MIN_WEIGHT: u64 = 5;
/// Posts with more distinct reacting accounts than this are left out.
pub const MAX_REACTORS: usize = 1_000;
/// Accounts listed in `co_engagement.top_accounts`.
pub const TOP: usize = 15;

pub(crate) fn compute(prepared: &Prepared, min_weight: u64) -> CoEngagement {
    let posts = &prepared.posts;
    let key = |i: usize| prepared.author_key(i);
    // Each reaction as (post reacted to, reacting account by its first post), sorted and
    // deduplicated: the reacting accounts of every post in one vector, 8 bytes a reaction,
    // instead of a vector per post in a hash map. Post numbers fit in u32 (see `Threads`).
    let mut reactions: Vec<(u32, u32)> = Vec::new();
    let mut first_post: HashMap<(Platform, &str), usize> = HashMap::new();
    // Posts of one author id (`Prepared::authors`) have one key, so the map above is asked
    // once per author id and platform, not once per post: (platform, account) per id.
    let mut account_of: Vec<(Platform, u32)> =
        vec![(Platform::Other, u32::MAX); prepared.author_count()];
    for (i, post) in posts.iter().enumerate() {
        let parent = prepared.threads.parent(i);
        let shared = [prepared.threads.reshare_of(i), prepared.threads.quote_of(i)]
            .into_iter()
            .flatten();
        let me = key(i);
        let platform = post.platform();
        let known = &mut account_of[prepared.author_number(i)];
        let account = if known.1 != u32::MAX && known.0 == platform {
            known.1 as usize
        } else {
            let account = *first_post.entry((platform, me)).or_insert(i);
            if known.1 == u32::MAX {
                *known = (platform, account as u32);
            }
            account
        };
        for target in parent.into_iter().chain(shared) {
            if key(target) != me {
                reactions.push((target as u32, account as u32));
            }
        }
    }
    drop((first_post, account_of));
    reactions.sort_unstable();
    reactions.dedup();
    let mut skipped = 0u64;
    let mut considered = 0u64;
    // Only an account reacting to at least `min_weight` posts can have a link that strong: the
    // others are dropped before pairing (exact, and it keeps the pairs few).
    let mut reacted = vec![0u64; posts.len()];
    for &(_, a) in &reactions {
        reacted[a as usize] += 1;
    }
    let mut pairs: HashMap<(u32, u32), u64> = HashMap::new();
    let mut people: Vec<u32> = Vec::new();
    for post in reactions.chunk_by(|x, y| x.0 == y.0) {
        if post.len() > MAX_REACTORS {
            skipped += 1;
            continue;
        }
        considered += 1;
        people.clear();
        people.extend(
            post.iter()
                .map(|&(_, a)| a)
                .filter(|&a| reacted[a as usize] >= min_weight),
        );
        for (n, &a) in people.iter().enumerate() {
            for &b in &people[n + 1..] {
                *pairs.entry((a, b)).or_default() += 1;
            }
        }
    }
    drop((reactions, reacted));
    let mut kept: Vec<((usize, usize), u64)> = pairs
        .into_iter()
        .filter(|(_, w)| *w >= min_weight)
        .map(|((a, b), w)| ((a as usize, b as usize), w))
        .collect();
    kept.sort_unstable();
    let linked: HashSet<usize> = kept.iter().flat_map(|((a, b), _)| [*a, *b]).collect();
    let mut accounts: Vec<usize> = linked.into_iter().collect();
    accounts.sort_unstable();
    let node: HashMap<usize, usize> = accounts.iter().enumerate().map(|(n, &a)| (a, n)).collect();
    let mut graph = Graph {
        nodes: accounts
            .iter()
            .map(|&a| NetworkAccount {
                handle: key(a).to_owned(),
                role: prepared.roles[a],
                focus: prepared.focus[a],
                ..NetworkAccount::default()
            })
            .collect(),
        edges: kept
            .iter()
            .map(|((a, b), w)| Edge {
                source: node[a],
                target: node[b],
                kind: EdgeKind::CoEngagement,
                weight: *w,
            })
            .collect(),
    };
    finish(&mut graph);
    let (membership, modularity) =
        crate::louvain::communities(graph.nodes.len(), &graph.undirected());
    for (n, c) in graph.nodes.iter_mut().zip(membership) {
        n.community = c as u64;
    }
    let top: Vec<NetworkAccount> = crate::first_in_order(&graph.nodes, TOP, |a, b| {
        b.in_degree.cmp(&a.in_degree).then(a.handle.cmp(&b.handle))
    })
    .into_iter()
    .cloned()
    .collect();
    CoEngagement {
        min_weight,
        posts_considered: considered,
        posts_skipped: skipped,
        nodes: graph.nodes.len() as u64,
        edges: graph.edges.len() as u64,
        modularity: modularity.map(|q| (q * 1e6).round() / 1e6),
        community_count: graph
            .nodes
            .iter()
            .map(|n| n.community + 1)
            .max()
            .unwrap_or(0),
        top_accounts: top,
        graph,
    }
}

/// Weighted degree (undirected: in = out = the sum of its links' weights).
fn finish(graph: &mut Graph) {
    for n in &mut graph.nodes {
        n.in_degree = 0;
        n.out_degree = 0;
    }
    for e in &graph.edges {
        for end in [e.source, e.target] {
            graph.nodes[end].in_degree += e.weight;
            graph.nodes[end].out_degree += e.weight;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threads::Threads;
    use chrono::DateTime;
    use dialoog_model::{Post, PostKind, PostRef, PostTable, Role};

    fn post(id: &str, author: &str, parent: Option<&str>) -> Post {
        let mut p = Post::new(Platform::Twitter, id, DateTime::UNIX_EPOCH, author, author);
        if let Some(parent) = parent {
            p.in_reply_to_id = Some(parent.into());
            p.kind = PostKind::Reply;
        }
        p
    }

    #[test]
    fn shared_posts_link_people_and_weak_links_are_pruned() {
        // gov posts 1..=6; ann and bob reply to all six (bob twice to post 1), cat to two,
        // gov answers ann on post 1 (a reply to ann's reply, not to a government post).
        let mut posts = Vec::new();
        for i in 1..=6 {
            posts.push(post(&format!("g{i}"), "gov", None));
            posts.push(post(&format!("a{i}"), "ann", Some(&format!("g{i}"))));
            posts.push(post(&format!("b{i}"), "bob", Some(&format!("g{i}"))));
        }
        posts.push(post("b1again", "bob", Some("g1")));
        posts.push(post("c1", "cat", Some("g1")));
        posts.push(post("c2", "cat", Some("g2")));
        posts.push(post("gov-ann", "gov", Some("a1")));
        let table = PostTable::from_posts(&posts).unwrap();
        let refs: Vec<PostRef> = table.rows().collect();
        let prepared = Prepared {
            roles: vec![Role::Citizen; refs.len()],
            focus: refs.iter().map(|p| p.author_handle() == "gov").collect(),
            threads: Threads::build(&refs),
            authors: crate::Authors::new(&refs),
            posts: refs,
        };
        let c = compute(&prepared, 5);
        assert_eq!((c.nodes, c.edges), (2, 1));
        assert_eq!(c.graph.edges[0].weight, 6);
        assert_eq!(c.top_accounts[0].in_degree, 6);
        // gov reacting to ann's post a1 alone links nobody; at weight 2 cat joins ann and bob.
        let c = compute(&prepared, 2);
        assert_eq!((c.nodes, c.edges), (3, 3));
        let c = compute(&prepared, 1);
        assert_eq!(c.edges, 3, "gov is the only one reacting to a1");
        assert_eq!(c.posts_considered, 7);
    }
}
