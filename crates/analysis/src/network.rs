//! Section 6, actors and network: the interaction graph between accounts. Directed, weighted and
//! typed: a reply links its author to the author of the post it replies to, a mention its author
//! to the mentioned handle, a reshare and a quote their author to the author of the original.
//! Edges of different types between the same two accounts are kept apart (never merged); the
//! weight of an edge is how many posts make it. Self-loops (an account replying to or mentioning
//! itself, as in a thread of its own) are counted and left out.
//!
//! Per account: weighted in- and out-degree over all types, PageRank (power iteration on the
//! weighted graph with all types summed, damping 0.85, the rank of accounts without outgoing edges
//! spread evenly, until the L1 change is below 1e-12 or after 200 rounds) and betweenness
//! (Brandes 2001) on the undirected, unweighted projection, normalised by (n−1)(n−2)/2 — computed
//! only for graphs of at most [`BETWEENNESS_MAX_NODES`] accounts (it takes time n·m). PageRank and
//! betweenness are written out by hand (a few dozen lines each) because the weighted PageRank the
//! factsheet needs is not what petgraph's `page_rank` computes (unweighted), and a dependency
//! for Brandes alone is not worth it.

use crate::factsheet::{Community, Edge, EdgeKind, Graph, Network, NetworkAccount};
use crate::words::Words;
use crate::{Context, Prepared};
use dialoog_model::{Platform, PostKind};
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};

pub const DAMPING: f64 = 0.85;
/// Betweenness is left out (null) above this many accounts.
pub const BETWEENNESS_MAX_NODES: usize = 5_000;
/// Accounts listed in `network.top_accounts`.
pub const TOP: usize = 25;

/// Builds a graph from typed, weighted edges between named accounts.
#[derive(Debug, Default)]
pub struct Builder {
    /// Node of each handle, per platform (keyed by platform first so a lookup needs no `String`).
    index: HashMap<Platform, HashMap<String, usize>>,
    nodes: Vec<NetworkAccount>,
    /// Every edge made, one entry per interaction; sorted and counted in `finish` (cheaper
    /// than an ordered map updated per interaction: millions of them at 10M posts). Nodes as
    /// `u32`: 12 bytes an interaction instead of 24 (14M interactions at 10M posts).
    edges: Vec<(u32, u32, EdgeKind)>,
    pub self_loops: u64,
}

impl Builder {
    /// The node of an account, added with the given role and focus flag when new.
    pub fn node(
        &mut self,
        platform: Platform,
        handle: &str,
        role: impl FnOnce() -> (dialoog_model::Role, bool),
    ) -> usize {
        let handles = self.index.entry(platform).or_default();
        if let Some(&i) = handles.get(handle) {
            return i;
        }
        let (role, focus) = role();
        let i = self.nodes.len();
        self.nodes.push(NetworkAccount {
            handle: handle.to_owned(),
            role,
            focus,
            ..NetworkAccount::default()
        });
        handles.insert(handle.to_owned(), i);
        i
    }

    pub fn edge(&mut self, source: usize, target: usize, kind: EdgeKind) {
        if source == target {
            self.self_loops += 1;
        } else {
            // Nodes are numbered from 0 as they come; four billion accounts would not fit in
            // memory as nodes either.
            self.edges.push((source as u32, target as u32, kind));
        }
    }

    /// The graph with degrees, PageRank and (when affordable) betweenness filled in. Accounts
    /// only ever on self-loops are dropped.
    pub fn finish(self) -> Graph {
        self.finish_mapped().graph
    }

