//! The network picture: the accounts of highest PageRank with their strongest contacts, and the
//! edges among them, laid out by
//! Fruchterman–Reingold (1991) in Rust — fixed seed, fixed number of rounds, so the same network
//! always gives the same picture — and drawn as inline SVG. Nodes are coloured by their Louvain
//! community (Okabe–Ito colours for the largest communities, grey for the rest; the legend names
//! them as the Communities table does), their area proportional to PageRank; focus accounts get a
//! dark ring; the top accounts are labelled; the tooltip gives handle, role and community. Edges of all types between two accounts are
//! drawn as one grey line, its width growing with the number of interactions.

use crate::charts::{esc, palette};
use dialoog_analysis::Graph;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// Accounts drawn.
pub const NODES: usize = 80;
/// Accounts of highest PageRank always drawn; their strongest contacts fill the picture.
pub const CORE: usize = 15;
/// Accounts labelled.
pub const LABELS: usize = 10;
/// Layout rounds.
pub const ROUNDS: usize = 300;
const SEED: u64 = 0x05ee_dd1a_1009;
/// Colours of the communities with most accounts in the picture; the rest are [`OTHER`].
const COMMUNITY_COLOURS: [&str; 6] = [
    palette::BLUE,
    palette::ORANGE,
    palette::GREEN,
    palette::PURPLE,
    palette::SKY_BLUE,
    palette::VERMILLION,
];
const OTHER: &str = "#9aa1a9";

/// The accounts a graph's picture draws ([`chosen`]) and the colours of their communities, worked
/// out once for the picture and the Communities table: choosing reads every account and edge
/// (about a second at 10M bench posts).
pub struct Drawing {
    /// The accounts drawn, highest PageRank first.
    pub order: Vec<usize>,
    /// The colour of each community that gets one in the picture: the six with most accounts drawn
    /// (ties: the larger community, i.e. the lower id), in that order; the others are grey.
    pub colours: BTreeMap<u64, &'static str>,
}

impl Drawing {
    pub fn of(graph: &Graph) -> Drawing {
        let order = chosen(graph);
        let mut drawn: BTreeMap<u64, usize> = BTreeMap::new();
        for &g in &order {
            *drawn.entry(graph.nodes[g].community).or_default() += 1;
        }
        let mut by_drawn: Vec<(u64, usize)> = drawn.into_iter().collect();
        by_drawn.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let colours = by_drawn
            .into_iter()
            .zip(COMMUNITY_COLOURS)
            .map(|((community, _), colour)| (community, colour))
            .collect();
        Drawing { order, colours }
    }
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 440.0;
const MARGIN: f64 = 46.0;

/// A small deterministic generator (SplitMix64) for the starting positions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Fruchterman–Reingold in the unit square: `edges` as (a, b, weight) over `n` nodes. Repulsion
/// k²/d between every pair closer than 3k (the paper's grid variant, which keeps separate
/// components from drifting apart), attraction d²/k · √(1 + ln(1 + weight)) along edges, a weak pull to the
/// centre that keeps separate components in view, displacement capped by a temperature that
/// falls linearly to zero.
pub fn layout(n: usize, edges: &[(usize, usize, f64)]) -> Vec<(f64, f64)> {
    let mut rng = Rng(SEED);
    let mut pos: Vec<(f64, f64)> = (0..n).map(|_| (rng.next(), rng.next())).collect();
    if n < 2 {
        return vec![(0.5, 0.5); n];
    }
    let k = (1.0 / n as f64).sqrt();
    for round in 0..ROUNDS {
        let temperature = 0.1 * (1.0 - round as f64 / ROUNDS as f64);
        let mut disp = vec![(0.0f64, 0.0f64); n];
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d = (dx * dx + dy * dy).sqrt().max(1e-4);
                if d > 3.0 * k {
                    continue;
                }
                let f = k * k / d;
                disp[i].0 += dx / d * f;
                disp[i].1 += dy / d * f;
                disp[j].0 -= dx / d * f;
                disp[j].1 -= dy / d * f;
            }
        }
        for &(a, b, w) in edges {
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(1e-4);
            let f = d * d / k * (1.0 + w.ln_1p()).sqrt();
            disp[a].0 -= dx / d * f;
            disp[a].1 -= dy / d * f;
            disp[b].0 += dx / d * f;
            disp[b].1 += dy / d * f;
        }
        for (p, d) in pos.iter_mut().zip(&mut disp) {
            d.0 += (0.5 - p.0) * k;
            d.1 += (0.5 - p.1) * k;
            let len = (d.0 * d.0 + d.1 * d.1).sqrt().max(1e-9);
            let step = len.min(temperature);
            p.0 += d.0 / len * step;
            p.1 += d.1 / len * step;
        }
    }
    pos
}

