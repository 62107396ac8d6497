//! Spread, the headline box and the breakdowns on real data: the Italian conversation that ships
//! in testdata/twarc2 (474 tweets and their referenced tweets, MIT), with two of its most reshared
//! accounts as the focus. The cascades must equal what an independent reading of the raw JSON
//! finds: the retweets in the file whose original is a focus account's tweet.

use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const FOCUS: [&str; 2] = ["realpiccinini", "ilfoglio_it"];

fn export() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/twarc2/entities_test.jsonl")
}

fn run(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_dialoog"))
        .args(args)
        .output()
        .expect("the dialoog binary runs");
    assert!(
        out.status.success(),
        "dialoog {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

/// Read straight from the twarc2 pages: retweets per original tweet id of the focus accounts, and
/// per focus account the distinct other accounts that retweet, quote or reply to its tweets.
fn retweets_of_focus() -> (BTreeMap<String, u64>, BTreeMap<String, usize>) {
    let text = std::fs::read_to_string(export()).expect("the shipped export");
    let mut tweets: HashMap<String, Value> = HashMap::new();
    let mut users: HashMap<String, String> = HashMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let page: Value = serde_json::from_str(line).expect("a JSON page");
        for u in page["includes"]["users"].as_array().into_iter().flatten() {
            users.insert(
                u["id"].as_str().unwrap().to_owned(),
                u["username"].as_str().unwrap().to_lowercase(),
            );
        }
        let data = page["data"].as_array().into_iter().flatten();
        let included = page["includes"]["tweets"].as_array().into_iter().flatten();
        for t in data.chain(included) {
            tweets.insert(t["id"].as_str().unwrap().to_owned(), t.clone());
        }
    }
    let focus: HashSet<&str> = users
        .iter()
        .filter(|(_, name)| FOCUS.contains(&name.as_str()))
        .map(|(id, _)| id.as_str())
        .collect();
    let mut counts = BTreeMap::new();
    let mut engagers: BTreeMap<String, HashSet<&str>> = BTreeMap::new();
    for t in tweets.values() {
        for r in t["referenced_tweets"].as_array().into_iter().flatten() {
            let original = r["id"].as_str().unwrap();
            let Some(o) = tweets.get(original) else {
                continue;
            };
            let (author, by) = (
                o["author_id"].as_str().unwrap(),
                t["author_id"].as_str().unwrap(),
            );
            if !focus.contains(author) || author == by {
                continue;
            }
            engagers
                .entry(users[author].clone())
                .or_default()
                .insert(by);
            if r["type"] == "retweeted" {
                *counts.entry(original.to_owned()).or_insert(0) += 1;
            }
        }
    }
    let engagers = engagers.into_iter().map(|(k, v)| (k, v.len())).collect();
    (counts, engagers)
}

#[test]
fn cascades_on_a_real_conversation_match_the_raw_export() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store");
    let case = dir.path().join("case.toml");
    std::fs::write(
        &case,
        format!(
            "title = \"Italian conversation\"\nfocus = [\"{}\", \"{}\"]\nfocus_label = \"focus accounts\"\n",
            FOCUS[0], FOCUS[1]
        ),
    )
    .expect("write case");
    let out = dir.path().join("out");
    run(&["ingest", path(&export()), "--store", path(&store)]);
    run(&[
        "factsheet",
        "--store",
        path(&store),
        "--case",
        path(&case),
        "--out",
        path(&out),
        "--tz",
        "Europe/Rome",
    ]);
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("factsheet.json")).unwrap())
            .unwrap();

    let (expected, engagers) = retweets_of_focus();
    assert_eq!(expected.values().copied().collect::<Vec<_>>(), [18, 9]);
    let spread = &json["spread"];
    let found: BTreeMap<String, u64> = spread["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["post"]["id"].as_str().unwrap().to_owned(),
                c["reshares"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(found, expected);
    assert_eq!(spread["reshares"], 27);
    assert_eq!(spread["quotes"], 0);
    assert_eq!(spread["max_depth"], 1, "retweets point at the original");
    assert_eq!(spread["non_government_share"], 1.0);
    assert_eq!(
        spread["non_government_follower_share"],
        Value::Null,
        "this export gives no follower counts"
    );

    // The headline box: exported counts as given, followers unknown (not 0).
    let headline = json["headline"].as_array().unwrap();
    assert_eq!(headline.len(), 2);
    for h in headline {
        assert_eq!(h["followers"], Value::Null);
        assert_eq!(h["engagers_per_follower"], Value::Null);
        assert_eq!(h["likes"]["posts_known"], h["posts"]);
        let handle = h["handle"].as_str().unwrap().to_lowercase();
        assert_eq!(
            h["unique_engagers"].as_u64(),
            engagers.get(&handle).map(|n| *n as u64),
            "{handle}"
        );
    }
    assert_eq!(
        json["activity"]["time_zone"], "Europe/Rome",
        "--tz overrides the case"
    );
    assert!(
        !json["breakdown"]["by_period"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let html = std::fs::read_to_string(out.join("factsheet.html")).unwrap();
    assert!(html.contains("id=\"spread\""));
    assert!(html.contains("Headline box per account"));
    let md = std::fs::read_to_string(out.join("factsheet.md")).unwrap();
    assert!(md.contains("## 7. Spread"));
}

/// On the demo every focus account is an organisation's support account, so the breakdown by role
/// must repeat the whole case, and the periods must add up to it — to the numbers the independent
/// reference (scripts/reference_webcare.py) gives: 2,172 addressed, 1,791 answered.
#[test]
fn the_demo_breakdowns_add_up_to_the_reference() {
    let dir = tempfile::tempdir().expect("tempdir");
    run(&["demo", "--out", path(dir.path())]);
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("factsheet.json")).unwrap())
            .unwrap();
    let b = &json["breakdown"];
    let roles = b["by_role"].as_array().unwrap();
    assert_eq!(roles.len(), 1);
    assert_eq!(roles[0]["label"], "organisation");
    assert_eq!(roles[0]["accounts"], 76);
    assert_eq!(roles[0]["addressed"], 2172);
    assert_eq!(roles[0]["answered"], 1791);
    assert_eq!(roles[0]["response_time_seconds"]["median"], 774.0);
    assert_eq!(
        roles[0]["government_posts"],
        json["voice"]["government_posts"]
    );
    assert_eq!(roles[0]["referrals"], json["voice"]["referrals"]);

    assert_eq!(
        b["period"], "week",
        "2 Oct – 3 Dec 2017 is broken down by week"
    );
    let periods = b["by_period"].as_array().unwrap();
    let sum = |k: &str| -> u64 { periods.iter().map(|p| p[k].as_u64().unwrap()).sum() };
    assert_eq!((sum("addressed"), sum("answered")), (2172, 1791));
    assert_eq!(
        Some(sum("government_posts")),
        json["voice"]["government_posts"].as_u64()
    );
    assert_eq!(periods[0]["label"], "2017-10-02", "weeks start on Monday");

    // The headline box: every support account that posted; the CSV gives no counts.
    let headline = json["headline"].as_array().unwrap();
    assert_eq!(headline.len(), 76);
    let posts: u64 = headline.iter().map(|h| h["posts"].as_u64().unwrap()).sum();
    assert_eq!(Some(posts), json["voice"]["government_posts"].as_u64());
    assert!(
        headline
            .iter()
            .all(|h| h["likes"]["total"].is_null() && h["followers"].is_null())
    );
    let series_focus: u64 = json["activity"]["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["focus"].as_u64().unwrap())
        .sum();
    assert_eq!(Some(series_focus), json["summary"]["focus_posts"].as_u64());
}