    /// [`Builder::finish`], with each builder node's index in the graph and the modularity of
    /// the communities.
    pub fn finish_mapped(mut self) -> Finished {
        // Sorted, so equal edges are neighbours: each run is one edge, its length the weight.
        // Counted first, so the graph's edges are allocated once at their final size (the
        // largest vector of the network: 32 bytes an edge, 11M edges at 10M posts).
        self.edges.par_sort_unstable();
        let runs = self.edges.chunk_by(|a, b| a == b);
        let mut used = vec![false; self.nodes.len()];
        for &(s, t, _) in &self.edges {
            used[s as usize] = true;
            used[t as usize] = true;
        }
        let mut renumber = vec![usize::MAX; self.nodes.len()];
        let mut nodes = Vec::new();
        for (i, node) in self.nodes.into_iter().enumerate() {
            if used[i] {
                renumber[i] = nodes.len();
                nodes.push(node);
            }
        }
        let mut edges: Vec<Edge> = Vec::with_capacity(runs.clone().count());
        edges.extend(runs.map(|run| {
            let (s, t, kind) = run[0];
            Edge {
                source: renumber[s as usize],
                target: renumber[t as usize],
                kind,
                weight: run.len() as u64,
            }
        }));
        drop(self.edges);
        let mut graph = Graph { nodes, edges };
        for e in &graph.edges {
            graph.nodes[e.source].out_degree += e.weight;
            graph.nodes[e.target].in_degree += e.weight;
        }
        let rank = pagerank(&graph);
        for (node, r) in graph.nodes.iter_mut().zip(rank) {
            node.pagerank = r;
        }
        if let Some(b) = betweenness(&graph) {
            for (node, b) in graph.nodes.iter_mut().zip(b) {
                node.betweenness = Some(b);
            }
        }
        let (membership, modularity) =
            crate::louvain::communities_of(graph.nodes.len(), || graph.undirected_edges());
        for (node, c) in graph.nodes.iter_mut().zip(membership) {
            node.community = c as u64;
        }
        let map = renumber
            .into_iter()
            .map(|i| (i != usize::MAX).then_some(i))
            .collect();
        Finished {
            graph,
            map,
            modularity,
        }
    }
}

/// What [`Builder::finish_mapped`] makes.
#[derive(Debug)]
pub struct Finished {
    pub graph: Graph,
    /// Each builder node's index in the graph (None: dropped, only ever on self-loops).
    pub map: Vec<Option<usize>>,
    /// Newman's modularity of the Louvain communities; None without edges.
    pub modularity: Option<f64>,
}

impl Graph {
    /// The edges as undirected, weighted pairs (all types; Louvain and modularity add them up).
    pub fn undirected(&self) -> Vec<(usize, usize, f64)> {
        self.undirected_edges().collect()
    }

    /// [`Graph::undirected`] without collecting them.
    pub fn undirected_edges(&self) -> impl Iterator<Item = (usize, usize, f64)> + '_ {
        self.edges
            .iter()
            .map(|e| (e.source, e.target, e.weight as f64))
    }
}

/// Weighted PageRank with damping [`DAMPING`]; sums to 1 over the nodes. Each account's
/// incoming shares are added in the order of their edges by source (the graph's own order when,
/// as from [`Builder`], its edges are sorted by source).
pub fn pagerank(graph: &Graph) -> Vec<f64> {
    let n = graph.nodes.len();
    if n == 0 {
        return Vec::new();
    }
    let out = Outgoing::of(graph);
    let dangling_nodes: Vec<usize> = (0..n).filter(|&i| out.weight[i] == 0.0).collect();
    let mut rank = vec![1.0 / n as f64; n];
    let mut next = vec![0.0f64; n];
    for _ in 0..200 {
        let dangling: f64 = dangling_nodes.iter().map(|&i| rank[i]).sum();
        let base = (1.0 - DAMPING) / n as f64 + DAMPING * dangling / n as f64;
        next.fill(base);
        let mut heavy = 0;
        let sources = out.starts.windows(2).zip(&rank).zip(&out.weight);
        for ((edges, &source_rank), &out_weight) in sources {
            // A source's share of one interaction, DAMPING · rank / out-weight, is the same for
            // all its edges of weight 1 (most of them): computed once, the same bits as per edge.
            let damped = DAMPING * source_rank;
            let share = damped / out_weight;
            for k in edges[0]..edges[1] {
                // The targets lie all over the graph: asked for ahead, their ranks are in the
                // cache when added to (PageRank on the 10M bench graph in about half the time).
                if let Some(&ahead) = out.targets.get(k + crate::PREFETCH_AHEAD) {
                    crate::prefetch(&next, (ahead & !HEAVY) as usize);
                }
                let t = out.targets[k];
                if t & HEAVY == 0 {
                    next[t as usize] += share;
                } else {
                    next[(t & !HEAVY) as usize] += damped * out.heavy[heavy] / out_weight;
                    heavy += 1;
                }
            }
        }
        let change: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if change < 1e-12 {
            break;
        }
    }
    rank
}