/// The accounts drawn: the [`CORE`] of highest PageRank, then their contacts (each core account's
/// in turn, most interactions first), then the next by PageRank, up to [`NODES`]; highest
/// PageRank first.
pub fn chosen(graph: &Graph) -> Vec<usize> {
    // Ties in PageRank (most leaves share one) go by handle, then by node order.
    let by_rank = |a: &usize, b: &usize| {
        let (x, y) = (&graph.nodes[*a], &graph.nodes[*b]);
        y.pagerank
            .total_cmp(&x.pagerank)
            .then(x.handle.cmp(&y.handle))
            .then(a.cmp(b))
    };
    // At most `NODES` are drawn, so only the first `NODES` by rank can be reached below; a
    // graph of millions of accounts is not sorted whole (10M bench posts: ~5 s), nor are its
    // leaves, which mostly share one PageRank, compared by handle.
    let order = first_by(ranked_at_least_nth(graph, NODES), NODES, by_rank);
    let core: Vec<usize> = order.iter().copied().take(CORE).collect();
    let mut picked = vec![false; graph.nodes.len()];
    let mut slot: Vec<Option<usize>> = vec![None; graph.nodes.len()];
    for (k, &i) in core.iter().enumerate() {
        picked[i] = true;
        slot[i] = Some(k);
    }
    // Each core account's contacts, most interactions first; taken in turns, so that every core
    // account shows its neighbourhood.
    let mut contact: Vec<HashMap<usize, u64>> = vec![HashMap::new(); core.len()];
    for e in &graph.edges {
        match (at(&slot, e.source), at(&slot, e.target)) {
            (Some(k), None) => *contact[k].entry(e.target).or_default() += e.weight,
            (None, Some(k)) => *contact[k].entry(e.source).or_default() += e.weight,
            _ => {}
        }
    }
    // A list is read for at most 2 × `NODES` turns: each turn adds its entry or skips one
    // already drawn, and neither happens more than `NODES` times.
    let lists: Vec<Vec<usize>> = contact
        .into_iter()
        .map(|c| {
            first_by(c, 2 * NODES, |a: &(usize, u64), b: &(usize, u64)| {
                b.1.cmp(&a.1).then(by_rank(&a.0, &b.0))
            })
            .into_iter()
            .map(|(i, _)| i)
            .collect()
        })
        .collect();
    let mut out = core;
    let longest = lists.iter().map(Vec::len).max().unwrap_or(0);
    'turns: for turn in 0..longest {
        for list in &lists {
            if out.len() >= NODES {
                break 'turns;
            }
            if let Some(&i) = list.get(turn)
                && !picked[i]
            {
                picked[i] = true;
                out.push(i);
            }
        }
    }
    for i in order {
        if out.len() >= NODES {
            break;
        }
        if !picked[i] {
            picked[i] = true;
            out.push(i);
        }
    }
    out.sort_by(by_rank);
    out
}

