//! Communities by the Louvain method (Blondel, Guillaume, Lambiotte & Lefebvre 2008, "Fast
//! unfolding of communities in large networks") on an undirected, weighted graph, and Newman's
//! modularity of the result. Deterministic: nodes are visited in index order, a node moves only
//! for a strictly larger gain, ties keep the lower community.

/// Modularity gains below this count as none (rounding).
const EPS: f64 = 1e-12;

/// An undirected weighted graph at one level of the method, in compressed rows: node `i`'s
/// neighbours (ascending, without self-loops) are `neighbour[start[i]..start[i + 1]]`, with the
/// weights beside them in `weight`; `loops` holds the weight of each node's self-loop (edges
/// inside a merged community, each counted once). One allocation per array, not one per node.
struct Level {
    start: Vec<usize>,
    /// Node numbers as `u32`, like the pairs they are made from: 4 bytes a neighbour fewer on
    /// graphs of tens of millions of edges.
    neighbour: Vec<u32>,
    weight: Vec<f64>,
    loops: Vec<f64>,
}

impl Level {
    fn len(&self) -> usize {
        self.loops.len()
    }

    fn row(&self, i: usize) -> (&[u32], &[f64]) {
        let range = self.start[i]..self.start[i + 1];
        (&self.neighbour[range.clone()], &self.weight[range])
    }

    fn degree(&self, i: usize) -> f64 {
        self.row(i).1.iter().sum::<f64>() + 2.0 * self.loops[i]
    }