/// Marks the target of an edge whose weight is not 1 in [`Outgoing::targets`].
const HEAVY: u32 = 1 << 31;

/// The edges by source in compressed rows, read once per PageRank round: 4 bytes an edge
/// (its target) where the graph holds 32, and the weight only of the few edges whose weight is
/// not 1 (10M bench posts: 0.9M of 10.4M edges).
struct Outgoing {
    /// Source s's edges are `starts[s]..starts[s + 1]`.
    starts: Vec<usize>,
    /// Each edge's target, with [`HEAVY`] set when its weight is not 1. Node numbers stay
    /// below 2^31: the graph's nodes would not fit in memory before that.
    targets: Vec<u32>,
    /// The weights of the edges marked [`HEAVY`], in the order of `targets`.
    heavy: Vec<f64>,
    /// Each source's weight over all its edges, added in the order of its edges.
    weight: Vec<f64>,
}

impl Outgoing {
    /// By a stable counting sort on the source: edges of one source keep their order.
    fn of(graph: &Graph) -> Outgoing {
        let n = graph.nodes.len();
        let mut starts = vec![0usize; n + 1];
        for e in &graph.edges {
            starts[e.source + 1] += 1;
        }
        for s in 0..n {
            starts[s + 1] += starts[s];
        }
        let mut fill = starts.clone();
        let mut targets = vec![0u32; graph.edges.len()];
        let mut weight = vec![0.0f64; n];
        let mut heavy_at: Vec<(usize, f64)> = Vec::new();
        for e in &graph.edges {
            let at = fill[e.source];
            fill[e.source] += 1;
            let w = e.weight as f64;
            weight[e.source] += w;
            targets[at] = e.target as u32;
            if w != 1.0 {
                targets[at] |= HEAVY;
                heavy_at.push((at, w));
            }
        }
        // Already in order when the edges are sorted by source, as the Builder's are.
        heavy_at.sort_by_key(|&(at, _)| at);
        Outgoing {
            starts,
            targets,
            heavy: heavy_at.into_iter().map(|(_, w)| w).collect(),
            weight,
        }
    }
}

/// Brandes' betweenness on the undirected, unweighted projection (an edge of any type in either
/// direction links two accounts), normalised to 0–1; `None` above [`BETWEENNESS_MAX_NODES`].
pub fn betweenness(graph: &Graph) -> Option<Vec<f64>> {
    let n = graph.nodes.len();
    if n > BETWEENNESS_MAX_NODES {
        return None;
    }
    let mut adjacency: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &graph.edges {
        adjacency[e.source].push(e.target);
        adjacency[e.target].push(e.source);
    }
    for list in &mut adjacency {
        list.sort_unstable();
        list.dedup();
    }
    let mut centrality = vec![0.0f64; n];
    let mut stack = Vec::with_capacity(n);
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut sigma = vec![0.0f64; n];
    let mut dist = vec![-1i64; n];
    let mut delta = vec![0.0f64; n];
    let mut queue = VecDeque::new();
    for s in 0..n {
        stack.clear();
        for v in 0..n {
            preds[v].clear();
            sigma[v] = 0.0;
            dist[v] = -1;
            delta[v] = 0.0;
        }
        sigma[s] = 1.0;
        dist[s] = 0;
        queue.push_back(s);
        while let Some(v) = queue.pop_front() {
            stack.push(v);
            for &w in &adjacency[v] {
                if dist[w] < 0 {
                    dist[w] = dist[v] + 1;
                    queue.push_back(w);
                }
                if dist[w] == dist[v] + 1 {
                    sigma[w] += sigma[v];
                    preds[w].push(v);
                }
            }
        }
        while let Some(w) = stack.pop() {
            for &v in &preds[w] {
                delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
            }
            if w != s {
                centrality[w] += delta[w];
            }
        }
    }
    // Each pair was counted from both ends; normalise by the number of pairs without v.
    let pairs = if n > 2 {
        ((n - 1) * (n - 2)) as f64 / 2.0
    } else {
        1.0
    };
    Some(centrality.into_iter().map(|c| c / 2.0 / pairs).collect())
}

