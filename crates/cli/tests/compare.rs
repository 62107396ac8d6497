//! `dialoog compare` on two real cases: the demo (webcare sample) and the shipped Italian twarc2
//! conversation. The page's numbers are those of each case's factsheet.json; bad input is named.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dialoog(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dialoog"))
        .args(args)
        .output()
        .expect("the dialoog binary runs")
}

fn ok(args: &[&str]) {
    let out = dialoog(args);
    assert!(
        out.status.success(),
        "dialoog {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

fn json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn two_real_cases_side_by_side() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo");
    ok(&["demo", "--out", path(&demo)]);
    let export =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/twarc2/entities_test.jsonl");
    let store = dir.path().join("store");
    let italian = dir.path().join("italian");
    ok(&["ingest", path(&export), "--store", path(&store)]);
    ok(&[
        "factsheet",
        "--store",
        path(&store),
        "--out",
        path(&italian),
    ]);

    let out = dir.path().join("cmp");
    ok(&[
        "compare",
        path(&demo),
        path(&italian.join("factsheet.json")),
        "--label",
        "Webcare",
        "--out",
        path(&out),
    ]);
    let cmp = json(&out.join("compare.json"));
    assert_eq!(cmp["labels"][0], "Webcare");
    assert_eq!(
        cmp["labels"][1], "Dialoog factsheet",
        "the title when no label is given"
    );
    let row = |measure: &str| -> Vec<String> {
        cmp["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["measure"] == measure)
            .unwrap_or_else(|| panic!("no row {measure}"))["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    let (a, b) = (
        json(&demo.join("factsheet.json")),
        json(&italian.join("factsheet.json")),
    );
    assert_eq!(row("Posts"), ["4,987", &b["summary"]["posts"].to_string()]);
    assert_eq!(b["summary"]["posts"], 650);
    let rate = a["dialogue"]["reply_rate"].as_f64().unwrap();
    assert_eq!(row("Reply rate")[0], format!("{:.1}%", rate * 100.0));
    assert_eq!(row("Reply rate")[1], "–", "no registry: nothing addressed");
    let html = std::fs::read_to_string(out.join("compare.html")).unwrap();
    assert!(html.contains("Webcare") && html.contains("4,987"));
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("src="));
    let md = std::fs::read_to_string(out.join("compare.md")).unwrap();
    assert!(md.contains("| Posts | 4,987 | 650 |"), "{md}");
}

#[test]
fn compare_names_a_bad_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("notes.json");
    std::fs::write(&bad, "{\"title\": 3}").unwrap();
    let missing = dir.path().join("nowhere");
    let out = dialoog(&["compare", path(&bad), path(&missing)]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("notes.json") && err.contains("not a Dialoog factsheet.json"),
        "{err}"
    );
    let out = dialoog(&["compare", path(&missing), path(&missing)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nowhere"), "{err}");
    let out = dialoog(&["compare", path(&bad)]);
    assert!(!out.status.success(), "one input is not a comparison");
}
