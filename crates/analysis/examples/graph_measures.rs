//! Times the graph-only measures (PageRank, Louvain, modularity) on a graph a factsheet wrote, so
//! they can be measured and compared without running the whole factsheet again:
//!
//! ```text
//! cargo run --release -p dialoog-analysis --example graph_measures -- OUT/network.gexf [RESULT]
//! ```
//!
//! Reads the nodes and the typed, weighted edges of the GEXF (in file order, which is the graph's
//! order), prints each measure's wall time, and with RESULT writes every node's PageRank (bits),
//! community and the modularity (bits) to that file, so two builds can be checked for identical
//! output with `cmp`.

use dialoog_analysis::factsheet::{Edge, EdgeKind, Graph, NetworkAccount};
use dialoog_analysis::{louvain, network};
use std::error::Error;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

/// The value of `name="…"` in a GEXF line.
fn attribute<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    // Split at quotes, the pieces alternate: `<edge id=`, `e0`, ` source=`, `n1`, …
    let mut pieces = line.split('"');
    while let (Some(key), Some(value)) = (pieces.next(), pieces.next()) {
        if key.strip_suffix('=')?.rsplit(' ').next() == Some(name) {
            return Some(value);
        }
    }
    None
}

fn node_index(line: &str, name: &str, number: usize) -> Result<usize, Box<dyn Error>> {
    let id = attribute(line, name).ok_or(format!("line {number}: no {name}"))?;
    let index = id
        .strip_prefix('n')
        .ok_or(format!("line {number}: {name} {id:?} is not n<index>"))?;
    Ok(index.parse()?)
}

fn read_gexf(path: &str) -> Result<Graph, Box<dyn Error>> {
    let reader = BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    let mut graph = Graph::default();
    for (number, line) in reader.lines().enumerate() {
        let line = line?;
        let number = number + 1;
        let trimmed = line.trim_start();
        if trimmed.starts_with("<node ") {
            graph.nodes.push(NetworkAccount {
                handle: attribute(trimmed, "label").unwrap_or_default().to_owned(),
                ..NetworkAccount::default()
            });
        } else if trimmed.starts_with("<edge ") {
            let kind = match attribute(trimmed, "label") {
                Some("reply") => EdgeKind::Reply,
                Some("mention") => EdgeKind::Mention,
                Some("reshare") => EdgeKind::Reshare,
                Some("quote") => EdgeKind::Quote,
                _ => EdgeKind::CoEngagement,
            };
            let weight = attribute(trimmed, "weight")
                .ok_or(format!("line {number}: no weight"))?
                .parse()?;
            graph.edges.push(Edge {
                source: node_index(trimmed, "source", number)?,
                target: node_index(trimmed, "target", number)?,
                kind,
                weight,
            });
        }
    }
    Ok(graph)
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: graph_measures GRAPH.gexf [RESULT]")?;
    let result = args.next();
    let start = Instant::now();
    let graph = read_gexf(&path)?;
    println!(
        "{path}: {} nodes, {} edges, read in {:.2} s",
        graph.nodes.len(),
        graph.edges.len(),
        start.elapsed().as_secs_f64()
    );
    let directed = graph.edges.iter().any(|e| e.kind != EdgeKind::CoEngagement);

    let start = Instant::now();
    let rank = if directed {
        network::pagerank(&graph)
    } else {
        Vec::new()
    };
    let pagerank_s = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let edges = graph.undirected();
    let (membership, q) = louvain::communities(graph.nodes.len(), &edges);
    let louvain_s = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let q_again = louvain::modularity(graph.nodes.len(), &edges, &membership);
    let modularity_s = start.elapsed().as_secs_f64();

    let communities = membership.iter().max().map_or(0, |m| m + 1);
    println!(
        "pagerank {pagerank_s:.3} s, louvain {louvain_s:.3} s ({communities} communities, \
         modularity {q:?}), modularity {modularity_s:.3} s"
    );
    if q != q_again {
        return Err(format!("modularity differs: {q:?} vs {q_again:?}").into());
    }
    if let Some(result) = result {
        let mut out = BufWriter::new(std::fs::File::create(result)?);
        writeln!(out, "modularity {:?}", q.map(f64::to_bits))?;
        for (i, c) in membership.iter().enumerate() {
            let r = rank.get(i).map_or(0, |r| r.to_bits());
            writeln!(out, "{i} {c} {r:016x}")?;
        }
        out.flush()?;
    }
    Ok(())
}