/// The interaction graph with its measures, before its communities are described: what
/// [`describe`] needs. Apart so the factsheet can run it beside the posts' words, which the
/// description reads.
pub(crate) struct Built {
    graph: Graph,
    modularity: Option<f64>,
    /// Each post's author as a node of the graph (None: the author has no edges).
    author_node: Vec<Option<u32>>,
    self_loops: u64,
    unresolved: u64,
}

/// The handles classic retweets name ("RT @handle: …"), for the reshares whose original is not
/// among the posts: read while the posts' texts are held, so [`build`] needs no texts.
#[derive(Debug, Default)]
pub(crate) struct Retweeted(HashMap<u32, String>);

impl Retweeted {
    pub(crate) fn of(prepared: &Prepared) -> Retweeted {
        Retweeted(
            prepared
                .posts
                .par_iter()
                .enumerate()
                .filter(|&(i, post)| {
                    // The two cases in which `build` falls back on the text.
                    match post.reshare_of_id() {
                        None => post.kind() == PostKind::Reshare,
                        Some(_) => prepared.threads.reshare_of(i).is_none(),
                    }
                })
                .filter_map(|(i, post)| Some((i as u32, retweeted_handle(post.text())?)))
                .collect(),
        )
    }

    fn handle(&self, post: usize) -> Option<&str> {
        self.0.get(&(post as u32)).map(String::as_str)
    }
}

// `build` marks the platforms an author was seen on as the bits of a u16.
const _: () = assert!(Platform::ALL.len() <= u16::BITS as usize);

/// The interaction graph of the posts: nodes, typed and weighted edges, degrees, PageRank,
/// betweenness and communities.
pub(crate) fn build(prepared: &Prepared, context: &Context, retweeted: &Retweeted) -> Built {
    let posts = &prepared.posts;
    // The author key of each (platform, author id), the last post's when they differ, as a
    // map collected in post order would keep. Filled from the last post back, once per distinct
    // author and platform rather than once per post.
    let mut author_by_id: HashMap<(Platform, &str), &str> = HashMap::new();
    let mut seen_on = vec![0u16; prepared.author_count()];
    for (i, p) in posts.iter().enumerate().rev() {
        let bit = 1u16 << (p.platform() as u16);
        let seen = &mut seen_on[prepared.author_number(i)];
        if *seen & bit == 0 {
            *seen |= bit;
            if !p.author_id().is_empty() {
                author_by_id
                    .entry((p.platform(), p.author_id()))
                    .or_insert_with(|| prepared.author_key(i));
            }
        }
    }
    drop(seen_on);
    let mut b = Builder::default();
    let mut unresolved = 0u64;
    let mut post_author: Vec<u32> = Vec::with_capacity(posts.len());
    // The node of each author (by `Prepared::authors`' ids) on the platform it was first met
    // on, so that most look-ups of a post's author or parent need no hashing of its key.
    let mut author_node: Vec<Option<(Platform, u32)>> = vec![None; prepared.author_count()];
    let mut node_of_author = |b: &mut Builder, j: usize, platform: Platform| -> usize {
        let slot = &mut author_node[prepared.author_number(j)];
        match *slot {
            Some((on, node)) if on == platform => node as usize,
            _ => {
                let node = b.node(platform, prepared.author_key(j), || {
                    (prepared.roles[j], prepared.focus[j])
                });
                // Nodes fit in u32 (see `Builder::edge`).
                slot.get_or_insert((platform, node as u32));
                node
            }
        }
    };
    for (i, post) in posts.iter().enumerate() {
        let platform = post.platform();
        let source = node_of_author(&mut b, i, platform);
        post_author.push(source as u32);
        // The account a handle or id names, when not an author met as such: a registry lookup.
        let target = |b: &mut Builder, key: &str| -> usize {
            b.node(platform, key, || {
                (
                    context.registry.role_of_handle(platform, key),
                    context
                        .case
                        .is_focus_account(context.registry, platform, "", key),
                )
            })
        };
        if crate::is_reply(*post) {
            if let Some(j) = prepared.threads.parent(i) {
                let t = node_of_author(&mut b, j, platform);
                b.edge(source, t, EdgeKind::Reply);
            } else if let Some(id) = post.in_reply_to_author_id() {
                let key = author_by_id.get(&(platform, id)).copied().unwrap_or(id);
                let t = target(&mut b, key);
                b.edge(source, t, EdgeKind::Reply);
            } else {
                unresolved += 1;
            }
        }
        let mut mentioned: Vec<Cow<str>> = post
            .mentions()
            .map(|m| lowercase(m.trim_start_matches('@')))
            .filter(|m| !m.is_empty())
            .collect();
        mentioned.sort_unstable();
        mentioned.dedup();
        for m in &mentioned {
            let t = target(&mut b, m);
            b.edge(source, t, EdgeKind::Mention);
        }
        for (of, found, kind) in [
            (
                post.reshare_of_id(),
                prepared.threads.reshare_of(i),
                EdgeKind::Reshare,
            ),
            (
                post.quote_of_id(),
                prepared.threads.quote_of(i),
                EdgeKind::Quote,
            ),
        ] {
            if of.is_none() {
                if kind == EdgeKind::Reshare && post.kind() == PostKind::Reshare {
                    // A plain reshare without the original's id: "RT @handle: …".
                    if let Some(h) = retweeted.handle(i) {
                        let t = target(&mut b, h);
                        b.edge(source, t, kind);
                    } else {
                        unresolved += 1;
                    }
                }
                continue;
            }
            if let Some(j) = found {
                let t = node_of_author(&mut b, j, platform);
                b.edge(source, t, kind);
            } else if let Some(h) = retweeted.handle(i).filter(|_| kind == EdgeKind::Reshare) {
                let t = target(&mut b, h);
                b.edge(source, t, kind);
            } else {
                unresolved += 1;
            }
        }
    }
    // The indexes over every post are done with: freed before the graph measures allocate.
    drop(author_by_id);
    let self_loops = b.self_loops;
    let Finished {
        graph,
        map,
        modularity,
    } = b.finish_mapped();
    // Each post's author as a node of the finished graph (None: the author has no edges).
    let author_node: Vec<Option<u32>> = post_author
        .into_iter()
        .map(|k| map[k as usize].map(|n| n as u32))
        .collect();
    drop(map);
    Built {
        graph,
        modularity,
        author_node,
        self_loops,
        unresolved,
    }
}

