//! `dialoog compare`: several cases side by side.

use anyhow::Context as _;
use dialoog_analysis::Factsheet;
use dialoog_report::compare::Case;
use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Put the headline measures of several cases side by side: OUT/compare.html, compare.md and
/// compare.json.
///
/// Each INPUT is a factsheet.json that `dialoog factsheet` wrote, or the folder holding it. Comparing
/// the factsheets (not the stores) keeps each case as it was reported, with its own registry, focus
/// accounts, period and time zone; make or refresh them with `dialoog factsheet` first. The page
/// shows per case: posts, authors, focus accounts, the headline box summed over the focus accounts,
/// participation modes and referral share, reply rate and response times, bursts, network and
/// spread; the HTML is self-contained and prints on A4.
///
/// Example: `dialoog compare gemeente/ politie/ --label Gemeente --label Politie --out vergelijking/`.
#[derive(clap::Args)]
pub struct Args {
    /// factsheet.json files, or folders holding one (at least two).
    #[arg(value_name = "INPUT", required = true, num_args = 2..)]
    pub inputs: Vec<PathBuf>,
    /// Column heading for each input, in order (default: the case's title).
    #[arg(long = "label", value_name = "NAME")]
    pub labels: Vec<String>,
    /// Output folder (created when absent).
    #[arg(long, value_name = "OUT", default_value = "compare")]
    pub out: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.labels.len() > args.inputs.len() {
        anyhow::bail!(
            "{} labels for {} inputs: give at most one --label per input",
            args.labels.len(),
            args.inputs.len()
        );
    }
    let factsheets = args
        .inputs
        .iter()
        .map(|input| read(input))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let titles: Vec<String> = factsheets.iter().map(|(_, f)| f.title.clone()).collect();
    let labels = labels(&args.labels, &titles, &args.inputs);
    let cases: Vec<Case> = labels
        .into_iter()
        .zip(&factsheets)
        .map(|(label, (_, factsheet))| Case { label, factsheet })
        .collect();
    let written = dialoog_report::write_compare(&cases, &args.out)?;
    writeln!(std::io::stdout(), "{}", written.html.display())?;
    writeln!(std::io::stdout(), "{}", written.markdown.display())?;
    writeln!(std::io::stdout(), "{}", written.json.display())?;
    Ok(())
}

/// Reads a factsheet.json (or DIR/factsheet.json); errors name the file.
fn read(input: &Path) -> anyhow::Result<(PathBuf, Factsheet)> {
    let path = if input.is_dir() {
        input.join("factsheet.json")
    } else {
        input.to_owned()
    };
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "reading {} (give a factsheet.json or the folder `dialoog factsheet` wrote)",
            path.display()
        )
    })?;
    let factsheet: Factsheet = serde_json::from_str(&text).with_context(|| {
        format!(
            "{}: not a Dialoog factsheet.json (make it with `dialoog factsheet`)",
            path.display()
        )
    })?;
    Ok((path, factsheet))
}

/// The given labels, then the titles; a title that occurs twice gets its folder's name added.
fn labels(given: &[String], titles: &[String], inputs: &[PathBuf]) -> Vec<String> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for t in titles {
        *seen.entry(t.as_str()).or_default() += 1;
    }
    titles
        .iter()
        .zip(inputs)
        .enumerate()
        .map(|(i, (title, input))| {
            if let Some(label) = given.get(i) {
                return label.clone();
            }
            if seen[title.as_str()] == 1 {
                return title.clone();
            }
            let folder = if input.is_dir() {
                input.as_path()
            } else {
                input.parent().unwrap_or(input)
            };
            let name = folder
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| (i + 1).to_string());
            format!("{title} ({name})")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fall_back_to_titles_and_folders() {
        let titles = ["A".to_owned(), "Same".to_owned(), "Same".to_owned()];
        let inputs = [
            PathBuf::from("x/factsheet.json"),
            PathBuf::from("gemeente/factsheet.json"),
            PathBuf::from("politie/factsheet.json"),
        ];
        assert_eq!(
            labels(&["First".to_owned()], &titles, &inputs),
            ["First", "Same (gemeente)", "Same (politie)"]
        );
    }
}
