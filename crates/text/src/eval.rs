//! Evaluation of the text measures against human labels: precision, recall and F1 per class,
//! macro-F1 (unweighted mean of the classes' F1), accuracy and the confusion matrix.
//!
//! Labelled sets are CSV files with a header naming a `text` column and a label column
//! (`polarity`, `referral` or `mode`); other columns are ignored. Labels are compared lower-cased
//! and trimmed; [`normalise_label`] accepts common spellings (`pos`, `1`, `yes`, `true`, …).
//!
//! A class's precision is 0 when nothing was predicted as it, its recall 0 when it has no gold
//! examples, and its F1 0 when precision + recall is 0.

use crate::sentiment::{Polarity, polarity_with, sentiment};
use crate::{classify, detect_language};
use dialoog_model::Mode;
use serde::Serialize;
use std::collections::BTreeMap;

/// Errors reading or checking a labelled set.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("the CSV has no column named {0:?} (columns: {1})")]
    MissingColumn(String, String),
    #[error("row {row}: unknown {task} label {label:?} (expected one of: {expected})")]
    UnknownLabel {
        row: usize,
        task: String,
        label: String,
        expected: String,
    },
    #[error("the labelled set is empty")]
    Empty,
}

/// Metrics of one class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassMetrics {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Gold examples of this class.
    pub support: usize,
}

/// Confusion matrix: `matrix[gold][predicted]`, both indexed by `labels`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confusion {
    pub labels: Vec<String>,
    /// What the rows are ("gold") and the columns ("predicted").
    pub rows: &'static str,
    pub columns: &'static str,
    pub matrix: Vec<Vec<usize>>,
}

/// The outcome of an evaluation; serialises to the JSON `dialoog eval` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub task: String,
    pub n: usize,
    pub macro_f1: f64,
    pub accuracy: f64,
    pub per_class: BTreeMap<String, ClassMetrics>,
    pub confusion: Confusion,
    /// How predictions were made (measure, thresholds, lexicons).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub method: BTreeMap<String, String>,
    /// Set when thresholds were cross-validated (see [`cross_validate_polarity`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cross_validation: Option<CrossValidation>,
}

/// Metrics from a confusion matrix (`matrix[gold][predicted]`).
pub fn report_from_confusion(task: &str, labels: &[&str], matrix: Vec<Vec<usize>>) -> Report {
    let k = labels.len();
    let n: usize = matrix.iter().flatten().sum();
    let correct: usize = (0..k).map(|i| matrix[i][i]).sum();
    let mut per_class = BTreeMap::new();
    let mut f1_sum = 0.0;
    for (i, label) in labels.iter().enumerate() {
        let tp = matrix[i][i] as f64;
        let support: usize = matrix[i].iter().sum();
        let predicted: usize = (0..k).map(|g| matrix[g][i]).sum();
        let precision = if predicted == 0 {
            0.0
        } else {
            tp / predicted as f64
        };
        let recall = if support == 0 {
            0.0
        } else {
            tp / support as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        f1_sum += f1;
        per_class.insert(
            label.to_string(),
            ClassMetrics {
                precision,
                recall,
                f1,
                support,
            },
        );
    }
    Report {
        task: task.to_string(),
        n,
        macro_f1: if k == 0 { 0.0 } else { f1_sum / k as f64 },
        accuracy: if n == 0 {
            0.0
        } else {
            correct as f64 / n as f64
        },
        per_class,
        confusion: Confusion {
            labels: labels.iter().map(|l| l.to_string()).collect(),
            rows: "gold",
            columns: "predicted",
            matrix,
        },
        method: BTreeMap::new(),
        cross_validation: None,
    }
}

/// Metrics of (gold, predicted) pairs, each an index into `labels`.
pub fn evaluate(
    task: &str,
    labels: &[&str],
    pairs: impl IntoIterator<Item = (usize, usize)>,
) -> Report {
    let mut matrix = vec![vec![0usize; labels.len()]; labels.len()];
    for (gold, predicted) in pairs {
        matrix[gold][predicted] += 1;
    }
    report_from_confusion(task, labels, matrix)
}

/// Read `(text, label)` rows from a CSV with a header naming `text` and `label_column`.
pub fn read_labelled(
    reader: impl std::io::Read,
    label_column: &str,
) -> Result<Vec<(String, String)>, EvalError> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = csv.headers()?.clone();
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| {
                h.trim()
                    .trim_start_matches('\u{feff}')
                    .eq_ignore_ascii_case(name)
            })
            .ok_or_else(|| {
                EvalError::MissingColumn(
                    name.to_string(),
                    headers.iter().collect::<Vec<_>>().join(", "),
                )
            })
    };
    let text = find("text")?;
    let label = find(label_column)?;
    let mut rows = Vec::new();
    for record in csv.records() {
        let record = record?;
        rows.push((
            record.get(text).unwrap_or("").to_string(),
            record.get(label).unwrap_or("").to_string(),
        ));
    }
    Ok(rows)
}