/// The nodes whose PageRank is at least the `n`th highest (all, if there are no more than `n`).
fn ranked_at_least_nth(graph: &Graph, n: usize) -> Vec<usize> {
    let mut ranks: Vec<f64> = graph.nodes.iter().map(|node| node.pagerank).collect();
    let Some(nth) = n.checked_sub(1).filter(|&nth| nth < ranks.len()) else {
        return (0..graph.nodes.len()).collect();
    };
    let (_, &mut threshold, _) = ranks.select_nth_unstable_by(nth, |a, b| b.total_cmp(a));
    (0..graph.nodes.len())
        .filter(|&i| graph.nodes[i].pagerank.total_cmp(&threshold).is_ge())
        .collect()
}

/// Node `i`'s place in a per-node table, if it has one.
fn at(table: &[Option<usize>], i: usize) -> Option<usize> {
    table.get(i).copied().flatten()
}

/// The first `n` items in the total order `cmp`, in that order.
fn first_by<T>(
    items: impl IntoIterator<Item = T>,
    n: usize,
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Vec<T> {
    let mut all: Vec<T> = items.into_iter().collect();
    if all.len() > n {
        all.select_nth_unstable_by(n, &cmp);
        all.truncate(n);
    }
    all.sort_unstable_by(cmp);
    all
}

/// The picture of a graph's accounts [`chosen`] (its [`Drawing`]) and the edges among them;
/// `None` without edges.
pub fn picture(graph: &Graph, drawing: &Drawing, title: &str) -> Option<String> {
    let order = &drawing.order;
    let mut local: Vec<Option<usize>> = vec![None; graph.nodes.len()];
    for (i, &g) in order.iter().enumerate() {
        local[g] = Some(i);
    }
    let mut pairs: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    for e in &graph.edges {
        if let (Some(a), Some(b)) = (at(&local, e.source), at(&local, e.target)) {
            *pairs.entry((a.min(b), a.max(b))).or_default() += e.weight;
        }
    }
    if pairs.is_empty() {
        return None;
    }
    let edges: Vec<(usize, usize, f64)> =
        pairs.iter().map(|(&(a, b), &w)| (a, b, w as f64)).collect();
    let pos = layout(order.len(), &edges);
    // Fit the layout into the drawing area.
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in &pos {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    let sx = (WIDTH - 2.0 * MARGIN) / (x1 - x0).max(1e-9);
    let sy = (HEIGHT - 2.0 * MARGIN - 16.0) / (y1 - y0).max(1e-9);
    let at = |i: usize| {
        (
            MARGIN + (pos[i].0 - x0) * sx,
            MARGIN + 16.0 + (pos[i].1 - y0) * sy,
        )
    };
    let max_rank = graph.nodes[order[0]].pagerank.max(1e-12);
    let radius = |i: usize| 2.5 + 10.0 * (graph.nodes[order[i]].pagerank / max_rank).sqrt();
    let max_w = pairs.values().copied().max().unwrap_or(1) as f64;
    let colours = &drawing.colours;
    let colour = |community: u64| colours.get(&community).copied().unwrap_or(OTHER);

    let mut out = String::new();
    let t = esc(title);
    let _ = write!(
        out,
        r##"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-label="{t}" font-size="11" font-family="inherit"><title>{t}</title><text x="0" y="12" font-weight="600">{t}</text>"##
    );
    out.push_str(r##"<g stroke="#888" stroke-opacity="0.7" stroke-linecap="round">"##);
    for &(a, b, w) in &edges {
        let ((ax, ay), (bx, by)) = (at(a), at(b));
        let _ = write!(
            out,
            r#"<line x1="{ax:.1}" y1="{ay:.1}" x2="{bx:.1}" y2="{by:.1}" stroke-width="{:.2}"/>"#,
            0.6 + 2.4 * (w / max_w).sqrt()
        );
    }
    out.push_str("</g><g>");
    // Small nodes first, so the big ones stay visible on top.
    for i in (0..order.len()).rev() {
        let node = &graph.nodes[order[i]];
        let (x, y) = at(i);
        let (stroke, width) = if node.focus {
            ("#1b1f24", 1.6)
        } else {
            ("#fff", 0.8)
        };
        let _ = write!(
            out,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{:.1}" fill="{}" stroke="{stroke}" stroke-width="{width}"><title>@{} ({}{}), community {}, PageRank {:.4}</title></circle>"#,
            radius(i),
            colour(node.community),
            esc(&node.handle),
            node.role.as_str(),
            if node.focus { ", focus account" } else { "" },
            node.community,
            node.pagerank,
        );
    }
    out.push_str(r##"</g><g font-weight="600" fill="#1b1f24" paint-order="stroke" stroke="#fff" stroke-width="3" stroke-linejoin="round">"##);
    for (i, &node) in order.iter().enumerate().take(LABELS) {
        let (x, y) = at(i);
        let r = radius(i);
        let label: String = graph.nodes[node].handle.chars().take(24).collect();
        let anchor = if x > WIDTH - 140.0 { "end" } else { "start" };
        let dx = if anchor == "end" { -(r + 3.0) } else { r + 3.0 };
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="{anchor}">@{}</text>"#,
            x + dx,
            y + 4.0,
            esc(&label)
        );
    }
    out.push_str("</g>");
    // Legend: "Community" and the coloured communities by id, the others together, then the ring.
    let mut ids: Vec<(u64, &str)> = colours.iter().map(|(&c, &col)| (c, col)).collect();
    ids.sort_unstable();
    let mut entries: Vec<(String, &str)> = ids
        .into_iter()
        .map(|(c, col)| (c.to_string(), col))
        .collect();
    if order
        .iter()
        .any(|&g| !colours.contains_key(&graph.nodes[g].community))
    {
        entries.push(("other".to_owned(), OTHER));
    }
    let ly = HEIGHT - 8.0;
    let _ = write!(out, r#"<text x="0" y="{ly:.1}">Community:</text>"#);
    let mut lx = 72.0;
    for (name, colour) in entries {
        let _ = write!(
            out,
            r#"<circle cx="{:.1}" cy="{:.1}" r="5" fill="{colour}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            lx + 5.0,
            ly - 4.0,
            lx + 14.0,
            ly,
            esc(&name)
        );
        lx += 22.0 + name.chars().count() as f64 * 6.2;
    }
    let _ = write!(
        out,
        r##"<circle cx="{:.1}" cy="{:.1}" r="5" fill="#fff" stroke="#1b1f24" stroke-width="1.6"/><text x="{:.1}" y="{:.1}">focus account</text>"##,
        lx + 5.0,
        ly - 4.0,
        lx + 14.0,
        ly
    );
    out.push_str("</svg>");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_is_deterministic_and_connected_nodes_are_closer() {
        // Two triangles joined by one edge.
        let edges = [
            (0, 1, 1.0),
            (1, 2, 1.0),
            (0, 2, 1.0),
            (3, 4, 1.0),
            (4, 5, 1.0),
            (3, 5, 1.0),
            (2, 3, 1.0),
        ];
        let a = layout(6, &edges);
        assert_eq!(a, layout(6, &edges), "same input, same picture");
        let d = |i: usize, j: usize| ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
        assert!(d(0, 1) < d(0, 5) && d(4, 5) < d(1, 5), "{a:?}");
        assert!(a.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
    }

    /// `chosen` as first written: every node and every contact list sorted whole.
    fn chosen_by_sorting_everything(graph: &Graph) -> Vec<usize> {
        let rank = |a: &usize, b: &usize| {
            let (x, y) = (&graph.nodes[*a], &graph.nodes[*b]);
            (y.pagerank.total_cmp(&x.pagerank))
                .then(x.handle.cmp(&y.handle))
                .then(a.cmp(b))
        };
        let mut order: Vec<usize> = (0..graph.nodes.len()).collect();
        order.sort_by(rank);
        let core = &order[..CORE.min(order.len())];
        let mut out = core.to_vec();
        let lists: Vec<Vec<usize>> = core
            .iter()
            .map(|&c| {
                let mut weights: HashMap<usize, u64> = HashMap::new();
                for e in &graph.edges {
                    let other = if e.source == c { e.target } else { e.source };
                    if (e.source == c || e.target == c) && !core.contains(&other) {
                        *weights.entry(other).or_default() += e.weight;
                    }
                }
                let mut list: Vec<(usize, u64)> = weights.into_iter().collect();
                list.sort_by(|a, b| b.1.cmp(&a.1).then(rank(&a.0, &b.0)));
                list.into_iter().map(|(i, _)| i).collect()
            })
            .collect();
        for turn in 0..graph.nodes.len() {
            for list in &lists {
                if let Some(&i) = list.get(turn)
                    && out.len() < NODES
                    && !out.contains(&i)
                {
                    out.push(i);
                }
            }
        }
        for i in order {
            if out.len() < NODES && !out.contains(&i) {
                out.push(i);
            }
        }
        out.sort_by(rank);
        out
    }

    #[test]
    fn the_accounts_drawn_are_those_a_full_sort_would_give() {
        // Few distinct ranks and handles, so that most comparisons are ties; one hub with far
        // more contacts than are drawn.
        let mut rng = Rng(7);
        // (nodes, edges, distinct PageRanks below the hub's; 0: all distinct)
        let graphs = [
            (0, 0, 5),
            (1, 3, 5),
            (20, 60, 5),
            (90, 270, 5),
            (600, 1800, 5),
            (600, 40, 5),
            (600, 40, 0),
            (600, 1800, 0),
        ];
        for (nodes, edges, levels) in graphs {
            let mut graph = Graph::default();
            for i in 0..nodes {
                graph.nodes.push(dialoog_analysis::NetworkAccount {
                    handle: format!("h{}", (rng.next() * 40.0) as u32),
                    // Node 0, the hub, is drawn first.
                    pagerank: if i == 0 {
                        1.0
                    } else if levels == 0 {
                        rng.next() * 0.9
                    } else {
                        (rng.next() * levels as f64).floor() / levels as f64 * 0.9
                    },
                    ..Default::default()
                });
            }
            for _ in 0..edges {
                let source = (rng.next() * nodes as f64) as usize;
                let target = if rng.next() < 0.3 {
                    0
                } else {
                    (rng.next() * nodes as f64) as usize
                };
                graph.edges.push(dialoog_analysis::Edge {
                    source,
                    target,
                    kind: dialoog_analysis::EdgeKind::Reply,
                    weight: 1 + (rng.next() * 3.0) as u64,
                });
            }
            assert_eq!(
                chosen(&graph),
                chosen_by_sorting_everything(&graph),
                "{nodes} nodes, {edges} edges, {levels} levels"
            );
        }
    }

    #[test]
    fn the_picture_escapes_handles_and_labels_the_top() {
        let n = crate::sample::network();
        let drawing = Drawing::of(&n.graph);
        let svg = picture(&n.graph, &drawing, "Network <of> \"all\"").unwrap();
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert!(svg.contains("&lt;b&gt;evilcare&lt;/b&gt;"));
        assert!(!svg.contains("<b>"));
        assert_eq!(
            svg.matches("<circle ").count(),
            n.graph.nodes.len().min(NODES) + 6,
            "nodes and the legend's six circles (five communities, focus)"
        );
        assert_eq!(svg.matches("text-anchor=").count(), LABELS);
        let colours = &drawing.colours;
        assert_eq!(
            colours.len(),
            5,
            "the sample's five communities are all drawn"
        );
        assert!(colours.values().all(|c| COMMUNITY_COLOURS.contains(c)));
        assert!(svg.contains(">Community:</text>") && !svg.contains(">other</text>"));
        let empty = Default::default();
        assert!(picture(&empty, &Drawing::of(&empty), "empty").is_none());
    }
}