/// The network section of a built graph: counts, top accounts and the largest communities with
/// their words.
pub(crate) fn describe(prepared: &Prepared, built: Built, words: &Words) -> Network {
    let Built {
        graph,
        modularity,
        author_node,
        self_loops,
        unresolved,
    } = built;
    let communities = describe_communities(prepared, words, &graph, &author_node);
    let mut edges_by_type: BTreeMap<EdgeKind, u64> =
        EdgeKind::ALL.iter().map(|&k| (k, 0)).collect();
    let mut interactions_by_type = edges_by_type.clone();
    for e in &graph.edges {
        *edges_by_type.entry(e.kind).or_default() += 1;
        *interactions_by_type.entry(e.kind).or_default() += e.weight;
    }
    let top = crate::first_in_order(&graph.nodes, TOP, |a, b| {
        b.pagerank
            .total_cmp(&a.pagerank)
            .then(b.in_degree.cmp(&a.in_degree))
            .then(a.handle.cmp(&b.handle))
    });
    Network {
        nodes: graph.nodes.len() as u64,
        edges: graph.edges.len() as u64,
        edges_by_type,
        interactions_by_type,
        self_loops,
        unresolved,
        betweenness_computed: graph.nodes.len() <= BETWEENNESS_MAX_NODES,
        focus_accounts: graph.nodes.iter().filter(|n| n.focus).count() as u64,
        top_accounts: top.into_iter().cloned().collect(),
        modularity: modularity.map(|q| (q * 1e6).round() / 1e6),
        community_count: graph
            .nodes
            .iter()
            .map(|n| n.community + 1)
            .max()
            .unwrap_or(0),
        communities,
        graph,
    }
}

/// Communities listed in `network.communities`.
pub const COMMUNITIES: usize = 10;