/// A label in its canonical spelling for a task ("polarity", "referral", "mode"), or `None`.
pub fn normalise_label(task: &str, label: &str) -> Option<&'static str> {
    let label = label.trim().to_lowercase();
    match task {
        "polarity" => match label.as_str() {
            "negative" | "neg" | "-1" | "negatief" => Some("negative"),
            "neutral" | "neu" | "0" | "neutraal" => Some("neutral"),
            "positive" | "pos" | "1" | "+1" | "positief" => Some("positive"),
            _ => None,
        },
        "referral" => match label.as_str() {
            "yes" | "y" | "true" | "1" | "ja" | "referral" => Some("yes"),
            "no" | "n" | "false" | "0" | "nee" => Some("no"),
            _ => None,
        },
        "mode" => Mode::ALL
            .iter()
            .find(|m| m.as_str() == label.replace(['-', ' '], "_"))
            .map(|m| m.as_str()),
        _ => None,
    }
}

/// The labels of a task, in the order of the report's confusion matrix.
pub fn task_labels(task: &str) -> Vec<&'static str> {
    match task {
        "polarity" => Polarity::ALL.iter().map(|p| p.as_str()).collect(),
        "referral" => vec!["no", "yes"],
        "mode" => Mode::ALL.iter().map(|m| m.as_str()).collect(),
        _ => Vec::new(),
    }
}

/// Gold label indexes of the rows, checked against the task's labels.
fn gold_indexes(task: &str, rows: &[(String, String)]) -> Result<Vec<usize>, EvalError> {
    if rows.is_empty() {
        return Err(EvalError::Empty);
    }
    let labels = task_labels(task);
    rows.iter()
        .enumerate()
        .map(|(i, (_, label))| {
            normalise_label(task, label)
                .and_then(|l| labels.iter().position(|x| *x == l))
                .ok_or_else(|| EvalError::UnknownLabel {
                    row: i + 2,
                    task: task.to_string(),
                    label: label.clone(),
                    expected: labels.join(", "),
                })
        })
        .collect()
}

/// The language a labelled text is scored in: detected, else Dutch.
fn language_of(text: &str) -> &'static str {
    detect_language(text).unwrap_or("nl")
}

/// Which polarity measure to evaluate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolarityMeasure {
    /// [`crate::post_polarity`]: the shipped model for Dutch, the lexicon otherwise.
    Model,
    /// [`crate::polarity`] of [`crate::sentiment()`]: the lexicon score with the documented
    /// thresholds.
    Lexicon,
}

impl PolarityMeasure {
    fn describe(self) -> String {
        match self {
            PolarityMeasure::Model => format!(
                "dialoog_text::post_polarity: for Dutch the shipped logistic-regression model ({}, trained on {}), else the lexicon; language detected per text, Dutch when unsure. Scores on the training file are training scores: use --cv-folds for held-out ones",
                crate::model::NL_MODEL_PATH,
                crate::model::NL_MODEL_TRAINED_ON
            ),
            PolarityMeasure::Lexicon => format!(
                "dialoog_text::polarity(sentiment(..)): Pattern nl-sentiment.xml for Dutch, VADER for English, negative below {}, positive above {}; language detected per text, Dutch when unsure",
                crate::sentiment::NEGATIVE_BELOW,
                crate::sentiment::POSITIVE_ABOVE
            ),
        }
    }
}

