//! `dialoog eval`: score a text measure against a human-labelled CSV and print the metrics.

use anyhow::Context;
use dialoog_text::eval;
use std::io::Write as _;
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
        /// What to evaluate: `model` is what Dialoog reports per post (the shipped model for
        /// Dutch, trained on the Dutch political dev set, so scores on that file are training
        /// scores); `lexicon` is the lexicon score with the documented thresholds.
        #[arg(long, value_enum, default_value = "model")]
        measure: Measure,
        /// Also cross-validate with this many folds (row i in fold i mod K): each fold is labelled
        /// by what was fitted on the other folds only (the model, or the lexicon's two
        /// thresholds); adds `cross_validation` with the held-out macro-F1 and accuracy.
        #[arg(long, value_name = "K")]
        cv_folds: Option<usize>,
        /// Train the polarity model on all rows of the input and write it to this file (the
        /// format of crates/text/models/nl-polarity.tsv), before evaluating.
        #[arg(long, value_name = "MODEL.tsv")]
        write_model: Option<PathBuf>,
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

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Measure {
    /// The shipped model for Dutch, the lexicon otherwise.
    Model,
    /// The lexicon score with the documented thresholds.
    Lexicon,
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
            measure,
            cv_folds,
            write_model,
            ..
        } => {
            if let Some(path) = write_model {
                let model = eval::train_polarity_model(&rows)?;
                std::fs::write(&path, model.to_text())
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            let measure = match measure {
                Measure::Model => eval::PolarityMeasure::Model,
                Measure::Lexicon => eval::PolarityMeasure::Lexicon,
            };
            match cv_folds {
                Some(folds) => eval::cross_validate_polarity(&rows, folds, measure)?,
                None => eval::eval_polarity(&rows, measure)?,
            }
        }
        Task::Referral { .. } => eval::eval_referral(&rows)?,
        Task::Mode { .. } => eval::eval_mode(&rows)?,
    };
    writeln!(
        std::io::stdout(),
        "{}",
        serde_json::to_string_pretty(&report)?
    )?;
    Ok(())
}