/// The largest communities with their top accounts and characteristic words (the posts of their
/// accounts against all other posts, as for bursts).
fn describe_communities(
    prepared: &Prepared,
    words: &Words,
    graph: &Graph,
    author_node: &[Option<u32>],
) -> Vec<Community> {
    let count = graph
        .nodes
        .iter()
        .map(|n| n.community as usize + 1)
        .max()
        .unwrap_or(0);
    let shown = count.min(COMMUNITIES);
    if shown == 0 {
        return Vec::new();
    }
    let mut list: Vec<Community> = (0..shown)
        .map(|id| Community {
            id: id as u64,
            ..Community::default()
        })
        .collect();
    let mut members: Vec<Vec<&NetworkAccount>> = vec![Vec::new(); shown];
    for n in &graph.nodes {
        if let Some(c) = list.get_mut(n.community as usize) {
            c.accounts += 1;
            c.focus_accounts += u64::from(n.focus);
            members[n.community as usize].push(n);
        }
    }
    let all = words.counts(0..prepared.posts.len());
    let mut inside: Vec<HashMap<u32, u64>> = vec![HashMap::new(); shown];
    for (post, node) in author_node.iter().enumerate() {
        let Some(c) = node.map(|n| graph.nodes[n as usize].community as usize) else {
            continue;
        };
        if c < shown {
            list[c].posts += 1;
            for &w in words.of(post) {
                *inside[c].entry(w).or_default() += 1;
            }
        }
    }
    for (c, (community, inside)) in list.iter_mut().zip(inside).enumerate() {
        community.top_accounts = crate::first_in_order(&members[c], 5, |a, b| {
            b.pagerank
                .total_cmp(&a.pagerank)
                .then(a.handle.cmp(&b.handle))
        })
        .into_iter()
        .map(|n| n.handle.clone())
        .collect();
        community.terms =
            crate::bursts::log_odds_terms(&words.named(inside), &all, crate::bursts::TERMS);
    }
    list
}

/// The lower case of a handle, without a copy when it has none to make (most handles).
fn lowercase(handle: &str) -> Cow<'_, str> {
    if handle
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        Cow::Borrowed(handle)
    } else {
        Cow::Owned(handle.to_lowercase())
    }
}

