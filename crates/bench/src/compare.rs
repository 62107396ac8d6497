//! The measures every tool computes, read from Dialoog's factsheet.json and from the peers' output,
//! and their comparison: any difference is reported, none is tolerated (floats only up to
//! rounding).

use anyhow::Context as _;
use chrono::DateTime;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The core measures (DESIGN.md definitions).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Measures {
    pub posts: u64,
    /// (hour start, Unix seconds, role) → posts; only non-zero hours.
    #[serde(deserialize_with = "hourly_from_rows")]
    pub hourly: BTreeMap<(i64, String), u64>,
    pub addressed: u64,
    pub answered: u64,
    pub reply_rate: Option<f64>,
    pub response_median_seconds: Option<f64>,
    pub response_p90_seconds: Option<f64>,
    /// (platform, handle, posts), most posts first.
    pub top_authors: Vec<(String, String, u64)>,
    pub government_replies: u64,
    pub referrals: u64,
    pub referral_share: Option<f64>,
}

/// Peers write `hourly` as rows `[unix_seconds, role, posts]`.
fn hourly_from_rows<'de, D>(deserializer: D) -> Result<BTreeMap<(i64, String), u64>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let rows: Vec<(i64, String, u64)> = Vec::deserialize(deserializer)?;
    Ok(rows
        .into_iter()
        .filter(|r| r.2 > 0)
        .map(|(hour, role, n)| ((hour, role), n))
        .collect())
}

impl Measures {
    /// A peer's output file.
    pub fn from_peer(path: &Path) -> anyhow::Result<Measures> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("{}: not the peers' format", path.display()))
    }

    /// Dialoog's factsheet.json.
    pub fn from_factsheet(path: &Path) -> anyhow::Result<Measures> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let f: Value =
            serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))?;
        let field = |pointer: &str| -> anyhow::Result<&Value> {
            f.pointer(pointer)
                .with_context(|| format!("{}: no {pointer}", path.display()))
        };
        let int = |pointer: &str| -> anyhow::Result<u64> {
            field(pointer)?
                .as_u64()
                .with_context(|| format!("{}: {pointer} is not a count", path.display()))
        };
        let float = |pointer: &str| -> anyhow::Result<Option<f64>> { Ok(field(pointer)?.as_f64()) };
        if field("/activity/bucket")?.as_str() != Some("hour") {
            anyhow::bail!("{}: activity is not bucketed by the hour", path.display());
        }
        let mut hourly = BTreeMap::new();
        for bucket in field("/activity/series")?.as_array().into_iter().flatten() {
            let start = bucket
                .get("start")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let hour = DateTime::parse_from_rfc3339(start)
                .with_context(|| format!("{}: bucket start '{start}'", path.display()))?
                .timestamp();
            for (role, n) in bucket
                .get("counts")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let n = n.as_u64().unwrap_or(0);
                if n > 0 {
                    hourly.insert((hour, role.clone()), n);
                }
            }
        }
        let top_authors = field("/summary/top_authors")?
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| {
                let text = |k: &str| {
                    a.get(k)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                (
                    text("platform"),
                    text("handle"),
                    a.get("posts").and_then(Value::as_u64).unwrap_or(0),
                )
            })
            .collect();
        Ok(Measures {
            posts: int("/summary/posts")?,
            hourly,
            addressed: int("/dialogue/addressed")?,
            answered: int("/dialogue/answered")?,
            reply_rate: float("/dialogue/reply_rate")?,
            response_median_seconds: float("/dialogue/response_time_seconds/median")?,
            response_p90_seconds: float("/dialogue/response_time_seconds/p90")?,
            top_authors,
            government_replies: int("/voice/government_replies")?,
            referrals: int("/voice/referrals")?,
            referral_share: float("/voice/referral_share")?,
        })
    }

    /// Every difference between Dialoog's measures (`self`) and a peer's, described.
    pub fn differences(&self, peer: &Measures) -> Vec<String> {
        let mut out = Vec::new();
        let mut count = |name: &str, a: u64, b: u64| {
            if a != b {
                out.push(format!("{name}: Dialoog {a}, peer {b}"));
            }
        };
        count("posts", self.posts, peer.posts);
        count("addressed", self.addressed, peer.addressed);
        count("answered", self.answered, peer.answered);
        count(
            "government_replies",
            self.government_replies,
            peer.government_replies,
        );
        count("referrals", self.referrals, peer.referrals);
        for (name, a, b) in [
            ("reply_rate", self.reply_rate, peer.reply_rate),
            (
                "response_median_seconds",
                self.response_median_seconds,
                peer.response_median_seconds,
            ),
            (
                "response_p90_seconds",
                self.response_p90_seconds,
                peer.response_p90_seconds,
            ),
            ("referral_share", self.referral_share, peer.referral_share),
        ] {
            if !same_float(a, b) {
                out.push(format!("{name}: Dialoog {a:?}, peer {b:?}"));
            }
        }
        if self.top_authors != peer.top_authors {
            out.push(format!(
                "top_authors: Dialoog {:?}, peer {:?}",
                self.top_authors, peer.top_authors
            ));
        }
        let keys: std::collections::BTreeSet<&(i64, String)> =
            self.hourly.keys().chain(peer.hourly.keys()).collect();
        let hourly: Vec<String> = keys
            .into_iter()
            .filter_map(|key| {
                let (a, b) = (self.hourly.get(key), peer.hourly.get(key));
                (a != b).then(|| format!("{} {}: Dialoog {a:?}, peer {b:?}", key.0, key.1))
            })
            .collect();
        if !hourly.is_empty() {
            out.push(format!(
                "posts per hour by role differ in {} cells, first: {}",
                hourly.len(),
                hourly[..hourly.len().min(5)].join("; ")
            ));
        }
        out
    }
}

fn same_float(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Measures {
        Measures {
            posts: 10,
            hourly: BTreeMap::from([((3600, "citizen".to_owned()), 4)]),
            addressed: 3,
            answered: 2,
            reply_rate: Some(2.0 / 3.0),
            response_median_seconds: Some(60.5),
            response_p90_seconds: Some(120.0),
            top_authors: vec![("twitter".into(), "a".into(), 5)],
            government_replies: 2,
            referrals: 1,
            referral_share: Some(0.5),
        }
    }

    #[test]
    fn equal_measures_have_no_differences_and_every_field_counts() {
        let a = sample();
        assert!(a.differences(&a.clone()).is_empty());
        let mut b = a.clone();
        b.answered = 1;
        b.reply_rate = Some(1.0 / 3.0);
        b.hourly.insert((7200, "government".into()), 1);
        b.top_authors.clear();
        let found = a.differences(&b);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found[0].starts_with("answered: Dialoog 2, peer 1"));
    }

    #[test]
    fn peer_rows_read_and_zero_hours_drop() {
        let text = r#"{"posts": 10, "hourly": [[3600, "citizen", 4], [7200, "media", 0]],
            "addressed": 3, "answered": 2, "reply_rate": 0.6666666666666666,
            "response_median_seconds": 60.5, "response_p90_seconds": 120.0,
            "top_authors": [["twitter", "a", 5]], "government_replies": 2, "referrals": 1,
            "referral_share": 0.5, "engine": "test 1.0"}"#;
        let peer: Measures = serde_json::from_str(text).unwrap();
        assert!(sample().differences(&peer).is_empty());
    }
}
