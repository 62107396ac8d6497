//! Turns the rule files (rules/nl.toml, en.toml, any.toml) into the static rule table, so a
//! broken rule file is a build error rather than a run-time one, and no rule is parsed at run time.

use std::fmt::Write as _;
use std::path::Path;

/// The stages in the order `classify` tries them, with the `Mode` variant each names.
const STAGES: &[(&str, &str)] = &[
    ("referral", "Referral"),
    ("internal", "Internal"),
    ("co_decide", "CoDecide"),
    ("co_produce", "CoProduce"),
    ("consult", "Consult"),
    ("advise", "Advise"),
    ("inform", "Inform"),
];
/// Within a stage: Dutch, then English, then language-independent rules.
const LANGUAGES: &[&str] = &["nl", "en", "any"];

struct Rule {
    id: String,
    stage: usize,
    language: &'static str,
    pattern: Option<String>,
    raw: bool,
    description: String,
    matches: Vec<String>,
    not: Vec<String>,
}

fn main() -> Result<(), String> {
    let dir = Path::new("rules");
    let mut rules = Vec::new();
    for language in LANGUAGES {
        let path = dir.join(format!("{language}.toml"));
        println!("cargo::rerun-if-changed={}", path.display());
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let table: toml::Table = text
            .parse()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let Some(toml::Value::Array(entries)) = table.get("rule") else {
            return Err(format!("{}: no [[rule]] entries", path.display()));
        };
        for (n, entry) in entries.iter().enumerate() {
            let rule = parse_rule(entry, language)
                .map_err(|e| format!("{} rule {}: {e}", path.display(), n + 1))?;
            rules.push(rule);
        }
    }
    let mut ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    if let Some(pair) = ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("rule id {} is used twice", pair[0]));
    }
    // Stable: file order is kept within a stage and language.
    rules.sort_by_key(|r| (r.stage, LANGUAGES.iter().position(|l| *l == r.language)));

    let mut code = String::from("static RULES: &[Rule] = &[\n");
    for rule in &rules {
        let pattern = rule.pattern.as_deref().unwrap_or(QUESTION_PATTERN);
        let _ = writeln!(
            code,
            "    Rule {{ id: {:?}, mode: Mode::{}, language: {:?}, pattern: {:?}, description: {:?}, raw: {} }},",
            rule.id, STAGES[rule.stage].1, rule.language, pattern, rule.description, rule.raw
        );
    }
    code.push_str("];\n\n/// The texts each rule's pattern must (true) or must not (false) find, from the rule files.\n#[cfg(test)]\nstatic RULE_EXAMPLES: &[(&str, &str, bool)] = &[\n");
    for rule in &rules {
        for (texts, expected) in [(&rule.matches, true), (&rule.not, false)] {
            for text in texts {
                let _ = writeln!(code, "    ({:?}, {:?}, {expected}),", rule.id, text);
            }
        }
    }
    code.push_str("];\n");
    let out = std::env::var("OUT_DIR").map_err(|e| e.to_string())?;
    std::fs::write(Path::new(&out).join("rules.rs"), code).map_err(|e| e.to_string())
}

/// What the one rule without a pattern (`consult.question`) shows in place of one.
const QUESTION_PATTERN: &str = "(is_question: a '?' outside URLs, or a leading question phrase; original posts only, not replies)";

fn parse_rule(entry: &toml::Value, language: &'static str) -> Result<Rule, String> {
    let text = |key: &str| {
        entry
            .get(key)
            .and_then(toml::Value::as_str)
            .map(str::to_owned)
    };
    let texts = |key: &str| -> Result<Vec<String>, String> {
        match entry.get(key) {
            None => Ok(Vec::new()),
            Some(toml::Value::Array(items)) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_owned)
                        .ok_or(format!("{key}: not a string"))
                })
                .collect(),
            Some(_) => Err(format!("{key}: not a list of strings")),
        }
    };
    let id = text("id").ok_or("no id")?;
    let mode = text("mode").ok_or("no mode")?;
    let stage = STAGES
        .iter()
        .position(|(name, _)| *name == mode)
        .ok_or(format!("{id}: unknown mode {mode}"))?;
    if !id.starts_with(&mode) {
        return Err(format!("{id}: the id must start with its mode {mode}"));
    }
    let pattern = text("pattern");
    if pattern.is_none() && id != "consult.question" {
        return Err(format!("{id}: no pattern"));
    }
    let matches = texts("matches")?;
    if matches.is_empty() {
        return Err(format!("{id}: no `matches` example"));
    }
    Ok(Rule {
        description: text("description").ok_or(format!("{id}: no description"))?,
        raw: entry
            .get("raw")
            .and_then(toml::Value::as_bool)
            .unwrap_or(false),
        not: texts("not")?,
        id,
        stage,
        language,
        pattern,
        matches,
    })
}
