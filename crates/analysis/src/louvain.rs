//! Communities by the Louvain method (Blondel, Guillaume, Lambiotte & Lefebvre 2008, "Fast
//! unfolding of communities in large networks") on an undirected, weighted graph, and Newman's
//! modularity of the result. Deterministic: nodes are visited in index order, a node moves only
//! for a strictly larger gain, ties keep the lower community.

use foldhash::{HashMap, HashMapExt};

/// Modularity gains below this count as none (rounding).
const EPS: f64 = 1e-12;

/// An undirected weighted graph at one level of the method: neighbours (without self-loops) and
/// the weight of each node's self-loop (edges inside a merged community, each counted once).
struct Level {
    adjacency: Vec<Vec<(usize, f64)>>,
    loops: Vec<f64>,
}

impl Level {
    fn degree(&self, i: usize) -> f64 {
        self.adjacency[i].iter().map(|(_, w)| w).sum::<f64>() + 2.0 * self.loops[i]
    }
}

/// Merges parallel and opposite edges; self-loops are dropped.
fn level_of(n: usize, edges: &[(usize, usize, f64)]) -> Level {
    let mut merged: HashMap<(usize, usize), f64> = HashMap::new();
    for &(a, b, w) in edges {
        if a != b && w > 0.0 {
            *merged.entry((a.min(b), a.max(b))).or_default() += w;
        }
    }
    let mut adjacency = vec![Vec::new(); n];
    let mut pairs: Vec<((usize, usize), f64)> = merged.into_iter().collect();
    pairs.sort_by_key(|x| x.0);
    for ((a, b), w) in pairs {
        adjacency[a].push((b, w));
        adjacency[b].push((a, w));
    }
    Level {
        adjacency,
        loops: vec![0.0; n],
    }
}

/// One local-moving phase: each node's community, renumbered 0.. in order of first node.
fn local_moves(level: &Level, two_m: f64) -> Vec<usize> {
    let n = level.adjacency.len();
    let degree: Vec<f64> = (0..n).map(|i| level.degree(i)).collect();
    let mut community: Vec<usize> = (0..n).collect();
    let mut total: Vec<f64> = degree.clone();
    // The weight from the node to each neighbouring community, dense by community (communities
    // are node numbers), with the communities touched listed: no hashing per edge.
    let mut weight_to: Vec<f64> = vec![0.0; n];
    let mut touched_flag: Vec<bool> = vec![false; n];
    let mut touched: Vec<usize> = Vec::new();
    for _ in 0..100 {
        let mut moved = false;
        for i in 0..n {
            let own = community[i];
            for &(j, w) in &level.adjacency[i] {
                let c = community[j];
                if !touched_flag[c] {
                    touched_flag[c] = true;
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
                touched_flag[c] = false;
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
    let mut renumber: HashMap<usize, usize> = HashMap::new();
    community
        .iter()
        .map(|c| {
            let next = renumber.len();
            *renumber.entry(*c).or_insert(next)
        })
        .collect()
}

/// The community graph: one node per community.
fn aggregate(level: &Level, community: &[usize], count: usize) -> Level {
    let mut loops = vec![0.0; count];
    let mut merged: HashMap<(usize, usize), f64> = HashMap::new();
    for (i, list) in level.adjacency.iter().enumerate() {
        loops[community[i]] += level.loops[i];
        for &(j, w) in list {
            if i < j {
                let (a, b) = (community[i], community[j]);
                if a == b {
                    loops[a] += w;
                } else {
                    *merged.entry((a.min(b), a.max(b))).or_default() += w;
                }
            }
        }
    }
    let mut adjacency = vec![Vec::new(); count];
    let mut pairs: Vec<((usize, usize), f64)> = merged.into_iter().collect();
    pairs.sort_by_key(|x| x.0);
    for ((a, b), w) in pairs {
        adjacency[a].push((b, w));
        adjacency[b].push((a, w));
    }
    Level { adjacency, loops }
}

/// Louvain communities of `n` nodes joined by undirected weighted `edges` (parallel edges add up):
/// each node's community, numbered by size (0 the largest; ties by first node), and the
/// modularity of the partition. Without edges every node is its own community and the modularity
/// is `None`.
pub fn communities(n: usize, edges: &[(usize, usize, f64)]) -> (Vec<usize>, Option<f64>) {
    let mut level = level_of(n, edges);
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
        if count == level.adjacency.len() {
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
    let q = modularity(n, edges, &membership);
    (membership, q)
}

/// Newman's modularity Q = Σ_c [ L_c / m − (d_c / 2m)² ] of a partition of an undirected weighted
/// graph (L_c: weight inside c, d_c: total degree of c, m: total weight; self-loops dropped);
/// `None` without edges.
pub fn modularity(n: usize, edges: &[(usize, usize, f64)], membership: &[usize]) -> Option<f64> {
    let count = membership.iter().max().map_or(0, |m| m + 1);
    let mut inside = vec![0.0; count];
    let mut degree = vec![0.0; count];
    let mut m = 0.0;
    for &(a, b, w) in edges {
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
    fn parallel_edges_add_up_and_empty_graphs_have_no_modularity() {
        let (m, q) = communities(3, &[]);
        assert_eq!((m, q), (vec![0, 1, 2], None));
        let (m, _) = communities(4, &[(0, 1, 1.0), (1, 0, 2.0), (2, 3, 1.0), (2, 2, 5.0)]);
        assert_eq!(m, vec![0, 0, 1, 1]);
    }
}