/// The handle a classic retweet names: "RT @handle: …".
fn retweeted_handle(text: &str) -> Option<String> {
    let rest = text.trim_start().strip_prefix("RT @")?;
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| rest[..end].to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use dialoog_model::Role;

    fn graph(edges: &[(&str, &str, EdgeKind)]) -> Graph {
        let mut b = Builder::default();
        for (s, t, kind) in edges {
            let s = b.node(Platform::Twitter, s, || (Role::Citizen, false));
            let t = b.node(Platform::Twitter, t, || (Role::Citizen, false));
            b.edge(s, t, *kind);
        }
        b.finish()
    }

    fn rank_of(g: &Graph, handle: &str) -> f64 {
        g.nodes
            .iter()
            .find(|n| n.handle == handle)
            .unwrap()
            .pagerank
    }

    #[test]
    fn pagerank_of_two_accounts_by_hand() {
        // a → b, b dangling: x = 0.15/2 + 0.85·y/2, y = 0.15/2 + 0.85·(x + y/2), x + y = 1,
        // so y = 0.925 / 1.425.
        let g = graph(&[("a", "b", EdgeKind::Reply)]);
        let y = 0.925 / 1.425;
        assert!((rank_of(&g, "b") - y).abs() < 1e-9);
        assert!((rank_of(&g, "a") - (1.0 - y)).abs() < 1e-9);
    }

    /// PageRank as defined: every round, each edge adds DAMPING · rank · weight / out-weight
    /// of its source to its target, the edges taken by source and, for one source, in their
    /// order in the graph.
    fn pagerank_by_the_definition(graph: &Graph) -> Vec<f64> {
        let n = graph.nodes.len();
        let mut by_source: Vec<&Edge> = graph.edges.iter().collect();
        by_source.sort_by_key(|e| e.source);
        let mut out_weight = vec![0.0f64; n];
        for e in &by_source {
            out_weight[e.source] += e.weight as f64;
        }
        let mut rank = vec![1.0 / n as f64; n];
        for _ in 0..200 {
            let dangling: f64 = (0..n)
                .filter(|&i| out_weight[i] == 0.0)
                .map(|i| rank[i])
                .sum();
            let mut next = vec![(1.0 - DAMPING) / n as f64 + DAMPING * dangling / n as f64; n];
            for e in &by_source {
                let damped = DAMPING * rank[e.source];
                next[e.target] += if e.weight == 1 {
                    damped / out_weight[e.source]
                } else {
                    damped * e.weight as f64 / out_weight[e.source]
                };
            }
            let change: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
            rank = next;
            if change < 1e-12 {
                break;
            }
        }
        rank
    }

    proptest::proptest! {
        /// Edges in any order, of weight 1 and more, dangling accounts: the same bits as the
        /// definition.
        #[test]
        fn pagerank_gives_the_bits_of_its_definition(
            n in 1usize..40,
            edges in proptest::collection::vec((0usize..40, 0usize..40, 1u64..4), 0..200),
        ) {
            let graph = Graph {
                nodes: vec![NetworkAccount::default(); n],
                edges: edges
                    .into_iter()
                    .filter(|&(s, t, _)| s < n && t < n && s != t)
                    .map(|(source, target, weight)| Edge {
                        source,
                        target,
                        kind: EdgeKind::Reply,
                        weight,
                    })
                    .collect(),
            };
            let got: Vec<u64> = pagerank(&graph).iter().map(|r| r.to_bits()).collect();
            let expected: Vec<u64> =
                pagerank_by_the_definition(&graph).iter().map(|r| r.to_bits()).collect();
            proptest::prop_assert_eq!(got, expected);
        }
    }

    #[test]
    fn typed_edges_degrees_ranks_and_betweenness() {
        use EdgeKind::*;
        let g = graph(&[
            ("a", "b", Reply),
            ("a", "b", Reply),
            ("a", "b", Mention),
            ("c", "b", Reply),
            ("d", "b", Mention),
            ("b", "a", Reply),
            ("e", "d", Reshare),
            ("e", "e", Mention),
        ]);
        assert_eq!(g.nodes.len(), 5);
        // a → b as a reply (weight 2) and as a mention: two edges, never merged.
        let ab: Vec<(EdgeKind, u64)> = g
            .edges
            .iter()
            .filter(|e| g.nodes[e.source].handle == "a" && g.nodes[e.target].handle == "b")
            .map(|e| (e.kind, e.weight))
            .collect();
        assert_eq!(ab, vec![(Reply, 2), (Mention, 1)]);
        assert_eq!(g.edges.len(), 6, "the self-loop is left out");
        let node = |h: &str| g.nodes.iter().find(|n| n.handle == h).unwrap();
        assert_eq!((node("b").in_degree, node("b").out_degree), (5, 1));
        assert_eq!((node("a").in_degree, node("a").out_degree), (1, 3));
        let total: f64 = g.nodes.iter().map(|n| n.pagerank).sum();
        assert!((total - 1.0).abs() < 1e-9);
        let r = |h| rank_of(&g, h);
        assert!(r("b") > r("a") && r("a") > r("d") && r("d") > r("c"));
        assert!(
            (r("c") - r("e")).abs() < 1e-12,
            "no in-links: the same base rank"
        );
        // Undirected: b lies on every path between {a, c} and d, e; d between e and the rest.
        // b: pairs (a,d) (a,e) (c,d) (c,e) (a,c) = 5 of 6 pairs without b; d: (e,a) (e,b) (e,c).
        assert!((node("b").betweenness.unwrap() - 5.0 / 6.0).abs() < 1e-12);
        assert!((node("d").betweenness.unwrap() - 3.0 / 6.0).abs() < 1e-12);
        assert_eq!(node("a").betweenness, Some(0.0));
    }

    #[test]
    fn retweets_name_their_original() {
        assert_eq!(
            retweeted_handle("RT @Gemeente_X: hoi"),
            Some("gemeente_x".into())
        );
        assert_eq!(retweeted_handle("hoi RT @x"), None);
        assert_eq!(retweeted_handle("RT @: x"), None);
    }
}
