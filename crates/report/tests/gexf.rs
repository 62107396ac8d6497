//! network.gexf read back by a real GEXF reader: networkx's `read_gexf` (Python). When python3 or
//! networkx is missing the test says so and passes (CI installs networkx).

use dialoog_analysis::EdgeKind;
use dialoog_report::{gexf, sample, write_all};
use std::path::Path;
use std::process::Command;

/// Runs `script` with the GEXF path as argv[1]; `None` when python3 or networkx is unavailable.
fn python(script: &str, path: &Path) -> Option<String> {
    let probe = Command::new("python3")
        .args(["-c", "import networkx"])
        .output()
        .ok()?;
    if !probe.status.success() {
        return None;
    }
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "networkx could not read {}:\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

const READ: &str = r#"
import sys, collections
import networkx as nx
g = nx.read_gexf(sys.argv[1])
types = collections.Counter(d["type"] for _, _, d in g.edges(data=True))
weight = sum(d["weight"] for _, _, d in g.edges(data=True))
ranks = sum(d["pagerank"] for _, d in g.nodes(data=True))
roles = collections.Counter(d["role"] for _, d in g.nodes(data=True))
labels = sorted(d["label"] for _, d in g.nodes(data=True))
print(g.number_of_nodes(), g.number_of_edges(), g.is_directed(), g.is_multigraph())
print(" ".join(f"{k}={v}" for k, v in sorted(types.items())))
print(int(weight), round(ranks, 9))
print(" ".join(f"{k}={v}" for k, v in sorted(roles.items())))
print(labels[0])
print("<b>evilcare</b>" in labels)
print(len({d["community"] for _, d in g.nodes(data=True)}))
"#;

#[test]
fn networkx_reads_the_gexf() {
    let f = sample::webcare();
    let n = &f.network;
    let dir = std::env::temp_dir().join(format!("dialoog-gexf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("network.gexf");
    std::fs::write(&path, gexf(n)).unwrap();
    let Some(out) = python(READ, &path) else {
        eprintln!(
            "SKIPPED: python3 with networkx is not available; network.gexf was not read back"
        );
        return;
    };
    let _ = std::fs::remove_dir_all(&dir);
    let lines: Vec<&str> = out.lines().collect();
    // Parallel edges of different types (a customer mentioning and replying to one account) make
    // networkx read a multigraph.
    assert_eq!(
        lines[0],
        format!("{} {} True True", n.graph.nodes.len(), n.graph.edges.len())
    );
    let types: Vec<String> = EdgeKind::ALL
        .iter()
        .map(|k| (k.as_str(), n.edges_by_type[k]))
        .filter(|(_, c)| *c > 0)
        .map(|(k, c)| format!("{k}={c}"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(lines[1], types.join(" "));
    let weight: u64 = n.interactions_by_type.values().sum();
    assert_eq!(lines[2], format!("{weight} 1.0"));
    // The media outlet is a citizen too: unregistered.
    assert_eq!(lines[3], "citizen=61 organisation=5");
    assert_eq!(lines[4], "115700", "labels are the handles");
    assert_eq!(
        lines[5], "True",
        "the escaped label reads back as the original text"
    );
}

#[test]
fn networkx_reads_the_co_engagement_gexf_as_undirected() {
    let f = sample::webcare();
    let dir = std::env::temp_dir().join(format!("dialoog-coe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("co-engagement.gexf");
    std::fs::write(&path, dialoog_report::render_co_engagement_gexf(&f)).unwrap();
    let script = r#"
import sys
import networkx as nx
g = nx.read_gexf(sys.argv[1])
print(g.number_of_nodes(), g.number_of_edges(), g.is_directed(), int(g.size(weight="weight")))
print(sorted(d["label"] for _, d in g.nodes(data=True))[-1])
"#;
    let Some(out) = python(script, &path) else {
        eprintln!(
            "SKIPPED: python3 with networkx is not available; co-engagement.gexf was not read back"
        );
        return;
    };
    let _ = std::fs::remove_dir_all(&dir);
    let c = &f.co_engagement;
    let weight: u64 = c.graph.edges.iter().map(|e| e.weight).sum();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], format!("{} {} False {weight}", c.nodes, c.edges));
    assert_eq!(lines[1], "<i>fan</i>");
}

#[test]
fn write_all_writes_network_gexf_beside_the_factsheet() {
    let dir = std::env::temp_dir().join(format!("dialoog-gexf-all-{}", std::process::id()));
    let written = write_all(&sample::webcare(), &dir).unwrap();
    assert_eq!(written.gexf, dir.join("network.gexf"));
    let text = std::fs::read_to_string(&written.gexf).unwrap();
    assert!(text.contains("<gexf xmlns=\"http://gexf.net/1.3\""));
    assert!(text.contains("Webcare on Twitter"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A context that says what `f` says of its case, version and day.
fn context_of<'a>(
    f: &dialoog_analysis::Factsheet,
    case: &'a dialoog_model::Case,
    registry: &'a dialoog_model::Registry,
) -> dialoog_analysis::Context<'a> {
    dialoog_analysis::Context {
        dialoog_version: f.method.dialoog_version.clone(),
        generated_at: f.generated_at,
        ..dialoog_analysis::Context::bare(case, registry)
    }
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dialoog-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

const FILES: [&str; 5] = [
    "factsheet.html",
    "factsheet.json",
    "factsheet.md",
    "network.gexf",
    "co-engagement.gexf",
];

#[test]
fn networks_streamed_while_computing_are_the_files_written_after() {
    use dialoog_analysis::NetworkKind;
    use dialoog_report::{EarlyNetworks, write_all_with};
    let f = sample::webcare();
    let case = dialoog_model::Case {
        title: f.title.clone(),
        ..dialoog_model::Case::default()
    };
    let registry = dialoog_model::Registry::default();
    let context = context_of(&f, &case, &registry);
    let after = temp_dir("after");
    write_all(&f, &after).unwrap();
    // Both networks handed over, one of them twice, and only the interaction network (the
    // other written last).
    for kinds in [
        &[NetworkKind::Interaction, NetworkKind::CoEngagement][..],
        &[NetworkKind::Interaction, NetworkKind::Interaction],
        &[NetworkKind::Interaction],
    ] {
        let early_dir = temp_dir("early");
        let early = EarlyNetworks::new(&early_dir, &context);
        for &kind in kinds {
            let graph = match kind {
                NetworkKind::Interaction => &f.network.graph,
                NetworkKind::CoEngagement => &f.co_engagement.graph,
            };
            early.write(kind, graph);
        }
        // Streamed, not yet in place: a reader sees no half-made factsheet.
        assert!(!early_dir.join("network.gexf").exists());
        write_all_with(&f, early).unwrap();
        for name in FILES {
            let (a, b) = (after.join(name), early_dir.join(name));
            assert_eq!(
                std::fs::read(&a).unwrap(),
                std::fs::read(&b).unwrap(),
                "{name}"
            );
        }
        let names = std::fs::read_dir(&early_dir).unwrap().count();
        assert_eq!(names, FILES.len(), "no temporary file left");
        let _ = std::fs::remove_dir_all(&early_dir);
    }
    let _ = std::fs::remove_dir_all(&after);
}

#[test]
fn networks_streamed_for_a_factsheet_never_written_leave_nothing() {
    use dialoog_analysis::NetworkKind;
    let f = sample::webcare();
    let (case, registry) = (dialoog_model::Case::default(), Default::default());
    let context = context_of(&f, &case, &registry);
    let dir = temp_dir("abandoned");
    let early = dialoog_report::EarlyNetworks::new(&dir, &context);
    early.write(NetworkKind::Interaction, &f.network.graph);
    early.write(NetworkKind::CoEngagement, &f.co_engagement.graph);
    drop(early);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}