fn polarity_index(polarity: Polarity) -> usize {
    match polarity {
        Polarity::Negative => 0,
        Polarity::Neutral => 1,
        Polarity::Positive => 2,
    }
}

/// Polarity of every row with the given measure against the gold labels.
pub fn eval_polarity(
    rows: &[(String, String)],
    measure: PolarityMeasure,
) -> Result<Report, EvalError> {
    let gold = gold_indexes("polarity", rows)?;
    let predicted = rows.iter().map(|(text, _)| {
        let lang = Some(language_of(text));
        polarity_index(match measure {
            PolarityMeasure::Model => crate::model::post_polarity(text, lang),
            PolarityMeasure::Lexicon => crate::polarity(sentiment(text, lang)),
        })
    });
    let mut report = evaluate(
        "polarity",
        &task_labels("polarity"),
        gold.iter().copied().zip(predicted),
    );
    report.method = BTreeMap::from([("measure".to_string(), measure.describe())]);
    Ok(report)
}

/// Cross-validation: how the fitted part of a measure does on data it was not fitted on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossValidation {
    pub folds: usize,
    /// How rows are assigned to folds.
    pub assignment: &'static str,
    /// What is fitted on the other folds.
    pub fitted: &'static str,
    /// Macro-F1 and accuracy of the pooled held-out predictions.
    pub macro_f1: f64,
    pub accuracy: f64,
    /// For the lexicon: the (negative_below, positive_above) each fold chose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Vec<(f64, f64)>>,
}

/// The threshold grid searched: −0.50 … 0.50 in steps of 0.025.
fn grid() -> Vec<f64> {
    (-20..=20).map(|i| i as f64 * 0.025).collect()
}

fn threshold_f1(gold: &[usize], scores: &[f64], low: f64, high: f64) -> f64 {
    evaluate(
        "polarity",
        &task_labels("polarity"),
        gold.iter()
            .zip(scores)
            .map(|(&g, &s)| (g, polarity_index(polarity_with(s, low, high)))),
    )
    .macro_f1
}

/// The (negative_below, positive_above) pair with the best macro-F1 on the given rows.
fn best_thresholds(gold: &[usize], scores: &[f64]) -> (f64, f64) {
    let grid = grid();
    let mut best = (f64::MIN, (0.0, 0.0));
    for &low in &grid {
        for &high in grid.iter().filter(|&&h| h >= low) {
            let f1 = threshold_f1(gold, scores, low, high);
            if f1 > best.0 + 1e-12 {
                best = (f1, (low, high));
            }
        }
    }
    best.1
}

const ROUND_ROBIN: &str = "round-robin: row i (0-based, header excluded) is in fold i mod folds";

/// [`eval_polarity`] plus k-fold cross-validation of what the measure fits. Rows are assigned
/// to folds round-robin (row i → fold i mod k); each fold is labelled by what was fitted on the
/// other folds only, and the pooled held-out labels are scored:
/// - `Model`: a model trained with [`crate::model::PolarityModel::train`] (fixed settings);
/// - `Lexicon`: the thresholds with the best macro-F1 (grid −0.5…0.5, step 0.025); the
///   lexicon score itself is fixed.
pub fn cross_validate_polarity(
    rows: &[(String, String)],
    folds: usize,
    measure: PolarityMeasure,
) -> Result<Report, EvalError> {
    let mut report = eval_polarity(rows, measure)?;
    let gold = gold_indexes("polarity", rows)?;
    let folds = folds.clamp(2, rows.len().max(2));
    let mut predicted = vec![1usize; rows.len()];
    let mut chosen = Vec::new();
    let held_out = |i: usize, fold: usize| i % folds == fold;
    match measure {
        PolarityMeasure::Model => {
            let features: Vec<_> = rows
                .iter()
                .map(|(text, _)| crate::model::features(text, Some(language_of(text))))
                .collect();
            for fold in 0..folds {
                let train: Vec<_> = (0..rows.len())
                    .filter(|&i| !held_out(i, fold))
                    .map(|i| (features[i].clone(), Polarity::ALL[gold[i]]))
                    .collect();
                let model = crate::model::PolarityModel::train(&train);
                for i in (0..rows.len()).filter(|&i| held_out(i, fold)) {
                    predicted[i] = polarity_index(model.predict(&features[i]));
                }
            }
        }
        PolarityMeasure::Lexicon => {
            let scores: Vec<f64> = rows
                .iter()
                .map(|(text, _)| sentiment(text, Some(language_of(text))))
                .collect();
            for fold in 0..folds {
                let (train_gold, train_scores): (Vec<usize>, Vec<f64>) = (0..rows.len())
                    .filter(|&i| !held_out(i, fold))
                    .map(|i| (gold[i], scores[i]))
                    .unzip();
                let (low, high) = best_thresholds(&train_gold, &train_scores);
                chosen.push((low, high));
                for i in (0..rows.len()).filter(|&i| held_out(i, fold)) {
                    predicted[i] = polarity_index(polarity_with(scores[i], low, high));
                }
            }
        }
    }
    let pooled = evaluate(
        "polarity",
        &task_labels("polarity"),
        gold.iter().copied().zip(predicted),
    );
    report.cross_validation = Some(CrossValidation {
        folds,
        assignment: ROUND_ROBIN,
        fitted: match measure {
            PolarityMeasure::Model => "the logistic-regression model (fixed training settings)",
            PolarityMeasure::Lexicon => "the two polarity thresholds",
        },
        macro_f1: pooled.macro_f1,
        accuracy: pooled.accuracy,
        thresholds: (measure == PolarityMeasure::Lexicon).then_some(chosen),
    });
    Ok(report)
}

