//! `dialoog eval` through the real binary: the JSON shape on small hand-made sets, and on the
//! human-labelled Dutch political tweets (../shared/data, when present) a regression guard on
//! the polarity macro-F1.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Regression guards, not targets: the scores measured on the dev set (2026-11-25) minus a
/// margin. Model, 10-fold cross-validated (each fold labelled by a model trained on the other
/// nine): measured 0.626.
const MODEL_CV_FLOOR: f64 = 0.59;
/// Lexicon with its two thresholds cross-validated: measured 0.499.
const LEXICON_CV_FLOOR: f64 = 0.47;
/// Lexicon with the shipped thresholds: measured 0.512.
const LEXICON_FLOOR: f64 = 0.48;

fn eval(args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_dialoog"))
        .arg("eval")
        .args(args)
        .output()
        .expect("the dialoog binary runs");
    assert!(
        output.status.success(),
        "dialoog eval failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON object")
}

fn assert_shape(report: &Value, task: &str, labels: &[&str], n: u64) {
    assert_eq!(report["task"], task);
    assert_eq!(report["n"], n);
    for key in ["macro_f1", "accuracy"] {
        let value = report[key].as_f64().expect(key);
        assert!((0.0..=1.0).contains(&value), "{key} = {value}");
    }
    let confusion = &report["confusion"];
    let got: Vec<&str> = confusion["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .map(|l| l.as_str().expect("label"))
        .collect();
    assert_eq!(got, labels);
    assert_eq!(confusion["rows"], "gold");
    assert_eq!(confusion["columns"], "predicted");
    let matrix = confusion["matrix"].as_array().expect("matrix");
    assert_eq!(matrix.len(), labels.len());
    let mut total = 0;
    for (row, label) in matrix.iter().zip(labels) {
        let row = row.as_array().expect("row");
        assert_eq!(row.len(), labels.len());
        let support: u64 = row.iter().map(|c| c.as_u64().expect("count")).sum();
        assert_eq!(report["per_class"][label]["support"], support);
        for key in ["precision", "recall", "f1"] {
            assert!(report["per_class"][label][key].is_f64(), "{label}.{key}");
        }
        total += support;
    }
    assert_eq!(total, n);
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn eval_prints_one_json_object_per_task() {
    let dir = tempfile::tempdir().expect("tempdir");
    let polarity = write(
        dir.path(),
        "polarity.csv",
        "text,polarity\n\"Wat een mooie, goede dag! 😀\",positive\nDit is echt slecht en niet goed,negative\nDe vergadering begint om drie uur,neutral\n",
    );
    let report = eval(&["polarity", "--input", polarity.to_str().unwrap()]);
    assert_shape(&report, "polarity", &["negative", "neutral", "positive"], 3);
    assert_eq!(report["n"], 3);
    let report = eval(&[
        "polarity",
        "--input",
        polarity.to_str().unwrap(),
        "--measure",
        "lexicon",
    ]);
    assert_eq!(report["accuracy"], 1.0);

    let referral = write(
        dir.path(),
        "referral.csv",
        "text,referral\nStuur ons een DM met uw adres.,yes\nDank voor uw bericht!,no\nPlease call us at 1-800-123-4567,yes\n",
    );
    let report = eval(&["referral", "--input", referral.to_str().unwrap()]);
    assert_shape(&report, "referral", &["no", "yes"], 3);

    let mode = write(
        dir.path(),
        "mode.csv",
        "text,mode\nStem mee in onze poll!,co_decide\nVanaf maandag is het stadhuis gesloten.,inform\n",
    );
    let report = eval(&["mode", "--input", mode.to_str().unwrap()]);
    assert_eq!(report["confusion"]["labels"].as_array().unwrap().len(), 8);
    assert_eq!(report["n"], 2);
}

#[test]
fn eval_rejects_unknown_labels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = write(dir.path(), "bad.csv", "text,polarity\nGoed,great\n");
    let output = Command::new(env!("CARGO_BIN_EXE_dialoog"))
        .args(["eval", "polarity", "--input", bad.to_str().unwrap()])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("great"));
}

#[test]
fn polarity_on_the_dutch_political_dev_set() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/nl/political_tweets_polarity_dev.csv");
    if !path.exists() {
        println!("skipped: {} is absent", path.display());
        return;
    }
    let path = path.to_str().unwrap();
    let report = eval(&["polarity", "--input", path, "--cv-folds", "10"]);
    println!("model: {report}");
    assert_shape(
        &report,
        "polarity",
        &["negative", "neutral", "positive"],
        899,
    );
    let cv = &report["cross_validation"];
    assert_eq!(cv["folds"], 10);
    let cv_f1 = cv["macro_f1"].as_f64().unwrap();
    assert!(
        cv_f1 >= MODEL_CV_FLOOR,
        "model cv macro_f1 {cv_f1} < {MODEL_CV_FLOOR}"
    );

    let report = eval(&[
        "polarity",
        "--input",
        path,
        "--measure",
        "lexicon",
        "--cv-folds",
        "10",
    ]);
    println!("lexicon: {report}");
    assert_shape(
        &report,
        "polarity",
        &["negative", "neutral", "positive"],
        899,
    );
    let f1 = report["macro_f1"].as_f64().unwrap();
    assert!(
        f1 >= LEXICON_FLOOR,
        "lexicon macro_f1 {f1} < {LEXICON_FLOOR}"
    );
    let cv_f1 = report["cross_validation"]["macro_f1"].as_f64().unwrap();
    assert!(
        cv_f1 >= LEXICON_CV_FLOOR,
        "lexicon cv macro_f1 {cv_f1} < {LEXICON_CV_FLOOR}"
    );
}

/// Referral detection on the 200 hand-labelled webcare replies that ship in
/// crates/text/data (see its README). Floors below the measured precision 0.986 and recall
/// 0.867 (the rules were extended after seeing this set's misses: not a held-out score).
const REFERRAL_PRECISION_FLOOR: f64 = 0.9;
const REFERRAL_RECALL_FLOOR: f64 = 0.8;

#[test]
fn referral_on_the_labelled_webcare_replies() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../text/data/referral_webcare_200.csv");
    let report = eval(&["referral", "--input", path.to_str().unwrap()]);
    println!("referral: {report}");
    assert_shape(&report, "referral", &["no", "yes"], 200);
    let yes = &report["per_class"]["yes"];
    assert_eq!(yes["support"], 83);
    let precision = yes["precision"].as_f64().unwrap();
    let recall = yes["recall"].as_f64().unwrap();
    assert!(
        precision >= REFERRAL_PRECISION_FLOOR,
        "precision {precision}"
    );
    assert!(recall >= REFERRAL_RECALL_FLOOR, "recall {recall}");
}
