//! `dialoog eval`: score a text measure against a human-labelled CSV and print the metrics.

use anyhow::Context;
use dialoog_text::eval;
use std::path::PathBuf;

/// Evaluate a text measure on a labelled CSV; prints one JSON object to stdout.
///
/// The object has `task`, `n`, `macro_f1`, `accuracy`, `per_class` (label → precision, recall,
/// f1, support), `confusion` (`labels`, rows = gold, columns = predicted, `matrix`) and `method`
/// (how predictions were made). Example:
/// `dialoog eval polarity --input political_tweets_polarity_dev.csv`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub task: Task,
}

#[derive(clap::Subcommand)]
pub enum Task {
    /// Sentiment polarity: CSV columns `text,polarity`, labels negative/neutral/positive
    /// (also neg/neu/pos, -1/0/1). Language is detected per text (Dutch when unsure).
    Polarity {
        /// The labelled CSV (header row naming `text` and `polarity`; other columns ignored).
        #[arg(long, value_name = "FILE.csv")]
        input: PathBuf,
        /// Also cross-validate the polarity thresholds with this many folds: each fold is labelled
        /// with the thresholds that score best on the other folds; adds `cross_validation` (the
        /// held-out macro-F1 and accuracy, and each fold's thresholds) to the output.
        #[arg(long, value_name = "K")]
        cv_folds: Option<usize>,
    },
    /// Referral detection on replies: CSV columns `text,referral`, labels yes/no.
    Referral {
        /// The labelled CSV (header row naming `text` and `referral`).
        #[arg(long, value_name = "FILE.csv")]
        input: PathBuf,
    },
    /// Participation mode of original posts: CSV columns `text,mode`, labels inform, advise,
    /// consult, co_decide, co_produce, internal, referral, other.
    Mode {
        /// The labelled CSV (header row naming `text` and `mode`).
        #[arg(long, value_name = "FILE.csv")]
        input: PathBuf,
    },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let (column, input) = match &args.task {
        Task::Polarity { input, .. } => ("polarity", input),
        Task::Referral { input } => ("referral", input),
        Task::Mode { input } => ("mode", input),
    };
    let file =
        std::fs::File::open(input).with_context(|| format!("opening {}", input.display()))?;
    let rows = eval::read_labelled(std::io::BufReader::new(file), column)
        .with_context(|| format!("reading {}", input.display()))?;
    let report = match args.task {
        Task::Polarity {
            cv_folds: Some(folds),
            ..
        } => eval::cross_validate_polarity(&rows, folds)?,
        Task::Polarity { cv_folds: None, .. } => eval::eval_polarity(&rows)?,
        Task::Referral { .. } => eval::eval_referral(&rows)?,
        Task::Mode { .. } => eval::eval_mode(&rows)?,
    };
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