/// Train the polarity model on all rows (language detected per text, Dutch when unsure).
pub fn train_polarity_model(
    rows: &[(String, String)],
) -> Result<crate::model::PolarityModel, EvalError> {
    let gold = gold_indexes("polarity", rows)?;
    let examples: Vec<_> = rows
        .iter()
        .zip(gold)
        .map(|((text, _), g)| {
            (
                crate::model::features(text, Some(language_of(text))),
                Polarity::ALL[g],
            )
        })
        .collect();
    Ok(crate::model::PolarityModel::train(&examples))
}

/// Referral detection ([`classify`]`(text, lang, true).referral`, texts taken as replies) against
/// yes/no labels.
pub fn eval_referral(rows: &[(String, String)]) -> Result<Report, EvalError> {
    let gold = gold_indexes("referral", rows)?;
    let mut report = evaluate(
        "referral",
        &task_labels("referral"),
        rows.iter().zip(gold).map(|((text, _), g)| {
            let referral = classify(text, detect_language(text), true).referral;
            (g, usize::from(referral))
        }),
    );
    report.method = BTreeMap::from([(
        "measure".to_string(),
        "dialoog_text::classify(text, detected language, is_reply = true).referral".to_string(),
    )]);
    Ok(report)
}

/// Participation mode ([`classify`]`(text, lang, false).mode`, texts taken as original posts)
/// against mode labels (`inform`, `advise`, `consult`, `co_decide`, `co_produce`, `internal`,
/// `referral`, `other`).
pub fn eval_mode(rows: &[(String, String)]) -> Result<Report, EvalError> {
    let gold = gold_indexes("mode", rows)?;
    let labels = task_labels("mode");
    let mut report = evaluate(
        "mode",
        &labels,
        rows.iter().zip(gold).map(|((text, _), g)| {
            let mode = classify(text, detect_language(text), false).mode;
            let predicted = labels
                .iter()
                .position(|l| *l == mode.as_str())
                .unwrap_or(labels.len() - 1);
            (g, predicted)
        }),
    );
    report.method = BTreeMap::from([(
        "measure".to_string(),
        "dialoog_text::classify(text, detected language, is_reply = false).mode".to_string(),
    )]);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// By hand, gold rows × predicted columns (negative, neutral, positive):
    ///   negative: 5 2 1   (support 8)
    ///   neutral:  1 6 3   (support 10)
    ///   positive: 0 2 4   (support 6)
    /// predicted totals: 6 10 8; correct 15 of 24.
    /// negative: P 5/6, R 5/8, F1 = 2·(5/6)(5/8)/((5/6)+(5/8)) = 10/14 = 0.714285…
    /// neutral:  P 6/10, R 6/10, F1 0.6
    /// positive: P 4/8, R 4/6, F1 = 2·0.5·(2/3)/(0.5+2/3) = 4/7 = 0.571428…
    /// macro-F1 = (5/7 + 0.6 + 4/7)/3 = 0.628571…
    #[test]
    fn metrics_of_a_hand_computed_matrix() {
        let report = report_from_confusion(
            "polarity",
            &["negative", "neutral", "positive"],
            vec![vec![5, 2, 1], vec![1, 6, 3], vec![0, 2, 4]],
        );
        assert_eq!(report.n, 24);
        assert!(close(report.accuracy, 15.0 / 24.0));
        let neg = &report.per_class["negative"];
        assert!(close(neg.precision, 5.0 / 6.0));
        assert!(close(neg.recall, 5.0 / 8.0));
        assert!(close(neg.f1, 5.0 / 7.0));
        assert_eq!(neg.support, 8);
        assert!(close(report.per_class["neutral"].f1, 0.6));
        assert!(close(report.per_class["positive"].f1, 4.0 / 7.0));
        assert!(close(report.macro_f1, (5.0 / 7.0 + 0.6 + 4.0 / 7.0) / 3.0));
    }

    #[test]
    fn empty_classes_give_zero_not_nan() {
        let report = evaluate("referral", &["no", "yes"], [(0, 0), (0, 0)]);
        assert_eq!(report.per_class["yes"].f1, 0.0);
        assert_eq!(report.per_class["yes"].precision, 0.0);
        assert!(close(report.macro_f1, 0.5));
    }

    #[test]
    fn reads_csv_and_normalises_labels() {
        let csv =
            "id,Text,polarity\n1,\"Heel goed, echt!\",Positive\n2,Slecht,neg\n3,Om drie uur,0\n";
        let rows = read_labelled(csv.as_bytes(), "polarity").unwrap();
        assert_eq!(rows.len(), 3);
        let report = eval_polarity(&rows, PolarityMeasure::Lexicon).unwrap();
        assert_eq!(report.n, 3);
        assert!(close(report.accuracy, 1.0));
        assert!(matches!(
            read_labelled(csv.as_bytes(), "mode"),
            Err(EvalError::MissingColumn(..))
        ));
        let bad = vec![("x".to_string(), "great".to_string())];
        assert!(matches!(
            eval_polarity(&bad, PolarityMeasure::Model),
            Err(EvalError::UnknownLabel { row: 2, .. })
        ));
        assert_eq!(normalise_label("mode", "co-decide"), Some("co_decide"));
        assert_eq!(normalise_label("referral", "TRUE"), Some("yes"));
    }

    #[test]
    fn referral_and_mode_evaluate() {
        let rows = vec![
            (
                "Stuur ons een DM met uw adres.".to_string(),
                "yes".to_string(),
            ),
            ("Dank voor uw bericht!".to_string(), "no".to_string()),
        ];
        let report = eval_referral(&rows).unwrap();
        assert!(close(report.accuracy, 1.0));
        let rows = vec![(
            "Stem mee in onze poll!".to_string(),
            "co_decide".to_string(),
        )];
        assert!(close(eval_mode(&rows).unwrap().accuracy, 1.0));
    }

    #[test]
    fn cross_validation_reports_held_out_scores() {
        let mut rows = Vec::new();
        for i in 0..30 {
            rows.push((format!("Heel goed plan {i}"), "positive".to_string()));
            rows.push((format!("Heel slecht plan {i}"), "negative".to_string()));
            rows.push((format!("Om {i} uur"), "neutral".to_string()));
        }
        let report = cross_validate_polarity(&rows, 5, PolarityMeasure::Lexicon).unwrap();
        let cv = report.cross_validation.unwrap();
        assert_eq!(cv.folds, 5);
        assert_eq!(cv.thresholds.map(|t| t.len()), Some(5));
        assert!(close(cv.macro_f1, 1.0));
        let report = cross_validate_polarity(&rows, 4, PolarityMeasure::Model).unwrap();
        let cv = report.cross_validation.unwrap();
        assert!(cv.thresholds.is_none());
        assert!(cv.macro_f1 > 0.9, "{}", cv.macro_f1);
    }
}