    /// The level of `loops.len()` nodes joined by `pairs` (a, b, weight) with a < b; the
    /// weights of equal pairs add up in the order given (the sort is stable), so the sums are
    /// the same to the bit however the pairs were found.
    fn from_pairs(pairs: Vec<Pair>, loops: Vec<f64>) -> Level {
        let n = loops.len();
        // Counting sort by a (node numbers are dense), then each a's few pairs by b.
        let mut start = vec![0usize; n + 1];
        for &(a, _, _) in &pairs {
            start[a as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut slot = start.clone();
        let mut sorted = vec![(0u32, 0u32, 0.0f64); pairs.len()];
        for pair in pairs {
            let a = pair.0 as usize;
            sorted[slot[a]] = pair;
            slot[a] += 1;
        }
        for a in 0..n {
            sorted[start[a]..start[a + 1]].sort_by_key(|&(_, b, _)| b);
        }
        // Equal pairs merged in place (one buffer fewer on a graph of millions of edges).
        let mut kept = 0;
        for read in 0..sorted.len() {
            let (a, b, w) = sorted[read];
            if kept > 0 && (sorted[kept - 1].0, sorted[kept - 1].1) == (a, b) {
                sorted[kept - 1].2 += w;
            } else {
                sorted[kept] = (a, b, w);
                kept += 1;
            }
        }
        sorted.truncate(kept);
        let merged = sorted;
        start.iter_mut().for_each(|s| *s = 0);
        for &(a, b, _) in &merged {
            start[a as usize + 1] += 1;
            start[b as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        // Filled in pair order: each row comes out ascending (its smaller neighbours first).
        let mut next = start.clone();
        let mut neighbour = vec![0u32; start[n]];
        let mut weight = vec![0.0f64; start[n]];
        for (a, b, w) in merged {
            let (a, b) = (a as usize, b as usize);
            neighbour[next[a]] = b as u32;
            weight[next[a]] = w;
            next[a] += 1;
            neighbour[next[b]] = a as u32;
            weight[next[b]] = w;
            next[b] += 1;
        }
        Level {
            start,
            neighbour,
            weight,
            loops,
        }
    }
}

/// An undirected pair (a, b, weight) with a < b. Node numbers are `u32`: four billion nodes
/// would not fit in memory anyway, and the pairs of a graph of 10M edges take 16 bytes each
/// instead of 24.
type Pair = (u32, u32, f64);

/// Merges parallel and opposite edges; self-loops are dropped.
fn level_of(n: usize, edges: impl Iterator<Item = (usize, usize, f64)>) -> Level {
    let pairs = edges
        .filter(|&(a, b, w)| a != b && w > 0.0)
        .map(|(a, b, w)| (a.min(b) as u32, a.max(b) as u32, w))
        .collect();
    Level::from_pairs(pairs, vec![0.0; n])
}

/// One local-moving phase: each node's community, renumbered 0.. in order of first node.
fn local_moves(level: &Level, two_m: f64) -> Vec<usize> {
    let n = level.len();
    let degree: Vec<f64> = (0..n).map(|i| level.degree(i)).collect();
    let mut community: Vec<usize> = (0..n).collect();
    let mut total: Vec<f64> = degree.clone();
    // The weight from the node to each neighbouring community, dense by community (communities
    // are node numbers), with the communities touched listed: no hashing per edge. Weights are
    // positive, so a community not touched yet is one with weight 0.
    let mut weight_to: Vec<f64> = vec![0.0; n];
    let mut touched: Vec<usize> = Vec::new();
    for _ in 0..100 {
        let mut moved = false;
        for i in 0..n {
            let own = community[i];
            for k in level.start[i]..level.start[i + 1] {
                // The neighbours' communities lie all over: asked for ahead, they are in the
                // cache when read.
                if let Some(&ahead) = level.neighbour.get(k + crate::PREFETCH_AHEAD) {
                    crate::prefetch(&community, ahead as usize);
                }
                let (j, w) = (level.neighbour[k], level.weight[k]);
                let c = community[j as usize];
                if weight_to[c] == 0.0 {
                    touched.push(c);
                }
                weight_to[c] += w;
            }
            total[own] -= degree[i];
            let gain = |c: usize, w: f64| w - total[c] * degree[i] / two_m;
            let mut best = own;
            let mut best_gain = gain(own, weight_to[own]);
            touched.sort_unstable();
            for &c in &touched {
                let g = gain(c, weight_to[c]);
                if g > best_gain + EPS {
                    best = c;
                    best_gain = g;
                }
            }
            for &c in &touched {
                weight_to[c] = 0.0;
            }
            touched.clear();
            total[best] += degree[i];
            if best != own {
                community[i] = best;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    let mut renumber = vec![usize::MAX; n];
    let mut count = 0;
    community
        .iter()
        .map(|&c| {
            if renumber[c] == usize::MAX {
                renumber[c] = count;
                count += 1;
            }
            renumber[c]
        })
        .collect()
}

/// The community graph: one node per community.
fn aggregate(level: &Level, community: &[usize], count: usize) -> Level {
    let mut loops = vec![0.0; count];
    let mut pairs = Vec::new();
    for i in 0..level.len() {
        loops[community[i]] += level.loops[i];
        let (neighbours, weights) = level.row(i);
        for (&j, &w) in neighbours.iter().zip(weights) {
            let j = j as usize;
            if i < j {
                let (a, b) = (community[i], community[j]);
                if a == b {
                    loops[a] += w;
                } else {
                    pairs.push((a.min(b) as u32, a.max(b) as u32, w));
                }
            }
        }
    }
    Level::from_pairs(pairs, loops)
}

/// Louvain communities of `n` nodes joined by undirected weighted `edges` (parallel edges add up):
/// each node's community, numbered by size (0 the largest; ties by first node), and the
/// modularity of the partition. Without edges every node is its own community and the modularity
/// is `None`.
pub fn communities(n: usize, edges: &[(usize, usize, f64)]) -> (Vec<usize>, Option<f64>) {
    communities_of(n, || edges.iter().copied())
}

/// [`communities`] of edges made by `edges` (called twice), so a caller with its own edge list
/// need not copy it into a vector of tuples (tens of millions of edges at 10M posts).
pub fn communities_of<I: Iterator<Item = (usize, usize, f64)>>(
    n: usize,
    edges: impl Fn() -> I,
) -> (Vec<usize>, Option<f64>) {
    let mut level = level_of(n, edges());
    let two_m: f64 = (0..n).map(|i| level.degree(i)).sum();
    if two_m == 0.0 {
        return ((0..n).collect(), None);
    }
    let mut membership: Vec<usize> = (0..n).collect();
    loop {
        let community = local_moves(&level, two_m);
        let count = community.iter().max().map_or(0, |m| m + 1);
        for m in &mut membership {
            *m = community[*m];
        }
        if count == level.len() {
            break;
        }
        level = aggregate(&level, &community, count);
    }
    // Number by size, largest first.
    let count = membership.iter().max().map_or(0, |m| m + 1);
    let mut size = vec![0usize; count];
    for &m in &membership {
        size[m] += 1;
    }
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|a, b| size[*b].cmp(&size[*a]).then(a.cmp(b)));
    let mut rank = vec![0usize; count];
    for (r, c) in order.into_iter().enumerate() {
        rank[c] = r;
    }
    let membership: Vec<usize> = membership.into_iter().map(|m| rank[m]).collect();
    let q = modularity_of(n, edges(), &membership);
    (membership, q)
}

/// Newman's modularity Q = Σ_c [ L_c / m − (d_c / 2m)² ] of a partition of an undirected weighted
/// graph (L_c: weight inside c, d_c: total degree of c, m: total weight; self-loops dropped);
/// `None` without edges.
pub fn modularity(n: usize, edges: &[(usize, usize, f64)], membership: &[usize]) -> Option<f64> {
    modularity_of(n, edges.iter().copied(), membership)
}

/// [`modularity`] of the edges an iterator gives.
fn modularity_of(
    n: usize,
    edges: impl Iterator<Item = (usize, usize, f64)>,
    membership: &[usize],
) -> Option<f64> {
    let count = membership.iter().max().map_or(0, |m| m + 1);
    let mut inside = vec![0.0; count];
    let mut degree = vec![0.0; count];
    let mut m = 0.0;
    for (a, b, w) in edges {
        if a == b || a >= n || b >= n || w <= 0.0 {
            continue;
        }
        m += w;
        degree[membership[a]] += w;
        degree[membership[b]] += w;
        if membership[a] == membership[b] {
            inside[membership[a]] += w;
        }
    }
    if m == 0.0 {
        return None;
    }
    Some(
        (0..count)
            .map(|c| inside[c] / m - (degree[c] / (2.0 * m)).powi(2))
            .sum(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two 4-cliques joined by one edge.
    fn two_cliques() -> Vec<(usize, usize, f64)> {
        let mut edges = Vec::new();
        for base in [0, 4] {
            for i in 0..4 {
                for j in i + 1..4 {
                    edges.push((base + i, base + j, 1.0));
                }
            }
        }
        edges.push((3, 4, 1.0));
        edges
    }

    #[test]
    fn two_cliques_are_two_communities_with_the_known_modularity() {
        let edges = two_cliques();
        let (m, q) = communities(8, &edges);
        assert_eq!(m, vec![0, 0, 0, 0, 1, 1, 1, 1]);
        // m = 13 edges; each clique: 6 inside, degree 13 → Q = 2·(6/13 − (13/26)²) = 12/13 − 1/2.
        let expected = 12.0 / 13.0 - 0.5;
        assert!((q.unwrap() - expected).abs() < 1e-12, "{q:?}");
        // The partition found beats putting everything together (Q = 0).
        assert_eq!(modularity(8, &edges, &[0; 8]), Some(0.0));
    }

    #[test]
    fn a_ring_of_cliques_keeps_every_clique_whole_over_several_levels() {
        // 24 cliques of 6 nodes in a ring, neighbours joined by one edge: the first level finds
        // the cliques, later levels may join neighbouring cliques, none is ever split.
        let (cliques, size) = (24, 6);
        let mut edges = Vec::new();
        for c in 0..cliques {
            let base = c * size;
            for i in 0..size {
                for j in i + 1..size {
                    edges.push((base + j, base + i, 1.0));
                }
            }
            edges.push((base, (base + size + 1) % (cliques * size), 1.0));
        }
        let n = cliques * size;
        let (membership, q) = communities(n, &edges);
        for c in 0..cliques {
            let first = membership[c * size];
            assert!(
                membership[c * size..(c + 1) * size]
                    .iter()
                    .all(|&m| m == first)
            );
        }
        let count = membership.iter().max().unwrap() + 1;
        assert!(count > 1 && count <= cliques, "{count} communities");
        assert_eq!(q, modularity(n, &edges, &membership));
        // Better than the cliques on their own.
        let by_clique: Vec<usize> = (0..n).map(|i| i / size).collect();
        assert!(q.unwrap() >= modularity(n, &edges, &by_clique).unwrap());
    }

    #[test]
    fn parallel_edges_add_up_and_empty_graphs_have_no_modularity() {
        let (m, q) = communities(3, &[]);
        assert_eq!((m, q), (vec![0, 1, 2], None));
        let (m, _) = communities(4, &[(0, 1, 1.0), (1, 0, 2.0), (2, 3, 1.0), (2, 2, 5.0)]);
        assert_eq!(m, vec![0, 0, 1, 1]);
    }
}
