//! The texts generated posts say: real posts from the samples, cleaned so that every export format
//! carries them unchanged (no `&`, `<`, `>`; one line; no @mentions of their own — the generator
//! adds the mentions its conversation needs).
//!
//! English: the webcare sample shipped in the repo (customers' tweets and the support accounts'
//! replies, which are rich in referrals: "DM us", "please call"). Dutch: the tweets of Dutch
//! parties and members of parliament in `../shared/data/nl` when that folder is present (tests-only
//! data, never shipped), and a few Dutch webcare replies written for the generator, since no real
//! Dutch government webcare corpus is available.

use anyhow::Context as _;
use std::path::Path;

/// The webcare sample (CC BY-NC-SA 4.0, data/webcare/SOURCE.md).
const WEBCARE: &str = include_str!("../../../data/webcare/twcs_head.csv");

/// Dutch replies of a municipal webcare team, in the style of the study's cases: referrals to
/// other channels and real answers.
const GOVERNMENT_NL: &[&str] = &[
    "Vervelend om te horen. Stuur ons een DM met uw postcode, dan zoeken we het uit.",
    "Bel ons gerust op 14 020, dan helpen we u verder.",
    "Dank voor uw melding, we hebben het doorgegeven aan de wijkbeheerder.",
    "Kijk op www.gemeente.nl/afval voor de ophaaldagen in uw wijk.",
    "Neem contact op met onze klantenservice via het contactformulier.",
    "Goed dat u het meldt! De storing is inmiddels verholpen.",
    "Wat vervelend. Kunt u aangeven om welke straat het gaat?",
    "Mail ons via info@gemeente.nl, dan kijken we ernaar.",
    "We begrijpen uw zorgen. Morgen volgt meer informatie op onze website.",
    "Dank u wel voor het compliment, we geven het door aan de collega's!",
    "Meld het via de app, dan pakken we het zo snel mogelijk op.",
    "Daar kunnen we helaas nog niets over zeggen, het onderzoek loopt nog.",
    "De aanvraag duurt gemiddeld acht weken. U krijgt bericht per post.",
    "Klopt, het loket is morgen gesloten vanwege de feestdag.",
    "Let op: vanwege werkzaamheden is de brug vanavond tot 23.00 uur dicht.",
    "Wat vindt u van de plannen voor het nieuwe park? Laat het ons weten!",
    "Stem mee over de naam van de nieuwe brug, tot en met vrijdag.",
    "We raden aan om ramen en deuren gesloten te houden vanwege de rook.",
    "Uw paspoort kunt u ophalen aan de balie in het stadhuis.",
    "Hulp nodig bij de aanvraag? Bel 020 123 4567 op werkdagen.",
];

/// Texts by language and kind of author.
pub struct Pools {
    pub citizen_en: Vec<String>,
    pub government_en: Vec<String>,
    /// Empty when `../shared/data/nl` is absent: the generator then writes English only.
    pub citizen_nl: Vec<String>,
    pub government_nl: Vec<String>,
}

impl Pools {
    /// The shipped sample, and the Dutch files in `nl_dir` when they exist.
    pub fn load(nl_dir: &Path) -> anyhow::Result<Pools> {
        let mut citizen_en = Vec::new();
        let mut government_en = Vec::new();
        // Flexible: a bare carriage return tears a few rows of the sample; the pieces are skipped.
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(WEBCARE.as_bytes());
        for (line, record) in reader.records().enumerate() {
            let record = record.with_context(|| format!("webcare sample, record {}", line + 1))?;
            if record.len() != 8 {
                continue;
            }
            let (Some(inbound), Some(text)) = (record.get(3), record.get(5)) else {
                continue;
            };
            let text = clean(text);
            if text.is_empty() {
                continue;
            }
            if inbound == "True" {
                citizen_en.push(text);
            } else {
                government_en.push(text);
            }
        }
        let mut citizen_nl = Vec::new();
        for (file, column) in [
            ("party_tweets_2021_2023.csv", "Tweet"),
            ("political_tweets_polarity_dev.csv", "text"),
        ] {
            let path = nl_dir.join(file);
            if !path.exists() {
                continue;
            }
            let mut reader = csv::Reader::from_path(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let headers = reader.headers()?.clone();
            let Some(index) = headers.iter().position(|h| h == column) else {
                anyhow::bail!("{}: no column '{column}'", path.display());
            };
            for (line, record) in reader.records().enumerate() {
                let record =
                    record.with_context(|| format!("{}, record {}", path.display(), line + 2))?;
                let text = clean(record.get(index).unwrap_or_default());
                if !text.is_empty() {
                    citizen_nl.push(text);
                }
            }
        }
        let government_nl = GOVERNMENT_NL.iter().map(|t| clean(t)).collect();
        Ok(Pools {
            citizen_en,
            government_en,
            citizen_nl,
            government_nl,
        })
    }
}

/// One line of plain text: Twitter's escapes decoded, then `&`, `<`, `>` and @mentions dropped
/// and all whitespace made single spaces.
fn clean(text: &str) -> String {
    let text = text
        .replace("&lt;", " ")
        .replace("&gt;", " ")
        .replace("&amp;", " and ");
    text.split_whitespace()
        .filter(|word| !word.starts_with('@'))
        .map(|word| word.replace(['&', '<', '>'], ""))
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_one_plain_line_without_mentions() {
        assert_eq!(
            clean("@sprintcare Hi &amp; bye\n <b>x</b>  @115712 ok"),
            "Hi and bye bx/b ok"
        );
    }

    #[test]
    fn the_shipped_sample_gives_both_english_pools() {
        let pools = Pools::load(Path::new("/nonexistent")).unwrap();
        assert!(pools.citizen_en.len() > 2000 && pools.government_en.len() > 2000);
        assert!(pools.citizen_nl.is_empty());
        assert_eq!(pools.government_nl.len(), GOVERNMENT_NL.len());
    }
}
