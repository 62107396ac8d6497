//! The interaction network as GEXF 1.3 (<https://gexf.net/schema.html>), the format Gephi opens.
//! A directed graph; each node is an account with its handle as label and the attributes role,
//! focus, in_degree, out_degree, pagerank, betweenness (when computed) and community (Louvain); each edge carries its
//! weight (posts making it) and its type (reply, mention, reshare, quote) as the attribute `type`
//! and as its label. Edges of different types between the same two accounts stay separate
//! edges (parallel edges with their own ids). All text is escaped.

use crate::charts::esc;
use dialoog_analysis::Graph;
use std::io::{self, Write};

/// What a GEXF document describes.
pub struct About<'a> {
    /// The case's title ("" to leave it out).
    pub title: &'a str,
    pub creator: &'a str,
    /// `YYYY-MM-DD` ("" to leave it out).
    pub date: &'a str,
    /// What the edges are, for the description.
    pub what: &'a str,
    pub directed: bool,
}

/// The GEXF document of a whole graph.
pub fn gexf(g: &Graph, about: &About) -> String {
    in_memory(|out| write_gexf(g, about, out))
}

/// What `write` writes, as a string.
pub(crate) fn in_memory(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and the documents are UTF-8.
    let _ = write(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes the GEXF document of a whole graph to `out`, node by node: a network of millions of
/// accounts is gigabytes of XML, which need not sit in memory.
pub fn write_gexf(g: &Graph, about: &About, out: &mut impl Write) -> io::Result<()> {
    let About {
        title,
        creator,
        date,
        what,
        directed,
    } = *about;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#,
    )?;
    let date = if date.is_empty() {
        String::new()
    } else {
        format!(" lastmodifieddate=\"{}\"", esc(date))
    };
    let about = if title.is_empty() {
        String::new()
    } else {
        format!(" of \"{title}\"")
    };
    writeln!(
        out,
        "  <meta{date}>\n    <creator>{}</creator>\n    <description>{}</description>\n  </meta>",
        esc(creator),
        esc(&format!("{what}{about}.")),
    )?;
    writeln!(
        out,
        "  <graph mode=\"static\" defaultedgetype=\"{}\">",
        if directed { "directed" } else { "undirected" }
    )?;
    out.write_all(
        concat!(
            "    <attributes class=\"node\" mode=\"static\">\n",
            "      <attribute id=\"role\" title=\"role\" type=\"string\"/>\n",
            "      <attribute id=\"focus\" title=\"focus\" type=\"boolean\"/>\n",
            "      <attribute id=\"in_degree\" title=\"in_degree\" type=\"long\"/>\n",
            "      <attribute id=\"out_degree\" title=\"out_degree\" type=\"long\"/>\n",
            "      <attribute id=\"pagerank\" title=\"pagerank\" type=\"double\"/>\n",
            "      <attribute id=\"betweenness\" title=\"betweenness\" type=\"double\"/>\n",
            "      <attribute id=\"community\" title=\"community\" type=\"long\"/>\n",
            "    </attributes>\n",
            "    <attributes class=\"edge\" mode=\"static\">\n",
            "      <attribute id=\"type\" title=\"type\" type=\"string\"/>\n",
            "    </attributes>\n",
        )
        .as_bytes(),
    )?;
    out.write_all(b"    <nodes>\n")?;
    for (i, n) in g.nodes.iter().enumerate() {
        write!(
            out,
            "      <node id=\"n{i}\" label=\"{}\"><attvalues><attvalue for=\"role\" value=\"{}\"/><attvalue for=\"focus\" value=\"{}\"/><attvalue for=\"in_degree\" value=\"{}\"/><attvalue for=\"out_degree\" value=\"{}\"/><attvalue for=\"pagerank\" value=\"{}\"/><attvalue for=\"community\" value=\"{}\"/>",
            esc(&n.handle),
            n.role.as_str(),
            n.focus,
            n.in_degree,
            n.out_degree,
            finite(n.pagerank),
            n.community,
        )?;
        if let Some(b) = n.betweenness {
            write!(
                out,
                "<attvalue for=\"betweenness\" value=\"{}\"/>",
                finite(b)
            )?;
        }
        out.write_all(b"</attvalues></node>\n")?;
    }
    out.write_all(b"    </nodes>\n    <edges>\n")?;
    for (i, e) in g.edges.iter().enumerate() {
        let kind = e.kind.as_str();
        writeln!(
            out,
            "      <edge id=\"e{i}\" source=\"n{}\" target=\"n{}\" weight=\"{}\" label=\"{kind}\"><attvalues><attvalue for=\"type\" value=\"{kind}\"/></attvalues></edge>",
            e.source, e.target, e.weight,
        )?;
    }
    out.write_all(b"    </edges>\n  </graph>\n</gexf>\n")
}

/// A double for XML: NaN and infinities (never expected) become 0.
fn finite(x: f64) -> f64 {
    if x.is_finite() { x } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_labels_and_keeps_typed_edges_apart() {
        let n = crate::sample::network();
        let text = gexf(
            &n.graph,
            &About {
                title: "<Case> & \"quotes\"",
                creator: "Dialoog test",
                date: "2026-11-25",
                what: "Interaction network",
                directed: true,
            },
        );
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gexf "));
        assert!(text.contains("label=\"&lt;b&gt;evilcare&lt;/b&gt;\""));
        assert!(!text.contains("<b>"));
        assert!(text.contains("&lt;Case&gt; &amp; &quot;quotes&quot;"));
        assert_eq!(text.matches("<node ").count(), n.graph.nodes.len());
        assert_eq!(text.matches("<edge ").count(), n.graph.edges.len());
        assert!(text.contains("value=\"mention\"") && text.contains("value=\"reply\""));
    }
}
